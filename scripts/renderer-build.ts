// Building the renderer bundle (dist/renderer) for `npm start`, the e2e tests and the bench. One place
// decides how to build and when a build is stale, so the three never disagree.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const ROOT = join(__dirname, '..');
export const RENDERER_DIST = join(ROOT, 'dist', 'renderer');
const SOURCES = [join(ROOT, 'renderer'), join(ROOT, 'shared')];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when dist/renderer is missing or older than any file of renderer/ or shared/. */
function rendererIsStale(): boolean {
  const index = join(RENDERER_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((dir) => existsSync(dir) && newestMtime(dir) > built);
}

/** `npm run build:renderer`, the project's one way to build the renderer. */
function buildRenderer(options: { quiet?: boolean } = {}): void {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // Always the production bundle: a build started from a test run would otherwise inherit NODE_ENV=test,
  // and Vite would bundle React's development build (twice the size) for the console and the bench.
  execFileSync(npm, ['run', '--silent', 'build:renderer'], {
    cwd: ROOT,
    stdio: options.quiet ? 'pipe' : 'inherit',
    shell: process.platform === 'win32',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

const LOCK = join(ROOT, 'dist', '.renderer-build.lock');
const LOCK_WAIT_MS = 180_000;

/**
 * Test files run in parallel workers (the e2e tests, the bench test): two vite builds into one emptied
 * outDir would tear each other's output apart. A directory made with mkdir is an atomic lock; whoever
 * waited for it checks again whether a build is still needed.
 */
function withBuildLock(action: () => void): void {
  mkdirSync(dirname(LOCK), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock left by a killed build is older than any real build takes.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > LOCK_WAIT_MS) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another renderer build (${LOCK}).`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    action();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export function ensureRendererBuilt(options: { quiet?: boolean } = {}): void {
  if (!rendererIsStale()) return;
  withBuildLock(() => {
    if (rendererIsStale()) buildRenderer(options);
  });
}
