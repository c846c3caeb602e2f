// The certificate vault: secret bundles (private keys, PFX bytes) encrypted with random 32-byte data
// keys. The keys (a small ring of versions, key-ring.ts) live in the OS keychain, or in a passphrase-
// sealed file when there is none; the bundles are AES-256-GCM files <dir>/vault/<id>.bundle, each
// naming the key version that sealed it (bundle-file.ts).
//
// Modes
// - keychain: the OS keychain (or a passphrase-sealed key file) holds the ring. Bundles are files,
//             mode 0600, folder 0700.
// - memory:   no usable keychain and no passphrase (none reachable, locked, refused, or holding
//             something that is not a Usher key). Secrets are kept in a Map for this run only and
//             NOTHING is written to disk. There is never a plaintext or machine-id-derived fallback.
//             Vault.open never throws for an unusable keychain; it reports the reason in `mode`.
//
// Many processes, one writer
// The console and any number of `usher` commands may run side by side. Every write (save, remove,
// rotateKey, creating the first key, clearing leftovers) holds the data folder's write lock
// (core/fs/write-lock) and re-reads the ring from the keychain first, so a process that opened before
// another rotated never seals with a retired key. A read whose key version this process does not know
// re-reads the ring.
//
// rotateKey and crash safety (a crash at any point leaves every bundle readable by the next open):
//   1. store the ring with the new key next to the old ones bundles still name, the new one current
//      (keys an earlier interrupted rotation left and no bundle names are dropped here);
//   2. rewrite every bundle under the new key, each atomically (temp file + rename);
//   3. retire the old keys no bundle names any more (a bundle that could not be re-encrypted keeps
//      its key in the ring). A crash before 3 leaves two keys; the next rotation finishes the job.
// Key rules
// - An existing entry that is not a Usher key or ring is NEVER overwritten: bundles encrypted with it
//   would be lost for good. The vault goes to memory mode and the reason says what to do.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isAtomicTempName, syncDir, writeFileAtomic } from '../fs/atomic-write';
import { errorCode } from '../fs/error-code';
import { exists } from '../fs/exists';
import { LockBusyError, withWriteLock } from '../fs/write-lock';
import { dataWriteLockPath } from '../paths';
import { BUNDLE_EXT, BUNDLE_ID_PATTERN, KEY_BYTES, assertBundleId, bundleKeyVersion, decryptBundle, encryptBundle } from './bundle-file';
import { VaultError, describeCause } from './errors';
import { decodeKeyRing, encodeKeyRing, sameKeyRing, wipeKeyRing, type KeyRing } from './key-ring';
import { OsKeychain, type Keychain } from './keychain';
import { PassphraseKeychain, SEALED_KEY_FILE, VAULT_PASSPHRASE_ENV } from './passphrase-keychain';

export type VaultMode =
  | { kind: 'keychain'; keychain: string }
  /** No usable keychain: secrets kept in memory for this run only. `hint` says how to get the keychain back. */
  | { kind: 'memory'; reason: string; hint?: string };

/**
 * Asked for the vault passphrase. `creating`: there is no OS keychain and no sealed key file yet (a
 * passphrase given now seals a new one); otherwise the sealed key file exists and needs it to open.
 * Undefined: none (memory mode).
 */
export type VaultPassphraseSource = (request: { creating: boolean; file: string }) => Promise<string | undefined>;

export interface VaultOpenOptions {
  /** The app data folder; bundles go in <dir>/vault/. */
  dir: string;
  /** Default: new OsKeychain() ('Usher' / 'vault-data-key'). */
  keychain?: Keychain;
  /** Where a passphrase comes from when the vault is (or is to be) sealed by one. Default: none. */
  passphrase?: VaultPassphraseSource;
  /** How long a write waits for another process's write. Default 30 s. */
  lockWaitMs?: number;
}

export interface RotateResult {
  rotated: number;
  /** Bundles that could not be re-encrypted (unreadable with every key we hold); left untouched. */
  failed: string[];
  /** The key version new bundles are sealed with now. */
  keyVersion: number;
  /** Key versions removed from the keychain because no bundle names them any more. */
  retired: number[];
}

