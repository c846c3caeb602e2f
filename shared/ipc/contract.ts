// The IPC contract between the console (renderer) and the main process: every channel, its request
// schema (checked at runtime by the router) and its response type. The renderer only ever sees
// non-secret views: certificate summaries, masked tickets and session ids, redacted request records.
import type { AuditEntryView } from '../audit';
import type { CertificateReport } from '../certificates';
import { QLIK_JWT_ALGORITHMS, type JwtSigningPairSummary, type JwtVerdict } from '../jwt';
import type { LoginMethod } from '../login-as';
import type { Profile } from '../profile';
import { PARTITION_ID_PATTERN, type PartitionsView } from '../partitions';
import type { RequestRecord } from '../request-log';
import type { SiteRemoval } from '../site-admin';
import type { ConsoleCommand } from '../sections';
import type { SessionInspectorView, SessionsEndView } from '../sessions';
import type { SharedJarProgress, SharedJarReport } from '../shared-jar';
import type { FlowStep } from '../ticket-flow';
import type { TrustStep } from '../trust-check';
import type { VpFinding } from '../vp-findings';
import type { ValidationReport, ValidationStep } from '../module-validation';
import { boolean, empty, list, literal, number, oneOf, optional, record, text, union, type Infer, type Schema } from '../schema';

// ---------------------------------------------------------------------------------------------------
// Request schemas

/** The formats the checks export to (as `usher check --format`). */
export const CHECKS_EXPORT_FORMATS = ['markdown', 'junit'] as const;

