// The exports in real Chromium on the demo site (the chromium host: no save dialog, files go into the
// downloads folder and the console names them): the checks as Markdown and JUnit, the audit log as CSV,
// the request log as HAR. Each file is found by the path the console shows and read by its tool's parser;
// axe finds nothing wrong with the buttons and their status, light or dark.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/build-api';
import { harSchemaErrors } from '../support/har-schema';
import { openConsoleHarness, type ConsoleHarness } from './console-harness';

const AXE = createRequire(join(ROOT, 'package.json')).resolve('axe-core/axe.min.js');
const downloads = mkdtempSync(join(tmpdir(), 'usher-e2e-downloads-'));
let harness: ConsoleHarness;
let page: Page;

beforeAll(async () => {
  harness = await openConsoleHarness({ tempPrefix: 'usher-e2e-exports-', timeoutMs: 30_000, backend: { exportsDir: downloads } });
  page = harness.page;
  await page.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: /demo/ }).first().waitFor();
}, 120_000);

afterAll(async () => {
  await harness?.close();
  rmSync(downloads, { recursive: true, force: true });
});

/** Clicks the export button in its group, waits for the console to say where the file went, and reads it. */
async function exportFile(group: string, button: string): Promise<{ path: string; text: string; items: number }> {
  const target = page.getByRole('group', { name: group }).getByRole('button', { name: button });
  await target.click();
  // The line the button is described by: where the file went.
  const status = page.locator(`[id="${await target.getAttribute('aria-describedby')}"]`);
  expect(await status.getAttribute('aria-live')).toBe('polite');
  await expect.poll(() => status.textContent()).toMatch(/^Saved \d+ \S+ to /);
  const said = (await status.textContent())!.match(/^Saved (\d+) \S+ to (.+)$/)!;
  const path = said[2]!;
  expect(dirname(path)).toBe(downloads);
  return { path, text: readFileSync(path, 'utf8'), items: Number(said[1]) };
}

/** axe's violations on the section shown, light and dark. */
async function axeBothThemes(): Promise<string[]> {
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await page.evaluate(async () => {
      const g = globalThis as unknown as {
        document: unknown;
        axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }> }> };
      };
      const result = await g.axe.run(g.document, { resultTypes: ['violations'] });
      return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
    });
    found.push(...violations.map((v) => `${scheme}: ${v}`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

describe('exports from the demo site, saved into the downloads folder', () => {
  it('saves the checks as Markdown and JUnit that parse', async () => {
    await harness.showSection('Checks', null);
    await page.getByLabel('Probe authentication modules').uncheck();
    await page.getByRole('button', { name: 'Run the checks' }).click();
    const summary = (await page.getByRole('status').filter({ hasText: 'virtual proxies checked' }).textContent())!;
    const checked = Number(summary.match(/^(\d+) virtual proxies/)![1]);

    const md = await exportFile('Export the check results', 'Export Markdown');
    expect(md.path).toMatch(/usher-checks-demo-[\dT-]+\.md$/);
    expect(md.text).toMatch(new RegExp(`^\\*\\*${checked} virtual proxies checked: \\d+ errors`));
    expect(md.text.split('\n').filter((l) => /^\| (error|warning|info) \|/.test(l))).toHaveLength(md.items);

    const junit = await exportFile('Export the check results', 'Export JUnit');
    expect(XMLValidator.validate(junit.text)).toBe(true);
    const { testsuite } = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junit.text);
    expect(testsuite.tests).toBe(String(checked));
    expect(Number(testsuite.failures)).toBeGreaterThan(0);
    await harness.shot('exports-checks');
    expect(await axeBothThemes()).toEqual([]);
  });

  it('saves the audit log as CSV that parses, a formula neutralised', async () => {
    await harness.backend.handlers['tickets.request']({
      profileId: 'demo',
      virtualProxy: 'ticket',
      userDirectory: 'DEMO',
      userId: 'alice',
      attributes: [],
      reason: '@SUM(1+1)',
    });
    await harness.showSection('Audit');
    const csv = await exportFile('Export the audit log', 'Export CSV');
    const [header, ...rows] = parseCsv(csv.text, { bom: true }) as string[][];
    expect(header!.slice(0, 3)).toEqual(['Time', 'Action', 'Site']);
    expect(rows).toHaveLength(csv.items);
    expect(rows.find((r) => r[6] === 'alice')?.[7]).toBe("'@SUM(1+1)");
    await harness.shot('exports-audit');
    expect(await axeBothThemes()).toEqual([]);
  });

  it('saves the request log as HAR 1.2 that its schema accepts', async () => {
    await harness.showSection('Request log');
    const saved = await exportFile('Export the request log', 'Export HAR');
    const har = JSON.parse(saved.text);
    expect(harSchemaErrors(har)).toEqual([]);
    expect(har.log.entries).toHaveLength(saved.items);
    const ticket = har.log.entries.find((e: { request: { url: string } }) => e.request.url.includes('/qps/ticket/ticket'));
    expect(ticket).toMatchObject({ _site: 'demo', _service: 'qps', response: { status: 201 } });
    expect(ticket.response.headers.length).toBeGreaterThan(0);
    expect(ticket.response.content.text).toMatch(/"Ticket":\s*"[^"]{4}•+"/);
    await harness.shot('exports-request-log');
    expect(await axeBothThemes()).toEqual([]);
  });
});
