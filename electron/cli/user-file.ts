// Files the user names on the command line (certificates, a site description, a profile export): a file
// that cannot be read or written is one UsageError saying which and why, never a stack trace.
import { accessSync, constants, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { errorCode } from '../core/fs/error-code';
import { UsageError } from './errors';

/** The largest file Usher reads from a path the user names (a site file of thousands of entries fits). */
export const USER_FILE_MAX_BYTES = 16 * 1024 * 1024;

const READ_WHY: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENAMETOOLONG: 'the path is too long',
  NOT_REGULAR: 'not a regular file (a device, a pipe or a socket)',
  TOO_LARGE: `larger than ${USER_FILE_MAX_BYTES / 1024 / 1024} MB`,
};
const WRITE_WHY: Record<string, string> = {
  ENOENT: 'no such folder',
  ENOTDIR: 'no such folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'the disk is full',
};

function why(err: unknown, table: Record<string, string>): string {
  const code = errorCode(err);
  return (code && table[code]) ?? code ?? (err as Error).message;
}

/**
 * Refuses what is not a plain file of a sane size before reading it: /dev/zero or a pipe would be read
 * forever, a huge file would fill the memory.
 */
function checkReadable(path: string): void {
  const stat = statSync(path);
  if (stat.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
  if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'NOT_REGULAR' });
  if (stat.size > USER_FILE_MAX_BYTES) throw Object.assign(new Error('too large'), { code: 'TOO_LARGE' });
}

/** The file's bytes, or `cannot read <label>: <why>` (label: `--ca root.pem`, `site file x.json`, ...). */
export function readUserFile(path: string, label: string, hint?: string): Buffer {
  try {
    checkReadable(path);
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read ${label}: ${why(err, READ_WHY)}`, hint);
  }
}

/** The same refusal as readUserFile, without reading: for a file another reader opens later (after a passphrase prompt). */
export function checkUserFile(path: string, label: string, hint?: string): void {
  try {
    checkReadable(path);
    accessSync(path, constants.R_OK);
  } catch (err) {
    throw new UsageError(`cannot read ${label}: ${why(err, READ_WHY)}`, hint);
  }
}

/** `cannot write <label>: <why>`, for a file or folder the user asked Usher to write. */
export function cannotWrite(label: string, err: unknown, hint?: string): UsageError {
  return new UsageError(`cannot write ${label}: ${why(err, WRITE_WHY)}`, hint);
}

export function writeUserFile(path: string, text: string, label: string, hint?: string): void {
  try {
    writeFileSync(path, text, { mode: 0o644 });
  } catch (err) {
    throw cannotWrite(label, err, hint);
  }
}

/** Kernel file systems: a folder there is no folder, and Node's recursive mkdir can loop forever on /proc. */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];

/** The nearest existing ancestor of `path`, with its symbolic links resolved. */
function existingAncestor(path: string): string {
  let current = path;
  for (;;) {
    try {
      return realpathSync(current);
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

/**
 * A folder Usher is asked to create or fill (`--out DIR`), refused before anything is created: empty,
 * an existing file, or on a kernel file system (/proc, /sys, /dev, also through a link). Returns the
 * absolute path.
 */
export function checkOutputFolder(flag: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`--${flag} is empty`, `name a folder, for example --${flag} ./usher-certificates`);
  const path = resolve(value);
  // Linux's limits (PATH_MAX, NAME_MAX): past them every call fails with ENAMETOOLONG.
  if (path.length > 4095 || path.split(sep).some((part) => Buffer.byteLength(part) > 255)) {
    throw new UsageError(`--${flag} is too long a path (a name may have 255 bytes, a path 4095)`, 'pick a shorter folder name');
  }
  const real = existingAncestor(path);
  if (SPECIAL_ROOTS.some((root) => real === root || real.startsWith(root + sep))) {
    throw new UsageError(
      `--${flag} ${value} is on a kernel file system (${real.split(sep).slice(0, 2).join(sep)}), not a folder for files`,
      `pick a folder in your home or work directory`,
    );
  }
  let isFile = false;
  try {
    isFile = !statSync(path).isDirectory();
  } catch {
    // Absent: it will be created.
  }
  if (isFile) throw new UsageError(`--${flag} ${value} is a file, not a folder`, `pick a new or existing folder for the certificate export`);
  return path;
}
