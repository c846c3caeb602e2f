// The built-in site's engine over real TLS and real WebSockets, driven by enigma.js (Qlik's own client):
// through the proxy with a ticket or a cookie, the November 2024 csrf and origin checks, sessions ended
// under an open socket, access rules on OpenDoc, and the engine port with the client certificate.
import { randomBytes } from 'node:crypto';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BrowserClient, CookieJar } from '../../electron/core/browser';
import { QlikConnection } from '../../electron/core/qlik';
import { DEMO_AUTH_MODULE_URI, DEMO_MASHUP_ORIGIN, demoSite } from '../../electron/simulator/demo-site';
import { CSWSH_MESSAGE } from '../../electron/simulator/proxy-upgrade';
import { Simulator } from '../../electron/simulator/simulator';
import { qrsGuid } from '../../electron/simulator/site';
import { ManualClock, TOO_MANY_SESSIONS_MESSAGE, type UserRef } from '../../electron/simulator/state';
import { enigmaSession, notification, refusal, type EnigmaHandle } from '../support/engine-client';
import { startTestSite, testPki } from '../support/test-site';

const SALES: UserRef = { userDirectory: 'MASHUP', userId: 'a1-sales' };
const ALICE: UserRef = { userDirectory: 'DEMO', userId: 'alice' };

const HYPERCUBE = {
  qInfo: { qType: 'table' },
  qHyperCubeDef: {
    qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
    qMeasures: [{ qDef: { qDef: 'Sum(Sales)', qLabel: 'Sales' } }],
    qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: 2, qHeight: 50 }],
  },
};

const handles: EnigmaHandle[] = [];
const clients: BrowserClient[] = [];
afterAll(async () => {
  await Promise.all(handles.map((h) => h.session.close().catch(() => undefined)));
  await Promise.all(clients.map((c) => c.close()));
});

function track(handle: EnigmaHandle): EnigmaHandle {
  handles.push(handle);
  return handle;
}

function wssBase(sim: Simulator, node = 'central'): string {
  return sim.node(node).hub.replace('https://', 'wss://');
}

function ticketFor(sim: Simulator, user: UserRef, vpId = 'vp-ticket', nodeId = 'node-central'): string {
  return sim.state.issueTicket(nodeId, vpId, user, []).ticket;
}

/** A browser signed in on /ticket (ticket redeemed over HTTP), with its csrf token. */
async function signedInBrowser(sim: Simulator, user: UserRef): Promise<{ client: BrowserClient; cookie: string; token: string }> {
  const client = new BrowserClient({ ca: sim.pki.ca.certPem, jar: new CookieJar() });
  clients.push(client);
  const hub = sim.node('central').hub;
  const res = await client.get(`${hub}/ticket/hub/?qlikTicket=${ticketFor(sim, user)}`);
  expect(res.status).toBe(200);
  const csrf = await client.get(`${hub}/ticket/qps/csrftoken`);
  const token = csrf.headers['qlik-csrf-token'];
  expect(token).toBeTruthy();
  return { client, cookie: client.jar.cookieHeader(`${hub}/ticket/`), token: token! };
}

