// What a simulated Qlik Sense site is made of, as a JSON file describes it, and its validation.
// Field names follow the QRS (`/qrs/virtualproxyconfig/full`, `/qrs/proxyservice/full`) so that what the
// site file says is what the repository API answers.
import { createHash } from 'node:crypto';
import { GUID_PATTERN } from '../core/qlik/qrs-filter';
import type { VirtualProxyFields } from '../core/qlik/types';
import { isLoopbackV4 } from './node-addresses';
import { UsherError } from '../../shared/errors';

export interface NodeDescription {
  id: string;
  /** serverNodeConfiguration.name */
  name: string;
  /**
   * serverNodeConfiguration.hostName: the name its server certificate is issued for. '' when the site
   * file names none: the simulator then calls the node by its address (or `localhost`), see node-addresses.ts.
   */
  hostName: string;
  /** The loopback address it listens on; left out, the simulator picks one. */
  address?: string;
  /** Ports; 0 (the default) picks a free one at start. */
  proxyPort?: number;
  qpsPort?: number;
  qrsPort?: number;
  /** The engine's own port (4747 on a real node): mutual TLS + X-Qlik-User, no proxy. */
  enginePort?: number;
  /** Ids of the virtual proxies this node's proxy service links (settings.virtualProxies). */
  virtualProxies: string[];
}

/** SameSite setting as the QRS encodes it: 0 not set, 1 None, 2 Lax, 3 Strict. */
export type SameSiteCode = 0 | 1 | 2 | 3;

/** A virtual proxy as the site file holds it: QRS's fields (one model with the client's), nodes by site-file id. */
export interface VirtualProxyDescription extends VirtualProxyFields {
  /** The site file's id; the QRS serves qrsGuid('virtualproxyconfig', id). */
  id: string;
  authenticationMethod: 0 | 1 | 2 | 3 | 4 | 5;
  /** Header carrying the user id for header authentication (methods 1 and 2). */
  headerAuthenticationHeaderName: string;
  headerAuthenticationStaticUserDirectory: string;
  anonymousAccessMode: 0 | 1 | 2;
  /**
   * Ids of the nodes whose engines this virtual proxy balances to. Left out: every node. An explicit
   * empty list is kept (a real QRS can hold one; users then get "no available nodes").
   */
  loadBalancingServerNodes: string[];
  sameSiteAttributeHttps: SameSiteCode;
  sameSiteAttributeHttp: SameSiteCode;
}

export interface UserDescription {
  userDirectory: string;
  userId: string;
  name: string;
}

export interface AppDescription {
  id: string;
  name: string;
  /** Content-library image file names served at /{prefix}/appcontent/{appId}/{image}. */
  images: string[];
  /** The id of the stream it is published to; undefined: not published. */
  stream?: string;
  /** Tag names (QRS `tags`). */
  tags: string[];
}

export interface StreamDescription {
  id: string;
  name: string;
}

/**
 * An access rule: a user may open apps `appIds` ("*" for all) when every given user field matches.
 * A value of "{app.id}" stands for the app's own id (seed 003's "userId = appId").
 */
export interface AccessRule {
  name: string;
  appIds: '*' | string[];
  userDirectory?: string;
  userId?: string;
}

export interface SiteDescription {
  name: string;
  buildVersion: string;
  nodes: NodeDescription[];
  virtualProxies: VirtualProxyDescription[];
  users: UserDescription[];
  streams: StreamDescription[];
  apps: AppDescription[];
  rules: AccessRule[];
  /** Parallel sessions allowed per user before Qlik refuses another (5 on a real site). */
  maxParallelSessionsPerUser: number;
  /** How long a ticket can be redeemed, in seconds (60 on a real site). */
  ticketValiditySeconds: number;
  /**
   * The November 2024 WebSocket protection: a socket riding a session must carry its `qlik-csrf-token`.
   * Off behaves as older releases do.
   */
  websocketCsrfProtection: boolean;
}

/** A site file that cannot be used: bad input wherever it was named (the CLI exits 2). */
export class SiteFileError extends UsherError<'BAD_SITE_FILE'> {
  override name = 'SiteFileError';
  override readonly badInput = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_SITE_FILE', message, 'fix the site file; README.md describes its fields', options);
  }
}

