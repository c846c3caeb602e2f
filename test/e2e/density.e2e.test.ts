// How tall the dense sections are on the demo site at 1280x800 in real Chromium: the console scrolls in
// its main pane, so a section's height is that pane's scroll height once the section holds its results.
// Before the tables (measured here in Debian Chromium on the demo site of 2026-12-04, 22 virtual
// proxies, with the screens of main at f0a1d37): Trust 3,468 px, Checks 4,498 px, Partitions 2,405 px
// (three partitions). Each must now fit in at most half of that.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleBackend } from '../../electron/app/console-backend';
import { DEMO_MASHUP_ORIGIN } from '../../electron/simulator/demo-site';
import { ChromiumHost } from '../../electron/hosts/chromium-host';
import { testPki } from '../support/test-site';
import { openConsoleHarness, type ConsoleHarness } from './console-harness';
import { WORKER_SITE_BROWSERS } from './worker-browsers';

const pki = testPki();
let harness: ConsoleHarness<ChromiumHost>;
let backend: ConsoleBackend;
let page: Page;

beforeAll(async () => {
  harness = await openConsoleHarness({
    tempPrefix: 'usher-e2e-density-',
    host: (dataDir) => new ChromiumHost({ partitionsDir: join(dataDir, 'browser-partitions'), siteBrowsers: WORKER_SITE_BROWSERS }),
    backend: { demoPki: pki },
    timeoutMs: 30_000,
  });
  ({ backend, page } = harness);
  // The heights before were measured without the first-run guide the demo site now shows above each
  // section; a person hides it once ("Hide these steps", remembered), and the sections are compared
  // as they are then. The guide's own height is about 130 px.
  await harness.showSection('Trust', null);
  await page.getByRole('button', { name: 'Hide these steps' }).click();
}, 120_000);

afterAll(() => harness?.close());

const BEFORE = { trust: 3468, checks: 4498, partitions: 2405 };

/** The main pane's scroll height for the section shown, logged, and held to half of its height before. */
async function expectHalfOfBefore(section: keyof typeof BEFORE): Promise<void> {
  const height = await page.locator('#main').evaluate((el: { scrollHeight: number }) => el.scrollHeight);
  console.log(`${section}: ${height} px (before: ${BEFORE[section]} px, ceiling ${BEFORE[section] / 2} px)`);
  expect(height).toBeLessThanOrEqual(BEFORE[section] / 2);
}

describe('section heights on the demo site at 1280x800', () => {
  it('Trust, after the trust check', async () => {
    await harness.showSection('Trust', null);
    await page.getByRole('button', { name: "Use the demo site's export" }).click();
    await expect.poll(() => page.getByLabel('QPS base URL').inputValue()).toMatch(/^https:\/\/localhost:\d+/);
    await page.getByRole('button', { name: 'Inspect certificates' }).click();
    await page.getByRole('button', { name: 'Run the trust check' }).click();
    await page.getByText('The site trusts these certificates.').waitFor();
    await harness.shot('density-trust');
    await expectHalfOfBefore('trust');
  });

  it('Checks, after checking the demo site', async () => {
    await harness.showSection('Checks', null);
    await page.getByLabel('Mashup origin (optional)').fill(DEMO_MASHUP_ORIGIN);
    await page.getByRole('button', { name: 'Run the checks' }).click();
    await page.getByRole('status').filter({ hasText: 'virtual proxies checked' }).waitFor();
    await harness.shot('density-checks');
    await expectHalfOfBefore('checks');
  });

  it('Partitions, with three partitions', async () => {
    for (const userId of ['alice', 'bob', 'carol']) {
      const ticket = await backend.handlers['tickets.request']({ profileId: 'demo', virtualProxy: 'ticket', userDirectory: 'DEMO', userId, attributes: [] });
      await backend.handlers['tickets.open']({ ticketId: ticket.ticketId, target: { kind: 'hub' } });
    }
    await harness.showSection('Partitions');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/^3 partitions\.$/);
    await harness.shot('density-partitions');
    await expectHalfOfBefore('partitions');
  });
});
