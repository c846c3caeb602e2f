// The session inspector's core: gather every live session of a site (QRS for the nodes and the virtual
// proxies each links, then each node's QPS per linked virtual proxy, through the inventory) and turn it
// into the view the console shows: grouped by user with the count Qlik holds against its parallel-session
// limit, the console partition holding each session, whether Usher created it, and the warnings an admin
// should act on. The model is pure; session ids stay in the `rows` map that never leaves the main process.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { maskSecret } from '../../../shared/redact';
import {
  limitState,
  PARALLEL_SESSION_LIMIT,
  userKey,
  type InspectorWarning,
  type SessionInspectorView,
  type SessionRowView,
  type SessionUserGroup,
} from '../../../shared/sessions';
import { formatUser, type UserRef } from '../../../shared/user';
import { prefixLabel } from '../../../shared/virtual-proxy';
import type { AuditEntry } from '../profiles';
import type { QlikConnection } from '../qlik';
import { duplicateSessionCookieNames } from './cookie-sessions';
import { listAllSessions, nodeTargets, pairCount, type Inventory, type InventoryOptions, type NodeTarget, type SessionEntry } from './inventory';

/**
 * A non-reversible fingerprint of a session id for the audit log: lets the inspector recognise the
 * sessions Usher created without the log ever holding a usable id (ids are long random values, so a
 * plain SHA-256 cannot be walked back).
 */
export function sessionIdDigest(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('hex');
}

/** A session id as an audit entry holds it: masked for people, digested for the inspector. */
export function auditedSessionId(sessionId: string): { sessionIdMasked: string; sessionIdDigest: string } {
  return { sessionIdMasked: maskSecret(sessionId), sessionIdDigest: sessionIdDigest(sessionId) };
}

/**
 * The sessionIdDigest of every session the audit log says Usher created (`profile`: that profile's
 * entries only; without it, every entry of the log). The console and `usher sessions` both mark their
 * rows from this.
 */
export async function createdSessionDigests(
  audit: { read(options?: { profile?: string }): Promise<{ entries: AuditEntry[] }> },
  profile?: string,
): Promise<Set<string>> {
  const { entries } = await audit.read(profile === undefined ? {} : { profile });
  const digests = new Set<string>();
  for (const e of entries) if (e.action === 'session-create' && e.sessionIdDigest) digests.add(e.sessionIdDigest);
  return digests;
}

/**
 * Opaque row keys: stable for a session while this process runs (so the table keeps focus and selection
 * across refreshes), useless outside it (keyed by a per-process random secret, so not a digest anyone
 * can match against an id).
 */
export class RowKeys {
  private readonly secret = randomBytes(32);

  of(session: { nodeName: string; sessionId: string }): string {
    return `s-${createHmac('sha256', this.secret).update(`${session.nodeName}\u0000${session.sessionId}`).digest('base64url').slice(0, 24)}`;
  }
}

export interface LinkedVirtualProxy {
  prefix: string;
  sessionCookieHeaderName: string;
}

export interface GatheredSessions {
  nodes: NodeTarget[];
  /** The virtual proxies some proxy links (only those can hold sessions), once each. */
  virtualProxies: LinkedVirtualProxy[];
  inventory: Inventory;
}

/**
 * One QRS call (the proxy services carry their linked virtual proxies in full), then every node/virtual
 * proxy pair's sessions. `onProgress` sees (0, total) once discovery is done, then each finished pair.
 */
export async function gatherSessions(connection: QlikConnection, qrsBaseUrl: string, options: InventoryOptions = {}): Promise<GatheredSessions> {
  const services = await connection.qrs(qrsBaseUrl).proxyServices();
  const nodes = nodeTargets(services);
  const byPrefix = new Map<string, LinkedVirtualProxy>();
  for (const service of services) {
    for (const vp of service.settings.virtualProxies) {
      if (!byPrefix.has(vp.prefix)) byPrefix.set(vp.prefix, { prefix: vp.prefix, sessionCookieHeaderName: vp.sessionCookieHeaderName });
    }
  }
  options.onProgress?.(0, pairCount(nodes));
  const inventory = await listAllSessions(connection, nodes, options);
  return { nodes, virtualProxies: [...byPrefix.values()], inventory };
}

