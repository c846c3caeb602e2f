// Runs vault writers as separate OS processes: the worker (vault-worker.ts) is bundled once per test
// file with esbuild into a temp folder; NODE_PATH lets the bundle find the native keychain module.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
let bundled: string | undefined;

export async function workerScript(): Promise<string> {
  if (bundled) return bundled;
  const { build } = await import('esbuild');
  const out = join(mkdtempSync(join(tmpdir(), 'usher-vault-worker-')), 'vault-worker.cjs');
  await build({
    entryPoints: [join(__dirname, 'vault-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['@napi-rs/keyring'],
    outfile: out,
    logLevel: 'warning',
  });
  bundled = out;
  return out;
}

/** Removes the bundled worker (call from afterAll). */
export function removeWorkerScript(): void {
  if (bundled) rmSync(dirname(bundled), { recursive: true, force: true });
  bundled = undefined;
}

export interface WorkerResult {
  args: string[];
  code: number | null;
  stderr: string;
}

/**
 * Runs one worker per job, all released at once: each opens the vault and says it is ready, and only when
 * every one has does each get its go, so that all their operations meet at the lock in the same moment
 * rather than spread over the processes' start-up times.
 */
export async function runWorkersAtOnce(jobs: string[][], env: Record<string, string>): Promise<WorkerResult[]> {
  const script = await workerScript();
  const workers = jobs.map((args) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), ...env, USHER_TEST_BARRIER: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const ready = new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('close', () => resolve()); // a worker that failed before its barrier is reported below
    });
    const done = once(child, 'close').then(([code]): WorkerResult => {
      clearTimeout(timer);
      return { args, code: code as number | null, stderr };
    });
    return { child, ready, done };
  });
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) if (w.child.exitCode === null) w.child.stdin.end('go\n');
  return Promise.all(workers.map((w) => w.done));
}

export async function runWorker(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<WorkerResult> {
  const child = spawn(process.execPath, [await workerScript(), ...args], {
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { args, code, stderr };
}
