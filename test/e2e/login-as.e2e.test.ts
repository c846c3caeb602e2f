// "Log in as" in a real Chromium through the chromium host, against the built-in demo site: header users
// logged in from the console's Log in as section and through the backend, two JWT users on /jwt, each in
// an isolated partition, beside a ticket user, every session alive and its own (each partition's personal API names its user,
// no cookie replaced); and the header goes to the site's origin only: the same partition navigated to
// another https origin (same CA, another port) arrives there without it.
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleBackend } from '../../electron/app/console-backend';
import { ChromiumHost } from '../../electron/hosts/chromium-host';
import type { LoginAsResult, RequestOf } from '../../shared/ipc/contract';
import { lazy } from '../support/cert-fixtures';
import { testPki } from '../support/test-site';
import { openConsoleHarness, type ConsoleHarness } from './console-harness';
import { WORKER_SITE_BROWSERS } from './worker-browsers';

const pki = testPki();

let harness: ConsoleHarness<ChromiumHost>;
let host: ChromiumHost;
let backend: ConsoleBackend;
let page: Page;
/** Another origin on this machine, served with the site's own localhost certificate: what it was sent. */
let elsewhere: Server;
const seenElsewhere: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  harness = await openConsoleHarness({
    tempPrefix: 'usher-e2e-login-as-',
    host: (dataDir) => new ChromiumHost({ partitionsDir: join(dataDir, 'browser-partitions'), siteBrowsers: WORKER_SITE_BROWSERS }),
    backend: { demoPki: pki },
    timeoutMs: 20_000,
  });
  ({ host, backend, page } = harness);
  const { certPem, keyPem } = pki.serverFor('localhost');
  elsewhere = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    seenElsewhere.push(req.headers);
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>elsewhere</title>');
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await new Promise((resolve) => elsewhere?.close(resolve));
});

function loginAs(method: RequestOf<'login.as'>['method'], virtualProxy: string, userDirectory: string, userId: string): Promise<LoginAsResult> {
  return backend.handlers['login.as']({ profileId: 'demo', virtualProxy, method, userDirectory, userId, attributes: [], target: { kind: 'hub' } });
}

/** Another window of a partition the console opened: as the jar was opened (CA, persistence, downloads). */
async function windowOf(partitionId: string) {
  const view = (await backend.handlers['partitions.list']({})).partitions.find((p) => p.partitionId === partitionId)!;
  return host.openPartition({ partitionId, caPem: pki.ca.certPem, persistent: view.persistent, downloadsDir: view.downloadsDir });
}

/** Whom the personal API names, asked by a new window of that partition (its jar, its cookies). */
async function personalUser(partitionId: string, prefix: string, hubUrl: string): Promise<unknown> {
  const window = await windowOf(partitionId);
  try {
    await window.goto(hubUrl);
    return (await window.fetchJson(new URL(`/${prefix}/qps/user`, hubUrl).href)).body;
  } finally {
    await window.close();
  }
}

