// The repository's entities as the QRS serves them: one full object per site-file entity, with the fields
// every QRS entity carries (GUID id, createdDate, modifiedDate, modifiedByUserName, schemaPath, privileges,
// customProperties, tags), and the condensed shape of each type (Qlik help: "Full versus condensed
// objects"; the QRS API reference for each *Condensed model). The repository is shared by the whole site,
// so every node answers the same; only the proxy ports come from the listening site.
import type { QrsEnums } from '../core/qlik/qrs-filter';
import type { ProxyServiceConfig, VirtualProxyConfig } from '../core/qlik/types';
import type { NodeContext, NodeEndpoints } from './node-context';
import { qrsGuid, type AppDescription, type NodeDescription, type SiteDescription, type VirtualProxyDescription } from './site';

export type QrsObject = Record<string, unknown>;

/** A QRS entity type: its full objects (what `filter` and `orderby` read) and which fields its condensed shape keeps. */
export interface QrsEntityType {
  /** The path segment, lower case: `/qrs/{name}`. */
  name: string;
  full(ctx: NodeContext): QrsObject[];
  condensedKeys: readonly string[];
  /** Enum properties a filter may name by value name (Qlik's QRS API reference, "One of: 0: Ticket ..."). */
  enums?: QrsEnums;
}

const SAME_SITE = ['NoAttribute', 'None', 'Lax', 'Strict'];

/** The site's repository was set up once; a fixed date keeps answers the same from run to run. */
const SITE_CREATED = '2024-01-15T09:00:00.000Z';
const SA_REPOSITORY = 'INTERNAL\\sa_repository';
const NO_GUID = '00000000-0000-0000-0000-000000000000';

/** What every repository object holds, a service's settings object included. */
function stamped(kind: string, key: string): { id: string; createdDate: string; modifiedDate: string; modifiedByUserName: string } {
  return { id: qrsGuid(kind, key), createdDate: SITE_CREATED, modifiedDate: SITE_CREATED, modifiedByUserName: SA_REPOSITORY };
}

/** The fields every QRS entity carries; `privileges` stays null unless the caller asks (`privileges=true`). */
function base(kind: string, key: string, schemaPath: string) {
  return {
    ...stamped(kind, key),
    customProperties: [] as QrsObject[],
    tags: [] as QrsObject[],
    privileges: null,
    schemaPath,
  };
}

function tagRefs(names: string[]): QrsObject[] {
  return names.map((name) => ({ id: qrsGuid('tag', name.toLowerCase()), name, privileges: null }));
}

// --- condensed references (how one entity names another inside it) ---------------------------------

function serviceCluster(): QrsObject {
  return { id: qrsGuid('servicecluster', 'default'), name: 'ServiceCluster', privileges: null };
}

export function nodeCondensed(node: NodeDescription) {
  return {
    id: qrsGuid('servernodeconfiguration', node.id),
    name: node.name,
    hostName: node.hostName,
    temporaryfilepath: '',
    roles: [],
    serviceCluster: serviceCluster(),
    privileges: null,
  };
}

function userCondensed(site: SiteDescription, userDirectory: string, userId: string): QrsObject {
  const known = site.users.find((u) => u.userDirectory === userDirectory && u.userId === userId);
  return {
    id: qrsGuid('user', `${userDirectory}\\${userId}`),
    userId,
    userDirectory,
    userDirectoryConnectorName: userDirectory,
    name: known?.name ?? userId,
    privileges: null,
  };
}

/** Apps and streams belong to the repository's own service account unless a site says otherwise. */
function owner(site: SiteDescription): QrsObject {
  return userCondensed(site, 'INTERNAL', 'sa_repository');
}

function streamCondensed(site: SiteDescription, streamId: string | undefined): QrsObject | null {
  const stream = site.streams.find((s) => s.id === streamId);
  return stream ? { id: qrsGuid('stream', stream.id), name: stream.name, privileges: null } : null;
}

// --- full objects ---------------------------------------------------------------------------------