const path = text({ min: 1, max: 4096 });
const baseUrl = text({ min: 8, max: 2048, pattern: /^https:\/\/[^\s/?#]+\/?$/ });
const prefix = text({ max: 100, pattern: /^[a-z0-9\-._~]*$/ });
const id = text({ min: 1, max: 128, pattern: /^[A-Za-z0-9._:-]+$/ });
/** A partition id names a folder on disk: the hosts' own pattern (no ".", ".." or hidden name). */
const partitionId = text({ min: 1, max: 100, pattern: PARTITION_ID_PATTERN });
const userPart = text({ min: 1, max: 256 });
/** An https URL; the main process keeps only its origin (a pasted page address works too). */
const httpsUrl = text({ min: 9, max: 2048, pattern: /^https:\/\/[^\s/?#]+(?:[/?#]\S*)?$/ });

export const certificateInputSchema = union('kind', {
  folder: { kind: literal('folder'), path },
  pem: { kind: literal('pem'), certPath: path, keyPath: path, caPath: path },
  pfx: { kind: literal('pfx'), pfxPath: path, caPath: optional(path) },
});

const certificatesRequest = record({ input: certificateInputSchema, passphrase: optional(text({ max: 1024 })) });

/** Where a ticket or an injected session lands: the hub, an app, or an address on the issuing proxy. */
const openTarget = union('kind', {
  hub: { kind: literal('hub') },
  app: { kind: literal('app'), appId: text({ min: 1, max: 256 }) },
  url: { kind: literal('url'), url: text({ min: 8, max: 4096, pattern: /^https:\/\// }) },
});

/** Which browser partition (cookie jar): see shared/partitions.ts PartitionChoice. */
const partitionChoice = union('kind', {
  new: { kind: literal('new'), persistent: optional(boolean) },
  existing: { kind: literal('existing'), partitionId },
  shared: { kind: literal('shared') },
});

const partitionRef = record({ partitionId });

/** One tab of the seed-003 scenario: its user, its app, and optionally the image and export to ask for. */
const sharedJarSide = record({
  userDirectory: userPart,
  userId: userPart,
  appId: text({ min: 1, max: 256 }),
  image: optional(text({ min: 1, max: 1024, pattern: /^[^\s?#]+$/ })),
  export: optional(text({ min: 1, max: 1024, pattern: /^[^\s?#]+$/ })),
});

/** Who is logged in where: a session-API injection and a "Log in as" alike. */
const loginFields = {
  profileId: id,
  virtualProxy: prefix,
  userDirectory: userPart,
  userId: userPart,
  attributes: list(record({ key: text({ min: 1, max: 256 }), value: text({ max: 4096 }) }), 200),
  target: openTarget,
  partition: optional(partitionChoice),
  reason: optional(text({ max: 500 })),
};

export const requestSchemas = {
  /** Where the console stands: host, vault, demo site, active profile. */
  'app.state': empty,
  'profiles.list': empty,
  'profiles.select': record({ id }),
  /** What removing the site would remove (file, vault bundle) and what it keeps (the keychain entry). */
  'profiles.removalPlan': record({ id }),
  'profiles.remove': record({ id }),
  /** The same site (id, certificates) under a new name. */
  'profiles.rename': record({ id, name: text({ min: 1, max: 100 }) }),
  /** New QPS/QRS addresses for a saved site; nodes and virtual proxies stay until the next trust check. */
  'profiles.setAddresses': record({ id, qps: baseUrl, qrs: baseUrl }),
  /** The site as portable JSON, without any secret (as `usher profile export`). */
  'profiles.export': record({ id }),
  /** A site exported elsewhere (as `usher profile import`): a new site, without certificates. */
  'profiles.import': record({ text: text({ min: 1, max: 1_000_000 }), name: optional(text({ min: 1, max: 100 })) }),
  /**
   * New certificates for a saved site from a trust run against its addresses (as `usher profile add
   * --replace`): the run's certificate set goes to the vault, the old bundle is removed.
   */
  'profiles.replaceCertificates': record({ id, runId: id, memoryOnly: optional(boolean) }),
  /** Reads and validates certificate files; answers with what may be shown of them. */
  'certs.inspect': certificatesRequest,
  /** The demo site's QMC-style export, written to a private temp folder, for the trust wizard. */
  'demo.export': empty,
  /**
   * The host's own file or folder picker (Electron: dialog.showOpenDialog) for the trust wizard's path
   * fields; no path when the person cancels. Hosts without one answer NOT_ALLOWED (the chromium host's
   * console uses a file input instead).
   */
  'files.choose': record({ what: oneOf('folder', 'pem', 'pfx') }),
  /**
   * Saves an export as a file. The main process renders it from what it holds (a checks run it kept, the
   * audit log, the request log), never from text the renderer sends. Electron asks where with its save
   * dialog (no path when the person cancels); the chromium host has none and saves into the downloads folder.
   */
  'files.save': record({
    what: union('kind', {
      checks: { kind: literal('checks'), runId: id, format: oneOf(...CHECKS_EXPORT_FORMATS) },
      audit: { kind: literal('audit'), profile: optional(text({ max: 200 })) },
      requestLog: { kind: literal('requestLog'), filter: optional(text({ max: 500 })) },
    }),
  }),
  /** Runs the trust check; progress arrives as `trust.step` events with the same runId. */
  'trust.run': record({
    input: certificateInputSchema,
    passphrase: optional(text({ max: 1024 })),
    qps: baseUrl,
    qrs: baseUrl,
    ticketTest: optional(record({ userDirectory: userPart, userId: userPart, virtualProxy: prefix })),
  }),
  /**
   * Saves the site of a green (or warning) trust run as a profile; its certificates go to the vault.
   * Without a usable keychain the vault keeps them in memory only: refused unless `memoryOnly` says the
   * person chose that (as `usher profile add --memory-only`).
   */
  'profiles.saveFromTrust': record({
    runId: id,
    name: text({ min: 1, max: 100 }),
    defaultVirtualProxy: prefix,
    defaultUserDirectory: text({ max: 256 }),
    memoryOnly: optional(boolean),
  }),
  'tickets.request': record({
    profileId: id,
    virtualProxy: prefix,
    userDirectory: userPart,
    userId: userPart,
    attributes: list(record({ key: text({ min: 1, max: 256 }), value: text({ max: 4096 }) }), 200),
    targetId: optional(text({ min: 1, max: 256 })),
    reason: optional(text({ max: 500 })),
  }),
  /** Copies the ticket's URL, or the request as curl / PowerShell, to the clipboard (in the main process). */
  'tickets.copy': record({ ticketId: id, format: oneOf('url', 'curl', 'powershell') }),
  /**
   * Redeems the ticket on the chosen target in the chosen partition (default: a new isolated one) and
   * reports the session.
   */
  'tickets.open': record({ ticketId: id, target: openTarget, partition: optional(partitionChoice) }),
  'requestLog.list': record({ filter: optional(text({ max: 500 })) }),
  'requestLog.copy': record({ id: text({ min: 1, max: 32, pattern: /^\d+$/ }), format: oneOf('curl', 'powershell') }),
  /** The newest audit entries (all sites, or one profile id), newest first. */
  'audit.list': record({ limit: optional(number({ min: 1, max: 5000, integer: true })), profile: optional(text({ max: 200 })) }),
  /**
   * Checks the profile's virtual proxies as QRS describes them (the rules `usher check` applies); with an
   * origin also the embedding setup for a mashup there; with `probe` one time-limited GET per module URI.
   */
  'checks.run': record({ profileId: id, origin: optional(httpsUrl), probe: boolean }),
  /**
   * A session made through the session API (POST /qps/{prefix/}session with a fresh id), its cookie set in
   * the chosen partition as the virtual proxy would set it, then the target opened. Audited.
   */
  'sessions.inject': record(loginFields),
  /**
   * "Log in as": the user logged in on the virtual proxy by one of the methods it takes (ticket, session
   * API, header, JWT), in the chosen partition; a header or bearer token goes only to the site's origin,
   * only from that partition. Audited.
   */
  'login.as': record({ ...loginFields, method: oneOf('ticket', 'session', 'header', 'jwt') }),
  /** The console's partitions: windows, downloads, cookies (values masked), each session cookie's user per QPS. */
  'partitions.list': empty,
  /**
   * Copies one cookie's value to the clipboard in the main process, on purpose (audited when it is a
   * session cookie). The value never reaches the renderer: a session cookie is a live login.
   */
  'partitions.copyCookie': record({ partitionId, name: text({ min: 1, max: 4096 }), domain: text({ max: 255 }), path: text({ max: 4096 }) }),
  /** Empties the partition's cookie jar and storage; its windows stay open. */
  'partitions.clear': partitionRef,
  /** Closes the partition's windows (a persistent partition keeps its storage). */
  'partitions.close': partitionRef,
  /** Brings the partition's newest window to the front (Electron: focus; chromium host: bringToFront). */
  'partitions.focus': partitionRef,
  /** Closes its windows, deletes its storage and downloads, forgets it. */
  'partitions.destroy': partitionRef,
  /** Every live session of the profile's site (all nodes x linked virtual proxies); progress as `sessions.progress`. */
  'sessions.inspect': record({ profileId: id }),
  /**
   * Ends sessions: one (by the row key of the last `sessions.inspect`: the renderer never holds a session
   * id), all of one user's on every node, or every one Usher created. Each ended session is audited.
   */
  'sessions.end': record({
    profileId: id,
    scope: union('kind', {
      one: { kind: literal('one'), rowKey: id },
      user: { kind: literal('user'), userDirectory: userPart, userId: userPart },
      created: { kind: literal('created') },
    }),
  }),
  /**
   * Module validator, phase one: starts the built-in site with its ticket virtual proxy pointing at the
   * module and exports the site's certificates for it. One run per console at a time. Without a login
   * script (a .js file the main process loads) the person logs in in a window the host opens.
   */
  'validator.start': record({
    moduleUrl: text({ min: 9, max: 2048, pattern: /^https:\/\/[^\s/?#]+(?:[/?#]\S*)?$/ }),
    loginScriptPath: optional(path),
    /** PEM of the CA that issued the module's HTTPS certificate, when it is not a public one. */
    moduleCaPath: optional(path),
  }),
  /** Phase two, once the module uses the exported certificates: grades every step, streamed as `validator.step`. */
  'validator.run': record({ runId: id }),
  /** Stops a started or running run; its site stops and its certificate export is removed. */
  'validator.cancel': record({ runId: id }),
  /** Copies the export's client.pfx passphrase to the clipboard in the main process (it never crosses IPC). */
  'validator.copyPassphrase': record({ runId: id }),
  /**
   * Seed 003 side by side: app A as user A in tab 1, app B as user B in tab 2, first in the site's shared
   * partition, then in a new partition each; per tab the app page, an image and an export. Progress as
   * `scenario.sharedJar.progress`. Tickets and sessions are audited; the sessions are ended afterwards.
   */
  'scenario.sharedJar': record({ profileId: id, virtualProxy: prefix, a: sharedJarSide, b: sharedJarSide }),
  /** The profile's JWT signing pair (its certificate to paste into the QMC), or null when it has none. */
  'jwt.show': record({ profileId: id }),
  /** Makes the profile's JWT signing pair (key sealed in the vault); `replace` to replace one it has. */
  'jwt.keygen': record({
    profileId: id,
    replace: boolean,
    algorithm: optional(oneOf(...QLIK_JWT_ALGORITHMS)),
    bits: optional(oneOf('2048', '3072', '4096')),
    commonName: optional(text({ min: 1, max: 64 })),
  }),
  /**
   * Mints a token for the user, named the way the virtual proxy reads its claims. The token stays in the
   * main process (like a ticket): the view holds it masked, `jwt.copy` puts it on the clipboard.
   */
  'jwt.mint': record({
    profileId: id,
    virtualProxy: prefix,
    userDirectory: text({ max: 256 }),
    userId: userPart,
    groups: list(text({ min: 1, max: 256 }), 100),
    attributes: list(record({ key: text({ min: 1, max: 256 }), value: text({ max: 4096 }) }), 200),
    expiresInSeconds: optional(number({ min: 1, max: 30 * 24 * 60 * 60, integer: true })),
  }),
  'jwt.copy': record({ tokenId: id }),
  /** What the virtual proxy will take from a token (pasted by the person), or why it refuses it. */
  'jwt.verify': record({ profileId: id, virtualProxy: prefix, token: text({ min: 1, max: 64 * 1024 }) }),
} satisfies Record<string, Schema>;

export type Channel = keyof typeof requestSchemas;
export type RequestOf<C extends Channel> = Infer<(typeof requestSchemas)[C]>;
export const CHANNELS = Object.keys(requestSchemas) as Channel[];

// ---------------------------------------------------------------------------------------------------
// Response types

export type VaultModeView = { kind: 'keychain'; keychain: string } | { kind: 'memory'; reason: string };

export interface AppState {
  host: 'electron' | 'chromium';
  vault: VaultModeView;
  activeProfileId: string;
  demo: { running: boolean; nodes: Array<{ name: string; hub: string; qps: string; qrs: string }> };
}

export interface ProfilesView {
  profiles: Profile[];
  /** Damaged profile files that were set aside. */
  problems: Array<{ file: string; reason: string }>;
  activeProfileId: string;
}

export interface TrustRunView {
  runId: string;
  ok: boolean;
  steps: TrustStep[];
  certificates?: CertificateReport;
  nodes: Array<{ name: string; hostName: string; qps: string; virtualProxies: string[] }>;
  virtualProxies: Array<{ prefix: string; description: string; authenticationMethod: number; sessionCookieHeaderName: string }>;
}

export interface TicketView {
  ticketId: string;
  /** The ticket itself never leaves the main process. */
  ticketMasked: string;
  user: string;
  virtualProxy: string;
  /** ISO 8601: issued + 60 s. */
  expiresAt: string;
  targetUri?: string;
  /** The redirect URL with the ticket masked. */
  redirectUrlMasked: string;
}

export interface OpenResult {
  partitionId: string;
  established: boolean;
  /** The user the proxy says the partition's session belongs to (personal API), when established. */
  user?: string;
  status: number;
  finalUrl: string;
  detail: string;
  /** The ticket flow's steps with their times (a ticket open), for the sequence diagram. */
  flow?: FlowStep[];
}

/** A "Log in as" outcome: the session as any open reports it, and the method that made it. */
export interface LoginAsResult extends OpenResult {
  method: LoginMethod;
}

/** A profile's JWT signing pair as the console shows it: the certificate and where the key is, never the key. */
export interface JwtSigningPairView extends JwtSigningPairSummary {
  profileId: string;
  createdAt: string;
  storage: 'keychain' | 'memory';
}

/** A minted token, masked: the claims, its expiry and what the virtual proxy will make of it. */
export interface JwtMintView {
  tokenId: string;
  tokenMasked: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  expiresAt: string;
  verdict: JwtVerdict;
}

export interface ChecksRunView {
  /** The run, for `files.save`: the main process keeps each site's last run. */
  runId: string;
  /** Every virtual proxy QRS reported, in its order ('' = the default one). */
  checked: Array<{ prefix: string; description: string }>;
  /** Errors first, then by virtual proxy. */
  findings: VpFinding[];
  durationMs: number;
}

/** An export as saved (or not, when the person cancelled the save dialog). */
export interface SavedFileView {
  fileName: string;
  path?: string;
  bytes: number;
  items: number;
}

/** A validation run's setup: what the module must be configured with. No secret: the PFX passphrase stays in main. */
export interface ValidatorRunInfo {
  runId: string;
  moduleUrl: string;
  /** The private folder holding client.pem, client_key.pem, root.pem, client.pfx; removed when the run ends. */
  certificatesDir: string;
  proxyRestUri: string;
  hubUrl: string;
  /** How the login is done: the given script, or the person in a window. */
  login: { kind: 'script'; path: string } | { kind: 'window' };
}

export interface ValidatorRunView {
  runId: string;
  report: ValidationReport;
  /** Where the certificates were, and that they are gone now (the site that issued them has stopped). */
  certificatesDir: string;
  certificatesRemoved: boolean;
}

/** The seed-003 report, for the site it ran on and the host whose partitions it used. */
export interface SharedJarRunView extends SharedJarReport {
  profileId: string;
  hostKind: 'electron' | 'chromium';
}

export interface ResponseTypes {
  'app.state': AppState;
  'profiles.list': ProfilesView;
  'profiles.select': { activeProfileId: string };
  'profiles.removalPlan': SiteRemoval;
  'profiles.remove': SiteRemoval;
  'profiles.rename': Profile;
  'profiles.setAddresses': Profile;
  /** `fileName`: a suggestion for saving it (`<id>.usher-profile.json`). */
  'profiles.export': { fileName: string; text: string };
  'profiles.import': Profile;
  'profiles.replaceCertificates': Profile;
  'certs.inspect': CertificateReport;
  'demo.export': { path: string; pfxPassphraseHint: string; qps: string; qrs: string };
  'files.choose': { path?: string };
  /** `path`: where it was written; none when the person cancelled. `items`: the findings, entries or calls in it. */
  'files.save': SavedFileView;
  'trust.run': TrustRunView;
  'profiles.saveFromTrust': Profile;
  'tickets.request': TicketView;
  'tickets.copy': { copied: true; preview: string };
  'tickets.open': OpenResult;
  'requestLog.list': { records: RequestRecord[] };
  'requestLog.copy': { copied: true; preview: string };
  /** `skippedLines`: damaged lines of the log file that were passed over (the rest still reads). */
  'audit.list': { entries: AuditEntryView[]; skippedLines: number };
  'checks.run': ChecksRunView;
  'sessions.inject': OpenResult;
  'login.as': LoginAsResult;
  'partitions.list': PartitionsView;
  /** The value went to the clipboard; the renderer gets it masked, as the list shows it. */
  'partitions.copyCookie': { copied: true; valueMasked: string };
  'partitions.clear': { partitionId: string };
  'partitions.close': { partitionId: string };
  'partitions.focus': { partitionId: string };
  'partitions.destroy': { partitionId: string };
  'sessions.inspect': SessionInspectorView;
  'sessions.end': SessionsEndView;
  'validator.start': ValidatorRunInfo;
  'validator.run': ValidatorRunView;
  'validator.cancel': { cancelled: boolean };
  'validator.copyPassphrase': { copied: true };
  'scenario.sharedJar': SharedJarRunView;
  'jwt.show': JwtSigningPairView | null;
  'jwt.keygen': JwtSigningPairView;
  'jwt.mint': JwtMintView;
  'jwt.copy': { copied: true; preview: string };
  'jwt.verify': JwtVerdict;
}

export type ResponseOf<C extends Channel> = ResponseTypes[C];

/** Errors cross the boundary as data: a code to branch on, a message and a fix to show. */
export interface IpcError {
  code: string;
  message: string;
  hint?: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

// ---------------------------------------------------------------------------------------------------
// Events (main -> renderer)

export interface EventTypes {
  'trust.step': { runId: string; step: TrustStep };
  'requestLog.record': RequestRecord;
  'app.state': AppState;
  /** A `sessions.inspect` refresh: node/virtual proxy pairs asked so far of `total`. */
  'sessions.progress': { profileId: string; done: number; total: number };
  /** A validator step as it starts (`running`) and as it is graded; `waiting` while the person logs in. */
  'validator.step': { runId: string; step: ValidationStep; waitingForLogin?: boolean };
  /** A step of the seed-003 scenario, as it completes. */
  'scenario.sharedJar.progress': { profileId: string; progress: SharedJarProgress };
  /** The application menu (Electron) asks the console to show a section, its shortcuts or its filter. */
  'console.command': ConsoleCommand;
}
export type EventName = keyof EventTypes;
/** Every event name at runtime (the preload's allow-list); `satisfies` keeps it in step with EventTypes. */
export const EVENTS = Object.keys({
  'trust.step': true,
  'requestLog.record': true,
  'app.state': true,
  'sessions.progress': true,
  'validator.step': true,
  'scenario.sharedJar.progress': true,
  'console.command': true,
} satisfies Record<EventName, true>) as EventName[];

/** What the preload (or the chromium host's binding) exposes to the renderer as `window.usher`. */
/** One named function per channel (never a generic send), plus event subscription. */
export type UsherApi = { readonly [C in Channel]: (request: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>> } & {
  on<E extends EventName>(event: E, listener: (payload: EventTypes[E]) => void): () => void;
};

/** The Electron IPC channel name of a contract channel (a prefix keeps Usher's channels apart). */
export function ipcChannelName(channel: Channel): string {
  return `usher:${channel}`;
}
export function ipcEventName(event: EventName): string {
  return `usher-event:${event}`;
}
