// The trust check's test ticket and the session it ends are real: both go to the audit log, from the
// CLI and the console alike.
import { formatUser } from '../../../shared/user';
import type { AuditLog } from '../profiles';
import type { TrustCheckInput } from './trust-check';

export function auditTrustCheck(audit: AuditLog, profile: string): NonNullable<TrustCheckInput['onCreated']> {
  return (what) =>
    audit.append({
      action: what.action === 'ticket' ? 'ticket' : 'session-end',
      profile,
      node: what.node,
      virtualProxy: what.virtualProxy,
      userDirectory: what.user.userDirectory,
      userId: what.user.userId,
      reason: `trust check (${formatUser(what.user)})`,
      ...(what.action === 'ticket' ? { ticketMasked: what.value } : { sessionIdMasked: what.value }),
    });
}
