// The CLI's view of Usher's local state: the app data folder, the vault, the profiles (with the built-in
// demo profile), and the audit log. The desktop app builds the same objects over Electron's userData.
import type { Profile } from '../../shared/profile';
import type { CertificateSet } from '../core/certs';
import { usherDataDir } from '../core/paths';
import { AuditLog, ProfileError, ProfileStore } from '../core/profiles';
import { loadProfileCertificates } from '../core/profiles/certificate-bundle';
import { demoProfile } from '../core/profiles/demo-profile';
import { OsKeychain, VAULT_PASSPHRASE_ENV, Vault, type VaultPassphraseSource } from '../core/vault';
import { passphraseIfGiven } from './passphrase';

export interface AppContext {
  dataDir: string;
  /** Opened on first use: commands that never touch certificates (the demo profile) never ask the keychain. */
  vault(): Promise<Vault>;
  profiles: ProfileStore;
  audit: AuditLog;
  /** The certificate set of a profile, from the vault. */
  loadCertificates(profile: Profile): Promise<CertificateSet>;
}

/**
 * The vault passphrase: USHER_VAULT_PASSPHRASE, else a hidden prompt on a terminal when a sealed vault
 * exists. A new sealed vault is made only from the variable: nobody is asked on every command merely
 * because there is no keychain.
 */
const vaultPassphrase: VaultPassphraseSource = ({ creating }) => passphraseIfGiven(VAULT_PASSPHRASE_ENV, 'the Usher vault', { prompt: !creating });

let warned = false;

/** How the CLI says to put a profile's certificates back in the vault. */
export function reimportHint(profile: Profile): string {
  return `import them: usher profile add "${profile.name}" --replace --from DIR`;
}

export async function openAppContext(): Promise<AppContext> {
  const dataDir = usherDataDir();
  let opened: Promise<Vault> | undefined;
  const vault = (): Promise<Vault> => {
    // USHER_KEYCHAIN_SERVICE lets tests use an entry of their own, never a real installation's key.
    opened ??= Vault.open({
      dir: dataDir,
      keychain: new OsKeychain(process.env.USHER_KEYCHAIN_SERVICE || 'Usher'),
      passphrase: vaultPassphrase,
    }).then((v) => {
      if (v.mode.kind === 'memory' && !warned) {
        warned = true;
        process.stderr.write(
          `usher: no usable keychain (${v.mode.reason}); certificates are kept in memory for this run only and are not saved (set ${VAULT_PASSPHRASE_ENV} to keep them in a vault sealed by a passphrase)\n`,
        );
      }
      return v;
    });
    return opened;
  };
  return {
    dataDir,
    vault,
    profiles: new ProfileStore(dataDir, { builtIns: [demoProfile()] }),
    audit: new AuditLog(dataDir),
    loadCertificates: async (profile) => loadProfileCertificates(await vault(), profile, reimportHint(profile)),
  };
}

/** The profile by id or name; undefined when there is none (any other failure, a damaged store say, is thrown). */
export async function findProfile(app: AppContext, nameOrId: string): Promise<Profile | undefined> {
  try {
    return await app.profiles.get(nameOrId);
  } catch (err) {
    if (err instanceof ProfileError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  }
}
