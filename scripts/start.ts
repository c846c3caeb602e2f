// `npm start`: build the console and open it on the demo site. Electron when its binary is usable;
// otherwise (it cannot be downloaded on every machine) the chromium host on an installed Chrome, Chromium
// or Edge, said in one line. Both run the same renderer, router and backend.
//
//   npm start                 Electron, or the chromium host as a window (needs a display; Xvfb counts)
//   npm start -- --headless   the chromium host without a window (smoke tests)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createConsoleBackend } from '../electron/app/console-backend';
import { usherDataDir } from '../electron/core/paths';
import { openChromiumConsole, type ChromiumConsole } from '../electron/hosts/chromium-console';
import { ChromiumHost } from '../electron/hosts/chromium-host';
import { buildIfStale, RENDERER_DIST, ROOT } from './build-api';

const FALLBACK_LINE = "usher: Electron's binary is not available here; starting the console in Chromium instead";

/**
 * The Electron executable, if its npm package has one on disk. Read the way the package's own index does
 * (path.txt -> dist/<path>, or ELECTRON_OVERRIDE_DIST_PATH) but without require('electron'): that tries to
 * download the binary on the spot, which prints a stack and waits on the network where it cannot work.
 */
function electronBinary(): string | undefined {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const binary = override ? join(override, relative || 'electron') : relative ? join(dir, 'dist', relative) : undefined;
    return binary && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** Runs Electron on the built main process (dist/electron/main/index.js). */
function runElectron(binary: string): Promise<number> {
  // The project folder, so Electron reads package.json as a packaged app would: its `main`, and its
  // productName, which names the userData folder the CLI uses too (~/.config/Usher, ...).
  const child = spawn(binary, ['.'], { cwd: ROOT, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}

async function runChromium(headless: boolean): Promise<number> {
  if (!headless && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    process.stderr.write('usher: no display to open the console window on. Run it under Xvfb (xvfb-run -a npm start) or add -- --headless.\n');
    return 1;
  }
  // Persistent partitions keep their browser profile in the data folder, as Electron keeps `persist:` ones.
  const host = new ChromiumHost({ headless, partitionsDir: join(usherDataDir(), 'partitions') });
  const backend = await createConsoleBackend({ dataDir: usherDataDir(), host, hostKind: 'chromium' });
  let console_: ChromiumConsole | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await console_?.close().catch(() => undefined);
      await backend.close().catch(() => undefined);
      await host.close().catch(() => undefined);
    })());
  // Ctrl-C while the window is still opening counts too: the race below settles at once then.
  const signalled = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  try {
    console_ = await openChromiumConsole({
      rendererDir: RENDERER_DIST,
      handlers: backend.handlers,
      events: backend.events,
      headless,
      host,
      // Where the window was and how big, between runs.
      windowStateFile: join(usherDataDir(), 'console-window.json'),
      onError: (channel, err) =>
        process.stderr.write(`usher: ${channel} failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`),
    });
  } catch (err) {
    await stop();
    throw err;
  }
  process.stdout.write(`usher: console at ${console_.origin} (Ctrl-C to quit)\n`);
  // Whichever comes first: the window closed, or Ctrl-C.
  await Promise.race([console_.closed, signalled]);
  await stop();
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const headless = argv.includes('--headless');
  const binary = headless ? undefined : electronBinary();
  // Each part is rebuilt only when its sources changed since the last build.
  await buildIfStale(binary ? ['main', 'preload', 'renderer'] : ['renderer']);
  if (binary) return runElectron(binary);
  if (!headless) process.stdout.write(`${FALLBACK_LINE}\n`);
  return runChromium(headless);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const e = err as { message?: string; hint?: string };
      process.stderr.write(`usher: ${e?.message ?? String(err)}${e?.hint ? `\n  ${e.hint}` : ''}\n`);
      process.exit(1);
    },
  );
}
