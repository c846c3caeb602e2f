// The few Qlik Sense Repository Service reads Usher needs: the build, the virtual proxies and the proxy
// services that link them. Every call names a repository user in X-Qlik-User, as Qlik requires.
import { camelCaseKeys } from './casing';
import { ShapeError, shapeObject as obj, type QlikTransport } from './http';
import { qrsEquals } from './qrs-filter';
import type { ProxyServiceConfig, QrsAbout, QrsClient, ServerNodeRef, VirtualProxyConfig } from './types';
import { readVirtualProxyFields } from './virtual-proxy';

export const DEFAULT_QRS_USER = { userDirectory: 'INTERNAL', userId: 'sa_repository' } as const;

/** `UserDirectory=INTERNAL; UserId=sa_repository`, values URL-encoded so `;` or `=` in them cannot break it. */
export function qlikUserHeader(user: { userDirectory: string; userId: string }): string {
  return `UserDirectory=${encodeURIComponent(user.userDirectory)}; UserId=${encodeURIComponent(user.userId)}`;
}

type Obj = Record<string, unknown>;

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`is not a list of ${what}`);
  return value;
}

const str = (o: Obj, key: string, fallback = ''): string => (typeof o[key] === 'string' ? (o[key] as string) : fallback);
const num = (o: Obj, key: string, fallback = 0): number => (typeof o[key] === 'number' ? (o[key] as number) : fallback);
const bool = (o: Obj, key: string, fallback = false): boolean => (typeof o[key] === 'boolean' ? (o[key] as boolean) : fallback);

/** A server node as the QRS embeds it: a full ServerNodeConfiguration, a condensed one, or just an id. */
function nodeRef(value: unknown): { id: string; name: string; hostName: string } {
  if (typeof value === 'string') return { id: value, name: '', hostName: '' };
  const o = obj(value, 'a server node');
  return { id: str(o, 'id'), name: str(o, 'name'), hostName: str(o, 'hostName') };
}

/** The one virtual proxy model (virtual-proxy.ts), its fields read leniently, its nodes as the QRS embeds them. */
function toVirtualProxy(value: unknown): VirtualProxyConfig {
  const o = obj(value, 'a virtual proxy');
  if (typeof o.id !== 'string') throw new ShapeError('is not a virtual proxy (no id)');
  return {
    ...readVirtualProxyFields(o),
    id: o.id,
    loadBalancingServerNodes: Array.isArray(o.loadBalancingServerNodes) ? o.loadBalancingServerNodes.map(nodeRef) : [],
  };
}

function toProxyService(value: unknown): ProxyServiceConfig {
  const o = obj(value, 'a proxy service');
  const settings = obj(o.settings ?? {}, 'proxy service settings');
  const node = obj(o.serverNodeConfiguration ?? {}, 'a server node');
  const serverNodeConfiguration: ServerNodeRef = { name: str(node, 'name'), hostName: str(node, 'hostName') };
  if (typeof node.id === 'string') serverNodeConfiguration.id = node.id;
  const out: ProxyServiceConfig = {
    id: str(o, 'id'),
    settings: {
      listenPort: num(settings, 'listenPort', 443),
      restListenPort: num(settings, 'restListenPort', 4243),
      allowHttp: bool(settings, 'allowHttp'),
      virtualProxies: Array.isArray(settings.virtualProxies) ? settings.virtualProxies.map(toVirtualProxy) : [],
    },
    serverNodeConfiguration,
  };
  if (typeof settings.unencryptedListenPort === 'number') out.settings.unencryptedListenPort = settings.unencryptedListenPort;
  if (typeof settings.authenticationListenPort === 'number') out.settings.authenticationListenPort = settings.authenticationListenPort;
  return out;
}

function toAbout(value: unknown): QrsAbout {
  const o = obj(value, 'the QRS about answer');
  if (typeof o.buildVersion !== 'string') throw new ShapeError('is not the QRS about answer (no buildVersion)');
  return { ...o, buildVersion: o.buildVersion, buildDate: str(o, 'buildDate'), databaseProvider: str(o, 'databaseProvider'), nodeType: num(o, 'nodeType') };
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
