// A login without a ticket: the session API creates a session with an id Usher picks, the partition gets
// the virtual proxy's session cookie holding it (name, domain, path, Secure, SameSite as QRS configures
// the virtual proxy), and the window opens the target. Whether the proxy took it is judged exactly as for
// tickets (core/sessions/redemption.ts). The session is audited as soon as QPS has it, whatever the browser does next.
import type { OpenResult, RequestOf } from '../../shared/ipc/contract';
import { DEFAULT_PARTITION_CHOICE } from '../../shared/partitions';
import { maskSecret } from '../../shared/redact';
import { formatUser, type UserRef } from '../../shared/user';
import { prefixLabel } from '../../shared/virtual-proxy';
import { errorReason } from '../core/error-text';
import { injectSession, sessionCookieFor } from '../core/sessions/session-injection';
import { sessionCreateRecord } from '../core/operations/open-login';
import { BackendError } from './backend-error';
import { siteOf, type BackendContext } from './backend-context';
import { serviceBaseUrl } from '../core/qlik/base-url';
import { judgeSession, openTargetUrl, redeemingProxy } from '../core/sessions/redemption';
import { partitionOwner, withReplacedUser } from './partition-manager';

export class SessionInjectService {
  constructor(private readonly ctx: BackendContext) {}

  async inject(req: RequestOf<'sessions.inject'>): Promise<OpenResult> {
    const profile = await this.ctx.profiles.get(req.profileId);
    const { connection, caPem } = await siteOf(this.ctx, profile);
    const node = redeemingProxy(profile);
    const prefix = req.virtualProxy;
    const user: UserRef = { userDirectory: req.userDirectory.trim(), userId: req.userId.trim() };
    // Everything that can refuse comes before the session exists (it would count against the user's five).
    const url = openTargetUrl(node.proxy, prefix, req.target);
    const vp = await connection.qrs(serviceBaseUrl(profile.qrs, 'qrs')).virtualProxy(prefix);
    if (!vp) {
      throw new BackendError(
        'NOT_FOUND',
        `${profile.name} has no virtual proxy ${prefixLabel(prefix)}.`,
        'Pick one of the virtual proxies QRS lists for this site (Checks shows them).',
      );
    }
    sessionCookieFor(vp, node.proxy, 'not-a-session');
    const { page, created } = await this.ctx.partitions.window(
      req.partition ?? DEFAULT_PARTITION_CHOICE,
      partitionOwner(profile, caPem, `${formatUser(user)} on ${prefixLabel(prefix)} (session API)`),
    );

    let injected;
    try {
      injected = await injectSession({
        qps: connection.qps(profile.qps, prefix),
        virtualProxy: vp,
        proxy: node.proxy,
        ...user,
        attributes: req.attributes.map((a) => ({ [a.key]: a.value })),
      });
    } catch (err) {
      await this.ctx.partitions.abandon(page, created);
      throw err;
    }
    const sessionId = injected.session.sessionId;
    await this.ctx.audit.append(
      sessionCreateRecord(
        { audit: { log: this.ctx.audit, profile: profile.id }, node: node.name, virtualProxy: prefix, user: injected.session },
        sessionId,
        `${req.reason ? `${req.reason}; ` : ''}session API, in partition ${page.partitionId}`,
      ),
    );
    this.ctx.partitions.noteSession(page.partitionId, sessionId, { nodeName: node.name, qps: profile.qps, prefix });

    const fail = (status: number, finalUrl: string, detail: string): OpenResult => ({
      partitionId: page.partitionId,
      established: false,
      status,
      finalUrl,
      detail,
    });
    try {
      await page.setCookie(injected.cookie);
    } catch (err) {
      return fail(0, url, `the session ${maskSecret(sessionId)} exists, but the partition refused its cookie ${injected.cookie.name}: ${errorReason(err)}`);
    }
    let nav: { status: number; url: string };
    try {
      nav = await page.goto(url);
    } catch (err) {
      return fail(0, url, `the page did not load: ${errorReason(err)}`);
    }
    const judged = await judgeSession({ page, nav, url, prefix, user, sessionCookieName: vp.sessionCookieHeaderName, sessionId });
    return withReplacedUser(this.ctx.partitions, judged.result, prefix);
  }
}
