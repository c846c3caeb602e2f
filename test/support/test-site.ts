// One site PKI per module registry: per test file, or per worker in the projects that share one registry
// (e2e). It is the run's kept site certificates when the project made them (site-certs-once.ts), else a
// fresh one in memory (RSA key generation costs a second and more on our machines). And a helper that
// starts a simulator on it and stops it after the file's tests.
import { afterAll, inject } from 'vitest';
import { openKeptSiteCertificates } from '../../electron/simulator/kept-site-certificates';
import { Simulator, type SimulatorOptions } from '../../electron/simulator/simulator';
import { createSitePki, type SitePki } from '../../electron/simulator/site-pki';

let sharedPki: SitePki | undefined;

export function testPki(): SitePki {
  const kept = inject('siteCerts');
  sharedPki ??= kept ? openKeptSiteCertificates(kept).pki : createSitePki('usher-test-CA');
  return sharedPki;
}

/** Starts a simulator (demo site unless `site` is given) and registers its stop with `afterAll`. */
export async function startTestSite(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await Simulator.start({ pki: testPki(), ...options });
  afterAll(() => sim.stop());
  return sim;
}
