// The console end to end in a real Chromium, through the chromium host, against the built-in demo site:
// the renderer bundle as built, the binding and router, the backend, and partitions that redeem tickets
// over TLS pinned to the site CA. Each screen is saved under test-artifacts/screenshots/ for a person to
// look at (the folder is git-ignored). The steps a test builds on (the saved site, alice's ticket opened)
// are done once by whichever test needs them first, so each test also passes alone (`-t`).
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MASHUP_ORIGIN, demoMistakes } from '../../electron/simulator/demo-site';
import type { PartitionPage } from '../../electron/hosts/browser-host';
import { ChromiumHost } from '../../electron/hosts/chromium-host';
import { lazy } from '../support/cert-fixtures';
import { openConsoleHarness, SHOTS, type ConsoleHarness } from './console-harness';
import { WORKER_SITE_BROWSERS } from './worker-browsers';

/** Records what the backend opens, so the test can look into the partition it made. */
class RecordingHost extends ChromiumHost {
  readonly partitions: PartitionPage[] = [];
  readonly visited: string[] = [];
  override async openPartition(...args: Parameters<ChromiumHost['openPartition']>): Promise<PartitionPage> {
    const page = await super.openPartition(...args);
    const goto = page.goto.bind(page);
    page.goto = (url) => {
      this.visited.push(url);
      return goto(url);
    };
    this.partitions.push(page);
    return page;
  }
}

let harness: ConsoleHarness<RecordingHost>;
let host: RecordingHost;
let page: Page;

beforeAll(async () => {
  harness = await openConsoleHarness({ tempPrefix: 'usher-e2e-', host: () => new RecordingHost({ siteBrowsers: WORKER_SITE_BROWSERS }), timeoutMs: 15_000 });
  ({ host, page } = harness);
}, 120_000);

afterAll(() => harness?.close());