describe('engine through the proxy', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startTestSite();
  });

  it('redeems a ticket on the upgrade, sets the cookie, and speaks QIX as the ticket user', async () => {
    const h = track(enigmaSession(`${wssBase(sim)}/ticket/app/engineData?qlikTicket=${ticketFor(sim, SALES)}`, { ca: sim.pki.ca.certPem }));
    const global: any = await h.session.open();
    const upgrade = await h.upgrade;
    expect(String(upgrade.headers['set-cookie'])).toMatch(/^X-Qlik-Session-ticket=[0-9a-f-]{36}; Path=\/; HttpOnly; Secure; SameSite=None/);
    expect((await notification(h, 'OnConnected')).params).toEqual({ qSessionState: 'SESSION_CREATED' });
    expect(await global.getAuthenticatedUser()).toBe('UserDirectory=MASHUP; UserId=a1-sales');
    const auth = await notification(h, 'OnAuthenticationInformation');
    expect(auth.params).toMatchObject({ userId: 'a1-sales', userDirectory: 'MASHUP', mustAuthenticate: false });
    expect(auth.params.logoutUri).toMatch(/\/ticket\/qps\/user$/);
    // OnAuthenticationInformation answers the client's first message, so it arrives after OnConnected.
    expect(h.received.findIndex((m) => m.method === 'OnConnected')).toBeLessThan(h.received.findIndex((m) => m.method === 'OnAuthenticationInformation'));
    const docs = await global.getDocList();
    expect(docs.map((d: any) => d.qDocId)).toEqual([qrsGuid('app', 'a1-sales')]);
    // The GUID QRS and GetDocList report opens the app, as does the site file's id.
    expect((await global.openDoc(docs[0].qDocId)).id).toBe(qrsGuid('app', 'a1-sales'));
    expect(await global.isDesktopMode()).toBe(false);
    expect((await global.engineVersion()).qComponentVersion).toMatch(/^12\./);
  });

  it('opens an app, computes a hypercube, and a selection changes it (delta protocol on)', async () => {
    const h = track(enigmaSession(`${wssBase(sim)}/ticket/app/a1-sales?qlikTicket=${ticketFor(sim, SALES)}`, { ca: sim.pki.ca.certPem }));
    const global: any = await h.session.open();
    const app = await global.openDoc('a1-sales');
    expect((await app.getAppLayout()).qTitle).toBe('Sales');
    const table = await app.createSessionObject(HYPERCUBE);
    const before = await table.getLayout();
    expect(before.qHyperCube.qSize).toEqual({ qcx: 2, qcy: 4 });
    const rows = (l: any) => l.qHyperCube.qDataPages[0].qMatrix.map((r: any) => [r[0].qText, r[1].qNum]);
    expect(rows(before)).toEqual([
      ['North', 2950],
      ['South', 1415],
      ['East', 1040],
      ['West', 1450],
    ]);
    let changed = 0;
    table.on('changed', () => changed++);
    const region = await app.getField('Region');
    expect(await region.selectValues([{ qText: 'South' }, { qText: 'West' }])).toBe(true);
    expect(changed).toBeGreaterThan(0);
    const after = await table.getLayout();
    expect(rows(after)).toEqual([
      ['South', 1415],
      ['West', 1450],
    ]);
    expect(after.qHyperCube.qDataPages[0].qMatrix[0][0].qState).toBe('S');
    const pages = await table.getHyperCubeData('/qHyperCubeDef', [{ qLeft: 1, qTop: 1, qWidth: 1, qHeight: 5 }]);
    expect(pages[0].qMatrix).toEqual([[{ qText: '1450', qNum: 1450, qElemNumber: 0, qState: 'L' }]]);
    await region.clear();
    expect(rows(await table.getLayout())).toHaveLength(4);
    // The patches enigma.js applied left it with exactly the engine's full layout.
    expect(h.received.some((m) => m.delta === true)).toBe(true);
  });

  it('answers QIX errors: access denied on OpenDoc, unknown method, bad params, unknown app', async () => {
    const h = track(enigmaSession(`${wssBase(sim)}/ticket/app/engineData?qlikTicket=${ticketFor(sim, SALES)}`, { ca: sim.pki.ca.certPem }));
    const global: any = await h.session.open();
    await expect(global.openDoc('a2-finance')).rejects.toMatchObject({ code: 5, message: 'Access denied' });
    await expect(global.openDoc('no-such-app')).rejects.toMatchObject({ code: 1003, parameter: 'no-such-app' });
    const raw = (message: object) =>
      new Promise<any>((resolve) => {
        const id = Math.floor(Math.random() * 1e9);
        h.session.on('traffic:received', (data: any) => {
          if (data.id === id) resolve(data);
        });
        (h.session as any).rpc.socket.send(JSON.stringify({ jsonrpc: '2.0', id, ...message }));
      });
    expect((await raw({ handle: -1, method: 'NoSuchMethod', params: [] })).error).toEqual({
      code: -32601,
      parameter: 'NoSuchMethod',
      message: 'Method not found',
    });
    expect((await raw({ handle: -1, method: 'OpenDoc', params: [42] })).error).toMatchObject({ code: -32602, parameter: 'qDocName' });
    expect((await raw({ handle: -1, method: 'OpenDoc', params: { qDocName: 'a1-sales', qBogus: 1 } })).error).toMatchObject({
      code: -32602,
      parameter: 'qBogus',
    });
    expect((await raw({ handle: 99, method: 'GetLayout', params: [] })).error.code).toBe(-32602);
  });

  it('tells a socket without a session where to log in, then closes it', async () => {
    const h = track(enigmaSession(`${wssBase(sim)}/ticket/app/engineData`, { ca: sim.pki.ca.certPem }));
    const global: any = await h.session.open();
    // The proxy closes the socket after saying where to log in: the call fails as enigma's NOT_CONNECTED (-1).
    const refused = await global.engineVersion().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(Error);
    expect(refused).toMatchObject({ code: -1, message: 'Socket closed' });
    const info = await notification(h, 'OnAuthenticationInformation');
    expect(info.params.mustAuthenticate).toBe(true);
    expect(info.params.loginUri.startsWith(`${DEMO_AUTH_MODULE_URI}?proxyRestUri=`)).toBe(true);
    expect(new URL(info.params.loginUri).searchParams.get('targetId')).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.received.some((m) => m.method === 'OnConnected')).toBe(false);
  });

  it('attaches a socket with the cookie and csrf token to the session; refuses it without the token', async () => {
    const { cookie, token } = await signedInBrowser(sim, ALICE);
    const url = `${wssBase(sim)}/ticket/app/a1-sales`;
    const refused = await refusal(url, { ca: sim.pki.ca.certPem, headers: { Cookie: cookie } });
    expect(refused).toEqual({ status: 403, body: CSWSH_MESSAGE });
    const wrong = await refusal(`${url}?qlik-csrf-token=${token.slice(1)}x`, { ca: sim.pki.ca.certPem, headers: { Cookie: cookie } });
    expect(wrong.status).toBe(403);

    const first = track(enigmaSession(`${url}?qlik-csrf-token=${encodeURIComponent(token)}`, { ca: sim.pki.ca.certPem, headers: { Cookie: cookie } }));
    const g1: any = await first.session.open();
    expect(await g1.getAuthenticatedUser()).toBe('UserDirectory=DEMO; UserId=alice');
    expect((await notification(first, 'OnConnected')).params.qSessionState).toBe('SESSION_CREATED');
    const second = track(enigmaSession(`${url}?qlik-csrf-token=${encodeURIComponent(token)}`, { ca: sim.pki.ca.certPem, headers: { Cookie: cookie } }));
    await second.session.open();
    expect((await notification(second, 'OnConnected')).params.qSessionState).toBe('SESSION_ATTACHED');
    // Sockets on one proxy session are one session against the five-session limit.
    expect(sim.state.countUserSessions(ALICE)).toBe(1);
  });

  it('lets a page on the proxy host open a socket', async () => {
    const { cookie, token } = await signedInBrowser(sim, ALICE);
    const url = `${wssBase(sim)}/ticket/app/engineData?qlik-csrf-token=${encodeURIComponent(token)}`;
    const mashup = track(enigmaSession(url, { ca: sim.pki.ca.certPem, headers: { Cookie: cookie }, origin: DEMO_MASHUP_ORIGIN }));
    const global: any = await mashup.session.open();
    expect(await global.getAuthenticatedUser()).toBe('UserDirectory=DEMO; UserId=alice');
  });

  it('sends OnSessionLoggedOut when the browser logs out, then closes the socket; its user stays fixed until then', async () => {
    const { client, cookie, token } = await signedInBrowser(sim, ALICE);
    const h = track(
      enigmaSession(`${wssBase(sim)}/ticket/app/engineData?qlik-csrf-token=${encodeURIComponent(token)}`, {
        ca: sim.pki.ca.certPem,
        headers: { Cookie: cookie },
      }),
    );
    const global: any = await h.session.open();
    await global.engineVersion();
    // The browser's cookie now belongs to someone else (seed 003): the open socket is still alice's.
    await client.get(`${sim.node('central').hub}/ticket/hub/?qlikTicket=${ticketFor(sim, { userDirectory: 'DEMO', userId: 'bob' })}`);
    expect(await global.getAuthenticatedUser()).toBe('UserDirectory=DEMO; UserId=alice');
    const aliceSessionId = cookie.split('=')[1]!;
    sim.state.deleteSession('node-central', aliceSessionId, 'vp-ticket', 'logout');
    const message = await notification(h, 'OnSessionLoggedOut');
    expect(message.params).toMatchObject({ severity: 'fatal', message: 'User logged out manually' });
    expect(await h.closed).toBe(1000);
  });

  it('sends OnSessionLoggedOut when the browser logs out on the personal API', async () => {
    const { client, cookie, token } = await signedInBrowser(sim, SALES);
    const h = track(
      enigmaSession(`${wssBase(sim)}/ticket/app/engineData?qlik-csrf-token=${encodeURIComponent(token)}`, {
        ca: sim.pki.ca.certPem,
        headers: { Cookie: cookie },
      }),
    );
    await ((await h.session.open()) as any).engineVersion();
    const logout = await client.request('DELETE', `${sim.node('central').hub}/ticket/qps/user`);
    expect(logout.status).toBe(200);
    expect((await notification(h, 'OnSessionLoggedOut')).params.message).toBe('User logged out manually');
    expect(await h.closed).toBe(1000);
  });

  it('sends OnSessionClosed when the QPS API ends the session', async () => {
    const { cookie, token } = await signedInBrowser(sim, SALES);
    const url = `${wssBase(sim)}/ticket/app/engineData?qlik-csrf-token=${encodeURIComponent(token)}`;
    const h = track(enigmaSession(url, { ca: sim.pki.ca.certPem, headers: { Cookie: cookie } }));
    await ((await h.session.open()) as any).engineVersion();
    const connection = new QlikConnection({ ca: sim.pki.ca.certPem, client: sim.pki.client });
    try {
      await connection.qps(sim.node('central').qps, 'ticket').deleteSession(cookie.split('=')[1]!);
    } finally {
      await connection.close();
    }
    expect((await notification(h, 'OnSessionClosed')).params.message).toBe('Session closed by server');
    expect(await h.closed).toBe(1000);
  });

  it('authenticates an upgrade by the header of a header virtual proxy', async () => {
    const h = track(enigmaSession(`${wssBase(sim)}/header/app/engineData`, { ca: sim.pki.ca.certPem, headers: { 'X-Usher-User': 'hdr-user' } }));
    const global: any = await h.session.open();
    expect(await global.getAuthenticatedUser()).toBe('UserDirectory=HEADER; UserId=hdr-user');
    expect(String((await h.upgrade).headers['set-cookie'])).toMatch(/^X-Qlik-Session-header=/);
  });

  it("refuses an upgrade that would be a sixth session, with Qlik's words", async () => {
    const user = { userDirectory: 'DEMO', userId: 'bob' };
    for (const s of sim.state.userSessions('node-central', user)) sim.state.deleteSession('node-central', s.sessionId);
    for (let i = 0; i < 5; i++) sim.state.createSession('node-central', 'vp-ticket', user, []);
    const refused = await refusal(`${wssBase(sim)}/ticket/app/engineData?qlikTicket=${ticketFor(sim, user)}`, { ca: sim.pki.ca.certPem });
    expect(refused).toEqual({ status: 403, body: TOO_MANY_SESSIONS_MESSAGE });
  });

  it('serves an export over HTTP to the session that made it, and to no one else', async () => {
    const { client, cookie, token } = await signedInBrowser(sim, ALICE);
    const h = track(
      enigmaSession(`${wssBase(sim)}/ticket/app/a1-sales?qlik-csrf-token=${encodeURIComponent(token)}`, {
        ca: sim.pki.ca.certPem,
        headers: { Cookie: cookie },
      }),
    );
    const global: any = await h.session.open();
    const app = await global.openDoc('a1-sales');
    const table = await app.createSessionObject(HYPERCUBE);
    await (await app.getField('Region')).selectValues([{ qText: 'North' }]);
    const exported = await table.exportData('CSV_C', '/qHyperCubeDef');
    expect(exported.qUrl).toMatch(/^\/tempcontent\/[0-9a-f-]{36}\/[0-9a-f-]{36}\.csv\?serverNodeId=/);
    const download = await client.get(`${sim.node('central').hub}/ticket${exported.qUrl}`);
    expect(download.status).toBe(200);
    expect(download.text()).toBe('Region,Sales\r\nNorth,2950\r\n');
    const other = await signedInBrowser(sim, { userDirectory: 'DEMO', userId: 'carol' });
    const refused = await other.client.get(`${sim.node('central').hub}/ticket${exported.qUrl}`);
    expect(refused.status).toBe(403);
  });
});

