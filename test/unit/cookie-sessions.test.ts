// Cookie -> virtual proxy session mapping: configured names, the -HTTP / -HTTPS suffixes, names shared by
// two virtual proxies, which proxy nodes a cookie reaches; and the cookie a session-API login must set.
import { describe, expect, it, vi } from 'vitest';
import {
  cookieGoesTo,
  duplicateSessionCookieNames,
  looksLikeQlikSessionCookie,
  matchSessionCookie,
  nodesForCookie,
  type VirtualProxyCookieConfig,
} from '../../electron/core/sessions/cookie-sessions';
import { injectSession, sameSiteOf, sessionCookieFor, SessionInjectionError, type InjectionVirtualProxy } from '../../electron/core/sessions/session-injection';
import type { QpsClient } from '../../electron/core/qlik';

const VPS: VirtualProxyCookieConfig[] = [
  { prefix: '', sessionCookieHeaderName: 'X-Qlik-Session' },
  { prefix: 'ticket', sessionCookieHeaderName: 'X-Qlik-Session-ticket' },
  { prefix: 'hdr', sessionCookieHeaderName: 'X-Qlik-Session-hdr' },
];

describe('matchSessionCookie', () => {
  it('reads a configured name as that virtual proxy, unsuffixed', () => {
    expect(matchSessionCookie('X-Qlik-Session-ticket', VPS)).toEqual({
      name: 'X-Qlik-Session-ticket',
      candidates: [{ prefix: 'ticket', configuredName: 'X-Qlik-Session-ticket', suffix: '' }],
      ambiguous: false,
    });
    expect(matchSessionCookie('X-Qlik-Session', VPS)?.candidates).toEqual([{ prefix: '', configuredName: 'X-Qlik-Session', suffix: '' }]);
  });

  it('strips the -HTTP suffix the proxy appends over plain HTTP, and the -HTTPS one monitoring tools show', () => {
    expect(matchSessionCookie('X-Qlik-Session-HTTP', VPS)?.candidates).toEqual([{ prefix: '', configuredName: 'X-Qlik-Session', suffix: '-HTTP' }]);
    expect(matchSessionCookie('X-Qlik-Session-ticket-HTTP', VPS)?.candidates).toEqual([
      { prefix: 'ticket', configuredName: 'X-Qlik-Session-ticket', suffix: '-HTTP' },
    ]);
    expect(matchSessionCookie('X-Qlik-Session-hdr-HTTPS', VPS)?.candidates).toEqual([
      { prefix: 'hdr', configuredName: 'X-Qlik-Session-hdr', suffix: '-HTTPS' },
    ]);
    // -HTTPS is not read as -HTTP plus a stray S.
    expect(matchSessionCookie('X-Qlik-Session-HTTPS', VPS)?.candidates.map((c) => c.suffix)).toEqual(['-HTTPS']);
  });

  it('is not fooled by names that only start like a session cookie', () => {
    expect(matchSessionCookie('X-Qlik-Session-tickets', VPS)).toBeUndefined();
    expect(matchSessionCookie('-HTTP', VPS)).toBeUndefined();
    expect(matchSessionCookie('_ga', VPS)).toBeUndefined();
    expect(matchSessionCookie('X-Qlik-Session-other', VPS)).toBeUndefined();
  });

  it('reports both readings when a prefix named "http" makes the default proxy\'s -HTTP name its own', () => {
    const vps = [...VPS, { prefix: 'http', sessionCookieHeaderName: 'X-Qlik-Session-http' }];
    const match = matchSessionCookie('X-Qlik-Session-HTTP', vps)!;
    expect(match.candidates).toEqual([
      { prefix: 'http', configuredName: 'X-Qlik-Session-http', suffix: '' },
      { prefix: '', configuredName: 'X-Qlik-Session', suffix: '-HTTP' },
    ]);
    expect(match.ambiguous).toBe(true);
  });

  it('lists every virtual proxy sharing a cookie name, and names the duplicates', () => {
    const vps = [...VPS, { prefix: 'sales', sessionCookieHeaderName: 'x-qlik-session-ticket' }];
    const match = matchSessionCookie('X-Qlik-Session-ticket', vps)!;
    expect(match.candidates.map((c) => c.prefix)).toEqual(['ticket', 'sales']);
    expect(match.ambiguous).toBe(true);
    expect(duplicateSessionCookieNames(vps)).toEqual([{ name: 'X-Qlik-Session-ticket', prefixes: ['ticket', 'sales'] }]);
    expect(duplicateSessionCookieNames(VPS)).toEqual([]);
  });

  it("recognises Qlik-looking names when the site's names are unknown", () => {
    expect(looksLikeQlikSessionCookie('X-Qlik-Session')).toBe(true);
    expect(looksLikeQlikSessionCookie('X-Qlik-Session-sales-HTTP')).toBe(true);
    expect(looksLikeQlikSessionCookie('X-Qlik-Sessionx')).toBe(false);
    expect(looksLikeQlikSessionCookie('session')).toBe(false);
  });
});

