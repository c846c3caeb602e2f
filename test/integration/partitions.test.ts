// Partitions above the host, end to end without a browser: the console backend on the built-in demo site
// (real TLS), a JarHost (one core CookieJar per partition id), a throwaway data folder. Tickets and
// session-API logins land in new, existing and shared partitions; the list names each session cookie's
// user as QPS reports it with values masked; reveal is audited; clear, close, destroy and the orphan
// cleanup at start do what they say on disk.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleBackend, type ConsoleBackend } from '../../electron/app/console-backend';
import { QlikConnection } from '../../electron/core/qlik';
import { injectSession } from '../../electron/core/sessions/session-injection';
import { sessionIdDigest } from '../../electron/core/sessions/session-inspector';
import { MemoryKeychain } from '../../electron/core/vault';
import type { Channel, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { PartitionView } from '../../shared/partitions';
import { maskSecret } from '../../shared/redact';
import { JarHost } from '../support/jar-host';
import { startTestSite, testPki } from '../support/test-site';

const pki = testPki();
const root = mkdtempSync(join(tmpdir(), 'usher-partitions-'));
const dataDir = join(root, 'data');
const host = new JarHost(join(root, 'browser-storage'));
let backend: ConsoleBackend;
const answers: string[] = [];
/** What the main process wrote to the clipboard, newest last. */
const clipboard: string[] = [];

async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const response = await backend.handlers[channel](request);
  answers.push(JSON.stringify(response));
  return response;
}

async function openTicket(userId: string, partition?: RequestOf<'tickets.open'>['partition']): Promise<ResponseOf<'tickets.open'>> {
  const ticket = await call('tickets.request', { profileId: 'demo', virtualProxy: 'ticket', userDirectory: 'DEMO', userId, attributes: [] });
  return call('tickets.open', { ticketId: ticket.ticketId, target: { kind: 'hub' }, ...(partition ? { partition } : {}) });
}

async function partition(id: string): Promise<PartitionView> {
  const found = (await call('partitions.list', {})).partitions.find((p) => p.partitionId === id);
  if (!found) throw new Error(`no partition ${id} in the list`);
  return found;
}

function sessionUsers(view: PartitionView): Array<string | undefined> {
  return view.cookies.filter((c) => c.session).map((c) => c.session!.user);
}

beforeAll(async () => {
  // A persistent partition an earlier run recorded, and one it left behind unrecorded.
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    join(dataDir, 'partitions.json'),
    JSON.stringify({
      version: 1,
      partitions: [{ id: 'p-kept', label: 'kept from before', profileId: 'demo', kind: 'isolated', createdAt: '2025-01-01T00:00:00.000Z' }],
    }),
  );
  mkdirSync(join(host.storageDir, 'p-kept'), { recursive: true });
  mkdirSync(join(host.storageDir, 'p-orphan'), { recursive: true });
  mkdirSync(join(dataDir, 'partitions', 'p-orphan', 'downloads'), { recursive: true });
  backend = await createConsoleBackend({
    dataDir,
    host,
    hostKind: 'chromium',
    keychain: new MemoryKeychain(),
    demoPki: pki,
    clipboard: async (text) => void clipboard.push(text),
  });
}, 60_000);

afterAll(async () => {
  await backend?.close();
  await host.close();
  rmSync(root, { recursive: true, force: true });
});

describe('partitions at start', () => {
  it('deletes unrecorded persistent storage of an earlier run and keeps the recorded one, listed without windows', async () => {
    const view = await call('partitions.list', {});
    expect(view.orphansRemoved).toEqual(['p-orphan']);
    expect(existsSync(join(host.storageDir, 'p-orphan'))).toBe(false);
    expect(existsSync(join(dataDir, 'partitions', 'p-orphan'))).toBe(false);
    expect(existsSync(join(host.storageDir, 'p-kept'))).toBe(true);
    const kept = view.partitions.find((p) => p.partitionId === 'p-kept')!;
    expect(kept).toMatchObject({ label: 'kept from before', persistent: true, kind: 'isolated', windows: [], cookies: [] });
    expect(kept.cookiesNote).toMatch(/No window is open/);
  });
});

