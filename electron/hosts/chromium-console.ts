// The console window of the chromium host: the built renderer served on 127.0.0.1 (console-server.ts),
// opened in a Chromium app window, reaching the router through an exposed binding (console-bridge.ts).
// The same renderer and router as under Electron; only the transport differs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { EVENTS, type Channel, type EventName, type EventTypes } from '../../shared/ipc/contract';
import { createRouter, type Handlers, type SenderInfo } from '../ipc/router';
import { bridgeScript, EMIT_FUNCTION, FILE_PATH_BINDING, FILE_REGISTRY, INVOKE_BINDING } from './console-bridge';
import { startConsoleServer } from './console-server';
import { chromiumLaunchOptions } from './chromium-launch';
import { placementArgs, placementFromBounds, readWindowPlacement, writeWindowPlacement, type WindowPlacement } from './console-window-state';
import type { ChromiumHost } from './chromium-host';

export interface ConsoleEventSource {
  on<E extends EventName>(event: E, listener: (payload: EventTypes[E]) => void): () => void;
}

export interface ChromiumConsoleOptions {
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  handlers: Handlers;
  events?: ConsoleEventSource;
  /** Default true; `npm start` opens a window. */
  headless?: boolean;
  executablePath?: string;
  /** The partition host, so clipboard writes can also reach the console window's clipboard. */
  host?: ChromiumHost;
  /** Unexpected handler failures (the router answers INTERNAL to the page). */
  onError?: (channel: Channel, err: unknown) => void;
  /** The page size when there is no windowStateFile; default 1280x800. */
  viewport?: { width: number; height: number };
  /** A window's place and size are kept in this file (in the data folder) and restored from it. */
  windowStateFile?: string;
  /**
   * A running headless browser to open the console in, as a context of its own (closed with the
   * console; the browser stays). The end-to-end tests open a console per file: one browser a worker
   * saves a launch each. Without it (`npm start`, the bench) the console is a browser of its own.
   */
  browser?: Browser;
}

export interface ChromiumConsole {
  readonly page: Page;
  /** `http://127.0.0.1:PORT`: the only origin the router answers. */
  readonly origin: string;
  /** Settles when the window is closed, by the user or by close(). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/** Only the console's own top-level page may call: its page id, its frame, its origin. */
export function consoleSenderCheck(pageId: string, origin: string): (sender: SenderInfo) => boolean {
  return (sender) => {
    if (sender.kind !== 'chromium' || sender.pageId !== pageId) return false;
    try {
      return new URL(sender.url).origin === origin;
    } catch {
      return false;
    }
  };
}

export async function openChromiumConsole(options: ChromiumConsoleOptions): Promise<ChromiumConsole> {
  const server = await startConsoleServer(options.rendererDir);
  const origin = server.origin;
  const pageId = randomUUID();
  const router = createRouter({ handlers: options.handlers, isTrustedSender: consoleSenderCheck(pageId, origin), onError: options.onError });
  const headless = options.headless ?? true;
  const viewport = options.viewport ?? { width: 1280, height: 800 };
  // With a state file the window is sized like a person's (remembered or default); without one (tests,
  // the bench) the page gets a fixed viewport so screenshots and timings compare.
  const stateFile = options.windowStateFile;
  const placement = stateFile ? readWindowPlacement(stateFile) : undefined;
  const sizeArgs = stateFile ? placementArgs(placement) : [`--window-size=${viewport.width},${viewport.height}`];
  const unsubscribe: Array<() => void> = [];
  let context: BrowserContext | undefined;
  let profileDir: string | undefined;
  let stopTracking = async (): Promise<void> => undefined;

  const cleanup = async (): Promise<void> => {
    await stopTracking();
    for (const off of unsubscribe.splice(0)) off();
    options.host?.setClipboardPage(undefined);
    await context?.close().catch(() => undefined);
    await server.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  };

  try {
    if (options.browser) {
      context = await options.browser.newContext({ viewport, acceptDownloads: false, serviceWorkers: 'block' });
    } else {
      // A throwaway profile: the console keeps nothing in the browser; the main process owns the truth.
      profileDir = mkdtempSync(join(tmpdir(), 'usher-console-'));
      context = await launchConsoleWindow(profileDir, options, headless && !stateFile ? viewport : null, sizeArgs);
    }
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin }).catch(() => undefined);

