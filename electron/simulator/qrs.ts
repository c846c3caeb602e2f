// The simulated Qlik Repository Service API (port 4242 of each node), read-only and limited to what a
// ticketing console asks: about, virtual proxies and proxy services. The repository is shared by the
// whole site, so every node lists the same things; only /qrs/about says which kind of node answered.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { XRFKEY_FAILURE_BODY, requestUrl, sendJson, sendText, withFaults, xrfkeyMatches, type Handler } from './http-util';
import type { NodeDescription, VirtualProxyDescription } from './site';
import type { NodeContext } from './simulator';
import type { UserRef } from './state';

const QLIK_USER_HELP =
  'Certificate-authenticated QRS calls need the header X-Qlik-User: UserDirectory=INTERNAL; UserId=sa_repository (values URL-encoded).';

/** Reads `UserDirectory=...; UserId=...` (any key casing, URL-encoded values); undefined when unusable. */
export function parseQlikUserHeader(value: string | undefined): UserRef | undefined {
  if (!value) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    try {
      fields.set(part.slice(0, eq).trim().toLowerCase(), decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      return undefined;
    }
  }
  const userDirectory = fields.get('userdirectory');
  const userId = fields.get('userid');
  return userDirectory && userId ? { userDirectory, userId } : undefined;
}

function qlikUserProblem(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers['x-qlik-user'];
  if (raw === undefined) return `The X-Qlik-User header is missing. ${QLIK_USER_HELP}`;
  if (typeof raw !== 'string' || !parseQlikUserHeader(raw)) return `The X-Qlik-User header "${String(raw)}" cannot be read. ${QLIK_USER_HELP}`;
  return undefined;
}

/** A GUID-shaped id derived from `seed`, so a proxy service keeps its id across runs like a real one. */
function stableGuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join('-');
}

/** How the QRS refers to a server node inside other objects (a condensed ServerNodeConfiguration). */
function nodeRef(node: NodeDescription): { id: string; name: string; hostName: string } {
  return { id: node.id, name: node.name, hostName: node.hostName };
}

function virtualProxyJson(ctx: NodeContext, vp: VirtualProxyDescription): Record<string, unknown> {
  const nodes = ctx.state.site.nodes;
  return {
    ...vp,
    loadBalancingServerNodes: vp.loadBalancingServerNodes.flatMap((id) => {
      const node = nodes.find((n) => n.id === id);
      return node ? [nodeRef(node)] : [];
    }),
    schemaPath: 'VirtualProxyConfig',
  };
}

function allVirtualProxies(ctx: NodeContext): Record<string, unknown>[] {
  return ctx.state.site.virtualProxies.map((vp) => virtualProxyJson(ctx, vp));
}

function proxyServices(ctx: NodeContext): Record<string, unknown>[] {
  const { site } = ctx.state;
  return ctx.allEndpoints().flatMap((endpoints) => {
    const node = site.nodes.find((n) => n.id === endpoints.nodeId);
    if (!node) return [];
    const linked = site.virtualProxies.filter((vp) => node.virtualProxies.includes(vp.id));
    return [
      {
        id: stableGuid(`proxyservice:${node.id}`),
        settings: {
          listenPort: endpoints.proxyPort,
          allowHttp: false,
          unencryptedListenPort: 80,
          authenticationListenPort: 4244,
          restListenPort: endpoints.qpsPort,
          virtualProxies: linked.map((vp) => virtualProxyJson(ctx, vp)),
          schemaPath: 'ProxyServiceSettings',
        },
        serverNodeConfiguration: nodeRef(node),
        schemaPath: 'ProxyService',
      },
    ];
  });
}

function about(ctx: NodeContext): Record<string, unknown> {
  const { site } = ctx.state;
  return {
    buildVersion: site.buildVersion,
    buildDate: '9/20/2013 10:09:00 AM',
    databaseProvider: 'Devart.Data.PostgreSql',
    // 1 central, 2 rim: the first node of the site file plays the central node.
    nodeType: site.nodes[0]?.id === ctx.node.id ? 1 : 2,
    sharedPersistence: true,
    requiresBootstrap: false,
    singleNodeOnly: false,
    schemaPath: 'About',
  };
}

/** GET endpoints by lowercased path: the QRS matches paths without regard to case. */
const ROUTES = new Map<string, (ctx: NodeContext) => unknown>([
  ['/qrs/about', about],
  ['/qrs/virtualproxyconfig/full', allVirtualProxies],
  ['/qrs/virtualproxyconfig/count', (ctx) => ({ value: ctx.state.site.virtualProxies.length })],
  ['/qrs/proxyservice/full', proxyServices],
  ['/qrs/proxyservice/count', (ctx) => ({ value: proxyServices(ctx).length })],
]);

export function createQrsHandler(ctx: NodeContext): Handler {
  return withFaults(ctx.faults, (req, res, malformed) => {
    const url = requestUrl(req);
    if (!xrfkeyMatches(req, url)) {
      sendText(res, 403, XRFKEY_FAILURE_BODY);
      return;
    }
    const problem = qlikUserProblem(req.headers);
    if (problem) {
      sendText(res, 403, problem);
      return;
    }
    const route = ROUTES.get(url.pathname.toLowerCase().replace(/\/$/, ''));
    if (!route) {
      sendText(res, 404, `There is no QRS endpoint at ${url.pathname}.`);
      return;
    }
    if (req.method !== 'GET') {
      sendText(res, 405, 'This simulated repository is read-only; use GET.', { Allow: 'GET' });
      return;
    }
    sendJson(res, 200, route(ctx), ctx.faults, malformed);
  });
}