describe('two users, same virtual proxy, two partitions', () => {
  // Opened by whichever test of this group runs first, so that each also passes on its own (-t).
  let opened: Promise<{ alice: ResponseOf<'tickets.open'>; bob: ResponseOf<'tickets.open'> }> | undefined;
  const openBoth = () => (opened ??= (async () => ({ alice: await openTicket('alice'), bob: await openTicket('bob', { kind: 'new', persistent: true }) }))());

  it('opens each ticket in its own partition (default: new isolated; bob: persistent); both sessions live and distinct', async () => {
    const { alice, bob } = await openBoth();
    expect(alice).toMatchObject({ established: true, user: 'DEMO\\alice' });
    expect(bob).toMatchObject({ established: true, user: 'DEMO\\bob' });
    expect(alice.partitionId).not.toBe(bob.partitionId);

    const a = await partition(alice.partitionId);
    const b = await partition(bob.partitionId);
    expect(a).toMatchObject({ label: 'DEMO\\alice on /ticket', kind: 'isolated', persistent: false, profileId: 'demo' });
    expect(b).toMatchObject({ label: 'DEMO\\bob on /ticket', kind: 'isolated', persistent: true });
    expect(a.windows).toHaveLength(1);
    expect(a.windows[0]!.url).toMatch(/\/ticket\/hub\/$/);
    expect(a.downloadsDir).toBe(join(dataDir, 'partitions', alice.partitionId, 'downloads'));
    expect(sessionUsers(a)).toEqual(['DEMO\\alice']);
    expect(sessionUsers(b)).toEqual(['DEMO\\bob']);
    const cookie = a.cookies.find((c) => c.session)!;
    expect(cookie).toMatchObject({
      name: 'X-Qlik-Session-ticket',
      path: '/',
      secure: true,
      httpOnly: true,
      session: { virtualProxy: 'ticket', suffix: '', node: 'central', userName: 'Alice Analyst' },
    });
    expect(cookie.valueMasked).toMatch(/^.{4}•+$/);
    // The persistent one is recorded (ids and labels only), so the next start keeps it.
    const records = readFileSync(join(dataDir, 'partitions.json'), 'utf8');
    expect(records).toContain(bob.partitionId);
    expect(records).not.toContain(alice.partitionId);
  });

  it('maps each held session id to its partition, for the session inspector, and copies one value on purpose (audited)', async () => {
    const { alice, bob } = await openBoth();
    const holders = await backendHolders();
    const byPartition = new Map([...holders].map(([sessionId, h]) => [h.partitionId, sessionId]));
    const aliceSession = byPartition.get(alice.partitionId)!;
    expect(aliceSession).toBeDefined();
    expect(byPartition.get(bob.partitionId)).not.toBe(aliceSession);
    expect(holders.get(aliceSession)).toEqual({ partitionId: alice.partitionId, label: 'DEMO\\alice on /ticket' });
    // Nothing said so far carried a session id.
    for (const id of holders.keys()) expect(answers.join('\n')).not.toContain(id);

    // The value goes to the clipboard from the main process; the answer, all the renderer gets, is masked.
    const copied = await call('partitions.copyCookie', { partitionId: alice.partitionId, name: 'X-Qlik-Session-ticket', domain: 'localhost', path: '/' });
    expect(copied).toEqual({ copied: true, valueMasked: maskSecret(aliceSession) });
    expect(clipboard.at(-1)).toBe(aliceSession);
    expect(answers.join('\n')).not.toContain(aliceSession);
    const { entries } = await call('audit.list', { limit: 5 });
    expect(entries[0]).toMatchObject({ action: 'session-reveal', userDirectory: 'DEMO', userId: 'alice', virtualProxy: 'ticket', node: 'central' });
    expect(entries[0]!.sessionIdMasked).not.toBe(aliceSession);
    await expect(call('partitions.copyCookie', { partitionId: alice.partitionId, name: 'nope', domain: 'localhost', path: '/' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('opens another ticket in an existing partition, and refuses an unknown one without spending the ticket', async () => {
    const { alice } = await openBoth();
    const ticket = await call('tickets.request', { profileId: 'demo', virtualProxy: 'ticket', userDirectory: 'DEMO', userId: 'alice', attributes: [] });
    await expect(
      call('tickets.open', { ticketId: ticket.ticketId, target: { kind: 'hub' }, partition: { kind: 'existing', partitionId: 'p-nope' } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const again = await call('tickets.open', {
      ticketId: ticket.ticketId,
      target: { kind: 'hub' },
      partition: { kind: 'existing', partitionId: alice.partitionId },
    });
    expect(again).toMatchObject({ established: true, partitionId: alice.partitionId });
    expect((await partition(alice.partitionId)).windows).toHaveLength(2);
  });

  it('clears a jar (windows stay, no session), closes windows, and destroys a persistent partition with its storage', async () => {
    const { alice, bob } = await openBoth();
    const windows = (await partition(alice.partitionId)).windows.length; // 2 after the test above, 1 alone
    expect(windows).toBeGreaterThan(0);
    await call('partitions.clear', { partitionId: alice.partitionId });
    const cleared = await partition(alice.partitionId);
    expect(cleared.cookies).toEqual([]);
    expect(cleared.windows).toHaveLength(windows);

    await call('partitions.close', { partitionId: bob.partitionId });
    const closed = await partition(bob.partitionId);
    expect(closed.windows).toEqual([]);
    expect(existsSync(join(host.storageDir, bob.partitionId))).toBe(true);

    await call('partitions.destroy', { partitionId: bob.partitionId });
    expect((await call('partitions.list', {})).partitions.map((p) => p.partitionId)).not.toContain(bob.partitionId);
    expect(existsSync(join(host.storageDir, bob.partitionId))).toBe(false);
    expect(existsSync(join(dataDir, 'partitions', bob.partitionId))).toBe(false);
    expect(readFileSync(join(dataDir, 'partitions.json'), 'utf8')).not.toContain(bob.partitionId);
    await expect(call('partitions.destroy', { partitionId: bob.partitionId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the shared partition (seed 003 on purpose)', () => {
  it("holds one session cookie per virtual proxy: the second user's ticket replaces the first one's session", async () => {
    const first = await openTicket('alice', { kind: 'shared' });
    const second = await openTicket('bob', { kind: 'shared' });
    expect(first).toMatchObject({ established: true, partitionId: 'shared-demo' });
    expect(second).toMatchObject({ established: true, partitionId: 'shared-demo' });
    const shared = await partition('shared-demo');
    expect(shared).toMatchObject({ label: 'shared (seed 003)', kind: 'shared', persistent: false });
    expect(shared.windows).toHaveLength(2);
    expect(sessionUsers(shared)).toEqual(['DEMO\\bob']);
  });

  it("says that the first user's windows now run as the second user", async () => {
    // A fresh shared partition (the test above may have made one): nobody logged in there yet.
    if ((await call('partitions.list', {})).partitions.some((p) => p.partitionId === 'shared-demo'))
      await call('partitions.destroy', { partitionId: 'shared-demo' });
    const first = await openTicket('carol', { kind: 'shared' });
    expect(first.detail).not.toMatch(/now run as/);
    const second = await openTicket('dave', { kind: 'shared' });
    expect(second).toMatchObject({ established: true, user: 'DEMO\\dave' });
    expect(second.detail).toContain("DEMO\\carol's windows in this partition now run as DEMO\\dave");
    // The same user again takes nobody's place.
    expect((await openTicket('dave', { kind: 'shared' })).detail).not.toMatch(/now run as/);
    // The list says who logged in through the jar, oldest first (the partition map draws the conflict).
    expect((await partition('shared-demo')).logins).toEqual([{ virtualProxy: 'ticket', users: ['DEMO\\carol', 'DEMO\\dave'] }]);
    // A jar only one user logged in through has no conflict to draw.
    const alone = await openTicket('erin');
    expect((await partition(alone.partitionId)).logins).toEqual([{ virtualProxy: 'ticket', users: ['DEMO\\erin'] }]);
  });
});

describe('session API injection', () => {
  it('creates the session, sets the virtual proxy cookie in a new partition and lands logged in (audited)', async () => {
    const result = await call('sessions.inject', {
      profileId: 'demo',
      virtualProxy: 'ticket',
      userDirectory: 'DEMO',
      userId: 'bob',
      attributes: [{ key: 'Group', value: 'Support' }],
      target: { kind: 'hub' },
      reason: 'case 9',
    });
    expect(result).toMatchObject({ established: true, user: 'DEMO\\bob' });
    expect(result.detail).toContain('cookie X-Qlik-Session-ticket');
    const view = await partition(result.partitionId);
    expect(view.label).toBe('DEMO\\bob on /ticket (session API)');
    expect(view.cookies.find((c) => c.session)).toMatchObject({
      sameSite: 'None',
      secure: true,
      httpOnly: true,
      domain: 'localhost',
      session: { user: 'DEMO\\bob' },
    });
    const { entries } = await call('audit.list', { limit: 1 });
    expect(entries[0]).toMatchObject({
      action: 'session-create',
      userId: 'bob',
      virtualProxy: 'ticket',
      reason: expect.stringContaining('case 9; session API'),
    });
  });

  it('refuses a virtual proxy the site does not have, before any session or window exists', async () => {
    const before = (await call('partitions.list', {})).partitions.length;
    await expect(
      call('sessions.inject', { profileId: 'demo', virtualProxy: 'nope', userDirectory: 'DEMO', userId: 'bob', attributes: [], target: { kind: 'hub' } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await call('partitions.list', {})).partitions.length).toBe(before);
  });
});

describe('injectSession against a QPS', () => {
  const site = startTestSite();

  it('makes a session QPS knows under the id the cookie holds, and the proxy accepts the cookie', async () => {
    const sim = await site;
    const connection = new QlikConnection({ ca: pki.ca.certPem, client: { certPem: pki.client.certPem, keyPem: pki.client.keyPem } });
    try {
      const node = sim.node('central');
      const [vp] = (await connection.qrs(node.qrs).virtualProxies()).filter((v) => v.prefix === 'ticket');
      const qps = connection.qps(node.qps, 'ticket');
      const { session, cookie } = await injectSession({ qps, virtualProxy: vp!, proxy: node.hub, userDirectory: 'DEMO', userId: 'alice' });
      expect(cookie.value).toBe(session.sessionId);
      expect(await qps.getSession(cookie.value)).toMatchObject({ userDirectory: 'DEMO', userId: 'alice' });
      const page = await host.openPartition({ partitionId: 'inject-core', caPem: pki.ca.certPem });
      await page.setCookie(cookie);
      expect((await page.fetchJson(`${node.hub}/ticket/qps/user`)).body).toMatchObject({ userDirectory: 'DEMO', userId: 'alice' });
      await page.close();
    } finally {
      await connection.close();
    }
  });
});

describe('a session the check could not confirm', () => {
  it('is audited all the same, saying it was not confirmed, and "end all created by Usher" ends it', async () => {
    // The proxy takes the ticket and sets its cookie, but the personal API does not answer.
    host.personalApiDown = true;
    let opened: ResponseOf<'tickets.open'>;
    try {
      opened = await openTicket('carol');
    } finally {
      host.personalApiDown = false;
    }
    expect(opened).toMatchObject({ established: false, detail: expect.stringMatching(/personal API .* did not answer/) });
    const sessionId = [...(await backendHolders())].find(([, h]) => h.partitionId === opened.partitionId)?.[0];
    expect(sessionId).toBeDefined();
    const { entries } = await call('audit.list', { limit: 20 });
    const created = entries.find((e) => e.action === 'session-create' && e.sessionIdDigest === sessionIdDigest(sessionId!));
    expect(created).toMatchObject({
      userDirectory: 'DEMO',
      userId: 'carol',
      virtualProxy: 'ticket',
      node: 'central',
      reason: expect.stringMatching(/not confirmed/),
    });
    expect(created!.reason).toContain(opened.partitionId);

    const { ended } = await call('sessions.end', { profileId: 'demo', scope: { kind: 'created' } });
    expect(ended.map((e) => e.sessionIdMasked)).toContain(maskSecret(sessionId!));
  });
});

function backendHolders(): Promise<Map<string, { partitionId: string; label: string }>> {
  return backend.partitions.sessionHolders();
}
