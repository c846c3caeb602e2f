// The console by keyboard in real Chromium (the chromium host): the skip link is the first Tab stop and
// lands on the section heading, `g` then a key opens a section and the window title follows it, `?`
// opens the shortcuts dialog (Tab stays in it, Escape closes it, focus goes back), and the dialog and the
// shown skip link pass axe in light and dark.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/build-api';
import { openConsoleHarness, type ConsoleHarness } from './console-harness';

const AXE = createRequire(join(ROOT, 'package.json')).resolve('axe-core/axe.min.js');

let harness: ConsoleHarness;
let page: Page;

beforeAll(async () => {
  harness = await openConsoleHarness({ tempPrefix: 'usher-e2e-keys-', timeoutMs: 15_000 });
  page = harness.page;
  await page.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: /demo/ }).first().waitFor();
}, 120_000);

afterAll(() => harness?.close());

/** The focused element's role-ish description: tag and text, as a person would recognise it. */
const focused = () =>
  page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: { tagName: string; textContent: string | null } | null } }).document.activeElement;
    return el ? `${el.tagName.toLowerCase()}:${el.textContent ?? ''}` : '';
  });

async function axeViolations(): Promise<string[]> {
  // Evaluated through the DevTools protocol (the console's CSP refuses an injected <script>), after any reload.
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const found = await page.evaluate(async () => {
    const g = globalThis as unknown as {
      document: unknown;
      axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> };
    };
    return (await g.axe.run(g.document, { resultTypes: ['violations'] })).violations;
  });
  return found.map((v) => `${v.id}: ${JSON.stringify(v.nodes)}`);
}

describe('keyboard in Chromium', () => {
  it('offers Skip to content as the first Tab stop, shown when focused, landing on the heading', async () => {
    await page.reload();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('a:Skip to content');
    const box = await page.getByRole('link', { name: 'Skip to content' }).boundingBox();
    // On screen while focused (it hides above the window otherwise).
    expect(box?.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    expect(await focused()).toMatch(/^h1:/);
  });

  it('opens a section with g then its key, and the window title names it', async () => {
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await page.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();
    expect(await page.title()).toBe('Sessions - Usher');
    await page.keyboard.press('g');
    await page.keyboard.press('p');
    await page.getByRole('heading', { level: 1, name: 'Partitions' }).waitFor();
    expect(await page.title()).toBe('Partitions - Usher');
  });

  it('opens the shortcuts dialog with ?, keeps Tab inside, closes on Escape and gives focus back', async () => {
    const opener = page.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: 'Audit', exact: true });
    await opener.focus();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await focused()).toBe('button:Close');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button:Close');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await axeViolations()).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused()).toBe('button:Audit');
  });
});
