// "Log in as" from the console: one request names the virtual proxy, the method, the user and the
// partition. Tickets and the session API go through their own services (requested, redeemed and audited
// there); a header or JWT login has the partition send its credential to the site's origin, and only
// there, then opens the target and judges the session the way tickets are judged.
import type { LoginAsResult, OpenResult, RequestOf } from '../../shared/ipc/contract';
import type { LoginMethod } from '../../shared/login-as';
import { DEFAULT_PARTITION_CHOICE } from '../../shared/partitions';
import { formatUser, type UserRef } from '../../shared/user';
import { prefixLabel } from '../../shared/virtual-proxy';
import { checkLoginMethod, headerCredential } from '../core/sessions/login-as';
import { logInWithCredential } from '../core/operations/open-login';
import type { VirtualProxyConfig } from '../core/qlik';
import { BackendError } from './backend-error';
import { siteOf, type BackendContext } from './backend-context';
import { serviceBaseUrl } from '../core/qlik/base-url';
import { openTargetUrl, redeemingProxy } from '../core/sessions/redemption';
import { partitionOwner, withReplacedUser } from './partition-manager';
import type { SessionInjectService } from './session-inject-service';
import type { TicketService } from './ticket-service';

/** Builds the request headers of a credential login (header or JWT) for this virtual proxy and user. */
export type CredentialMaker = (input: {
  profileId: string;
  vp: VirtualProxyConfig;
  user: UserRef;
  attributes: Array<Record<string, string>>;
}) => Promise<Record<string, string>>;

export class LoginAsService {
  constructor(
    private readonly ctx: BackendContext,
    private readonly tickets: TicketService,
    private readonly sessions: SessionInjectService,
    private readonly credentials: Partial<Record<LoginMethod, CredentialMaker>> = {},
  ) {}

  async login(req: RequestOf<'login.as'>): Promise<LoginAsResult> {
    const { method } = req;
    const common = {
      profileId: req.profileId,
      virtualProxy: req.virtualProxy,
      userDirectory: req.userDirectory,
      userId: req.userId,
      attributes: req.attributes,
      ...(req.reason !== undefined ? { reason: req.reason } : {}),
    };
    const where = { target: req.target, ...(req.partition ? { partition: req.partition } : {}) };
    const profile = await this.ctx.profiles.get(req.profileId);
    const { connection } = await siteOf(this.ctx, profile);
    // The method is checked against QRS's word on the virtual proxy before any ticket, session or window.
    const vp = await connection.qrs(serviceBaseUrl(profile.qrs, 'qrs')).virtualProxy(req.virtualProxy);
    if (!vp) {
      throw new BackendError(
        'NOT_FOUND',
        `${profile.name} has no virtual proxy ${prefixLabel(req.virtualProxy)}.`,
        'Pick one of the virtual proxies QRS lists for this site (Checks shows them).',
      );
    }
    checkLoginMethod(vp, method);
    let result: OpenResult;
    if (method === 'ticket') {
      const ticket = await this.tickets.request(common);
      result = await this.tickets.open({ ticketId: ticket.ticketId, ...where });
    } else if (method === 'session') {
      result = await this.sessions.inject({ ...common, ...where });
    } else {
      result = await this.withCredential(req, vp, method);
    }
    return { ...result, method };
  }

  private async withCredential(req: RequestOf<'login.as'>, vp: VirtualProxyConfig, method: 'header' | 'jwt'): Promise<OpenResult> {
    const profile = await this.ctx.profiles.get(req.profileId);
    const { caPem } = await siteOf(this.ctx, profile);
    const node = redeemingProxy(profile);
    const prefix = vp.prefix;
    const user: UserRef = { userDirectory: req.userDirectory.trim(), userId: req.userId.trim() };
    const attributes = req.attributes.map((a) => ({ [a.key]: a.value }));
    // Everything that can refuse (the target, the credential) comes before a window opens.
    const url = openTargetUrl(node.proxy, prefix, req.target);
    const headers = method === 'header' ? headerCredential(vp, user) : await this.jwtCredential({ profileId: profile.id, vp, user, attributes });
    const label = `${formatUser(user)} on ${prefixLabel(prefix)} (${method === 'header' ? 'header' : 'JWT'})`;
    const judged = await logInWithCredential({
      openPage: async () => {
        const { page, created } = await this.ctx.partitions.window(req.partition ?? DEFAULT_PARTITION_CHOICE, partitionOwner(profile, caPem, label));
        return { page, abandon: () => this.ctx.partitions.abandon(page, created) };
      },
      proxy: node.proxy,
      url,
      method,
      headers,
      user,
      node: node.name,
      virtualProxy: prefix,
      audit: { log: this.ctx.audit, profile: profile.id },
      ...(vp.sessionCookieHeaderName !== undefined ? { sessionCookieName: vp.sessionCookieHeaderName } : {}),
      ...(req.reason ? { reason: req.reason } : {}),
    });
    if (judged.sessionId) this.ctx.partitions.noteSession(judged.page.partitionId, judged.sessionId, { nodeName: node.name, qps: profile.qps, prefix });
    // One jar keeps one session cookie per virtual proxy: a second user here takes the first one's windows.
    return withReplacedUser(this.ctx.partitions, judged.result, prefix);
  }

  private jwtCredential(input: Parameters<CredentialMaker>[0]): Promise<Record<string, string>> {
    const make = this.credentials.jwt;
    if (!make) throw new BackendError('NOT_ALLOWED', 'This console was started without the JWT tools.', 'Log in by ticket, session API or header.');
    return make(input);
  }
}
