// The simulated proxy front end, driven by the console's own browser client over real TLS.
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BrowserClient, BrowserRequestError, CookieJar, type BrowserResponse } from '../../electron/core/browser';
import { DEMO_AUTH_MODULE_URI, demoSite } from '../../electron/simulator/demo-site';
import { PNG_SIGNATURE } from '../../electron/simulator/proxy-pages';
import type { Simulator } from '../../electron/simulator/simulator';
import { ManualClock, TOO_MANY_SESSIONS_MESSAGE, type UserRef } from '../../electron/simulator/state';
import { startTestSite } from '../support/test-site';

const SALES: UserRef = { userDirectory: 'MASHUP', userId: 'a1-sales' };
const FINANCE: UserRef = { userDirectory: 'MASHUP', userId: 'a2-finance' };
const ALICE: UserRef = { userDirectory: 'DEMO', userId: 'alice' };
const BOB: UserRef = { userDirectory: 'DEMO', userId: 'bob' };

const clients: BrowserClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

function browser(sim: Simulator, jar?: CookieJar, extra: Partial<ConstructorParameters<typeof BrowserClient>[0]> = {}): BrowserClient {
  const client = new BrowserClient({ ca: sim.pki.ca.certPem, jar, ...extra });
  clients.push(client);
  return client;
}

/** The module is not running in these tests: a browser walk stops where it would go there. */
const atModule = (url: string): boolean => url.startsWith(DEMO_AUTH_MODULE_URI);

function ticketFor(sim: Simulator, user: UserRef, nodeId = 'node-central', vpId = 'vp-ticket'): string {
  return sim.state.issueTicket(nodeId, vpId, user, []).ticket;
}

function endAllSessions(sim: Simulator): void {
  for (const node of sim.site.nodes) {
    for (const session of sim.state.listSessions(node.id)) sim.state.deleteSession(node.id, session.sessionId);
  }
}

/** Opens `path` on the ticket virtual proxy with a fresh ticket for `user`, following redirects. */
async function signIn(sim: Simulator, client: BrowserClient, user: UserRef, path = '/ticket/hub/', node = 'central'): Promise<BrowserResponse> {
  const nodeId = sim.node(node).nodeId;
  const sep = path.includes('?') ? '&' : '?';
  return client.get(`${sim.node(node).hub}${path}${sep}qlikTicket=${ticketFor(sim, user, nodeId)}`, { stopAt: atModule });
}

