// Where the vault's data keys live. The OS keychain holds ONE entry per installation: the key ring of
// key-ring.ts (the current key, plus the previous one while a rotation runs); the certificate bundles
// themselves are files (Windows Credential Manager caps a secret at 2,560 bytes).
//
// OsKeychain notes:
// - It uses @napi-rs/keyring's AsyncEntry, which runs on libuv's thread pool: a Secret Service that
//   hangs (a locked collection waiting for a prompt nobody sees) cannot freeze the event loop, and
//   every call is raced against a timeout (5 s by default) and aborted when it fires.
// - On Linux the entry is pinned to the Secret Service. The library would otherwise fall back silently
//   to the kernel keyutils keyring, which "will not persist across reboots": the data key would vanish
//   at the next reboot and every stored bundle with it. No Secret Service means memory mode instead.
// - The key is stored as base64 text (the password), which every backend handles the same way.
import { AsyncEntry } from '@napi-rs/keyring';
import { VaultError, describeCause } from './errors';

export interface Keychain {
  /** Human name for messages and VaultMode, e.g. "Secret Service". */
  readonly name: string;
  /** The stored key ring (key-ring.ts; a bare 32-byte key from older versions), or undefined when there is none. */
  getKey(): Promise<Buffer | undefined>;
  setKey(key: Buffer): Promise<void>;
  /** Removes the stored key; no error when there is none. */
  deleteKey(): Promise<void>;
}

/** The part of AsyncEntry we use (so a test can put a hanging or failing entry behind OsKeychain). */
export interface KeyringEntryLike {
  getPassword(signal?: AbortSignal | null): Promise<string | null>;
  setPassword(password: string, signal?: AbortSignal | null): Promise<void>;
  deletePassword(signal?: AbortSignal | null): Promise<boolean>;
}

export interface OsKeychainOptions {
  /** How long one keychain call may take before it counts as unavailable. Default 5000 ms. */
  timeoutMs?: number;
  /** Test seam: how the entry is made. Default: AsyncEntry pinned to the Secret Service on Linux. */
  createEntry?: (service: string, account: string) => KeyringEntryLike;
}

const DEFAULT_KEYCHAIN_TIMEOUT_MS = 5_000;

function osKeychainName(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'macOS Keychain';
    case 'win32':
      return 'Windows Credential Manager';
    case 'linux':
    case 'freebsd':
      return 'Secret Service';
    default:
      return 'OS keychain';
  }
}

function unavailableHint(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'linux' || platform === 'freebsd') {
    return 'run a Secret Service in your desktop session (gnome-keyring, KWallet or KeePassXC) and restart Usher; until then certificates are kept in memory for this run only';
  }
  return 'make sure the OS keychain is available to Usher and restart Usher; until then certificates are kept in memory for this run only';
}

const REFUSED_HINT = 'unlock the keychain (or allow Usher access when asked) and restart Usher; until then certificates are kept in memory for this run only';

/** keyring-rs "NoStorageAccess" ("Couldn't access platform storage: ...") and OS denials mean: there, but refusing. */
const REFUSED_PATTERN =
  /couldn'?t access platform storage|no ?storage ?access|access ?denied|denied|refused|locked|cancel|dismiss|not allowed|user interaction|prompt/i;

export class OsKeychain implements Keychain {
  readonly name: string;
  readonly service: string;
  readonly account: string;
  private readonly timeoutMs: number;
  private readonly createEntry: (service: string, account: string) => KeyringEntryLike;
  /** Made once and reused: each new entry opens its own D-Bus connection (about 15 ms on Linux). */
  private entry: KeyringEntryLike | undefined;

  constructor(service = 'Usher', account = 'vault-data-key', options: OsKeychainOptions = {}) {
    this.service = service;
    this.account = account;
    this.name = osKeychainName();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
    this.createEntry = options.createEntry ?? ((s, a) => new AsyncEntry(s, a, { linux: { store: 'secret-service' } }));
  }

  async getKey(): Promise<Buffer | undefined> {
    const text = await this.call('read the data key', (entry, signal) => entry.getPassword(signal));
    if (text === null || text === undefined) return undefined;
    const key = Buffer.from(text, 'base64');
    if (text.length === 0 || key.toString('base64') !== text) {
      key.fill(0);
      throw new VaultError(
        'KEYCHAIN_UNAVAILABLE',
        `the ${this.name} entry "${this.service} / ${this.account}" does not hold a Usher data key (it is not base64); it was left untouched`,
        `if nothing else uses that entry, delete it from the keychain and restart Usher, then re-import the certificates; until then certificates are kept in memory for this run only`,
      );
    }
    return key;
  }

  async setKey(key: Buffer): Promise<void> {
    await this.call('store the data key', (entry, signal) => entry.setPassword(key.toString('base64'), signal));
  }

  async deleteKey(): Promise<void> {
    await this.call('delete the data key', async (entry, signal) => {
      await entry.deletePassword(signal);
    });
  }

  /** Runs one keychain call with a timeout; every failure becomes a VaultError with the cause. */
  private async call<T>(what: string, fn: (entry: KeyringEntryLike, signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new VaultError(
            'KEYCHAIN_UNAVAILABLE',
            `the ${this.name} did not answer within ${this.timeoutMs / 1000} s when asked to ${what} (it may be locked and waiting for a password prompt)`,
            unavailableHint(),
          ),
        );
      }, this.timeoutMs);
      timer.unref?.();
    });
    try {
      const work = (async () => fn((this.entry ??= this.createEntry(this.service, this.account)), controller.signal))();
      work.catch(() => undefined); // after a timeout, a late rejection must not become unhandled
      return await Promise.race([work, timeout]);
    } catch (err) {
      this.entry = undefined; // a fresh entry (and connection) for the next call
      throw this.mapError(err, what);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  private mapError(err: unknown, what: string): VaultError {
    if (err instanceof VaultError) return err;
    const cause = describeCause(err);
    if (REFUSED_PATTERN.test(cause)) {
      return new VaultError('KEYCHAIN_REFUSED', `the ${this.name} refused to ${what} (${cause})`, REFUSED_HINT, { cause: err });
    }
    return new VaultError('KEYCHAIN_UNAVAILABLE', `the ${this.name} is not reachable to ${what} (${cause})`, unavailableHint(), {
      cause: err,
    });
  }
}

/** Keeps the key in this process only. For tests; never a production fallback (memory mode has no key at all). */
export class MemoryKeychain implements Keychain {
  readonly name: string;
  private key: Buffer | undefined;

  constructor(name = 'memory keychain', initial?: Buffer) {
    this.name = name;
    this.key = initial === undefined ? undefined : Buffer.from(initial);
  }

  async getKey(): Promise<Buffer | undefined> {
    return this.key === undefined ? undefined : Buffer.from(this.key);
  }

  async setKey(key: Buffer): Promise<void> {
    this.key?.fill(0);
    this.key = Buffer.from(key);
  }

  async deleteKey(): Promise<void> {
    this.key?.fill(0);
    this.key = undefined;
  }
}