describe('engine with the November 2024 protection switched off', () => {
  it('accepts a cookie socket without a csrf token, as older releases do', async () => {
    const sim = await startTestSite({ site: { ...demoSite(), websocketCsrfProtection: false } });
    const { cookie } = await signedInBrowser(sim, ALICE);
    const h = track(enigmaSession(`${wssBase(sim)}/ticket/app/engineData`, { ca: sim.pki.ca.certPem, headers: { Cookie: cookie } }));
    const global: any = await h.session.open();
    expect(await global.getAuthenticatedUser()).toBe('UserDirectory=DEMO; UserId=alice');
  });
});

describe('engine origin checks', () => {
  it('accepts an Origin in the virtual proxy host allow list and refuses others', async () => {
    const site = demoSite();
    site.virtualProxies.find((vp) => vp.id === 'vp-ticket')!.websocketCrossOriginWhiteList = ['mashup.example'];
    const sim = await startTestSite({ site });
    const { cookie, token } = await signedInBrowser(sim, ALICE);
    const url = `${wssBase(sim)}/ticket/app/engineData?qlik-csrf-token=${encodeURIComponent(token)}`;
    const evil = await refusal(url, { ca: sim.pki.ca.certPem, headers: { Cookie: cookie }, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.body).toContain('https://evil.example');
    const allowed = track(enigmaSession(url, { ca: sim.pki.ca.certPem, headers: { Cookie: cookie }, origin: 'https://mashup.example:8443' }));
    expect(await ((await allowed.session.open()) as any).getAuthenticatedUser()).toBe('UserDirectory=DEMO; UserId=alice');
    // The default virtual proxy's list is empty: the same mashup is refused there.
    const onDefault = await refusal(`${wssBase(sim)}/app/engineData?qlikTicket=${ticketFor(sim, ALICE, 'vp-default')}`, {
      ca: sim.pki.ca.certPem,
      origin: 'https://mashup.example:8443',
    });
    expect(onDefault.status).toBe(403);
  });
});

/** The opcodes of the unmasked frames a server sent, in order (8 = close). */
function frameOpcodes(data: Buffer): number[] {
  const opcodes: number[] = [];
  for (let at = 0; at + 2 <= data.length;) {
    const short = data[at + 1]! & 0x7f;
    const header = short === 126 ? 4 : short === 127 ? 10 : 2;
    const length = short === 126 ? data.readUInt16BE(at + 2) : short === 127 ? Number(data.readBigUInt64BE(at + 2)) : short;
    opcodes.push(data[at]! & 0x0f);
    at += header + length;
  }
  return opcodes;
}

describe('engine shutdown', () => {
  // ws waits 30 s for a close frame on its own; the site cuts it after one second. This test's own time
  // limit tells the two apart: stop() must end well within it.
  it('stops the site even when a client never answers the close frame', { timeout: 15_000 }, async () => {
    const sim = await Simulator.start({ pki: testPki() });
    const hub = new URL(sim.node('central').hub);
    const ticket = sim.state.issueTicket('node-central', 'vp-ticket', SALES, []).ticket;
    // A raw client: it completes the upgrade, then never sends a close frame back.
    const socket = tls.connect({ host: hub.hostname, port: Number(hub.port), ca: sim.pki.ca.certPem, servername: hub.hostname });
    await new Promise((resolve) => socket.once('secureConnect', resolve));
    socket.write(
      `GET /ticket/app/engineData?qlikTicket=${ticket} HTTP/1.1\r\nHost: ${hub.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const received: Buffer[] = [];
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (d: Buffer) => received.push(d));
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    expect(Buffer.concat(received).toString('latin1')).toMatch(/^HTTP\/1\.1 101 /);
    // The client reads but never writes again: no close frame back. Stopping still ends, and the site
    // cuts the connection itself once its close frame (the last frame it sent) went unanswered.
    await sim.stop();
    await ended;
    const bytes = Buffer.concat(received);
    expect(frameOpcodes(bytes.subarray(bytes.indexOf('\r\n\r\n') + 4)).at(-1)).toBe(8);
  });
});

describe('engine timeouts', () => {
  it('sends OnSessionTimedOut when the proxy session times out under the socket', async () => {
    const clock = new ManualClock();
    const sim = await startTestSite({ clock });
    const h = track(enigmaSession(`${wssBase(sim)}/ticket/app/engineData?qlikTicket=${ticketFor(sim, SALES)}`, { ca: sim.pki.ca.certPem }));
    await ((await h.session.open()) as any).engineVersion();
    clock.advance(31 * 60_000);
    sim.state.expireInactive();
    expect((await notification(h, 'OnSessionTimedOut')).params.message).toBe('Session timed out due to inactivity');
    expect(await h.closed).toBe(1000);
  });
});

describe('engine port (direct, client certificate + X-Qlik-User)', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startTestSite();
  });

  const certOptions = (s: Simulator, user?: string) => ({
    ca: s.pki.ca.certPem,
    cert: s.pki.client.certPem,
    key: s.pki.client.keyPem,
    headers: user ? { 'X-Qlik-User': user } : ({} as Record<string, string>),
  });

  it('serves the user the header names, with no proxy session and no session limit', async () => {
    const user = 'UserDirectory=MASHUP; UserId=a1-sales';
    const opened: any[] = [];
    for (let i = 0; i < 6; i++) {
      const h = track(enigmaSession(`${sim.node('central').engine}/app/engineData/identity/${i}`, certOptions(sim, user)));
      opened.push(await h.session.open());
    }
    expect(await opened[5].getAuthenticatedUser()).toBe('UserDirectory=MASHUP; UserId=a1-sales');
    expect(sim.state.countUserSessions(SALES)).toBe(0);
    await expect(opened[0].openDoc('a2-finance')).rejects.toMatchObject({ code: 5 });
    const h = handles[handles.length - 1]!;
    expect(h.received.some((m) => m.method === 'OnAuthenticationInformation')).toBe(false);
  });

  it('refuses a socket without X-Qlik-User (401) and a client without the certificate (handshake)', async () => {
    const missing = await refusal(`${sim.node('central').engine}/app/engineData`, certOptions(sim));
    expect(missing.status).toBe(401);
    expect(missing.body).toContain('X-Qlik-User');
    await expect(
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`${sim.node('central').engine}/app/engineData`, {
          ca: sim.pki.ca.certPem,
          headers: { 'X-Qlik-User': 'UserDirectory=A; UserId=b' },
        });
        ws.on('open', () => resolve('open'));
        ws.on('error', reject);
      }),
    ).rejects.toMatchObject({ code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
  });
});
