// The CLI's view of Usher's local state: the app data folder, the vault, the profiles (with the built-in
// demo profile), and the audit log. The desktop app builds the same objects over Electron's userData.
import type { Profile, ProfileCertificates } from '../../shared/profile';
import { summarizeCertificate, type CertificateSet } from '../core/certs';
import { usherDataDir } from '../core/paths';
import { AuditLog, ProfileStore } from '../core/profiles';
import { OsKeychain, Vault, VaultError } from '../core/vault';

export const DEMO_PROFILE_ID = 'demo';

/** The built-in site as a profile: always there, nothing to set up; its addresses exist once it runs. */
export function demoProfile(): Profile {
  const epoch = '2026-01-01T00:00:00.000Z';
  return {
    id: DEMO_PROFILE_ID,
    name: 'demo',
    qps: 'https://localhost',
    qrs: 'https://localhost',
    defaultVirtualProxy: 'ticket',
    defaultUserDirectory: 'DEMO',
    nodes: [],
    virtualProxies: [],
    builtIn: true,
    createdAt: epoch,
    updatedAt: epoch,
  };
}

export interface AppContext {
  dataDir: string;
  vault: Vault;
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
  // USHER_KEYCHAIN_SERVICE lets tests use an entry of their own, never a real installation's key.
  const vault = await Vault.open({ dir: dataDir, keychain: new OsKeychain(process.env.USHER_KEYCHAIN_SERVICE || 'Usher') });
  if (vault.mode.kind === 'memory' && !warned) {
    warned = true;
    process.stderr.write(`usher: no usable keychain (${vault.mode.reason}); certificates are kept in memory for this run only and are not saved\n`);
  }
  return {
    dataDir,
    vault,
    profiles: new ProfileStore(dataDir, { builtIns: [demoProfile()] }),
    audit: new AuditLog(dataDir),
    async loadCertificates(profile) {
      if (!profile.certificates) {
        throw new VaultError('BUNDLE_NOT_FOUND', `profile "${profile.name}" has no certificates`, `import them: usher profile add "${profile.name}" --replace --from DIR`);
      }
      const bytes = await vault.load(profile.certificates.bundleId);
      try {
        return JSON.parse(bytes.toString('utf8')) as CertificateSet;
      } finally {
        bytes.fill(0);
      }
    },
    async saveCertificates(profileId, set) {
      const bytes = Buffer.from(JSON.stringify(set), 'utf8');
      try {
        await vault.save(profileId, bytes);
      } finally {
        bytes.fill(0);
      }
      const client = summarizeCertificate(set.certPem);
      const root = summarizeCertificate(set.caPem);
      return {
        bundleId: profileId,
        clientSubject: client.subject,
        clientFingerprint256: client.fingerprint256,
        rootSubject: root.subject,
        validTo: new Date(client.validTo).toISOString(),
        storage: vault.mode.kind === 'keychain' ? 'keychain' : 'memory',
      };
    },
  };
}
