// JWT and header virtual proxies on the built-in site, as Qlik's proxy treats them: a bearer token that
// verifies (or a header naming a user) logs in and sets the session cookie; a bad token is refused for
// its reason; and since November 2024 the engine socket takes the session's cookie and csrf token, never
// the JWT alone. curl stands for a real client beside Usher's own.
import { createSign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserClient, CookieJar } from '../../electron/core/browser';
import { generateSigningPair, mintJwt, type JwtSigningPair } from '../../electron/core/jwt';
import { DEMO_MASHUP_ORIGIN, demoJwtSigningPair, demoSite } from '../../electron/simulator/demo-site';
import { CSWSH_MESSAGE } from '../../electron/simulator/proxy-upgrade';
import type { Simulator } from '../../electron/simulator/simulator';
import { enigmaSession, refusal, type EnigmaHandle } from '../support/engine-client';
import { startTestSite } from '../support/test-site';
import { curlResponseHead } from '../support/curl';

const clients: BrowserClient[] = [];
const handles: EnigmaHandle[] = [];
const dir = mkdtempSync(join(tmpdir(), 'usher-jwt-login-'));
afterAll(async () => {
  await Promise.all(handles.map((h) => h.session.close().catch(() => undefined)));
  await Promise.all(clients.map((c) => c.close()));
  rmSync(dir, { recursive: true, force: true });
});

function browser(sim: Simulator): BrowserClient {
  const client = new BrowserClient({ ca: sim.pki.ca.certPem, jar: new CookieJar() });
  clients.push(client);
  return client;
}

const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const inTenMinutes = (): number => Math.floor(Date.now() / 1000) + 600;

