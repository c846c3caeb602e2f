// The certificate vault: secret bundles (private keys, PFX bytes) encrypted with one random 32-byte data
// key per installation. The key lives in the OS keychain; the bundles are AES-256-GCM files in
// <dir>/vault/<id>.bundle (see bundle-file.ts for the format).
//
// Modes
// - keychain: the keychain gave (or took) the data key. Bundles are files, mode 0600, folder 0700.
// - memory:   no usable keychain (none reachable, locked, refused, or holding something that is not a
//             32-byte key). Secrets are kept in a Map for this run only and NOTHING is written to disk.
//             There is never a plaintext or machine-id-derived fallback. Vault.open never throws for an
//             unusable keychain; it reports the reason in `mode`.
//
// Key rules
// - The key is created (crypto.randomBytes) on the first open that finds none.
// - An existing key of the wrong length (or not base64) is NEVER overwritten: bundles encrypted with it
//   would be lost for good. The vault goes to memory mode and the reason says what to do.
// - Two processes opening for the very first time at once: after storing its new key, open reads the
//   key back and uses whatever the keychain holds, so both converge before either saves a bundle.
//
// rotateKey and crash safety (the order is chosen so that no crash loses a readable bundle):
//   1. decrypt every bundle with the current key and write it, encrypted with the new key, as a staging
//      file <id>.bundle.next (written atomically, 0600, fsynced). Bundles that do not decrypt go to `failed`, untouched.
//   2. store the new key in the keychain (the commit point).
//   3. rename every staging file over its bundle.
//   Every open in keychain mode finishes or discards leftovers: a staging file that decrypts with the
//   key the keychain holds is renamed over its bundle (crash between 2 and 3: rotation completed); one
//   that does not is from a rotation that never committed (crash before 2) and is deleted once it is
//   older than STALE_STAGING_MS (younger ones may belong to a rotation running in another process).
//   If storing the key fails ambiguously (error or timeout), the key is read back to learn which key
//   is stored: the old one -> staging files are deleted and the error is thrown; the new one -> the
//   rotation goes on; unknown -> the staging files stay for the next open to sort out.
// Within one process every operation runs one at a time. Across processes the vault assumes one writer
// at a time (the app or the CLI); a process that opened before another rotated holds a stale key.
import { isAtomicTempName, syncDir, writeFileAtomic } from '../fs/atomic-write';
import { errorCode } from '../fs/error-code';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BUNDLE_EXT,
  BUNDLE_ID_PATTERN,
  KEY_BYTES,
  assertBundleId,
  decryptBundle,
  encryptBundle,
} from './bundle-file';
import { VaultError, describeCause } from './errors';
import { OsKeychain, type Keychain } from './keychain';

export type VaultMode =
  | { kind: 'keychain'; keychain: string }
  /** No usable keychain: secrets kept in memory for this run only. `hint` says how to get the keychain back. */
  | { kind: 'memory'; reason: string; hint?: string };

export interface VaultOpenOptions {
  /** The app data folder; bundles go in <dir>/vault/. */
  dir: string;
  /** Default: new OsKeychain() ('Usher' / 'vault-data-key'). */
  keychain?: Keychain;
}

const STAGING_EXT = '.next';
/** A staging file that does not decrypt with the stored key and is older than this is from a dead rotation. */
const STALE_STAGING_MS = 5 * 60_000;

export class Vault {
  readonly mode: VaultMode;
  /** <dir>/vault */
  readonly folder: string;
  private key: Buffer | undefined;
  private readonly keychain: Keychain;
  private readonly memory = new Map<string, Buffer>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(folder: string, mode: VaultMode, keychain: Keychain, key: Buffer | undefined) {
    this.folder = folder;
    this.mode = mode;
    this.keychain = keychain;
    this.key = key;
  }

  static async open(options: VaultOpenOptions): Promise<Vault> {
    const folder = join(options.dir, 'vault');
    const keychain = options.keychain ?? new OsKeychain();
    const memory = (reason: string, hint?: string): Vault =>
      new Vault(folder, hint === undefined ? { kind: 'memory', reason } : { kind: 'memory', reason, hint }, keychain, undefined);

    let key: Buffer | undefined;
    try {
      key = await keychain.getKey();
    } catch (err) {
      return memory(describeCause(err), hintOf(err));
    }

    if (key === undefined) {
      const fresh = randomBytes(KEY_BYTES);
      try {
        await keychain.setKey(fresh);
      } catch (err) {
        fresh.fill(0);
        return memory(describeCause(err), hintOf(err));
      }
      key = fresh;
      // Converge with another process that created its key at the same moment: the keychain decides.
      try {
        const stored = await keychain.getKey();
        if (stored !== undefined && stored.length === KEY_BYTES && !stored.equals(fresh)) {
          fresh.fill(0);
          key = stored;
        } else {
          stored?.fill(0);
        }
      } catch {
        // we did store `fresh`; keep it
      }
    }

    if (key.length !== KEY_BYTES) {
      const length = key.length;
      key.fill(0);
      return memory(
        `the ${keychain.name} holds a Usher data key of ${length} bytes instead of ${KEY_BYTES}; it was left untouched, since bundles encrypted with it would otherwise be lost`,
        'if nothing else uses that entry, delete the Usher data key from the keychain and restart Usher, then re-import the certificates; until then certificates are kept in memory for this run only',
      );
    }

    const vault = new Vault(folder, { kind: 'keychain', keychain: keychain.name }, keychain, key);
    await vault.recoverStaging();
    return vault;
  }

