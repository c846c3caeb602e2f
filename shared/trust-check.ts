// The trust check as the UI and the CLI see it: named steps, each with a status, its time and, when it
// fails, the cause and the fix. No secrets ever appear here.

import type { FlowStep } from './ticket-flow';

export type TrustStepId = 'files' | 'chain' | 'tcp' | 'server-cert' | 'client-cert' | 'qrs' | 'discovery' | 'ticket' | 'socket';
export type TrustStepStatus = 'running' | 'pass' | 'warn' | 'fail' | 'skipped';

export interface TrustStep {
  id: TrustStepId;
  title: string;
  status: TrustStepStatus;
  /** Milliseconds the step took (absent while running or when skipped). */
  ms?: number;
  /** What was found, in one line. */
  detail?: string;
  /** On failure: why, and what to do about it. */
  cause?: string;
  fix?: string;
  /** A typed error code from the core when one explains the failure (e.g. HOST_MISMATCH). */
  code?: string;
  /**
   * On failure, when the site misbehaved before the step could make its own check (a timeout, a server
   * error, a malformed answer): that fault in words. Absent when the check itself found the problem.
   */
  fault?: string;
  /** Further lines of what the step found, one per finding (the WebSocket diagnosis names each piece). */
  findings?: string[];
  /** The test ticket's flow (the ticket step), each stage timed where it ran: the sequence diagram. */
  flow?: FlowStep[];
}

export const TRUST_STEP_TITLES: Record<TrustStepId, string> = {
  files: 'Certificate files found and parsed',
  chain: 'Certificate chain and validity',
  tcp: 'QPS reachable over TCP',
  'server-cert': 'Server certificate verified against root.pem',
  'client-cert': 'Client certificate accepted by QPS',
  qrs: 'QRS reachable with X-Qlik-User',
  discovery: 'Nodes and virtual proxies discovered',
  ticket: 'A test ticket redeemed, its session ended',
  socket: "A mashup's engine WebSocket, piece by piece",
};

export const TRUST_STEP_ORDER: TrustStepId[] = ['files', 'chain', 'tcp', 'server-cert', 'client-cert', 'qrs', 'discovery', 'ticket'];

/** Run only when asked (an origin to diagnose), after the others: listed apart, never shown as pending. */
export const OPTIONAL_TRUST_STEPS: TrustStepId[] = ['socket'];

/**
 * The last line of a trust check that did not pass: the step it stopped at and why. A site fault (a
 * timeout, a 5xx, a malformed answer) is named as such, so that a step whose subject was fine (a client
 * certificate the TLS handshake accepted) is not blamed for it. Undefined when no step failed.
 */
export function trustCheckStopLine(steps: TrustStep[]): string | undefined {
  const index = steps.findIndex((s) => s.status === 'fail');
  const step = steps[index];
  if (!step) return undefined;
  const where = `step ${TRUST_STEP_ORDER.indexOf(step.id) + 1} "${step.title}"`;
  const cause = step.cause ?? 'no cause given';
  return step.fault
    ? `the trust check stopped at ${where} on a site fault (${step.fault}), before the step could check anything: ${cause}`
    : `the trust check failed at ${where}: ${cause}`;
}
