// Managing a saved site: rename, new addresses, removal (with what it removes said first). Written once
// here; `usher profile rename|set-addresses|remove` and the console's Site section are faces of it.
import { profileNameProblem, type Profile } from '../../../shared/profile';
import { serviceBaseUrl } from '../qlik/base-url';
import type { SiteRemoval } from '../../../shared/site-admin';
import type { Vault } from '../vault';
import { ProfileError } from './errors';
import type { ProfileStore } from './store';

/** A stored (not built-in) site, or BUILT_IN naming what cannot be done to the demo site. */
async function storedSite(store: ProfileStore, idOrName: string, what: string): Promise<Profile> {
  const profile = await store.get(idOrName);
  if (profile.builtIn) {
    throw new ProfileError(
      'BUILT_IN',
      `"${profile.name}" is the built-in demo site and cannot be ${what}.`,
      'Only sites you added can be changed; the demo site is made anew at every start.',
    );
  }
  return profile;
}

/** What removing the site would remove (and what it keeps), without removing anything. */
export async function planSiteRemoval(store: ProfileStore, vault: Vault, idOrName: string): Promise<SiteRemoval> {
  return removalOf(store, vault, await storedSite(store, idOrName, 'removed'));
}

function removalOf(store: ProfileStore, vault: Vault, profile: Profile): SiteRemoval {
  const removal: SiteRemoval = { profileId: profile.id, name: profile.name, profileFile: store.fileOf(profile.id) };
  const c = profile.certificates;
  if (c) {
    const file = vault.bundleFile(c.bundleId);
    removal.certificates = { bundleId: c.bundleId, clientSubject: c.clientSubject, clientFingerprint256: c.clientFingerprint256, ...(file ? { file } : {}) };
  }
  if (vault.mode.kind === 'keychain') removal.keychainEntryKept = vault.mode.keychain;
  return removal;
}

/** Removes the site file, then its certificate bundle; returns what was removed. */
export async function removeSite(store: ProfileStore, vault: Vault, idOrName: string): Promise<SiteRemoval> {
  await storedSite(store, idOrName, 'removed');
  const removed = await store.remove(idOrName);
  if (removed.certificates) await vault.remove(removed.certificates.bundleId);
  return removalOf(store, vault, removed);
}

/** The same site (same id, same certificates) under a new name; NAME_TAKEN when another site has it. */
export async function renameSite(store: ProfileStore, idOrName: string, name: string): Promise<Profile> {
  const problem = profileNameProblem(name);
  if (problem) throw new ProfileError('INVALID', `The name ${JSON.stringify(name)} cannot be used: it ${problem}.`, 'Choose another name.');
  const profile = await storedSite(store, idOrName, 'renamed');
  if (profile.name === name) return profile;
  return store.save({ ...profile, name });
}

/**
 * New QPS/QRS addresses for a site (a moved server, a new port). Nodes and virtual proxies stay as the
 * last check found them: run the trust check to refresh them from the new address.
 */
export async function setSiteAddresses(store: ProfileStore, idOrName: string, addresses: { qps: string; qrs: string }): Promise<Profile> {
  const qps = serviceBaseUrl(addresses.qps, 'qps');
  const qrs = serviceBaseUrl(addresses.qrs, 'qrs');
  const profile = await storedSite(store, idOrName, 'changed');
  return store.save({ ...profile, qps, qrs });
}
