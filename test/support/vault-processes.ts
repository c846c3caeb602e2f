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
