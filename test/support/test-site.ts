// One in-memory site PKI per module registry (RSA key generation costs about a second on our machines):
// per test file, or per worker in the projects that share one registry (e2e); and a helper that starts a
// simulator on it and stops it after the file's tests.
import { afterAll } from 'vitest';
import { Simulator, type SimulatorOptions } from '../../electron/simulator/simulator';
import { createSitePki, type SitePki } from '../../electron/simulator/site-pki';

let sharedPki: SitePki | undefined;

export function testPki(): SitePki {
  sharedPki ??= createSitePki('usher-test-CA');
  return sharedPki;
}

/** Starts a simulator (demo site unless `site` is given) and registers its stop with `afterAll`. */
export async function startTestSite(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await Simulator.start({ pki: testPki(), ...options });
  afterAll(() => sim.stop());
  return sim;
}
