// Partitions in a real Chromium through the chromium host, against the built-in demo site: two users on
// the same virtual proxy in two partitions keep two live, distinct sessions (each partition's personal
// API names its own user); a session-API login lands a logged-in window; the Partitions screen lists
// them with masked cookies and the user QPS names for each session cookie. Screenshots go to
// test-artifacts/screenshots/ (git-ignored) for a person to look at. The logins a test builds on are made
// once by whichever test needs them first, so each test also passes alone (`-t`).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleBackend } from '../../electron/app/console-backend';
import { ChromiumHost } from '../../electron/hosts/chromium-host';
import type { OpenResult } from '../../shared/ipc/contract';
import { lazy } from '../support/cert-fixtures';
import { testPki } from '../support/test-site';
import { openConsoleHarness, type ConsoleHarness } from './console-harness';
import { WORKER_SITE_BROWSERS } from './worker-browsers';

const pki = testPki();

let harness: ConsoleHarness<ChromiumHost>;
let host: ChromiumHost;
let backend: ConsoleBackend;
let page: Page;

beforeAll(async () => {
  harness = await openConsoleHarness({
    tempPrefix: 'usher-e2e-partitions-',
    host: (dataDir) => new ChromiumHost({ partitionsDir: join(dataDir, 'browser-partitions'), siteBrowsers: WORKER_SITE_BROWSERS }),
    backend: { demoPki: pki },
    timeoutMs: 20_000,
  });
  ({ host, backend, page } = harness);
}, 120_000);

afterAll(() => harness?.close());

async function openTicket(userId: string): Promise<OpenResult> {
  const ticket = await backend.handlers['tickets.request']({ profileId: 'demo', virtualProxy: 'ticket', userDirectory: 'DEMO', userId, attributes: [] });
  return backend.handlers['tickets.open']({ ticketId: ticket.ticketId, target: { kind: 'hub' } });
}

/** Whom the proxy's personal API names, asked by a new window of that partition (its jar, its cookies). */
async function personalUser(partitionId: string, hubUrl: string): Promise<unknown> {
  // Another window of the same jar must be opened as the jar was: same CA, persistence, downloads folder.
  const view = (await backend.handlers['partitions.list']({})).partitions.find((p) => p.partitionId === partitionId)!;
  const window = await host.openPartition({ partitionId, caPem: pki.ca.certPem, persistent: view.persistent, downloadsDir: view.downloadsDir });
  try {
    await window.goto(hubUrl);
    return (await window.fetchJson(new URL('/ticket/qps/user', hubUrl).href)).body;
  } finally {
    await window.close();
  }
}

