// A browser's cookie store, reduced to what matters for Qlik sessions: RFC 6265 domain and path
// matching, replacement by name+domain+path, deletion by Max-Age/Expires, the Secure flag. Like a real
// browser, cookies are not port-specific: two proxies on one host share cookies, which is exactly how
// session cookies clobber each other (seed 003). One jar = one browser profile; use several for isolation.
import { isIP } from 'node:net';

export type SameSite = 'None' | 'Lax' | 'Strict';

export interface Cookie {
  name: string;
  value: string;
  /** Lowercase host or domain, without a leading dot. */
  domain: string;
  /** True when the cookie had no Domain attribute: it then goes back only to that exact host. */
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: SameSite;
  /** Epoch milliseconds; absent for a browser-session cookie (Qlik's session cookies have none). */
  expiresAt?: number;
  createdAt: number;
}

export interface CookieJarOptions {
  /** Clock for expiry; tests move it. */
  now?: () => number;
}

/** Browsers ignore cookies whose name and value exceed this many bytes together. */
const MAX_COOKIE_BYTES = 4096;
/** A bound on what one jar holds, so a misbehaving server cannot grow it without limit. */
const MAX_COOKIES = 3000;

function hostOf(url: URL): string {
  // URL keeps IPv6 literals in brackets; cookie domains compare without them.
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

function domainMatches(host: string, cookie: Pick<Cookie, 'domain' | 'hostOnly'>): boolean {
  if (host === cookie.domain) return true;
  if (cookie.hostOnly || isIP(host) !== 0) return false;
  return host.endsWith(`.${cookie.domain}`);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** RFC 6265 5.1.4: the "directory" of the request path, used when Set-Cookie names no Path. */
function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith('/')) return '/';
  const last = requestPath.lastIndexOf('/');
  return last <= 0 ? '/' : requestPath.slice(0, last);
}

function parseSameSite(value: string): SameSite | undefined {
  const lower = value.toLowerCase();
  if (lower === 'none') return 'None';
  if (lower === 'lax') return 'Lax';
  if (lower === 'strict') return 'Strict';
  return undefined;
}

export class CookieJar {
  private cookies: Cookie[] = [];
  private readonly now: () => number;

  constructor(opts: CookieJarOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  /** Stores the cookies of one response's Set-Cookie headers, received for `url`. */
  setFromResponse(url: string, setCookie: string[]): void {
    const requestUrl = new URL(url);
    for (const header of setCookie) this.setOne(requestUrl, header);
  }

  private setOne(url: URL, header: string): void {
    const [pair = '', ...attributes] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return; // no name: browsers disagree on these; Qlik never sends them
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (!name || Buffer.byteLength(name + value) > MAX_COOKIE_BYTES) return;

    const host = hostOf(url);
    const now = this.now();
    const cookie: Cookie = { name, value, domain: host, hostOnly: true, path: defaultPath(url.pathname), secure: false, httpOnly: false, createdAt: now };
    let maxAge: number | undefined;
    let expires: number | undefined;
    for (const attribute of attributes) {
      const at = attribute.indexOf('=');
      const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
      const val = at < 0 ? '' : attribute.slice(at + 1).trim();
      switch (key) {
        case 'domain': {
          const domain = val.replace(/^\./, '').toLowerCase();
          if (!domain) break;
          // A server may widen a cookie to its own parent domain, never to somebody else's.
          if (!domainMatches(host, { domain, hostOnly: false })) return;
          cookie.domain = domain;
          cookie.hostOnly = false;
          break;
        }
        case 'path':
          if (val.startsWith('/')) cookie.path = val;
          break;
        case 'secure':
          cookie.secure = true;
          break;
        case 'httponly':
          cookie.httpOnly = true;
          break;
        case 'samesite':
          cookie.sameSite = parseSameSite(val);
          break;
        case 'max-age':
          if (/^-?\d+$/.test(val)) maxAge = Number(val);
          break;
        case 'expires': {
          const time = Date.parse(val);
          if (!Number.isNaN(time)) expires = time;
          break;
        }
      }
    }
    // Browsers ignore Secure cookies set over plain HTTP.
    if (cookie.secure && url.protocol !== 'https:') return;
    // Max-Age wins over Expires (RFC 6265 5.3 step 3).
    if (maxAge !== undefined) cookie.expiresAt = maxAge <= 0 ? 0 : now + maxAge * 1000;
    else if (expires !== undefined) cookie.expiresAt = expires;

    const index = this.cookies.findIndex((c) => c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path);
    const previous = index >= 0 ? this.cookies[index] : undefined;
    if (previous) {
      // A replaced cookie keeps its creation time, which orders the Cookie header.
      cookie.createdAt = previous.createdAt;
      this.cookies.splice(index, 1);
    }
    if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) return; // a deletion
    this.cookies.push(cookie);
    if (this.cookies.length > MAX_COOKIES) this.cookies.shift();
  }

  private live(): Cookie[] {
    const now = this.now();
    this.cookies = this.cookies.filter((c) => c.expiresAt === undefined || c.expiresAt > now);
    return this.cookies;
  }

  /** The cookies a browser would send to `url`. */
  matching(url: string): Cookie[] {
    const target = new URL(url);
    const host = hostOf(target);
    const secureChannel = target.protocol === 'https:';
    return this.live()
      .filter((c) => domainMatches(host, c) && pathMatches(target.pathname, c.path) && (!c.secure || secureChannel))
      .sort((a, b) => b.path.length - a.path.length || a.createdAt - b.createdAt)
      .map((c) => ({ ...c }));
  }

  /** The Cookie header value for a request to `url`; empty when no cookie applies. */
  cookieHeader(url: string): string {
    return this.matching(url)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  list(): Cookie[] {
    return this.live().map((c) => ({ ...c }));
  }

  clear(): void {
    this.cookies = [];
  }
}
