// One writer at a time across processes (the console and any number of `usher` commands share a data
// folder). The lock is a file created with O_EXCL that names its holder. A killed holder cannot keep it:
// - same host: the holder's pid is gone, or (Linux) that pid now belongs to a process started at
//   another time (pid reuse) -> stale at once;
// - otherwise: a live holder touches the file every HEARTBEAT_MS; a file untouched for staleMs (a
//   holder on another host of a shared folder, or one that hangs) -> stale.
// A stale lock is broken under a second, short-lived O_EXCL "breaker" file, after checking that the
// lock still holds what was judged stale: two waiters never both break it and let two writers in.
// Waiting is bounded; LockBusyError names the holder and what to do.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { errorCode } from './error-code';
import { UsherError } from '../../../shared/errors';

export interface LockHolder {
  pid: number;
  host: string;
  /** Linux: the holder's start time in clock ticks since boot (/proc/<pid>/stat field 22). */
  startTicks?: string;
  /** ISO time the lock was taken. */
  since: string;
  /** What the holder is doing, for the busy message ("rotating the vault key"). */
  purpose: string;
  /** Random per acquisition: a holder releases only its own lock. */
  token: string;
}

export interface WriteLockOptions {
  /** Said to waiters while held. */
  purpose: string;
  /** How long to wait for a live holder. Default 30 s. */
  waitMs?: number;
  /** A lock file untouched this long counts as abandoned. Default 30 s (a holder touches it every 5 s). */
  staleMs?: number;
}

export class LockBusyError extends UsherError<'LOCK_BUSY'> {
  override name = 'LockBusyError';
  declare readonly hint: string;
  constructor(
    readonly path: string,
    readonly holder: LockHolder | undefined,
    waitedMs: number,
  ) {
    const who = holder
      ? `process ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`} (${holder.purpose}, since ${holder.since})`
      : 'another process';
    super(
      'LOCK_BUSY',
      `the Usher data folder is busy: ${who} holds ${path}; waited ${Math.round(waitedMs / 1000)} s`,
      `let it finish and try again; if no such process runs any more, delete ${path}`,
    );
  }
}

const DEFAULT_WAIT_MS = 30_000;
const DEFAULT_STALE_MS = 30_000;
const HEARTBEAT_MS = 5_000;
/** A lock file still empty after this long was left by a process that died between create and write. */
const EMPTY_GRACE_MS = 5_000;
/** Breaking takes a few milliseconds; a breaker file older than this was left by a killed breaker. */
const BREAKER_STALE_MS = 10_000;

/** The start time of `pid` on Linux (clock ticks since boot), else undefined. */
function startTicksOf(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ..." -- comm may hold spaces and ')', so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19]; // field 22 of the whole line
  } catch {
    return undefined;
  }
}

function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if (errorCode(err) === 'ESRCH') return false;
    // EPERM: alive, owned by another user
  }
  if (holder.startTicks !== undefined) {
    const now = startTicksOf(holder.pid);
    if (now !== undefined && now !== holder.startTicks) return false; // the pid was reused
  }
  return true;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return { purpose: 'unknown', since: '?', ...value } as LockHolder;
    }
  } catch {
    // being written, or garbage
  }
  return undefined;
}

/** Whether the lock file (its text and mtime as read) was left by a holder that no longer runs. */
function isStale(text: string, mtimeMs: number, staleMs: number): boolean {
  const age = Date.now() - mtimeMs;
  if (age > staleMs) return true;
  const holder = parseHolder(text);
  if (!holder) return age > EMPTY_GRACE_MS;
  if (holder.host !== hostname()) return false;
  return !isAlive(holder);
}

async function readLock(path: string): Promise<{ text: string; mtimeMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { text, mtimeMs: info.mtimeMs };
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/** Removes the lock only if it still holds `judged` (the text found stale), under the breaker file. */
async function breakStale(path: string, judged: string): Promise<void> {
  const breaker = `${path}.break`;
  let handle;
  try {
    handle = await open(breaker, 'wx', 0o600);
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw err;
    const info = await stat(breaker).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > BREAKER_STALE_MS) await unlink(breaker).catch(() => undefined);
    return; // someone else is breaking it; the caller tries again
  }
  try {
    await handle.close();
    const now = await readLock(path);
    if (now && now.text === judged) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

/**
 * Takes the lock at `path` (its folder must exist), waiting up to `waitMs` for a live holder.
 * Returns the release function; LockBusyError when the wait runs out.
 */
export async function acquireWriteLock(path: string, options: WriteLockOptions): Promise<() => Promise<void>> {
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const started = Date.now();
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    purpose: options.purpose,
    token: randomBytes(8).toString('hex'),
  };
  const ticks = startTicksOf(process.pid);
  if (ticks !== undefined) holder.startTicks = ticks;
  const text = JSON.stringify(holder);

  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(text);
      } finally {
        await handle.close();
      }
      return heldLock(path, text);
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
    }
    const found = await readLock(path);
    if (!found) continue; // released meanwhile
    if (isStale(found.text, found.mtimeMs, staleMs)) {
      await breakStale(path, found.text);
      await delay(1);
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= waitMs) throw new LockBusyError(path, parseHolder(found.text), waited);
    // Jittered backoff: 2 ms growing to 50 ms, so that many waiters do not poll in step.
    await delay(Math.min(50, 2 + attempt * 2) * (0.5 + Math.random()));
  }
}

function heldLock(path: string, text: string): () => Promise<void> {
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    // Only our own lock: had it been broken as stale, it may be another holder's by now.
    const now = await readLock(path).catch(() => undefined);
    if (now?.text === text) await unlink(path).catch(() => undefined);
  };
}

/** Runs `work` holding the lock at `path`. */
export async function withWriteLock<T>(path: string, options: WriteLockOptions, work: () => Promise<T>): Promise<T> {
  const release = await acquireWriteLock(path, options);
  try {
    return await work();
  } finally {
    await release();
  }
}