    // Nothing but the console's own origin loads in this window: no navigation away, no other requests.
    await context.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort('blockedbyclient')));
    // The --app window's page may be announced just after launch: wait for it rather than open another
    // (context.newPage() would be an ordinary browser window). In a given (headless) browser, a new page.
    const page = options.browser ? await context.newPage() : (context.pages()[0] ?? (await context.waitForEvent('page', { timeout: 15_000 })));
    context.on('page', (extra) => {
      if (extra !== page) void extra.close().catch(() => undefined);
    });

    await page.exposeBinding(INVOKE_BINDING, (source, channel: unknown, payload: unknown) => {
      // The binding is visible in every frame; only the main frame can carry the console's page id.
      const sender: SenderInfo = { kind: 'chromium', pageId: source.frame === page.mainFrame() ? pageId : `${pageId}:subframe`, url: source.frame.url() };
      return router.dispatch(sender, channel, payload);
    });
    await page.exposeBinding(FILE_PATH_BINDING, (source, id: unknown) => {
      if (source.frame !== page.mainFrame()) throw new Error('usherFiles is for the console page only');
      return filePathOf(page, id);
    });
    await page.addInitScript({ content: bridgeScript(origin) });

    for (const event of EVENTS) {
      unsubscribe.push(
        options.events?.on(event, (payload) => {
          if (page.isClosed()) return;
          // A page mid-reload misses the event; it asks for fresh state when it loads anyway.
          void page
            .evaluate(([fn, name, data]) => (globalThis as unknown as Record<string, (e: string, p: unknown) => void>)[fn]?.(name, data), [
              EMIT_FUNCTION,
              event,
              payload,
            ] as const)
            .catch(() => undefined);
        }) ?? (() => undefined),
      );
    }
    options.host?.setClipboardPage(page);

    await page.goto(`${origin}/`, { waitUntil: 'load' });
    if (stateFile) stopTracking = await trackPlacement(context, page, stateFile, placement);

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => (closing ??= cleanup());
    const closed = new Promise<void>((resolve) => {
      page.once('close', () => void close().then(resolve));
      context?.once('close', () => void close().then(resolve));
    });
    return { page, origin, closed, close };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** The console's own browser: one app window (no tabs, no address bar) on the throwaway profile `profileDir`. */
function launchConsoleWindow(
  profileDir: string,
  options: ChromiumConsoleOptions,
  viewport: { width: number; height: number } | null,
  sizeArgs: string[],
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    ...chromiumLaunchOptions({
      executablePath: options.executablePath,
      headless: options.headless ?? true,
      // An app window; it starts blank so the bridge is in place before the UI loads.
      extraArgs: ['--app=data:text/html,', ...sizeArgs],
    }),
    // Playwright opens a persistent context on a plain about:blank tab; with that URL on the command line
    // Chromium ignores --app and shows an ordinary browser window (tabs, address bar).
    ignoreDefaultArgs: ['about:blank'],
    viewport,
    acceptDownloads: false,
    serviceWorkers: 'block',
  });
}

/**
 * Keeps the window's place and size in `file` while it is open. Chromium tells no one when a window
 * moves, so its bounds are read once a second (a local CDP call) and written only when they changed;
 * the returned stop() reads them a last time, for a window closed from here (Ctrl-C) just after a move.
 */
/**
 * The path on disk of the File the console page registered as `id` (a dropped or chosen file): Chromium
 * knows it (DevTools' DOM.getFileInfo), the page does not. A File the page made itself has none: ''.
 * The path is only a name: certs.inspect reads and checks the files in the main process.
 */
async function filePathOf(page: Page, id: unknown): Promise<string> {
  if (typeof id !== 'number' || !Number.isInteger(id)) throw new Error('usherFiles: a registered file number was expected');
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result } = (await cdp.send('Runtime.evaluate', { expression: `globalThis[${JSON.stringify(FILE_REGISTRY)}]?.get(${id})` })) as {
      result: { objectId?: string };
    };
    if (!result.objectId) throw new Error('usherFiles: no such file');
    const { path } = (await cdp.send('DOM.getFileInfo', { objectId: result.objectId })) as { path: string };
    return path;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

async function trackPlacement(context: BrowserContext, page: Page, file: string, initial: WindowPlacement | undefined): Promise<() => Promise<void>> {
  const cdp = await context.newCDPSession(page);
  const { windowId } = (await cdp.send('Browser.getWindowForTarget')) as { windowId: number };
  let kept = initial;
  const read = (): Promise<void> =>
    cdp
      .send('Browser.getWindowBounds', { windowId })
      .then(({ bounds }) => {
        const next = placementFromBounds(bounds, kept);
        if (!next || JSON.stringify(next) === JSON.stringify(kept)) return;
        kept = next;
        writeWindowPlacement(file, next);
      })
      .catch(() => undefined); // the window is gone already: what was kept last stands
  const timer = setInterval(() => void read(), 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await read();
  };
}
