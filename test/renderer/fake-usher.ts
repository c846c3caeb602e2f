// A stand-in for the preload's `window.usher`: one vi.fn per channel answering with fixtures (override
// per test with mockResolvedValueOnce), and an emitter so tests can push main-process events.
// No DOM types here: the root tsconfig (no DOM lib) checks this file too.
import { vi, type Mock } from 'vitest';
import type { AuditEntryView } from '../../shared/audit';
import type { CertificateReport } from '../../shared/certificates';
import type { VpFinding } from '../../shared/vp-findings';
import type { AppState, ChecksRunView, Channel, EventName, EventTypes, IpcResult, OpenResult, RequestOf, ResponseOf, TicketView, TrustRunView, UsherApi } from '../../shared/ipc/contract';
import type { Profile } from '../../shared/profile';
import type { RequestRecord } from '../../shared/request-log';

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function fail(code: string, message: string, hint?: string): IpcResult<never> {
  return { ok: false, error: hint === undefined ? { code, message } : { code, message, hint } };
}

const T0 = '2025-01-31T12:00:00.000Z';

export const demoProfile: Profile = {
  id: 'demo',
  name: 'Demo site',
  qps: 'https://localhost:4243',
  qrs: 'https://localhost:4242',
  defaultVirtualProxy: '',
  defaultUserDirectory: 'DEMO',
  nodes: [{ name: 'Central', hostName: 'central.demo.local', qps: 'https://localhost:4243', virtualProxies: ['', 'ticket'] }],
  virtualProxies: [
    { id: 'vp-0', prefix: '', description: 'Central Proxy (Default)', authenticationMethod: 0, sessionCookieHeaderName: 'X-Qlik-Session', authenticationModuleRedirectUri: '' },
    { id: 'vp-1', prefix: 'ticket', description: 'Ticket module', authenticationMethod: 0, sessionCookieHeaderName: 'X-Qlik-Session-ticket', authenticationModuleRedirectUri: '' },
  ],
  builtIn: true,
  createdAt: T0,
  updatedAt: T0,
};

export const prodProfile: Profile = {
  ...demoProfile,
  id: 'prod-eu',
  name: 'Prod EU',
  qps: 'https://qlik.example.com:4243',
  qrs: 'https://qlik.example.com:4242',
  defaultVirtualProxy: 'ticket',
  defaultUserDirectory: 'CORP',
  nodes: [{ name: 'Node A', hostName: 'qlik-a.example.com', qps: 'https://qlik-a.example.com:4243', virtualProxies: ['ticket'] }],
  builtIn: false,
};

export const appState: AppState = {
  host: 'chromium',
  vault: { kind: 'keychain', keychain: 'Secret Service' },
  activeProfileId: 'demo',
  demo: { running: true, nodes: [{ name: 'Central', hub: 'https://localhost:8443/hub', qps: 'https://localhost:4243', qrs: 'https://localhost:4242' }] },
};

const cert = {
  issuer: 'CN=Demo-CA',
  serialNumber: '01',
  fingerprint256: 'AB:CD',
  subjectAltNames: [],
  validFrom: '2025-01-01T00:00:00.000Z',
  validTo: '2030-01-01T00:00:00.000Z',
  extendedKeyUsage: ['clientAuth'],
};

export const certReport: CertificateReport = {
  ok: true,
  client: { ...cert, subject: 'CN=QlikClient', isCa: false },
  root: { ...cert, subject: 'CN=Demo-CA', isCa: true },
  findings: [
    { id: 'key-matches', status: 'pass', title: 'Key matches the certificate', detail: 'client_key.pem belongs to client.pem' },
    { id: 'expiring-soon', status: 'warn', title: 'Expiry', detail: 'Expires in 20 days', fix: 'Export new certificates from the QMC.' },
  ],
};

