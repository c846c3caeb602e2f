// The one place Usher replaces a file: write a temporary file in the same folder, fsync it, rename it over
// the target, then fsync the folder. A reader sees the old content or the new one, never half of either,
// and a crash leaves at most a stray `.<name>.<pid>.<random>.tmp` (which no reader picks up).
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorCode } from './error-code';

/** Renames on Windows fail for a moment while a scanner or indexer holds the target open. */
const RETRYABLE = new Set(['EPERM', 'EACCES', 'EBUSY']);

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (err) {
      if (process.platform !== 'win32' || attempt >= 10 || !RETRYABLE.has(errorCode(err) ?? '')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

/** The temporary-file name `writeFileAtomic` uses for `path`; exported so tests and cleaners can spot strays. */
export function isAtomicTempName(name: string): boolean {
  return /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/.test(name);
}

/**
 * Replaces `path` with `data` atomically. The file gets exactly `mode` (default 0600, owner only),
 * whatever the umask and whatever mode an earlier version of the file had. The folder must exist.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', mode);
  try {
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDir(dir);
}

/** Makes a rename durable where the platform allows it. Windows cannot open a folder for fsync; NTFS journals the rename. */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const folder = await open(dir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch {
    // Best effort: durability of the folder entry, not correctness.
  }
}
