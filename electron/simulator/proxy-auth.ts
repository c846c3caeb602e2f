// How a node's proxy decides who a request (page, download or WebSocket upgrade) belongs to: virtual proxy
// by prefix, then ticket, bearer JWT (JWT virtual proxies), header (header virtual proxies) or session cookie. Written once for HTTP and the engine's WebSocket, as
// on a real proxy both pass through the same authentication.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sameUser } from '../../shared/user';
import { verifyJwt } from '../core/jwt/verify';
import { BadRequest, queryParam } from './http-util';
import type { NodeContext } from './node-context';
import type { VirtualProxyDescription } from './site';
import { randomAlphanumeric, TooManySessionsError, type Attributes, type Session, type UserRef } from './state';

/** The outcome of authenticating one request. */
export type Auth =
  | { kind: 'session'; session: Session; setCookie?: string }
  | { kind: 'ticket-redeemed'; session: Session; setCookie: string }
  | { kind: 'too-many-sessions' }
  /** Credentials were presented and refused (a bad JWT, a header value Qlik cannot take): 401 and why. */
  | { kind: 'refused'; reason: string }
  | { kind: 'none' };

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** Printable US-ASCII: what Qlik takes in an authentication header. */
const US_ASCII = /^[\x20-\x7e]*$/;

/**
 * The user a header virtual proxy's header names, or why it names nobody Qlik would take: static
 * (method 1) takes the value as the user id in the configured directory; dynamic (method 2) takes
 * `DIRECTORY\user`. Undefined when the header is absent or empty.
 */
export function headerAuthenticationUser(
  value: string | undefined,
  vp: Pick<VirtualProxyDescription, 'authenticationMethod' | 'headerAuthenticationStaticUserDirectory' | 'headerAuthenticationHeaderName'>,
): UserRef | { refused: string } | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  const name = vp.headerAuthenticationHeaderName;
  if (!US_ASCII.test(trimmed)) return { refused: `the ${name} header holds characters outside US-ASCII, which Qlik does not take` };
  const slash = trimmed.indexOf('\\');
  if (vp.authenticationMethod === 2) {
    const userDirectory = trimmed.slice(0, slash).trim();
    const userId = trimmed.slice(slash + 1).trim();
    if (slash <= 0 || !userDirectory || !userId || userId.includes('\\'))
      return { refused: `the ${name} header must be DIRECTORY\\user on a dynamic-directory virtual proxy` };
    return { userDirectory, userId };
  }
  if (slash >= 0) return { refused: `the ${name} header must hold the user id alone on a static-directory virtual proxy (no backslash)` };
  return { userDirectory: vp.headerAuthenticationStaticUserDirectory, userId: trimmed };
}

export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest('malformed URL');
  }
}

/** `name=value` pairs of a Cookie header, in order (a browser may send one name more than once). */
function requestCookies(req: IncomingMessage): Array<[string, string]> {
  const header = req.headers.cookie;
  if (!header) return [];
  const out: Array<[string, string]> = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  return out;
}

const SAME_SITE: Record<number, string | undefined> = { 0: '', 1: 'None', 2: 'Lax', 3: 'Strict' };

/** The cookie attributes the virtual proxy is configured for (HTTPS side: this front end is TLS only). */
function cookieAttributes(vp: VirtualProxyDescription): string {
  let attrs = '; Path=/; HttpOnly';
  if (vp.hasSecureAttributeHttps) attrs += '; Secure';
  const sameSite = SAME_SITE[vp.sameSiteAttributeHttps];
  if (sameSite) attrs += `; SameSite=${sameSite}`;
  if (vp.sessionCookieDomain) attrs += `; Domain=${vp.sessionCookieDomain}`;
  return attrs;
}

export function sessionCookie(vp: VirtualProxyDescription, sessionId: string): string {
  return `${vp.sessionCookieHeaderName}=${sessionId}${cookieAttributes(vp)}`;
}

export function clearedCookie(vp: VirtualProxyDescription): string {
  return `${vp.sessionCookieHeaderName}=${cookieAttributes(vp)}; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0`;
}

/** One csrf token per session, made on first request, as the proxy hands the same one out until logout. */
const csrfTokens = new WeakMap<Session, string>();

export function csrfTokenFor(session: Session): string {
  let token = csrfTokens.get(session);
  if (!token) csrfTokens.set(session, (token = randomBytes(24).toString('base64url')));
  return token;
}

