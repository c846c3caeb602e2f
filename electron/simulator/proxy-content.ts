// The pages on a node's proxy front end: what a signed-in browser is served below a virtual proxy (hub,
// app pages, app images, exports, styles) and the personal API, which answers from the cookie alone.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatUser } from '../../shared/user';
import { redirect, sendHtml, sendJson, sendText } from './http-util';
import { clearedCookie, csrfTokenFor, type ProxyAuth } from './proxy-auth';
import { appPage, exportCsv, exportFileName, hubPage, messagePage, QLIK_STYLES_CSS, solidPng } from './proxy-pages';
import type { PageRoute, PersonalApiRoute } from './proxy-routes';
import type { NodeContext } from './node-context';
import { findApp, userMayOpenApp, type AppDescription, type VirtualProxyDescription } from './site';
import type { Session } from './state';

/** Where a request is answered: the node, its virtual proxy and the prefix the browser used. */
export interface ProxyPlace {
  ctx: NodeContext;
  vp: VirtualProxyDescription;
  /** `/prefix`, or '' on the default virtual proxy. */
  base: string;
}

function attachment(fileName: string): string {
  return `attachment; filename="${fileName.replace(/["\\]/g, '_')}"`;
}

/** The app, or an answer already sent: 404 unknown, 403 when this session's user may not open it. */
function appFor(ctx: NodeContext, res: ServerResponse, appId: string, session: Session): AppDescription | undefined {
  const app = findApp(ctx.state.site, appId);
  if (!app) {
    sendHtml(res, 404, messagePage('Not found', `There is no app "${appId}".`));
    return undefined;
  }
  if (!userMayOpenApp(ctx.state.site, app.id, session)) {
    sendHtml(res, 403, messagePage('Access denied', `${formatUser(session)} may not open app "${app.name}".`));
    return undefined;
  }
  return app;
}

function serveAppImage(ctx: NodeContext, res: ServerResponse, route: Extract<PageRoute, { kind: 'appcontent' }>, session: Session): void {
  const app = appFor(ctx, res, route.appId, session);
  if (!app) return;
  if (!app.images.includes(route.file)) return sendHtml(res, 404, messagePage('Not found', `App "${app.name}" has no image "${route.file}".`));
  const png = solidPng(`${app.id}/${route.file}`);
  res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length, 'Cache-Control': 'private' });
  res.end(png);
}

function serveExport(ctx: NodeContext, res: ServerResponse, route: Extract<PageRoute, { kind: 'tempcontent' }>, session: Session): void {
  // A file an engine export wrote: only the user whose engine session made it may fetch it.
  const exported = ctx.engine.exports.take(route.appId, route.file, session);
  if (exported.kind === 'forbidden') {
    return sendHtml(
      res,
      403,
      messagePage('Access denied', `${formatUser(session)} may not download "${route.file}": another user's engine session exported it.`),
    );
  }
  if (exported.kind === 'file') {
    const { file } = exported;
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.body.length, 'Content-Disposition': attachment(file.fileName) });
    res.end(file.body);
    return;
  }
  // Otherwise the app's standing export, which the hub page links to.
  const app = appFor(ctx, res, route.appId, session);
  if (!app) return;
  if (route.file !== exportFileName(app.id)) return sendHtml(res, 404, messagePage('Not found', `No export "${route.file}" is waiting.`));
  const csv = exportCsv(app);
  res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Length': Buffer.byteLength(csv), 'Content-Disposition': attachment(route.file) });
  res.end(csv);
}

/** Serves a page route to a signed-in session. */
export function servePage(place: ProxyPlace, res: ServerResponse, route: PageRoute, session: Session): void {
  const { ctx, vp, base } = place;
  // The hub and apps need an engine; a virtual proxy that balances to none logs users in, then fails here.
  if ((route.kind === 'hub' || route.kind === 'app') && vp.loadBalancingServerNodes.length === 0) {
    return sendHtml(res, 503, messagePage('No available nodes', `Virtual proxy ${base || '/'} has no load balancing nodes, so no engine can serve this page.`));
  }
  switch (route.kind) {
    case 'root':
      return redirect(res, `${base}/hub/`);
    case 'hub': {
      const apps = ctx.state.site.apps.filter((app) => userMayOpenApp(ctx.state.site, app.id, session));
      return sendHtml(res, 200, hubPage(base, session, apps));
    }
    case 'app': {
      const app = appFor(ctx, res, route.appId, session);
      if (app) sendHtml(res, 200, appPage(base, session, app));
      return;
    }
    case 'appcontent':
      return serveAppImage(ctx, res, route, session);
    case 'tempcontent':
      return serveExport(ctx, res, route, session);
    case 'styles':
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Content-Length': Buffer.byteLength(QLIK_STYLES_CSS) });
      res.end(QLIK_STYLES_CSS);
      return;
  }
}

/**
 * `/qps/user` and `/qps/csrftoken`: never a redirect to the module, only what the cookie held says. A
 * csrftoken request without a session may log in by bearer JWT or header: a JWT mashup's first call, whose
 * answer carries both the session cookie and the csrf token its engine socket then needs.
 */
export function servePersonalApi(place: ProxyPlace, auth: ProxyAuth, req: IncomingMessage, res: ServerResponse, route: PersonalApiRoute, url: URL): void {
  const { ctx, vp, base } = place;
  const session = auth.cookieSession(req, vp);
  if (route.kind === 'qps-csrftoken') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method Not Allowed', { Allow: 'GET' });
    const result = session ? undefined : auth.authenticate(req, url, vp);
    const fresh = result?.kind === 'session' || result?.kind === 'ticket-redeemed' ? result : undefined;
    const current = session ?? fresh?.session;
    if (!current) return sendText(res, 401, 'Unauthorized');
    if (fresh?.setCookie) res.setHeader('Set-Cookie', [fresh.setCookie]);
    return sendText(res, 200, '', { 'qlik-csrf-token': csrfTokenFor(current) });
  }
  if (req.method === 'DELETE') {
    if (session) ctx.state.deleteSession(ctx.node.id, session.sessionId, vp.id, 'logout');
    res.setHeader('Set-Cookie', [clearedCookie(vp)]);
    return sendJson(res, 200, { session: 'inactive' });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method Not Allowed', { Allow: 'GET, DELETE' });
  if (!session) return sendJson(res, 200, { session: 'inactive' });
  const logoutUri = `https://${req.headers.host ?? url.host}${base}/qps/user`;
  sendJson(res, 200, { userDirectory: session.userDirectory, userId: session.userId, userName: session.userName ?? session.userId, logoutUri });
}
