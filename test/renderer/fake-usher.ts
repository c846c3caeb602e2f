// A stand-in for the preload's `window.usher`: one vi.fn per channel answering with fixtures (override
// per test with mockResolvedValueOnce), and an emitter so tests can push main-process events.
// No DOM types here: the root tsconfig (no DOM lib) checks this file too.
import { vi, type Mock } from 'vitest';
import type { AuditEntryView } from '../../shared/audit';
import type { CertificateReport } from '../../shared/certificates';
import type { VpFinding } from '../../shared/vp-findings';
import type {
  AppState,
  ChecksRunView,
  SavedFileView,
  Channel,
  EventName,
  EventTypes,
  IpcResult,
  OpenResult,
  RequestOf,
  ResponseOf,
  TicketView,
  TrustRunView,
  UsherApi,
} from '../../shared/ipc/contract';
import type { PartitionsView } from '../../shared/partitions';
import type { Profile } from '../../shared/profile';
import type { RequestRecord } from '../../shared/request-log';
import type { SiteRemoval } from '../../shared/site-admin';
import { sharedJarRun } from './shared-jar-fixture';
import type { SessionInspectorView, SessionRowView, SessionsEndView, SessionUserGroup } from '../../shared/sessions';
import { validatorRunInfo, validatorRunView } from './validator-fixtures';

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
    {
      id: 'vp-0',
      prefix: '',
      description: 'Central Proxy (Default)',
      authenticationMethod: 0,
      sessionCookieHeaderName: 'X-Qlik-Session',
      authenticationModuleRedirectUri: '',
    },
    {
      id: 'vp-1',
      prefix: 'ticket',
      description: 'Ticket module',
      authenticationMethod: 0,
      sessionCookieHeaderName: 'X-Qlik-Session-ticket',
      authenticationModuleRedirectUri: '',
    },
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
    responseHeaders: [
      { name: 'content-type', value: 'application/json' },
      { name: 'set-cookie', value: 'X-Qlik-Session=a1b2••••••••••••; Path=/; HttpOnly; Secure' },
    ],
    site: 'demo',
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

/** The answer of files.save as the chromium host gives it: written into the downloads folder. */
export function savedFile({ what }: RequestOf<'files.save'>): SavedFileView {
  const fileName = {
    checks: what.kind === 'checks' && what.format === 'junit' ? 'usher-checks.junit.xml' : 'usher-checks.md',
    audit: 'usher-audit.csv',
    requestLog: 'usher-requests.har',
  }[what.kind];
  return { fileName, path: `/home/ann/Downloads/${fileName}`, bytes: 2048, items: 3 };
}

/** Three virtual proxies, every severity, one of them clean; sorted as the main process sorts them. */
export const checksRun: ChecksRunView = {
  runId: 'checks-run-1',
  checked: [
    { prefix: '', description: 'Central Proxy (Default)' },
    { prefix: 'ticket', description: 'Ticket module' },
    { prefix: 'header', description: 'Header' },
  ],
  findings: [
    finding({
      rule: 'embed-host-not-allowed',
      severity: 'error',
      virtualProxy: '',
      field: 'websocketCrossOriginWhiteList',
      problem: 'portal.example.com is not in the host allow list',
    }),
    finding({
      rule: 'module-unreachable',
      severity: 'error',
      virtualProxy: 'ticket',
      field: 'authenticationModuleRedirectUri',
      problem: 'the module does not answer (connection refused)',
    }),
    finding({ rule: 'extreme-timeout', severity: 'warning', virtualProxy: 'ticket', field: 'sessionInactivityTimeout' }),
    finding({ rule: 'anonymous-access', severity: 'info', virtualProxy: '', field: 'anonymousAccessMode' }),
  ],
  durationMs: 1234,
};

/**
 * The inspector's answer: MASHUP\\a1-sales at the limit (5, one held with a2 in one partition: seed 003),
 * a2 with one session, then `extraUsers` generated users with `perUser` sessions each (for big tables).
 */
