// "Log in as" through the console backend on the built-in demo site (real TLS), partitions on a JarHost
// (one core CookieJar per partition id): every method a virtual proxy takes logs the user in, each in a
// partition of its own and audited; a method the virtual proxy does not take, or a user its header cannot
// carry, is refused before any window opens; the header goes only to the site's origin.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleBackend, type ConsoleBackend } from '../../electron/app/console-backend';
import { MemoryKeychain } from '../../electron/core/vault';
import type { Channel, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import { JarHost } from '../support/jar-host';
import { testPki } from '../support/test-site';

const root = mkdtempSync(join(tmpdir(), 'usher-login-as-'));
const host = new JarHost(join(root, 'browser-storage'));
let backend: ConsoleBackend;

function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  return backend.handlers[channel](request);
}

function loginAs(
  method: RequestOf<'login.as'>['method'],
  virtualProxy: string,
  userDirectory: string,
  userId: string,
  extra: Partial<RequestOf<'login.as'>> = {},
) {
  return call('login.as', { profileId: 'demo', virtualProxy, method, userDirectory, userId, attributes: [], target: { kind: 'hub' }, ...extra });
}

async function partitionCount(): Promise<number> {
  return (await call('partitions.list', {})).partitions.length;
}

beforeAll(async () => {
  backend = await createConsoleBackend({ dataDir: join(root, 'data'), host, hostKind: 'chromium', keychain: new MemoryKeychain(), demoPki: testPki() });
}, 60_000);

afterAll(async () => {
  await backend?.close();
  await host.close();
  rmSync(root, { recursive: true, force: true });
});

describe('log in as, by every method the demo site offers', () => {
  it('ticket: requested, redeemed in a new partition, the user confirmed by the proxy', async () => {
    const result = await loginAs('ticket', 'ticket', 'DEMO', 'alice');
    expect(result).toMatchObject({ method: 'ticket', established: true, user: 'DEMO\\alice' });
  });

  it('session API: a session made by QPS, its cookie set in a new partition', async () => {
    const result = await loginAs('session', 'ticket', 'DEMO', 'bob');
    expect(result).toMatchObject({ method: 'session', established: true, user: 'DEMO\\bob' });
  });

  it('header: the partition sends the header to the site, the proxy makes the session (audited)', async () => {
    const result = await loginAs('header', 'header', 'HEADER', 'carol', { reason: 'case 8' });
    expect(result).toMatchObject({ method: 'header', established: true, user: 'HEADER\\carol' });
    expect(result.detail).toContain('cookie X-Qlik-Session-header');
    const { entries } = await call('audit.list', { limit: 1 });
    expect(entries[0]).toMatchObject({
      action: 'session-create',
      virtualProxy: 'header',
      userDirectory: 'HEADER',
      userId: 'carol',
      reason: expect.stringMatching(/^case 8; header X-Usher-User, in partition /),
    });
    expect(entries[0]!.sessionIdDigest).toMatch(/^[0-9a-f]{64}$/);
    // The header stays with that partition: its other windows ride the same login, no other partition has it.
    const jar = host.jars.get(result.partitionId)!;
    const central = new URL(host.visited.at(-1)!).origin;
    expect(jar.headers.for(`${central}/header/hub/`)).toEqual({ 'X-Usher-User': 'carol' });
    expect([...host.jars.values()].filter((j) => j.headers.any()).map((j) => j.options.partitionId)).toEqual([result.partitionId]);
  });

  it('header and ticket users side by side: each partition keeps its own session', async () => {
    const header = await loginAs('header', 'header', 'HEADER', 'dave');
    const ticket = await loginAs('ticket', 'ticket', 'DEMO', 'alice');
    expect(header.partitionId).not.toBe(ticket.partitionId);
    const view = await call('partitions.list', {});
    const users = (id: string) =>
      view.partitions
        .find((p) => p.partitionId === id)!
        .cookies.filter((c) => c.session)
        .map((c) => c.session!.user);
    expect(users(header.partitionId)).toEqual(['HEADER\\dave']);
    expect(users(ticket.partitionId)).toEqual(['DEMO\\alice']);
  });
});

