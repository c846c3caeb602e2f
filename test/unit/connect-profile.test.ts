// Profile -> site, decided once for the CLI and the console: the built-in profile reaches the built-in
// site and never opens the vault; a saved profile gets its addresses and the vault's certificates, and
// a profile whose certificates are gone is refused with the hint of the face that asked.
import { describe, expect, it } from 'vitest';
import { connectProfile, type BuiltInSite } from '../../electron/core/operations/connect-profile';
import { demoProfile } from '../../electron/core/profiles/demo-profile';
import type { Vault } from '../../electron/core/vault';
import type { Profile } from '../../shared/profile';

const builtIn: BuiltInSite = {
  material: { caPem: 'CA', certPem: 'CERT', keyPem: 'KEY' },
  central: { qps: 'https://localhost:14243', qrs: 'https://localhost:14242', hub: 'https://localhost:1443' },
};

const noVault = (): Promise<Vault> => Promise.reject(new Error('the vault must stay closed for the built-in profile'));

describe('connectProfile', () => {
  it('gives the built-in profile the built-in site, without opening the vault', async () => {
    const site = await connectProfile({ profile: demoProfile(), vault: noVault, builtInSite: async () => builtIn, reimportHint: 'hint' });
    expect(site).toEqual({ material: builtIn.material, qps: 'https://localhost:14243', qrs: 'https://localhost:14242', hub: 'https://localhost:1443' });
  });

  it('refuses a saved profile without certificates with the hint of the face that asked, never the built-in site', async () => {
    const saved: Profile = {
      ...demoProfile(),
      id: 'prod',
      name: 'Prod',
      builtIn: false,
      qps: 'https://qlik.example.com:4243',
      qrs: 'https://qlik.example.com:4242',
    };
    delete saved.certificates;
    const emptyVault = async (): Promise<Vault> => ({}) as Vault;
    const builtInSite = (): Promise<BuiltInSite> => Promise.reject(new Error('a saved profile must not start the built-in site'));
    await expect(connectProfile({ profile: saved, vault: emptyVault, builtInSite, reimportHint: 'import them again' })).rejects.toMatchObject({
      code: 'BUNDLE_NOT_FOUND',
      message: 'profile "Prod" has no certificates',
      hint: 'import them again',
    });
  });
});