  /** Stores `secret` under `bundleId` (replacing any previous one). The caller keeps ownership of `secret`. */
  async save(bundleId: string, secret: Buffer): Promise<void> {
    assertBundleId(bundleId); // inside an async method: a bad id rejects, never throws synchronously
    return this.exclusive(async () => {
      const key = this.key;
      if (key === undefined) {
        this.memory.get(bundleId)?.fill(0);
        this.memory.set(bundleId, Buffer.from(secret));
        return;
      }
      try {
        await this.ensureFolder();
        await writeFileAtomic(this.bundlePath(bundleId), encryptBundle(key, bundleId, secret));
      } catch (err) {
        throw new VaultError(
          'BUNDLE_UNWRITABLE',
          `the certificates for this profile cannot be stored (${describeCause(err)})`,
          `check that ${this.folder} is a folder your account may write to and that the disk has space, then import the certificates again`,
          { bundleId, cause: err },
        );
      }
    });
  }

  /** The secret stored under `bundleId`, as a new Buffer the caller may zero when done. */
  async load(bundleId: string): Promise<Buffer> {
    assertBundleId(bundleId); // inside an async method: a bad id rejects, never throws synchronously
    return this.exclusive(async () => {
      const key = this.key;
      if (key === undefined) {
        const kept = this.memory.get(bundleId);
        if (kept !== undefined) return Buffer.from(kept);
        if (await exists(this.bundlePath(bundleId))) {
          const reason = this.mode.kind === 'memory' ? this.mode.reason : 'no data key';
          throw new VaultError(
            'BUNDLE_UNREADABLE',
            `the stored certificates for this profile cannot be decrypted in this run: there is no usable keychain (${reason})`,
            'make the keychain available and restart Usher, or re-import the certificates (they are then kept in memory for this run only)',
            { bundleId },
          );
        }
        throw notFound(bundleId);
      }
      let file: Buffer;
      try {
        file = await readFile(this.bundlePath(bundleId));
      } catch (err) {
        if (errorCode(err) === 'ENOENT') throw notFound(bundleId);
        throw new VaultError(
          'BUNDLE_UNREADABLE',
          `the stored certificates for this profile cannot be read (${describeCause(err)})`,
          `check the permissions of ${this.folder}, or re-import the certificates for this profile`,
          { bundleId, cause: err },
        );
      }
      return decryptBundle(key, bundleId, file);
    });
  }

  /** Forgets `bundleId`: the in-memory copy and the file, in either mode. No error when there is none. */
  async remove(bundleId: string): Promise<void> {
    assertBundleId(bundleId); // inside an async method: a bad id rejects, never throws synchronously
    return this.exclusive(async () => {
      this.memory.get(bundleId)?.fill(0);
      this.memory.delete(bundleId);
      for (const path of [this.bundlePath(bundleId), this.stagingPath(bundleId)]) {
        try {
          await unlink(path);
        } catch (err) {
          if (errorCode(err) !== 'ENOENT') throw err;
        }
      }
    });
  }

  /** The ids this vault holds: the files in keychain mode, the in-memory ones in memory mode. Sorted. */
  list(): Promise<string[]> {
    return this.exclusive(async () => {
      if (this.key === undefined) return [...this.memory.keys()].sort();
      return (await this.folderEntries()).filter((id) => id.kind === 'bundle').map((id) => id.id).sort();
    });
  }