function expectModuleRedirect(res: BrowserResponse): URL {
  expect(res.status).toBe(302);
  const location = new URL(res.headers.location ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(DEMO_AUTH_MODULE_URI);
  return location;
}

describe('proxy front end on the demo site', () => {
  let sim: Simulator;
  let hub: string;

  beforeAll(async () => {
    sim = await startTestSite();
    hub = sim.node('central').hub;
  });
  beforeEach(() => endAllSessions(sim));

  it('sends a browser without a session to the module with proxyRestUri and a resolvable targetId', async () => {
    const res = await browser(sim).get(`${hub}/ticket/hub/`, { followRedirects: false });
    const location = expectModuleRedirect(res);
    expect(location.searchParams.get('proxyRestUri')).toBe(`https://localhost:${sim.node('central').qpsPort}/qps/ticket/`);
    // URL-encoded in the raw Location, as a module expects to decode it.
    expect(res.headers.location).toContain(`proxyRestUri=${encodeURIComponent(`https://localhost:${sim.node('central').qpsPort}/qps/ticket/`)}`);
    const targetId = location.searchParams.get('targetId') ?? '';
    expect(sim.state.resolveTarget(targetId)).toBe(`${hub}/ticket/hub/`);
  });

  it('stops a redirect walk at the module when told to', async () => {
    const res = await browser(sim).get(`${hub}/ticket/sense/app/a1-sales`, { stopAt: atModule });
    expectModuleRedirect(res);
    expect(res.redirects).toEqual([]);
    const targetId = new URL(res.headers.location ?? '').searchParams.get('targetId') ?? '';
    expect(sim.state.resolveTarget(targetId)).toBe(`${hub}/ticket/sense/app/a1-sales`);
  });

  it.each(['qlikTicket', 'QlikTicket', 'QLIKTICKET'])('redeems a ticket given as %s: cookie, redirect without the ticket, hub as the user', async (param) => {
    const client = browser(sim);
    const ticket = ticketFor(sim, ALICE);
    const first = await client.get(`${hub}/ticket/hub/?lang=en&${param}=${ticket}`, { followRedirects: false });
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/ticket/hub/?lang=en');
    expect(first.setCookie).toHaveLength(1);
    const setCookie = first.setCookie[0] ?? '';
    expect(setCookie).toMatch(/^X-Qlik-Session-ticket=[^;]+; /);
    const attributes = setCookie.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['path=/', 'httponly', 'secure', 'samesite=none']));
    expect(attributes.some((a) => a.startsWith('expires') || a.startsWith('max-age'))).toBe(false);

    const sessionId = client.jar.list()[0]?.value ?? '';
    expect(sim.state.getSession('node-central', sessionId)).toMatchObject({ userId: 'alice', virtualProxyId: 'vp-ticket' });

    const page = await client.get(`${hub}/ticket/hub/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text()).toContain('DEMO\\alice');
    expect(page.text()).toContain('Alice Analyst');
  });

  it('follows the ticket redirect to the page in one walk', async () => {
    const client = browser(sim);
    const res = await signIn(sim, client, ALICE);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${hub}/ticket/hub/`);
    expect(res.redirects).toHaveLength(1);
    expect(res.redirects[0]?.setCookie[0]).toMatch(/^X-Qlik-Session-ticket=/);
  });

  it('sends a reused ticket back to the module', async () => {
    const ticket = ticketFor(sim, ALICE);
    const ok = await browser(sim).get(`${hub}/ticket/hub/?qlikTicket=${ticket}`, { stopAt: atModule });
    expect(ok.status).toBe(200);
    const again = await browser(sim).get(`${hub}/ticket/hub/?qlikTicket=${ticket}`, { stopAt: atModule });
    const location = expectModuleRedirect(again);
    // The target the module gets back carries no spent ticket.
    expect(sim.state.resolveTarget(location.searchParams.get('targetId') ?? '')).toBe(`${hub}/ticket/hub/`);
  });

  it('refuses a ticket issued for another virtual proxy or node', async () => {
    const forRim = ticketFor(sim, ALICE, 'node-rim1');
    expectModuleRedirect(await browser(sim).get(`${hub}/ticket/hub/?qlikTicket=${forRim}`, { followRedirects: false }));
    const forDefault = ticketFor(sim, ALICE, 'node-central', 'vp-default');
    expectModuleRedirect(await browser(sim).get(`${hub}/ticket/hub/?qlikTicket=${forDefault}`, { followRedirects: false }));
  });

  it('redeems a ticket on a static resource, as mashups do', async () => {
    const client = browser(sim);
    const css = await signIn(sim, client, ALICE, '/ticket/resources/autogenerated/qlik-styles.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect((await client.get(`${hub}/ticket/hub/`)).status).toBe(200);
  });

  it('authenticates a header virtual proxy from its header and keeps the session by cookie', async () => {
    const client = browser(sim);
    const first = await client.get(`${hub}/header/hub/`, { headers: { 'X-Usher-User': 'alice' } });
    expect(first.status).toBe(200);
    expect(first.text()).toContain('HEADER\\alice');
    expect(first.setCookie[0]).toMatch(/^X-Qlik-Session-header=/);
    expect(sim.state.listSessions('node-central', 'vp-header')).toHaveLength(1);
    const second = await client.get(`${hub}/header/hub/`);
    expect(second.status).toBe(200);
    expect(second.text()).toContain('HEADER\\alice');
    expect(sim.state.listSessions('node-central', 'vp-header')).toHaveLength(1);
    expect((await browser(sim).get(`${hub}/header/hub/`)).status).toBe(401);
  });

  it('answers 401 on the default virtual proxy, which has no module', async () => {
    const res = await browser(sim).get(`${hub}/hub/`);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });

  it('serves the default virtual proxy with a ticket for it', async () => {
    const client = browser(sim);
    const ticket = ticketFor(sim, BOB, 'node-central', 'vp-default');
    const res = await client.get(`${hub}/hub?qlikTicket=${ticket}`);
    expect(res.status).toBe(200);
    expect(res.text()).toContain('DEMO\\bob');
    expect(client.jar.list().map((c) => c.name)).toEqual(['X-Qlik-Session']);
  });

  it('answers 404 for paths that are no route, with or without a prefix', async () => {
    const client = browser(sim);
    expect((await client.get(`${hub}/nosuchprefix/hub/`)).status).toBe(404);
    expect((await client.get(`${hub}/ticket/nosuch`)).status).toBe(404);
    expect((await client.get(`${hub}/ticket/appcontent/a1-sales`)).status).toBe(404);
  });

  it('serves a permitted app page, its images as PNG and its export as CSV', async () => {
    const client = browser(sim);
    const hubPage = await signIn(sim, client, SALES);
    expect(hubPage.text()).toContain('/ticket/sense/app/a1-sales');
    expect(hubPage.text()).not.toContain('/ticket/sense/app/a2-finance');

    const app = await client.get(`${hub}/ticket/sense/app/a1-sales`);
    expect(app.status).toBe(200);
    expect(app.text()).toContain('Sales');
    expect(app.text()).toContain('src="/ticket/appcontent/a1-sales/logo.png"');
    expect(app.text()).toContain('src="/ticket/appcontent/a1-sales/map.png"');
    expect(app.text()).toContain('href="/ticket/tempcontent/a1-sales/a1-sales-export.csv"');

    const image = await client.get(`${hub}/ticket/appcontent/a1-sales/map.png`);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.body.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(image.body.subarray(12, 16).toString('ascii')).toBe('IHDR');

    const csv = await client.get(`${hub}/ticket/tempcontent/a1-sales/a1-sales-export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment/);
    expect(csv.text().split('\r\n')[1]).toMatch(/^Sales,/);

    expect((await client.get(`${hub}/ticket/sense/app/a2-finance`)).status).toBe(403);
    expect((await client.get(`${hub}/ticket/sense/app/no-such-app`)).status).toBe(404);
    expect((await client.get(`${hub}/ticket/appcontent/a1-sales/missing.png`)).status).toBe(404);
    expect((await client.get(`${hub}/ticket/tempcontent/a1-sales/other.csv`)).status).toBe(404);
  });

  it("seed 003: one shared jar - the second user's ticket takes over tab A's HTTP requests", async () => {
    const jar = new CookieJar();
    const tabA = browser(sim, jar);
    const tabB = browser(sim, jar);
    expect((await signIn(sim, tabA, SALES, '/ticket/sense/app/a1-sales')).status).toBe(200);
    expect((await tabA.get(`${hub}/ticket/appcontent/a1-sales/logo.png`)).status).toBe(200);

    expect((await signIn(sim, tabB, FINANCE, '/ticket/sense/app/a2-finance')).status).toBe(200);
    expect(jar.list()).toHaveLength(1);

    // Tab A's images not yet loaded and its export now travel with user B's cookie, and are refused.
    expect((await tabA.get(`${hub}/ticket/appcontent/a1-sales/map.png`)).status).toBe(403);
    expect((await tabA.get(`${hub}/ticket/tempcontent/a1-sales/a1-sales-export.csv`)).status).toBe(403);
    expect((await tabB.get(`${hub}/ticket/appcontent/a2-finance/logo.png`)).status).toBe(200);
    expect((await tabB.get(`${hub}/ticket/tempcontent/a2-finance/a2-finance-export.csv`)).status).toBe(200);
  });

  it('seed 003: one jar per tab keeps both users working', async () => {
    const tabA = browser(sim, new CookieJar());
    const tabB = browser(sim, new CookieJar());
    expect((await signIn(sim, tabA, SALES, '/ticket/sense/app/a1-sales')).status).toBe(200);
    expect((await signIn(sim, tabB, FINANCE, '/ticket/sense/app/a2-finance')).status).toBe(200);
    expect((await tabA.get(`${hub}/ticket/appcontent/a1-sales/map.png`)).status).toBe(200);
    expect((await tabA.get(`${hub}/ticket/tempcontent/a1-sales/a1-sales-export.csv`)).status).toBe(200);
    expect((await tabB.get(`${hub}/ticket/appcontent/a2-finance/logo.png`)).status).toBe(200);
    const users = sim.state
      .listSessions('node-central', 'vp-ticket')
      .map((s) => s.userId)
      .sort();
    expect(users).toEqual(['a1-sales', 'a2-finance']);
  });

  it('reports the user on /qps/user and logs out on DELETE', async () => {
    const client = browser(sim);
    await signIn(sim, client, ALICE);
    const me = await client.get(`${hub}/ticket/qps/user`);
    expect(me.status).toBe(200);
    expect(JSON.parse(me.text())).toEqual({
      userDirectory: 'DEMO',
      userId: 'alice',
      userName: 'Alice Analyst',
      logoutUri: `${hub}/ticket/qps/user`,
    });

    const out = await client.request('DELETE', `${hub}/ticket/qps/user`);
    expect(out.status).toBe(200);
    expect(client.jar.list()).toHaveLength(0);
    expect(sim.state.listSessions('node-central', 'vp-ticket')).toHaveLength(0);
    expect(JSON.parse((await client.get(`${hub}/ticket/qps/user`)).text())).toEqual({ session: 'inactive' });
    expectModuleRedirect(await client.get(`${hub}/ticket/hub/`, { followRedirects: false }));
  });

  it('hands out a csrf token only to a live session', async () => {
    const client = browser(sim);
    expect((await client.get(`${hub}/ticket/qps/csrftoken`)).status).toBe(401);
    await signIn(sim, client, ALICE);
    const first = await client.get(`${hub}/ticket/qps/csrftoken`);
    expect(first.status).toBe(200);
    expect(first.headers['qlik-csrf-token']).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect((await client.get(`${hub}/ticket/qps/csrftoken`)).headers['qlik-csrf-token']).toBe(first.headers['qlik-csrf-token']);
  });

  it("keeps sessions per node: central's cookie is sent to rim1 (same host) but not valid there", async () => {
    const client = browser(sim);
    expect((await signIn(sim, client, ALICE)).status).toBe(200);
    const rim = sim.node('rim1').hub;
    expect(client.jar.cookieHeader(`${rim}/ticket/hub/`)).toMatch(/^X-Qlik-Session-ticket=/);
    const res = await client.get(`${rim}/ticket/hub/`, { followRedirects: false });
    const location = expectModuleRedirect(res);
    expect(location.searchParams.get('proxyRestUri')).toBe(`https://localhost:${sim.node('rim1').qpsPort}/qps/ticket/`);
    // A ticket for rim1 replaces the cookie: now central's session is the one the browser has lost.
    expect((await signIn(sim, client, ALICE, '/ticket/hub/', 'rim1')).status).toBe(200);
    expectModuleRedirect(await client.get(`${hub}/ticket/hub/`, { followRedirects: false }));
  });

  it('refuses the sixth parallel session of one user', async () => {
    const tabs = Array.from({ length: 5 }, () => browser(sim));
    const results = await Promise.all(tabs.map((tab) => signIn(sim, tab, BOB)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await signIn(sim, browser(sim), BOB);
    expect(sixth.status).toBe(403);
    expect(sixth.text()).toContain(TOO_MANY_SESSIONS_MESSAGE);
    expect(sim.state.countUserSessions(BOB)).toBe(5);
  });

  describe('browser client errors', () => {
    it('reports a certificate not signed by the pinned CA', async () => {
      const stranger = browser(sim, undefined, { ca: rootCertificates[0] ?? '' });
      const err = await stranger.get(`${hub}/hub/`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BrowserRequestError);
      expect((err as BrowserRequestError).code).toBe('UNTRUSTED_CERT');
      expect((err as BrowserRequestError).hint).toMatch(/root\.pem/);
    });

    it('reports a host name the certificate is not issued for', async () => {
      const err = await browser(sim)
        .get(`https://127.0.0.1:${sim.node('central').proxyPort}/hub/`)
        .catch((e: unknown) => e);
      expect((err as BrowserRequestError).code).toBe('HOST_MISMATCH');
      // Node's reason says which name was checked against the certificate.
      expect((err as BrowserRequestError).message).toMatch(/"127\.0\.0\.1": IP: 127\.0\.0\.1 is not in the cert's list/);
    });

    it('reports a refused connection', async () => {
      // Port 9 (discard) is not served by the simulator; nothing listens there on a test machine.
      const err = await browser(sim)
        .get('https://localhost:9/hub/')
        .catch((e: unknown) => e);
      expect((err as BrowserRequestError).code).toBe('CONNECTION_REFUSED');
    });

    it('stops after maxRedirects', async () => {
      const client = browser(sim, undefined, { maxRedirects: 0 });
      const err = await signIn(sim, client, ALICE).catch((e: unknown) => e);
      expect((err as BrowserRequestError).code).toBe('TOO_MANY_REDIRECTS');
    });

    it('caps the body size', async () => {
      const client = browser(sim, undefined, { maxBodyBytes: 64 });
      const err = await signIn(sim, client, ALICE).catch((e: unknown) => e);
      expect((err as BrowserRequestError).code).toBe('BODY_TOO_LARGE');
    });

    it('caps a streamed body that declares no length', async () => {
      const pair = sim.pki.serverFor('localhost');
      const server = createServer({ cert: pair.certPem, key: pair.keyPem }, (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        for (let i = 0; i < 20; i++) res.write('x'.repeat(1000));
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const port = (server.address() as AddressInfo).port;
        const capped = browser(sim, undefined, { maxBodyBytes: 5000 });
        const err = await capped.get(`https://localhost:${port}/`).catch((e: unknown) => e);
        expect((err as BrowserRequestError).code).toBe('BODY_TOO_LARGE');
        const roomy = browser(sim, undefined, { maxBodyBytes: 50_000 });
        expect((await roomy.get(`https://localhost:${port}/`)).body.length).toBe(20_000);
      } finally {
        server.closeAllConnections();
        server.close();
      }
    });

    it('times out a slow proxy', async () => {
      sim.faults.set({ latencyMs: 1500 });
      try {
        const err = await browser(sim, undefined, { timeoutMs: 300 })
          .get(`${hub}/hub/`)
          .catch((e: unknown) => e);
        expect((err as BrowserRequestError).code).toBe('TIMEOUT');
      } finally {
        sim.faults.clear();
      }
    });

    it('refuses plain http', async () => {
      const err = await browser(sim)
        .get(`http://localhost:${sim.node('central').proxyPort}/hub/`)
        .catch((e: unknown) => e);
      expect((err as BrowserRequestError).code).toBe('NETWORK');
    });
  });
});

describe('proxy front end with a manual clock and extra headers', () => {
  const clock = new ManualClock();
  let sim: Simulator;

  beforeAll(async () => {
    const site = demoSite();
    const vp = site.virtualProxies.find((v) => v.id === 'vp-ticket');
    if (!vp) throw new Error('demo site lost its ticket virtual proxy');
    vp.additionalResponseHeaders =
      'Access-Control-Allow-Origin: https://mashup.example\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Expose-Headers: qlik-csrf-token\nnot a header line';
    sim = await startTestSite({ site, clock });
  });

  it('sends an expired ticket back to the module', async () => {
    const ticket = ticketFor(sim, ALICE);
    clock.advance(61_000);
    const res = await browser(sim).get(`${sim.node('central').hub}/ticket/hub/?qlikTicket=${ticket}`, { followRedirects: false });
    expectModuleRedirect(res);
    expect(sim.state.listSessions('node-central')).toHaveLength(0);
  });

  it('accepts a ticket just inside its minute', async () => {
    const ticket = ticketFor(sim, ALICE);
    clock.advance(59_000);
    const res = await browser(sim).get(`${sim.node('central').hub}/ticket/hub/?qlikTicket=${ticket}`, { stopAt: atModule });
    expect(res.status).toBe(200);
  });

  it('ends a session after its inactivity timeout', async () => {
    const client = browser(sim);
    expect((await signIn(sim, client, BOB)).status).toBe(200);
    clock.advance(29 * 60_000);
    expect((await client.get(`${sim.node('central').hub}/ticket/hub/`)).status).toBe(200);
    // The request above touched the session: 29 more minutes are still inside the timeout.
    clock.advance(29 * 60_000);
    expect((await client.get(`${sim.node('central').hub}/ticket/hub/`)).status).toBe(200);
    clock.advance(31 * 60_000);
    expectModuleRedirect(await client.get(`${sim.node('central').hub}/ticket/hub/`, { followRedirects: false }));
  });

  it("adds the virtual proxy's additional response headers to every answer", async () => {
    const client = browser(sim);
    const hub = sim.node('central').hub;
    const responses = [
      await client.get(`${hub}/ticket/hub/`, { followRedirects: false }),
      await client.get(`${hub}/ticket/qps/user`),
      await client.get(`${hub}/ticket/nosuch`),
      await signIn(sim, client, ALICE),
    ];
    for (const res of responses) {
      expect(res.headers['access-control-allow-origin']).toBe('https://mashup.example');
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers['access-control-expose-headers']).toBe('qlik-csrf-token');
    }
    // Only that virtual proxy's answers carry them.
    expect((await client.get(`${hub}/hub/`)).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe("proxy front end on the demo site's deliberate mistakes", () => {
  let sim: Simulator;
  let hub: string;
  const asAlice = { headers: { 'X-Usher-User': 'alice' } };

  beforeAll(async () => {
    sim = await startTestSite();
    hub = sim.node('central').hub;
  });

  it('answers for an unlinked virtual proxy as if it did not exist', async () => {
    expect(sim.site.virtualProxies.some((vp) => vp.prefix === 'unlinked')).toBe(true);
    expect((await browser(sim).get(`${hub}/unlinked/hub/`, asAlice)).status).toBe(404);
    expect(sim.state.listSessions('node-central')).toEqual([]);
  });

  it('logs users in on a virtual proxy without load balancing nodes, then has no engine for the hub', async () => {
    const client = browser(sim);
    const res = await client.get(`${hub}/no-engines/hub/`, asAlice);
    expect(res.status).toBe(503);
    expect(res.text()).toContain('No available nodes');
    expect(sim.state.listSessions('node-central', 'vp-no-engines')).toHaveLength(1);
    // Resources that need no engine are still served.
    expect((await client.get(`${hub}/no-engines/resources/autogenerated/qlik-styles.css`)).status).toBe(200);
  });

  it('with a shared cookie name, a login on the copy ends the session of /header in the same browser', async () => {
    const client = browser(sim);
    expect((await client.get(`${hub}/header/hub/`, asAlice)).status).toBe(200);
    expect((await client.get(`${hub}/header/hub/`)).status).toBe(200);
    const copy = await client.get(`${hub}/copy-of-header/hub/`, { headers: { 'X-Usher-User': 'bob' } });
    expect(copy.status).toBe(200);
    expect(copy.setCookie[0]).toMatch(/^X-Qlik-Session-header=/);
    // Each session stays on its own virtual proxy: the cookie now names bob's copy session, unknown to /header.
    const bobs = sim.state.listSessions('node-central', 'vp-copy-of-header').filter((s) => s.userId === 'bob');
    expect(bobs).toHaveLength(1);
    expect((await client.get(`${hub}/header/hub/`)).status).toBe(401);
  });

  it('lets nobody in through header authentication without a header name', async () => {
    expect((await browser(sim).get(`${hub}/no-header-name/hub/`, asAlice)).status).toBe(401);
    expect(sim.state.listSessions('node-central', 'vp-no-header-name')).toEqual([]);
  });

  it('lets anyone in as an anonymous user where anonymous access is always on', async () => {
    const res = await browser(sim).get(`${hub}/anonymous/hub/`);
    expect(res.status).toBe(200);
    expect(res.text()).toMatch(/ANONYMOUS\\anon-/);
  });

  it('sets the session cookie for a domain the proxy host is not in', async () => {
    const client = browser(sim);
    const res = await client.get(`${hub}/wrong-domain/hub/`, asAlice);
    expect(res.status).toBe(200);
    expect(res.setCookie[0]).toMatch(/; Domain=qlik\.example\.com/);
    // The browser drops a cookie for another domain: the next request has no session.
    expect((await client.get(`${hub}/wrong-domain/hub/`)).status).toBe(401);
  });

  it('has nowhere to send a browser on a ticket virtual proxy without a module; sends it to plain HTTP on another', async () => {
    expect((await browser(sim).get(`${hub}/no-module/hub/`)).status).toBe(401);
    const res = await browser(sim).get(`${hub}/plain-http/hub/`, { followRedirects: false });
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^http:\/\/localhost:9080\/usher-auth\/login\?proxyRestUri=/);
  });
});
