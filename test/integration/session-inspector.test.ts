// The session inspector end to end against the built-in demo site (two nodes, real TLS): sessions Usher
// opened through tickets.open and sessions made behind its back through the QPS session API show up
// grouped by user with the site-wide count and Usher's mark; ending one, a user's or Usher's sessions
// works across both nodes, is audited, and sends the partition's next request to the authentication
// module; a sixth session for one user is refused by the site and shown as refused. The sessions a test
// builds on are opened once by whichever test needs them first, so each test also passes alone (`-t`).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleBackend, type ConsoleBackend } from '../../electron/app/console-backend';
import { BrowserClient, CookieJar } from '../../electron/core/browser';
import { QlikConnection } from '../../electron/core/qlik';
import { sessionIdDigest } from '../../electron/core/sessions/session-inspector';
import { MemoryKeychain } from '../../electron/core/vault';
import type { BrowserHost, PartitionOptions, PartitionPage } from '../../electron/hosts/browser-host';
import { DEMO_AUTH_MODULE_URI } from '../../electron/simulator/demo-site';
import type { Channel, EventTypes, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { SessionInspectorView, SessionRowView } from '../../shared/sessions';
import { lazy } from '../support/cert-fixtures';
import { testPki } from '../support/test-site';

interface FakePartition {
  id: string;
  jar: CookieJar;
  /** Where each navigation ended: the proxy's page, or the address a redirect left the site for. */
  landed: Array<{ status: number; url: string }>;
}

/** A browser host without a browser: a pinned BrowserClient and its own cookie jar per partition. */
class FakeHost implements BrowserHost {
  readonly kind = 'chromium' as const;
  readonly partitions = new Map<string, FakePartition>();
  private readonly clients: BrowserClient[] = [];

  async openPartition(options: PartitionOptions): Promise<PartitionPage> {
    // Windows of one partition id share its jar, as the interface promises.
    let partition = this.partitions.get(options.partitionId);
    if (!partition) this.partitions.set(options.partitionId, (partition = { id: options.partitionId, jar: new CookieJar(), landed: [] }));
    const jar = partition.jar;
    const client = new BrowserClient({ ca: options.caPem, jar, timeoutMs: 5_000 });
    this.clients.push(client);
    let current = '';
    const unused = (what: string) => () => Promise.reject(new Error(`${what} is not used by the inspector tests`));
    return {
      partitionId: options.partitionId,
      async goto(url) {
        // A tab follows the proxy's redirects; one that leaves the site (to the module) is where it lands.
        const origin = new URL(url).origin;
        const page = await client.get(url, { stopAt: (next) => new URL(next).origin !== origin });
        const landed = { status: page.status, url: page.headers.location ? new URL(page.headers.location, page.url).href : page.url };
        partition!.landed.push(landed);
        current = landed.url;
        return landed;
      },
      async fetchJson(url) {
        const res = await client.get(url, { headers: { accept: 'application/json' } });
        return { status: res.status, body: JSON.parse(res.text()) as unknown };
      },
      fetchStatus: unused('fetchStatus'),
      url: () => current,
      async cookies() {
        return jar.list().map((c) => ({ name: c.name, value: c.value, domain: c.domain, path: c.path, secure: c.secure, httpOnly: c.httpOnly }));
      },
      setCookie: unused('setCookie'),
      download: unused('download'),
      openEngine: unused('openEngine'),
      downloads: () => [],
      sendHeaders: () => Promise.reject(new Error('login headers are not used here')),
      close: async () => undefined,
    };
  }

  clearPartition = async (id: string): Promise<void> => {
    const partition = this.partitions.get(id);
    if (partition) partition.jar = new CookieJar();
  };
  destroyPartition = async (id: string): Promise<void> => {
    this.partitions.delete(id);
  };
  removeOrphanPartitions = async (): Promise<string[]> => [];
  writeClipboard = async (): Promise<void> => undefined;

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }
}

const pki = testPki();
const dataDir = mkdtempSync(join(tmpdir(), 'usher-inspector-'));
const host = new FakeHost();
let backend: ConsoleBackend;
let qps: QlikConnection;
let nodes: { central: string; rim1: string };
const responses: string[] = [];
const progress: Array<EventTypes['sessions.progress']> = [];

async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const response = await backend.handlers[channel](request);
  responses.push(JSON.stringify(response));
  return response;
}

/** Opens a ticket for the user on /ticket in a fresh partition, as the Tickets screen does. */
async function open(userDirectory: string, userId: string): Promise<ResponseOf<'tickets.open'>> {
  const ticket = await call('tickets.request', { profileId: 'demo', virtualProxy: 'ticket', userDirectory, userId, attributes: [], reason: 'inspector test' });
  return call('tickets.open', { ticketId: ticket.ticketId, target: { kind: 'hub' } });
}

