// What both browser hosts put on disk for partitions, and the rules that keep it where it belongs:
// partition ids that can name a folder, download files confined to the partition's downloads folder,
// and removal of persistent partition folders. Pure Node, so it is tested without a browser.
import { mkdirSync, rmSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { PARTITION_ID_PATTERN, PERSISTENT_PARTITION_ID_PATTERN } from '../../shared/partitions';
import { errorCode } from '../core/fs/error-code';
import { claimFreeFile } from '../core/fs/free-file-name';
import { isInside } from '../core/fs/is-inside';
import type { PartitionOptions } from './browser-host';
import { PartitionError } from './partition-error';

// An id is a folder name for persistent partitions, and `persist:` is the Electron host's to add. The
// patterns live in shared/partitions.ts, the one definition the record file and the IPC contract use too.
const PARTITION_ID = PARTITION_ID_PATTERN;
const PERSISTENT_ID = PERSISTENT_PARTITION_ID_PATTERN;

export function checkPartitionId(id: string, persistent: boolean): void {
  if (!PARTITION_ID.test(id)) {
    throw new PartitionError(
      'INVALID_PARTITION_ID',
      `${JSON.stringify(id.slice(0, 120))} is not a valid partition id.`,
      'Use 1 to 100 letters, digits, ".", "_" or "-", not starting with "."; it names a folder on disk.',
    );
  }
  if (persistent && !PERSISTENT_ID.test(id)) {
    throw new PartitionError(
      'INVALID_PARTITION_ID',
      `${JSON.stringify(id)} is not a valid partition id for a persistent partition: it has capital letters.`,
      'Use a lowercase id: Electron stores persistent partitions under case-folded folder names, so "A" and "a" would share one cookie jar.',
    );
  }
}

/** Where persistent partition `id` keeps its files under `root`; undefined for an id no persistent partition can have. */
export function persistentPartitionFolder(root: string, id: string): string | undefined {
  return PERSISTENT_ID.test(id) ? join(root, id) : undefined;
}

/** Refuses a second window of a partition that would need a different jar than the open one. */
export function checkSameJar(open: PartitionOptions, wanted: PartitionOptions): void {
  const same =
    open.caPem === wanted.caPem &&
    Boolean(open.persistent) === Boolean(wanted.persistent) &&
    open.downloadsDir === wanted.downloadsDir &&
    open.clientCertificateFingerprint256 === wanted.clientCertificateFingerprint256;
  if (!same) {
    throw new PartitionError(
      'PARTITION_MISMATCH',
      `Partition ${open.partitionId} is open with another site CA, persistence, downloads folder or client certificate.`,
      'Open the window with the options the partition was opened with, or use another partition id.',
    );
  }
}

const MAX_NAME = 120;
// Windows refuses these as file names whatever the extension.
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A file name the server suggested, made safe to create in a folder: no folder parts (a `../` or an
 * absolute path stays a plain name), no control or shell-hostile characters, no leading dot, bounded.
 */
export function safeDownloadName(suggested: string): string {
  // Both separators: a name from a Windows server may use backslashes, and basename on POSIX keeps them.
  const last = suggested.split(/[\\/]/).pop() ?? '';
  let name = last
    .replace(/[\u0000-\u001f\u007f<>:"|?*%]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (name.length > MAX_NAME) {
    const ext = extname(name).slice(0, 16);
    name = name.slice(0, MAX_NAME - ext.length) + ext;
  }
  const stem = name.slice(0, name.length - extname(name).length);
  if (!name || RESERVED.test(stem)) name = `download${name ? `-${name}` : ''}`;
  return name;
}

/** Re-exported for the partition folders' other readers (the manager, the tests' jar host). */
export { isInside };

/**
 * Claims a new file in `dir` for a download (created empty, owner-only), never overwriting one: `a.csv`,
 * then `a (1).csv`... Synchronous because Electron's will-download needs the path before it returns.
 */
export function reserveDownloadPath(dir: string, suggested: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = safeDownloadName(suggested);
  const path = claimFreeFile(dir, name);
  if (!path) throw new PartitionError('DOWNLOADS_OFF', `No free file name for ${name} in ${dir}.`, 'Empty the partition downloads folder.');
  return path;
}

/** Removes a reserved file that a failed download left empty. */
export function releaseDownloadPath(path: string): void {
  rmSync(path, { force: true });
}

/** Deletes a partition's folder and everything in it; a folder that is not there is fine. */
export async function deletePartitionFolder(path: string): Promise<void> {
  // Retries: a browser that just closed may still hold a file for a moment (Windows above all).
  await rm(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/**
 * Deletes the folders under `root` whose name is a partition id not in `keep`; answers the ids removed.
 * Files and folders that could not be a partition's are left alone: they are not ours to judge.
 */
export async function removeOrphanFolders(root: string, keep: ReadonlySet<string>): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !PERSISTENT_ID.test(entry.name) || keep.has(entry.name)) continue;
    await deletePartitionFolder(join(root, entry.name));
    removed.push(entry.name);
  }
  return removed.sort();
}