export const PREFIX_PATTERN = /^[a-z0-9\-._~]*$/;

/**
 * The id the repository gives a site-file entity: the file's id when it is a GUID (lower-cased), else a
 * GUID derived from the kind and the id, the same on every run, so `vp-ticket` keeps its QRS id.
 */
export function qrsGuid(kind: string, id: string): string {
  if (GUID_PATTERN.test(id)) return id.toLowerCase();
  const seed = `${kind}:${id}`;
  let guid = derivedGuids.get(seed);
  if (guid === undefined) {
    const hex = createHash('sha256').update(seed).digest('hex');
    guid = [hex.slice(0, 8), hex.slice(8, 12), `4${hex.slice(13, 16)}`, `8${hex.slice(17, 20)}`, hex.slice(20, 32)].join('-');
    derivedGuids.set(seed, guid);
  }
  return guid;
}

/** Every QRS answer names each entity again (a proxy service embeds its virtual proxies and their nodes). */
const derivedGuids = new Map<string, string>();

/** An app by its site-file id or by its QRS GUID (what a client that listed /qrs/app opens). */
export function findApp(site: SiteDescription, id: string): AppDescription | undefined {
  const wanted = id.toLowerCase();
  return site.apps.find((app) => app.id === id || qrsGuid('app', app.id) === wanted);
}

/** Fills the QRS defaults a virtual proxy has when the site file leaves a field out. */
export function virtualProxyDefaults(prefix: string): Omit<VirtualProxyDescription, 'id'> {
  return {
    prefix,
    description: prefix ? `Virtual proxy ${prefix}` : 'Central Proxy (Default)',
    sessionCookieHeaderName: prefix ? `X-Qlik-Session-${prefix}` : 'X-Qlik-Session',
    sessionCookieDomain: '',
    authenticationModuleRedirectUri: '',
    authenticationMethod: 0,
    headerAuthenticationHeaderName: '',
    headerAuthenticationStaticUserDirectory: '',
    anonymousAccessMode: 0,
    loadBalancingServerNodes: [],
    websocketCrossOriginWhiteList: [],
    sessionInactivityTimeout: 30,
    additionalResponseHeaders: '',
    hasSecureAttributeHttps: true,
    sameSiteAttributeHttps: 0,
    hasSecureAttributeHttp: false,
    sameSiteAttributeHttp: 0,
    extendedSecurityEnvironment: false,
    defaultVirtualProxy: prefix === '',
    windowsAuthenticationEnabledDevicePattern: 'Windows',
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(obj: Record<string, unknown>, key: string, where: string): string {
  const value = obj[key];
  if (typeof value !== 'string' || value.trim() === '') throw new SiteFileError(`${where}: "${key}" must be a non-empty string`);
  return value;
}

function optionalPort(obj: Record<string, unknown>, key: string, where: string): number | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw new SiteFileError(`${where}: "${key}" must be a port number between 0 and 65535`);
  }
  return value;
}

