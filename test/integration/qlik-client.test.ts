// The QPS/QRS client against the simulated site over real mutual TLS, and against tiny local servers
// for answers the simulator does not give (an xrfkey rejection, an endless body).
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QlikConnection, QlikError, parseQpsAddress, type ConnectionOptions, type RequestRecord } from '../../electron/core/qlik';
import { CertificateAuthority } from '../../electron/simulator/pki';
import type { Simulator } from '../../electron/simulator/simulator';
import { startTestSite } from '../support/test-site';

let sim: Simulator;
let conn: QlikConnection;
const records: RequestRecord[] = [];
const connections: QlikConnection[] = [];
const servers: https.Server[] = [];

function options(extra: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return { ca: sim.pki.ca.certPem, client: { certPem: sim.pki.client.certPem, keyPem: sim.pki.client.keyPem }, ...extra };
}

function connect(extra: Partial<ConnectionOptions> = {}): QlikConnection {
  const c = new QlikConnection(options(extra));
  connections.push(c);
  return c;
}

/** The QlikError `promise` rejects with (Vitest's rejects checks it), for the fields a test looks at. */
async function failure(promise: Promise<unknown>): Promise<QlikError> {
  await expect(promise).rejects.toBeInstanceOf(QlikError);
  return promise.then(
    () => expect.unreachable(),
    (err: unknown) => err as QlikError,
  );
}

/** A mutual-TLS server with the site's own certificates, answering with `handler`. */
async function localQlikServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const { certPem, keyPem } = sim.pki.serverFor('localhost');
  const server = https.createServer({ cert: certPem, key: keyPem, ca: sim.pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://localhost:${(server.address() as AddressInfo).port}`;
}

const central = (): ReturnType<Simulator['node']> => sim.node('central');

beforeAll(async () => {
  sim = await startTestSite();
  conn = connect({ onRecord: (r) => records.push(r) });
});

afterEach(() => sim.faults.clear());

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        }),
    ),
  );
});

