// A site profile: where a Qlik Sense site answers (QPS, QRS, proxy nodes), what QRS said about its
// virtual proxies, and a REFERENCE to the certificate bundle in the vault (never the secrets themselves).
// Pure types and a hand-written runtime validator, shared by main (the store, the IPC router) and the
// renderer (forms). No Node, no DOM: only the language and WHATWG-free string checks.
import { hasControlCharacters } from './terminal-text';

export interface ProfileNode {
  name: string;
  hostName: string;
  /** The node's QPS, `https://host:port`. */
  qps: string;
  /** The node's proxy front end (hub base URL), `https://host:port`. */
  proxy?: string;
  /** Prefixes of the virtual proxies this node's proxy links ('' = the default one). */
  virtualProxies: string[];
}

export interface ProfileVirtualProxy {
  id: string;
  prefix: string;
  description: string;
  /** 0 Ticket, 1 static header, 2 dynamic header, 3 SAML, 4 JWT, 5 OIDC */
  authenticationMethod: number;
  sessionCookieHeaderName: string;
  authenticationModuleRedirectUri: string;
}

/** A reference to the vault bundle plus a non-secret summary the UI can show. */
export interface ProfileCertificates {
  bundleId: string;
  clientSubject: string;
  /** SHA-256 of the client certificate, `AB:CD:…` (32 pairs) or 64 hex digits. */
  clientFingerprint256: string;
  rootSubject: string;
  /** ISO 8601. */
  validTo: string;
  storage: 'keychain' | 'memory';
}

export interface Profile {
  /** Slug `^[a-z0-9-]{1,64}$`, derived from the name on creation; stays when the profile is renamed. */
  id: string;
  /** Shown to people; unique among profiles, case-insensitively. */
  name: string;
  /** Base URLs `https://host:port`. */
  qps: string;
  qrs: string;
  /** A virtual proxy prefix; '' = the default virtual proxy. */
  defaultVirtualProxy: string;
  defaultUserDirectory: string;
  nodes: ProfileNode[];
  virtualProxies: ProfileVirtualProxy[];
  /** ISO 8601: when nodes and virtual proxies were last read from QRS. */
  discoveredAt?: string;
  certificates?: ProfileCertificates;
  /**
   * SHA-256 fingerprint of the one OS certificate this site's partition windows may present when its
   * proxy asks for a client certificate. Absent: they present none (Electron would pick the first).
   */
  partitionClientCertificate?: string;
  /** The demo site, supplied by the app; never stored in a file. */
  builtIn?: boolean;
  createdAt: string;
  updatedAt: string;
}

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

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects errors with their paths; each reader returns a clean value (or undefined after an error). */
class Checker {
  readonly errors: string[] = [];

  fail(path: string, message: string): undefined {
    this.errors.push(`${path}: ${message}`);
    return undefined;
  }

  string(obj: Obj, key: string, path: string, rule?: { nonEmpty?: boolean; max?: number; pattern?: RegExp; patternText?: string }): string | undefined {
    const value = obj[key];
    if (typeof value !== 'string') return this.fail(path, `must be a string, got ${show(value)}`);
    if (rule?.nonEmpty && value.trim() === '') return this.fail(path, 'must not be empty');
    if (rule?.max !== undefined && value.length > rule.max) return this.fail(path, `must be at most ${rule.max} characters`);
    if (rule?.pattern && !rule.pattern.test(value)) return this.fail(path, `${rule.patternText ?? `must match ${String(rule.pattern)}`}, got ${show(value)}`);
    return value;
  }

  url(obj: Obj, key: string, path: string, optional = false): string | undefined {
    const value = obj[key];
    if (optional && value === undefined) return undefined;
    if (typeof value !== 'string' || !isHttpsBaseUrl(value)) {
      return this.fail(path, `must be an https URL like https://host:4243 (no path), got ${show(value)}`);
    }
    return value.replace(/\/$/, '');
  }

  time(obj: Obj, key: string, path: string, optional = false): string | undefined {
    const value = obj[key];
    if (optional && value === undefined) return undefined;
    if (typeof value !== 'string' || !isIsoTime(value)) return this.fail(path, `must be an ISO 8601 time like 2025-01-31T12:00:00.000Z, got ${show(value)}`);
    return value;
  }