export function inspectorView(options: { extraUsers?: number; perUser?: number } = {}): SessionInspectorView {
  const row = (user: string, i: number, extra: Partial<SessionRowView> = {}): SessionRowView => ({
    rowKey: `s-${user}-${i}`,
    nodeName: i % 2 === 0 ? 'central' : 'rim1',
    virtualProxy: 'ticket',
    cookieName: 'X-Qlik-Session-ticket',
    sessionIdMasked: `${String(i).padStart(4, '0')}••••••••••••`,
    userDirectory: 'MASHUP',
    userId: user,
    createdByUsher: false,
    ...extra,
  });
  const shared = { partitionId: 'ticket-1', label: 'Tab 1' };
  const a1 = Array.from({ length: 5 }, (_, i) => row('a1-sales', i, i === 0 ? { partition: shared, createdByUsher: true } : {}));
  const a2 = [row('a2-finance', 0, { partition: shared, createdByUsher: true })];
  const groups: SessionUserGroup[] = [
    { userDirectory: 'MASHUP', userId: 'a1-sales', count: 5, limit: 5, state: 'at-limit', rows: a1 },
    { userDirectory: 'MASHUP', userId: 'a2-finance', count: 1, limit: 5, state: 'ok', rows: a2 },
  ];
  const perUser = options.perUser ?? 2;
  for (let u = 0; u < (options.extraUsers ?? 0); u++) {
    const id = `user${u + 1}`;
    groups.push({
      userDirectory: 'GEN',
      userId: id,
      count: perUser,
      limit: 5,
      state: 'ok',
      rows: Array.from({ length: perUser }, (_, i) => row(id, i, { userDirectory: 'GEN' })),
    });
  }
  const total = groups.reduce((n, g) => n + g.rows.length, 0);
  return {
    profileId: 'demo',
    refreshedAt: T0,
    durationMs: 120,
    limit: 5,
    nodes: 2,
    pairs: 5,
    totalSessions: total,
    createdByUsher: 2,
    groups,
    warnings: [
      {
        kind: 'shared-jar',
        severity: 'error',
        message: 'Partition Tab 1 holds sessions of MASHUP\\a1-sales and MASHUP\\a2-finance on /ticket.',
        fix: 'Give each user their own partition.',
        rowKeys: [a1[0]!.rowKey, a2[0]!.rowKey],
      },
      {
        kind: 'session-limit',
        severity: 'warning',
        message: 'MASHUP\\a1-sales holds 5 of 5 parallel sessions.',
        fix: 'End sessions this user no longer needs.',
        rowKeys: a1.map((r) => r.rowKey),
      },
    ],
    failures: [],
  };
}

/** Two partitions of the demo site: alice's isolated one with its session cookie, and the shared one, closed. */
export const partitionsView: PartitionsView = {
  partitions: [
    {
      partitionId: 'p-1',
      label: 'DEMO\\alice on /ticket',
      kind: 'isolated',
      persistent: false,
      profileId: 'demo',
      createdAt: T0,
      windows: [{ url: 'https://localhost:8443/ticket/hub/' }],
      downloadsDir: '/data/partitions/p-1/downloads',
      downloads: [{ url: 'https://localhost:8443/ticket/tempcontent/a1/export.csv', path: '/data/partitions/p-1/downloads/export.csv', bytes: 120 }],
      cookies: [
        {
          name: 'X-Qlik-Session-ticket',
          domain: 'localhost',
          path: '/',
          secure: true,
          httpOnly: true,
          sameSite: 'None',
          valueMasked: 'a1b2••••••••••••',
          session: {
            virtualProxy: 'ticket',
            otherVirtualProxies: [],
            suffix: '',
            sessionIdMasked: 'a1b2••••••••••••',
            node: 'central',
            user: 'DEMO\\alice',
            userName: 'Alice Analyst',
          },
        },
        {
          name: 'X-Qlik-Session-HTTP',
          domain: 'localhost',
          path: '/',
          secure: false,
          httpOnly: true,
          valueMasked: 'ffff••••••••••••',
          session: {
            virtualProxy: '',
            otherVirtualProxies: [],
            suffix: '-HTTP',
            sessionIdMasked: 'ffff••••••••••••',
            problem: 'No node knows this session any more: it ended or timed out.',
          },
        },
      ],
    },
    {
      partitionId: 'shared-demo',
      label: 'shared (seed 003)',
      kind: 'shared',
      persistent: false,
      profileId: 'demo',
      createdAt: T0,
      windows: [],
      downloadsDir: '/data/partitions/shared-demo/downloads',
      downloads: [],
      cookies: [],
      cookiesNote: 'Closed: an in-memory jar ends with its last window.',
    },
  ],
  orphansRemoved: ['p-old'],
};

