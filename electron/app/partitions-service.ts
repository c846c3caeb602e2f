// The partition manager's screen: every partition with its windows, downloads and cookies (values masked),
// and for each Qlik session cookie the session's user as the node's QPS reports it: one GET per session
// cookie (the node the console made it on first), time-limited by the site connection, a failure shown
// on that cookie rather than failing the list. Revealing a cookie's value is a separate call, audited
// when it is a session cookie: that value is a live login for the user until the session times out, as
// good as a ticket, and every login the console hands out is in the audit log.
import type { PartitionCookieRef, PartitionCookieView, PartitionsView, PartitionView, CookieSessionView } from '../../shared/partitions';
import type { Profile } from '../../shared/profile';
import { maskSecret, maskTickets } from '../../shared/redact';
import { formatUser } from '../../shared/user';
import { prefixLabel } from '../../shared/virtual-proxy';
import { QlikError, type QpsSession } from '../core/qlik';
import { errorReason } from '../core/error-text';
import { looksLikeQlikSessionCookie, matchSessionCookie, nodesForCookie, type ProxyNodeHost, type SessionCookieMatch } from '../core/sessions/cookie-sessions';
import type { PartitionCookie } from '../hosts/browser-host';
import { siteOf, type BackendContext } from './backend-context';
import type { PartitionSnapshot, SessionOrigin } from './partition-manager';

interface SiteNode extends ProxyNodeHost {
  qps: string;
}

/** The nodes of a profile as browsers reach them; an undiscovered site is its QPS host alone. */
export function siteNodes(profile: Profile): SiteNode[] {
  if (profile.nodes.length === 0) {
    const host = new URL(profile.qps).hostname;
    return [{ name: host, host, qps: profile.qps }];
  }
  return profile.nodes.map((n) => ({ name: n.name, host: new URL(n.proxy ?? `https://${n.hostName}`).hostname, qps: n.qps, virtualProxies: n.virtualProxies }));
}

type Lookup = { found: { session: QpsSession; nodeName: string; prefix: string } } | { problem: string };

export class PartitionsService {
  constructor(private readonly ctx: BackendContext) {}

  async list(): Promise<PartitionsView> {
    const snapshots = await this.ctx.partitions.snapshot();
    const profiles = new Map<string, Promise<Profile | undefined>>();
    const profileOf = (id: string): Promise<Profile | undefined> => {
      let p = profiles.get(id);
      if (!p) {
        p = this.ctx.profiles.get(id).catch(() => undefined);
        profiles.set(id, p);
      }
      return p;
    };
    // One lookup per session id, however many partitions hold it.
    const lookups = new Map<string, Promise<Lookup>>();
    const partitions = await Promise.all(
      snapshots.map(async (s) => {
        const profile = await profileOf(s.profileId);
        const cookies = await Promise.all(
          s.cookies.map((c) =>
            this.cookieView(c, s, profile, (key, run) => {
              let l = lookups.get(key);
              if (!l) {
                l = run();
                lookups.set(key, l);
              }
              return l;
            }),
          ),
        );
        return this.view(s, cookies);
      }),
    );
    const out: PartitionsView = { partitions, orphansRemoved: [...this.ctx.partitions.orphansRemoved] };
    if (this.ctx.partitions.cleanupProblem !== undefined) out.cleanupProblem = this.ctx.partitions.cleanupProblem;
    return out;
  }

  private view(s: PartitionSnapshot, cookies: PartitionCookieView[]): PartitionView {
    const view: PartitionView = {
      partitionId: s.partitionId,
      label: s.label,
      kind: s.kind,
      persistent: s.persistent,
      profileId: s.profileId,
      createdAt: s.createdAt,
      windows: s.windows.map((url) => ({ url: maskTickets(url) })),
      downloadsDir: s.downloadsDir,
      downloads: s.downloads.map((d) => ({
        url: maskTickets(d.url),
        bytes: d.bytes,
        ...(d.path !== undefined ? { path: d.path } : {}),
        ...(d.error !== undefined ? { error: maskTickets(d.error) } : {}),
      })),
      cookies,
    };
    if (s.cookiesNote !== undefined) view.cookiesNote = s.cookiesNote;
    const logins = this.ctx.partitions.loginsOf(s.partitionId);
    if (logins.length > 0) view.logins = logins;
    return view;
  }

  private async cookieView(
    c: PartitionCookie,
    s: PartitionSnapshot,
    profile: Profile | undefined,
    once: (key: string, run: () => Promise<Lookup>) => Promise<Lookup>,
  ): Promise<PartitionCookieView> {
    const view: PartitionCookieView = {
      name: c.name,
      domain: c.domain,
      path: c.path,
      secure: c.secure,
      httpOnly: c.httpOnly,
      valueMasked: maskSecret(c.value),
    };
    if (c.sameSite !== undefined) view.sameSite = c.sameSite;
    const match = profile ? matchSessionCookie(c.name, profile.virtualProxies) : undefined;
    if (!match) {
      if (looksLikeQlikSessionCookie(c.name) && c.value !== '') {
        view.session = {
          virtualProxy: '',
          otherVirtualProxies: [],
          suffix: '',
          sessionIdMasked: maskSecret(c.value),
          problem: profile
            ? `No virtual proxy of ${profile.name} uses the cookie name ${c.name}. Run the trust check again to refresh the site's virtual proxies.`
            : `The site ${s.profileId} is no longer known. Destroy this partition, or add the site again.`,
        };
      }
      return view;
    }
    if (c.value === '' || !profile) return view;
    const first = match.candidates[0]!;
    const session: CookieSessionView = {
      virtualProxy: first.prefix,
      otherVirtualProxies: [...new Set(match.candidates.slice(1).map((x) => x.prefix))].filter((p) => p !== first.prefix),
      suffix: first.suffix,
      sessionIdMasked: maskSecret(c.value),
    };
    const lookup = await once(`${profile.id}\u0000${c.value}`, () => this.lookup(profile, c, match, s.origins.get(c.value)));
    if ('found' in lookup) {
      session.virtualProxy = lookup.found.prefix;
      session.otherVirtualProxies = [...new Set(match.candidates.map((x) => x.prefix))].filter((p) => p !== lookup.found.prefix);
      session.suffix = match.candidates.find((x) => x.prefix === lookup.found.prefix)?.suffix ?? first.suffix;
      session.node = lookup.found.nodeName;
      session.user = formatUser(lookup.found.session);
      if (lookup.found.session.userName !== undefined) session.userName = lookup.found.session.userName;
    } else {
      session.problem = lookup.problem;
    }
    view.session = session;
    return view;
  }

