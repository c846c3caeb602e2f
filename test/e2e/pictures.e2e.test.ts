// The console's three pictures from live data, in real Chromium against the built-in demo site: the test
// ticket's sequence diagram after a trust check (its stages timed in the check), the partition map naming
// a logged-in user and drawing the shared jar two users logged in through as a conflict, and the node x
// virtual proxy grid counting what the session inspector lists, a user at the five-session limit marked.
// axe runs on each picture in light and dark; `npm run shots` saves each at 1280x800 and 800x600 under
// test-artifacts/screenshots/ (git-ignored) for a person to look at.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleBackend } from '../../electron/app/console-backend';
import { ChromiumHost } from '../../electron/hosts/chromium-host';
import { ROOT } from '../../scripts/build-api';
import type { LoginAsResult } from '../../shared/ipc/contract';
import { testPki } from '../support/test-site';
import { openConsoleHarness, SAVE_SHOTS, SHOTS, VIEWPORT, type ConsoleHarness } from './console-harness';
import { WORKER_SITE_BROWSERS } from './worker-browsers';

const AXE = createRequire(join(ROOT, 'package.json')).resolve('axe-core/axe.min.js');
const pki = testPki();
let harness: ConsoleHarness<ChromiumHost>;
let backend: ConsoleBackend;
let page: Page;

beforeAll(async () => {
  harness = await openConsoleHarness({
    tempPrefix: 'usher-e2e-pictures-',
    host: (dataDir) => new ChromiumHost({ partitionsDir: join(dataDir, 'browser-partitions'), siteBrowsers: WORKER_SITE_BROWSERS }),
    backend: { demoPki: pki },
    timeoutMs: 20_000,
  });
  ({ backend, page } = harness);
  // Through the DevTools protocol: the console's CSP (rightly) refuses an injected <script>.
  await page.evaluate(readFileSync(AXE, 'utf8'));
}, 120_000);

afterAll(() => harness?.close());