const STAGING_EXT = '.next';
/** A leftover temp or staging file older than this is from a dead process. */
const STALE_LEFTOVER_MS = 5 * 60_000;

export class Vault {
  readonly mode: VaultMode;
  /** <dir>/vault */
  readonly folder: string;
  private ring: KeyRing | undefined;
  private readonly keychain: Keychain;
  private readonly lockPath: string;
  private readonly lockWaitMs: number | undefined;
  private readonly memory = new Map<string, Buffer>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(dir: string, mode: VaultMode, keychain: Keychain, ring: KeyRing | undefined, lockWaitMs: number | undefined) {
    this.folder = join(dir, 'vault');
    this.lockPath = dataWriteLockPath(dir);
    this.mode = mode;
    this.keychain = keychain;
    this.ring = ring;
    this.lockWaitMs = lockWaitMs;
  }

  static async open(options: VaultOpenOptions): Promise<Vault> {
    const sealedFile = join(options.dir, 'vault', SEALED_KEY_FILE);
    let keychain = options.keychain ?? new OsKeychain();
    const memory = (reason: string, hint?: string): Vault =>
      new Vault(options.dir, hint === undefined ? { kind: 'memory', reason } : { kind: 'memory', reason, hint }, keychain, undefined, options.lockWaitMs);

    // A vault sealed by a passphrase stays one: its keys are in the file, not in any keychain.
    // A sealed file that cannot even be looked at counts as absent: the vault then opens as it would without one.
    if (await exists(sealedFile).catch(() => false)) {
      const passphrase = await options.passphrase?.({ creating: false, file: sealedFile });
      if (!passphrase) {
        return memory(
          `the vault is sealed by a passphrase (${sealedFile}) and none was given`,
          `set ${VAULT_PASSPHRASE_ENV}, or run usher in a terminal to be asked; until then certificates are kept in memory for this run only`,
        );
      }
      keychain = new PassphraseKeychain(sealedFile, passphrase);
    }

    let blob: Buffer | undefined;
    try {
      blob = await keychain.getKey();
    } catch (err) {
      const passphrase = keychain instanceof PassphraseKeychain ? undefined : await options.passphrase?.({ creating: true, file: sealedFile });
      if (!passphrase) return memory(describeCause(err), withPassphraseHint(hintOf(err), keychain));
      keychain = new PassphraseKeychain(sealedFile, passphrase);
      blob = undefined;
    }

    const vault = new Vault(options.dir, { kind: 'keychain', keychain: keychain.name }, keychain, undefined, options.lockWaitMs);
    if (blob === undefined) {
      try {
        blob = await vault.locked('creating the vault key', () => vault.createRing());
      } catch (err) {
        return memory(describeCause(err), hintOf(err));
      }
    }
    const ring = decodeKeyRing(blob);
    blob.fill(0);
    if ('problem' in ring) {
      return memory(
        `the ${keychain.name} entry for Usher ${ring.problem}; it was left untouched, since bundles encrypted with it would otherwise be lost`,
        'if nothing else uses that entry, delete the Usher data key from the keychain and restart Usher, then re-import the certificates; until then certificates are kept in memory for this run only',
      );
    }
    vault.ring = ring;
    await vault.clearLeftovers();
    return vault;
  }

  /** Stores `secret` under `bundleId` (replacing any previous one). The caller keeps ownership of `secret`. */
  async save(bundleId: string, secret: Buffer): Promise<void> {
    assertBundleId(bundleId); // inside an async method: a bad id rejects, never throws synchronously
    return this.exclusive(async () => {
      if (this.ring === undefined) {
        this.memory.get(bundleId)?.fill(0);
        this.memory.set(bundleId, Buffer.from(secret));
        return;
      }
      await this.locked('saving certificates', async () => {
        // Another process may have rotated since we last looked: seal with the key that is current now.
        const ring = await this.reloadRing();
        const key = ring.keys.get(ring.current)!;
        try {
          await this.ensureFolder();
          await writeFileAtomic(this.bundlePath(bundleId), encryptBundle(key, ring.current, bundleId, secret));
        } catch (err) {
          throw new VaultError(
            'BUNDLE_UNWRITABLE',
            `the certificates for this profile cannot be stored (${describeCause(err)})`,
            `check that ${this.folder} is a folder your account may write to and that the disk has space, then import the certificates again`,
            { bundleId, cause: err },
          );
        }
      });
    });
  }