/** True only for the token this session was handed (compared in constant time). */
export function csrfTokenMatches(session: Session, presented: string | undefined): boolean {
  const token = csrfTokens.get(session);
  if (!token || presented === undefined) return false;
  const a = Buffer.from(token);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface ProxyAuth {
  /** The virtual proxy a path belongs to, its base path and the path below it. */
  resolveVirtualProxy(pathname: string): { vp: VirtualProxyDescription; base: string; rest: string } | undefined;
  /** `ignoreBearer`: a WebSocket upgrade under the November 2024 rules, where a JWT does not log in. */
  authenticate(req: IncomingMessage, url: URL, vp: VirtualProxyDescription, options?: { ignoreBearer?: boolean }): Auth;
  cookieSession(req: IncomingMessage, vp: VirtualProxyDescription): Session | undefined;
  /** The URL the browser asked for, without the ticket parameter: what a module sends it back to. */
  targetUrl(req: IncomingMessage, url: URL): URL;
  /** Where an unauthenticated browser goes: the module (with proxyRestUri and targetId), or undefined. */
  loginUri(req: IncomingMessage, url: URL, vp: VirtualProxyDescription): string | undefined;
}

export function createProxyAuth(ctx: NodeContext): ProxyAuth {
  return new NodeProxyAuth(ctx);
}

/** One node's proxy authentication: sessions are this node's, as on a real multi-node site. */
class NodeProxyAuth implements ProxyAuth {
  private readonly nodeId: string;

  constructor(private readonly ctx: NodeContext) {
    this.nodeId = ctx.node.id;
  }

  resolveVirtualProxy(pathname: string): { vp: VirtualProxyDescription; base: string; rest: string } | undefined {
    const first = pathname.split('/')[1] ?? '';
    if (first !== '') {
      const named = this.ctx.state.linkedVirtualProxy(this.nodeId, decodeSegment(first));
      if (named) return { vp: named, base: `/${named.prefix}`, rest: pathname.slice(first.length + 1) || '/' };
    }
    const fallback = this.ctx.state.linkedVirtualProxy(this.nodeId, '');
    return fallback ? { vp: fallback, base: '', rest: pathname } : undefined;
  }

  private newSession(vp: VirtualProxyDescription, user: UserRef, attributes: Attributes = []): Auth {
    try {
      const session = this.ctx.state.createSession(this.nodeId, vp.id, { userDirectory: user.userDirectory, userId: user.userId }, attributes);
      return { kind: 'session', session, setCookie: sessionCookie(vp, session.sessionId) };
    } catch (err) {
      if (err instanceof TooManySessionsError) return { kind: 'too-many-sessions' };
      throw err;
    }
  }

  cookieSession(req: IncomingMessage, vp: VirtualProxyDescription): Session | undefined {
    // The first cookie of that name counts, as on a real proxy; a second one (other path or domain) is ignored.
    const cookie = requestCookies(req).find(([name]) => name === vp.sessionCookieHeaderName);
    return cookie ? this.ctx.state.getSession(this.nodeId, cookie[1], vp.id, true) : undefined;
  }

  private headerUser(req: IncomingMessage, vp: VirtualProxyDescription): UserRef | { refused: string } | undefined {
    if (vp.authenticationMethod !== 1 && vp.authenticationMethod !== 2) return undefined;
    if (!vp.headerAuthenticationHeaderName) return undefined;
    const raw = req.headers[vp.headerAuthenticationHeaderName.toLowerCase()];
    return headerAuthenticationUser(Array.isArray(raw) ? raw[0] : raw, vp);
  }

  /** The user a bearer JWT logs in on a JWT virtual proxy, the refusal, or undefined without a token. */
  private jwtUser(req: IncomingMessage, vp: VirtualProxyDescription): { user: UserRef; attributes: Attributes } | { refused: string } | undefined {
    if (vp.authenticationMethod !== 4) return undefined;
    const token = bearerToken(req);
    if (token === undefined) return undefined;
    const verdict = verifyJwt(token, vp, { now: this.ctx.state.clock.now() });
    if (!verdict.ok) return { refused: `The JWT was refused: ${verdict.message}.` };
    return { user: { userDirectory: verdict.userDirectory, userId: verdict.userId }, attributes: verdict.attributes };
  }

  targetUrl(req: IncomingMessage, url: URL): URL {
    const endpoints = this.ctx.endpoints();
    const host = req.headers.host ?? `${this.ctx.node.hostName}:${endpoints.proxyPort}`;
    const target = new URL(`https://${host}${url.pathname}${url.search}`);
    for (const key of [...target.searchParams.keys()]) if (key.toLowerCase() === 'qlikticket') target.searchParams.delete(key);
    return target;
  }

  /**
   * Tells an observer (the module validator) who presented a ticket: a module that redeems its own ticket
   * before the browser does shows up as a first redemption from another client.
   */
  private reportRedemption(req: IncomingMessage, url: URL, value: string, ticket: UserRef | undefined): void {
    const observer = this.ctx.observer;
    if (!observer?.onTicketRedemption) return;
    const parameterName = [...url.searchParams.keys()].find((k) => k.toLowerCase() === 'qlikticket') ?? 'qlikTicket';
    try {
      observer.onTicketRedemption({
        at: Date.now(),
        url: this.targetUrl(req, url).toString(),
        parameterName,
        ticket: value,
        accepted: ticket !== undefined,
        userAgent: req.headers['user-agent'],
        user: ticket ? { userDirectory: ticket.userDirectory, userId: ticket.userId } : undefined,
      });
    } catch {
      // An observer's bug must never break the site it watches.
    }
  }

  authenticate(req: IncomingMessage, url: URL, vp: VirtualProxyDescription, options: { ignoreBearer?: boolean } = {}): Auth {
    const ticketValue = queryParam(url, 'qlikTicket');
    if (ticketValue !== undefined) {
      const ticket = this.ctx.state.redeemTicket(this.nodeId, vp.id, ticketValue);
      this.reportRedemption(req, url, ticketValue, ticket);
      // A bad ticket is "not authenticated", whatever cookie the browser also sends: back to the module.
      if (!ticket) return { kind: 'none' };
      const auth = this.newSession(vp, ticket);
      if (auth.kind !== 'session') return auth;
      return { kind: 'ticket-redeemed', session: auth.session, setCookie: auth.setCookie ?? sessionCookie(vp, auth.session.sessionId) };
    }
    const fromCookie = this.cookieSession(req, vp);
    const fromJwt = options.ignoreBearer ? undefined : this.jwtUser(req, vp);
    if (fromJwt) {
      // A token that does not verify is refused even beside a good cookie: the client meant the token.
      if ('refused' in fromJwt) return { kind: 'refused', reason: fromJwt.refused };
      if (fromCookie && sameUser(fromCookie, fromJwt.user)) return { kind: 'session', session: fromCookie };
      return this.newSession(vp, fromJwt.user, fromJwt.attributes);
    }
    const fromHeader = this.headerUser(req, vp);
    if (fromHeader && 'refused' in fromHeader) return { kind: 'refused', reason: `${fromHeader.refused}.` };
    if (fromHeader) {
      // The header is the authority on a header virtual proxy: a cookie for someone else does not count.
      if (fromCookie && sameUser(fromCookie, fromHeader)) {
        return { kind: 'session', session: fromCookie };
      }
      return this.newSession(vp, fromHeader);
    }
    if (fromCookie) return { kind: 'session', session: fromCookie };
    if (vp.anonymousAccessMode !== 0) {
      return this.newSession(vp, { userDirectory: 'ANONYMOUS', userId: `anon-${randomAlphanumeric(10).toLowerCase()}` });
    }
    return { kind: 'none' };
  }

  loginUri(req: IncomingMessage, url: URL, vp: VirtualProxyDescription): string | undefined {
    if (vp.authenticationMethod !== 0 || !vp.authenticationModuleRedirectUri) return undefined;
    const { qpsPort } = this.ctx.endpoints();
    const proxyRestUri = `https://${this.ctx.node.hostName}:${qpsPort}/qps/${vp.prefix ? `${vp.prefix}/` : ''}`;
    const targetId = this.ctx.state.registerTarget(this.targetUrl(req, url).toString());
    const module = new URL(vp.authenticationModuleRedirectUri);
    module.searchParams.set('proxyRestUri', proxyRestUri);
    module.searchParams.set('targetId', targetId);
    return module.toString();
  }
}