function appFull(site: SiteDescription, app: AppDescription): QrsObject {
  const stream = streamCondensed(site, app.stream);
  return {
    ...base('app', app.id, 'App'),
    tags: tagRefs(app.tags),
    owner: owner(site),
    name: app.name,
    appId: '',
    sourceAppId: NO_GUID,
    targetAppId: NO_GUID,
    publishTime: stream ? SITE_CREATED : '1753-01-01T00:00:00.000Z',
    published: stream !== null,
    stream,
    description: '',
    fileSize: 4096,
    lastReloadTime: SITE_CREATED,
    thumbnail: '',
    savedInProductVersion: site.buildVersion,
    migrationHash: '',
    dynamicColor: '',
    availabilityStatus: 0,
  };
}

function virtualProxyFull(site: SiteDescription, vp: VirtualProxyDescription) {
  const { id, loadBalancingServerNodes, ...fields } = vp;
  const full = {
    ...base('virtualproxyconfig', id, 'VirtualProxyConfig'),
    sessionModuleBaseUri: '',
    loadBalancingModuleBaseUri: '',
    useStickyLoadBalancing: false,
    headerAuthenticationMode: vp.authenticationMethod === 1 || vp.authenticationMethod === 2 ? vp.authenticationMethod : 0,
    headerAuthenticationDynamicUserDirectory: '',
    magicLinkHostUri: '',
    magicLinkFriendlyName: '',
    samlSlo: false,
    ...fields,
    loadBalancingServerNodes: loadBalancingServerNodes.flatMap((nodeId) => {
      const node = site.nodes.find((n) => n.id === nodeId);
      return node ? [nodeCondensed(node)] : [];
    }),
  };
  // One model: what Usher's client reads of a virtual proxy (core/qlik/types.ts), the site serves.
  return full satisfies VirtualProxyConfig;
}

function nodeFull(site: SiteDescription, node: NodeDescription): QrsObject {
  return {
    ...base('servernodeconfiguration', node.id, 'ServerNodeConfiguration'),
    name: node.name,
    hostName: node.hostName,
    // The first node of the site file plays the central node.
    isCentral: site.nodes[0]?.id === node.id,
    nodePurpose: 2,
    engineEnabled: true,
    proxyEnabled: true,
    schedulerEnabled: site.nodes[0]?.id === node.id,
    printingEnabled: true,
    failoverCandidate: false,
    temporaryfilepath: '',
    roles: [],
    serviceCluster: serviceCluster(),
  };
}

function proxyServiceFull(site: SiteDescription, node: NodeDescription, endpoints: NodeEndpoints): QrsObject {
  const linked = site.virtualProxies.filter((vp) => node.virtualProxies.includes(vp.id));
  const full = {
    ...base('proxyservice', node.id, 'ProxyService'),
    serverNodeConfiguration: nodeCondensed(node),
    settings: {
      ...stamped('proxyservicesettings', node.id),
      listenPort: endpoints.proxyPort,
      allowHttp: false,
      unencryptedListenPort: 80,
      authenticationListenPort: 4244,
      kerberosAuthentication: false,
      unencryptedAuthenticationListenPort: 4248,
      sslBrowserCertificateThumbprint: '',
      keepAliveTimeoutSeconds: 10,
      maxHeaderSizeBytes: 16384,
      maxHeaderLines: 100,
      restListenPort: endpoints.qpsPort,
      virtualProxies: linked.map((vp) => virtualProxyFull(site, vp)),
      formAuthenticationPageTemplate: '',
      loggedOutPageTemplate: '',
      errorPageTemplate: '',
      schemaPath: 'ProxyServiceSettings',
    },
  };
  return full satisfies ProxyServiceConfig;
}

function engineServiceFull(node: NodeDescription): QrsObject {
  return {
    ...base('engineservice', node.id, 'EngineService'),
    serverNodeConfiguration: nodeCondensed(node),
    settings: {
      ...stamped('engineservicesettings', node.id),
      listenerPorts: [],
      autosaveInterval: 30,
      documentTimeout: 28800,
      documentDirectory: '',
      allowDataLineage: true,
      standardReload: true,
      workingSetSizeMode: 1,
      cpuThrottlePercentage: 0,
      schemaPath: 'EngineServiceSettings',
    },
  };
}

/** Every node's addresses joined to its node, in site-file order (a node not yet listening is left out). */
function listeningNodes(ctx: NodeContext): Array<{ node: NodeDescription; endpoints: NodeEndpoints }> {
  const endpoints = ctx.allEndpoints();
  return ctx.state.site.nodes.flatMap((node) => {
    const e = endpoints.find((x) => x.nodeId === node.id);
    return e ? [{ node, endpoints: e }] : [];
  });
}