  prefix(value: unknown, path: string): string | undefined {
    if (typeof value !== 'string' || !PREFIX.test(value)) {
      return this.fail(path, `must be a virtual proxy prefix (lowercase a-z 0-9 - . _ ~, '' for the default), got ${show(value)}`);
    }
    return value;
  }

  array(obj: Obj, key: string, path: string): unknown[] | undefined {
    const value = obj[key];
    if (!Array.isArray(value)) return this.fail(path, `must be an array, got ${show(value)}`);
    return value;
  }
}

function readNode(c: Checker, value: unknown, path: string): ProfileNode | undefined {
  if (!isObject(value)) return c.fail(path, `must be an object, got ${show(value)}`);
  const before = c.errors.length;
  const name = c.string(value, 'name', `${path}.name`, { nonEmpty: true, max: 255 });
  const hostName = c.string(value, 'hostName', `${path}.hostName`, { max: 255, pattern: HOST_NAME, patternText: 'must be a host name or address' });
  const qps = c.url(value, 'qps', `${path}.qps`);
  const proxy = c.url(value, 'proxy', `${path}.proxy`, true);
  const prefixes = c.array(value, 'virtualProxies', `${path}.virtualProxies`);
  const clean: string[] = [];
  prefixes?.forEach((p, i) => {
    const prefix = c.prefix(p, `${path}.virtualProxies[${i}]`);
    if (prefix !== undefined) clean.push(prefix);
  });
  if (c.errors.length > before) return undefined;
  const node: ProfileNode = { name: name!, hostName: hostName!, qps: qps!, virtualProxies: clean };
  if (proxy !== undefined) node.proxy = proxy;
  return node;
}

function readVirtualProxy(c: Checker, value: unknown, path: string): ProfileVirtualProxy | undefined {
  if (!isObject(value)) return c.fail(path, `must be an object, got ${show(value)}`);
  const before = c.errors.length;
  const id = c.string(value, 'id', `${path}.id`, { nonEmpty: true, max: 255 });
  const prefix = c.prefix(value.prefix, `${path}.prefix`);
  const description = c.string(value, 'description', `${path}.description`, { max: 4096 });
  const method = value.authenticationMethod;
  if (typeof method !== 'number' || !Number.isInteger(method) || method < 0) {
    c.fail(`${path}.authenticationMethod`, `must be a whole number >= 0 (0 Ticket, 1 static header, 2 dynamic header, 3 SAML, 4 JWT, 5 OIDC), got ${show(method)}`);
  }
  const cookie = c.string(value, 'sessionCookieHeaderName', `${path}.sessionCookieHeaderName`, { nonEmpty: true, max: 255 });
  const redirect = c.string(value, 'authenticationModuleRedirectUri', `${path}.authenticationModuleRedirectUri`, { max: 4096 });
  if (c.errors.length > before) return undefined;
  return {
    id: id!,
    prefix: prefix!,
    description: description!,
    authenticationMethod: method as number,
    sessionCookieHeaderName: cookie!,
    authenticationModuleRedirectUri: redirect!,
  };
}

function readCertificates(c: Checker, value: unknown, path: string): ProfileCertificates | undefined {
  if (!isObject(value)) return c.fail(path, `must be an object, got ${show(value)}`);
  const before = c.errors.length;
  const bundleId = c.string(value, 'bundleId', `${path}.bundleId`, { pattern: BUNDLE_ID, patternText: 'must be a vault bundle id (letters, digits, . _ -; at most 128)' });
  const clientSubject = c.string(value, 'clientSubject', `${path}.clientSubject`, { max: 4096 });
  const fingerprint = c.string(value, 'clientFingerprint256', `${path}.clientFingerprint256`, {
    pattern: FINGERPRINT,
    patternText: 'must be a SHA-256 fingerprint (AB:CD:... or 64 hex digits)',
  });
  const rootSubject = c.string(value, 'rootSubject', `${path}.rootSubject`, { max: 4096 });
  const validTo = c.time(value, 'validTo', `${path}.validTo`);
  const storage = value.storage;
  if (storage !== 'keychain' && storage !== 'memory') c.fail(`${path}.storage`, `must be "keychain" or "memory", got ${show(storage)}`);
  if (c.errors.length > before) return undefined;
  return {
    bundleId: bundleId!,
    clientSubject: clientSubject!,
    clientFingerprint256: fingerprint!,
    rootSubject: rootSubject!,
    validTo: validTo!,
    storage: storage as 'keychain' | 'memory',
  };
}