function optionalBoolean(obj: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = obj[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new SiteFileError(`"${key}" must be true or false`);
  return value;
}

function stringArray(obj: Record<string, unknown>, key: string, where: string, fallback: string[]): string[] {
  const value = obj[key];
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new SiteFileError(`${where}: "${key}" must be an array of strings`);
  return value as string[];
}

/** The largest site simulated, from a site file or from `--nodes`/`--virtual-proxies`. */
export const SITE_LIMITS = { nodes: 64, virtualProxies: 5000 } as const;

/**
 * Validates a parsed site file and fills defaults. Throws SiteFileError naming the first problem with
 * its location (`virtualProxies[2]: prefix "Sales" ...`), so a hand-written file is quick to fix.
 */
export function parseSiteDescription(input: unknown): SiteDescription {
  if (!isObject(input)) throw new SiteFileError('the site file must hold a JSON object');
  const nodesIn = input.nodes;
  if (!Array.isArray(nodesIn) || nodesIn.length === 0) throw new SiteFileError('"nodes" must be a non-empty array');
  const vpsIn = input.virtualProxies ?? [];
  if (!Array.isArray(vpsIn)) throw new SiteFileError('"virtualProxies" must be an array');
  // Before any socket opens: each node listens on three ports, so a huge file would exhaust descriptors.
  if (nodesIn.length > SITE_LIMITS.nodes) throw new SiteFileError(`"nodes" holds ${nodesIn.length} nodes; at most ${SITE_LIMITS.nodes} are simulated`);
  if (vpsIn.length > SITE_LIMITS.virtualProxies) throw new SiteFileError(`"virtualProxies" holds ${vpsIn.length} entries; at most ${SITE_LIMITS.virtualProxies} are simulated`);

  const balanceToAllNodes = new Set<VirtualProxyDescription>();
  const virtualProxies: VirtualProxyDescription[] = vpsIn.map((raw, i) => {
    const where = `virtualProxies[${i}]`;
    if (!isObject(raw)) throw new SiteFileError(`${where} must be an object`);
    const prefix = typeof raw.prefix === 'string' ? raw.prefix : '';
    if (!PREFIX_PATTERN.test(prefix)) {
      throw new SiteFileError(`${where}: prefix "${prefix}" may only hold lowercase a-z, 0-9 and - . _ ~`);
    }
    const vp = { ...virtualProxyDefaults(prefix), ...raw, id: requireString(raw, 'id', where), prefix } as VirtualProxyDescription;
    vp.loadBalancingServerNodes = stringArray(raw, 'loadBalancingServerNodes', where, []);
    if (raw.loadBalancingServerNodes === undefined) balanceToAllNodes.add(vp);
    if (typeof vp.sessionInactivityTimeout !== 'number' || vp.sessionInactivityTimeout <= 0) {
      throw new SiteFileError(`${where}: "sessionInactivityTimeout" must be a positive number of minutes`);
    }
    return vp;
  });
  if (!virtualProxies.some((vp) => vp.prefix === '')) {
    const fallback = { id: 'vp-default', ...virtualProxyDefaults('') };
    virtualProxies.unshift(fallback);
    balanceToAllNodes.add(fallback);
  }
  const vpIds = new Set<string>();
  const prefixes = new Set<string>();
  for (const vp of virtualProxies) {
    if (vpIds.has(vp.id)) throw new SiteFileError(`virtual proxy id "${vp.id}" is used twice`);
    if (prefixes.has(vp.prefix)) throw new SiteFileError(`virtual proxy prefix "${vp.prefix}" is used twice`);
    vpIds.add(vp.id);
    prefixes.add(vp.prefix);
  }

  const nodeIds = new Set<string>();
  const nodes: NodeDescription[] = nodesIn.map((raw, i) => {
    const where = `nodes[${i}]`;
    if (!isObject(raw)) throw new SiteFileError(`${where} must be an object`);
    const id = requireString(raw, 'id', where);
    if (nodeIds.has(id)) throw new SiteFileError(`${where}: node id "${id}" is used twice`);
    nodeIds.add(id);
    const linked = stringArray(raw, 'virtualProxies', where, virtualProxies.map((vp) => vp.id));
    for (const vpId of linked) {
      if (!vpIds.has(vpId)) throw new SiteFileError(`${where}: links virtual proxy "${vpId}", which the file does not define`);
    }
    const address = raw.address === undefined ? undefined : requireString(raw, 'address', where);
    if (address !== undefined && !isLoopbackV4(address)) throw new SiteFileError(`${where}: address "${address}" must be an IPv4 loopback address (127.x.y.z)`);
    return {
      id,
      name: typeof raw.name === 'string' ? raw.name : id,
      hostName: raw.hostName === undefined ? '' : requireString(raw, 'hostName', where),
      ...(address !== undefined ? { address } : {}),
      proxyPort: optionalPort(raw, 'proxyPort', where),
      qpsPort: optionalPort(raw, 'qpsPort', where),
      qrsPort: optionalPort(raw, 'qrsPort', where),
      enginePort: optionalPort(raw, 'enginePort', where),
      virtualProxies: linked,
    };
  });
  for (const vp of virtualProxies) {
    if (balanceToAllNodes.has(vp)) vp.loadBalancingServerNodes = nodes.map((n) => n.id);
    const unknown = vp.loadBalancingServerNodes.find((id) => !nodeIds.has(id));
    if (unknown !== undefined) throw new SiteFileError(`virtual proxy "${vp.id}": balances to node "${unknown}", which the file does not define`);
  }

  const users = (Array.isArray(input.users) ? input.users : []).map((raw, i) => {
    const where = `users[${i}]`;
    if (!isObject(raw)) throw new SiteFileError(`${where} must be an object`);
    const userId = requireString(raw, 'userId', where);
    return { userDirectory: requireString(raw, 'userDirectory', where), userId, name: typeof raw.name === 'string' ? raw.name : userId };
  });
  const streamsIn = input.streams ?? [{ id: 'stream-everyone', name: 'Everyone' }];
  if (!Array.isArray(streamsIn)) throw new SiteFileError('"streams" must be an array');
  const streams = streamsIn.map((raw, i) => {
    const where = `streams[${i}]`;
    if (!isObject(raw)) throw new SiteFileError(`${where} must be an object`);
    const id = requireString(raw, 'id', where);
    return { id, name: typeof raw.name === 'string' ? raw.name : id };
  });
  const apps = (Array.isArray(input.apps) ? input.apps : []).map((raw, i) => {
    const where = `apps[${i}]`;
    if (!isObject(raw)) throw new SiteFileError(`${where} must be an object`);
    const id = requireString(raw, 'id', where);
    // Left out: published to the first stream, as demo apps are. null: not published.
    const stream = raw.stream === undefined ? streams[0]?.id : raw.stream === null ? undefined : requireString(raw, 'stream', where);
    if (stream !== undefined && !streams.some((st) => st.id === stream)) throw new SiteFileError(`${where}: stream "${stream}" is not in "streams"`);
    return {
      id,
      name: typeof raw.name === 'string' ? raw.name : id,
      images: stringArray(raw, 'images', where, ['logo.png']),
      stream,
      tags: stringArray(raw, 'tags', where, []),
    };
  });
  const rules = (Array.isArray(input.rules) ? input.rules : []).map((raw, i) => {
    const where = `rules[${i}]`;
    if (!isObject(raw)) throw new SiteFileError(`${where} must be an object`);
    const appIds = raw.appIds === '*' || raw.appIds === undefined ? '*' : stringArray(raw, 'appIds', where, []);
    return {
      name: typeof raw.name === 'string' ? raw.name : `rule ${i + 1}`,
      appIds,
      userDirectory: typeof raw.userDirectory === 'string' ? raw.userDirectory : undefined,
      userId: typeof raw.userId === 'string' ? raw.userId : undefined,
    } satisfies AccessRule;
  });

  const positive = (key: string, fallback: number): number => {
    const value = input[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !(value > 0)) throw new SiteFileError(`"${key}" must be a positive number`);
    return value;
  };

  return {
    name: typeof input.name === 'string' ? input.name : 'Simulated Qlik Sense site',
    buildVersion: typeof input.buildVersion === 'string' ? input.buildVersion : '14.173.4',
    nodes,
    virtualProxies,
    users,
    streams,
    apps,
    rules,
    maxParallelSessionsPerUser: positive('maxParallelSessionsPerUser', 5),
    ticketValiditySeconds: positive('ticketValiditySeconds', 60),
    websocketCsrfProtection: optionalBoolean(input, 'websocketCsrfProtection', true),
  };
}

/** Whether `user` may open `appId` under the site's rules. */
export function userMayOpenApp(site: SiteDescription, appId: string, user: { userDirectory: string; userId: string }): boolean {
  const resolve = (value: string): string => value.replaceAll('{app.id}', appId);
  const equal = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  return site.rules.some(
    (rule) =>
      (rule.appIds === '*' || rule.appIds.includes(appId)) &&
      (rule.userDirectory === undefined || equal(resolve(rule.userDirectory), user.userDirectory)) &&
      (rule.userId === undefined || equal(resolve(rule.userId), user.userId)),
  );
}