describe('JWT virtual proxy on the built-in site', () => {
  let sim: Simulator;
  let hub: string;
  let pair: JwtSigningPair;
  const sessionsOn = (vpId: string): number => sim.state.listSessions('node-central', vpId).length;

  beforeAll(async () => {
    sim = await startTestSite();
    hub = sim.node('central').hub;
    pair = demoJwtSigningPair();
  });

  it('a verifying bearer token logs the user in with its groups and sets the session cookie; the cookie keeps the session', async () => {
    const client = browser(sim);
    const { token } = mintJwt(pair, { user: { userDirectory: 'DEMO', userId: 'alice' }, groups: ['Sales', 'EU'] });
    const first = await client.get(`${hub}/jwt/hub/`, { headers: { Authorization: `Bearer ${token}` } });
    expect(first.status).toBe(200);
    expect(first.setCookie[0]).toMatch(/^X-Qlik-Session-jwt=[0-9a-f-]{36}; Path=\/; HttpOnly; Secure; SameSite=None/);
    const session = sim.state.listSessions('node-central', 'vp-jwt').find((s) => s.userId === 'alice')!;
    expect(session).toMatchObject({ userDirectory: 'DEMO', attributes: [{ Group: 'Sales' }, { Group: 'EU' }] });
    const me = JSON.parse((await client.get(`${hub}/jwt/qps/user`)).text()) as Record<string, string>;
    expect(me).toMatchObject({ userDirectory: 'DEMO', userId: 'alice' });
    const again = await client.get(`${hub}/jwt/hub/`);
    expect(again.status).toBe(200);
    expect(again.setCookie).toEqual([]);
  });

  it('curl with Authorization: Bearer gets the session cookie', async () => {
    const ca = join(dir, 'root.pem');
    writeFileSync(ca, sim.pki.ca.certPem);
    const { token } = mintJwt(pair, { user: { userDirectory: 'MASHUP', userId: 'a1-sales' } });
    const stdout = await curlResponseHead(`${hub}/jwt/sense/app/a1-sales`, { caFile: ca, header: `Authorization: Bearer ${token}` });
    expect(stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(stdout).toMatch(/^set-cookie: X-Qlik-Session-jwt=[0-9a-f-]{36};/im);
  });

  it('without a token or cookie the JWT virtual proxy answers 401 and sends nobody to a module', async () => {
    const res = await browser(sim).get(`${hub}/jwt/hub/`);
    expect(res.status).toBe(401);
    expect(res.redirects).toEqual([]);
  });

  const other = generateSigningPair();
  const refusals: Array<[string, string, () => string, RegExp]> = [
    ['bad signature', 'jwt', () => mintJwt(other, { user: { userDirectory: 'DEMO', userId: 'alice' } }).token, /signature does not verify/],
    ['unsigned (alg none)', 'jwt', () => `${part({ alg: 'none' })}.${part({ userId: 'alice', userDirectory: 'DEMO' })}.`, /unsigned token/],
    ['HS256', 'jwt', () => `${part({ alg: 'HS256' })}.${part({ userId: 'alice', userDirectory: 'DEMO' })}.c2ln`, /shared secret/],
    ['expired', 'jwt', () => mintJwt(pair, { user: { userDirectory: 'DEMO', userId: 'alice' }, now: Date.now() - 3_600_000 }).token, /expired at/],
    ['not yet valid', 'jwt', () => signed({ userId: 'alice', userDirectory: 'DEMO', nbf: inTenMinutes() }), /not valid before/],
    ['no user id claim', 'jwt', () => signed({ userDirectory: 'DEMO', exp: inTenMinutes() }), /no .{0,6}userId.{0,6} claim/],
    ['no directory claim', 'jwt', () => signed({ userId: 'alice', exp: inTenMinutes() }), /no .{0,6}userDirectory.{0,6} claim/],
    ['malformed', 'jwt', () => 'not-a-token', /not a signed JWT/],
    ['encrypted', 'jwt', () => 'a.b.c.d.e', /encrypted/],
    [
      'no directory mapped nor static',
      'jwt-no-directory',
      () => mintJwt(pair, { user: { userDirectory: 'DEMO', userId: 'alice' } }).token,
      /neither names a claim/,
    ],
    [
      'no user id claim named',
      'jwt-no-user-id',
      () => mintJwt(pair, { user: { userDirectory: 'DEMO', userId: 'alice' } }).token,
      /names no claim for the user id/,
    ],
    ['no JWT certificate', 'jwt-no-certificate', () => mintJwt(pair, { user: { userDirectory: 'DEMO', userId: 'alice' } }).token, /no JWT certificate/],
    [
      'damaged JWT certificate',
      'jwt-bad-certificate',
      () => mintJwt(pair, { user: { userDirectory: 'DEMO', userId: 'alice' } }).token,
      /is not a PEM certificate/,
    ],
  ];
  /** Any payload, signed with the demo key: mint's own claims are not what these rows test. */
  function signed(payload: Record<string, unknown>): string {
    const input = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(payload)}`;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(pair.keyPem).toString('base64url')}`;
  }

  it.each(refusals)('refuses a token: %s (401, the reason named, no session, no cookie)', async (_name, prefix, token, reason) => {
    const vpId = `vp-${prefix}`;
    const before = sessionsOn(vpId);
    const res = await browser(sim).get(`${hub}/${prefix}/hub/`, { headers: { Authorization: `Bearer ${token()}` } });
    expect(res.status).toBe(401);
    expect(res.text()).toMatch(reason);
    expect(res.setCookie).toEqual([]);
    expect(sessionsOn(vpId)).toBe(before);
  });

  describe('the engine WebSocket under the November 2024 rules', () => {
    const wss = (): string => hub.replace('https://', 'wss://');

    it('refuses the JWT alone on the socket, as a cross-site hijack', async () => {
      const { token } = mintJwt(pair, { user: { userDirectory: 'DEMO', userId: 'bob' } });
      const refused = await refusal(`${wss()}/jwt/app/engineData`, {
        ca: sim.pki.ca.certPem,
        headers: { Authorization: `Bearer ${token}` },
        origin: DEMO_MASHUP_ORIGIN,
      });
      expect(refused).toEqual({ status: 403, body: CSWSH_MESSAGE });
    });

    it('accepts the cookie and csrf token the token got from /qps/csrftoken, from an allowed origin; refuses another origin', async () => {
      const client = browser(sim);
      const { token } = mintJwt(pair, { user: { userDirectory: 'DEMO', userId: 'bob' } });
      const csrf = await client.get(`${hub}/jwt/qps/csrftoken`, { headers: { Authorization: `Bearer ${token}`, Origin: DEMO_MASHUP_ORIGIN } });
      expect(csrf.status).toBe(200);
      expect(csrf.headers['access-control-expose-headers']).toBe('qlik-csrf-token');
      const csrfToken = csrf.headers['qlik-csrf-token']!;
      const cookie = client.jar.cookieHeader(`${hub}/jwt/`);
      expect(cookie).toMatch(/^X-Qlik-Session-jwt=/);
      const url = `${wss()}/jwt/app/engineData?qlik-csrf-token=${encodeURIComponent(csrfToken)}`;
      const evil = await refusal(url, { ca: sim.pki.ca.certPem, headers: { Cookie: cookie }, origin: 'https://evil.example' });
      expect(evil.status).toBe(403);
      const withoutToken = await refusal(`${wss()}/jwt/app/engineData`, {
        ca: sim.pki.ca.certPem,
        headers: { Cookie: cookie, Authorization: `Bearer ${token}` },
        origin: DEMO_MASHUP_ORIGIN,
      });
      expect(withoutToken).toEqual({ status: 403, body: CSWSH_MESSAGE });
      const h = enigmaSession(url, { ca: sim.pki.ca.certPem, headers: { Cookie: cookie }, origin: DEMO_MASHUP_ORIGIN });
      handles.push(h);
      const global: any = await h.session.open();
      expect(await global.getAuthenticatedUser()).toBe('UserDirectory=DEMO; UserId=bob');
    });
  });
});

