// The CLI's view of Usher's local state: the app data folder, the vault, the profiles (with the built-in
// demo profile), and the audit log. The desktop app builds the same objects over Electron's userData.
import type { Profile, ProfileCertificates } from '../../shared/profile';
import type { CertificateSet } from '../core/certs';
import { usherDataDir } from '../core/paths';
import { AuditLog, ProfileError, ProfileStore } from '../core/profiles';
import { loadProfileCertificates, saveProfileCertificates } from '../core/profiles/certificate-bundle';
import { demoProfile } from '../core/profiles/demo-profile';
import { OsKeychain, Vault } from '../core/vault';

export interface AppContext {
  dataDir: string;
  /** Opened on first use: commands that never touch certificates (the demo profile) never ask the keychain. */
  vault(): Promise<Vault>;
  profiles: ProfileStore;
  audit: AuditLog;
  /** The certificate set of a profile, from the vault. */
  loadCertificates(profile: Profile): Promise<CertificateSet>;
  /** Stores a set in the vault under the profile's id; returns the reference the profile keeps. */
  saveCertificates(profileId: string, set: CertificateSet): Promise<ProfileCertificates>;
}

let warned = false;

export async function openAppContext(): Promise<AppContext> {
  const dataDir = usherDataDir();
  let opened: Promise<Vault> | undefined;
  const vault = (): Promise<Vault> => {
    // USHER_KEYCHAIN_SERVICE lets tests use an entry of their own, never a real installation's key.
    opened ??= Vault.open({ dir: dataDir, keychain: new OsKeychain(process.env.USHER_KEYCHAIN_SERVICE || 'Usher') }).then((v) => {
      if (v.mode.kind === 'memory' && !warned) {
        warned = true;
        process.stderr.write(`usher: no usable keychain (${v.mode.reason}); certificates are kept in memory for this run only and are not saved\n`);
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
    loadCertificates: async (profile) =>
      loadProfileCertificates(await vault(), profile, `import them: usher profile add "${profile.name}" --replace --from DIR`),
    saveCertificates: async (profileId, set) => saveProfileCertificates(await vault(), profileId, set),
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
