// The session inspector end to end in a real Chromium: tickets for two users opened in their own
// partitions, the Sessions section showing them grouped by user with Usher's mark, one session ended from
// the table, and that partition's next visit of the virtual proxy sent by the proxy to the authentication
// module (302 to authenticationModuleRedirectUri with proxyRestUri and targetId); a sixth session for one
// user, opened from the Tickets section, refused by the site and shown as refused in both sections. The demo module does not
// run in tests, so a stand-in answers on a free port of its own that /ticket names (the site's own server
// key, which the pinned partition browser accepts) and records what it was asked. Screenshot in test-artifacts/screenshots/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleBackend } from '../../electron/app/console-backend';
import type { PartitionPage } from '../../electron/hosts/browser-host';
import { ChromiumHost } from '../../electron/hosts/chromium-host';
import type { OpenResult } from '../../shared/ipc/contract';
import { startModuleStandIn, type ModuleStandIn } from '../support/module-stand-in';
import { testPki } from '../support/test-site';
import { openConsoleHarness, type ConsoleHarness } from './console-harness';
import { WORKER_SITE_BROWSERS } from './worker-browsers';

class RecordingHost extends ChromiumHost {
  readonly pages = new Map<string, PartitionPage>();
  override async openPartition(...args: Parameters<ChromiumHost['openPartition']>): Promise<PartitionPage> {
    const page = await super.openPartition(...args);
    this.pages.set(page.partitionId, page);
    return page;
  }
}

const pki = testPki();
let harness: ConsoleHarness<RecordingHost>;
let host: RecordingHost;
let backend: ConsoleBackend;
let page: Page;
let standIn: ModuleStandIn;

async function openTicket(userDirectory: string, userId: string): Promise<OpenResult> {
  const ticket = await backend.handlers['tickets.request']({
    profileId: 'demo',
    virtualProxy: 'ticket',
    userDirectory,
    userId,
    attributes: [],
    reason: 'inspector e2e',
  });
  return backend.handlers['tickets.open']({ ticketId: ticket.ticketId, target: { kind: 'hub' } });
}

beforeAll(async () => {
  standIn = await startModuleStandIn(pki);
  harness = await openConsoleHarness({
    tempPrefix: 'usher-e2e-inspector-',
    host: () => new RecordingHost({ siteBrowsers: WORKER_SITE_BROWSERS }),
    backend: { demoPki: pki, demoAuthModuleUri: standIn.uri },
    timeoutMs: 15_000,
  });
  ({ host, backend, page } = harness);
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await standIn?.close();
});

describe('the session inspector in Chromium', () => {
  it('shows two users’ sessions, ends one, and that partition is sent to the authentication module', async () => {
    const sales = await openTicket('MASHUP', 'a1-sales');
    const finance = await openTicket('MASHUP', 'a2-finance');
    expect([sales.established, finance.established]).toEqual([true, true]);

    await harness.showSection('Sessions');
    const table = page.getByRole('table', { name: /^Sessions by user/ });
    await table.waitFor();
    for (const user of ['MASHUP\\a1-sales', 'MASHUP\\a2-finance']) {
      const line = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(user.replace(/\\/g, '\\\\')) }) });
      expect(await line.getByLabel('1 of 5 sessions').textContent()).toBe('1/5');
    }
    expect(await table.getByText('✓ Usher').count()).toBe(2);
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /created by Usher/ })
        .textContent(),
    ).toMatch(/^2 sessions of 2 users on 2 nodes .* 2 created by Usher/);
    await harness.shot('20-sessions-inspector');

    await table.getByRole('button', { name: /^End session .* of MASHUP\\a2-finance on central \/ticket$/ }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'End this session' }).click();
    await page.getByText('Ended 1 session.').waitFor();
    // The end's own refresh asks every node again after the "Ended" line shows: under load that takes
    // longer than the poll's default second, so the wait is for the row to go, not a timing claim.
    await expect.poll(() => table.getByRole('rowheader', { name: /a2-finance/ }).count(), { timeout: 20_000 }).toBe(0);
    await harness.shot('21-sessions-inspector-ended');

    // The ended user's partition: the proxy no longer knows its cookie and sends it to the module.
    const hub = finance.finalUrl.replace(/[?#].*$/, '');
    const next = await host.pages.get(finance.partitionId)!.goto(hub);
    const landed = new URL(next.url);
    expect(`${landed.origin}${landed.pathname}`).toBe(standIn.uri);
    expect(landed.searchParams.get('proxyRestUri')).toMatch(/^https:\/\/localhost:\d+\/qps\/ticket\/$/);
    expect(landed.searchParams.get('targetId')).toMatch(/^[0-9a-f-]{36}$/i);
    expect(standIn.asked).toContain(next.url);

    // The other user's partition still has its session.
    const stays = await host.pages.get(sales.partitionId)!.goto(sales.finalUrl.replace(/[?#].*$/, ''));
    expect(new URL(stays.url).pathname).toBe('/ticket/hub/');
    expect(stays.status).toBe(200);
  });

  it('refuses a sixth session for one user, says so where it was opened, and the inspector shows why', async () => {
    for (let i = 0; i < 5; i++) expect((await openTicket('DEMO', 'bob')).established).toBe(true);

    // The sixth, the way a person would: request and open in the Tickets section.
    await harness.showSection('Log in as', null);
    await page.getByLabel('User directory').fill('DEMO');
    await page.getByLabel('User id').fill('bob');
    await page.getByLabel('Virtual proxy').selectOption('ticket');
    await page.getByRole('button', { name: 'Request ticket' }).click();
    await page.getByRole('heading', { name: 'Ticket for DEMO\\bob' }).waitFor();
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const outcome = page.getByRole('status').filter({ hasText: 'No session' });
    await outcome.waitFor();
    expect(await outcome.textContent()).toMatch(/Qlik refused a new session for DEMO\\bob on \/ticket.*already holds 5 sessions/);
    await harness.shot('22-sixth-session-refused');

    await harness.showSection('Sessions');
    const table = page.getByRole('table', { name: /^Sessions by user/ });
    await table.waitFor();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const bob = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /DEMO\\bob/ }) });
    expect(await bob.getByLabel(/^5 of 5 sessions/).textContent()).toMatch(/\b5\/5$/);
    const warnings = page.getByRole('region', { name: /^Warnings/ });
    await expect.poll(() => warnings.getByText(/Qlik refused a new session for DEMO\\bob on \/ticket/).count()).toBe(1);
    await harness.shot('23-sessions-refused-sixth');
  });
});
