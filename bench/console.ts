// The console's figures: (d) gzipped size of the renderer's JS, (e) chromium host launch -> console
// interactive, (f) "Open" -> an established session in a new partition. Medians over several runs; the
// first run of (f) also launches the partition browser, so it is reported on its own as the cold figure.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { createConsoleBackend } from '../electron/app/console-backend';
import { MemoryKeychain } from '../electron/core/vault';
import { openChromiumConsole } from '../electron/hosts/chromium-console';
import { ChromiumHost } from '../electron/hosts/chromium-host';
import { findChromium } from '../electron/hosts/chromium-launch';
import { buildIfStale, RENDERER_DIST } from '../scripts/build-api';
import { median, round } from './stats';

export interface ConsoleFigures {
  rendererJsGzipKb: number;
  rendererJsRawKb: number;
  /** Absent when no Chrome/Chromium/Edge is installed. */
  launchToInteractiveMs?: number;
  openToEstablishedMs?: number;
  openToEstablishedColdMs?: number;
  backendStartMs?: number;
  runs?: number;
}

function bundleSize(): { gzip: number; raw: number } {
  const assets = join(RENDERER_DIST, 'assets');
  let gzip = 0;
  let raw = 0;
  for (const name of readdirSync(assets).filter((n) => n.endsWith('.js'))) {
    const bytes = readFileSync(join(assets, name));
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { gzip, raw };
}

/** Interactive = the demo site is selected in the sidebar: app state and profiles arrived over the bridge. */
async function waitInteractive(page: Page): Promise<void> {
  await page.locator('nav[aria-label="Console"] button[aria-current="true"]').first().waitFor({ timeout: 30_000 });
}

async function openOnce(page: Page, userId: string): Promise<number> {
  await page.getByLabel('User id').fill(userId);
  await page.getByRole('button', { name: 'Request ticket' }).click();
  await page.getByRole('heading', { name: `Ticket for DEMO\\${userId}` }).waitFor({ timeout: 30_000 });
  const started = performance.now();
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Session established' }).waitFor({ timeout: 30_000 });
  return performance.now() - started;
}

export async function benchConsole(runs: number): Promise<ConsoleFigures> {
  await buildIfStale(['renderer'], { quiet: true });
  const size = bundleSize();
  const figures: ConsoleFigures = { rendererJsGzipKb: round(size.gzip / 1024, 1), rendererJsRawKb: round(size.raw / 1024, 1) };
  if (!findChromium()) return figures;

  const dataDir = mkdtempSync(join(tmpdir(), 'usher-bench-console-'));
  const host = new ChromiumHost();
  let started = performance.now();
  const backend = await createConsoleBackend({ dataDir, host, hostKind: 'chromium', keychain: new MemoryKeychain() });
  figures.backendStartMs = round(performance.now() - started, 0);
  try {
    const launches: number[] = [];
    for (let i = 0; i < runs; i++) {
      started = performance.now();
      const win = await openChromiumConsole({ rendererDir: RENDERER_DIST, handlers: backend.handlers, events: backend.events, host });
      await waitInteractive(win.page);
      launches.push(performance.now() - started);
      await win.close();
    }

    const win = await openChromiumConsole({ rendererDir: RENDERER_DIST, handlers: backend.handlers, events: backend.events, host });
    try {
      await waitInteractive(win.page);
      await win.page.locator('nav[aria-label="Console"]').getByRole('button', { name: 'Log in as', exact: true }).click();
      await win.page.getByLabel('User directory').fill('DEMO');
      await win.page.getByLabel('Virtual proxy').selectOption('ticket');
      const cold = await openOnce(win.page, 'alice');
      const opens: number[] = [];
      for (let i = 0; i < runs; i++) opens.push(await openOnce(win.page, i % 2 === 0 ? 'bob' : 'alice'));
      figures.openToEstablishedColdMs = round(cold, 0);
      figures.openToEstablishedMs = round(median(opens), 0);
    } finally {
      await win.close();
    }
    figures.launchToInteractiveMs = round(median(launches), 0);
    figures.runs = runs;
  } finally {
    await backend.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

/** Table rows in bench/main.ts's format: [what, figure, note]. */
export function consoleRows(f: ConsoleFigures): Array<[string, string, string]> {
  const rows: Array<[string, string, string]> = [['(d) renderer JS, gzipped', `${f.rendererJsGzipKb} KB`, `${f.rendererJsRawKb} KB raw; aim < 250 KB`]];
  if (f.launchToInteractiveMs === undefined) {
    rows.push(['(e)/(f) console in Chromium', 'skipped', 'no Chrome/Chromium/Edge installed (USHER_CHROMIUM)']);
    return rows;
  }
  rows.push([
    '(e) chromium host launch -> interactive',
    `${f.launchToInteractiveMs} ms`,
    `median of ${f.runs}; backend + demo site start ${f.backendStartMs} ms more; aim < 2000 ms`,
  ]);
  rows.push([
    '(f) Open -> session in new partition',
    `${f.openToEstablishedMs} ms`,
    `median of ${f.runs}; first (launches the partition browser) ${f.openToEstablishedColdMs} ms; aim < 1000 ms`,
  ]);
  return rows;
}