describe('log in as by JWT on the demo /jwt virtual proxy', () => {
  it('mints a token for the user, sends it as a bearer from the partition only, the proxy makes the session', async () => {
    const result = await loginAs('jwt', 'jwt', 'DEMO', 'frank', { attributes: [{ key: 'Group', value: 'Sales' }] });
    expect(result).toMatchObject({ method: 'jwt', established: true, user: 'DEMO\\frank' });
    const { entries } = await call('audit.list', { limit: 1 });
    expect(entries[0]).toMatchObject({
      action: 'session-create',
      virtualProxy: 'jwt',
      userId: 'frank',
      reason: expect.stringMatching(/^JWT bearer token, in partition /),
    });
    const bearer = host.jars.get(result.partitionId)!.headers.for(result.finalUrl)!;
    expect(bearer.Authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('two JWT users side by side on one virtual proxy, each its own session', async () => {
    const a = await loginAs('jwt', 'jwt', 'DEMO', 'gina');
    const b = await loginAs('jwt', 'jwt', 'DEMO', 'hank');
    expect([a.user, b.user]).toEqual(['DEMO\\gina', 'DEMO\\hank']);
    const view = await call('partitions.list', {});
    const users = (id: string) =>
      view.partitions
        .find((p) => p.partitionId === id)!
        .cookies.filter((c) => c.session)
        .map((c) => c.session!.user);
    expect(users(a.partitionId)).toEqual(['DEMO\\gina']);
    expect(users(b.partitionId)).toEqual(['DEMO\\hank']);
  });

  it('two JWT users in the shared partition: the second says whose windows it took, the list names both', async () => {
    const a = await loginAs('jwt', 'jwt', 'DEMO', 'ivy', { partition: { kind: 'shared' } });
    const b = await loginAs('jwt', 'jwt', 'DEMO', 'jack', { partition: { kind: 'shared' } });
    expect(b.partitionId).toBe(a.partitionId);
    expect(b.detail).toContain("DEMO\\ivy's windows in this partition now run as DEMO\\jack");
    const shared = (await call('partitions.list', {})).partitions.find((p) => p.partitionId === a.partitionId)!;
    expect(shared.logins).toEqual([{ virtualProxy: 'jwt', users: ['DEMO\\ivy', 'DEMO\\jack'] }]);
  });

  it('a token the virtual proxy cannot verify makes no session, and says so', async () => {
    const result = await loginAs('jwt', 'jwt-expired-certificate', 'DEMO', 'frank');
    expect(result).toMatchObject({ method: 'jwt', established: false });
    expect(result.detail).toMatch(/no session cookie/);
    // The refused credential is taken off the partition.
    expect(host.jars.get(result.partitionId)?.headers.any() ?? false).toBe(false);
  });
});

describe('log in as: refusals before anything is made', () => {
  it('refuses a method the virtual proxy does not take, naming those it does', async () => {
    const before = await partitionCount();
    await expect(loginAs('header', 'ticket', 'DEMO', 'alice')).rejects.toMatchObject({
      code: 'METHOD_NOT_TAKEN',
      hint: expect.stringContaining('Ticket or Session API'),
    });
    await expect(loginAs('ticket', 'header', 'HEADER', 'carol')).rejects.toMatchObject({
      code: 'METHOD_NOT_TAKEN',
      hint: expect.stringContaining('Header or Session API'),
    });
    expect(await partitionCount()).toBe(before);
  });

  it('refuses a user outside the static header directory', async () => {
    const before = await partitionCount();
    await expect(loginAs('header', 'header', 'DEMO', 'carol')).rejects.toMatchObject({
      code: 'WRONG_DIRECTORY',
      hint: expect.stringContaining('HEADER\\carol'),
    });
    expect(await partitionCount()).toBe(before);
  });

  it('refuses a virtual proxy the site does not have', async () => {
    await expect(loginAs('session', 'nope', 'DEMO', 'bob')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
