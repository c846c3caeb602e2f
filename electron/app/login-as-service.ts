// "Log in as" from the console: one request names the virtual proxy, the method, the user and the
// partition. The core's logInAs (core/operations/log-in-as.ts) does the work in a partition window this
// face picks; a ticket login goes through the Tickets screen's service, whose store keeps the ticket.
import type { LoginAsResult, RequestOf } from '../../shared/ipc/contract';
import type { LoginMethod } from '../../shared/login-as';
import { DEFAULT_PARTITION_CHOICE } from '../../shared/partitions';
import type { UserRef } from '../../shared/user';
import { logInAs, loginVirtualProxy } from '../core/operations/log-in-as';
import type { VirtualProxyConfig } from '../core/qlik';
import { BackendError } from './backend-error';
import { siteOf, type BackendContext } from './backend-context';
import { serviceBaseUrl } from '../core/qlik/base-url';
import { redeemingProxy } from '../core/sessions/redemption';
import { partitionOwner, withReplacedUser } from './partition-manager';
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
    private readonly credentials: Partial<Record<LoginMethod, CredentialMaker>> = {},
  ) {}

  async login(req: RequestOf<'login.as'>): Promise<LoginAsResult> {
    const { method } = req;
    const profile = await this.ctx.profiles.get(req.profileId);
    const { connection, caPem } = await siteOf(this.ctx, profile);
    const qrs = serviceBaseUrl(profile.qrs, 'qrs');
    const where = { target: req.target, ...(req.partition ? { partition: req.partition } : {}) };
    if (method === 'ticket') {
      // The console's tickets live in its store (the flow picture, the copy of the call), so a ticket
      // login goes through the Tickets screen's own path, which mints and opens by the same core operations.
      await loginVirtualProxy({ connection, qrs, virtualProxy: req.virtualProxy, method, siteName: profile.name });
      const ticket = await this.tickets.request({
        profileId: req.profileId,
        virtualProxy: req.virtualProxy,
        userDirectory: req.userDirectory,
        userId: req.userId,
        attributes: req.attributes,
        ...(req.reason !== undefined ? { reason: req.reason } : {}),
      });
      return { ...(await this.tickets.open({ ticketId: ticket.ticketId, ...where })), method };
    }
    const node = redeemingProxy(profile);
    const judged = await logInAs({
      connection,
      qrs,
      qps: profile.qps,
      node,
      siteName: profile.name,
      virtualProxy: req.virtualProxy,
      method,
      user: { userDirectory: req.userDirectory, userId: req.userId },
      attributes: req.attributes.map((a) => ({ [a.key]: a.value })),
      target: req.target,
      audit: { log: this.ctx.audit, profile: profile.id },
      ...(req.reason ? { reason: req.reason } : {}),
      openPage: async (label) => {
        const { page, created } = await this.ctx.partitions.window(req.partition ?? DEFAULT_PARTITION_CHOICE, partitionOwner(profile, caPem, label));
        return { page, abandon: () => this.ctx.partitions.abandon(page, created) };
      },
      jwtHeaders: (vp, user, attributes) => this.jwtCredential({ profileId: profile.id, vp, user, attributes }),
    });
    const prefix = req.virtualProxy;
    if (judged.sessionId) this.ctx.partitions.noteSession(judged.page.partitionId, judged.sessionId, { nodeName: node.name, qps: profile.qps, prefix });
    // One jar keeps one session cookie per virtual proxy: a second user here takes the first one's windows.
    return { ...withReplacedUser(this.ctx.partitions, judged.result, prefix), method };
  }

  private jwtCredential(input: Parameters<CredentialMaker>[0]): Promise<Record<string, string>> {
    const make = this.credentials.jwt;
    if (!make) throw new BackendError('NOT_ALLOWED', 'This console was started without the JWT tools.', 'Log in by ticket, session API or header.');
    return make(input);
  }
}