export const trustRun: TrustRunView = {
  runId: 'run-1',
  ok: true,
  steps: [
    { id: 'files', title: 'Certificate files found and parsed', status: 'pass', ms: 3 },
    { id: 'chain', title: 'Certificate chain and validity', status: 'pass', ms: 2 },
  ],
  nodes: [{ name: 'Central', hostName: 'central.demo.local', qps: 'https://localhost:4243', virtualProxies: ['', 'ticket'] }],
  virtualProxies: [
    { prefix: '', description: 'Central Proxy (Default)', authenticationMethod: 0, sessionCookieHeaderName: 'X-Qlik-Session' },
    { prefix: 'ticket', description: 'Ticket module', authenticationMethod: 0, sessionCookieHeaderName: 'X-Qlik-Session-ticket' },
  ],
};

/** A ticket issued "now" (call after vi.useFakeTimers/setSystemTime when a test depends on it). */
export function ticketView(overrides: Partial<TicketView> = {}): TicketView {
  return {
    ticketId: 't-1',
    ticketMasked: 'iokr••••••••••••',
    user: 'DEMO\\alice',
    virtualProxy: 'ticket',
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    targetUri: 'https://localhost:8443/ticket/hub',
    redirectUrlMasked: 'https://localhost:8443/ticket/hub?qlikTicket=iokr••••••••••••',
    ...overrides,
  };
}

export const openResult: OpenResult = {
  partitionId: 'p-1',
  established: true,
  user: 'DEMO\\alice',
  status: 200,
  finalUrl: 'https://localhost:8443/ticket/hub/',
  detail: 'The hub answered as DEMO\\alice.',
};

export const records: RequestRecord[] = [
  {
    id: 1,
    service: 'qrs',
    method: 'GET',
    url: 'https://localhost:4242/qrs/about?xrfkey=abcdefghijklmnop',
    status: 200,
    startedAt: T0,
    durationMs: 12,
    responseBody: '{"buildVersion":"14.0"}',
    headers: { 'X-Qlik-Xrfkey': 'abcdefghijklmnop', 'X-Qlik-User': 'UserDirectory=INTERNAL; UserId=sa_repository' },
  },
  {
    id: 2,
    service: 'qps',
    method: 'POST',
    url: 'https://localhost:4243/qps/ticket/ticket?xrfkey=abcdefghijklmnop',
    status: 201,
    startedAt: T0,
    durationMs: 40,
    requestBody: '{"UserDirectory":"DEMO","UserId":"alice"}',
    responseBody: '{"Ticket":"iokr••••••••••••"}',
  },
];

/** Newest first, as the main process answers: two sites, a trust check, every kind of value. */
export const auditEntries: AuditEntryView[] = [
  {
    at: '2025-01-31T12:05:00.000Z',
    action: 'session-create',
    profile: 'demo',
    node: 'Central',
    virtualProxy: 'ticket',
    userDirectory: 'DEMO',
    userId: 'alice',
    reason: 'opened in partition p-1',
    sessionIdMasked: 'a1b2••••••••••••',
  },
  {
    at: '2025-01-31T12:04:00.000Z',
    action: 'ticket',
    profile: 'demo',
    node: 'Central',
    virtualProxy: 'ticket',
    userDirectory: 'DEMO',
    userId: 'alice',
    reason: 'support case 42',
    ticketMasked: 'iokr••••••••••••',
  },
  {
    at: '2025-01-30T09:00:00.000Z',
    action: 'ticket',
    profile: 'prod-eu',
    node: 'Node A',
    virtualProxy: '',
    userDirectory: 'CORP',
    userId: 'bob',
    reason: '',
    ticketMasked: 'zzzz••••••••••••',
  },
  {
    at: '2025-01-29T08:00:00.000Z',
    action: 'session-end',
    profile: '(trust check localhost:4243)',
    virtualProxy: 'ticket',
    userDirectory: 'DEMO',
    userId: 'trust',
    reason: 'trust check (DEMO\\trust)',
    sessionIdMasked: 'ffff••••••••••••',
  },
];

const finding = (overrides: Partial<VpFinding> & Pick<VpFinding, 'rule' | 'severity' | 'virtualProxy' | 'field'>): VpFinding => ({
  description: overrides.virtualProxy === '' ? 'Central Proxy (Default)' : overrides.virtualProxy === 'ticket' ? 'Ticket module' : 'Header',
  problem: `problem of ${overrides.rule}`,
  fix: `fix for ${overrides.rule}`,
  ...overrides,
});