describe('QPS', () => {
  it('issues a ticket on the default virtual proxy, attributes keeping their casing', async () => {
    const qps = conn.qps(central().qps);
    expect(qps.prefix).toBe('');
    const attributes: Array<Record<string, string>> = [{ Group: 'Sales' }, { Group: 'HR' }, { Flag: '' }];
    const result = await qps.requestTicket({ userDirectory: 'DEMO', userId: 'alice', attributes });
    expect(result).toMatchObject({ userDirectory: 'DEMO', userId: 'alice', attributes });
    expect(result.ticket).toMatch(/^[0-9a-zA-Z]{16}$/);
    expect(result.targetUri).toBeUndefined();
  });

  it('issues a ticket on a named virtual proxy and from a proxyRestUri', async () => {
    const named = conn.qps(central().qps, 'ticket');
    expect(named.prefix).toBe('ticket');
    expect((await named.requestTicket({ userDirectory: 'MASHUP', userId: 'a1-sales' })).ticket).toHaveLength(16);

    const fromRest = conn.qpsFromRestUri(`${central().qps}/qps/ticket/`);
    expect(fromRest.prefix).toBe('ticket');
    expect(fromRest.baseUrl).toBe(central().qps);
    expect((await fromRest.requestTicket({ userDirectory: 'MASHUP', userId: 'a1-sales' })).userId).toBe('a1-sales');
    // A proxyRestUri given to qps() works the same.
    expect(conn.qps(`${central().qps}/qps/ticket/`).prefix).toBe('ticket');
  });

  it('parses QPS addresses: base URL, proxyRestUri, explicit prefix', () => {
    expect(parseQpsAddress('https://qlik:4243')).toEqual({ baseUrl: 'https://qlik:4243', prefix: '' });
    expect(parseQpsAddress('https://qlik:4243/qps/')).toEqual({ baseUrl: 'https://qlik:4243', prefix: '' });
    expect(parseQpsAddress('https://qlik:4243/qps/sales/')).toEqual({ baseUrl: 'https://qlik:4243', prefix: 'sales' });
    expect(() => parseQpsAddress('http://qlik:4243')).toThrow(/https/);
    expect(() => parseQpsAddress('https://qlik:4243/hub/')).toThrow(/\/qps\//);
    expect(conn.qps('https://qlik:4243/qps/sales/', 'other').prefix).toBe('other');
  });

  it('adds, reads, lists and ends sessions', async () => {
    const qps = conn.qps(central().qps, 'ticket');
    const sessionId = `it-${Date.now()}-a`;
    const added = await qps.addSession({ userDirectory: 'DEMO', userId: 'bob', attributes: [{ Role: 'tester' }], sessionId });
    expect(added).toMatchObject({ userDirectory: 'DEMO', userId: 'bob', sessionId, attributes: [{ Role: 'tester' }] });
    await qps.addSession({ userDirectory: 'DEMO', userId: 'bob', sessionId: `${sessionId}-2` });

    expect((await qps.getSession(sessionId)).sessionId).toBe(sessionId);
    expect((await qps.listSessions()).map((s) => s.sessionId)).toEqual(expect.arrayContaining([sessionId, `${sessionId}-2`]));
    expect((await qps.userSessions('DEMO', 'bob')).map((s) => s.sessionId).sort()).toEqual([sessionId, `${sessionId}-2`]);

    expect((await qps.deleteSession(sessionId)).sessionId).toBe(sessionId);
    const notFound = await failure(qps.getSession(sessionId));
    expect(notFound.code).toBe('NOT_FOUND');
    expect(notFound.status).toBe(404);
    // The message names neither the session id nor its URL unmasked.
    expect(notFound.message).not.toContain(sessionId);
    expect(notFound.url).not.toContain(sessionId);

    const ended = await qps.deleteUserSessions('DEMO', 'bob');
    expect(ended.map((s) => s.sessionId)).toEqual([`${sessionId}-2`]);
    expect(await qps.userSessions('DEMO', 'bob')).toEqual([]);
  });

  it('refuses the sixth parallel session of a user with TOO_MANY_SESSIONS', async () => {
    const qps = conn.qps(central().qps);
    const base = `cap-${Date.now()}`;
    try {
      for (let i = 0; i < 5; i++) await qps.addSession({ userDirectory: 'MASHUP', userId: 'a3-hr', sessionId: `${base}-${i}` });
      const err = await failure(qps.addSession({ userDirectory: 'MASHUP', userId: 'a3-hr', sessionId: `${base}-5` }));
      expect(err.code).toBe('TOO_MANY_SESSIONS');
      expect(err.status).toBe(400);
      expect(err.hint).toMatch(/End sessions/);
    } finally {
      await qps.deleteUserSessions('MASHUP', 'a3-hr');
    }
  });

  it('reports a bad request with the server text', async () => {
    const err = await failure(conn.qps(central().qps).requestTicket({ userDirectory: 'DEMO', userId: 'a\\b' }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/backslash/);
  });

  it('names an unknown virtual proxy prefix', async () => {
    const err = await failure(conn.qps(central().qps, 'nope').requestTicket({ userDirectory: 'DEMO', userId: 'alice' }));
    expect(err.code).toBe('UNKNOWN_VIRTUAL_PROXY');
    expect(err.message).toContain('"nope"');
    expect(err.hint).toMatch(/links it/);
  });
});

describe('QRS', () => {
  it('reads about, virtual proxies and proxy services, normalised', async () => {
    const qrs = conn.qrs(central().qrs);
    const about = await qrs.about();
    expect(typeof about.buildVersion).toBe('string');
    expect(about.buildVersion.length).toBeGreaterThan(0);

    const vps = await qrs.virtualProxies();
    const ticketVp = vps.find((vp) => vp.prefix === 'ticket');
    expect(ticketVp).toBeDefined();
    expect(ticketVp!.sessionCookieHeaderName).toBe('X-Qlik-Session-ticket');
    expect(ticketVp!.loadBalancingServerNodes[0]).toMatchObject({ hostName: 'localhost' });
    expect(typeof ticketVp!.loadBalancingServerNodes[0]!.id).toBe('string');

    const proxies = await qrs.proxyServices();
    expect(proxies).toHaveLength(sim.nodes.length);
    const centralProxy = proxies.find((p) => p.serverNodeConfiguration.name === 'central');
    expect(centralProxy?.serverNodeConfiguration.hostName).toBe('localhost');
    expect(centralProxy?.settings.restListenPort).toBe(central().qpsPort);
    // Central links the three working virtual proxies and every deliberate mistake but the unlinked one.
    const centralPrefixes = centralProxy?.settings.virtualProxies.map((vp) => vp.prefix) ?? [];
    expect(centralPrefixes.slice(0, 3)).toEqual(['', 'ticket', 'header']);
    expect(centralPrefixes).toHaveLength(vps.length - 1);
    expect(centralPrefixes).not.toContain('unlinked');
  });

  it("reads the repository's real shapes: GUID ids, extra fields kept out of the model", async () => {
    const qrs = conn.qrs(central().qrs);
    const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const [vps, proxies] = await Promise.all([qrs.virtualProxies(), qrs.proxyServices()]);
    for (const vp of vps) expect(vp.id).toMatch(GUID);
    for (const p of proxies) expect([p.id, p.serverNodeConfiguration.id]).toEqual([expect.stringMatching(GUID), expect.stringMatching(GUID)]);
    // A virtual proxy is linked by the same GUID in the proxy service as in its own list.
    const linkedIds = new Set(proxies.flatMap((p) => p.settings.virtualProxies.map((vp) => vp.id)));
    expect(vps.filter((vp) => !linkedIds.has(vp.id)).map((vp) => vp.prefix)).toEqual(['unlinked']);
    expect(vps[0]).not.toHaveProperty('schemaPath');
  });

  it('finds one virtual proxy by prefix with a QRS filter, in one call', async () => {
    const seen: RequestRecord[] = [];
    const qrs = connect({ onRecord: (r) => void seen.push(r) }).qrs(central().qrs);
    expect((await qrs.virtualProxy('ticket'))?.sessionCookieHeaderName).toBe('X-Qlik-Session-ticket');
    expect((await qrs.virtualProxy(''))?.defaultVirtualProxy).toBe(true);
    expect(await qrs.virtualProxy('nope')).toBeUndefined();
    expect(seen.map((r) => new URL(r.url).searchParams.get('filter'))).toEqual(["prefix eq 'ticket'", "prefix eq ''", "prefix eq 'nope'"]);
  });

  it('accepts a QRS address with a path', async () => {
    expect(conn.qrs(`${central().qrs}/qrs/`).baseUrl).toBe(central().qrs);
  });
});

describe('client certificates', () => {
  it('works with the PFX export', async () => {
    const pfxConn = connect({ client: { pfx: sim.pki.pfx, passphrase: sim.pki.pfxPassphrase } });
    expect((await pfxConn.qps(central().qps).requestTicket({ userDirectory: 'DEMO', userId: 'alice' })).ticket).toHaveLength(16);
  });

  it('rejects a wrong PFX passphrase up front with BAD_CLIENT_CERT', () => {
    const withWrongPassphrase = () => new QlikConnection(options({ client: { pfx: sim.pki.pfx, passphrase: 'not-it' } }));
    expect(withWrongPassphrase).toThrow(QlikError);
    expect(withWrongPassphrase).toThrow(expect.objectContaining({ code: 'BAD_CLIENT_CERT', message: expect.stringMatching(/passphrase is wrong/) }));
  });

  it('rejects unreadable key material with BAD_CLIENT_CERT', () => {
    expect(() => new QlikConnection(options({ client: { certPem: sim.pki.client.certPem, keyPem: 'not a key' } }))).toThrow(
      expect.objectContaining({ name: 'QlikError', code: 'BAD_CLIENT_CERT', message: 'client_key.pem is not a readable private key' }),
    );
  });

  it('reports a client certificate from another CA as CLIENT_CERT_REFUSED', async () => {
    const foreign = CertificateAuthority.create({ commonName: 'another-site-CA' }).issueClient({ commonName: 'QlikClient' });
    const c = connect({ client: { certPem: foreign.certPem, keyPem: foreign.keyPem } });
    const err = await failure(c.qps(central().qps).requestTicket({ userDirectory: 'DEMO', userId: 'alice' }));
    expect(err.code).toBe('CLIENT_CERT_REFUSED');
    expect(err.message).toContain('another-site-CA');
    expect(err.hint).toMatch(/this site's CA/);
  });
});

describe('server certificate checks', () => {
  it('reports a server certificate from another CA, naming its subject and issuer', async () => {
    const other = CertificateAuthority.create({ commonName: 'unrelated-CA' });
    const c = connect({ ca: other.certPem });
    const err = await failure(c.qps(central().qps).requestTicket({ userDirectory: 'DEMO', userId: 'alice' }));
    expect(err.code).toBe('UNTRUSTED_SERVER_CERT');
    expect(err.message).toContain('CN=localhost');
    expect(err.message).toContain('CN=usher-test-CA');
    expect(err.message).toContain('CN=unrelated-CA');
  });

  it('reports a host name the certificate does not carry, listing the names it does', async () => {
    const err = await failure(conn.qps(`https://127.0.0.1:${central().qpsPort}`).requestTicket({ userDirectory: 'DEMO', userId: 'alice' }));
    expect(err.code).toBe('HOST_MISMATCH');
    expect(err.message).toContain('127.0.0.1');
    expect(err.message).toContain('localhost');
    expect(err.hint).toContain(`https://localhost:${central().qpsPort}`);
  });
});

describe('network and answer failures', () => {
  it('gives up on a node that never answers: TIMEOUT, and the request is aborted', async () => {
    const asked: IncomingMessage[] = [];
    const qps = await localQlikServer((req) => asked.push(req)); // holds every request open, never answers
    const c = connect({ timeoutMs: 300 });
    const err = await failure(c.qps(qps).requestTicket({ userDirectory: 'DEMO', userId: 'alice' }));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toContain('300 ms');
    // Only the client's deadline can have ended the call; it also let go of the request it gave up on.
    expect(asked).toHaveLength(1);
    const socket = asked[0]!.socket;
    if (!socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));
    expect(socket.destroyed).toBe(true);
  });

  it('reports a closed port as CONNECTION_REFUSED', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const err = await failure(conn.qps(`https://127.0.0.1:${port}`).requestTicket({ userDirectory: 'DEMO', userId: 'alice' }));
    expect(err.code).toBe('CONNECTION_REFUSED');
  });

  it('reports an unknown host as DNS', async () => {
    const err = await failure(conn.qrs('https://no-such-node.invalid:4242').about());
    expect(err.code).toBe('DNS');
  });

  it('tells a reset connection from a refused client certificate', async () => {
    sim.faults.set({ resetRate: 1 });
    const err = await failure(conn.qps(central().qps).requestTicket({ userDirectory: 'DEMO', userId: 'alice' }));
    expect(err.code).toBe('CONNECTION_RESET');
  });

  it('reports malformed JSON as NOT_JSON', async () => {
    sim.faults.set({ malformedJsonRate: 1 });
    const err = await failure(conn.qrs(central().qrs).about());
    expect(err.code).toBe('NOT_JSON');
    expect(err.status).toBe(200);
  });

  it('reports a 503 as HTTP_ERROR with the status', async () => {
    sim.faults.set({ errorRate: 1 });
    const err = await failure(conn.qrs(central().qrs).about());
    expect(err.code).toBe('HTTP_ERROR');
    expect(err.status).toBe(503);
  });

  it('reports an xrfkey rejection (and sends the same key in query and header)', async () => {
    const seen: Array<{ query: string | null; header: unknown }> = [];
    const base = await localQlikServer((req, res) => {
      seen.push({ query: new URL(req.url ?? '/', 'https://x').searchParams.get('xrfkey'), header: req.headers['x-qlik-xrfkey'] });
      res.writeHead(403, { 'content-type': 'text/plain' }).end('XSRF prevention check failed. Possible XSRF discovered.');
    });
    const err = await failure(conn.qps(base).listSessions());
    expect(err.code).toBe('XRFKEY_REJECTED');
    expect(seen[0]!.query).toMatch(/^[0-9a-zA-Z]{16}$/);
    expect(seen[0]!.header).toBe(seen[0]!.query);
  });

  it('stops reading a body past maxBodyBytes, streamed or declared', async () => {
    const streamed = await localQlikServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent < 64 && !res.destroyed) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    const c = connect({ maxBodyBytes: 100_000 });
    const err = await failure(c.qps(streamed).listSessions());
    expect(err.code).toBe('BODY_TOO_LARGE');

    const declared = await localQlikServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 5_000_000 });
      res.write('[');
    });
    expect((await failure(c.qps(declared).listSessions())).code).toBe('BODY_TOO_LARGE');
  });
});

