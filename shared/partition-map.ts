// The partitions as a map: jars -> windows -> session cookies -> QPS sessions -> users. Built from the
// partitions view the renderer already gets (cookie values never: names and masked session ids only).
// A jar through which two users logged in on one virtual proxy is the seed-003 conflict: it keeps one
// cookie for that proxy, so the earlier users' windows now run as the last one; they are drawn as
// replaced, and the jar as conflicting. Pure: the renderer lays it out, the tests feed it edge cases.
import type { PartitionView } from './partitions';
import { plural } from './plural';
import { prefixLabel } from './virtual-proxy';

export interface MapCookie {
  /** The cookie's name (its value is never here). */
  name: string;
  virtualProxy?: string;
  /** The QPS session it holds, masked, and the node that knows it. */
  session?: { idMasked: string; node?: string };
  /** Whom QPS says the session belongs to. */
  user?: string;
  /** Why no user is known. */
  problem?: string;
  /** Users who logged in through this cookie's virtual proxy before `user` and lost the cookie to them. */
  replaced: string[];
}

export interface MapJar {
  partitionId: string;
  label: string;
  shared: boolean;
  /** Window addresses (tickets masked by the main process). */
  windows: string[];
  cookies: MapCookie[];
  /** Replaced logins whose virtual proxy has no session cookie to show (the jar could not be read). */
  orphanReplaced: Array<{ virtualProxy: string; users: string[] }>;
  /** Seed 003: the virtual proxies through which two or more users logged in here. */
  conflicts: Array<{ virtualProxy: string; users: string[] }>;
}

export function partitionMap(partitions: readonly PartitionView[]): MapJar[] {
  return partitions.map((p) => {
    const conflicts = (p.logins ?? []).filter((l) => l.users.length > 1).map((l) => ({ virtualProxy: l.virtualProxy, users: [...l.users] }));
    const cookies: MapCookie[] = p.cookies
      .filter((c) => c.session !== undefined)
      .map((c) => {
        const s = c.session!;
        const conflict = conflicts.find((l) => l.virtualProxy === s.virtualProxy);
        const holder = s.user ?? conflict?.users.at(-1);
        return {
          name: c.name,
          virtualProxy: s.virtualProxy,
          session: { idMasked: s.sessionIdMasked, ...(s.node !== undefined ? { node: s.node } : {}) },
          ...(s.user !== undefined ? { user: s.user } : {}),
          ...(s.problem !== undefined ? { problem: s.problem } : {}),
          replaced: conflict ? conflict.users.filter((u) => u.toLowerCase() !== holder?.toLowerCase()) : [],
        };
      });
    const shown = new Set(cookies.filter((c) => c.replaced.length > 0).map((c) => c.virtualProxy));
    const orphanReplaced = conflicts.filter((c) => !shown.has(c.virtualProxy)).map((c) => ({ virtualProxy: c.virtualProxy, users: c.users.slice(0, -1) }));
    return {
      partitionId: p.partitionId,
      label: p.label,
      shared: p.kind === 'shared',
      windows: p.windows.map((w) => w.url),
      cookies,
      orphanReplaced,
      conflicts,
    };
  });
}

/** A jar's cookies, sessions, users and conflicts in words (the table's cell). */
export function describeJarLinks(jar: MapJar): string {
  const cookies = jar.cookies.length
    ? jar.cookies.map((c) => {
        const session = c.session ? ` holds session ${c.session.idMasked}${c.session.node ? ` on ${c.session.node}` : ''}` : '';
        const user = c.user ? ` of ${c.user}` : c.problem ? ` (${c.problem})` : '';
        const replaced = c.replaced.length ? `; it replaced ${c.replaced.join(' and ')}'s` : '';
        return `cookie ${c.name}${session}${user}${replaced}`;
      })
    : ['no session cookie'];
  const conflicts = jar.conflicts.map(
    (c) => `conflict: ${c.users.join(' and ')} share one jar on ${prefixLabel(c.virtualProxy)}, every request runs as ${c.users.at(-1)}`,
  );
  return [...cookies, ...conflicts].join('; ');
}

/** One jar in words, for the picture's description. */
export function describeJar(jar: MapJar): string {
  const windows = plural(jar.windows.length, 'window');
  return `${jar.label}${jar.shared ? ' (shared)' : ''}: ${windows}, ${describeJarLinks(jar)}`;
}