/** Three virtual proxies, every severity, one of them clean; sorted as the main process sorts them. */
export const checksRun: ChecksRunView = {
  checked: [
    { prefix: '', description: 'Central Proxy (Default)' },
    { prefix: 'ticket', description: 'Ticket module' },
    { prefix: 'header', description: 'Header' },
  ],
  findings: [
    finding({ rule: 'embed-host-not-allowed', severity: 'error', virtualProxy: '', field: 'websocketCrossOriginWhiteList', problem: 'portal.example.com is not in the host allow list' }),
    finding({ rule: 'module-unreachable', severity: 'error', virtualProxy: 'ticket', field: 'authenticationModuleRedirectUri', problem: 'the module does not answer (connection refused)' }),
    finding({ rule: 'extreme-timeout', severity: 'warning', virtualProxy: 'ticket', field: 'sessionInactivityTimeout' }),
    finding({ rule: 'anonymous-access', severity: 'info', virtualProxy: '', field: 'anonymousAccessMode' }),
  ],
  durationMs: 1234,
};

type Handler<C extends Channel> = Mock<(request: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>>>;
type Handlers = { [C in Channel]: Handler<C> };

export type FakeUsher = Handlers & {
  on: UsherApi['on'];
  /** Delivers an event to every listener, as the main process would. */
  emit<E extends EventName>(event: E, payload: EventTypes[E]): void;
  listenerCount(event: EventName): number;
};

function answer<C extends Channel>(value: ResponseOf<C>): Handler<C> {
  return vi.fn(async (_request: RequestOf<C>) => ok(value));
}

export function createFakeUsher(): FakeUsher {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const handlers: Handlers = {
    'app.state': answer<'app.state'>(appState),
    'profiles.list': answer<'profiles.list'>({ profiles: [demoProfile, prodProfile], problems: [], activeProfileId: 'demo' }),
    'profiles.select': vi.fn(async (request: RequestOf<'profiles.select'>) => ok({ activeProfileId: request.id })),
    'profiles.remove': vi.fn(async (request: RequestOf<'profiles.remove'>) => ok({ removed: request.id })),
    'certs.inspect': answer<'certs.inspect'>(certReport),
    'demo.export': answer<'demo.export'>({ path: '/tmp/usher-demo-export', pfxPassphraseHint: 'The demo PFX has no password.', qps: 'https://localhost:4243', qrs: 'https://localhost:4242' }),
    'trust.run': answer<'trust.run'>(trustRun),
    'profiles.saveFromTrust': vi.fn(async (request: RequestOf<'profiles.saveFromTrust'>) =>
      ok({ ...prodProfile, id: 'saved', name: request.name, defaultVirtualProxy: request.defaultVirtualProxy, defaultUserDirectory: request.defaultUserDirectory }),
    ),
    'tickets.request': vi.fn(async (_request: RequestOf<'tickets.request'>) => ok(ticketView())),
    'tickets.copy': vi.fn(async (request: RequestOf<'tickets.copy'>) => ok({ copied: true as const, preview: `preview of ${request.format}` })),
    'tickets.open': answer<'tickets.open'>(openResult),
    'requestLog.list': answer<'requestLog.list'>({ records }),
    'requestLog.copy': vi.fn(async (request: RequestOf<'requestLog.copy'>) => ok({ text: `${request.format} for ${request.id}` })),
    'audit.list': answer<'audit.list'>({ entries: auditEntries, skippedLines: 0 }),
    'checks.run': answer<'checks.run'>(checksRun),
  };
  return {
    ...handlers,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: typeof payload) => void)(payload);
    },
    listenerCount(event) {
      return listeners.get(event)?.size ?? 0;
    },
  };
}

/** Puts a fresh fake where the renderer looks for the preload's API. */
export function installFakeUsher(): FakeUsher {
  const fake = createFakeUsher();
  (globalThis as { usher?: UsherApi }).usher = fake;
  return fake;
}

export function removeFakeUsher(): void {
  delete (globalThis as { usher?: UsherApi }).usher;
}
