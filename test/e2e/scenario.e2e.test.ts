// Seed 003 end to end in a real Chromium, through the chromium host, against the built-in demo site: the
// "Seed 003" section runs the scenario in real browser partitions (one shared BrowserContext for both
// tabs, then one each), and shows the shared partition reproducing the failure. The screen is saved under
// test-artifacts/screenshots/ for a person to look at.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartitionOptions, PartitionPage } from '../../electron/hosts/browser-host';
import { ChromiumHost } from '../../electron/hosts/chromium-host';
import { openConsoleHarness, type ConsoleHarness } from './console-harness';
import { WORKER_SITE_BROWSERS } from './worker-browsers';

/** Records which partition each window the backend opens is in, which it closes, and each window's titles. */
class RecordingHost extends ChromiumHost {
  readonly opened: PartitionOptions[] = [];
  readonly pages: PartitionPage[] = [];
  readonly titles: string[][] = [];
  override async openPartition(options: PartitionOptions): Promise<PartitionPage> {
    const page = await super.openPartition(options);
    const titles: string[] = [];
    const setTitle = page.setTitle?.bind(page);
    if (setTitle) {
      page.setTitle = (title) => {
        titles.push(title);
        return setTitle(title);
      };
    }
    this.opened.push(options);
    this.pages.push(page);
    this.titles.push(titles);
    return page;
  }
}

let harness: ConsoleHarness<RecordingHost>;
let host: RecordingHost;
let page: Page;
let dataDir: string;

beforeAll(async () => {
  harness = await openConsoleHarness({
    tempPrefix: 'usher-e2e-seed003-',
    host: () => new RecordingHost({ siteBrowsers: WORKER_SITE_BROWSERS }),
    timeoutMs: 60_000,
  });
  ({ host, page, dataDir } = harness);
}, 120_000);

afterAll(() => harness?.close());