describe('log in as, in Chromium on the demo site', () => {
  /** HEADER\carol from the console's Log in as section: the outcome it shows. */
  async function logCarolInFromConsole() {
    await harness.showSection('Log in as');
    await page.getByLabel('Virtual proxy').selectOption('header');
    await expect.poll(() => page.getByLabel('Login method').inputValue()).toBe('header');
    await page.getByLabel('User directory').fill('HEADER');
    await page.getByLabel('User id').fill('carol');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    const outcome = page.getByRole('status').filter({ hasText: 'Session established' });
    await outcome.waitFor();
    return outcome;
  }
  const carolFromConsole = lazy(logCarolInFromConsole);
  /** HEADER\dave by header and DEMO\alice by ticket, through the backend, each in a partition of its own. */
  const daveAndAlice = lazy(async () => ({
    dave: await loginAs('header', 'header', 'HEADER', 'dave'),
    alice: await loginAs('ticket', 'ticket', 'DEMO', 'alice'),
  }));

  it('logs a header user in from the Log in as section, in an isolated partition', async () => {
    const outcome = await carolFromConsole();
    await expect.poll(() => outcome.textContent()).toContain('HEADER\\carol');
    await harness.shot('login-as-header');
  });

  it('keeps two header users and a ticket user side by side, each session alive and its own', async () => {
    await carolFromConsole();
    const { dave, alice } = await daveAndAlice();
    expect(dave).toMatchObject({ method: 'header', established: true, user: 'HEADER\\dave' });
    expect(alice).toMatchObject({ method: 'ticket', established: true, user: 'DEMO\\alice' });
    const view = (await backend.handlers['partitions.list']({})).partitions;
    const carolPartition = view.find((p) => p.label.startsWith('HEADER\\carol'))!;
    expect(new Set([carolPartition.partitionId, dave.partitionId, alice.partitionId]).size).toBe(3);
    const hub = dave.finalUrl;
    // Asked after all three logins: none replaced another's cookie.
    expect(await personalUser(carolPartition.partitionId, 'header', hub)).toMatchObject({ userDirectory: 'HEADER', userId: 'carol' });
    expect(await personalUser(dave.partitionId, 'header', hub)).toMatchObject({ userDirectory: 'HEADER', userId: 'dave' });
    expect(await personalUser(alice.partitionId, 'ticket', alice.finalUrl)).toMatchObject({ userDirectory: 'DEMO', userId: 'alice' });
    const sessionUsers = (id: string) =>
      view
        .find((p) => p.partitionId === id)!
        .cookies.filter((c) => c.session)
        .map((c) => c.session!.user);
    expect(sessionUsers(dave.partitionId)).toEqual(['HEADER\\dave']);
    expect(sessionUsers(alice.partitionId)).toEqual(['DEMO\\alice']);
  });

  it('keeps two JWT users on one JWT virtual proxy alive side by side, beside the ticket and header users', async () => {
    const { dave, alice } = await daveAndAlice();
    const gina = await loginAs('jwt', 'jwt', 'DEMO', 'gina');
    const hank = await loginAs('jwt', 'jwt', 'DEMO', 'hank');
    expect(gina).toMatchObject({ method: 'jwt', established: true, user: 'DEMO\\gina' });
    expect(hank).toMatchObject({ method: 'jwt', established: true, user: 'DEMO\\hank' });
    expect(new Set([gina.partitionId, hank.partitionId, dave.partitionId, alice.partitionId]).size).toBe(4);
    // Asked after every login: each partition's session is still its own user's.
    expect(await personalUser(gina.partitionId, 'jwt', gina.finalUrl)).toMatchObject({ userDirectory: 'DEMO', userId: 'gina' });
    expect(await personalUser(hank.partitionId, 'jwt', hank.finalUrl)).toMatchObject({ userDirectory: 'DEMO', userId: 'hank' });
    expect(await personalUser(dave.partitionId, 'header', dave.finalUrl)).toMatchObject({ userId: 'dave' });
    expect(await personalUser(alice.partitionId, 'ticket', alice.finalUrl)).toMatchObject({ userId: 'alice' });
    const view = (await backend.handlers['partitions.list']({})).partitions;
    const sessionUsers = (id: string) =>
      view
        .find((p) => p.partitionId === id)!
        .cookies.filter((c) => c.session)
        .map((c) => c.session!.user);
    expect(sessionUsers(gina.partitionId)).toEqual(['DEMO\\gina']);
    expect(sessionUsers(hank.partitionId)).toEqual(['DEMO\\hank']);
  });

  it("sends the header to the site's origin only: another origin gets none from the same partition", async () => {
    const { dave } = await daveAndAlice();
    const window = await windowOf(dave.partitionId);
    try {
      const other = `https://localhost:${(elsewhere.address() as AddressInfo).port}/page`;
      seenElsewhere.length = 0;
      expect((await window.goto(other)).status).toBe(200);
      expect(seenElsewhere.length).toBeGreaterThan(0);
      expect(seenElsewhere.every((h) => h['x-usher-user'] === undefined && h.authorization === undefined)).toBe(true);
      // Back on the site, the same window still rides the header user's login.
      await window.goto(dave.finalUrl);
      expect((await window.fetchJson(new URL('/header/qps/user', dave.finalUrl).href)).body).toMatchObject({ userId: 'dave' });
    } finally {
      await window.close();
    }
  });
});
