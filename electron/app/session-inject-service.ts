// A login without a ticket, from the console: the core's openSessionApiLogin (core/operations/open-login.ts)
// in a partition window; this face finds the profile's site and virtual proxy, picks the window and notes
// the session on the partition.
import type { OpenResult, RequestOf } from '../../shared/ipc/contract';
import { DEFAULT_PARTITION_CHOICE } from '../../shared/partitions';
import { formatUser, type UserRef } from '../../shared/user';
import { prefixLabel } from '../../shared/virtual-proxy';
import { openSessionApiLogin } from '../core/operations/open-login';
import { BackendError } from './backend-error';
import { siteOf, type BackendContext } from './backend-context';
import { serviceBaseUrl } from '../core/qlik/base-url';
import { openTargetUrl, redeemingProxy } from '../core/sessions/redemption';
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
    const label = `${formatUser(user)} on ${prefixLabel(prefix)} (session API)`;
    const judged = await openSessionApiLogin({
      qps: connection.qps(profile.qps, prefix),
      vp,
      proxy: node.proxy,
      url,
      user,
      attributes: req.attributes.map((a) => ({ [a.key]: a.value })),
      node: node.name,
      virtualProxy: prefix,
      audit: { log: this.ctx.audit, profile: profile.id },
      openPage: async () => {
        const { page, created } = await this.ctx.partitions.window(req.partition ?? DEFAULT_PARTITION_CHOICE, partitionOwner(profile, caPem, label));
        return { page, abandon: () => this.ctx.partitions.abandon(page, created) };
      },
      ...(req.reason ? { reason: req.reason } : {}),
    });
    if (judged.sessionId) this.ctx.partitions.noteSession(judged.page.partitionId, judged.sessionId, { nodeName: node.name, qps: profile.qps, prefix });
    return withReplacedUser(this.ctx.partitions, judged.result, prefix);
  }
}