describe('which nodes a session cookie reaches', () => {
  const nodes = [
    { name: 'central', host: 'qlik.example.com', virtualProxies: ['', 'ticket'] },
    { name: 'rim1', host: 'rim1.qlik.example.com', virtualProxies: ['ticket'] },
    { name: 'other', host: 'qlik.example.org' },
  ];

  it('sends a host-only cookie to its host alone, a domain cookie to the domain and below', () => {
    expect(cookieGoesTo({ name: 'a', domain: 'qlik.example.com' }, 'qlik.example.com')).toBe(true);
    expect(cookieGoesTo({ name: 'a', domain: 'qlik.example.com' }, 'rim1.qlik.example.com')).toBe(false);
    expect(cookieGoesTo({ name: 'a', domain: '.qlik.example.com' }, 'rim1.qlik.example.com')).toBe(true);
    expect(cookieGoesTo({ name: 'a', domain: 'qlik.example.com', hostOnly: false }, 'rim1.qlik.example.com')).toBe(true);
    expect(cookieGoesTo({ name: 'a', domain: '.example.com' }, 'qlik.example.org')).toBe(false);
    expect(cookieGoesTo({ name: 'a', domain: 'example.com' }, 'badexample.com')).toBe(false);
  });

  it('keeps only nodes that link the virtual proxy', () => {
    const domainCookie = { name: 'X-Qlik-Session', domain: '.qlik.example.com' };
    expect(nodesForCookie(domainCookie, '', nodes).map((n) => n.name)).toEqual(['central']);
    expect(nodesForCookie(domainCookie, 'ticket', nodes).map((n) => n.name)).toEqual(['central', 'rim1']);
    expect(nodesForCookie({ name: 'X-Qlik-Session-ticket', domain: 'rim1.qlik.example.com' }, 'ticket', nodes).map((n) => n.name)).toEqual(['rim1']);
  });

  it('classifies a jar: session cookies with their nodes per reading, other cookies left out', () => {
    const jar = [
      { name: 'X-Qlik-Session-ticket', domain: 'qlik.example.com', value: 'a' },
      { name: 'X-Qlik-Session-HTTP', domain: '.qlik.example.com', value: 'b' },
      { name: 'theme', domain: 'qlik.example.com', value: 'dark' },
    ];
    // As the partitions service reads a jar: the best reading of each session cookie, and the nodes it reaches.
    const classified = jar.flatMap((cookie) => {
      const best = matchSessionCookie(cookie.name, VPS)?.candidates[0];
      return best ? [[cookie.name, best.prefix, best.suffix, nodesForCookie(cookie, best.prefix, nodes).map((n) => n.name)]] : [];
    });
    expect(classified).toEqual([
      ['X-Qlik-Session-ticket', 'ticket', '', ['central']],
      ['X-Qlik-Session-HTTP', '', '-HTTP', ['central']],
    ]);
  });
});

describe('the cookie a session-API login sets', () => {
  const vp: InjectionVirtualProxy = { prefix: 'ticket', sessionCookieHeaderName: 'X-Qlik-Session-ticket', sessionCookieDomain: '', sameSiteAttributeHttps: 1 };

  it("is the virtual proxy's cookie: its name, host-only without a cookie domain, path /, Secure, HttpOnly, its SameSite", () => {
    expect(sessionCookieFor(vp, 'https://qlik.example.com:8443/ticket/hub', 'id-1')).toEqual({
      url: 'https://qlik.example.com:8443/',
      name: 'X-Qlik-Session-ticket',
      value: 'id-1',
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'None',
    });
    expect(sessionCookieFor({ ...vp, sessionCookieDomain: 'example.com' }, 'https://qlik.example.com', 'id-1').domain).toBe('example.com');
  });

  it('maps QRS SameSite codes as the proxy applies them (not set reads as Lax)', () => {
    expect([0, 1, 2, 3].map(sameSiteOf)).toEqual(['Lax', 'None', 'Lax', 'Strict']);
  });

  it('refuses, before any session exists, a cookie domain the proxy host is outside of, and plain http', async () => {
    const qps = { prefix: 'ticket', addSession: vi.fn() } as unknown as QpsClient;
    const wrong = { ...vp, sessionCookieDomain: 'example.org' };
    await expect(injectSession({ qps, virtualProxy: wrong, proxy: 'https://qlik.example.com', userDirectory: 'D', userId: 'u' })).rejects.toMatchObject({
      code: 'COOKIE_DOMAIN_MISMATCH',
      hint: expect.stringContaining('sessionCookieDomain'),
    });
    expect(() => sessionCookieFor(vp, 'http://qlik.example.com', 'x')).toThrow(SessionInjectionError);
    await expect(
      injectSession({ qps: { ...qps, prefix: '' } as QpsClient, virtualProxy: vp, proxy: 'https://qlik.example.com', userDirectory: 'D', userId: 'u' }),
    ).rejects.toMatchObject({
      code: 'WRONG_VIRTUAL_PROXY',
    });
    expect(qps.addSession).not.toHaveBeenCalled();
  });

  it('creates the session with a fresh UUID each time and puts the id QPS stored in the cookie', async () => {
    const addSession = vi.fn(async (r: { userDirectory: string; userId: string; sessionId: string }) => ({ ...r, attributes: [] }));
    const qps = { prefix: 'ticket', addSession } as unknown as QpsClient;
    const a = await injectSession({
      qps,
      virtualProxy: vp,
      proxy: 'https://qlik.example.com',
      userDirectory: 'DEMO',
      userId: 'alice',
      attributes: [{ Group: 'x' }],
    });
    const b = await injectSession({ qps, virtualProxy: vp, proxy: 'https://qlik.example.com', userDirectory: 'DEMO', userId: 'alice' });
    expect(a.cookie.value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.cookie.value).not.toBe(b.cookie.value);
    expect(addSession.mock.calls[0]![0]).toEqual({ userDirectory: 'DEMO', userId: 'alice', attributes: [{ Group: 'x' }], sessionId: a.cookie.value });
  });
});