/**
 * Checks an untrusted value (a file, an IPC payload, an import) against the Profile shape. On success the
 * profile is a clean copy: unknown keys dropped, a trailing `/` removed from base URLs. Errors carry
 * paths: `nodes[1].qps: must be an https URL like https://host:4243 (no path), got "http://x"`.
 */
export function validateProfile(value: unknown): ProfileValidation {
  const c = new Checker();
  if (!isObject(value)) return { ok: false, errors: [`profile: must be an object, got ${show(value)}`] };

  const id = c.string(value, 'id', 'id', { pattern: PROFILE_ID_PATTERN, patternText: 'must be 1-64 characters of a-z 0-9 -' });
  const nameProblem = profileNameProblem(value.name);
  if (nameProblem) c.fail('name', `${nameProblem}, got ${show(value.name)}`);
  const qps = c.url(value, 'qps', 'qps');
  const qrs = c.url(value, 'qrs', 'qrs');
  const defaultVirtualProxy = c.prefix(value.defaultVirtualProxy, 'defaultVirtualProxy');
  const defaultUserDirectory = c.string(value, 'defaultUserDirectory', 'defaultUserDirectory', { max: 255 });
  if (defaultUserDirectory !== undefined) {
    if (defaultUserDirectory.includes('\\')) c.fail('defaultUserDirectory', 'must not contain a backslash');
    else if (defaultUserDirectory !== defaultUserDirectory.trim()) c.fail('defaultUserDirectory', 'must not start or end with white space');
  }

  const nodes: ProfileNode[] = [];
  c.array(value, 'nodes', 'nodes')?.forEach((n, i) => {
    const node = readNode(c, n, `nodes[${i}]`);
    if (node) nodes.push(node);
  });
  const virtualProxies: ProfileVirtualProxy[] = [];
  const seenPrefixes = new Map<string, number>();
  c.array(value, 'virtualProxies', 'virtualProxies')?.forEach((v, i) => {
    const vp = readVirtualProxy(c, v, `virtualProxies[${i}]`);
    if (!vp) return;
    const first = seenPrefixes.get(vp.prefix);
    if (first !== undefined) c.fail(`virtualProxies[${i}].prefix`, `duplicates virtualProxies[${first}] (prefix ${show(vp.prefix)})`);
    else seenPrefixes.set(vp.prefix, i);
    virtualProxies.push(vp);
  });

  const discoveredAt = c.time(value, 'discoveredAt', 'discoveredAt', true);
  const certificates = value.certificates === undefined ? undefined : readCertificates(c, value.certificates, 'certificates');
  const partitionClientCertificate =
    value.partitionClientCertificate === undefined
      ? undefined
      : c.string(value, 'partitionClientCertificate', 'partitionClientCertificate', { pattern: FINGERPRINT, patternText: 'must be a SHA-256 fingerprint (AB:CD:... or 64 hex digits)' });
  const builtIn = value.builtIn;
  if (builtIn !== undefined && typeof builtIn !== 'boolean') c.fail('builtIn', `must be true or false, got ${show(builtIn)}`);
  const createdAt = c.time(value, 'createdAt', 'createdAt');
  const updatedAt = c.time(value, 'updatedAt', 'updatedAt');

  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  const profile: Profile = {
    id: id!,
    name: value.name as string,
    qps: qps!,
    qrs: qrs!,
    defaultVirtualProxy: defaultVirtualProxy!,
    defaultUserDirectory: defaultUserDirectory!,
    nodes,
    virtualProxies,
    createdAt: createdAt!,
    updatedAt: updatedAt!,
  };
  if (discoveredAt !== undefined) profile.discoveredAt = discoveredAt;
  if (certificates !== undefined) profile.certificates = certificates;
  if (partitionClientCertificate !== undefined) profile.partitionClientCertificate = partitionClientCertificate;
  if (builtIn === true) profile.builtIn = true;
  return { ok: true, profile };
}

/** The node whose QPS the profile names (its tickets are redeemed on that node's proxy), else the first. */
export function issuingNode(profile: Pick<Profile, 'nodes' | 'qps'>): ProfileNode | undefined {
  return profile.nodes.find((n) => n.qps === profile.qps) ?? profile.nodes[0];
}