describe('JWT on the socket before November 2024', () => {
  it('a JWT alone opens the socket when the protection is off, as older releases do', async () => {
    const sim = await startTestSite({ site: { ...demoSite(), websocketCsrfProtection: false } });
    const { token } = mintJwt(demoJwtSigningPair(), { user: { userDirectory: 'DEMO', userId: 'alice' } });
    const h = enigmaSession(`${sim.node('central').hub.replace('https://', 'wss://')}/jwt/app/engineData`, {
      ca: sim.pki.ca.certPem,
      headers: { Authorization: `Bearer ${token}` },
    });
    handles.push(h);
    const global: any = await h.session.open();
    expect(await global.getAuthenticatedUser()).toBe('UserDirectory=DEMO; UserId=alice');
  });
});

describe('header virtual proxies on the built-in site', () => {
  let sim: Simulator;
  let hub: string;
  beforeAll(async () => {
    sim = await startTestSite();
    hub = sim.node('central').hub;
  });

  it('static: the header names the user id, the directory is the configured one, the cookie is set', async () => {
    const client = browser(sim);
    const res = await client.get(`${hub}/header/hub/`, { headers: { 'X-Usher-User': 'carol' } });
    expect(res.status).toBe(200);
    expect(res.setCookie[0]).toMatch(/^X-Qlik-Session-header=/);
    expect(JSON.parse((await client.get(`${hub}/header/qps/user`)).text())).toMatchObject({ userDirectory: 'HEADER', userId: 'carol' });
  });

  it('dynamic: DIRECTORY\\user in the header; a bare user id is refused', async () => {
    const client = browser(sim);
    const res = await client.get(`${hub}/header-dynamic/hub/`, { headers: { 'X-Usher-User': 'DEMO\\alice' } });
    expect(res.status).toBe(200);
    expect(res.setCookie[0]).toMatch(/^X-Qlik-Session-header-dynamic=/);
    expect(JSON.parse((await client.get(`${hub}/header-dynamic/qps/user`)).text())).toMatchObject({ userDirectory: 'DEMO', userId: 'alice' });
    const bare = await browser(sim).get(`${hub}/header-dynamic/hub/`, { headers: { 'X-Usher-User': 'alice' } });
    expect(bare.status).toBe(401);
    expect(bare.text()).toMatch(/must be DIRECTORY\\user/);
  });

  it('takes US-ASCII only', async () => {
    const res = await browser(sim).get(`${hub}/header/hub/`, { headers: { 'X-Usher-User': 'jos\u00e9' } });
    expect(res.status).toBe(401);
    expect(res.text()).toMatch(/outside US-ASCII/);
    expect(res.setCookie).toEqual([]);
  });

  it('curl with the header gets the session cookie', async () => {
    const ca = join(dir, 'root-header.pem');
    writeFileSync(ca, sim.pki.ca.certPem);
    const stdout = await curlResponseHead(`${hub}/header/hub/`, { caFile: ca, header: 'X-Usher-User: dave' });
    expect(stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(stdout).toMatch(/^set-cookie: X-Qlik-Session-header=/im);
  });
});
