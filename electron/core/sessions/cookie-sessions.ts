// Which cookies of a browser's jar are Qlik session cookies, of which virtual proxy, sent to which proxy
// node. Pure: the caller passes the cookies (any host's shape) and what QRS says of the virtual proxies.
//
// Qlik names a session cookie after the virtual proxy's sessionCookieHeaderName. Over plain HTTP the proxy
// appends "-HTTP"; monitoring tools also show "-HTTPS" suffixed names. Names are meant to be unique per
// virtual proxy, but QRS does not enforce it: when two virtual proxies share a name, a cookie cannot say
// whose it is, so every candidate is reported and the caller asks QPS which one knows the session.

export type SessionCookieSuffix = '' | '-HTTP' | '-HTTPS';

/** The bits of a virtual proxy's configuration that decide its session cookie. */
export interface VirtualProxyCookieConfig {
  prefix: string;
  sessionCookieHeaderName: string;
  /** '' or absent: host-only cookies for the proxy host. */
  sessionCookieDomain?: string;
}

/** A proxy node as a browser reaches it. */
export interface ProxyNodeHost {
  name: string;
  /** The host the browser talks to (the proxy URL's host name). */
  host: string;
  /** Prefixes this node's proxy links; absent: any. */
  virtualProxies?: readonly string[];
}

/** A cookie as a jar lists it: a leading dot on the domain marks a domain cookie (Chromium's form). */
export interface JarCookie {
  name: string;
  domain: string;
  path?: string;
  /** False (or absent and no leading dot): the cookie goes back only to exactly `domain`. */
  hostOnly?: boolean;
}

/** One way to read a cookie as a virtual proxy's session cookie. */
export interface SessionCookieCandidate {
  prefix: string;
  /** The configured name (sessionCookieHeaderName), without the suffix. */
  configuredName: string;
  suffix: SessionCookieSuffix;
}

export interface SessionCookieMatch {
  name: string;
  /** Best reading first: an exact name before a suffixed one, then in the virtual proxies' order. */
  candidates: SessionCookieCandidate[];
  /** More than one virtual proxy could own this cookie (a duplicate name, or a suffix that reads both ways). */
  ambiguous: boolean;
}

const SUFFIXES: ReadonlyArray<Exclude<SessionCookieSuffix, ''>> = ['-HTTPS', '-HTTP'];

/** Cookie names compare case-insensitively here, as the checks compare sessionCookieHeaderName values. */
function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The virtual proxies that could own a cookie of this name, best reading first; empty: not a session cookie. */
export function matchSessionCookie(name: string, virtualProxies: readonly VirtualProxyCookieConfig[]): SessionCookieMatch | undefined {
  const candidates: SessionCookieCandidate[] = [];
  for (const vp of virtualProxies) {
    if (vp.sessionCookieHeaderName && same(name, vp.sessionCookieHeaderName)) {
      candidates.push({ prefix: vp.prefix, configuredName: vp.sessionCookieHeaderName, suffix: '' });
    }
  }
  for (const suffix of SUFFIXES) {
    if (name.length <= suffix.length || !same(name.slice(-suffix.length), suffix)) continue;
    const base = name.slice(0, -suffix.length);
    for (const vp of virtualProxies) {
      if (vp.sessionCookieHeaderName && same(base, vp.sessionCookieHeaderName)) {
        candidates.push({ prefix: vp.prefix, configuredName: vp.sessionCookieHeaderName, suffix });
      }
    }
  }
  if (candidates.length === 0) return undefined;
  return { name, candidates, ambiguous: new Set(candidates.map((c) => c.prefix)).size > 1 };
}

/**
 * Without QRS's word on the names (a site never discovered), any cookie named like Qlik's default
 * (X-Qlik-Session, X-Qlik-Session-<prefix>, with or without the suffixes) is taken for a session cookie.
 */
export function looksLikeQlikSessionCookie(name: string): boolean {
  return /^X-Qlik-Session(?:-|$)/i.test(name);
}

/**
 * The session cookie of a jar (a non-empty value): the virtual proxy's cookie by its configured name, or
 * without QRS's word on the name any Qlik session cookie (they all start with X-Qlik-Session).
 */
export function findSessionCookie<C extends { name: string; value: string }>(cookies: readonly C[], name: string | undefined): C | undefined {
  return cookies.find((c) => (name ? c.name === name : looksLikeQlikSessionCookie(c.name)) && c.value !== '');
}

function bareDomain(domain: string): string {
  return domain.replace(/^\./, '').toLowerCase();
}

/** A cookie Domain covers a host when it equals it or is a parent domain of it (RFC 6265 domain-match). */
export function domainCovers(domain: string, host: string): boolean {
  const d = bareDomain(domain);
  const h = host.toLowerCase();
  return h === d || h.endsWith(`.${d}`);
}

/** RFC 6265 domain-match: whether a browser sends this cookie to `host` (paths aside). */
export function cookieGoesTo(cookie: JarCookie, host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  const hostOnly = cookie.hostOnly ?? !cookie.domain.startsWith('.');
  return hostOnly ? h.toLowerCase() === bareDomain(cookie.domain) : domainCovers(cookie.domain, h);
}

/** The nodes a session cookie reaches that link the virtual proxy: where its session may live. */
export function nodesForCookie<N extends ProxyNodeHost>(cookie: JarCookie, prefix: string, nodes: readonly N[]): N[] {
  return nodes.filter((n) => cookieGoesTo(cookie, n.host) && (n.virtualProxies === undefined || n.virtualProxies.includes(prefix)));
}

/** Session cookie names used by more than one virtual proxy (case-insensitively): logins there clobber each other. */
export function duplicateSessionCookieNames(virtualProxies: readonly VirtualProxyCookieConfig[]): Array<{ name: string; prefixes: string[] }> {
  const byName = new Map<string, { name: string; prefixes: string[] }>();
  for (const vp of virtualProxies) {
    if (!vp.sessionCookieHeaderName) continue;
    const key = vp.sessionCookieHeaderName.toLowerCase();
    const entry = byName.get(key) ?? { name: vp.sessionCookieHeaderName, prefixes: [] };
    entry.prefixes.push(vp.prefix);
    byName.set(key, entry);
  }
  return [...byName.values()].filter((e) => e.prefixes.length > 1);
}
