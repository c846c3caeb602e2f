// Where the data keys live when there is no OS keychain (CI, headless Linux): a file in the vault
// folder, AES-256-GCM sealed with a key derived from a passphrase by scrypt. The passphrase comes from
// USHER_VAULT_PASSPHRASE or a hidden prompt, never from a flag (flags end up in shell history and `ps`).
// The bundles themselves are the same files as with a keychain; only the place of the key ring differs.
//
// File (JSON): { format: "usher-sealed-keyring", version: 1, kdf: { name: "scrypt", N, r, p, salt },
//                iv, tag, data }   (binary fields base64; data = the sealed key ring of key-ring.ts)
// The salt is made once per file; every write has a fresh IV. Writes go through writeFileAtomic and,
// like every vault write, happen under the data folder's write lock.
import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write';
import { errorCode } from '../fs/error-code';
import { VaultError, describeCause } from './errors';
import type { Keychain } from './keychain';

export const VAULT_PASSPHRASE_ENV = 'USHER_VAULT_PASSPHRASE';
/** The sealed key ring's file name in the vault folder. */
export const SEALED_KEY_FILE = 'keyring.sealed';

const FORMAT = 'usher-sealed-keyring';
const FORMAT_VERSION = 1;
/** scrypt cost: 2^15 x 8 x 128 bytes = 32 MiB and about 0.1 s per derivation, once per process. */
const KDF = { N: 2 ** 15, r: 8, p: 1 } as const;
const AAD = Buffer.from(`${FORMAT} v${FORMAT_VERSION}`, 'utf8');

interface SealedFile {
  format: string;
  version: number;
  kdf: { name: string; N: number; r: number; p: number; salt: string };
  iv: string;
  tag: string;
  data: string;
}

function derive(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => scrypt(passphrase.normalize('NFC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export class PassphraseKeychain implements Keychain {
  readonly name = 'passphrase-sealed key file';
  private derived: { id: string; key: Buffer } | undefined;

  constructor(
    readonly file: string,
    private readonly passphrase: string,
  ) {}

  async getKey(): Promise<Buffer | undefined> {
    const sealed = await this.read();
    if (!sealed) return undefined;
    const key = await this.keyFor(sealed.kdf.salt, sealed.kdf);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'), { authTagLength: 16 });
      decipher.setAAD(AAD);
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    } catch {
      throw new VaultError(
        'KEYCHAIN_REFUSED',
        `the passphrase does not open the vault's key file ${this.file} (wrong passphrase, or the file was changed)`,
        `set ${VAULT_PASSPHRASE_ENV} to the passphrase the vault was sealed with; until then certificates are kept in memory for this run only`,
      );
    }
  }

  async setKey(ring: Buffer): Promise<void> {
    const existing = await this.read().catch(() => undefined);
    const salt = existing?.kdf.salt ?? randomBytes(16).toString('base64');
    const key = await this.keyFor(salt, KDF);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    cipher.setAAD(AAD);
    const data = Buffer.concat([cipher.update(ring), cipher.final()]);
    const sealed: SealedFile = {
      format: FORMAT,
      version: FORMAT_VERSION,
      kdf: { name: 'scrypt', ...KDF, salt },
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
    try {
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.file, `${JSON.stringify(sealed)}\n`);
    } catch (err) {
      throw new VaultError(
        'KEYCHAIN_UNAVAILABLE',
        `the vault's key file ${this.file} cannot be written (${describeCause(err)})`,
        'check that the folder is writable and the disk has space',
        { cause: err },
      );
    }
  }

  async deleteKey(): Promise<void> {
    await unlink(this.file).catch((err: unknown) => {
      if (errorCode(err) !== 'ENOENT') throw err;
    });
  }

  private async read(): Promise<SealedFile | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return undefined;
      throw new VaultError('KEYCHAIN_UNAVAILABLE', `the vault's key file ${this.file} cannot be read (${describeCause(err)})`, 'check its permissions', {
        cause: err,
      });
    }
    let sealed: SealedFile;
    try {
      sealed = JSON.parse(text) as SealedFile;
    } catch {
      sealed = {} as SealedFile;
    }
    const kdf = sealed.kdf;
    const ok =
      sealed.format === FORMAT &&
      sealed.version === FORMAT_VERSION &&
      kdf?.name === 'scrypt' &&
      [kdf.N, kdf.r, kdf.p].every((n) => Number.isInteger(n) && n > 0 && n <= 2 ** 20) &&
      [kdf.salt, sealed.iv, sealed.tag, sealed.data].every((v) => typeof v === 'string');
    if (!ok) {
      throw new VaultError(
        'KEYCHAIN_UNAVAILABLE',
        `${this.file} is not a Usher key file (or was written by a newer Usher); it was left untouched`,
        'restore it from a backup, or move it away and import the certificates again',
      );
    }
    return sealed;
  }

  /** scrypt is slow on purpose: derived once per salt and kept for this process. */
  private async keyFor(salt: string, params: { N: number; r: number; p: number }): Promise<Buffer> {
    const id = `${salt}/${params.N}/${params.r}/${params.p}`;
    if (this.derived?.id !== id) {
      this.derived = { id, key: await derive(this.passphrase, Buffer.from(salt, 'base64'), params) };
    }
    return this.derived.key;
  }
}
