// The proxy front end a browser talks to (port 443 on a real node). Each request passes three rooms:
// routing (proxy-routes.ts: virtual proxy prefix, then the path below it), authentication (proxy-auth.ts
// decides who the request belongs to, proxy-sign-in.ts answers those it does not let in) and pages
// (proxy-content.ts: hub, app pages, app content, exports and the personal API). Sessions belong to this
// node only, as on a real multi-node site.
import { requestUrl, sendText, withFaults, type Handler } from './http-util';
import { createProxyAuth } from './proxy-auth';
import { servePage, servePersonalApi } from './proxy-content';
import { isPersonalApi, matchRoute, parseAdditionalHeaders } from './proxy-routes';
import { signIn } from './proxy-sign-in';
import type { NodeContext } from './node-context';

export function createProxyHandler(ctx: NodeContext): Handler {
  const auth = createProxyAuth(ctx);
  return withFaults(ctx.faults, (req, res) => {
    const url = requestUrl(req);
    const resolved = auth.resolveVirtualProxy(url.pathname);
    if (!resolved) return sendText(res, 404, 'Not Found');
    const { vp, base, rest } = resolved;
    for (const [name, value] of parseAdditionalHeaders(vp.additionalResponseHeaders)) res.setHeader(name, value);

    const route = matchRoute(rest);
    if (!route) return sendText(res, 404, 'Not Found');
    const place = { ctx, vp, base };
    if (isPersonalApi(route)) return servePersonalApi(place, auth, req, res, route, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method Not Allowed', { Allow: 'GET' });

    const session = signIn(auth, req, res, url, vp);
    if (session) servePage(place, res, route, session);
  });
}
