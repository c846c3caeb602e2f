// What the console's end-to-end tests share: a chromium host, the console backend on a temporary data
// folder with an in-memory keychain, the console opened in real Chromium on the renderer as built, the
// screenshot and navigation helpers, and the teardown. Each test file keeps its own host subclass,
// backend options and stand-ins; screenshots go to test-artifacts/screenshots/ (git-ignored) when
// pictures are asked for (SAVE_SHOTS).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createConsoleBackend, type ConsoleBackend, type ConsoleBackendOptions } from '../../electron/app/console-backend';
import { MemoryKeychain } from '../../electron/core/vault';
import { openChromiumConsole, type ChromiumConsole } from '../../electron/hosts/chromium-console';
import { ChromiumHost } from '../../electron/hosts/chromium-host';
import { findChromium } from '../../electron/hosts/chromium-launch';
import { RENDERER_DIST, ROOT } from '../../scripts/build-api';
import { testPki } from '../support/test-site';
import { consoleBrowser, WORKER_SITE_BROWSERS } from './worker-browsers';

export const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
/**
 * Whether the e2e tests save their pictures: `npm run shots` (the `shots` project, USHER_SHOTS=1) does,
 * `npm test` does not. The pictures are for a person to look at, no test reads them, and taking them
 * (the window resized per picture, Chromium encoding each PNG) was a tenth of the e2e project's CPU.
 */
export const SAVE_SHOTS = process.env.USHER_SHOTS === '1';
export const VIEWPORT = { width: 1280, height: 800 };

export interface ConsoleHarnessOptions<H extends ChromiumHost> {
  /** Prefix of the temporary data folder, e.g. 'usher-e2e-inspector-'. */
  tempPrefix: string;
  /** The page's default timeout for actions and waits, in milliseconds. */
  timeoutMs: number;
  /**
   * The host the backend opens partitions in (given the data folder); give it WORKER_SITE_BROWSERS as
   * siteBrowsers. Default: a plain ChromiumHost on those.
   */
  host?: (dataDir: string) => H;
  /**
   * Backend options beyond the data folder, host, host kind and keychain (always a MemoryKeychain). The
   * demo site's PKI defaults to the run's shared test PKI (testPki()): its three RSA keys cost a second.
   */
  backend?: Omit<ConsoleBackendOptions, 'dataDir' | 'host' | 'hostKind' | 'keychain'>;
}

export interface ConsoleHarness<H extends ChromiumHost = ChromiumHost> {
  readonly dataDir: string;
  readonly host: H;
  readonly backend: ConsoleBackend;
  readonly consoleWindow: ChromiumConsole;
  readonly page: Page;
  /** Saves the console window as test-artifacts/screenshots/<name>.png, the whole of the current section (SAVE_SHOTS). */
  shot(name: string): Promise<void>;
  /**
   * Opens a section from the console's navigation and waits for its level-1 heading named `heading`
   * (by default the section's title); with `heading` null, for the first level-1 heading of any name.
   */
  showSection(title: string, heading?: string | null): Promise<void>;
  /** Closes the console window, the backend and the host, and removes the data folder. */
  close(): Promise<void>;
}

/** Starts the host, the backend and the console window; on a failure, closes what it had started. */
export async function openConsoleHarness<H extends ChromiumHost = ChromiumHost>(options: ConsoleHarnessOptions<H>): Promise<ConsoleHarness<H>> {
  // The chromium host needs an installed browser; CI installs Debian's chromium (.ci/run).
  if (!findChromium()) throw new Error('No Chrome/Chromium found: apt-get install chromium, or set USHER_CHROMIUM.');
  if (SAVE_SHOTS) mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), options.tempPrefix));
  let host: H | undefined;
  let backend: ConsoleBackend | undefined;
  let consoleWindow: ChromiumConsole | undefined;
  const close = async (): Promise<void> => {
    await consoleWindow?.close();
    await backend?.close();
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    host = options.host ? options.host(dataDir) : (new ChromiumHost({ siteBrowsers: WORKER_SITE_BROWSERS }) as H);
    backend = await createConsoleBackend({ demoPki: testPki(), ...options.backend, dataDir, host, hostKind: 'chromium', keychain: new MemoryKeychain() });
    const browser = await consoleBrowser();
    consoleWindow = await openChromiumConsole({
      rendererDir: RENDERER_DIST,
      handlers: backend.handlers,
      events: backend.events,
      host,
      viewport: VIEWPORT,
      browser,
    });
  } catch (err) {
    await close();
    throw err;
  }
  const page = consoleWindow.page;
  page.setDefaultTimeout(options.timeoutMs);

  return {
    dataDir,
    host,
    backend,
    consoleWindow,
    page,
    async shot(name) {
      if (!SAVE_SHOTS) return;
      // The console scrolls inside its main pane (the window itself never does), so a full-page capture
      // would cut the section off: the window is made as tall as the section for the picture instead.
      const overflow = await page.locator('#main').evaluate((el: { scrollHeight: number; clientHeight: number }) => el.scrollHeight - el.clientHeight);
      await page.setViewportSize({ width: VIEWPORT.width, height: Math.min(4000, VIEWPORT.height + Math.max(0, overflow)) });
      await page.screenshot({ path: join(SHOTS, `${name}.png`) });
      await page.setViewportSize(VIEWPORT);
    },
    async showSection(title, heading = title) {
      // In a narrow window the navigation is folded behind the header's Menu button.
      const menu = page.getByRole('button', { name: 'Menu' });
      if (await menu.isVisible()) await menu.click();
      await page.getByRole('navigation', { name: 'Console' }).getByRole('button', { name: title, exact: true }).click();
      if (heading === null) await page.getByRole('heading', { level: 1 }).first().waitFor();
      else await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    },
    close,
  };
}