/** What removing a saved site removes, as the main process reports it. */
export function removal(id: string): SiteRemoval {
  return {
    profileId: id,
    name: 'Prod EU',
    profileFile: `/data/profiles/${id}.json`,
    certificates: {
      bundleId: `${id}-0123456789ab`,
      file: `/data/vault/${id}-0123456789ab.bundle`,
      clientSubject: 'CN=QlikClient',
      clientFingerprint256: 'AB:CD:EF:01:23:45:67:89:AB:CD',
    },
    keychainEntryKept: 'Secret Service',
  };
}

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

const jwtPair: ResponseOf<'jwt.keygen'> = {
  profileId: 'demo',
  createdAt: '2026-01-01T00:00:00.000Z',
  storage: 'keychain',
  certificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  subject: 'CN=Usher JWT signing',
  fingerprint256: 'AB:CD',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2028-01-01T00:00:00.000Z',
  algorithm: 'RS256',
  keyBits: 2048,
};

const jwtAccepted: ResponseOf<'jwt.verify'> = {
  ok: true,
  userDirectory: 'DEMO',
  userId: 'alice',
  attributes: [],
  userIdClaim: 'userId',
  userDirectorySource: 'userDirectory',
  notes: [],
  header: { alg: 'RS256' },
  payload: { userId: 'alice', userDirectory: 'DEMO' },
};