describe('partitions in Chromium on the demo site', () => {
  /** DEMO\alice and DEMO\bob opened on /ticket by ticket, each in a partition of its own. */
  const aliceAndBob = lazy(async () => ({ alice: await openTicket('alice'), bob: await openTicket('bob') }));
  /** DEMO\alice logged in through the session API from the Partitions screen: the outcome it shows. */
  async function logInThroughSessionApi() {
    await harness.showSection('Partitions');
    await page.getByLabel('Virtual proxy').selectOption('ticket');
    await expect.poll(() => page.getByLabel('Session user directory').inputValue()).toBe('DEMO');
    await page.getByLabel('Session user id').fill('alice');
    await page.getByLabel('Reason (audit log)').fill('e2e session API');
    await page.getByRole('button', { name: 'Log in and open the hub' }).click();
    const outcome = page.getByRole('status').filter({ hasText: 'Session established' });
    await outcome.waitFor();
    return outcome;
  }
  const sessionApiLogin = lazy(logInThroughSessionApi);
  /** The Partitions screen refreshed after the three logins above. */
  async function partitionsListed(): Promise<void> {
    await aliceAndBob();
    await sessionApiLogin();
    await harness.showSection('Partitions');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/^3 partitions\.$/);
  }

  it('keeps two users on /ticket in two partitions, both sessions alive and distinct', async () => {
    const { alice, bob } = await aliceAndBob();
    expect(alice).toMatchObject({ established: true, user: 'DEMO\\alice' });
    expect(bob).toMatchObject({ established: true, user: 'DEMO\\bob' });
    expect(alice.partitionId).not.toBe(bob.partitionId);

    // After bob's login, alice's partition still runs as alice: nothing was clobbered.
    expect(await personalUser(alice.partitionId, alice.finalUrl)).toMatchObject({ userDirectory: 'DEMO', userId: 'alice' });
    expect(await personalUser(bob.partitionId, bob.finalUrl)).toMatchObject({ userDirectory: 'DEMO', userId: 'bob' });
    const holders = await backend.partitions.sessionHolders();
    const byPartition = new Map([...holders].map(([id, h]) => [h.partitionId, id]));
    expect(byPartition.get(alice.partitionId)).toBeDefined();
    expect(byPartition.get(bob.partitionId)).toBeDefined();
    expect(byPartition.get(alice.partitionId)).not.toBe(byPartition.get(bob.partitionId));
  });

  it('logs DEMO\\alice in through the session API from the Partitions screen and lands on the hub signed in', async () => {
    const outcome = await sessionApiLogin();
    expect(await outcome.textContent()).toContain('DEMO\\alice');
    const partitionId = (await outcome.locator('dd.mono').first().textContent())!;
    const view = await backend.handlers['partitions.list']({});
    const made = view.partitions.find((p) => p.partitionId === partitionId)!;
    expect(made.label).toBe('DEMO\\alice on /ticket (session API)');
    expect(made.windows[0]!.url).toMatch(/\/ticket\/hub\/$/);
    expect(await personalUser(partitionId, made.windows[0]!.url)).toMatchObject({ userDirectory: 'DEMO', userId: 'alice' });
    const cookie = made.cookies.find((c) => c.session)!;
    expect(cookie).toMatchObject({
      name: 'X-Qlik-Session-ticket',
      secure: true,
      httpOnly: true,
      sameSite: 'None',
      path: '/',
      session: { user: 'DEMO\\alice', virtualProxy: 'ticket' },
    });
  });

  it('lists every partition with masked cookies and the user QPS names for each session cookie', async () => {
    await partitionsListed();
    // One row each; the detail of a row opens under it.
    const card = async (label: string) => {
      await page
        .getByRole('button', { name: `Details of ${label}` })
        .first()
        .click();
      return page.getByRole('region', { name: `${label} — isolated`, exact: false });
    };
    const aliceCard = await card('DEMO\\alice on /ticket');
    const bobCard = await card('DEMO\\bob on /ticket');
    await aliceCard.first().waitFor();
    expect(await aliceCard.first().getByRole('table').textContent()).toContain('DEMO\\alice (Alice Analyst)');
    expect(await bobCard.first().getByRole('table').textContent()).toContain('DEMO\\bob (Bob Builder)');
    const text = (await page.locator('#main').textContent()) ?? '';
    expect(text).toMatch(/[A-Za-z0-9-]{4}•{12}/);
    // No session id reached the window (alice's and bob's at least: an empty map would prove nothing).
    const held = await backend.partitions.sessionHolders();
    expect(held.size).toBeGreaterThanOrEqual(2);
    for (const id of held.keys()) expect(text).not.toContain(id);
    await harness.shot('partitions-01-list');
  });

  it('copies one value from the main process without it reaching the page, then destroys a partition after confirming', async () => {
    const { bob } = await aliceAndBob();
    await partitionsListed();
    const bobCard = page.getByRole('region', { name: 'DEMO\\bob on /ticket — isolated', exact: false }).first();
    await bobCard.getByRole('button', { name: /^Copy the value of X-Qlik-Session-ticket/ }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/^Copied the value of X-Qlik-Session-ticket \(.+•+\) to the clipboard\.$/);
    const holders = await backend.partitions.sessionHolders();
    const bobId = [...holders].find(([, h]) => h.partitionId === bob.partitionId)![0];
    // The chromium host's clipboard holds it; the console's page (and so the renderer) never did.
    expect(host.lastClipboard).toBe(bobId);
    expect(await page.content()).not.toContain(bobId);
    await harness.shot('partitions-02-copied');

    await page.getByRole('button', { name: 'Destroy DEMO\\bob on /ticket' }).click();
    const confirm = page.getByRole('alertdialog', { name: /Destroy DEMO\\bob on \/ticket\?/ });
    await confirm.getByRole('button', { name: 'Destroy' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/Destroyed “DEMO\\bob on \/ticket”/);
    expect((await backend.handlers['partitions.list']({})).partitions.map((p) => p.partitionId)).not.toContain(bob.partitionId);
    const { entries } = await backend.handlers['audit.list']({ limit: 10 });
    expect(entries.find((e) => e.action === 'session-reveal')).toMatchObject({ userId: 'bob', virtualProxy: 'ticket' });
    await harness.shot('partitions-03-destroyed');
  });
});
