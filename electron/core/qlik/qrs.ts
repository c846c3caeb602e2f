// The few Qlik Sense Repository Service reads Usher needs: the build, the virtual proxies and the proxy
// services that link them. Every call names a repository user in X-Qlik-User, as Qlik requires.
import { camelCaseKeys } from './casing';
import * as v from 'valibot';
import { readAnswer, type QlikTransport } from './http';
import { qrsEquals } from './qrs-filter';
import type { ProxyServiceConfig, QrsAbout, QrsClient, ServerNodeRef, VirtualProxyConfig } from './types';
import { readVirtualProxyFields } from './virtual-proxy';

export const DEFAULT_QRS_USER = { userDirectory: 'INTERNAL', userId: 'sa_repository' } as const;

/** `UserDirectory=INTERNAL; UserId=sa_repository`, values URL-encoded so `;` or `=` in them cannot break it. */
export function qlikUserHeader(user: { userDirectory: string; userId: string }): string {
  return `UserDirectory=${encodeURIComponent(user.userDirectory)}; UserId=${encodeURIComponent(user.userId)}`;
}

// The QRS answers read by valibot schemas, leniently as Qlik's versions differ: a field of the wrong type
// or missing takes its default (v.fallback), an embedded object may be null; only what Usher cannot work
// without (a virtual proxy's id, the build version) refuses the answer as not the expected shape.

function list(value: unknown, what: string): unknown[] {
  return readAnswer(v.array(v.unknown()), value, `a list of ${what}`);
}

const text = v.fallback(v.string(), '');
const count = (fallback: number) => v.fallback(v.number(), fallback);
/** A number the answer may leave out: absent when it is not one. */
const someCount = v.fallback(v.optional(v.number()), undefined);

/** A server node as the QRS embeds it: a full ServerNodeConfiguration, a condensed one, or just an id. */
const nodeRefSchema = v.union([
  v.pipe(
    v.string(),
    v.transform((id) => ({ id, name: '', hostName: '' })),
  ),
  v.object({ id: text, name: text, hostName: text }),
]);

/** The one virtual proxy model (virtual-proxy.ts), its fields read leniently, its nodes as the QRS embeds them. */
function toVirtualProxy(value: unknown): VirtualProxyConfig {
  const { id, loadBalancingServerNodes } = readAnswer(
    v.object({ id: v.string(), loadBalancingServerNodes: v.fallback(v.array(v.unknown()), []) }),
    value,
    'a virtual proxy',
  );
  return {
    ...readVirtualProxyFields(value as Record<string, unknown>),
    id,
    loadBalancingServerNodes: loadBalancingServerNodes.map((node) => readAnswer(nodeRefSchema, node, 'a server node')),
  };
}

/** An embedded object the answer may leave out or send as null: read as {} (every field at its default). */
function embedded<S extends v.GenericSchema>(schema: S) {
  return v.pipe(
    v.optional(v.unknown(), () => ({})),
    v.transform((value) => value ?? {}),
    schema,
  );
}

const proxyServiceSchema = v.object({
  id: text,
  settings: embedded(
    v.object({
      listenPort: count(443),
      restListenPort: count(4243),
      allowHttp: v.fallback(v.boolean(), false),
      unencryptedListenPort: someCount,
      authenticationListenPort: someCount,
      virtualProxies: v.fallback(v.array(v.unknown()), []),
    }),
  ),
  serverNodeConfiguration: embedded(v.object({ id: v.fallback(v.optional(v.string()), undefined), name: text, hostName: text })),
});

function toProxyService(value: unknown): ProxyServiceConfig {
  const { id, settings, serverNodeConfiguration } = readAnswer(proxyServiceSchema, value, 'a proxy service');
  const { unencryptedListenPort, authenticationListenPort, ...always } = settings;
  const node: ServerNodeRef = { name: serverNodeConfiguration.name, hostName: serverNodeConfiguration.hostName };
  if (serverNodeConfiguration.id !== undefined) node.id = serverNodeConfiguration.id;
  return {
    id,
    settings: {
      ...always,
      ...(unencryptedListenPort !== undefined ? { unencryptedListenPort } : {}),
      ...(authenticationListenPort !== undefined ? { authenticationListenPort } : {}),
      virtualProxies: always.virtualProxies.map(toVirtualProxy),
    },
    serverNodeConfiguration: node,
  };
}

/** QRS's about answer: every field kept, the four Usher shows read. */
const aboutSchema = v.looseObject({ buildVersion: v.string(), buildDate: text, databaseProvider: text, nodeType: count(0) });

function toAbout(value: unknown): QrsAbout {
  return readAnswer(aboutSchema, value, 'the QRS about answer');
}

export class QrsApi implements QrsClient {
  private readonly userHeader: string;

  constructor(
    private readonly transport: QlikTransport,
    readonly baseUrl: string,
    user: { userDirectory: string; userId: string },
  ) {
    this.userHeader = qlikUserHeader(user);
  }

  private get<T>(path: string, parse: (json: unknown) => T): Promise<T> {
    return this.transport.call({
      service: 'qrs',
      method: 'GET',
      url: `${this.baseUrl}${path}`,
      headers: { 'X-Qlik-User': this.userHeader },
      expect: [200],
      parse: (json) => parse(camelCaseKeys(json)),
    });
  }

  about(): Promise<QrsAbout> {
    return this.get('/qrs/about', toAbout);
  }

  virtualProxies(): Promise<VirtualProxyConfig[]> {
    return this.get('/qrs/virtualproxyconfig/full', (json) => list(json, 'virtual proxies').map(toVirtualProxy));
  }

  /** The virtual proxy with `prefix` ('' = the default one): QRS filters, so a large site sends one, not all. */
  async virtualProxy(prefix: string): Promise<VirtualProxyConfig | undefined> {
    const filter = encodeURIComponent(qrsEquals('prefix', prefix));
    const found = await this.get(`/qrs/virtualproxyconfig/full?filter=${filter}`, (json) => list(json, 'virtual proxies').map(toVirtualProxy));
    // QRS compares strings without regard to case; prefixes are lower case, so this is the exact one.
    return found.find((vp) => vp.prefix === prefix);
  }

  proxyServices(): Promise<ProxyServiceConfig[]> {
    return this.get('/qrs/proxyservice/full', (json) => list(json, 'proxy services').map(toProxyService));
  }
}
