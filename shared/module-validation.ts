// The authentication-module validator as the console and the CLI see it: graded steps with evidence and
// timing, plus the observations the simulated site hands the validator (what QPS and the proxy saw).
// Pure data, no Node or DOM: the renderer will show the steps live.
import type { FlowLane, FlowStep } from './ticket-flow';
import type { UserRef } from './user';

export type ValidationStepId =
  'redirect' | 'login' | 'ticket-request' | 'redirect-back' | 'session-user' | 'engine-socket' | 'replay' | 'impostor-qps' | 'stale-target' | 'parallel';

export type ValidationStepStatus = 'running' | 'pass' | 'warn' | 'fail' | 'skipped';

export interface ValidationStep {
  id: ValidationStepId;
  title: string;
  status: ValidationStepStatus;
  /** The verdict in one line. */
  detail: string;
  /** What was seen, one fact per line (tickets masked). */
  evidence: string[];
  /** Milliseconds the step measured (see VALIDATION_STEP_TIMING); absent while running or when skipped. */
  ms?: number;
}

export interface ValidationReport {
  /** True when no step failed (warnings allowed). */
  ok: boolean;
  moduleUrl: string;
  startedAt: string;
  steps: ValidationStep[];
  /** The main login as the four parties saw it, each arrow with its step's measured time (validatorFlow). */
  flow?: FlowStep[];
}

export const VALIDATION_STEP_ORDER: ValidationStepId[] = [
  'redirect',
  'login',
  'ticket-request',
  'redirect-back',
  'session-user',
  'engine-socket',
  'replay',
  'impostor-qps',
  'stale-target',
  'parallel',
];

export const VALIDATION_STEP_TITLES: Record<ValidationStepId, string> = {
  redirect: 'Proxy sends a fresh browser to the module',
  login: 'Login at the module',
  'ticket-request': "The module's ticket request, as QPS saw it",
  'redirect-back': 'Redirect back to TargetUri with qlikTicket',
  'session-user': 'The session belongs to the claimed user',
  'engine-socket': "The browser's WebSocket to the engine works as that user",
  'impostor-qps': "Probe: the module verifies the proxy's certificate",
  replay: 'Probe: a replayed ticket URL does not log in',
  'stale-target': 'Probe: an unknown targetId',
  parallel: 'Probe: two logins in parallel',
};

/** What each step's `ms` measures, for a legend in the console and the CLI. */
export const VALIDATION_STEP_TIMING: Record<ValidationStepId, string> = {
  redirect: 'hub request to the 302',
  login: 'the whole login script',
  'ticket-request': 'from the redirect to the module until QPS received the ticket request',
  'redirect-back': 'from the ticket being issued until the browser redeemed it',
  'session-user': 'the session lookup',
  'engine-socket': 'opening the socket, the user check and opening an app',
  'impostor-qps': 'the probe login',
  replay: 'the replay',
  'stale-target': 'the probe login',
  parallel: 'both probe logins',
};

// --- observations: what the simulated site reports to the validator --------------------------------
// In-process only. `ticket` fields hold the real ticket so the validator can match QPS's answer with the
// proxy's redemption; nothing here goes to a screen unmasked (see shared/redact.ts).

export interface ObservedCertificate {
  /** `CN=QlikClient` */
  subject: string;
  issuer: string;
  fingerprint256?: string;
}

/** One HTTP request QPS answered. */
export interface QpsRequestObservation {
  kind: 'request';
  /** Epoch ms when the request arrived. */
  at: number;
  method: string;
  /** The path as sent, without the query. */
  path: string;
  tls: { clientCertificate?: ObservedCertificate; authorized: boolean; authorizationError?: string };
  xrfkey: { query?: string; header?: string };
  contentType?: string;
  /** The JSON object body as sent (key casing preserved); absent when there was none or it did not parse. */
  body?: Record<string, unknown>;
  /** The answer's status code. */
  status: number;
  /** Ticket requests that succeeded: the ticket issued and the TargetUri QPS resolved, if any. */
  ticket?: string;
  targetUri?: string;
}

