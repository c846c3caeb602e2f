// The trust check as a person runs it, from `usher profile check` or the console's trust wizard: the
// core's check, with one audit behaviour whichever face asked. Its test ticket and the session it ends
// are real, so both are recorded, the session by masked id and digest as every ended session is.
import { maskSecret } from '../../../shared/redact';
import { formatUser } from '../../../shared/user';
import type { TrustStep } from '../../../shared/trust-check';
import { runTrustCheck, type TrustCheckInput, type TrustCheckResult } from '../checks/trust-check';
import { auditedSessionId } from '../sessions/session-inspector';
import type { AuditTrail } from './site';

export interface CheckTrustInput extends Omit<TrustCheckInput, 'onCreated'> {
  audit: AuditTrail;
}

export function checkTrust(input: CheckTrustInput, onStep?: (step: TrustStep) => void): Promise<TrustCheckResult> {
  const { audit, ...check } = input;
  return runTrustCheck(
    {
      ...check,
      onCreated: (what) =>
        audit.log.append({
          action: what.action === 'ticket' ? 'ticket' : 'session-end',
          profile: audit.profile,
          node: what.node,
          virtualProxy: what.virtualProxy,
          userDirectory: what.user.userDirectory,
          userId: what.user.userId,
          reason: `trust check (${formatUser(what.user)})`,
          ...(what.action === 'ticket' ? { ticketMasked: maskSecret(what.value) } : auditedSessionId(what.value)),
        }),
    },
    onStep,
  );
}
