// The IPC contract between the console (renderer) and the main process: every channel, its request
// schema (checked at runtime by the router) and its response type. The renderer only ever sees
// non-secret views: certificate summaries, masked tickets and session ids, redacted request records.
import type { AuditEntryView } from '../audit';
import type { CertificateReport } from '../certificates';
import type { Profile } from '../profile';
import type { RequestRecord } from '../request-log';
import type { TrustStep } from '../trust-check';
import type { VpFinding } from '../vp-findings';
import { array, boolean, empty, literal, number, object, optional, string, union, type Infer, type Schema } from './schema';

// ---------------------------------------------------------------------------------------------------
// Request schemas

const path = string({ min: 1, max: 4096 });
const baseUrl = string({ min: 8, max: 2048, pattern: /^https:\/\/[^\s/?#]+\/?$/ });
const prefix = string({ max: 100, pattern: /^[a-z0-9\-._~]*$/ });
const id = string({ min: 1, max: 128, pattern: /^[A-Za-z0-9._:-]+$/ });
const userPart = string({ min: 1, max: 256 });
/** An https URL; the main process keeps only its origin (a pasted page address works too). */
const httpsUrl = string({ min: 9, max: 2048, pattern: /^https:\/\/[^\s/?#]+(?:[/?#]\S*)?$/ });

export const certificateInputSchema = union('kind', {
  folder: object({ kind: literal('folder'), path }),
  pem: object({ kind: literal('pem'), certPath: path, keyPath: path, caPath: path }),
  pfx: object({ kind: literal('pfx'), pfxPath: path, caPath: optional(path) }),
});

const certificatesRequest = object({ input: certificateInputSchema, passphrase: optional(string({ max: 1024 })) });

export const requestSchemas = {
  /** Where the console stands: host, vault, demo site, active profile. */
  'app.state': empty,
  'profiles.list': empty,
  'profiles.select': object({ id }),
  'profiles.remove': object({ id }),
  /** Reads and validates certificate files; answers with what may be shown of them. */
  'certs.inspect': certificatesRequest,
  /** The demo site's QMC-style export, written to a private temp folder, for the trust wizard. */
  'demo.export': empty,
  /** Runs the trust check; progress arrives as `trust.step` events with the same runId. */
  'trust.run': object({
    input: certificateInputSchema,
    passphrase: optional(string({ max: 1024 })),
    qps: baseUrl,
    qrs: baseUrl,
    ticketTest: optional(object({ userDirectory: userPart, userId: userPart, virtualProxy: prefix })),
  }),
  /** Saves the site of a green (or warning) trust run as a profile; its certificates go to the vault. */
  'profiles.saveFromTrust': object({ runId: id, name: string({ min: 1, max: 100 }), defaultVirtualProxy: prefix, defaultUserDirectory: string({ max: 256 }) }),
  'tickets.request': object({
    profileId: id,
    virtualProxy: prefix,
    userDirectory: userPart,
    userId: userPart,
    attributes: array(object({ key: string({ min: 1, max: 256 }), value: string({ max: 4096 }) }), 200),
    targetId: optional(string({ min: 1, max: 256 })),
    reason: optional(string({ max: 500 })),
  }),
  /** Copies the ticket's URL, or the request as curl / PowerShell, to the clipboard (in the main process). */
  'tickets.copy': object({ ticketId: id, format: literal('url', 'curl', 'powershell') }),
  /** Redeems the ticket in a new isolated partition on the chosen target and reports the session. */
  'tickets.open': object({
    ticketId: id,
    target: union('kind', {
      hub: object({ kind: literal('hub') }),
      app: object({ kind: literal('app'), appId: string({ min: 1, max: 256 }) }),
      url: object({ kind: literal('url'), url: string({ min: 8, max: 4096, pattern: /^https:\/\// }) }),
    }),
  }),
  'requestLog.list': object({ filter: optional(string({ max: 500 })) }),
  'requestLog.copy': object({ id: string({ min: 1, max: 32, pattern: /^\d+$/ }), format: literal('curl', 'powershell') }),
  /** The newest audit entries (all sites, or one profile id), newest first. */
  'audit.list': object({ limit: optional(number({ min: 1, max: 5000, integer: true })), profile: optional(string({ max: 200 })) }),
  /**
   * Checks the profile's virtual proxies as QRS describes them (the rules `usher check` applies); with an
   * origin also the embedding setup for a mashup there; with `probe` one time-limited GET per module URI.
   */
  'checks.run': object({ profileId: id, origin: optional(httpsUrl), probe: boolean }),
} satisfies Record<string, Schema<unknown>>;

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
}

export interface ChecksRunView {
  /** Every virtual proxy QRS reported, in its order ('' = the default one). */
  checked: Array<{ prefix: string; description: string }>;
  /** Errors first, then by virtual proxy. */
  findings: VpFinding[];
  durationMs: number;
}

export interface ResponseTypes {
  'app.state': AppState;
  'profiles.list': ProfilesView;
  'profiles.select': { activeProfileId: string };
  'profiles.remove': { removed: string };
  'certs.inspect': CertificateReport;
  'demo.export': { path: string; pfxPassphraseHint: string; qps: string; qrs: string };
  'trust.run': TrustRunView;
  'profiles.saveFromTrust': Profile;
  'tickets.request': TicketView;
  'tickets.copy': { copied: true; preview: string };
  'tickets.open': OpenResult;
  'requestLog.list': { records: RequestRecord[] };
  'requestLog.copy': { text: string };
  /** `skippedLines`: damaged lines of the log file that were passed over (the rest still reads). */
  'audit.list': { entries: AuditEntryView[]; skippedLines: number };
  'checks.run': ChecksRunView;
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
}
export type EventName = keyof EventTypes;
/** Every event name at runtime (the preload's allow-list); `satisfies` keeps it in step with EventTypes. */
export const EVENTS = Object.keys({ 'trust.step': true, 'requestLog.record': true, 'app.state': true } satisfies Record<EventName, true>) as EventName[];

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

