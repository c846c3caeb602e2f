// What a simulated Qlik Sense site is made of, as a JSON file describes it, and its validation.
// Field names follow the QRS (`/qrs/virtualproxyconfig/full`, `/qrs/proxyservice/full`) so that what the
// site file says is what the repository API answers.
import { createHash } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { GUID_PATTERN } from '../core/qlik/qrs-filter';
import { siteVirtualProxyEntries, virtualProxyDefaults, type VirtualProxy } from '../core/qlik/virtual-proxy';
import * as v from 'valibot';
import { UsherError } from '../../shared/errors';
import { boolean, firstProblem, list, looseRecord, mustBe, number, optional, text, type Infer } from '../../shared/schema';

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

/**
 * A virtual proxy as the site file holds it: the one QRS model (core/qlik/virtual-proxy.ts), the nodes it
 * balances to by site-file id. The QRS serves it with id qrsGuid('virtualproxyconfig', id). An explicit
 * empty node list is kept (a real QRS can hold one; users then get "no available nodes").
 */
export type VirtualProxyDescription = VirtualProxy<string>;

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

/** A virtual proxy the site file leaves a field out of: the QRS defaults, and a description saying which it is. */
function siteVirtualProxyDefaults(prefix: string): Omit<VirtualProxyDescription, 'id'> {
  return { ...virtualProxyDefaults(prefix), description: prefix ? `Virtual proxy ${prefix}` : 'Central Proxy (Default)', loadBalancingServerNodes: [] };
}

/** The largest site simulated, from a site file or from `--nodes`/`--virtual-proxies`. */
export const SITE_LIMITS = { nodes: 64, virtualProxies: 5000 } as const;

// The site file's schema. A field left out takes the default a real site has; a field given must have
// its type; keys the file adds beyond these are ignored. A virtual proxy's fields are the QRS's own names
// and types: the one model of core/qlik/virtual-proxy.ts.
const name = text({ min: 1, max: 1024 });
const nonBlank = v.pipe(
  name,
  v.check((value) => value.trim() !== '', 'must not be blank'),
);
const names = list(text({ max: 1024 }), SITE_LIMITS.virtualProxies);
const port = optional(number({ min: 0, max: 65535, integer: true }));
const positive = (fallback: number) =>
  optional(
    v.pipe(
      number(),
      v.check((n) => n > 0, 'must be a positive number'),
    ),
    fallback,
  );

/** A loopback IPv4 address (the simulated site is never reachable from another machine). */
function isLoopbackV4(address: string): boolean {
  return isIPv4(address) && address.startsWith('127.');
}

const nodeSchema = looseRecord({
  id: nonBlank,
  name: optional(text({ max: 1024 })),
  hostName: optional(nonBlank),
  address: optional(
    v.pipe(
      nonBlank,
      v.check(isLoopbackV4, (issue) => `"${String(issue.input)}" must be an IPv4 loopback address (127.x.y.z)`),
    ),
  ),
  proxyPort: port,
  qpsPort: port,
  qrsPort: port,
  enginePort: port,
  /** Left out: every virtual proxy of the file. */
  virtualProxies: optional(names),
});

const virtualProxySchema = looseRecord({
  ...siteVirtualProxyEntries,
  prefix: optional(text({ max: 100, pattern: PREFIX_PATTERN }), ''),
  /** Left out: every node. */
  loadBalancingServerNodes: optional(names),
});

const siteFileSchema = looseRecord({
  name: optional(text({ max: 1024 }), 'Simulated Qlik Sense site'),
  buildVersion: optional(text({ max: 100 }), '14.173.4'),
  nodes: v.pipe(
    list(nodeSchema, SITE_LIMITS.nodes),
    v.check((nodes) => nodes.length > 0, 'must hold at least one node'),
  ),
  virtualProxies: optional(list(virtualProxySchema, SITE_LIMITS.virtualProxies), []),
  users: optional(list(looseRecord({ userDirectory: nonBlank, userId: nonBlank, name: optional(text({ max: 1024 })) }), 100_000), []),
  streams: optional(list(looseRecord({ id: nonBlank, name: optional(text({ max: 1024 })) }), 10_000), () => [{ id: 'stream-everyone', name: 'Everyone' }]),
  apps: optional(
    list(
      looseRecord({
        id: nonBlank,
        name: optional(text({ max: 1024 })),
        images: optional(names, () => ['logo.png']),
        /** Left out: published to the first stream, as demo apps are. null: not published. */
        stream: optional(v.nullable(nonBlank)),
        tags: optional(names, []),
      }),
      100_000,
    ),
    [],
  ),
  rules: optional(
    list(
      looseRecord({
        name: optional(text({ max: 1024 })),
        appIds: optional(v.union([v.literal('*'), names], mustBe('"*" or a list of app ids')), '*'),
        userDirectory: optional(text({ max: 1024 })),
        userId: optional(text({ max: 1024 })),
      }),
      100_000,
    ),
    [],
  ),
  maxParallelSessionsPerUser: positive(5),
  ticketValiditySeconds: positive(60),
  websocketCsrfProtection: optional(boolean, true),
});