  /** The secret stored under `bundleId`, as a new Buffer the caller may zero when done. */
  async load(bundleId: string): Promise<Buffer> {
    assertBundleId(bundleId); // inside an async method: a bad id rejects, never throws synchronously
    return this.exclusive(async () => {
      if (this.ring === undefined) {
        const kept = this.memory.get(bundleId);
        if (kept !== undefined) return Buffer.from(kept);
        if (await exists(this.bundlePath(bundleId)).catch(() => false)) {
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
      try {
        return this.decrypt(bundleId, file);
      } catch (err) {
        // A key version we do not know, or a key replaced under the same version: another process
        // rotated (or the keychain changed) since we read the ring. Read it again, once.
        const before = this.ring;
        const now = await this.reloadRing().catch(() => before);
        if (now === before) throw err;
        return this.decrypt(bundleId, file);
      }
    });
  }

  /** Forgets `bundleId`: the in-memory copy and the file, in either mode. No error when there is none. */
  async remove(bundleId: string): Promise<void> {
    assertBundleId(bundleId); // inside an async method: a bad id rejects, never throws synchronously
    return this.exclusive(async () => {
      this.memory.get(bundleId)?.fill(0);
      this.memory.delete(bundleId);
      if (this.ring === undefined) return;
      await this.locked('removing certificates', async () => {
        for (const path of [this.bundlePath(bundleId), this.stagingPath(bundleId)]) {
          try {
            await unlink(path);
          } catch (err) {
            if (errorCode(err) !== 'ENOENT') throw err;
          }
        }
      });
    });
  }

  /** The ids this vault holds: the files in keychain mode, the in-memory ones in memory mode. Sorted. */
  list(): Promise<string[]> {
    return this.exclusive(async () => {
      if (this.ring === undefined) return [...this.memory.keys()].sort();
      return (await this.folderEntries())
        .filter((id) => id.kind === 'bundle')
        .map((id) => id.id)
        .sort();
    });
  }

  /** The key versions the keychain holds (two or more after an interrupted rotation) and the current one. */
  keyVersions(): Promise<{ current: number; versions: number[] } | undefined> {
    return this.exclusive(async () => {
      if (this.ring === undefined) return undefined;
      const ring = await this.reloadRing();
      return { current: ring.current, versions: [...ring.keys.keys()].sort((a, b) => a - b) };
    });
  }

  /** A new data key; every bundle re-encrypted with it; old keys retired (see the notes at the top). */
  rotateKey(): Promise<RotateResult> {
    return this.exclusive(async () => {
      if (this.ring === undefined) {
        throw new VaultError(
          'KEYCHAIN_UNAVAILABLE',
          `there is no data key to rotate: ${this.mode.kind === 'memory' ? this.mode.reason : 'no usable keychain'}`,
          'make the keychain available and restart Usher',
        );
      }
      return this.locked('rotating the vault key', async () => {
        const old = await this.reloadRing();
        const version = Math.max(...old.keys.keys()) + 1;
        const newKey = randomBytes(KEY_BYTES);
        // 1. the new key next to the old ones still in use (the commit point: from here on both are
        //    readable). Keys an interrupted rotation left that no bundle names go now: the ring stays small.
        const inUse = await this.keyVersionsInUse();
        const kept = copyKeys(old).filter(([v]) => v === old.current || inUse.has(v));
        await this.storeRing({ current: version, keys: new Map([...kept, [version, newKey]]) });

        // 2. every bundle under the new key, one atomic replace each
        const ring = this.ring!;
        let rotated = 0;
        const failed: string[] = [];
        for (const id of await this.bundleIds()) {
          let file: Buffer;
          try {
            file = await readFile(this.bundlePath(id));
            if (bundleKeyVersion(id, file) === version) continue;
          } catch (err) {
            if (errorCode(err) !== 'ENOENT') failed.push(id);
            continue;
          }
          let secret: Buffer;
          try {
            secret = this.decrypt(id, file);
          } catch {
            failed.push(id);
            continue;
          }
          try {
            await writeFileAtomic(this.bundlePath(id), encryptBundle(newKey, version, id, secret));
            rotated += 1;
          } finally {
            secret.fill(0);
          }
        }

        // 3. retire what no bundle names (a bundle we could not rewrite keeps its key, should it be found readable later)
        const needed = await this.keyVersionsInUse();
        needed.add(version);
        const retired = [...old.keys.keys()].filter((v) => !needed.has(v)).sort((a, b) => a - b);
        if (retired.length > 0) {
          await this.storeRing({ current: version, keys: new Map(copyKeys(ring).filter(([v]) => needed.has(v))) });
        }
        return { rotated, failed: failed.sort(), keyVersion: version, retired };
      });
    });
  }

  // ---------------------------------------------------------------------------------------------

  /** The key versions the bundles on disk name. */
  private async keyVersionsInUse(): Promise<Set<number>> {
    const versions = new Set<number>();
    for (const id of await this.bundleIds()) {
      try {
        versions.add(bundleKeyVersion(id, await readFile(this.bundlePath(id))));
      } catch {
        // gone, or not a bundle we can read the header of: it names no key of ours
      }
    }
    return versions;
  }

  private decrypt(bundleId: string, file: Buffer): Buffer {
    const version = bundleKeyVersion(bundleId, file);
    const key = this.ring?.keys.get(version);
    if (key === undefined) {
      throw new VaultError(
        'BUNDLE_UNREADABLE',
        `the stored certificates for this profile can no longer be decrypted (sealed by data key version ${version}, which the ${this.keychain.name} no longer holds)`,
        're-import the certificates for this profile',
        { bundleId },
      );
    }
    return decryptBundle(key, bundleId, file);
  }

  /** The ring as the keychain holds it now (it becomes this vault's ring). */
  private async reloadRing(): Promise<KeyRing> {
    const blob = await this.keychain.getKey();
    if (blob === undefined) {
      throw new VaultError(
        'KEYCHAIN_UNAVAILABLE',
        `the Usher data key was removed from the ${this.keychain.name} while Usher was running`,
        'restart Usher (a new key is made), then re-import the certificates',
      );
    }
    const ring = decodeKeyRing(blob);
    blob.fill(0);
    if ('problem' in ring) {
      throw new VaultError(
        'KEYCHAIN_UNAVAILABLE',
        `the ${this.keychain.name} entry for Usher ${ring.problem}; it was left untouched`,
        'restart Usher to see what to do',
      );
    }
    if (this.ring !== undefined && sameKeyRing(this.ring, ring)) {
      wipeKeyRing(ring);
      return this.ring; // unchanged: the same object, so callers can tell
    }
    wipeKeyRing(this.ring);
    this.ring = ring;
    return ring;
  }

  /**
   * Stores `ring` and makes it this vault's ring. When the keychain call fails ambiguously (an error
   * or a timeout after the write may have happened), it is read back: stored -> fine; else thrown.
   */
  private async storeRing(ring: KeyRing): Promise<void> {
    const blob = encodeKeyRing(ring);
    try {
      await this.keychain.setKey(blob);
    } catch (err) {
      const stored = await this.keychain.getKey().catch(() => undefined);
      const landed = stored !== undefined && stored.equals(blob);
      stored?.fill(0);
      if (!landed) {
        blob.fill(0);
        wipeKeyRing(ring);
        throw err;
      }
    }
    blob.fill(0);
    if (this.ring !== undefined) wipeKeyRing(this.ring);
    this.ring = ring;
  }

  /** Under the lock: the ring another process may have made meanwhile, else a new one (version 1). */
  private async createRing(): Promise<Buffer> {
    const existing = await this.keychain.getKey();
    if (existing !== undefined) return existing;
    const fresh = encodeKeyRing({ current: 1, keys: new Map([[1, randomBytes(KEY_BYTES)]]) });
    await this.keychain.setKey(fresh);
    // The keychain decides: read back what it holds (a keychain without the lock's reach, another
    // machine's process on a shared folder, may have stored its own at the same moment).
    const stored = await this.keychain.getKey().catch(() => undefined);
    if (stored !== undefined) {
      fresh.fill(0);
      return stored;
    }
    return fresh;
  }

  /** Runs `work` holding the data folder's write lock; a holder that does not let go is VAULT_BUSY. */
  private async locked<T>(purpose: string, work: () => Promise<T>): Promise<T> {
    const dir = join(this.folder, '..');
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      return await withWriteLock(this.lockPath, { purpose, ...(this.lockWaitMs !== undefined ? { waitMs: this.lockWaitMs } : {}) }, work);
    } catch (err) {
      if (err instanceof LockBusyError) throw new VaultError('VAULT_BUSY', err.message, err.hint, { cause: err });
      if (err instanceof VaultError || errorCode(err) === undefined) throw err;
      // The data folder or its lock file cannot be made: a folder problem, said as one.
      throw new VaultError(
        'BUNDLE_UNWRITABLE',
        `the Usher data folder ${dir} cannot be written (${describeCause(err)})`,
        'check that it is a folder your account may write to and that the disk has space',
        { cause: err },
      );
    }
  }

  /** Where the bundle's file is (keychain mode), or undefined: in memory mode no bundle touches disk. */
  bundleFile(bundleId: string): string | undefined {
    return this.mode.kind === 'memory' ? undefined : this.bundlePath(bundleId);
  }

  private bundlePath(id: string): string {
    return join(this.folder, id + BUNDLE_EXT);
  }

  private stagingPath(id: string): string {
    return join(this.folder, id + BUNDLE_EXT + STAGING_EXT);
  }

  private async ensureFolder(): Promise<void> {
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
  }

  private async bundleIds(): Promise<string[]> {
    return (await this.folderEntries())
      .filter((e) => e.kind === 'bundle')
      .map((e) => e.id)
      .sort();
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

  /**
   * Clears what a killed process left: temp files of an interrupted save, and `<id>.bundle.next`
   * staging files of the rotation scheme older Usher versions used (finished when the staging file
   * opens and its bundle does not, as that rotation had committed). Only files older than
   * STALE_LEFTOVER_MS are deleted: younger ones may be another process's work. Never throws.
   */
  private async clearLeftovers(): Promise<void> {
    try {
      const leftovers = (await this.folderEntries()).filter((e) => e.kind !== 'bundle');
      if (leftovers.length === 0) return;
      await this.locked('clearing leftovers of an interrupted write', async () => {
        let renamed = false;
        for (const entry of leftovers) {
          const path = join(this.folder, entry.name);
          try {
            if (entry.kind === 'staging' && (await this.opens(entry.id, path)) && !(await this.opens(entry.id, this.bundlePath(entry.id)))) {
              await rename(path, this.bundlePath(entry.id));
              renamed = true;
              continue;
            }
            if (Date.now() - (await stat(path)).mtimeMs > STALE_LEFTOVER_MS) await unlink(path);
          } catch {
            // gone meanwhile, or not ours to touch: leave it
          }
        }
        if (renamed) await syncDir(this.folder);
      });
    } catch {
      // best effort: a leftover never stops the vault from opening
    }
  }

  /** Whether the file at `path` decrypts with a key of the ring. */
  private async opens(id: string, path: string): Promise<boolean> {
    try {
      this.decrypt(id, await readFile(path)).fill(0);
      return true;
    } catch {
      return false;
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function copyKeys(ring: KeyRing): Array<[number, Buffer]> {
  return [...ring.keys].map(([v, key]) => [v, Buffer.from(key)]);
}

function notFound(bundleId: string): VaultError {
  return new VaultError('BUNDLE_NOT_FOUND', 'there are no stored certificates for this profile', 'import the certificates for this profile', {
    bundleId,
  });
}

function hintOf(err: unknown): string | undefined {
  return err instanceof VaultError ? err.hint : undefined;
}

/** The keychain's own hint, plus the way to keep certificates without one. */
function withPassphraseHint(hint: string | undefined, keychain: Keychain): string | undefined {
  if (keychain instanceof PassphraseKeychain) return hint;
  const passphrase = `or set ${VAULT_PASSPHRASE_ENV} to keep them in a vault sealed by a passphrase`;
  return hint ? `${hint}; ${passphrase}` : passphrase;
}
