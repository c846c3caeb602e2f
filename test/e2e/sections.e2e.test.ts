// Every section of the console in real Chromium on the demo site, light and dark: axe-core finds no
// accessibility violation. `npm run shots` also saves each section at 1280x800 and 800x600 under
// test-artifacts/sections/ (git-ignored) for a person to look at.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/build-api';
import { openConsoleHarness, SAVE_SHOTS, VIEWPORT, type ConsoleHarness } from './console-harness';

const AXE = createRequire(join(ROOT, 'package.json')).resolve('axe-core/axe.min.js');
const FOLDER = join(ROOT, 'test-artifacts', 'sections');
const SIZES = [VIEWPORT, { width: 800, height: 600 }] as const;

interface Violation {
  id: string;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

let harness: ConsoleHarness;
let page: Page;
let sections: string[];

beforeAll(async () => {
  if (SAVE_SHOTS) mkdirSync(FOLDER, { recursive: true });
  harness = await openConsoleHarness({ tempPrefix: 'usher-e2e-sections-', timeoutMs: 15_000 });
  page = harness.page;
  // Evaluated through the DevTools protocol: the console's CSP (rightly) refuses an injected <script>.
  await page.evaluate(readFileSync(AXE, 'utf8'));
  // Content for the lists: tickets opened for alice write the audit log (its Why is a long reason). The
  // second user id is as long as a real one (a mail address): the User column does not wrap, so only a
  // long id squeezes the Why column the way defect 2 did; with `alice` alone the layout had room to spare.
  const { backend } = harness;
  for (const userId of ['alice', 'alice.johnson@demo.example.com']) {
    const ticket = await backend.handlers['tickets.request']({
      profileId: 'demo',
      virtualProxy: 'ticket',
      userDirectory: 'DEMO',
      userId,
      attributes: [],
      reason: 'sections e2e: a reason as long as a person would write it',
    });
    await backend.handlers['tickets.open']({ ticketId: ticket.ticketId, target: { kind: 'hub' } });
  }
  const nav = page.getByRole('navigation', { name: 'Console' });
  await nav.getByRole('button', { name: /demo/ }).first().waitFor();
  sections = await nav.getByRole('list', { name: 'Sections' }).getByRole('button').allTextContents();
  if (SAVE_SHOTS) await savePictures();
}, 120_000);

/**
 * Each section at 1280x800 and 800x600, light and dark, under test-artifacts/sections/: pictures for a
 * person (no check reads them), made by `npm run shots`, not by `npm test`. Each section is opened once and
 * pictured in all four ways (a scheme and a size are a style and a layout away).
 */
async function savePictures(): Promise<void> {
  for (const section of sections) {
    await page.setViewportSize(VIEWPORT);
    await harness.showSection(section, null);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const size of SIZES) {
        await page.setViewportSize(size);
        await page.screenshot({ path: join(FOLDER, `${fileName(section)}-${size.width}x${size.height}-${scheme}.png`) });
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(VIEWPORT);
}

afterAll(() => harness?.close());

/** axe-core's violations on the page as it is, one line each (rule, help, the elements it names). */
async function violations(): Promise<string[]> {
  const found = await page.evaluate(async () => {
    const page = globalThis as unknown as { document: unknown; axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> } };
    const result = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return found.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.help}): ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`));
}

/** Table regions and cells in the main pane whose content is wider than they are (cut off or scrolled). */
async function clippedInMain(): Promise<string[]> {
  return page.locator('#main').evaluate((main: { querySelectorAll(s: string): Iterable<unknown> }) =>
    [
      ...(main.querySelectorAll('td, th, .virtual-region') as Iterable<{
        scrollWidth: number;
        clientWidth: number;
        tagName: string;
        textContent: string | null;
      }>),
    ]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.tagName.toLowerCase()} "${(el.textContent ?? '').slice(0, 40)}": ${el.scrollWidth} px in ${el.clientWidth} px`),
  );
}

function fileName(section: string): string {
  return section.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

describe('every section', () => {
  it('lists the sections from the navigation', () => {
    expect(sections.length).toBeGreaterThanOrEqual(9);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no axe violation in ${scheme} mode`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      const found: string[] = [];
      for (const section of sections) {
        await harness.showSection(section, null);
        found.push(...(await violations()).map((v) => `${section}: ${v}`));
      }
      expect(found).toEqual([]);
    });
  }

  it('gives a narrow window its whole width: the sidebar folds behind Menu, the status bar stays one line', async () => {
    await page.setViewportSize({ width: 800, height: 600 });
    try {
      const nav = page.getByRole('navigation', { name: 'Console' });
      const menu = page.getByRole('button', { name: 'Menu' });
      await expect.poll(() => nav.isVisible()).toBe(false);
      expect(await page.locator('#main').evaluate((el: { clientWidth: number }) => el.clientWidth)).toBeGreaterThanOrEqual(760);
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await nav.getByRole('button', { name: 'Audit', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
      await expect.poll(() => nav.isVisible()).toBe(false);
      const footer = page.getByRole('contentinfo', { name: 'Status' });
      expect(await footer.evaluate((el: { getBoundingClientRect(): { height: number } }) => el.getBoundingClientRect().height)).toBeLessThan(40);
    } finally {
      await page.setViewportSize(VIEWPORT);
    }
  });

  it('fits every section in an 800x600 window: nothing runs off to the right', async () => {
    await page.setViewportSize({ width: 800, height: 600 });
    try {
      const wide: string[] = [];
      for (const section of sections) {
        await harness.showSection(section, null);
        // The Sessions table fills in once its refresh is back: its lines are what is measured there.
        if (section === 'Sessions') await page.locator('table.session-table tr.session-line').first().waitFor();
        const [scroll, client] = await page.locator('#main').evaluate((el: { scrollWidth: number; clientWidth: number }) => [el.scrollWidth, el.clientWidth]);
        if (scroll! > client! + 1) wide.push(`${section}: ${scroll} px of content in ${client} px`);
        // Nor inside: a table region that scrolls sideways, or a cell cut off with an ellipsis, hides a column's words.
        wide.push(...(await clippedInMain()).map((cut) => `${section}: ${cut}`));
      }
      expect(wide).toEqual([]);
    } finally {
      await page.setViewportSize(VIEWPORT);
    }
  });

  it("gives the audit log's Why column room at 1280x800: rows stay a few lines tall", async () => {
    await page.setViewportSize(VIEWPORT);
    await harness.showSection('Audit');
    const table = page.getByRole('table', { name: /Audit log/ });
    await table.getByRole('row').nth(1).waitFor();
    const why = await table
      .getByRole('columnheader', { name: 'Why' })
      .evaluate((el: { getBoundingClientRect(): { width: number } }) => el.getBoundingClientRect().width);
    expect(why).toBeGreaterThanOrEqual(200);
    const heights = await table
      .getByRole('row')
      .evaluateAll((rows: Array<{ getBoundingClientRect(): { height: number } }>) => rows.map((r) => r.getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThan(120);
  });
});
