// A profile's certificate set in the vault: serialised as one bundle, and the non-secret summary the
// profile keeps in its place. Shared by the CLI and the console.
//
// Every set gets a bundle id of its own (the profile id plus a random suffix), never the bare profile
// id: writing a bundle can then never replace the certificates of another profile, whatever its name,
// and replacing a profile's certificates writes the new bundle before the old one is removed.
import { randomBytes } from 'node:crypto';
import type { Profile, ProfileCertificates } from '../../../shared/profile';
import type { CertificateSet } from '../certs';
import { summarizeCertificate } from '../certs/summary';
import { VaultError, type Vault } from '../vault';
import type { ProfileStore } from './store';

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

/** A bundle id no other set has: `<profile id, cut to 51>-<12 hex>` (64 characters at most). */
function newBundleId(profileId: string): string {
  return `${profileId.slice(0, 51).replace(/-+$/, '') || 'profile'}-${randomBytes(6).toString('hex')}`;
}

/** Stores a set in the vault under a new bundle id; returns the reference the profile keeps. */
export async function saveProfileCertificates(vault: Vault, profileId: string, set: CertificateSet): Promise<ProfileCertificates> {
  const bytes = Buffer.from(JSON.stringify(set), 'utf8');
  const bundleId = newBundleId(profileId);
  try {
    await vault.save(bundleId, bytes);
  } finally {
    bytes.fill(0);
  }
  const client = summarizeCertificate(set.certPem);
  const root = summarizeCertificate(set.caPem);
  return {
    bundleId,
    clientSubject: client.subject,
    clientFingerprint256: client.fingerprint256,
    rootSubject: root.subject,
    validTo: new Date(client.validTo).toISOString(),
    storage: vault.mode.kind === 'keychain' ? 'keychain' : 'memory',
  };
}

/**
 * A new profile with its certificates: the bundle first, then the profile (ProfileStore.create picks a
 * free id and refuses a name in use). When the profile cannot be stored the bundle is removed again.
 */
export async function createProfileWithCertificates(store: ProfileStore, vault: Vault, profile: Profile, set: CertificateSet): Promise<Profile> {
  const certificates = await saveProfileCertificates(vault, profile.id, set);
  try {
    return await store.create({ ...profile, certificates });
  } catch (err) {
    await vault.remove(certificates.bundleId).catch(() => undefined);
    throw err;
  }
}

/**
 * New certificates for an existing profile (same id): the new bundle, then the profile pointing at it,
 * then the old bundle removed. A failure on the way leaves the profile with its old certificates.
 */
export async function replaceProfileCertificates(store: ProfileStore, vault: Vault, profile: Profile, set: CertificateSet): Promise<Profile> {
  const old = profile.certificates?.bundleId;
  const certificates = await saveProfileCertificates(vault, profile.id, set);
  let saved: Profile;
  try {
    saved = await store.save({ ...profile, certificates });
  } catch (err) {
    await vault.remove(certificates.bundleId).catch(() => undefined);
    throw err;
  }
  if (old !== undefined && old !== certificates.bundleId) await vault.remove(old).catch(() => undefined);
  return saved;
}