const ENTITY_TYPES: readonly QrsEntityType[] = [
  {
    name: 'app',
    full: (ctx) => ctx.state.site.apps.map((app) => appFull(ctx.state.site, app)),
    condensedKeys: ['id', 'privileges', 'name', 'appId', 'publishTime', 'published', 'stream', 'savedInProductVersion', 'migrationHash', 'availabilityStatus'],
  },
  {
    name: 'stream',
    full: (ctx) => {
      const { site } = ctx.state;
      return site.streams.map((s) => ({ ...base('stream', s.id, 'Stream'), name: s.name, owner: owner(site) }));
    },
    condensedKeys: ['id', 'privileges', 'name'],
  },
  {
    name: 'user',
    full: (ctx) =>
      ctx.state.site.users.map((u) => ({
        ...base('user', `${u.userDirectory}\\${u.userId}`, 'User'),
        userId: u.userId,
        userDirectory: u.userDirectory,
        userDirectoryConnectorName: u.userDirectory,
        name: u.name,
        roles: [],
        attributes: [],
        inactive: false,
        removedExternally: false,
        blacklisted: false,
        deleteProhibited: false,
      })),
    condensedKeys: ['id', 'privileges', 'userId', 'userDirectory', 'userDirectoryConnectorName', 'name'],
  },
  {
    name: 'servernodeconfiguration',
    full: (ctx) => ctx.state.site.nodes.map((node) => nodeFull(ctx.state.site, node)),
    condensedKeys: ['id', 'privileges', 'name', 'hostName', 'temporaryfilepath', 'roles', 'serviceCluster'],
    enums: { nodepurpose: ['Production', 'Development', 'ProductionAndDevelopment'] },
  },
  {
    name: 'proxyservice',
    full: (ctx) => listeningNodes(ctx).map(({ node, endpoints }) => proxyServiceFull(ctx.state.site, node, endpoints)),
    condensedKeys: ['id', 'privileges'],
  },
  {
    name: 'virtualproxyconfig',
    full: (ctx) => ctx.state.site.virtualProxies.map((vp) => virtualProxyFull(ctx.state.site, vp)),
    condensedKeys: [
      'id',
      'privileges',
      'prefix',
      'description',
      'authenticationModuleRedirectUri',
      'sessionModuleBaseUri',
      'loadBalancingModuleBaseUri',
      'useStickyLoadBalancing',
      'loadBalancingServerNodes',
      'authenticationMethod',
      'headerAuthenticationMode',
      'headerAuthenticationHeaderName',
      'headerAuthenticationStaticUserDirectory',
      'headerAuthenticationDynamicUserDirectory',
      'anonymousAccessMode',
      'windowsAuthenticationEnabledDevicePattern',
      'sessionCookieHeaderName',
      'sessionCookieDomain',
      'additionalResponseHeaders',
      'sessionInactivityTimeout',
      'extendedSecurityEnvironment',
      'websocketCrossOriginWhiteList',
      'defaultVirtualProxy',
      'tags',
      'samlSlo',
    ],
    enums: {
      authenticationmethod: ['Ticket', 'HeaderStaticUserDirectory', 'HeaderDynamicUserDirectory', 'SAML', 'JWT', 'OIDC'],
      headerauthenticationmode: ['NotAllowed', 'StaticUserDirectory', 'DynamicUserDirectory', 'Undefined'],
      anonymousaccessmode: ['NoAnonymousUser', 'AllowAnonymous', 'AlwaysAnonymous'],
      samesiteattributehttps: SAME_SITE,
      samesiteattributehttp: SAME_SITE,
    },
  },
  {
    name: 'engineservice',
    full: (ctx) => listeningNodes(ctx).map(({ node }) => engineServiceFull(node)),
    condensedKeys: ['id', 'privileges'],
  },
];

export function qrsEntityType(name: string): QrsEntityType | undefined {
  const wanted = name.toLowerCase();
  return ENTITY_TYPES.find((t) => t.name === wanted);
}

/** The condensed shape of a full object. */
export function condense(type: QrsEntityType, full: QrsObject): QrsObject {
  return Object.fromEntries(type.condensedKeys.filter((key) => key in full).map((key) => [key, full[key]]));
}
