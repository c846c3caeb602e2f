// The data folder's write lock: one holder at a time, a dead or abandoned holder never blocks for good,
// a live one makes waiters give up with a message that names it.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockBusyError, acquireWriteLock, withWriteLock } from '../../electron/core/fs/write-lock';
import { MemoryKeychain, Vault, VaultError } from '../../electron/core/vault';
import { dataWriteLockPath } from '../../electron/core/paths';

let dir: string;
let lock: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'usher-lock-'));
  lock = join(dir, 'usher-write.lock');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A pid that certainly belongs to no running process: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function holderText(pid: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00.000Z', purpose: 'rotating the vault key', token: 'abc', ...extra });
}

describe('write lock', () => {
  it('lets one holder in at a time, in-process too', async () => {
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        withWriteLock(lock, { purpose: name }, async () => {
          order.push(`${name}+`);
          await new Promise((resolve) => setTimeout(resolve, 20));
          order.push(`${name}-`);
        }),
      ),
    );
    // never two holders at once: every "+" is followed by its own "-"
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]!.replace('+', '-'));
    await expect(readFile(lock)).rejects.toThrow(/ENOENT/);
  });

  it('takes over at once from a holder whose process is gone', async () => {
    await writeFile(lock, holderText(deadPid()));
    const started = Date.now();
    const release = await acquireWriteLock(lock, { purpose: 'test', waitMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'test' });
    await release();
  });

  it.runIf(process.platform === 'linux')('takes over from a holder whose pid now belongs to another process (pid reuse)', async () => {
    await writeFile(lock, holderText(process.pid, { startTicks: '1' }));
    const release = await acquireWriteLock(lock, { purpose: 'test', waitMs: 2_000 });
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'test' }); // ours now
    await release();
  });

  it('waits for a live holder, then gives up with a typed error naming it', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await writeFile(lock, holderText(child.pid!));
      const started = Date.now();
      const err = await acquireWriteLock(lock, { purpose: 'test', waitMs: 300 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(LockBusyError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect((err as LockBusyError).message).toContain(`process ${child.pid} (rotating the vault key`);
      expect((err as LockBusyError).hint).toContain(lock);
      expect(readFileSync(lock, 'utf8')).toBe(holderText(child.pid!)); // left alone
    } finally {
      child.kill();
    }
  });

  it('breaks a lock nobody touched for longer than the bound (a holder on another host, or hung)', async () => {
    await writeFile(lock, holderText(process.pid, { host: 'elsewhere' }));
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    const release = await acquireWriteLock(lock, { purpose: 'test', waitMs: 2_000, staleMs: 30_000 });
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'test' }); // ours now
    await release();
  });

  it('an empty lock file (a holder killed between create and write) is broken after a grace period only', async () => {
    await writeFile(lock, '');
    await expect(acquireWriteLock(lock, { purpose: 'test', waitMs: 200 })).rejects.toBeInstanceOf(LockBusyError);
    const old = new Date(Date.now() - 10_000);
    await utimes(lock, old, old);
    const release = await acquireWriteLock(lock, { purpose: 'test', waitMs: 2_000 });
    await release();
  });

  it('a release never removes a lock that has become another holder', async () => {
    const release = await acquireWriteLock(lock, { purpose: 'first' });
    await writeFile(lock, holderText(process.pid, { token: 'someone-else' }));
    await release();
    expect(readFileSync(lock, 'utf8')).toContain('someone-else');
  });
});

describe('vault writes and the lock', () => {
  it('a write while another live process holds the lock fails as VAULT_BUSY naming it', async () => {
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain(), lockWaitMs: 200 });
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await writeFile(dataWriteLockPath(dir), holderText(child.pid!));
      const err = await vault.save('p', Buffer.from('x')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(VaultError);
      expect((err as VaultError).code).toBe('VAULT_BUSY');
      expect((err as VaultError).message).toContain(`process ${child.pid}`);
    } finally {
      child.kill();
    }
    await rm(dataWriteLockPath(dir));
    await vault.save('p', Buffer.from('x'));
  });
});