export function createFakeUsher(): FakeUsher {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const handlers: Handlers = {
    'app.state': answer<'app.state'>(appState),
    'profiles.list': answer<'profiles.list'>({ profiles: [demoProfile, prodProfile], problems: [], activeProfileId: 'demo' }),
    'profiles.select': vi.fn(async (request: RequestOf<'profiles.select'>) => ok({ activeProfileId: request.id })),
    'profiles.removalPlan': vi.fn(async (request: RequestOf<'profiles.removalPlan'>) => ok(removal(request.id))),
    'profiles.remove': vi.fn(async (request: RequestOf<'profiles.remove'>) => ok(removal(request.id))),
    'profiles.rename': vi.fn(async (request: RequestOf<'profiles.rename'>) => ok({ ...prodProfile, id: request.id, name: request.name })),
    'profiles.setAddresses': vi.fn(async (request: RequestOf<'profiles.setAddresses'>) =>
      ok({ ...prodProfile, id: request.id, qps: request.qps, qrs: request.qrs }),
    ),
    'profiles.export': vi.fn(async (request: RequestOf<'profiles.export'>) =>
      ok({ fileName: `${request.id}.usher-profile.json`, text: '{"format":"usher-profile"}\n' }),
    ),
    'profiles.import': vi.fn(async (request: RequestOf<'profiles.import'>) => ok({ ...prodProfile, id: 'imported', name: request.name ?? 'Imported site' })),
    'profiles.replaceCertificates': vi.fn(async (request: RequestOf<'profiles.replaceCertificates'>) =>
      ok({
        ...prodProfile,
        id: request.id,
        certificates: {
          bundleId: `${request.id}-0123456789ab`,
          clientSubject: 'CN=QlikClient',
          clientFingerprint256: 'AB:CD',
          rootSubject: 'CN=Demo-CA',
          validTo: '2030-01-01T00:00:00.000Z',
          storage: 'keychain' as const,
        },
      }),
    ),
    'certs.inspect': answer<'certs.inspect'>(certReport),
    'demo.export': answer<'demo.export'>({
      path: '/tmp/usher-demo-export',
      pfxPassphraseHint: 'The demo PFX has no password.',
      qps: 'https://localhost:4243',
      qrs: 'https://localhost:4242',
    }),
    'trust.run': answer<'trust.run'>(trustRun),
    'profiles.saveFromTrust': vi.fn(async (request: RequestOf<'profiles.saveFromTrust'>) =>
      ok({
        ...prodProfile,
        id: 'saved',
        name: request.name,
        defaultVirtualProxy: request.defaultVirtualProxy,
        defaultUserDirectory: request.defaultUserDirectory,
      }),
    ),
    'tickets.request': vi.fn(async (_request: RequestOf<'tickets.request'>) => ok(ticketView())),
    'tickets.copy': vi.fn(async (request: RequestOf<'tickets.copy'>) => ok({ copied: true as const, preview: `preview of ${request.format}` })),
    'tickets.open': answer<'tickets.open'>(openResult),
    'requestLog.list': answer<'requestLog.list'>({ records }),
    'requestLog.copy': vi.fn(async (request: RequestOf<'requestLog.copy'>) => ok({ copied: true as const, preview: `${request.format} for ${request.id}` })),
    'audit.list': answer<'audit.list'>({ entries: auditEntries, skippedLines: 0 }),
    'checks.run': answer<'checks.run'>(checksRun),
    'sessions.inspect': vi.fn(async (request: RequestOf<'sessions.inspect'>) => ok({ ...inspectorView(), profileId: request.profileId })),
    'login.as': answer<'login.as'>({
      ...openResult,
      method: 'header',
      partitionId: 'p-3',
      detail: 'session established for HEADER\\carol on /header (cookie X-Qlik-Session-header)',
      user: 'HEADER\\carol',
    }),
    'sessions.inject': answer<'sessions.inject'>({
      ...openResult,
      partitionId: 'p-2',
      detail: 'session established for DEMO\\bob on /ticket (cookie X-Qlik-Session-ticket)',
      user: 'DEMO\\bob',
    }),
    'partitions.list': answer<'partitions.list'>(partitionsView),
    'partitions.copyCookie': answer<'partitions.copyCookie'>({ copied: true, valueMasked: 'a1b2••••••••••••••••••••••••••••••••' }),
    'partitions.clear': vi.fn(async (request: RequestOf<'partitions.clear'>) => ok({ partitionId: request.partitionId })),
    'partitions.close': vi.fn(async (request: RequestOf<'partitions.close'>) => ok({ partitionId: request.partitionId })),
    'files.choose': vi.fn(async (request: RequestOf<'files.choose'>) => ok({ path: `/chosen/${request.what}` })),
    'files.save': vi.fn(async (request: RequestOf<'files.save'>) => ok(savedFile(request))),
    'partitions.focus': vi.fn(async (request: RequestOf<'partitions.focus'>) => ok({ partitionId: request.partitionId })),
    'partitions.destroy': vi.fn(async (request: RequestOf<'partitions.destroy'>) => ok({ partitionId: request.partitionId })),
    'validator.start': vi.fn(async (request: RequestOf<'validator.start'>) => ok(validatorRunInfo(request))),
    'validator.run': vi.fn(async (request: RequestOf<'validator.run'>) => ok(validatorRunView(request.runId))),
    'validator.cancel': vi.fn(async (_request: RequestOf<'validator.cancel'>) => ok({ cancelled: true })),
    'scenario.sharedJar': answer<'scenario.sharedJar'>(sharedJarRun),
    'jwt.show': answer<'jwt.show'>(null),
    'jwt.keygen': answer<'jwt.keygen'>(jwtPair),
    'jwt.mint': answer<'jwt.mint'>({
      tokenId: 'jwt-1',
      tokenMasked: 'eyJh••••••••••••',
      header: { alg: 'RS256', typ: 'JWT' },
      payload: { userId: 'alice', userDirectory: 'DEMO' },
      expiresAt: '2026-01-01T00:10:00.000Z',
      verdict: jwtAccepted,
    }),
    'jwt.copy': answer<'jwt.copy'>({ copied: true, preview: 'eyJhbGciOiJS…' }),
    'jwt.verify': answer<'jwt.verify'>(jwtAccepted),
    'validator.copyPassphrase': vi.fn(async (_request: RequestOf<'validator.copyPassphrase'>) => ok({ copied: true as const })),
    'sessions.end': vi.fn(async (_request: RequestOf<'sessions.end'>) =>
      ok<SessionsEndView>({
        ended: [{ nodeName: 'central', virtualProxy: 'ticket', user: 'MASHUP\\a1-sales', sessionIdMasked: 'abcd••••••••••••' }],
        failures: [],
      }),
    ),
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