  /**
   * Asks QPS who owns the session: the node and virtual proxy the console made it on, when it did;
   * otherwise every node the cookie reaches that links a virtual proxy the name could belong to.
   */
  private async lookup(profile: Profile, cookie: PartitionCookie, match: SessionCookieMatch, origin: SessionOrigin | undefined): Promise<Lookup> {
    const nodes = siteNodes(profile);
    const pairs: Array<{ nodeName: string; qps: string; prefix: string }> = [];
    if (origin) pairs.push({ nodeName: origin.nodeName, qps: origin.qps, prefix: origin.prefix });
    for (const candidate of match.candidates) {
      for (const node of nodesForCookie(cookie, candidate.prefix, nodes)) {
        if (!pairs.some((p) => p.qps === node.qps && p.prefix === candidate.prefix))
          pairs.push({ nodeName: node.name, qps: node.qps, prefix: candidate.prefix });
      }
    }
    if (pairs.length === 0) {
      return {
        problem: `The cookie for ${cookie.domain} reaches no proxy node of ${profile.name} linking ${match.candidates.map((c) => prefixLabel(c.prefix)).join(' or ')}.`,
      };
    }
    let connection;
    try {
      connection = (await siteOf(this.ctx, profile)).connection;
    } catch (err) {
      return { problem: `Cannot ask the site's QPS: ${errorReason(err)}` };
    }
    const ask = async (pair: (typeof pairs)[number]): Promise<Lookup> => {
      try {
        return { found: { session: await connection.qps(pair.qps, pair.prefix).getSession(cookie.value), nodeName: pair.nodeName, prefix: pair.prefix } };
      } catch (err) {
        if (err instanceof QlikError && err.code === 'NOT_FOUND') return { problem: '' };
        return { problem: `${pair.nodeName} ${prefixLabel(pair.prefix)}: ${errorReason(err)}` };
      }
    };
    // The origin alone first: it is nearly always the one, and one call per cookie is the aim.
    const head = origin ? await ask(pairs[0]!) : undefined;
    if (head && 'found' in head) return head;
    const rest = await Promise.all(pairs.slice(origin ? 1 : 0).map(ask));
    const found = rest.find((r) => 'found' in r);
    if (found) return found;
    const problems = [head, ...rest].flatMap((r) => (r && 'problem' in r && r.problem !== '' ? [r.problem] : []));
    if (problems.length > 0) return { problem: `QPS could not be asked: ${problems.join('; ')}` };
    return {
      problem: `No node knows this session any more (asked ${pairs.map((p) => `${p.nodeName} ${prefixLabel(p.prefix)}`).join(', ')}): it ended or timed out. Open a new ticket or session, or clear the partition.`,
    };
  }

  /** One cookie's value, for the clipboard (main process only); a session cookie's is audited first. */
  async cookieValue(ref: PartitionCookieRef): Promise<string> {
    const { cookie, snapshot } = await this.ctx.partitions.cookie(ref);
    const profile = await this.ctx.profiles.get(snapshot.profileId).catch(() => undefined);
    const match = profile ? matchSessionCookie(cookie.name, profile.virtualProxies) : undefined;
    if ((match || looksLikeQlikSessionCookie(cookie.name)) && cookie.value !== '') {
      // Audited before it is handed out, like a ticket: the user is whoever QPS says owns the session.
      const lookup = profile && match ? await this.lookup(profile, cookie, match, snapshot.origins.get(cookie.value)) : undefined;
      const found = lookup && 'found' in lookup ? lookup.found : undefined;
      await this.ctx.audit.append({
        action: 'session-reveal',
        profile: snapshot.profileId,
        ...(found ? { node: found.nodeName } : {}),
        virtualProxy: found?.prefix ?? match?.candidates[0]?.prefix ?? '',
        userDirectory: found?.session.userDirectory ?? '',
        userId: found?.session.userId ?? '',
        reason: `cookie ${cookie.name} of partition "${snapshot.label}" copied to the clipboard in the console`,
        sessionIdMasked: maskSecret(cookie.value),
      });
    }
    return cookie.value;
  }

  async clear(partitionId: string): Promise<{ partitionId: string }> {
    await this.ctx.partitions.clear(partitionId);
    return { partitionId };
  }

  async close(partitionId: string): Promise<{ partitionId: string }> {
    await this.ctx.partitions.close(partitionId);
    return { partitionId };
  }

  async focus(partitionId: string): Promise<{ partitionId: string }> {
    await this.ctx.partitions.bringToFront(partitionId);
    return { partitionId };
  }

  async destroy(partitionId: string): Promise<{ partitionId: string }> {
    await this.ctx.partitions.destroy(partitionId);
    return { partitionId };
  }
}
