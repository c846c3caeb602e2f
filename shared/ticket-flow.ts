// The ticket flow as steps between its four parties (browser, proxy, authentication module, QPS), each
// with the time it took where it was measured: what the console draws as a sequence diagram and lists
// as its table equivalent. Pure, so the main process builds it from what it timed and the renderer draws.
export const FLOW_LANES = ['browser', 'proxy', 'module', 'qps'] as const;
export type FlowLane = (typeof FLOW_LANES)[number];

export const FLOW_LANE_NAMES: Record<FlowLane, string> = {
  browser: 'Browser',
  proxy: 'Proxy',
  module: 'Authentication module',
  qps: 'QPS',
};

export interface FlowStep {
  from: FlowLane;
  to: FlowLane;
  /** What goes over: `POST /qps/ticket/ticket`, `302 + Set-Cookie X-Qlik-Session-ticket`. */
  label: string;
  /** Measured time, when this step was timed on its own. */
  ms?: number;
  /** A step that went wrong is drawn as the place the flow broke. */
  failed?: boolean;
  /** Why a step has no time of its own (it happens inside another step), said in the table. */
  note?: string;
}

export interface OpenTimings {
  /** The virtual proxy's prefix ('' = the default one). */
  prefix: string;
  /** The ticket request to QPS, when it was recorded (the request log's duration). */
  issueMs?: number;
  /** The browser's navigation with the ticket until the page loaded (the proxy's redemption inside it). */
  redeemMs: number;
  /** The answer the navigation ended on. */
  status: number;
  /** The session cookie the proxy set, when it set one. */
  cookieName?: string;
  /** The personal API call that names the session's user, when it was made. */
  checkMs?: number;
  /** Whom the personal API named. */
  user?: string;
  established: boolean;
}

/** The steps of a ticket login as Usher, acting as the authentication module, makes and times them. */
export function openFlow(t: OpenTimings): FlowStep[] {
  const vp = t.prefix === '' ? '' : `/${t.prefix}`;
  const steps: FlowStep[] = [
    { from: 'module', to: 'qps', label: `POST /qps${vp}/ticket`, ...(t.issueMs !== undefined ? { ms: t.issueMs } : {}) },
    { from: 'module', to: 'browser', label: 'redirect with ?qlikTicket=' },
    { from: 'browser', to: 'proxy', label: `GET ${vp}/hub/?qlikTicket=…`, ms: t.redeemMs, failed: t.status >= 400 || t.status === 0 },
    { from: 'proxy', to: 'qps', label: 'validate the ticket (one use)', note: 'inside the GET' },
    {
      from: 'proxy',
      to: 'browser',
      label: t.cookieName ? `${t.status} + Set-Cookie ${t.cookieName}` : `${t.status}, no session cookie`,
      note: 'inside the GET',
      failed: !t.cookieName,
    },
  ];
  if (t.checkMs !== undefined) {
    steps.push({ from: 'browser', to: 'proxy', label: `GET ${vp}/qps/user → ${t.user ?? 'no user'}`, ms: t.checkMs, failed: !t.established });
  }
  return steps;
}

/** One line per step for the text alternative: `3. Browser → Proxy: GET /ticket/hub/… (41 ms)`. */
export function describeFlow(steps: readonly FlowStep[], formatMs: (ms: number) => string): string[] {
  return steps.map((s, i) => {
    const time = s.ms !== undefined ? ` (${formatMs(s.ms)})` : s.note ? ` (${s.note})` : '';
    return `${i + 1}. ${FLOW_LANE_NAMES[s.from]} → ${FLOW_LANE_NAMES[s.to]}: ${s.label}${time}${s.failed ? ' — failed' : ''}`;
  });
}

/** Where the trust check's test ticket got to, timed in the core as it went. */
export interface TrustTicketTimings {
  /** The virtual proxy's prefix ('' = the default one). */
  prefix: string;
  /** The session cookie the virtual proxy sets. */
  cookieName: string;
  /** POST /qps/{prefix}/ticket. */
  issueMs?: number;
  /** The browser's GET of the hub with the ticket, redirects followed. */
  redeemMs?: number;
  status?: number;
  /** The proxy set the session cookie. */
  cookieSet?: boolean;
  /** GET /qps/{prefix}/session/{id}: whose session the cookie holds. */
  lookupMs?: number;
  user?: string;
  /** DELETE /qps/{prefix}/session/{id}: the test session ended. */
  endMs?: number;
  /** The stage the check stopped at, when it failed. */
  failedAt?: 'issue' | 'redeem' | 'lookup' | 'end';
}

/**
 * The trust check's test ticket as steps: Usher plays the authentication module, mints the ticket,
 * redeems it in a browser of its own, asks QPS whose session the cookie holds and ends it. Steps stop
 * where the check stopped; the one it failed at is drawn as failed.
 */
export function trustTicketFlow(t: TrustTicketTimings): FlowStep[] {
  const vp = t.prefix === '' ? '' : `/${t.prefix}`;
  const timed = (ms: number | undefined) => (ms !== undefined ? { ms } : {});
  const steps: FlowStep[] = [{ from: 'module', to: 'qps', label: `POST /qps${vp}/ticket`, ...timed(t.issueMs), failed: t.failedAt === 'issue' }];
  if (t.failedAt === 'issue') return steps;
  steps.push(
    { from: 'module', to: 'browser', label: 'redirect with ?qlikTicket=', note: 'Usher hands the ticket to its own browser' },
    { from: 'browser', to: 'proxy', label: `GET ${vp}/hub/?qlikTicket=…`, ...timed(t.redeemMs), failed: t.failedAt === 'redeem' },
  );
  if (t.redeemMs === undefined) return steps;
  steps.push(
    { from: 'proxy', to: 'qps', label: 'validate the ticket (one use)', note: 'inside the GET' },
    {
      from: 'proxy',
      to: 'browser',
      label: t.cookieSet ? `${t.status ?? ''} + Set-Cookie ${t.cookieName}`.trim() : `${t.status ?? ''}, no ${t.cookieName} cookie`.trim(),
      note: 'inside the GET',
      failed: !t.cookieSet,
    },
  );
  if (!t.cookieSet) return steps;
  steps.push({ from: 'module', to: 'qps', label: `GET /qps${vp}/session/… → ${t.user ?? 'no user'}`, ...timed(t.lookupMs), failed: t.failedAt === 'lookup' });
  if (t.lookupMs === undefined || t.failedAt === 'lookup') return steps;
  steps.push({ from: 'module', to: 'qps', label: `DELETE /qps${vp}/session/…`, ...timed(t.endMs), failed: t.failedAt === 'end' });
  return steps;
}