/** What a site file holds, as its schema reads it (defaults filled, references not yet checked). */
export type SiteFile = Infer<typeof siteFileSchema>;

/**
 * Validates a parsed site file and fills defaults. Throws SiteFileError naming the first problem with
 * its location (`virtualProxies[2].prefix: has an unexpected form`), so a hand-written file is quick to
 * fix; then checks what the schema cannot: ids used twice and references to ids the file does not define.
 */
export function parseSiteDescription(input: unknown): SiteDescription {
  const checked = firstProblem(siteFileSchema, input, 'the site file');
  if (!checked.ok) throw new SiteFileError(checked.error.message);
  const file = checked.value;

  const balanceToAllNodes = new Set<VirtualProxyDescription>();
  const virtualProxies: VirtualProxyDescription[] = file.virtualProxies.map((raw) => {
    const vp: VirtualProxyDescription = { ...siteVirtualProxyDefaults(raw.prefix), ...raw, loadBalancingServerNodes: raw.loadBalancingServerNodes ?? [] };
    if (raw.loadBalancingServerNodes === undefined) balanceToAllNodes.add(vp);
    return vp;
  });
  if (!virtualProxies.some((vp) => vp.prefix === '')) {
    const fallback = { id: 'vp-default', ...siteVirtualProxyDefaults('') };
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
  const nodes: NodeDescription[] = file.nodes.map((raw, i) => {
    const where = `nodes[${i}]`;
    if (nodeIds.has(raw.id)) throw new SiteFileError(`${where}: node id "${raw.id}" is used twice`);
    nodeIds.add(raw.id);
    const linked = raw.virtualProxies ?? virtualProxies.map((vp) => vp.id);
    const unknown = linked.find((vpId) => !vpIds.has(vpId));
    if (unknown !== undefined) throw new SiteFileError(`${where}: links virtual proxy "${unknown}", which the file does not define`);
    return {
      id: raw.id,
      name: raw.name ?? raw.id,
      hostName: raw.hostName ?? '',
      ...(raw.address !== undefined ? { address: raw.address } : {}),
      proxyPort: raw.proxyPort,
      qpsPort: raw.qpsPort,
      qrsPort: raw.qrsPort,
      enginePort: raw.enginePort,
      virtualProxies: linked,
    };
  });
  for (const vp of virtualProxies) {
    if (balanceToAllNodes.has(vp)) vp.loadBalancingServerNodes = nodes.map((n) => n.id);
    const unknown = vp.loadBalancingServerNodes.find((id) => !nodeIds.has(id));
    if (unknown !== undefined) throw new SiteFileError(`virtual proxy "${vp.id}": balances to node "${unknown}", which the file does not define`);
  }

  const streams = file.streams.map((raw) => ({ id: raw.id, name: raw.name ?? raw.id }));
  const apps = file.apps.map((raw, i) => {
    const stream = raw.stream === undefined ? streams[0]?.id : (raw.stream ?? undefined);
    if (stream !== undefined && !streams.some((st) => st.id === stream)) throw new SiteFileError(`apps[${i}].stream: "${stream}" is not in "streams"`);
    return { id: raw.id, name: raw.name ?? raw.id, images: raw.images, stream, tags: raw.tags };
  });
  const rules = file.rules.map((raw, i) => ({
    name: raw.name ?? `rule ${i + 1}`,
    appIds: raw.appIds,
    userDirectory: raw.userDirectory,
    userId: raw.userId,
  })) satisfies AccessRule[];

  return {
    name: file.name,
    buildVersion: file.buildVersion,
    nodes,
    virtualProxies,
    users: file.users.map((raw) => ({ userDirectory: raw.userDirectory, userId: raw.userId, name: raw.name ?? raw.userId })),
    streams,
    apps,
    rules,
    maxParallelSessionsPerUser: file.maxParallelSessionsPerUser,
    ticketValiditySeconds: file.ticketValiditySeconds,
    websocketCsrfProtection: file.websocketCsrfProtection,
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