/** A TLS handshake QPS refused (no or untrusted client certificate): no request ever reached QPS. */
export interface QpsHandshakeObservation {
  kind: 'handshake-failed';
  at: number;
  /** OpenSSL's code, e.g. ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE. */
  code: string;
  reason: string;
}

export type QpsObservation = QpsRequestObservation | QpsHandshakeObservation;

/** A request to the proxy front end that carried a ticket parameter. */
export interface TicketRedemptionObservation {
  at: number;
  /** The URL asked for, without the ticket parameter. */
  url: string;
  /** The parameter name as sent (`qlikTicket`, `QlikTicket`...). */
  parameterName: string;
  ticket: string;
  /** True when the proxy accepted the ticket (a session followed). */
  accepted: boolean;
  userAgent?: string;
  /** The ticket's user, when accepted. */
  user?: UserRef;
}

/** Hooks a simulated site calls as it serves; every hook is optional and must not throw. */
export interface SiteObserver {
  onQpsRequest?(observation: QpsObservation): void;
  onTicketRedemption?(observation: TicketRedemptionObservation): void;
}

/** One arrow of the validator's main login: the step that grades it, or none for what happens inside another. */
type FlowArrow = { from: FlowLane; to: FlowLane; label: string; step: ValidationStepId } | { from: FlowLane; to: FlowLane; label: string; note: string };

/**
 * The validator's main login as a sequence diagram's steps: the browser sent from the proxy to the
 * module, the login, the module's ticket request, the way back with the ticket, then the session's user
 * and the engine socket. An arrow carries its graded step's time (VALIDATION_STEP_TIMING says what each
 * measures) and is drawn failed when the step failed (a failed login can still have sent the ticket
 * request the next step grades); the flow stops at the first step that did not run, since nothing after
 * it happened. `prefix` is the validator site's virtual proxy.
 */
export function validatorFlow(steps: readonly ValidationStep[], prefix: string): FlowStep[] {
  const vp = prefix === '' ? '' : `/${prefix}`;
  const arrows: FlowArrow[] = [
    { from: 'browser', to: 'proxy', label: `GET ${vp}/hub/ (no session)`, step: 'redirect' },
    { from: 'proxy', to: 'browser', label: '302 to the module with proxyRestUri, targetId', note: 'inside the GET' },
    { from: 'browser', to: 'module', label: 'login at the module', step: 'login' },
    { from: 'module', to: 'qps', label: `POST /qps${vp}/ticket`, step: 'ticket-request' },
    { from: 'module', to: 'browser', label: 'redirect to TargetUri with ?qlikTicket=', step: 'redirect-back' },
    { from: 'browser', to: 'proxy', label: `GET ${vp}/hub/?qlikTicket=…`, note: 'timed with the redirect back' },
    { from: 'proxy', to: 'qps', label: 'validate the ticket (one use)', note: 'inside the GET' },
    { from: 'browser', to: 'proxy', label: `GET ${vp}/qps/user`, step: 'session-user' },
    { from: 'browser', to: 'proxy', label: `WebSocket ${vp}/app/engineData`, step: 'engine-socket' },
  ];
  const byId = new Map(steps.map((s) => [s.id, s]));
  const flow: FlowStep[] = [];
  for (const arrow of arrows) {
    if (!('step' in arrow)) {
      flow.push({ from: arrow.from, to: arrow.to, label: arrow.label, note: arrow.note });
      continue;
    }
    const step = byId.get(arrow.step);
    if (!step || step.status === 'skipped' || step.status === 'running') break;
    const failed = step.status === 'fail';
    flow.push({ from: arrow.from, to: arrow.to, label: arrow.label, ...(step.ms !== undefined ? { ms: step.ms } : {}), ...(failed ? { failed } : {}) });
  }
  return flow;
}
