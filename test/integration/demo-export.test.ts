// The console's demo export: one folder per run however often it is asked for, removed when the run
// stops or exits, and folders of runs that were killed removed at the next start.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DemoSiteRunner } from '../../electron/app/demo-site-runner';

const run = promisify(execFile);

/** A pid that belonged to a process which has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function folderWith(path: string): string {
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'client_key.pem'), 'stale key');
  return path;
}

describe('demo export', () => {
  it('one folder per run, the same on every call, removed on stop; stale ones removed at the next start', async () => {
    const root = mkdtempSync(join(tmpdir(), 'usher-demo-root-'));
    const stale = folderWith(join(root, `usher-demo-export-${deadPid()}-Ab12Cd`));
    const legacy = folderWith(join(root, 'usher-demo-export-Xy34Zw'));
    const live = folderWith(join(root, 'usher-demo-export-1-Ef56Gh')); // pid 1 is always running
    const elsewhere = folderWith(join(mkdtempSync(join(tmpdir(), 'usher-demo-elsewhere-')), 'kept'));
    symlinkSync(elsewhere, join(root, `usher-demo-export-${deadPid()}-Link01`));
    const unrelated = folderWith(join(root, 'usher-validator-Ab12Cd'));

    const runner = await DemoSiteRunner.start({ exportRoot: root });
    try {
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(legacy)).toBe(false);
      expect(existsSync(live)).toBe(true);
      expect(existsSync(join(elsewhere, 'client_key.pem'))).toBe(true); // a link is never followed
      expect(existsSync(unrelated)).toBe(true);

      const paths = [];
      for (let i = 0; i < 20; i++) paths.push(await runner.writeExport());
      expect(new Set(paths).size).toBe(1);
      const dir = paths[0]!;
      expect(readdirSync(root).filter((n) => n.startsWith(`usher-demo-export-${process.pid}-`))).toHaveLength(1);
      expect(readdirSync(dir).sort()).toEqual(['client.pem', 'client.pfx', 'client_key.pem', 'root.pem']);
      expect(statSync(dir).mode & 0o077).toBe(0);

      await runner.stop();
      expect(existsSync(dir)).toBe(false);
    } finally {
      await runner.stop();
    }
  });

  it('a run that exits without stopping the site removes its export on the way out', async () => {
    const root = mkdtempSync(join(tmpdir(), 'usher-demo-root-'));
    const child = join(__dirname, '..', 'support', 'demo-export-child.ts');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', child, root], { timeout: 60_000 });
    const dir = stdout.trim();
    expect(dir.startsWith(join(root, 'usher-demo-export-'))).toBe(true);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });
});
