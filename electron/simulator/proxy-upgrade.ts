// The proxy's WebSocket upgrades to the engine (`/{prefix}/app/{appId}`, `/{prefix}/app/engineData`):
// authenticated as any request (ticket, session cookie, header; a JWT only before November 2024), checked against the virtual proxy's host
// allow list and, since November 2024, the session's csrf token; then handed to the engine with the
// session's user fixed for the life of the socket.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { queryParam, requestUrl } from './http-util';
import { parseAdditionalHeaders } from './proxy-routes';
import { bearerToken, csrfTokenMatches, type ProxyAuth } from './proxy-auth';
import type { NodeContext } from './node-context';
import type { VirtualProxyDescription } from './site';
import { TOO_MANY_SESSIONS_MESSAGE } from './state';
import { createUpgradeServer, engineAppId, refuseUpgrade, type UpgradeHandler } from './engine/upgrade-util';

/** The proxy's log line for a socket without a valid csrf token (Qlik, November 2024 and later). */
export const CSWSH_MESSAGE =
  'Cross-Site Websocket Hijacking attack prevention check failed. Possible Cross-Site Websocket Hijacking attack (CSWSH) discovered.';

/**
 * Whether a browser page at `origin` may open the socket: the proxy's own host name, or a host in the
 * virtual proxy's allow list. Qlik compares host names (an entry may also carry a port or be a whole
 * origin), so a page on another port of the proxy's own host passes.
 */
export function originAllowed(origin: string, proxyHost: string | undefined, vp: VirtualProxyDescription): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const ownHostName = (proxyHost ?? '').toLowerCase().replace(/:\d+$/, '');
  if (url.hostname.toLowerCase() === ownHostName) return true;
  return vp.websocketCrossOriginWhiteList.some((entry) => {
    const e = entry.trim().toLowerCase();
    return e === url.hostname.toLowerCase() || e === url.host.toLowerCase() || e === url.origin.toLowerCase();
  });
}

/** No session: the proxy tells the client where to log in (mustAuthenticate) on its first message, then closes. */
function mustAuthenticate(ws: WebSocket, loginUri: string): void {
  ws.once('message', () => {
    ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'OnAuthenticationInformation', params: { loginUri, mustAuthenticate: true } }));
    ws.close(1000, 'Not authenticated');
  });
  ws.on('error', () => ws.terminate());
}

export function createProxyUpgrade(ctx: NodeContext, auth: ProxyAuth): { upgrade: UpgradeHandler; close(): void } {
  const server = createUpgradeServer();
  const nodeId = ctx.node.id;

  const upgrade: UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      handle(req, socket, head);
    } catch {
      refuseUpgrade(socket, 400, 'Bad Request');
    }
  };

  function handle(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = requestUrl(req);
    const resolved = auth.resolveVirtualProxy(url.pathname);
    const appId = resolved ? engineAppId(resolved.rest) : undefined;
    if (!resolved || appId === undefined) return refuseUpgrade(socket, 404, 'Not Found');
    const { vp, base } = resolved;
    const headers = parseAdditionalHeaders(vp.additionalResponseHeaders).map(([name, value]) => `${name}: ${value}`);
    if (vp.loadBalancingServerNodes.length === 0) {
      return refuseUpgrade(socket, 503, `No available nodes: virtual proxy ${base || '/'} has no load balancing nodes, so no engine can serve this socket.`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, req.headers.host, vp)) {
      return refuseUpgrade(socket, 403, `Forbidden: the origin ${origin} is not in the host allow list of virtual proxy ${base || '/'}.`);
    }
    // Since November 2024 a JWT does not open the engine socket: the page must reuse the session cookie the
    // token's first HTTP request got, with its csrf token. A bearer token with no session beside it is
    // what a cross-site page would send, and is refused as such.
    const protectedSocket = ctx.state.site.websocketCsrfProtection;
    if (protectedSocket && vp.authenticationMethod === 4 && bearerToken(req) !== undefined && !auth.cookieSession(req, vp)) {
      return refuseUpgrade(socket, 403, CSWSH_MESSAGE);
    }
    const result = auth.authenticate(req, url, vp, { ignoreBearer: protectedSocket });
    if (result.kind === 'too-many-sessions') return refuseUpgrade(socket, 403, TOO_MANY_SESSIONS_MESSAGE);
    if (result.kind === 'refused') return refuseUpgrade(socket, 401, `Unauthorized: ${result.reason}`);
    const host = req.headers.host ?? `${ctx.node.hostName}:${ctx.endpoints().proxyPort}`;
    if (result.kind === 'none') {
      const login =
        auth.loginUri(req, url, vp) ??
        `https://${host}${base}/internal_windows_authentication/?targetUri=${encodeURIComponent(auth.targetUrl(req, url).toString())}`;
      return server.accept(req, socket, head, headers, (ws) => mustAuthenticate(ws, login));
    }
    const session = result.session;
    // A socket riding an existing session must carry that session's token; one whose session this very
    // upgrade created (ticket, header) has nothing a cross-site page could have stolen.
    const ridesExistingSession = result.kind === 'session' && result.setCookie === undefined;
    if (ctx.state.site.websocketCsrfProtection && ridesExistingSession && !csrfTokenMatches(session, queryParam(url, 'qlik-csrf-token'))) {
      return refuseUpgrade(socket, 403, CSWSH_MESSAGE);
    }
    if (result.setCookie) headers.push(`Set-Cookie: ${result.setCookie}`);
    const engineNodeId = vp.loadBalancingServerNodes.includes(nodeId) ? nodeId : vp.loadBalancingServerNodes[0]!;
    const user = { userDirectory: session.userDirectory, userId: session.userId };
    server.accept(req, socket, head, headers, (ws) => {
      ctx.engine.connect(ws, {
        engineNodeId,
        user,
        appId,
        proxySession: session,
        authentication: { userId: user.userId, userDirectory: user.userDirectory, logoutUri: `https://${host}${base}/qps/user`, mustAuthenticate: false },
        onActivity: () => ctx.state.getSession(nodeId, session.sessionId, vp.id, true),
      });
    });
  }

  return { upgrade, close: () => server.close() };
}