/** A login Qlik refused because the user held too many sessions (seen by the console's tickets.open). */
export interface RefusedLogin extends UserRef {
  virtualProxy: string;
  nodeName: string;
  /** Epoch milliseconds. */
  at: number;
  /** The user's live sessions on the site when it was refused. */
  count: number;
}

export type SessionHolders = ReadonlyMap<string, { partitionId: string; label: string }>;

export interface InspectorModelInput {
  profileId: string;
  gathered: GatheredSessions;
  /** Session id -> the console partition holding it. */
  holders: SessionHolders;
  /** sessionIdDigest of every session Usher created on this site (from the audit log). */
  createdDigests: ReadonlySet<string>;
  rowKeys: RowKeys;
  refusals?: RefusedLogin[];
  limit?: number;
  now: Date;
  durationMs: number;
}

export interface InspectorModel {
  view: SessionInspectorView;
  /** Row key -> the session it stands for (main process only). */
  rows: Map<string, SessionEntry>;
}

function sharedJarWarnings(groups: SessionUserGroup[], cookieNames: Map<string, string>): InspectorWarning[] {
  // One cookie jar keeps one cookie per name and host: two users on one virtual proxy in one jar means
  // the later login overwrote the earlier one's cookie, and the earlier tab's HTTP calls run as the later user.
  const byJar = new Map<string, { label: string; prefix: string; users: Map<string, string>; rowKeys: string[] }>();
  for (const group of groups) {
    for (const row of group.rows) {
      if (!row.partition) continue;
      const key = `${row.partition.partitionId}\u0000${row.virtualProxy}`;
      let jar = byJar.get(key);
      if (!jar) byJar.set(key, (jar = { label: row.partition.label, prefix: row.virtualProxy, users: new Map(), rowKeys: [] }));
      jar.users.set(userKey(row), formatUser(row));
      jar.rowKeys.push(row.rowKey);
    }
  }
  const out: InspectorWarning[] = [];
  for (const jar of byJar.values()) {
    if (jar.users.size < 2) continue;
    const users = [...jar.users.values()];
    const cookie = cookieNames.get(jar.prefix) ?? 'session';
    out.push({
      kind: 'shared-jar',
      severity: 'error',
      message: `Partition ${jar.label} holds sessions of ${users.join(' and ')} on ${prefixLabel(jar.prefix)}: one cookie jar keeps one ${cookie} cookie, so every HTTP request from it runs as whichever user logged in last (the per-tab problem of seed 003).`,
      fix: 'Give each user their own partition (Usher opens every ticket in a fresh one), or one virtual proxy per app with its own cookie name; end the stale session here.',
      rowKeys: jar.rowKeys,
    });
  }
  return out;
}

function limitWarnings(groups: SessionUserGroup[], limit: number): InspectorWarning[] {
  return groups
    .filter((g) => g.state !== 'ok')
    .map((g) => ({
      kind: 'session-limit' as const,
      severity: g.state === 'over-limit' ? ('error' as const) : ('warning' as const),
      message:
        g.state === 'over-limit'
          ? `${formatUser(g)} holds ${g.count} sessions, more than Qlik's ${limit} in parallel: the site's limit is not what Usher assumes, or sessions are counted late.`
          : `${formatUser(g)} holds ${g.count} of ${limit} parallel sessions: Qlik refuses the next login with "too many sessions active in parallel".`,
      fix: 'End sessions this user no longer needs (closed tabs count until the inactivity timeout), or have tests log out when they finish.',
      rowKeys: g.rows.map((r) => r.rowKey),
    }));
}

function duplicateCookieWarnings(virtualProxies: LinkedVirtualProxy[], rowsByPrefix: Map<string, string[]>): InspectorWarning[] {
  return duplicateSessionCookieNames(virtualProxies).map(({ name, prefixes }) => ({
    kind: 'duplicate-cookie-name' as const,
    severity: 'error' as const,
    message: `Virtual proxies ${prefixes.map(prefixLabel).join(', ')} all name their session cookie ${name}: a browser logged in on more than one keeps a single cookie, so one login replaces the other.`,
    fix: 'Give each virtual proxy its own session cookie header name in the QMC (by convention X-Qlik-Session-<prefix>).',
    rowKeys: prefixes.flatMap((p) => rowsByPrefix.get(p) ?? []),
  }));
}

