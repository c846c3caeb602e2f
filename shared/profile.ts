// A site profile: where a Qlik Sense site answers (QPS, QRS, proxy nodes), what QRS said about its
// virtual proxies, and a REFERENCE to the certificate bundle in the vault (never the secrets themselves).
// Its schema and the types derived from it, shared by main (the store, the trust wizard) and the
// renderer (forms). No Node, no DOM: only the language and WHATWG-free string checks.
import * as v from 'valibot';
import { allProblems, boolean, list, looseRecord, optional, text, type Infer } from './schema';
import { hasControlCharacters } from './terminal-text';

export const PROFILE_SCHEMA_VERSION = 1;

/** The envelope `usher profile export` writes and import reads. */
export const PROFILE_EXPORT_FORMAT = 'usher-profile';
export const PROFILE_EXPORT_VERSION = 1;

/** An exported profile: no certificate bundle reference, only the non-secret summary. */
export interface ProfileExport {
  format: typeof PROFILE_EXPORT_FORMAT;
  version: number;
  exportedAt?: string;
  profile: Omit<Profile, 'certificates' | 'builtIn'> & { certificates?: Omit<ProfileCertificates, 'bundleId'> };
}

export type ProfileValidation = { ok: true; profile: Profile } | { ok: false; errors: string[] };