describe('connection options', () => {
  it('works unpooled (a fresh TLS connection per call), while pooled calls share connections', async () => {
    const c = connect({ pooled: false });
    const qps = c.qps(central().qps);
    for (let i = 0; i < 3; i++) expect((await qps.requestTicket({ userDirectory: 'DEMO', userId: 'alice' })).ticket).toHaveLength(16);

    // Count the TLS connections a server sees. (Pooled, undici may open a second connection while the
    // first is still settling its previous answer, so only "fewer than the calls" is certain.)
    const ticket = JSON.stringify({ UserDirectory: 'DEMO', UserId: 'alice', Attributes: [], Ticket: 'abcdefghij012345' });
    const url = await localQlikServer((_req, res) => res.writeHead(201, { 'content-type': 'application/json' }).end(ticket));
    let handshakes = 0;
    servers[servers.length - 1]!.on('secureConnection', () => handshakes++);
    const calls = 4;
    for (const pooled of [false, true]) {
      handshakes = 0;
      const client = connect({ pooled }).qps(url);
      for (let i = 0; i < calls; i++) await client.requestTicket({ userDirectory: 'DEMO', userId: 'alice' });
      if (pooled) expect(handshakes, 'pooled').toBeLessThan(calls);
      else expect(handshakes, 'unpooled').toBe(calls);
    }
  });

  it('keeps a bounded log and records failures too', async () => {
    const seen: RequestRecord[] = [];
    const c = connect({ logSize: 2, onRecord: (r) => seen.push(r) });
    const qps = c.qps(central().qps);
    await qps.requestTicket({ userDirectory: 'DEMO', userId: 'alice' });
    await failure(qps.getSession('no-such-session-123'));
    await qps.listSessions();
    expect(seen).toHaveLength(3);
    expect(c.log).toHaveLength(2);
    expect(c.log.map((r) => r.id)).toEqual([2, 3]);
    expect(seen[1]).toMatchObject({ errorCode: 'NOT_FOUND', status: 404, method: 'GET', service: 'qps' });
    expect(seen[0]).toMatchObject({ status: 201, method: 'POST', service: 'qps' });
    expect(seen[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen[0]!.headers?.['X-Qlik-Xrfkey']).toMatch(/^[0-9a-zA-Z]{16}$/);
  });
});

describe('request records', () => {
  it('never hold a ticket or a session id', async () => {
    const qps = conn.qps(central().qps, 'ticket');
    const { ticket } = await qps.requestTicket({ userDirectory: 'DEMO', userId: 'alice' });
    const sessionId = `redact-${Date.now()}-session`;
    await qps.addSession({ userDirectory: 'DEMO', userId: 'alice', sessionId });
    await qps.getSession(sessionId);
    await qps.deleteSession(sessionId);
    await failure(qps.getSession(sessionId));
    const all = JSON.stringify([...records, ...conn.log]);
    expect(all).not.toContain(ticket);
    expect(all).not.toContain(sessionId);
    expect(all).toContain(ticket.slice(0, 4));
    const qrsRecord = records.find((r) => r.service === 'qrs');
    expect(qrsRecord?.headers?.['X-Qlik-User']).toBe('UserDirectory=INTERNAL; UserId=sa_repository');
  });
});
