// The JWT signing pairs Usher holds, one per profile: the private key sealed in the vault like a site's
// certificates, and a small index (jwt-signing-pairs.json in the data folder) naming each profile's bundle
// and holding its certificate. The certificate is public: reading it (checks, the built-in site's /jwt)
// never opens the vault or asks the keychain; minting does.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QLIK_JWT_ALGORITHMS, type JwtSigningPairSummary } from '../../../shared/jwt';
import { firstProblem, list, number, oneOf, record, text, type Infer } from '../../../shared/schema';
import { writeFileAtomic } from '../fs/atomic-write';
import { errorCode } from '../fs/error-code';
import { withWriteLock } from '../fs/write-lock';
import { dataWriteLockPath } from '../paths';
import { VaultError, type Vault } from '../vault';
import { JwtError } from './errors';
import { summarizeSigningPair, type JwtSigningPair } from './signing-pair';

export const JWT_INDEX_FILE = 'jwt-signing-pairs.json';

const ENTRY = record({
  profileId: text({ min: 1, max: 64 }),
  bundleId: text({ pattern: /^[a-z0-9-]{1,64}$/ }),
  certificatePem: text({ min: 1, max: 16 * 1024 }),
  algorithm: oneOf(...QLIK_JWT_ALGORITHMS),
  createdAt: text({ max: 64 }),
  storage: oneOf('keychain', 'memory'),
});
const INDEX = record({ version: number({ min: 1, max: 1, integer: true }), pairs: list(ENTRY) });
type Entry = Infer<typeof ENTRY>;

/** What may be shown of a held pair: its certificate and where the key is, never the key. */
export interface HeldSigningPair extends JwtSigningPairSummary {
  profileId: string;
  createdAt: string;
  /** `memory`: there was no usable keychain when it was made; the key lived for that run only. */
  storage: 'keychain' | 'memory';
}

/** The key as the vault keeps it; the certificate is in the index. */
interface SealedKey {
  keyPem: string;
}

export class JwtKeyStore {
  private readonly indexPath: string;

  constructor(
    private readonly dataDir: string,
    private readonly vault: () => Promise<Vault>,
  ) {
    this.indexPath = join(dataDir, JWT_INDEX_FILE);
  }

  /** The pair held for a profile, without its key; undefined when there is none. Never opens the vault. */
  async held(profileId: string): Promise<HeldSigningPair | undefined> {
    const entry = (await this.readIndex()).find((e) => e.profileId === profileId);
    return entry ? describe(entry) : undefined;
  }

  /** Stores a pair for a profile (replacing any it had: the new key is sealed before the old one goes). */
  async save(profileId: string, pair: JwtSigningPair): Promise<HeldSigningPair> {
    const vault = await this.vault();
    const bundleId = `jwt-${randomBytes(8).toString('hex')}`;
    const sealed = Buffer.from(JSON.stringify({ keyPem: pair.keyPem } satisfies SealedKey), 'utf8');
    try {
      await vault.save(bundleId, sealed);
    } finally {
      sealed.fill(0);
    }
    const entry: Entry = {
      profileId,
      bundleId,
      certificatePem: pair.certificatePem,
      algorithm: pair.algorithm,
      createdAt: new Date().toISOString(),
      storage: vault.mode.kind === 'keychain' ? 'keychain' : 'memory',
    };
    const replaced = await this.updateIndex((entries) => [...entries.filter((e) => e.profileId !== profileId), entry]);
    for (const old of replaced.filter((e) => e.profileId === profileId)) await vault.remove(old.bundleId).catch(() => undefined);
    return describe(entry);
  }

  /** The whole pair, key included (main process only): opens the vault. */
  async load(profileId: string, profileName = profileId): Promise<JwtSigningPair> {
    const entry = (await this.readIndex()).find((e) => e.profileId === profileId);
    if (!entry) throw noPair(profileName);
    let bytes: Buffer;
    try {
      bytes = await (await this.vault()).load(entry.bundleId);
    } catch (err) {
      if (!(err instanceof VaultError) || err.code !== 'BUNDLE_NOT_FOUND') throw err;
      const why =
        entry.storage === 'memory'
          ? 'it was kept in memory only (no usable keychain when it was made), for that run alone'
          : 'the vault no longer holds its key';
      throw new JwtError(
        'NO_SIGNING_PAIR',
        `the JWT signing key of profile "${profileName}" is gone: ${why}`,
        `Make a new pair with usher jwt keygen --profile "${profileName}" --replace and paste its certificate into the QMC.`,
        { cause: err },
      );
    }
    try {
      const { keyPem } = JSON.parse(bytes.toString('utf8')) as SealedKey;
      return { keyPem, certificatePem: entry.certificatePem, algorithm: entry.algorithm };
    } finally {
      bytes.fill(0);
    }
  }

  /** Forgets a profile's pair and destroys its key; false when it had none. */
  async remove(profileId: string): Promise<boolean> {
    const removed = await this.updateIndex((entries) => entries.filter((e) => e.profileId !== profileId));
    const gone = removed.filter((e) => e.profileId === profileId);
    if (gone.length === 0) return false;
    const vault = await this.vault();
    for (const entry of gone) await vault.remove(entry.bundleId).catch(() => undefined);
    return true;
  }

  private async readIndex(): Promise<Entry[]> {
    let raw: string;
    try {
      raw = await readFile(this.indexPath, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return [];
      throw new JwtError(
        'NO_SIGNING_PAIR',
        `the list of JWT signing pairs (${this.indexPath}) cannot be read: ${errorCode(err) ?? 'unknown error'}`,
        'Check the permissions of the Usher data folder.',
        { cause: err },
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const checked = firstProblem(INDEX, parsed);
    if (!checked.ok) {
      throw new JwtError(
        'NO_SIGNING_PAIR',
        `the list of JWT signing pairs (${this.indexPath}) is damaged: ${checked.error.message}`,
        'Move the file aside and make the pairs again with usher jwt keygen.',
      );
    }
    return checked.value.pairs;
  }

  /** Rewrites the index under the data folder's write lock; returns the entries it held before. */
  private async updateIndex(change: (entries: Entry[]) => Entry[]): Promise<Entry[]> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    return withWriteLock(dataWriteLockPath(this.dataDir), { purpose: 'saving the JWT signing pairs' }, async () => {
      const before = await this.readIndex();
      await writeFileAtomic(this.indexPath, `${JSON.stringify({ version: 1, pairs: change(before) }, null, 2)}\n`, 0o600);
      return before;
    });
  }
}

function noPair(profileName: string): JwtError {
  return new JwtError(
    'NO_SIGNING_PAIR',
    `Usher holds no JWT signing pair for profile "${profileName}"`,
    `Make one with usher jwt keygen --profile "${profileName}" (or import a key with --key FILE).`,
  );
}

function describe(entry: Entry): HeldSigningPair {
  const summary = summarizeSigningPair({ keyPem: '', certificatePem: entry.certificatePem, algorithm: entry.algorithm });
  return { ...summary, profileId: entry.profileId, createdAt: entry.createdAt, storage: entry.storage };
}
