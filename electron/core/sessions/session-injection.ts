// A Qlik session made through the session API instead of a ticket: POST /qps/{prefix/}session with an id
// we choose, then the browser gets the virtual proxy's session cookie holding that id, set by hand. This
// is how portals hand a login to a browser without a redirect, and the cookie must look exactly like the
// one the proxy itself would set, or the proxy will not see it (wrong name, domain or path) or the
// browser will not send it (SameSite, Secure).
import { randomUUID } from 'node:crypto';
import type { Attributes, QpsClient, QpsSession, VirtualProxyConfig } from '../qlik';
import { prefixPhrase } from '../../../shared/virtual-proxy';
import { domainCovers } from './cookie-sessions';
import { UsherError } from '../../../shared/errors';

/** What QRS says of the virtual proxy that decides its cookie. */
export type InjectionVirtualProxy = Pick<VirtualProxyConfig, 'prefix' | 'sessionCookieHeaderName' | 'sessionCookieDomain' | 'sameSiteAttributeHttps'>;

/** The cookie to set in a browser partition (the browser host's PartitionCookieInput has this shape). */
export interface SessionCookieSpec {
  /** The proxy's origin + '/': the scheme and host the cookie is for. */
  url: string;
  name: string;
  value: string;
  /** Absent: a host-only cookie for the proxy host, as the proxy sets it without sessionCookieDomain. */
  domain?: string;
  path: '/';
  secure: true;
  httpOnly: true;
  sameSite: 'None' | 'Lax' | 'Strict';
}

export interface InjectSessionInput {
  qps: QpsClient;
  virtualProxy: InjectionVirtualProxy;
  /** The proxy node's address as browsers reach it, `https://host[:port]`. */
  proxy: string;
  userDirectory: string;
  userId: string;
  attributes?: Attributes;
  /** Tests fix it; otherwise a fresh random UUID, like the GUIDs Qlik's proxy uses. */
  sessionId?: string;
}

export interface InjectedSession {
  session: QpsSession;
  cookie: SessionCookieSpec;
}

export type SessionInjectionErrorCode = 'COOKIE_DOMAIN_MISMATCH' | 'NOT_HTTPS' | 'WRONG_VIRTUAL_PROXY';

export class SessionInjectionError extends UsherError<SessionInjectionErrorCode> {
  override name = 'SessionInjectionError';
  declare readonly hint: string;
  constructor(code: SessionInjectionErrorCode, message: string, hint: string) {
    super(code, message, hint);
  }
}

/**
 * The SameSite the proxy gives its cookie over HTTPS. "Not set" (0) is sent without the attribute, which
 * browsers read as Lax, so Lax is what a cookie set by hand must say to behave the same.
 */
export function sameSiteOf(code: number): SessionCookieSpec['sameSite'] {
  return code === 1 ? 'None' : code === 3 ? 'Strict' : 'Lax';
}

/** The cookie the proxy would set for `sessionId` over HTTPS (never the -HTTP name: partitions speak TLS only). */
export function sessionCookieFor(vp: InjectionVirtualProxy, proxy: string, sessionId: string): SessionCookieSpec {
  const url = new URL(proxy);
  if (url.protocol !== 'https:') {
    throw new SessionInjectionError(
      'NOT_HTTPS',
      `${proxy} is not an https address.`,
      'Give the proxy node as https://host[:port]: session cookies are set Secure, and partitions trust only the site CA over TLS.',
    );
  }
  const domain = vp.sessionCookieDomain.trim();
  if (domain && !domainCovers(domain, url.hostname)) {
    throw new SessionInjectionError(
      'COOKIE_DOMAIN_MISMATCH',
      `The session cookie domain ${domain} of ${prefixPhrase(vp.prefix)} does not cover the proxy host ${url.hostname}: a browser would reject the cookie.`,
      'Reach the proxy by a name inside that domain, or fix sessionCookieDomain in the QMC (Virtual proxies > Advanced).',
    );
  }
  return {
    url: `${url.origin}/`,
    name: vp.sessionCookieHeaderName,
    value: sessionId,
    ...(domain ? { domain } : {}),
    path: '/',
    // Always Secure: over HTTPS the proxy may leave it off, but SameSite=None requires it and the
    // partition talks TLS only, so Secure costs nothing and keeps the id off any plain-HTTP request.
    secure: true,
    httpOnly: true,
    sameSite: sameSiteOf(vp.sameSiteAttributeHttps),
  };
}

/**
 * Creates the session on the node's QPS and answers the cookie to set. Everything that can refuse is
 * checked before the POST, so a refusal leaves no session behind that counts against the user's five.
 */
export async function injectSession(input: InjectSessionInput): Promise<InjectedSession> {
  if (input.qps.prefix !== input.virtualProxy.prefix) {
    throw new SessionInjectionError(
      'WRONG_VIRTUAL_PROXY',
      `The QPS client speaks for virtual proxy "${input.qps.prefix}", the cookie is for "${input.virtualProxy.prefix}".`,
      'This is a bug in Usher: the session would be created on one virtual proxy and its cookie named after another.',
    );
  }
  const sessionId = input.sessionId ?? randomUUID();
  const cookie = sessionCookieFor(input.virtualProxy, input.proxy, sessionId);
  const session = await input.qps.addSession({
    userDirectory: input.userDirectory,
    userId: input.userId,
    attributes: input.attributes ?? [],
    sessionId,
  });
  // The QPS answers the session it stored; its id is what the cookie must hold.
  return { session, cookie: { ...cookie, value: session.sessionId } };
}
