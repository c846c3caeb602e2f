// Profile -> site, decided once for every face: the built-in profile reaches the built-in site (its PKI
// lives in memory, never in the vault), any other profile its saved addresses with the certificates the
// vault holds for it. The faces only say how the built-in site is had (the console's runs from start to
// quit, the CLI starts one for a command) and how they tell a person to import certificates again.
import { issuingNode, type Profile } from '../../../shared/profile';
import { loadProfileCertificates } from '../profiles/certificate-bundle';
import type { Vault } from '../vault';

/** What a connection to a site is made from: its CA, and the client certificate QPS and QRS trust. */
export interface SiteMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** The built-in site as the profile operation needs it: its PKI and its central node's addresses. */
export interface BuiltInSite {
  material: SiteMaterial;
  central: { qps: string; qrs: string; hub: string };
}

export interface ConnectProfileInput {
  profile: Profile;
  /** The vault, opened only when a saved profile needs it (the built-in one never does). */
  vault: () => Promise<Vault>;
  /** The running built-in site, asked for only when the profile is the built-in one. */
  builtInSite: () => Promise<BuiltInSite>;
  /** How this face says to import the profile's certificates again, when the vault has none. */
  reimportHint: string;
}

export interface ProfileSite {
  material: SiteMaterial;
  qps: string;
  qrs: string;
  /** The proxy browsers reach the site on (the issuing node's), when known. */
  hub?: string;
}

export async function connectProfile(input: ConnectProfileInput): Promise<ProfileSite> {
  const { profile } = input;
  if (profile.builtIn) {
    const { material, central } = await input.builtInSite();
    return { material, qps: central.qps, qrs: central.qrs, hub: central.hub };
  }
  const set = await loadProfileCertificates(await input.vault(), profile, input.reimportHint);
  const hub = issuingNode(profile)?.proxy;
  return {
    material: { caPem: set.caPem, certPem: set.certPem, keyPem: set.keyPem },
    qps: profile.qps,
    qrs: profile.qrs,
    ...(hub ? { hub } : {}),
  };
}