/** A profile id: a slug that is also its file name (and its vault bundle id). */
export const PROFILE_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
/** Qlik's virtual proxy prefix: lowercase `a-z 0-9 - . _ ~`; '' for the default virtual proxy. */
const PREFIX = /^[a-z0-9\-._~]*$/;
const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]+\])$/;
/** A node's host name as QRS registers it: a name, an IPv4 or a bare IPv6 address. */
const HOST_NAME = /^[^\s/\\?#@[\]]+$/;
const BASE_URL = /^https:\/\/([^/:?#\s[\]]+|\[[^\]\s/]+\])(?::(\d{1,5}))?\/?$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const FINGERPRINT = /^(?:(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}|[0-9A-Fa-f]{64})$/;
const BUNDLE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const NAME_MAX = 100;

/** A slug for file names and command lines: `Prod (EU) — Qlik` -> `prod-eu-qlik`; never empty. */
export function profileIdFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug || 'profile';
}

/** Why a name cannot be a profile name, or undefined when it can. For forms and the store alike. */
export function profileNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'must be a string';
  if (name.trim() === '') return 'must not be empty';
  if (name !== name.trim()) return 'must not start or end with white space';
  if (name.length > NAME_MAX) return `must be at most ${NAME_MAX} characters`;
  // C1 and bidi overrides too: a name is shown in terminals and lists, where they would reorder or act.
  if (CONTROL.test(name) || hasControlCharacters(name)) return 'must not contain control characters';
  return undefined;
}

/** Whether `value` is a base URL `https://host[:port]` (a trailing `/` is tolerated). */
export function isHttpsBaseUrl(value: string): boolean {
  const match = BASE_URL.exec(value);
  if (!match) return false;
  if (!HOST.test(match[1]!)) return false;
  if (match[2] !== undefined) {
    const port = Number(match[2]);
    if (port < 1 || port > 65535) return false;
  }
  return true;
}

function isIsoTime(value: string): boolean {
  return ISO_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/** A file's value quoted in its error ("got \"http://x\""): the file is the person's own, the value helps them find it. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const text = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(text);
  }
  return String(value);
}

/** A string that passes `test`, else `rule, got <the value>`. */
function textWhere(test: (value: string) => boolean, rule: string) {
  return v.custom<string>(
    (value) => typeof value === 'string' && test(value),
    (issue) => `${rule}, got ${show(issue.input)}`,
  );
}

const plainText = (max: number) => text({ max });
const nonEmpty = (max: number) => textWhere((value) => value.trim() !== '' && value.length <= max, `must be a non-empty string of at most ${max} characters`);
const baseUrl = v.pipe(
  textWhere(isHttpsBaseUrl, 'must be an https URL like https://host:4243 (no path)'),
  v.transform((url) => url.replace(/\/$/, '')),
);
const isoTime = textWhere(isIsoTime, 'must be an ISO 8601 time like 2025-01-31T12:00:00.000Z');
const prefix = textWhere((value) => PREFIX.test(value), "must be a virtual proxy prefix (lowercase a-z 0-9 - . _ ~, '' for the default)");
const fingerprint = textWhere((value) => FINGERPRINT.test(value), 'must be a SHA-256 fingerprint (AB:CD:... or 64 hex digits)');
/** Profiles are read from QRS answers: a site may hold more nodes and virtual proxies than an IPC list. */
const MAX_ENTRIES = 10_000;

const profileNodeSchema = looseRecord({
  name: nonEmpty(255),
  hostName: textWhere((value) => value.length <= 255 && HOST_NAME.test(value), 'must be a host name or address'),
  /** The node's QPS, `https://host:port`. */
  qps: baseUrl,
  /** The node's proxy front end (hub base URL), `https://host:port`. */
  proxy: optional(baseUrl),
  /** Prefixes of the virtual proxies this node's proxy links ('' = the default one). */
  virtualProxies: list(prefix, MAX_ENTRIES),
});

const profileVirtualProxySchema = looseRecord({
  id: nonEmpty(255),
  prefix,
  description: plainText(4096),
  /** 0 Ticket, 1 static header, 2 dynamic header, 3 SAML, 4 JWT, 5 OIDC */
  authenticationMethod: v.custom<number>(
    (value) => typeof value === 'number' && Number.isInteger(value) && value >= 0,
    (issue) => `must be a whole number >= 0 (0 Ticket, 1 static header, 2 dynamic header, 3 SAML, 4 JWT, 5 OIDC), got ${show(issue.input)}`,
  ),
  sessionCookieHeaderName: nonEmpty(255),
  authenticationModuleRedirectUri: plainText(4096),
});

/** A reference to the vault bundle plus a non-secret summary the UI can show. */
const profileCertificatesSchema = looseRecord({
  bundleId: textWhere((value) => BUNDLE_ID.test(value), 'must be a vault bundle id (letters, digits, . _ -; at most 128)'),
  clientSubject: plainText(4096),
  /** SHA-256 of the client certificate, `AB:CD:…` (32 pairs) or 64 hex digits. */
  clientFingerprint256: fingerprint,
  rootSubject: plainText(4096),
  /** ISO 8601. */
  validTo: isoTime,
  storage: v.picklist(['keychain', 'memory'], (issue) => `must be "keychain" or "memory", got ${show(issue.input)}`),
});

/** Two virtual proxies with one prefix: the second is refused, naming the first. */
const uniquePrefixes = v.rawCheck<Array<Infer<typeof profileVirtualProxySchema>>>(({ dataset, addIssue }) => {
  if (!dataset.typed) return;
  const seen = new Map<string, number>();
  dataset.value.forEach((vp, i) => {
    const first = seen.get(vp.prefix);
    if (first === undefined) return void seen.set(vp.prefix, i);
    addIssue({
      message: `duplicates virtualProxies[${first}] (prefix ${show(vp.prefix)})`,
      path: [
        { type: 'array', origin: 'value', input: dataset.value, key: i, value: vp },
        { type: 'object', origin: 'value', input: vp, key: 'prefix', value: vp.prefix },
      ],
    });
  });
});

export const profileSchema = looseRecord({
  /** Slug `^[a-z0-9-]{1,64}$`, derived from the name on creation; stays when the profile is renamed. */
  id: textWhere((value) => PROFILE_ID_PATTERN.test(value), 'must be 1-64 characters of a-z 0-9 -'),
  /** Shown to people; unique among profiles, case-insensitively. */
  name: v.custom<string>(
    (value) => profileNameProblem(value) === undefined,
    (issue) => `${profileNameProblem(issue.input)}, got ${show(issue.input)}`,
  ),
  /** Base URLs `https://host:port`. */
  qps: baseUrl,
  qrs: baseUrl,
  /** A virtual proxy prefix; '' = the default virtual proxy. */
  defaultVirtualProxy: prefix,
  defaultUserDirectory: v.pipe(
    plainText(255),
    v.check((value) => !value.includes('\\'), 'must not contain a backslash'),
    v.check((value) => value === value.trim(), 'must not start or end with white space'),
  ),
  nodes: list(profileNodeSchema, MAX_ENTRIES),
  virtualProxies: v.pipe(list(profileVirtualProxySchema, MAX_ENTRIES), uniquePrefixes),
  /** ISO 8601: when nodes and virtual proxies were last read from QRS. */
  discoveredAt: optional(isoTime),
  certificates: optional(profileCertificatesSchema),
  /**
   * SHA-256 fingerprint of the one OS certificate this site's partition windows may present when its
   * proxy asks for a client certificate. Absent: they present none (Electron would pick the first).
   */
  partitionClientCertificate: optional(fingerprint),
  /** The demo site, supplied by the app; never stored in a file. */
  builtIn: optional(boolean),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export type ProfileNode = Infer<typeof profileNodeSchema>;
export type ProfileVirtualProxy = Infer<typeof profileVirtualProxySchema>;
export type ProfileCertificates = Infer<typeof profileCertificatesSchema>;
export type Profile = Infer<typeof profileSchema>;

/**
 * Checks an untrusted value (a file, an import) against the Profile shape. On success the profile is a
 * clean copy: unknown keys dropped, a trailing `/` removed from base URLs, `builtIn: false` left out.
 * Errors carry paths: `nodes[1].qps: must be an https URL like https://host:4243 (no path), got "http://x"`.
 */
export function validateProfile(value: unknown): ProfileValidation {
  const result = allProblems(profileSchema, value, 'profile');
  if (!result.ok) return { ok: false, errors: result.error.map((e) => e.message) };
  const profile = result.value;
  if (profile.builtIn !== true) delete profile.builtIn;
  return { ok: true, profile };
}

/** The node whose QPS the profile names (its tickets are redeemed on that node's proxy), else the first. */
export function issuingNode(profile: Pick<Profile, 'nodes' | 'qps'>): ProfileNode | undefined {
  return profile.nodes.find((n) => n.qps === profile.qps) ?? profile.nodes[0];
}