/** The text of the table cell for a tab's request in a case. */
async function cell(tab: 1 | 2, request: string, column: 3 | 4): Promise<string> {
  const row = page
    .getByRole('table', { name: /one shared partition against two isolated ones/ })
    .locator('tbody tr')
    // By the row header: the reasons in tab 1's cells mention tab 2.
    .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^Tab ${tab} `) }) })
    .filter({ has: page.getByRole('cell', { name: request, exact: true }) });
  return (await row.locator(`td:nth-child(${column})`).textContent()) ?? '';
}

describe('seed 003 in the console, in real Chromium partitions', () => {
  it('the shared partition reproduces the failure; isolated partitions do not', async () => {
    await harness.showSection('Two tabs, one cookie jar');
    expect(await page.getByLabel('User of tab 1').inputValue()).toBe('MASHUP\\a1-sales');
    expect(await page.getByLabel('App of tab 2').inputValue()).toBe('a2-finance');
    expect(await page.getByLabel('Virtual proxy').inputValue()).toBe('ticket');

    await page.getByRole('button', { name: 'Run side by side' }).click();
    const status = page.getByRole('status').filter({ hasText: /Seed 003 reproduced|did not behave/ });
    await status.waitFor({ timeout: 120_000 });
    expect(await status.textContent()).toBe(
      "✓ Seed 003 reproduced: in one shared jar the second ticket breaks tab 1's HTTP requests while its WebSocket keeps working; in isolated partitions both tabs work.",
    );

    // The page's own WebSocket (Chromium's, with the partition's cookie and the csrf token): tab 1's keeps
    // working as MASHUP\a1-sales in the shared partition, though the jar's cookie is now a2-finance's.
    for (const request of ['App opened and selections made over the WebSocket', 'Export started over the WebSocket']) {
      expect(await cell(1, request, 3)).toMatch(
        /^✓ Succeeded \(WebSocket\) — as expected.*as MASHUP\\a1-sales, though the jar's cookie now belongs to MASHUP\\a2-finance/,
      );
      for (const [tab, column] of [
        [2, 3],
        [1, 4],
        [2, 4],
      ] as const)
        expect(await cell(tab, request, column)).toMatch(/^✓ Succeeded \(WebSocket\) — as expected/);
    }
    for (const request of ['App page', 'Content-library image', 'Export file downloaded']) {
      // One shared partition: tab 1 now runs as MASHUP\a2-finance and is refused; tab 2 works.
      expect(await cell(1, request, 3)).toMatch(/^✗ Failed \((403|no answer)\) — as expected.*MASHUP\\a2-finance/);
      expect(await cell(2, request, 3)).toMatch(/^✓ Succeeded \(200\) — as expected/);
      // Two isolated partitions: both tabs work.
      expect(await cell(1, request, 4)).toMatch(/^✓ Succeeded \(200\) — as expected.*MASHUP\\a1-sales/);
      expect(await cell(2, request, 4)).toMatch(/^✓ Succeeded \(200\) — as expected.*MASHUP\\a2-finance/);
    }
    expect(await cell(1, 'Content-library image', 3)).toContain(
      '403: the jar\'s session cookie now belongs to MASHUP\\a2-finance, who may not open app "a1-sales"',
    );
    await page.getByRole('heading', { level: 2, name: 'One shared partition: as seed 003 predicts' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Two isolated partitions: as seed 003 predicts' }).waitFor();
    await harness.shot('11-seed-003');

    // Real partitions: both shared-case windows in one partition, the isolated ones in two others.
    const ids = host.opened.map((o) => o.partitionId);
    expect(ids).toHaveLength(4);
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(3);
    expect(host.opened.every((o) => o.downloadsDir?.startsWith(dataDir))).toBe(true);
    // Each window's title named its user once the login was made: both shared-case windows end as
    // MASHUP\a2-finance (one jar, one session cookie), each isolated window as its own user.
    const lastTitles = host.titles.map((t) => t.at(-1) ?? '');
    expect(lastTitles.map((t) => /(MASHUP\\[a-z0-9-]+|no login yet) - /.exec(t)?.[1])).toEqual([
      'MASHUP\\a2-finance',
      'MASHUP\\a2-finance',
      'MASHUP\\a1-sales',
      'MASHUP\\a2-finance',
    ]);
    // The run ended its sessions and closed its windows: nothing of it holds a Qlik session any more.
    expect(host.pages.every((p) => p.url() === '')).toBe(true);
  });

  it('opens the two tabs side by side in windows that stay open, in one partition or a partition each', async () => {
    await harness.showSection('Two tabs, one cookie jar');
    /** Clicks `button`, waits for both windows, and answers them with whom each window's session is now. */
    async function openBoth(button: string): Promise<Array<{ partitionId: string; url: string; user: unknown }>> {
      const before = host.opened.length;
      await page.getByRole('button', { name: button }).click();
      await page.getByText(/^Opened app A and then app B in /).waitFor({ timeout: 60_000 });
      const windows = host.pages.slice(before);
      expect(windows).toHaveLength(2);
      return Promise.all(
        windows.map(async (w, i) => ({
          partitionId: host.opened[before + i]!.partitionId,
          url: w.url(),
          user: (await w.fetchJson(new URL('/ticket/qps/user', w.url()).href)).body,
        })),
      );
    }
    const shared = await openBoth('Open side by side in one partition');
    await harness.shot('11b-seed-003-side-by-side');
    expect(shared[0]!.partitionId).toBe(shared[1]!.partitionId);
    expect(shared.map((w) => new URL(w.url).pathname)).toEqual(['/ticket/sense/app/a1-sales', '/ticket/sense/app/a2-finance']);
    // Seed 003 in the windows a person looks at: tab 1's window now runs as MASHUP\a2-finance.
    for (const w of shared) expect(w.user).toMatchObject({ userDirectory: 'MASHUP', userId: 'a2-finance' });

    const isolated = await openBoth('Open side by side, a partition each');
    expect(isolated[0]!.partitionId).not.toBe(isolated[1]!.partitionId);
    expect(isolated.map((w) => w.user)).toEqual([
      expect.objectContaining({ userDirectory: 'MASHUP', userId: 'a1-sales' }),
      expect.objectContaining({ userDirectory: 'MASHUP', userId: 'a2-finance' }),
    ]);
  });
});