  /**
   * A new data key; every bundle re-encrypted with it (see the crash-safety notes at the top).
   * `failed` lists the bundles that could not be decrypted with the current key (left untouched, they
   * stay unreadable) or whose final rename failed (finished by the next open).
   */
  rotateKey(): Promise<{ rotated: number; failed: string[] }> {
    return this.exclusive(async () => {
      const oldKey = this.key;
      if (oldKey === undefined) {
        throw new VaultError(
          'KEYCHAIN_UNAVAILABLE',
          `there is no data key to rotate: ${this.mode.kind === 'memory' ? this.mode.reason : 'no usable keychain'}`,
          'make the keychain available and restart Usher',
        );
      }
      const ids = (await this.folderEntries()).filter((e) => e.kind === 'bundle').map((e) => e.id).sort();
      const newKey = randomBytes(KEY_BYTES);
      const staged: string[] = [];
      const failed: string[] = [];
      const discardStaging = async () => {
        for (const id of staged) await unlink(this.stagingPath(id)).catch(() => undefined);
      };

      // 1. stage
      try {
        for (const id of ids) {
          let secret: Buffer;
          try {
            secret = decryptBundle(oldKey, id, await readFile(this.bundlePath(id)));
          } catch (err) {
            if (errorCode(err) === 'ENOENT') continue; // removed meanwhile
            failed.push(id);
            continue;
          }
          try {
            await writeFileAtomic(this.stagingPath(id), encryptBundle(newKey, id, secret));
            staged.push(id); // writeFileAtomic has fsynced the file and the folder
          } finally {
            secret.fill(0);
          }
        }
      } catch (err) {
        await discardStaging();
        newKey.fill(0);
        throw err;
      }

      // 2. commit: store the new key
      try {
        await this.keychain.setKey(newKey);
      } catch (err) {
        let stored: Buffer | undefined;
        try {
          stored = await this.keychain.getKey();
        } catch {
          // unknown which key is stored: leave the staging files for the next open to sort out
          newKey.fill(0);
          throw err;
        }
        const committed = stored !== undefined && stored.equals(newKey);
        stored?.fill(0);
        if (!committed) {
          await discardStaging();
          newKey.fill(0);
          throw err;
        }
      }
      this.key = newKey;
      oldKey.fill(0);

      // 3. move the staged bundles in place
      let rotated = 0;
      for (const id of staged) {
        try {
          await rename(this.stagingPath(id), this.bundlePath(id));
          rotated += 1;
        } catch {
          failed.push(id);
        }
      }
      await syncDir(this.folder);
      return { rotated, failed: failed.sort() };
    });
  }

  // ---------------------------------------------------------------------------------------------

  private bundlePath(id: string): string {
    return join(this.folder, id + BUNDLE_EXT);
  }

  private stagingPath(id: string): string {
    return join(this.folder, id + BUNDLE_EXT + STAGING_EXT);
  }

  private async ensureFolder(): Promise<void> {
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
  }

  private async folderEntries(): Promise<Array<{ id: string; name: string; kind: 'bundle' | 'staging' | 'tmp' }>> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return [];
      throw err;
    }
    const out: Array<{ id: string; name: string; kind: 'bundle' | 'staging' | 'tmp' }> = [];
    for (const name of names) {
      // Leftovers of an interrupted save: `.<id>.bundle.<pid>.<random>.tmp` (core/fs/atomic-write).
      if (isAtomicTempName(name)) {
        const id = name.slice(1, name.indexOf('.', 1));
        if (BUNDLE_ID_PATTERN.test(id)) out.push({ id, name, kind: 'tmp' });
        continue;
      }
      const dot = name.indexOf('.');
      const id = dot < 0 ? name : name.slice(0, dot);
      if (!BUNDLE_ID_PATTERN.test(id)) continue;
      const rest = name.slice(id.length);
      if (rest === BUNDLE_EXT) out.push({ id, name, kind: 'bundle' });
      else if (rest === BUNDLE_EXT + STAGING_EXT) out.push({ id, name, kind: 'staging' });
    }
    return out;
  }

  /** Finishes or discards what an interrupted rotateKey (or save) left behind. Never throws. */
  private async recoverStaging(): Promise<void> {
    const key = this.key;
    if (key === undefined) return;
    let entries: Awaited<ReturnType<Vault['folderEntries']>>;
    try {
      entries = await this.folderEntries();
    } catch {
      return;
    }
    let renamed = false;
    for (const entry of entries) {
      if (entry.kind === 'bundle') continue;
      const path = join(this.folder, entry.name);
      try {
        if (entry.kind === 'staging') {
          const file = await readFile(path);
          let decrypts = false;
          try {
            decryptBundle(key, entry.id, file).fill(0);
            decrypts = true;
          } catch {
            decrypts = false;
          }
          if (decrypts) {
            await rename(path, this.bundlePath(entry.id));
            renamed = true;
            continue;
          }
        }
        const age = Date.now() - (await stat(path)).mtimeMs;
        if (age > STALE_STAGING_MS) await unlink(path);
      } catch {
        // another process got there first, or the file is not ours to touch: leave it
      }
    }
    if (renamed) await syncDir(this.folder);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function notFound(bundleId: string): VaultError {
  return new VaultError('BUNDLE_NOT_FOUND', 'there are no stored certificates for this profile', 'import the certificates for this profile', {
    bundleId,
  });
}

function hintOf(err: unknown): string | undefined {
  return err instanceof VaultError ? err.hint : undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
