// (h) The `usher` command from process start to exit, beside `node -e 0` in the same run: what a
// terminal or a CI step waits for. Runs the three in turn (A B C A B C ...) so that a machine slowing
// down or speeding up mid-run touches each alike; the median of each is the figure.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfStale, ROOT } from '../scripts/build-api';
import { median, round } from './stats';

const USHER = join(ROOT, 'bin', 'usher.js');

export interface CliFigures {
  runs: number;
  nodeMs: number;
  versionMs: number;
  sessionsDemoMs: number;
  /** `usher --version` over `node -e 0`. */
  versionRatio: number;
}

async function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}: ${stderr.trim()}`);
  return ms;
}

export async function benchCli(runs: number): Promise<CliFigures> {
  await buildIfStale(['cli'], { quiet: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'usher-bench-cli-'));
  const env = { ...process.env, USHER_DATA_DIR: dataDir };
  const commands = {
    node: ['-e', '0'],
    version: [USHER, '--version'],
    sessionsDemo: [USHER, 'sessions', '--profile', 'demo'],
  };
  const times: Record<keyof typeof commands, number[]> = { node: [], version: [], sessionsDemo: [] };
  try {
    // One round not counted: the page cache, and the demo profile's first-run set-up in the data folder.
    for (let round = -1; round < runs; round++) {
      for (const [name, args] of Object.entries(commands) as Array<[keyof typeof commands, string[]]>) {
        const ms = await timeProcess(args, env);
        if (round >= 0) times[name].push(ms);
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const nodeMs = median(times.node);
  const versionMs = median(times.version);
  return {
    runs,
    nodeMs: round(nodeMs, 1),
    versionMs: round(versionMs, 1),
    sessionsDemoMs: round(median(times.sessionsDemo), 0),
    versionRatio: round(versionMs / nodeMs),
  };
}

export function cliRows(f: CliFigures): Array<[string, string, string]> {
  return [
    ['(h) node -e 0', `${f.nodeMs} ms`, `median of ${f.runs}, process start to exit: the floor`],
    ['(h) usher --version', `${f.versionMs} ms`, `median of ${f.runs}; ${f.versionRatio}x node -e 0, aim <= 3x`],
    ['(h) usher sessions --profile demo', `${f.sessionsDemoMs} ms`, `median of ${f.runs}; starts the 2-node demo site in-process and lists its sessions`],
  ];
}
