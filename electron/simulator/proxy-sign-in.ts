// Authentication on a node's proxy front end, as the browser sees it: the answer to each outcome of
// `ProxyAuth.authenticate` (module redirect, 401 page, refused credentials, too many sessions, ticket spent), or the session
// the request belongs to once it is signed in.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redirect, sendHtml } from './http-util';
import type { ProxyAuth } from './proxy-auth';
import { messagePage } from './proxy-pages';
import type { VirtualProxyDescription } from './site';
import { TOO_MANY_SESSIONS_MESSAGE, type Session } from './state';

/** The signed-in session (its cookie already set on `res`), or undefined when an answer has been sent. */
export function signIn(auth: ProxyAuth, req: IncomingMessage, res: ServerResponse, url: URL, vp: VirtualProxyDescription): Session | undefined {
  const result = auth.authenticate(req, url, vp);
  switch (result.kind) {
    case 'too-many-sessions':
      sendHtml(res, 403, messagePage('Too many sessions', TOO_MANY_SESSIONS_MESSAGE));
      return undefined;
    case 'none': {
      const login = auth.loginUri(req, url, vp);
      if (login) redirect(res, login);
      else sendHtml(res, 401, messagePage('Not authenticated', 'You are not signed in to Qlik Sense on this virtual proxy.'));
      return undefined;
    }
    case 'refused':
      // Credentials were presented and did not pass (a bad JWT, a header value Qlik cannot take).
      sendHtml(res, 401, messagePage('Not authenticated', result.reason));
      return undefined;
    case 'ticket-redeemed': {
      // Send the browser back to the same address without the (now spent) ticket.
      const clean = auth.targetUrl(req, url);
      redirect(res, `${clean.pathname}${clean.search}`, result.setCookie);
      return undefined;
    }
    case 'session':
      if (result.setCookie) res.setHeader('Set-Cookie', [result.setCookie]);
      return result.session;
  }
}
