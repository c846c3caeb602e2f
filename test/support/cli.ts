// Runs the real `usher` command (bin/usher.js on the CLI bundle dist/cli/usher.js, built once per test run
// by test/support/build-once.ts) as a child process, the way a terminal or CI would.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { inject } from 'vitest';

export const USHER_BIN = join(__dirname, '..', '..', 'bin', 'usher.js');

/**
 * Every spawned command gets a throwaway data folder: tests never touch a real profile or audit log.
 * One per test file (test/support/fresh-data-dir.ts renews it before each file): the integration files
 * share one module registry per worker (isolate: false) but must not see each other's profiles and keys.
 */
export let TEST_DATA_DIR = newDataDir();

function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'usher-data-'));
}

/** A new, empty TEST_DATA_DIR for the test file about to run. */
export function renewTestDataDir(): void {
  TEST_DATA_DIR = newDataDir();
}

/**
 * USHER_SITE_CERTS naming the run's kept site certificates (test/support/site-certs-once.ts), when the
 * project made them: each site a command starts loads its CA instead of making four RSA keys. A test
 * passes `USHER_SITE_CERTS: ''` in its env for a fresh CA.
 */
function keptCertsEnv(): Record<string, string> {
  const dir = inject('siteCerts');
  return dir ? { USHER_SITE_CERTS: dir } : {};
}

/**
 * What every command a test runs gets, in a process or in this worker: the file's data folder, the run's
 * kept site certificates, and a keychain entry of the tests' own (unless the test names one), so that a
 * command reaching the vault never meets a real installation's key on a developer's machine.
 */
function commandEnv(): Record<string, string> {
  return { USHER_DATA_DIR: TEST_DATA_DIR, USHER_KEYCHAIN_SERVICE: process.env.USHER_KEYCHAIN_SERVICE || 'Usher-test', ...keptCertsEnv() };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runUsher(
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number; nodeArgs?: string[]; cwd?: string } = {},
): Promise<RunResult> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), USHER_BIN, ...args], {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    env: { ...process.env, ...commandEnv(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

const USHER_BUNDLE = join(__dirname, '..', '..', 'dist', 'cli', 'usher.js');
let inProcessQueue: Promise<unknown> = Promise.resolve();

/**
 * The same command as runUsher, run by the CLI bundle's own `main(argv)` inside this worker, with its
 * environment and stdout/stderr swapped in for the call: what bin/usher.js does, minus the Node start
 * (a third of a second of CPU per command). For checks of a command's reading of its flags and its
 * message; whatever is about the process itself (exit, signals, what it loads, state across processes)
 * runs the real thing with runUsher. Calls take turns: the environment and the streams are the process's.
 */
export function runUsherInProcess(args: string[], options: { env?: Record<string, string> } = {}): Promise<RunResult> {
  // libdbus reads the session bus address once per process: a command run here with another
  // DBUS_SESSION_BUS_ADDRESS (a keychain that cannot be reached) would leave every later keychain call of
  // this worker on that address, whatever the test file. Such commands run as a real process (runUsher).
  if (options.env && 'DBUS_SESSION_BUS_ADDRESS' in options.env) {
    return Promise.reject(new Error('runUsherInProcess cannot change DBUS_SESSION_BUS_ADDRESS (libdbus keeps the first one for the process): use runUsher'));
  }
  const run = inProcessQueue.then(() => mainInProcess(args, { ...commandEnv(), ...options.env }));
  inProcessQueue = run.catch(() => undefined);
  return run;
}

type Write = typeof process.stdout.write;

async function mainInProcess(args: string[], env: Record<string, string>): Promise<RunResult> {
  const { main } = createRequire(__filename)(USHER_BUNDLE) as { main(argv: string[]): Promise<number> };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const out = { stdout: '', stderr: '' };
  const capture =
    (stream: 'stdout' | 'stderr'): Write =>
    (chunk: string | Uint8Array, ...rest: unknown[]) => {
      out[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (done) queueMicrotask(done);
      return true;
    };
  Object.assign(process.env, env);
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  try {
    const code = await main(args);
    return { code, ...out };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export interface ReadyLine {
  nodes: Array<{ name: string; hostName: string; address: string; hub: string; qps: string; qrs: string }>;
  certificates: string;
  pfxPassphrase: string;
}

/** Starts `usher simulate` and resolves once it printed its ready line. */
export interface Simulate {
  child: ChildProcess;
  ready: ReadyLine;
  stderr: () => string;
  /** Writes one stdin line (`faults {...}`, `faults clear`) and resolves with the JSON line that answers it. */
  send(line: string): Promise<Record<string, unknown>>;
}

/** Starts `usher simulate` and resolves once it printed its ready line. */
export async function startSimulate(args: string[], options: { env?: Record<string, string>; readyTimeoutMs?: number } = {}): Promise<Simulate> {
  const child = spawn(process.execPath, [USHER_BIN, 'simulate', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...commandEnv(), ...options.env },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`usher simulate printed no ready line; stderr: ${stderr}`)), options.readyTimeoutMs ?? 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as ReadyLine);
    });
    child.once('exit', (code) => reject(new Error(`usher simulate exited with ${code}; stderr: ${stderr}`)));
  });
  const send = (line: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`usher simulate did not answer "${line}"; stderr: ${stderr}`)), 10_000);
      lines.once('line', (answer) => {
        clearTimeout(timer);
        resolve(JSON.parse(answer) as Record<string, unknown>);
      });
      child.stdin!.write(`${line}\n`);
    });
  return { child, ready, stderr: () => stderr, send };
}

/** `usher simulate` with its QMC export in a fresh folder: the files and flags a client uses with it. */
export interface SimulatedSite extends Simulate {
  out: string;
  files: { cert: string; key: string; ca: string; pfx: string };
  node(name: string): ReadyLine['nodes'][number];
  /** --ca, --cert, --key for a command against the site. */
  pemFlags(): string[];
}

export async function startSimulatedSite(args: string[] = []): Promise<SimulatedSite> {
  const out = join(mkdtempSync(join(tmpdir(), 'usher-sim-')), 'export');
  const sim = await startSimulate(['--out', out, ...args]);
  const files = { cert: join(out, 'client.pem'), key: join(out, 'client_key.pem'), ca: join(out, 'root.pem'), pfx: join(out, 'client.pfx') };
  return {
    ...sim,
    out,
    files,
    node: (name) => sim.ready.nodes.find((n) => n.name === name)!,
    pemFlags: () => ['--ca', files.ca, '--cert', files.cert, '--key', files.key],
  };
}

/** A one-line error: `usher: ...` plus an optional hint line, and no stack trace. */
export function expectOneLineError(result: RunResult): string[] {
  const lines = result.stderr.trim().split('\n');
  if (!(lines[0] ?? '').startsWith('usher: ')) throw new Error(`stderr does not start with "usher: ": ${result.stderr}`);
  if (lines.length > 2 || (lines[1] !== undefined && !/^ {2}hint: /.test(lines[1]))) throw new Error(`more than one line and a hint: ${result.stderr}`);
  if (/\n\s+at /.test(result.stderr)) throw new Error(`a stack trace: ${result.stderr}`);
  return lines;
}
