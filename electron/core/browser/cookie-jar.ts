// A browser's cookie store for the Node browser client, kept by tough-cookie: the cookie rules of
// RFC 6265bis (domain and path matching, replacement by name+domain+path, deletion by Max-Age/Expires,
// Secure only over https) and the public-suffix list, so `Domain=com` or `Domain=co.uk` is refused as a
// browser refuses it. Like a real browser, cookies are not port-specific: two proxies on one host share
// cookies, which is exactly how session cookies clobber each other (seed 003). One jar = one browser
// profile; use several for isolation.
import { cookieCompare, CookieJar as ToughJar, MemoryCookieStore, type Cookie as ToughCookie } from 'tough-cookie';

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

const SAME_SITE: Record<string, SameSite | undefined> = { none: 'None', lax: 'Lax', strict: 'Strict' };

function created(cookie: ToughCookie): number {
  return cookie.creation instanceof Date ? cookie.creation.getTime() : 0;
}

/** When the cookie expires by our clock: Max-Age counts from its creation (RFC 6265bis 5.7), else Expires. */
function expiresAt(cookie: ToughCookie): number | undefined {
  const { maxAge, expires } = cookie;
  if (maxAge === 'Infinity') return undefined;
  if (maxAge === '-Infinity') return 0;
  if (typeof maxAge === 'number') return maxAge <= 0 ? 0 : created(cookie) + maxAge * 1000;
  return expires instanceof Date ? expires.getTime() : undefined;
}

function toCookie(cookie: ToughCookie): Cookie {
  const out: Cookie = {
    name: cookie.key,
    value: cookie.value,
    domain: cookie.domain ?? '',
    hostOnly: cookie.hostOnly ?? true,
    path: cookie.path ?? '/',
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    createdAt: created(cookie),
  };
  const sameSite = SAME_SITE[(cookie.sameSite ?? '').toLowerCase()];
  if (sameSite) out.sameSite = sameSite;
  const expiry = expiresAt(cookie);
  if (expiry !== undefined) out.expiresAt = expiry;
  return out;
}

function newJar(store: MemoryCookieStore): ToughJar {
  return new ToughJar(store, { rejectPublicSuffixes: true, looseMode: false });
}

export class CookieJar {
  private store = new MemoryCookieStore();
  private jar = newJar(this.store);
  private readonly now: () => number;

  constructor(opts: CookieJarOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  /** Stores the cookies of one response's Set-Cookie headers, received for `url`. */
  setFromResponse(url: string, setCookie: string[]): void {
    for (const header of setCookie) this.setOne(url, header);
  }

  private setOne(url: string, header: string): void {
    const pair = header.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    // No name: browsers disagree on these and Qlik never sends them. Oversized: browsers drop them.
    if (eq <= 0 || !pair.slice(0, eq).trim() || Buffer.byteLength(pair.trim()) > MAX_COOKIE_BYTES) return;
    // ignoreError: a cookie the rules refuse (another site's domain, a public suffix, Secure over http)
    // is dropped, as a browser drops it, and the response is read on.
    this.jar.setCookieSync(header, url, { now: new Date(this.now()), ignoreError: true });
    const all = this.live();
    if (all.length > MAX_COOKIES) {
      const oldest = all.reduce((a, b) => (created(a) <= created(b) ? a : b));
      this.remove(oldest);
    }
  }

  /** MemoryCookieStore answers its callbacks at once: the jar stays synchronous. */
  private remove(cookie: ToughCookie): void {
    this.store.removeCookie(cookie.domain ?? '', cookie.path ?? '/', cookie.key, () => undefined);
  }

  /** Every stored cookie not expired by our clock; expired ones (a logout's Max-Age=0) are dropped. */
  private live(): ToughCookie[] {
    let all: ToughCookie[] = [];
    this.store.getAllCookies((err, cookies) => {
      if (!err && cookies) all = cookies;
    });
    const now = this.now();
    const isExpired = (c: ToughCookie): boolean => {
      const at = expiresAt(c);
      return at !== undefined && at <= now;
    };
    for (const cookie of all.filter(isExpired)) this.remove(cookie);
    return all.filter((c) => !isExpired(c)).sort(cookieCompare);
  }

  /** The cookies a browser would send to `url`: longest path first, then oldest first. */
  matching(url: string): Cookie[] {
    const now = this.now();
    // expire: false, because tough-cookie would judge expiry by the machine's clock, not this jar's.
    return this.jar
      .getCookiesSync(url, { expire: false })
      .sort(cookieCompare)
      .map(toCookie)
      .filter((c) => c.expiresAt === undefined || c.expiresAt > now);
  }

  /** The Cookie header value for a request to `url`; empty when no cookie applies. */
  cookieHeader(url: string): string {
    return this.matching(url)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  list(): Cookie[] {
    return this.live().map(toCookie);
  }

  clear(): void {
    this.store = new MemoryCookieStore();
    this.jar = newJar(this.store);
  }
}
