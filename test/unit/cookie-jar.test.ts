import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../electron/core/browser/cookie-jar';

describe('CookieJar', () => {
  it('parses name, value and attributes of a Qlik session cookie', () => {
    const jar = new CookieJar();
    jar.setFromResponse('https://qlik.example.com/ticket/hub/', ['X-Qlik-Session-ticket=abc-123; Path=/; HttpOnly; Secure; SameSite=None']);
    const [cookie, ...rest] = jar.list();
    expect(rest).toHaveLength(0);
    expect(cookie).toMatchObject({
      name: 'X-Qlik-Session-ticket',
      value: 'abc-123',
      domain: 'qlik.example.com',
      hostOnly: true,
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'None',
    });
    expect(cookie?.expiresAt).toBeUndefined();
  });

  it('sends host-only cookies to that host only, and Domain cookies to subdomains too', () => {
    const jar = new CookieJar();
    jar.setFromResponse('https://qlik.example.com/', ['host=1; Path=/', 'wide=2; Path=/; Domain=.example.com']);
    expect(jar.cookieHeader('https://qlik.example.com/hub/')).toBe('host=1; wide=2');
    expect(jar.cookieHeader('https://other.example.com/hub/')).toBe('wide=2');
    expect(jar.cookieHeader('https://example.org/')).toBe('');
    expect(jar.cookieHeader('https://notexample.com/')).toBe('');
  });

  it('refuses a Domain attribute the setting host does not belong to', () => {
    const jar = new CookieJar();
    jar.setFromResponse('https://qlik.example.com/', ['evil=1; Domain=attacker.test', 'sub=1; Domain=deeper.qlik.example.com']);
    expect(jar.list()).toHaveLength(0);
  });

  it('is not port-specific: two proxies on one host share (and clobber) a cookie', () => {
    const jar = new CookieJar();
    jar.setFromResponse('https://localhost:4431/ticket/hub/', ['X-Qlik-Session-ticket=user-a; Path=/; HttpOnly; Secure']);
    expect(jar.cookieHeader('https://localhost:4432/ticket/hub/')).toBe('X-Qlik-Session-ticket=user-a');
    jar.setFromResponse('https://localhost:4432/ticket/hub/', ['X-Qlik-Session-ticket=user-b; Path=/; HttpOnly; Secure']);
    expect(jar.list()).toHaveLength(1);
    expect(jar.cookieHeader('https://localhost:4431/ticket/hub/')).toBe('X-Qlik-Session-ticket=user-b');
  });

  it('keeps cookies of the same name apart when domain or path differ', () => {
    const jar = new CookieJar();
    jar.setFromResponse('https://a.example.com/app/x', ['s=root; Path=/', 's=app; Path=/app', 's=wide; Path=/; Domain=example.com']);
    expect(jar.list()).toHaveLength(3);
    // Longer paths first, then older cookies first.
    expect(jar.cookieHeader('https://a.example.com/app/page')).toBe('s=app; s=root; s=wide');
    expect(jar.cookieHeader('https://a.example.com/application')).toBe('s=root; s=wide');
  });

  it('defaults the path to the directory of the request path', () => {
    const jar = new CookieJar();
    jar.setFromResponse('https://h.example/sense/app/abc', ['d=1']);
    expect(jar.list()[0]?.path).toBe('/sense/app');
    expect(jar.cookieHeader('https://h.example/sense/app/def')).toBe('d=1');
    expect(jar.cookieHeader('https://h.example/hub/')).toBe('');
  });

  it('does not send Secure cookies over plain HTTP, nor accept them from it', () => {
    const jar = new CookieJar();
    jar.setFromResponse('https://h.example/', ['sec=1; Secure; Path=/']);
    jar.setFromResponse('http://h.example/', ['fromhttp=1; Secure; Path=/', 'plain=1; Path=/']);
    expect(jar.cookieHeader('http://h.example/')).toBe('plain=1');
    expect(jar.cookieHeader('https://h.example/')).toBe('sec=1; plain=1');
  });

  it('deletes a cookie on Max-Age=0 or a past Expires, as a logout does', () => {
    const jar = new CookieJar();
    jar.setFromResponse('https://h.example/', ['a=1; Path=/', 'b=2; Path=/']);
    jar.setFromResponse('https://h.example/', ['a=; Path=/; Max-Age=0']);
    jar.setFromResponse('https://h.example/', ['b=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.list()).toHaveLength(0);
  });

  it('expires cookies with the clock, Max-Age winning over Expires', () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const jar = new CookieJar({ now: () => now });
    jar.setFromResponse('https://h.example/', [
      'short=1; Max-Age=60; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Path=/',
      'long=1; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Path=/',
    ]);
    expect(jar.cookieHeader('https://h.example/')).toBe('short=1; long=1');
    now += 61_000;
    expect(jar.cookieHeader('https://h.example/')).toBe('long=1');
    expect(jar.list().map((c) => c.name)).toEqual(['long']);
  });

  it('keeps the creation order when a cookie is replaced', () => {
    let now = 1000;
    const jar = new CookieJar({ now: () => now });
    jar.setFromResponse('https://h.example/', ['first=1; Path=/']);
    now = 2000;
    jar.setFromResponse('https://h.example/', ['second=1; Path=/']);
    now = 3000;
    jar.setFromResponse('https://h.example/', ['first=2; Path=/']);
    expect(jar.cookieHeader('https://h.example/')).toBe('first=2; second=1');
  });

  it('ignores malformed and oversized cookies, and clears', () => {
    const jar = new CookieJar();
    jar.setFromResponse('https://h.example/', ['novalue', '=nameless', `big=${'x'.repeat(5000)}`, 'ok=1']);
    expect(jar.list().map((c) => c.name)).toEqual(['ok']);
    jar.clear();
    expect(jar.list()).toEqual([]);
  });

  it('never treats IP addresses as domains', () => {
    const jar = new CookieJar();
    jar.setFromResponse('https://127.0.0.1:4443/', ['ip=1; Path=/']);
    jar.setFromResponse('https://127.0.0.1:4443/', ['wide=1; Path=/; Domain=0.0.1']);
    expect(jar.cookieHeader('https://127.0.0.1/')).toBe('ip=1');
    jar.setFromResponse('https://[::1]:4443/', ['v6=1; Path=/']);
    expect(jar.cookieHeader('https://[::1]/x')).toBe('v6=1');
  });

  it('refuses a Domain that is a public suffix: never sent to another site under it', () => {
    const jar = new CookieJar();
    jar.setFromResponse('https://a.com/', ['tld=1; Path=/; Domain=com']);
    jar.setFromResponse('https://shop.co.uk/', ['suffix=1; Path=/; Domain=co.uk']);
    expect(jar.cookieHeader('https://evil.com/')).toBe('');
    expect(jar.cookieHeader('https://other.co.uk/')).toBe('');
    expect(jar.list()).toEqual([]);
    // The site's own registrable domain is fine.
    jar.setFromResponse('https://shop.co.uk/', ['own=1; Path=/; Domain=shop.co.uk']);
    expect(jar.cookieHeader('https://www.shop.co.uk/')).toBe('own=1');
  });

  it('holds __Secure- and __Host- cookies to their prefixes (RFC 6265bis)', () => {
    const jar = new CookieJar();
    jar.setFromResponse('https://qlik.example.com/', [
      '__Secure-a=1; Path=/',
      '__Host-b=1; Path=/; Secure; Domain=example.com',
      '__Host-c=1; Path=/app; Secure',
      '__Host-ok=1; Path=/; Secure',
      '__Secure-ok=1; Path=/; Secure',
    ]);
    expect(
      jar
        .list()
        .map((c) => c.name)
        .sort(),
    ).toEqual(['__Host-ok', '__Secure-ok']);
  });
});
