// The simulated QPS over real mutual TLS: tickets, sessions, users, the xrfkey rule, certificate checks,
// virtual proxy resolution per node and fault injection. One site for the whole file.
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { XRFKEY_FAILURE_BODY } from '../../electron/simulator/http-util';
import { CertificateAuthority, type KeyAndCert } from '../../electron/simulator/pki';
import type { Simulator } from '../../electron/simulator/simulator';
import { TOO_MANY_SESSIONS_MESSAGE, randomAlphanumeric } from '../../electron/simulator/state';
import { curlQpsPost, type MutualTlsFiles } from '../support/curl';
import { startTestSite } from '../support/test-site';

const XRFKEY = 'abcdefghijklmnop';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

interface CallOptions {
  body?: unknown;
  /** Raw body text, sent as is (for bad JSON). */
  rawBody?: string;
  /** null sends no xrfkey at all; an object sends differing query and header values. */
  xrfkey?: string | null | { query: string; header: string };
  /** null connects without a client certificate. */
  clientCert?: KeyAndCert | null;
}

let sim: Simulator;

function nodeBase(name: 'central' | 'rim1'): string {
  return sim.node(name).qps;
}

function call(base: string, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const key = opts.xrfkey === undefined ? randomAlphanumeric(16) : opts.xrfkey;
  const queryKey = key === null ? undefined : typeof key === 'string' ? key : key.query;
  const headerKey = key === null ? undefined : typeof key === 'string' ? key : key.header;
  const url = new URL(path, base);
  if (queryKey !== undefined) url.searchParams.set('xrfkey', queryKey);
  const payload = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const headers: Record<string, string> = {};
  if (headerKey !== undefined) headers['X-Qlik-Xrfkey'] = headerKey;
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  const cert = opts.clientCert === undefined ? sim.pki.client : opts.clientCert;
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        headers,
        ca: sim.pki.ca.certPem,
        ...(cert ? { cert: cert.certPem, key: cert.keyPem } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function json<T = Record<string, unknown>>(reply: Reply): T {
  return JSON.parse(reply.text) as T;
}

/** A user no other test touches, so the site-wide session cap never leaks between tests. */
function freshUser(): { UserDirectory: string; UserId: string } {
  return { UserDirectory: 'TEST', UserId: `u-${randomUUID().slice(0, 8)}` };
}

async function createSession(base: string, prefixPath: string, user = freshUser(), sessionId = randomUUID()): Promise<Reply> {
  return call(base, 'POST', `/qps/${prefixPath}session`, { body: { ...user, SessionId: sessionId } });
}

beforeAll(async () => {
  sim = await startTestSite();
});

describe('ticket', () => {
  it('answers 201 in PascalCase with a 16-character ticket bound to this node and the default virtual proxy', async () => {
    const reply = await call(nodeBase('central'), 'POST', '/qps/ticket', { body: { UserDirectory: 'DEMO', UserId: 'alice' } });
    expect(reply.status).toBe(201);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    const body = json(reply);
    expect(Object.keys(body)).toEqual(['UserDirectory', 'UserId', 'Attributes', 'Ticket']);
    expect(body).toMatchObject({ UserDirectory: 'DEMO', UserId: 'alice', Attributes: [] });
    expect(body.Ticket).toMatch(/^[A-Za-z0-9]{16}$/);
    const redeemed = sim.state.redeemTicket('node-central', 'vp-default', body.Ticket as string);
    expect(redeemed?.userId).toBe('alice');
  });

  it('accepts camelCase input, trims ids and still answers PascalCase', async () => {
    const reply = await call(nodeBase('central'), 'POST', '/qps/ticket', {
      body: { userDirectory: ' DEMO ', userId: 'bob', attributes: [{ Group: 'X' }] },
    });
    expect(reply.status).toBe(201);
    expect(json(reply)).toMatchObject({ UserDirectory: 'DEMO', UserId: 'bob', Attributes: [{ Group: 'X' }] });
  });

  it('echoes Attributes with repeated keys and empty values, in order', async () => {
    const attributes = [{ Group: 'A' }, { Group: 'B' }, { Flag: '' }];
    const reply = await call(nodeBase('central'), 'POST', '/qps/ticket', { body: { UserDirectory: 'DEMO', UserId: 'alice', Attributes: attributes } });
    expect(reply.status).toBe(201);
    expect(json(reply).Attributes).toEqual(attributes);
  });

  it('adds TargetUri for a known TargetId, and only the documented fields', async () => {
    const uri = 'https://localhost/ticket/hub/?x=1';
    const targetId = sim.state.registerTarget(uri);
    const reply = await call(nodeBase('central'), 'POST', '/qps/ticket', { body: { UserDirectory: 'DEMO', UserId: 'alice', TargetId: targetId } });
    expect(reply.status).toBe(201);
    expect(Object.keys(json(reply))).toEqual(['UserDirectory', 'UserId', 'Attributes', 'Ticket', 'TargetUri']);
    expect(json(reply).TargetUri).toBe(uri);
  });

  it('answers an unknown TargetId without TargetUri rather than failing', async () => {
    const targetId = randomUUID();
    const reply = await call(nodeBase('central'), 'POST', '/qps/ticket', { body: { UserDirectory: 'DEMO', UserId: 'alice', TargetId: targetId } });
    expect(reply.status).toBe(201);
    expect(Object.keys(json(reply))).toEqual(['UserDirectory', 'UserId', 'Attributes', 'Ticket']);
  });

  it.each([
    ['missing UserId', { UserDirectory: 'DEMO' }, 'UserId'],
    ['numeric UserId', { UserDirectory: 'DEMO', UserId: 42 }, 'UserId'],
    ['blank UserDirectory', { UserDirectory: '   ', UserId: 'alice' }, 'UserDirectory'],
    ['backslash in UserId', { UserDirectory: 'DEMO', UserId: 'DEMO\\alice' }, 'UserId'],
    ['backslash in UserDirectory', { UserDirectory: 'DE\\MO', UserId: 'alice' }, 'UserDirectory'],
    ['Attributes not an array', { UserDirectory: 'DEMO', UserId: 'alice', Attributes: { Group: 'A' } }, 'Attributes'],
    ['Attribute with two keys', { UserDirectory: 'DEMO', UserId: 'alice', Attributes: [{ A: '1', B: '2' }] }, 'Attributes'],
    ['Attribute with a number value', { UserDirectory: 'DEMO', UserId: 'alice', Attributes: [{ A: 1 }] }, 'Attributes'],
    ['TargetId not a string', { UserDirectory: 'DEMO', UserId: 'alice', TargetId: 7 }, 'TargetId'],
  ])('refuses %s with 400 naming the field', async (_name, body, fieldName) => {
    const reply = await call(nodeBase('central'), 'POST', '/qps/ticket', { body });
    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    expect(reply.text).toContain(fieldName);
  });

  it('refuses bad JSON and a non-object body with 400', async () => {
    const bad = await call(nodeBase('central'), 'POST', '/qps/ticket', { rawBody: '{"UserDirectory": "DEMO",' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/JSON/);
    const array = await call(nodeBase('central'), 'POST', '/qps/ticket', { body: [] });
    expect(array.status).toBe(400);
  });

  it('answers 405 to GET on the ticket path', async () => {
    const reply = await call(nodeBase('central'), 'GET', '/qps/ticket');
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('POST');
  });

  it('issues on a named virtual proxy at /qps/<prefix>/ticket, bound to that virtual proxy', async () => {
    const reply = await call(nodeBase('central'), 'POST', '/qps/ticket/ticket', { body: { UserDirectory: 'MASHUP', UserId: 'a1-sales' } });
    expect(reply.status).toBe(201);
    const ticket = json(reply).Ticket as string;
    // Spent on the wrong virtual proxy: a ticket only works where it was issued.
    expect(sim.state.redeemTicket('node-central', 'vp-default', ticket)).toBeUndefined();
    const other = json(await call(nodeBase('central'), 'POST', '/qps/ticket/ticket', { body: { UserDirectory: 'MASHUP', UserId: 'a1-sales' } }));
    expect(sim.state.redeemTicket('node-central', 'vp-ticket', other.Ticket as string)?.virtualProxyId).toBe('vp-ticket');
  });

  it('accepts an upper-case prefix and a trailing slash', async () => {
    const reply = await call(nodeBase('rim1'), 'POST', '/qps/TICKET/ticket/', { body: { UserDirectory: 'DEMO', UserId: 'alice' } });
    expect(reply.status).toBe(201);
    expect(sim.state.redeemTicket('node-rim1', 'vp-ticket', json(reply).Ticket as string)).toBeDefined();
  });
});

describe('virtual proxy resolution', () => {
  it('answers 404 naming an unknown prefix', async () => {
    const reply = await call(nodeBase('central'), 'POST', '/qps/xyz/ticket', { body: { UserDirectory: 'DEMO', UserId: 'alice' } });
    expect(reply.status).toBe(404);
    expect(reply.text).toBe('Virtual proxy "xyz" is not configured on this proxy node.');
  });

  it('answers 404 for a virtual proxy the node does not link, but serves it where it is linked', async () => {
    const body = { UserDirectory: 'DEMO', UserId: 'alice' };
    const rim = await call(nodeBase('rim1'), 'POST', '/qps/header/ticket', { body });
    expect(rim.status).toBe(404);
    expect(rim.text).toBe('Virtual proxy "header" is not configured on this proxy node.');
    const central = await call(nodeBase('central'), 'POST', '/qps/header/ticket', { body });
    expect(central.status).toBe(201);
  });

  it('answers 404 for paths that are no QPS endpoint', async () => {
    for (const path of ['/qps/', '/qps//', '/qps///session', '/qps//session//x', '/qps/ticket/ticket/extra', '/qps/user/onlydirectory', '/other']) {
      const reply = await call(nodeBase('central'), 'GET', path);
      expect(reply.status, path).toBe(404);
    }
  });
});

describe('the default virtual proxy spelled /qps//', () => {
  it('answers every session, user and ticket call as /qps/ does', async () => {
    const user = freshUser();
    const sessionId = randomUUID();
    const created = await call(nodeBase('central'), 'POST', '/qps//session', { body: { ...user, SessionId: sessionId } });
    expect(created.status).toBe(201);
    expect(sim.state.getSession('node-central', sessionId, 'vp-default')?.userId).toBe(user.UserId);

    const listed = await call(nodeBase('central'), 'GET', '/qps//session');
    expect(listed.status).toBe(200);
    expect((JSON.parse(listed.text) as Array<{ SessionId: string }>).map((s) => s.SessionId)).toContain(sessionId);
    expect(json(await call(nodeBase('central'), 'GET', `/qps//session/${sessionId}`))).toEqual({ ...user, Attributes: [], SessionId: sessionId });
    const ofUser = await call(nodeBase('central'), 'GET', `/qps//user/${user.UserDirectory}/${user.UserId}`);
    expect(JSON.parse(ofUser.text)).toEqual([{ ...user, Attributes: [], SessionId: sessionId }]);
    expect((await call(nodeBase('central'), 'DELETE', `/qps//session/${sessionId}`)).status).toBe(200);
    expect((await call(nodeBase('central'), 'GET', `/qps//session/${sessionId}`)).status).toBe(404);

    const ticket = await call(nodeBase('rim1'), 'POST', '/qps//ticket', { body: { UserDirectory: 'DEMO', UserId: 'alice' } });
    expect(ticket.status).toBe(201);
    expect(sim.state.redeemTicket('node-rim1', 'vp-default', json(ticket).Ticket as string)?.userId).toBe('alice');
  });
});

describe('xrfkey', () => {
  const body = { UserDirectory: 'DEMO', UserId: 'alice' };

  it.each([
    ['missing', null],
    ['mismatched', { query: 'abcdefghijklmnop', header: 'abcdefghijklmnoq' }],
    ['too short', 'abcdefghijklmno'],
    ['too long', 'abcdefghijklmnopq'],
    ['not alphanumeric', 'abcdefghijklmn-p'],
    ['only in the query', { query: 'abcdefghijklmnop', header: '' }],
  ] as const)('answers 403 with Qlik exact text when the key is %s', async (_name, xrfkey) => {
    const reply = await call(nodeBase('central'), 'POST', '/qps/ticket', { body, xrfkey: xrfkey as CallOptions['xrfkey'] });
    expect(reply.status).toBe(403);
    expect(reply.text).toBe(XRFKEY_FAILURE_BODY);
  });

  it('accepts the Xrfkey query parameter in another casing', async () => {
    const key = randomAlphanumeric(16);
    const url = `/qps/ticket?Xrfkey=${key}`;
    const reply = await new Promise<number>((resolve, reject) => {
      const req = https.request(new URL(url, nodeBase('central')), {
        method: 'POST',
        headers: { 'X-Qlik-Xrfkey': key, 'Content-Type': 'application/json' },
        ca: sim.pki.ca.certPem,
        cert: sim.pki.client.certPem,
        key: sim.pki.client.keyPem,
        agent: false,
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
    expect(reply).toBe(201);
  });
});

describe('client certificates', () => {
  /** How Node reports a server refusing the client certificate: an alert, or the socket closed under it. */
  const TLS_REFUSAL = /certificate required|unknown ca|alert|ECONNRESET|socket hang up/i;

  it('fails the TLS handshake without a client certificate', async () => {
    // TLS 1.3: the client learns of the refusal from the server's alert after its own handshake finished.
    await expect(call(nodeBase('central'), 'POST', '/qps/ticket', { body: { UserDirectory: 'DEMO', UserId: 'alice' }, clientCert: null })).rejects.toThrow(
      TLS_REFUSAL,
    );
  });

  it('fails with a client certificate from another CA', async () => {
    const stranger = CertificateAuthority.create({ commonName: 'stranger-CA' }).issueClient({ commonName: 'QlikClient' });
    await expect(call(nodeBase('central'), 'POST', '/qps/ticket', { body: { UserDirectory: 'DEMO', UserId: 'alice' }, clientCert: stranger })).rejects.toThrow(
      TLS_REFUSAL,
    );
  });
});

describe('sessions', () => {
  it('creates a session (201) and reads it back on the same node only', async () => {
    const user = { UserDirectory: 'DEMO', UserId: 'alice' };
    const sessionId = randomUUID();
    const created = await call(nodeBase('central'), 'POST', '/qps/session', { body: { ...user, Attributes: [{ Group: 'A' }], SessionId: sessionId } });
    expect(created.status).toBe(201);
    expect(json(created)).toEqual({ ...user, UserName: 'Alice Analyst', Attributes: [{ Group: 'A' }], SessionId: sessionId });

    const read = await call(nodeBase('central'), 'GET', `/qps/session/${sessionId}`);
    expect(read.status).toBe(200);
    expect(json(read).SessionId).toBe(sessionId);

    const elsewhere = await call(nodeBase('rim1'), 'GET', `/qps/session/${sessionId}`);
    expect(elsewhere.status).toBe(404);
    // Scoped to the virtual proxy too: the same node's ticket virtual proxy does not see it.
    const otherVp = await call(nodeBase('central'), 'GET', `/qps/ticket/session/${sessionId}`);
    expect(otherVp.status).toBe(404);
    sim.state.deleteSession('node-central', sessionId);
  });

  it('omits UserName for a user the site does not know', async () => {
    const user = freshUser();
    const reply = await createSession(nodeBase('central'), '', user);
    expect(reply.status).toBe(201);
    expect('UserName' in json(reply)).toBe(false);
  });

  it('refuses a session without SessionId and a duplicate SessionId with 400', async () => {
    const missing = await call(nodeBase('central'), 'POST', '/qps/session', { body: freshUser() });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('SessionId');
    const sessionId = randomUUID();
    expect((await createSession(nodeBase('central'), '', freshUser(), sessionId)).status).toBe(201);
    expect((await createSession(nodeBase('central'), '', freshUser(), sessionId)).status).toBe(400);
  });

  it('lists the sessions of one virtual proxy on one node', async () => {
    const onDefault = randomUUID();
    const onTicket = randomUUID();
    const onRim = randomUUID();
    await createSession(nodeBase('central'), '', freshUser(), onDefault);
    await createSession(nodeBase('central'), 'ticket/', freshUser(), onTicket);
    await createSession(nodeBase('rim1'), 'ticket/', freshUser(), onRim);

    const ids = async (base: string, path: string): Promise<string[]> => {
      const reply = await call(base, 'GET', path);
      expect(reply.status).toBe(200);
      return json<Array<{ SessionId: string }>>(reply).map((s) => s.SessionId);
    };
    const centralDefault = await ids(nodeBase('central'), '/qps/session');
    const centralTicket = await ids(nodeBase('central'), '/qps/ticket/session');
    const rimTicket = await ids(nodeBase('rim1'), '/qps/ticket/session');
    expect(centralDefault).toContain(onDefault);
    expect(centralDefault).not.toContain(onTicket);
    expect(centralTicket).toContain(onTicket);
    expect(centralTicket).not.toContain(onDefault);
    expect(centralTicket).not.toContain(onRim);
    expect(rimTicket).toContain(onRim);
    expect(rimTicket).not.toContain(onTicket);
  });

  it('deletes one session (200, returning it), then answers 404 for it', async () => {
    const sessionId = randomUUID();
    const user = freshUser();
    await createSession(nodeBase('rim1'), 'ticket/', user, sessionId);
    const ended = await call(nodeBase('rim1'), 'DELETE', `/qps/ticket/session/${sessionId}`);
    expect(ended.status).toBe(200);
    expect(json(ended)).toMatchObject({ ...user, SessionId: sessionId });
    expect((await call(nodeBase('rim1'), 'GET', `/qps/ticket/session/${sessionId}`)).status).toBe(404);
    expect((await call(nodeBase('rim1'), 'DELETE', `/qps/ticket/session/${sessionId}`)).status).toBe(404);
  });

  it('answers 405 to an unsupported method on a session path', async () => {
    const reply = await call(nodeBase('central'), 'PUT', '/qps/session/abc');
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, DELETE');
  });

  it('refuses the sixth parallel session of a user, counting every node, with Qlik message', async () => {
    const user = freshUser();
    for (let i = 0; i < 3; i++) expect((await createSession(nodeBase('central'), '', user)).status).toBe(201);
    for (let i = 0; i < 2; i++) expect((await createSession(nodeBase('rim1'), 'ticket/', user)).status).toBe(201);
    const sixth = await createSession(nodeBase('rim1'), '', user);
    expect(sixth.status).toBe(400);
    expect(sixth.text).toBe(TOO_MANY_SESSIONS_MESSAGE);
  });
});

describe('users', () => {
  it('lists and ends one user sessions on this node and virtual proxy, with URL-decoded segments', async () => {
    const user = { UserDirectory: 'TEST', UserId: `odd/user ${randomUUID().slice(0, 6)}` };
    const a = randomUUID();
    const b = randomUUID();
    const elsewhere = randomUUID();
    await createSession(nodeBase('central'), 'ticket/', user, a);
    await createSession(nodeBase('central'), 'ticket/', user, b);
    await createSession(nodeBase('rim1'), 'ticket/', user, elsewhere);
    const path = `/qps/ticket/user/${encodeURIComponent(user.UserDirectory)}/${encodeURIComponent(user.UserId)}`;

    const listed = await call(nodeBase('central'), 'GET', path);
    expect(listed.status).toBe(200);
    expect(
      json<Array<{ SessionId: string }>>(listed)
        .map((s) => s.SessionId)
        .sort(),
    ).toEqual([a, b].sort());

    const ended = await call(nodeBase('central'), 'DELETE', path);
    expect(ended.status).toBe(200);
    expect(
      json<Array<{ SessionId: string; UserId: string }>>(ended)
        .map((s) => s.SessionId)
        .sort(),
    ).toEqual([a, b].sort());
    expect(json<unknown[]>(await call(nodeBase('central'), 'GET', path))).toEqual([]);
    // The rim node's session is untouched: ending a user's sessions is per node.
    expect(json<unknown[]>(await call(nodeBase('rim1'), 'GET', path))).toHaveLength(1);
  });

  it('answers an empty array for a user without sessions', async () => {
    const reply = await call(nodeBase('central'), 'GET', '/qps/user/NOBODY/none');
    expect(reply.status).toBe(200);
    expect(json(reply)).toEqual([]);
  });
});

describe('faults', () => {
  const body = { UserDirectory: 'DEMO', UserId: 'alice' };

  async function withFaultSettings<T>(settings: Parameters<Simulator['faults']['set']>[0], run: () => Promise<T>): Promise<T> {
    sim.faults.set(settings);
    try {
      return await run();
    } finally {
      sim.faults.clear();
    }
  }

  it('delays answers by the configured latency', async () => {
    const started = Date.now();
    const reply = await withFaultSettings({ latencyMs: 300 }, () => call(nodeBase('central'), 'POST', '/qps/ticket', { body }));
    expect(reply.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('answers 5xx at errorRate 1', async () => {
    const reply = await withFaultSettings({ errorRate: 1 }, () => call(nodeBase('central'), 'POST', '/qps/ticket', { body }));
    expect(reply.status).toBeGreaterThanOrEqual(500);
  });

  it('sends JSON that does not parse at malformedJsonRate 1', async () => {
    const reply = await withFaultSettings({ malformedJsonRate: 1 }, () => call(nodeBase('central'), 'POST', '/qps/ticket', { body }));
    expect(reply.status).toBe(201);
    expect(() => JSON.parse(reply.text)).toThrow(SyntaxError);
  });

  it('resets the connection at resetRate 1', async () => {
    await withFaultSettings({ resetRate: 1 }, async () => {
      await expect(call(nodeBase('central'), 'POST', '/qps/ticket', { body })).rejects.toThrow(/ECONNRESET|socket hang up/);
    });
  });
});

// What a client other than Usher (an authentication module calling with curl) gets for a malformed body:
// the status and the exact text. These answers were taken from the hand-written checks the schemas of
// core/qlik/qps-requests.ts replaced, so the reading moved without a word of the answers changing.
describe('malformed bodies, as curl sees them', () => {
  let files: MutualTlsFiles;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'usher-qps-curl-'));
    files = { cert: join(dir, 'client.pem'), key: join(dir, 'client_key.pem'), ca: join(dir, 'root.pem') };
    writeFileSync(files.cert, sim.pki.client.certPem);
    writeFileSync(files.key, sim.pki.client.keyPem);
    writeFileSync(files.ca, sim.pki.ca.certPem);
    return () => rmSync(dir, { recursive: true, force: true });
  });
  const post = (path: string, body: unknown) => curlQpsPost(`${nodeBase('central')}${path}?xrfkey=${XRFKEY}`, body, files, XRFKEY);
  const SHAPE = 'Attributes must be an array of single-key objects with string values, e.g. [{"Group":"Sales"}].';

  it.each([
    ['/qps/ticket', [], 'The request body must be a JSON object.'],
    ['/qps/ticket', 'DEMO\\alice', 'The request body must be a JSON object.'],
    ['/qps/ticket', { UserDirectory: 'DEMO' }, 'UserId is required and must be a string.'],
    ['/qps/ticket', { UserDirectory: null, UserId: 'alice' }, 'UserDirectory is required and must be a string.'],
    ['/qps/ticket', { userDirectory: 'DEMO', userId: 42 }, 'UserId is required and must be a string.'],
    ['/qps/ticket', { UserDirectory: '  ', UserId: 'alice' }, 'UserDirectory must not be empty.'],
    ['/qps/ticket', { UserDirectory: 'DEMO', UserId: 'DEMO\\alice' }, 'UserId must not contain a backslash.'],
    ['/qps/ticket', { UserDirectory: 'DEMO', UserId: 'alice', Attributes: { Group: 'A' } }, SHAPE],
    ['/qps/ticket', { UserDirectory: 'DEMO', UserId: 'alice', Attributes: 'Group=A' }, SHAPE],
    [
      '/qps/ticket',
      { UserDirectory: 'DEMO', UserId: 'alice', Attributes: [{ A: '1' }, { A: '1', B: '2' }] },
      `Attributes[1] is not a single key with a string value. ${SHAPE}`,
    ],
    ['/qps/ticket', { UserDirectory: 'DEMO', UserId: 'alice', attributes: [{ A: 1 }] }, `Attributes[0] is not a single key with a string value. ${SHAPE}`],
    ['/qps/ticket', { UserDirectory: 'DEMO', UserId: 'alice', Attributes: [{ '': 'x' }] }, `Attributes[0] is not a single key with a string value. ${SHAPE}`],
    ['/qps/ticket', { UserDirectory: 'DEMO', UserId: 'alice', Attributes: [null] }, `Attributes[0] is not a single key with a string value. ${SHAPE}`],
    ['/qps/ticket', { UserDirectory: 'DEMO', UserId: 'alice', TargetId: 7 }, 'TargetId must be a string.'],
    ['/qps/ticket', { UserDirectory: 'DEMO', UserId: 'alice', TargetId: null }, 'TargetId must be a string.'],
    ['/qps/session', { UserDirectory: 'DEMO', UserId: 'alice' }, 'SessionId is required and must be a string.'],
    ['/qps/session', { UserDirectory: 'DEMO', UserId: 'alice', SessionId: ' ' }, 'SessionId must not be empty.'],
    [
      '/qps/session',
      { UserDirectory: 'DEMO', UserId: 'alice', Attributes: [{}], SessionId: 's1' },
      `Attributes[0] is not a single key with a string value. ${SHAPE}`,
    ],
  ])('POST %s %j: 400 and the same text', async (path, body, text) => {
    expect(await post(path, body)).toEqual({ status: '400', body: text });
  });

  it('still takes what Qlik takes: PascalCase or camelCase, null Attributes, ids trimmed', async () => {
    const reply = await post('/qps/ticket', { userDirectory: ' DEMO ', UserId: 'alice ', Attributes: null });
    expect(reply.status).toBe('201');
    expect(JSON.parse(reply.body)).toMatchObject({ UserDirectory: 'DEMO', UserId: 'alice', Attributes: [] });
  });
});
