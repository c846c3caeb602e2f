// A profile's certificate set in the vault: serialised as one bundle under the profile's id, and the
// non-secret summary the profile keeps in its place. Shared by the CLI and the console.
import type { Profile, ProfileCertificates } from '../../../shared/profile';
import { summarizeCertificate, type CertificateSet } from '../certs';
import { VaultError, type Vault } from '../vault';

/**
 * The certificate set of a profile. `missingHint` says how to add certificates in the caller's own
 * terms (a CLI command, a console screen).
 */
export async function loadProfileCertificates(vault: Vault, profile: Profile, missingHint: string): Promise<CertificateSet> {
  if (!profile.certificates) {
    throw new VaultError('BUNDLE_NOT_FOUND', `profile "${profile.name}" has no certificates`, missingHint);
  }
  const { bundleId, storage } = profile.certificates;
  let bytes: Buffer;
  try {
    bytes = await vault.load(bundleId);
  } catch (err) {
    if (!(err instanceof VaultError) || err.code !== 'BUNDLE_NOT_FOUND') throw err;
    // The vault's own message cannot say which profile, nor why a profile refers to nothing.
    const why =
      storage === 'memory'
        ? 'they were kept in memory only (there was no usable keychain when they were imported), for that run alone'
        : 'the vault holds no bundle for them (removed, or the profile was copied from another machine)';
    throw new VaultError('BUNDLE_NOT_FOUND', `the certificates of profile "${profile.name}" are gone: ${why}`, missingHint, { bundleId, cause: err });
  }
  try {
    return JSON.parse(bytes.toString('utf8')) as CertificateSet;
  } finally {
    bytes.fill(0);
  }
}

/** Stores a set in the vault under the profile's id; returns the reference the profile keeps. */
export async function saveProfileCertificates(vault: Vault, profileId: string, set: CertificateSet): Promise<ProfileCertificates> {
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
}