function refusalWarnings(refusals: RefusedLogin[], groups: Map<string, SessionUserGroup>, limit: number): InspectorWarning[] {
  return refusals.map((r) => ({
    kind: 'refused-login' as const,
    severity: 'error' as const,
    message: `Qlik refused a new session for ${formatUser(r)} on ${prefixLabel(r.virtualProxy)} (node ${r.nodeName}) at ${new Date(r.at).toISOString().slice(11, 19)} UTC: the user already held ${r.count} sessions and Qlik allows ${limit} in parallel.`,
    fix: "End one of the user's sessions here, then open a new ticket (closed sessions count until the inactivity timeout).",
    rowKeys: groups.get(userKey(r))?.rows.map((row) => row.rowKey) ?? [],
  }));
}

export function buildInspectorModel(input: InspectorModelInput): InspectorModel {
  const limit = input.limit ?? PARALLEL_SESSION_LIMIT;
  const cookieNames = new Map(input.gathered.virtualProxies.map((vp) => [vp.prefix, vp.sessionCookieHeaderName]));
  const rows = new Map<string, SessionEntry>();
  const groups = new Map<string, SessionUserGroup>();
  const rowsByPrefix = new Map<string, string[]>();
  let createdByUsher = 0;

  for (const session of input.gathered.inventory.sessions) {
    const rowKey = input.rowKeys.of(session);
    rows.set(rowKey, session);
    const holder = input.holders.get(session.sessionId);
    const created = input.createdDigests.has(sessionIdDigest(session.sessionId));
    if (created) createdByUsher++;
    const row: SessionRowView = {
      rowKey,
      nodeName: session.nodeName,
      virtualProxy: session.prefix,
      sessionIdMasked: maskSecret(session.sessionId),
      userDirectory: session.userDirectory,
      userId: session.userId,
      createdByUsher: created,
    };
    const cookieName = cookieNames.get(session.prefix);
    if (cookieName) row.cookieName = cookieName;
    if (session.userName) row.userName = session.userName;
    if (holder) row.partition = { partitionId: holder.partitionId, label: holder.label };
    const key = userKey(session);
    let group = groups.get(key);
    if (!group) {
      group = { userDirectory: session.userDirectory, userId: session.userId, count: 0, limit, state: 'ok', rows: [] };
      if (session.userName) group.userName = session.userName;
      groups.set(key, group);
    }
    group.rows.push(row);
    const onPrefix = rowsByPrefix.get(session.prefix);
    if (onPrefix) onPrefix.push(rowKey);
    else rowsByPrefix.set(session.prefix, [rowKey]);
  }

  const sorted = [...groups.values()];
  for (const group of sorted) {
    // Qlik counts a user's sessions across the whole site, so the count is the group's size, all nodes
    // and virtual proxies together.
    group.count = group.rows.length;
    group.state = limitState(group.count, limit);
  }
  sorted.sort((a, b) => b.count - a.count || formatUser(a).localeCompare(formatUser(b)));

  const warnings = [
    ...refusalWarnings(input.refusals ?? [], groups, limit),
    ...sharedJarWarnings(sorted, cookieNames),
    ...limitWarnings(sorted, limit),
    ...duplicateCookieWarnings(input.gathered.virtualProxies, rowsByPrefix),
  ].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));

  const { nodes, inventory } = input.gathered;
  return {
    view: {
      profileId: input.profileId,
      refreshedAt: input.now.toISOString(),
      durationMs: Math.round(input.durationMs),
      limit,
      nodes: nodes.length,
      pairs: pairCount(nodes),
      totalSessions: inventory.sessions.length,
      createdByUsher,
      groups: sorted,
      warnings,
      failures: inventory.failures.map((f) => ({ nodeName: f.nodeName, virtualProxy: f.prefix, code: f.code, message: f.message })),
    },
    rows,
  };
}