/** axe's violations inside `scope`, one line each, in the light and the dark scheme. */
async function axeBothThemes(scope: string): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await page.evaluate(async (selector: string) => {
      const g = globalThis as unknown as {
        document: { querySelector(s: string): unknown };
        axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }> }> };
      };
      const result = await g.axe.run(g.document.querySelector(selector), { resultTypes: ['violations'] });
      return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
    }, scope);
    found.push(...violations.map((v) => `${scheme}: ${v}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

/** The picture scrolled into view and saved at 1280x800 and 800x600, light and dark (as a person sees it). */
async function shots(name: string, picture: Locator): Promise<void> {
  if (!SAVE_SHOTS) return;
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of [VIEWPORT, { width: 800, height: 600 }]) {
      await page.setViewportSize(size);
      await picture.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `${name}-${size.width}x${size.height}-${scheme}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(VIEWPORT);
}

/** Log in as DEMO\\userId by ticket on /ticket (or as `as` says), in a new partition or the shared one. */
function loginAs(
  userId: string,
  partition?: { kind: 'shared' },
  as: { virtualProxy: string; method: 'header'; userDirectory: string } | undefined = undefined,
): Promise<LoginAsResult> {
  const how = as ?? { virtualProxy: 'ticket', method: 'ticket' as const, userDirectory: 'DEMO' };
  return backend.handlers['login.as']({ profileId: 'demo', ...how, userId, attributes: [], target: { kind: 'hub' }, ...(partition ? { partition } : {}) });
}

/** The texts of an SVG picture's parts matching `selector`. */
function texts(picture: Locator, selector: string): Promise<string[]> {
  return picture.locator(selector).allTextContents();
}

describe('the pictures from live data, in Chromium on the demo site', () => {
  it("draws the trust check's test ticket as a sequence diagram with the times the check measured", async () => {
    await harness.showSection('Trust', null);
    await page.getByRole('button', { name: "Use the demo site's export" }).click();
    await expect.poll(() => page.getByLabel('QPS base URL').inputValue()).toMatch(/^https:\/\/localhost:\d+/);
    await page.getByLabel('Also request and redeem a test ticket').check();
    await page.getByLabel('Test user directory').fill('DEMO');
    await page.getByLabel('Test user id').fill('trudy');
    await page.getByLabel('Test virtual proxy prefix').fill('ticket');
    await page.getByRole('button', { name: 'Inspect certificates' }).click();
    await page.getByRole('button', { name: 'Run the trust check' }).click();
    await page.getByText('The site trusts these certificates.').waitFor();
    const fold = page.getByText('Test ticket flow as a sequence diagram', { exact: true });
    await fold.click();
    const diagram = page.getByRole('img', { name: /^Test ticket flow/ });
    const arrows = await texts(diagram, '.flow-step');
    expect(arrows).toHaveLength(7);
    expect(arrows[0]).toMatch(/^1\. POST \/qps\/ticket\/ticket · \d+ ms$/);
    expect(arrows[2]).toMatch(/^3\. GET \/ticket\/hub\/\?qlikTicket=… · \d+ ms$/);
    expect(arrows[4]).toMatch(/^5\. 200 \+ Set-Cookie X-Qlik-Session-ticket$/);
    expect(arrows[5]).toMatch(/^6\. GET \/qps\/ticket\/session\/… → DEMO\\trudy · \d+ ms$/);
    expect(arrows[6]).toMatch(/^7\. DELETE \/qps\/ticket\/session\/… · \d+ ms$/);
    expect(await diagram.locator('.flow-step.flow-failed').count()).toBe(0);
    expect(await axeBothThemes('.folded-flow')).toEqual([]);
    await shots('30-picture-trust-flow', diagram);
  });

  it('names the user a Log in as made in the partition map, and draws the shared jar two users share as a conflict', async () => {
    const alice = await loginAs('alice');
    expect(alice.established).toBe(true);
    const first = await loginAs('sam', { kind: 'shared' });
    const second = await loginAs('tess', { kind: 'shared' });
    expect([first.established, second.established]).toEqual([true, true]);

    await harness.showSection('Partitions');
    await page.getByRole('button', { name: 'Refresh' }).click();
    const map = page.getByRole('img', { name: /^Partition map: .* \(1 conflicting jar\)/ });
    await map.waitFor();
    // alice's own jar: her cookie, its QPS session and her name, and no conflict.
    const plain = await texts(map, '.map-band:not(.map-band-conflict) .map-box');
    expect(plain).toContain('DEMO\\alice');
    expect(plain).toContain('X-Qlik-Session-ticket');
    // The shared jar: tess holds its one cookie, sam is drawn as replaced.
    const conflict = map.locator('.map-band-conflict');
    expect(await texts(conflict, '.map-box.map-conflict')).toEqual([
      '⚠ shared (seed 003)',
      '2 users, one cookie',
      'X-Qlik-Session-ticket',
      '⚠ DEMO\\sam (replaced)',
    ]);
    expect(await texts(conflict, '.map-box:not(.map-conflict)')).toContain('DEMO\\tess');
    // No cookie value reaches the picture: the shared jar's session cookie, read from the main process
    // here, appears nowhere in the console's page.
    const holders = await backend.partitions.sessionHolders();
    const value = [...holders].find(([, h]) => h.partitionId === second.partitionId)![0];
    expect(value).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.content()).not.toContain(value);
    await page.getByText('Partition map as a table').click();
    const row = page.getByRole('table', { name: 'Partition map' }).getByRole('row', { name: /^shared \(seed 003\)/ });
    expect(await row.textContent()).toContain('conflict: DEMO\\sam and DEMO\\tess share one jar on /ticket, every request runs as DEMO\\tess');
    expect(await axeBothThemes('.partition-map')).toEqual([]);
    await shots('31-picture-partition-map', map);
  });

  it('counts in the node x virtual proxy grid what the inspector lists, a user at the limit marked', async () => {
    for (let i = 0; i < 5; i++) expect((await loginAs('uma')).established).toBe(true);
    // A second virtual proxy: the grid gets a column per proxy the sessions are on.
    expect((await loginAs('carol', undefined, { virtualProxy: 'header', method: 'header', userDirectory: 'HEADER' })).established).toBe(true);
    await harness.showSection('Sessions');
    await page.getByRole('table', { name: /^Sessions by user/ }).waitFor();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const grid = page.getByRole('img', { name: /^Sessions per node and virtual proxy \(limit 5 per user\)/ });
    await grid.waitFor();
    // What the inspector lists, from the same backend call the section makes.
    const view = await backend.handlers['sessions.inspect']({ profileId: 'demo' });
    const expected = new Map<string, number>();
    for (const row of view.groups.flatMap((g) => g.rows))
      expected.set(`${row.nodeName} ${row.virtualProxy}`, (expected.get(`${row.nodeName} ${row.virtualProxy}`) ?? 0) + 1);
    await page.getByText(/^Sessions per node and virtual proxy \(limit 5 per user\) as a table$/).click();
    const table = page.getByRole('table', { name: /^Sessions per node and virtual proxy/ });
    const drawn = await table.evaluate((t: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }) => {
      const heads = Array.from(t.querySelectorAll('thead th')).map((h) => h.textContent ?? '');
      const rows = Array.from(t.querySelectorAll('tbody tr')) as unknown as Array<{ querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }>;
      return rows.map((r) => Array.from(r.querySelectorAll('th, td')).map((c) => c.textContent ?? '')).map((cells) => ({ heads, cells }));
    });
    const counted = new Map<string, number>();
    for (const { heads, cells } of drawn) {
      cells.slice(1).forEach((cell, i) => {
        const n = Number(/^(\d+) sessions?/.exec(cell)![1]);
        const vp = heads[i + 1] === '(default)' ? '' : heads[i + 1]!.slice(1);
        if (n > 0) counted.set(`${cells[0]} ${vp}`, n);
      });
    }
    expect(counted).toEqual(expected);
    expect(counted.get('central header')).toBe(1);
    const svgCounts = (await texts(grid, '.grid-count')).map(Number);
    expect(svgCounts.reduce((a, b) => a + b, 0)).toBe(view.groups.reduce((n, g) => n + g.rows.length, 0));
    // uma holds five sessions: the cells holding them say so in words.
    expect(await texts(grid, '.grid-limit')).toContain('⚠ limit: DEMO\\uma');
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /created by Usher/ })
        .textContent(),
    ).toMatch(new RegExp(`^${view.totalSessions} sessions `));
    expect(await axeBothThemes('.session-grid')).toEqual([]);
    await shots('32-picture-session-grid', grid);
  });
});
