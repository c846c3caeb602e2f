// The seed-003 scenario wired to a real site connection: tickets and session ends through the node's
// QPS, and every ticket and session recorded in the audit log (masked, with the session's digest), as
// the house rule asks of everything that creates or ends one. The CLI and the console both use this.
import type { UserRef } from '../../../shared/user';
import { mintTicket } from '../operations/mint-ticket';
import type { AuditLog } from '../profiles';
import type { QlikConnection } from '../qlik';
import { auditedSessionId } from '../sessions/session-inspector';
import type { SharedJarOptions } from './shared-jar';

export interface SiteHooksInput {
  connection: QlikConnection;
  /** The QPS base URL of the node whose proxy the tabs use. */
  qps: string;
  virtualProxy: string;
  audit: AuditLog;
  /** Profile id (or a label) and node name for the audit entries. */
  profile: string;
  node: string;
  reason: string;
}

export function siteHooks(input: SiteHooksInput): Pick<SharedJarOptions, 'ticket' | 'onSession' | 'endSession'> {
  const qps = input.connection.qps(input.qps, input.virtualProxy);
  const entry = (user: UserRef) => ({
    profile: input.profile,
    node: input.node,
    virtualProxy: input.virtualProxy,
    userDirectory: user.userDirectory,
    userId: user.userId,
    reason: input.reason,
  });
  return {
    async ticket(user) {
      // The one minting operation: audited before it is used, so no ticket exists that the log does not know about.
      const minted = await mintTicket({
        connection: input.connection,
        qps: input.qps,
        virtualProxy: input.virtualProxy,
        request: { userDirectory: user.userDirectory, userId: user.userId },
        node: input.node,
        reason: input.reason,
        audit: { log: input.audit, profile: input.profile },
      });
      return minted.ticket;
    },
    async onSession(user, sessionId, jarCase) {
      await input.audit.append({
        action: 'session-create',
        ...entry(user),
        reason: `${input.reason} (${jarCase} case)`,
        ...auditedSessionId(sessionId),
      });
    },
    async endSession(user, sessionId, jarCase) {
      await qps.deleteSession(sessionId);
      await input.audit.append({
        action: 'session-end',
        ...entry(user),
        reason: `${input.reason} (${jarCase} case, ended after the run)`,
        ...auditedSessionId(sessionId),
      });
    },
  };
}