/** A session made behind Usher's back (as another tool or a person's browser would). */
async function addSession(node: 'central' | 'rim1', prefix: string, userDirectory: string, userId: string): Promise<string> {
  const sessionId = `${userId}-${node}-${Math.random().toString(36).slice(2)}-0000000000`;
  await qps.qps(nodes[node], prefix).addSession({ userDirectory, userId, sessionId });
  return sessionId;
}

function inspect(): Promise<SessionInspectorView> {
  return call('sessions.inspect', { profileId: 'demo' });
}

function rowsOf(view: SessionInspectorView, userId: string): SessionRowView[] {
  return view.groups.find((g) => g.userId === userId)?.rows ?? [];
}

function auditLines(): Array<Record<string, string>> {
  return readFileSync(join(dataDir, 'audit.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, string>);
}

beforeAll(async () => {
  backend = await createConsoleBackend({ dataDir, host, hostKind: 'chromium', keychain: new MemoryKeychain(), demoPki: pki });
  backend.events.on('sessions.progress', (p) => progress.push(p));
  const state = await backend.handlers['app.state']({});
  const [central, rim1] = state.demo.nodes;
  nodes = { central: central!.qps, rim1: rim1!.qps };
  qps = new QlikConnection({ ca: pki.ca.certPem, client: { certPem: pki.client.certPem, keyPem: pki.client.keyPem } });
});

afterAll(async () => {
  await qps?.close();
  await backend?.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('session inspector', () => {
  /** a1-sales and a2-finance opened by Usher on /ticket, and two more a1-sales sessions made elsewhere. */
  const salesAndFinance = lazy(async () => {
    const a1Opened = await open('MASHUP', 'a1-sales');
    const a2Opened = await open('MASHUP', 'a2-finance');
    await addSession('rim1', 'ticket', 'MASHUP', 'a1-sales');
    await addSession('central', '', 'MASHUP', 'a1-sales');
    return { a1Opened, a2Opened };
  });
  /** alice at Qlik's limit of five sessions (made elsewhere), then a sixth asked for through Usher. */
  const aliceAtLimit = lazy(async () => {
    for (const [node, prefix] of [
      ['central', ''],
      ['central', 'ticket'],
      ['rim1', ''],
      ['rim1', 'ticket'],
      ['central', 'header'],
    ] as const) {
      await addSession(node, prefix, 'DEMO', 'alice');
    }
    return open('DEMO', 'alice');
  });
  /** bob, below the limit, opened through Usher. */
  const bobOpened = lazy(() => open('DEMO', 'bob'));
  /** a1-sales then a2-finance redeemed into the one shared partition (seed 003). */
  const sharedPair = lazy(async () => {
    const shared = async (userId: string) => {
      const ticket = await call('tickets.request', {
        profileId: 'demo',
        virtualProxy: 'ticket',
        userDirectory: 'MASHUP',
        userId,
        attributes: [],
        reason: 'seed 003',
      });
      return call('tickets.open', { ticketId: ticket.ticketId, target: { kind: 'hub' }, partition: { kind: 'shared' } });
    };
    const first = await shared('a1-sales');
    const second = await shared('a2-finance');
    return { first, second };
  });

  it('shows sessions from tickets.open and from elsewhere, grouped by user, counted site-wide, Usher’s marked', async () => {
    const { a1Opened, a2Opened } = await salesAndFinance();
    expect([a1Opened.established, a2Opened.established]).toEqual([true, true]);

    progress.length = 0;
    const view = await inspect();
    expect(view.nodes).toBe(2);
    // Every linked virtual proxy of each node, one QPS call per pair.
    expect(view.pairs).toBeGreaterThanOrEqual(5);
    const a1 = view.groups.find((g) => g.userId === 'a1-sales')!;
    expect(a1.count).toBe(3);
    expect(a1.state).toBe('ok');
    expect(a1.rows.map((r) => `${r.nodeName} ${r.virtualProxy} ${r.createdByUsher}`).sort()).toEqual([
      'central  false',
      'central ticket true',
      'rim1 ticket false',
    ]);
    expect(rowsOf(view, 'a2-finance').map((r) => r.createdByUsher)).toEqual([true]);
    // The partition holding each session Usher opened; the ones made elsewhere are in none.
    expect(rowsOf(view, 'a2-finance')[0]!.partition?.partitionId).toBe(a2Opened.partitionId);
    expect(a1.rows.filter((r) => r.partition).map((r) => r.partition!.partitionId)).toEqual([a1Opened.partitionId]);
    expect(view.createdByUsher).toBe(2);
    expect(view.groups[0]!.userId).toBe('a1-sales');
    expect(rowsOf(view, 'a2-finance')[0]!.cookieName).toBe('X-Qlik-Session-ticket');
    // Progress: discovery's (0, total) first, the last one complete.
    expect(progress[0]).toEqual({ profileId: 'demo', done: 0, total: view.pairs });
    expect(progress.at(-1)).toEqual({ profileId: 'demo', done: view.pairs, total: view.pairs });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
  });

  it('ends one session by row key: audited, and that partition is sent to the authentication module', async () => {
    const { a2Opened } = await salesAndFinance();
    const before = await inspect();
    const row = rowsOf(before, 'a2-finance')[0]!;
    const partition = host.partitions.get(a2Opened.partitionId)!;
    const ended = await call('sessions.end', { profileId: 'demo', scope: { kind: 'one', rowKey: row.rowKey } });
    expect(ended.ended).toEqual([{ nodeName: 'central', virtualProxy: 'ticket', user: 'MASHUP\\a2-finance', sessionIdMasked: row.sessionIdMasked }]);

    const after = await inspect();
    expect(rowsOf(after, 'a2-finance')).toEqual([]);
    const cookie = partition.jar.list().find((c) => c.name === 'X-Qlik-Session-ticket')!;
    expect(auditLines().at(-1)).toMatchObject({
      action: 'session-end',
      userId: 'a2-finance',
      virtualProxy: 'ticket',
      sessionIdDigest: sessionIdDigest(cookie.value),
    });

    // The jar still holds the cookie, but the proxy no longer knows the session: back to the module.
    const hub = a2Opened.finalUrl.replace(/\?.*$/, '');
    const next = await (await host.openPartition({ partitionId: a2Opened.partitionId, caPem: pki.ca.certPem })).goto(hub);
    expect(next.status).toBe(302);
    const redirect = new URL(next.url);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(DEMO_AUTH_MODULE_URI);
    expect(redirect.searchParams.get('proxyRestUri')).toMatch(/^https:\/\/localhost:\d+\/qps\/ticket\/$/);
    expect(redirect.searchParams.get('targetId')).toMatch(/^[0-9a-f-]{36}$/i);

    // A row key of a session already ended is refused with a way out.
    await expect(backend.handlers['sessions.end']({ profileId: 'demo', scope: { kind: 'one', rowKey: row.rowKey } })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      hint: expect.stringContaining('Refresh'),
    });
  });

  it("ends all of a user's sessions on every node and virtual proxy", async () => {
    await salesAndFinance();
    const ended = await call('sessions.end', { profileId: 'demo', scope: { kind: 'user', userDirectory: 'MASHUP', userId: 'a1-sales' } });
    expect(ended.ended.map((e) => `${e.nodeName} ${e.virtualProxy}`).sort()).toEqual(['central ', 'central ticket', 'rim1 ticket']);
    expect(ended.failures).toEqual([]);
    expect(rowsOf(await inspect(), 'a1-sales')).toEqual([]);
    expect(
      auditLines()
        .slice(-3)
        .map((e) => `${e.action} ${e.userId}`),
    ).toEqual(Array(3).fill('user-sessions-end a1-sales'));
  });

  it('refuses a sixth session for one user and shows it as refused', async () => {
    const sixth = await aliceAtLimit();
    expect(sixth.established).toBe(false);
    expect(sixth.status).toBe(403);
    expect(sixth.detail).toContain('Qlik refused a new session for DEMO\\alice on /ticket');
    expect(sixth.detail).toContain('already holds 5 sessions');

    const view = await inspect();
    const alice = view.groups.find((g) => g.userId === 'alice')!;
    expect([alice.count, alice.state]).toEqual([5, 'at-limit']);
    const kinds = view.warnings.map((w) => `${w.severity} ${w.kind}`);
    expect(kinds).toContain('error refused-login');
    expect(kinds).toContain('warning session-limit');
    const refused = view.warnings.find((w) => w.kind === 'refused-login')!;
    expect(refused.rowKeys.sort()).toEqual(alice.rows.map((r) => r.rowKey).sort());
    expect(auditLines().some((e) => e.action === 'session-create' && e.userId === 'alice')).toBe(false);
  });

  it('a user below the limit opens a session and gets no refusal warning', async () => {
    const opened = await bobOpened();
    expect(opened.established).toBe(true);
    const view = await inspect();
    expect(view.groups.find((g) => g.userId === 'bob')).toMatchObject({ count: 1, state: 'ok' });
    expect(view.warnings.filter((w) => w.kind === 'refused-login' && w.message.includes('bob'))).toEqual([]);
  });

  it('ends every session Usher created, and only those', async () => {
    // Usher's own sessions so far: bob's (alice's sixth was refused; the sales pair's, when the whole
    // file runs, were ended above).
    await aliceAtLimit();
    await bobOpened();
    const other = await addSession('rim1', 'ticket', 'DEMO', 'bob');
    const again = await open('MASHUP', 'a3-hr');
    expect(again.established).toBe(true);
    const ended = await call('sessions.end', { profileId: 'demo', scope: { kind: 'created' } });
    expect(ended.ended.map((e) => e.user).sort()).toEqual(['DEMO\\bob', 'MASHUP\\a3-hr']);
    const view = await inspect();
    expect(view.createdByUsher).toBe(0);
    expect(rowsOf(view, 'bob')).toHaveLength(1);
    expect(rowsOf(view, 'bob')[0]!.sessionIdMasked).toBe(`${other.slice(0, 4)}${'•'.repeat(12)}`);
    expect(rowsOf(view, 'alice')).toHaveLength(5);
  });

  it("warns when two users' tickets are redeemed into one partition on the same virtual proxy (seed 003)", async () => {
    const { first, second } = await sharedPair();
    expect(second.partitionId).toBe(first.partitionId);
    const view = await inspect();
    // The first cookie was overwritten in the jar, but the session lives on and is still the partition's.
    const [a1] = rowsOf(view, 'a1-sales');
    const [a2] = rowsOf(view, 'a2-finance');
    expect(a1!.partition?.partitionId).toBe(first.partitionId);
    expect(a2!.partition?.partitionId).toBe(first.partitionId);
    const warning = view.warnings.find((w) => w.kind === 'shared-jar');
    expect(warning?.message).toMatch(/holds sessions of MASHUP\\a(1-sales|2-finance) and MASHUP\\a(1-sales|2-finance) on \/ticket/);
    expect(warning?.rowKeys.sort()).toEqual([a1!.rowKey, a2!.rowKey].sort());
  });

  it('keeps the rows of the newest inspect when an older one finishes last, and none from an inspect older than an end', async () => {
    const slowInspect = async (): Promise<{ listed: Promise<void>; view: Promise<SessionInspectorView>; release(): void }> => {
      // This inspect's holders answer only when released, after its sessions were listed: a slow refresh.
      const partitions = backend.partitions;
      const original = partitions.sessionHolders;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      partitions.sessionHolders = async () => {
        partitions.sessionHolders = original;
        const holders = await original.call(partitions);
        await gate;
        return holders;
      };
      const listed = new Promise<void>((resolve) => {
        const off = backend.events.on('sessions.progress', (p) => {
          if (p.total > 0 && p.done === p.total) {
            off();
            resolve();
          }
        });
      });
      return { listed, view: inspect(), release };
    };

    const older = await slowInspect();
    await older.listed;
    await addSession('rim1', 'ticket', 'DEMO', 'race');
    const newer = await inspect();
    const [row] = rowsOf(newer, 'race');
    older.release();
    expect(rowsOf(await older.view, 'race')).toEqual([]);
    // The row key of the newest listing still names its session: the older listing did not replace it.
    const ended = await call('sessions.end', { profileId: 'demo', scope: { kind: 'one', rowKey: row!.rowKey } });
    expect(ended.ended.map((e) => e.user)).toEqual(['DEMO\\race']);

    await addSession('central', 'ticket', 'DEMO', 'race');
    const [again] = rowsOf(await inspect(), 'race');
    const before = await slowInspect();
    await before.listed;
    await call('sessions.end', { profileId: 'demo', scope: { kind: 'one', rowKey: again!.rowKey } });
    before.release();
    // Started before the end, this listing still has the session; it must not bring its row back.
    expect(rowsOf(await before.view, 'race').map((r) => r.rowKey)).toEqual([again!.rowKey]);
    await expect(backend.handlers['sessions.end']({ profileId: 'demo', scope: { kind: 'one', rowKey: again!.rowKey } })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'That session is not in the last refresh of this site.',
    });
  });

  it('never answers with a session id', async () => {
    await salesAndFinance();
    await bobOpened();
    await sharedPair();
    const ids = [...host.partitions.values()].flatMap((p) =>
      p.jar
        .list()
        .filter((c) => c.name.startsWith('X-Qlik-Session'))
        .map((c) => c.value),
    );
    expect(ids.length).toBeGreaterThan(3);
    const text = responses.join('\n');
    for (const id of ids) expect(text).not.toContain(id);
  });
});