describe('the console in Chromium on the demo site', () => {
  it('loads with the demo site selected', async () => {
    const sites = page.getByRole('navigation', { name: 'Console' });
    await expect.poll(() => sites.getByRole('button', { name: /demo/ }).first().getAttribute('aria-current')).toBe('true');
    await expect.poll(() => page.getByRole('contentinfo', { name: 'Status' }).textContent()).toMatch(/Site:\s*demo/);
    expect(await page.getByRole('contentinfo', { name: 'Status' }).textContent()).toMatch(/Host:\s*chromium/);
    await harness.shot('01-console-home');
  });

  it("builds no address-bar popup page in the console's browser (CHROMIUM_FLAGS turn them off)", async () => {
    const browser = page.context().browser();
    if (!browser) throw new Error('the console page has no browser');
    const cdp = await browser.newBrowserCDPSession();
    try {
      const { targetInfos } = await cdp.send('Target.getTargets');
      expect(targetInfos.some((target) => target.type === 'page')).toBe(true);
      expect(targetInfos.filter((target) => target.url.startsWith('chrome://omnibox')).map((target) => target.url)).toEqual([]);
    } finally {
      await cdp.detach();
    }
  });

  /** Runs the wizard and saves the site; answers the name of the site then selected. */
  async function trustAndSaveLab(): Promise<string | null> {
    await harness.showSection('Trust', null);
    await page.getByRole('button', { name: "Use the demo site's export" }).click();
    await expect.poll(() => page.getByLabel('QPS base URL').inputValue()).toMatch(/^https:\/\/localhost:\d+/);
    await page.getByRole('button', { name: 'Inspect certificates' }).click();
    await page.getByRole('heading', { name: '2. Findings' }).waitFor();
    await harness.shot('02-trust-findings');

    await page.getByRole('button', { name: 'Run the trust check' }).click();
    await page.getByText('The site trusts these certificates.').waitFor();
    const steps = page.getByRole('list', { name: 'Trust check steps' }).locator('li');
    const classes = await steps.evaluateAll((items: Array<{ className: string }>) => items.map((li) => li.className));
    expect(classes.some((c) => c.includes('step-pass'))).toBe(true);
    expect(classes.filter((c) => c.includes('step-fail'))).toEqual([]);
    // Discovery warns about the demo site's deliberately unlinked virtual proxy, and nothing else warns.
    expect(classes.filter((c) => c.includes('step-warn'))).toHaveLength(1);
    await page.getByText(/not linked to any proxy \(unusable\): \/unlinked/).waitFor();
    await page.getByRole('heading', { name: '4. Discovered nodes and virtual proxies' }).waitFor();
    await harness.shot('03-trust-steps');

    await page.getByLabel('Site name').fill('E2E Lab');
    await page.getByRole('button', { name: 'Save site' }).click();
    await page.getByText('Saved “E2E Lab”').waitFor();
    const saved = page.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: 'E2E Lab' });
    await expect.poll(() => saved.getAttribute('aria-current')).toBe('true');
    await harness.shot('04-trust-saved');
    return page.getByRole('navigation', { name: 'Console' }).locator('[aria-current="true"]').first().textContent();
  }
  const savedLab = lazy(trustAndSaveLab);

  // Console defect 14.7 on the screen: the core's diagnosis (core/checks/wrong-port.ts) reaches the
  // failed step as its cause and fix, not a fix about sessions or the client certificate.
  it('says a QPS address on the QRS port is not the QPS port, with the address to use', async () => {
    await harness.showSection('Trust', null);
    await page.getByRole('button', { name: "Use the demo site's export" }).click();
    const qrs = page.getByLabel('QRS base URL');
    await expect.poll(() => qrs.inputValue()).toMatch(/^https:\/\/localhost:\d+/);
    await page.getByLabel('QPS base URL').fill(await qrs.inputValue());
    await page.getByRole('button', { name: 'Inspect certificates' }).click();
    await page.getByRole('heading', { name: '2. Findings' }).waitFor();
    await page.getByRole('button', { name: 'Run the trust check' }).click();
    const failed = page.getByRole('list', { name: 'Trust check steps' }).locator('li.step-fail');
    await failed.first().waitFor();
    expect(await failed.count()).toBe(1);
    const host = new URL(await qrs.inputValue()).host;
    expect(await failed.locator('.step-cause').textContent()).toBe(
      `Cause: ${host} answered like the Qlik Sense Repository Service (QRS: /qrs/about answered), not like the QPS`,
    );
    expect(await failed.locator('.step-fix').textContent()).toBe(
      'Fix: This is not the QPS port (4243): set the QPS address to https://localhost:4243 (the QRS listens on 4242).',
    );
    await harness.shot('03b-trust-wrong-port');
  });

  it('runs the trust wizard on the demo export and saves the site as "E2E Lab"', async () => {
    expect(await savedLab()).toContain('E2E Lab');
  });

  /** Requests and opens alice's ticket; answers whom the partition's personal API names. */
  async function openAliceTicket(): Promise<unknown> {
    await savedLab();
    await harness.showSection('Log in as', null);
    await page.getByLabel('User directory').fill('DEMO');
    await page.getByLabel('User id').fill('alice');
    await page.getByLabel('Virtual proxy').selectOption('ticket');
    await page.getByRole('button', { name: 'Request ticket' }).click();
    await page.getByRole('heading', { name: 'Ticket for DEMO\\alice' }).waitFor();
    await harness.shot('05-ticket-issued');

    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const outcome = page.getByRole('status').filter({ hasText: 'Session established' });
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('DEMO\\alice');
    // The flow it took, drawn from what the main process timed: every step between its parties.
    const flow = page.getByRole('img', { name: /^Ticket flow for DEMO\\alice/ });
    const arrows = await flow.locator('.flow-step').allTextContents();
    expect(arrows).toHaveLength(6);
    expect(arrows[0]).toMatch(/^1\. POST \/qps\/ticket\/ticket · [\d.]+ m?s$/);
    expect(arrows[2]).toMatch(/^3\. GET \/ticket\/hub\/\?qlikTicket=… · [\d.]+ m?s$/);
    expect(arrows[4]).toBe('5. 200 + Set-Cookie X-Qlik-Session-ticket');
    expect(arrows[5]).toMatch(/^6\. GET \/ticket\/qps\/user → DEMO\\alice · [\d.]+ m?s$/);
    expect(await flow.locator('.flow-step.flow-failed').count()).toBe(0);
    await harness.shot('06-ticket-opened');

    const partition = host.partitions.at(-1);
    expect(partition).toBeDefined();
    expect(host.visited.at(-1)).toMatch(/\/ticket\/hub\/\?qlikTicket=/);
    // The partition's own view of itself: the simulated hub names the signed-in user.
    const me = await partition!.fetchJson(new URL('/ticket/qps/user', host.visited.at(-1)).href);
    expect(me.body).toMatchObject({ userDirectory: 'DEMO', userId: 'alice' });
    // The hub page itself, fetched by the partition's page with its session cookie, names the user.
    const hub = await partition!.fetchJson(new URL('/ticket/hub/', host.visited.at(-1)).href);
    expect(hub.status).toBe(200);
    expect(String(hub.body)).toContain('DEMO\\alice');
    await partition!.screenshot!(join(SHOTS, '07-partition-hub.png'));
    const cookies = await partition!.cookies();
    expect(cookies.some((c) => c.name.startsWith('X-Qlik-Session') && c.httpOnly)).toBe(true);
    return me.body;
  }
  const aliceOpened = lazy(openAliceTicket);

  it('opens a ticket for DEMO\\alice on /ticket in a partition whose hub shows alice', async () => {
    expect(await aliceOpened()).toMatchObject({ userDirectory: 'DEMO', userId: 'alice' });
  });

  it('lists the QPS calls in the request log with masked tickets', async () => {
    await aliceOpened();
    const ticket = new URL(host.visited.at(-1)!).searchParams.get('qlikTicket');
    expect(ticket).toBeTruthy();
    await harness.showSection('Request log', null);
    const rows = page.locator('table.request-log tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const ticketRow = rows
      .filter({ hasText: 'QPS' })
      .filter({ hasText: /\/ticket/ })
      .first();
    await ticketRow.getByRole('button', { name: /Details/ }).click();
    const details = page.locator('.record-details').first();
    await details.waitFor();
    const text = (await page.locator('table.request-log').textContent()) ?? '';
    expect(text).toContain(ticket!.slice(0, 4) + '•');
    expect(text).not.toContain(ticket!);
    await harness.shot('08-request-log');
  });

  it('shows the ticket and the session for DEMO\\alice in the audit log, newest first, masked', async () => {
    await aliceOpened();
    const ticket = new URL(host.visited.at(-1)!).searchParams.get('qlikTicket')!;
    await harness.showSection('Audit', null);
    const rows = page.locator('table.audit-log tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const cells = (row: number) => rows.nth(row).locator('td').allTextContents();
    // Newest first: the session "Open" made, then the ticket it redeemed, both on the site saved above.
    const [session, issued] = [await cells(0), await cells(1)];
    expect(session.slice(1, 6)).toEqual(['Session created', 'E2E Lab', session[3]!, '/ticket', 'DEMO\\alice']);
    expect(issued.slice(1, 6)).toEqual(['Ticket issued', 'E2E Lab', issued[3]!, '/ticket', 'DEMO\\alice']);
    expect(issued[3]).not.toBe('—');
    expect(issued[6]).toBe(ticket.slice(0, 4) + '•'.repeat(issued[6]!.length - 4));
    expect((await page.locator('table.audit-log').textContent()) ?? '').not.toContain(ticket);

    const site = page.getByLabel('Site', { exact: true });
    await site.selectOption({ label: 'E2E Lab' });
    await expect.poll(() => page.getByText(/^\d+ of \d+ entries$/).textContent()).toMatch(/^2 of \d+ entries$/);
    await site.selectOption({ label: 'All sites' });
    await harness.shot('09-audit');
  });

  it(`checks the demo site for its mashup on ${DEMO_MASHUP_ORIGIN}: each deliberate mistake per virtual proxy, filtered by severity`, async () => {
    const sites = page.getByRole('navigation', { name: 'Console' });
    await sites.getByRole('button', { name: /demo/ }).first().click();
    await expect.poll(() => sites.getByRole('button', { name: /demo/ }).first().getAttribute('aria-current')).toBe('true');
    await harness.showSection('Checks', null);
    await page.getByLabel('Mashup origin (optional)').fill(DEMO_MASHUP_ORIGIN);
    expect(await page.getByLabel('Probe authentication modules').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Run the checks' }).click();
    const summary = page.getByRole('status').filter({ hasText: 'virtual proxies checked' });
    await summary.waitFor();
    // Which virtual proxies carry findings, and how many: a missing finding is named by its virtual proxy.
    const listed = await page
      .locator('tbody.vp-group')
      .evaluateAll((groups: Array<{ querySelector(s: string): { textContent: string | null } | null; querySelectorAll(s: string): { length: number } }>) =>
        groups.map((g) => `${g.querySelector('.vp-name')?.textContent ?? '?'} ${g.querySelectorAll('tr:not(.vp-row)').length}`),
      );
    const perProxy = new Map<string, number>();
    for (const m of demoMistakes({ origin: true, probe: true })) {
      const name = m.virtualProxy ? `/${m.virtualProxy}` : '(default)';
      perProxy.set(name, (perProxy.get(name) ?? 0) + 1);
    }
    expect(listed.filter((line) => !line.endsWith(' 0')).sort()).toEqual([...perProxy].map(([name, n]) => `${name} ${n}`).sort());
    // The demo site's 22 deliberate findings (README): 18 errors and 4 warnings over its 22 virtual
    // proxies, of which /jwt and /header-dynamic have none.
    expect(await summary.textContent()).toMatch(/^22 virtual proxies checked on demo in [\d.]+ m?s: 18 errors, 4 warnings, 0 info\.$/);
    // One table, one header row over all of them, a row naming each virtual proxy above its findings.
    expect(await page.getByRole('table').count()).toBe(1);
    const headings = await page
      .locator('tr.vp-row th')
      .evaluateAll((cells: Array<{ textContent: string | null; querySelector(s: string): { textContent: string | null } | null }>) =>
        cells.map((th) => (th.textContent ?? '').replace(th.querySelector('.vp-note')?.textContent ?? '', '')),
      );
    expect(headings).toHaveLength(22);
    expect(headings.slice(0, 3)).toEqual([
      expect.stringMatching(/^\(default\).*: 3 errors$/),
      expect.stringMatching(/^\/ticket — Ticket authentication.*: 1 error$/),
      expect.stringMatching(/^\/header — .*: 1 error$/),
    ]);
    expect(headings.slice(3, 5)).toEqual([
      expect.stringMatching(/^\/jwt — JWT authentication.*: no findings$/),
      expect.stringMatching(/^\/header-dynamic — .*: no findings$/),
    ]);
    // Every other virtual proxy carries one deliberate mistake and says which.
    for (const heading of headings.slice(5)) expect(heading).toMatch(/ — Deliberate mistake \([a-z-]+\): .*: 1 (error|warning)$/);
    const group = (prefix: string) => page.getByRole('rowgroup', { name: new RegExp(`^${prefix.replace(/[()/]/g, '\\$&')} —`) });
    const ticketRows = group('/ticket').locator('tr:not(.vp-row)');
    expect(await ticketRows.count()).toBe(1);
    expect(await ticketRows.locator('td:nth-child(2)').allTextContents()).toEqual(['authenticationModuleRedirectUri']);
    expect(await ticketRows.textContent()).toContain('the module does not answer');
    const defaultFields = await group('(default)').locator('tr:not(.vp-row) td:nth-child(2)').allTextContents();
    expect(defaultFields.sort()).toEqual(['additionalResponseHeaders', 'sameSiteAttributeHttps', 'websocketCrossOriginWhiteList']);

    // The severity filter by keyboard, as a radio group: arrows move and choose.
    await page.getByRole('radio', { name: 'All (22)' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: 'Errors (18)' }).isChecked()).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: 'Warnings (4)' }).isChecked()).toBe(true);
    expect(await page.locator('table.findings tr:not(.vp-row) td:nth-child(2)').count()).toBe(4);
    expect(await page.getByText('No warnings here; 3 other findings are hidden by the filter.').count()).toBe(1);
    expect(await page.getByText('No warnings here; 1 other finding is hidden by the filter.').count()).toBe(15);
    await page.getByRole('radio', { name: 'All (22)' }).check();
    expect(await page.locator('table.findings tr:not(.vp-row) td:nth-child(2)').count()).toBe(22);
    await harness.shot('10-checks');
  });
});
