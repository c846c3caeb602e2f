// The trust check as the UI and the CLI see it: named steps, each with a status, its time and, when it
// fails, the cause and the fix. No secrets ever appear here.

export type TrustStepId = 'files' | 'chain' | 'tcp' | 'server-cert' | 'client-cert' | 'qrs' | 'discovery' | 'ticket';
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
};

export const TRUST_STEP_ORDER: TrustStepId[] = ['files', 'chain', 'tcp', 'server-cert', 'client-cert', 'qrs', 'discovery', 'ticket'];
