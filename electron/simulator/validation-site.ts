// The site the authentication-module validator plays the proxy with: one node, the default virtual proxy
// and a ticket virtual proxy whose authentication module is the module under test. Its own description,
// not the demo site's, so the demo's nodes, users and rules stay exactly as other tests expect them.
import type { ValidationSite } from '../core/validator/types';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SiteObserver } from '../../shared/module-validation';
import { startImpostorQps } from './impostor-qps';
import { Simulator } from './simulator';
import { parseSiteDescription, type SiteDescription } from './site';
import { writeQmcExport, type SitePki } from './site-pki';

/** The ticket virtual proxy's prefix; the module receives it inside proxyRestUri. */
export const VALIDATION_PREFIX = 'module';

export function validationSite(moduleUrl: string): SiteDescription {
  return parseSiteDescription({
    name: 'Usher module validator site',
    nodes: [{ id: 'node-validator', name: 'validator', virtualProxies: ['vp-default', 'vp-module'] }],
    virtualProxies: [
      { id: 'vp-default', prefix: '' },
      {
        id: 'vp-module',
        prefix: VALIDATION_PREFIX,
        description: 'Ticket authentication through the module under test',
        authenticationModuleRedirectUri: moduleUrl,
      },
    ],
    users: [],
    apps: [{ id: 'validator-app', name: 'Validator app' }],
    rules: [{ name: 'everyone opens every app', appIds: '*' }],
    // A module under test logs one user in once per probe; the parallel-session cap is not what is tested.
    maxParallelSessionsPerUser: 1000,
  });
}

export interface StartValidationSiteOptions {
  moduleUrl: string;
  observer: SiteObserver;
  /** Where to write the certificate export; default a private temp folder removed on close. */
  certificatesDir?: string;
  /** An already made PKI (tests share one; RSA key generation is slow). */
  pki?: SitePki;
}

/** Starts the validator's site and writes its QMC-style certificate export for the module to use. */
export async function startValidationSite(options: StartValidationSiteOptions): Promise<ValidationSite> {
  const sim = await Simulator.start({ site: validationSite(options.moduleUrl), observer: options.observer, ...(options.pki ? { pki: options.pki } : {}) });
  const ownDir = options.certificatesDir === undefined;
  let dir: string;
  try {
    dir = options.certificatesDir ?? join(await mkdtemp(join(tmpdir(), 'usher-validator-')), 'certificates');
    writeQmcExport(sim.pki, dir);
  } catch (err) {
    await sim.stop();
    throw err;
  }
  const node = sim.node('validator');
  return {
    hubBase: node.hub,
    prefix: VALIDATION_PREFIX,
    proxyRestUri: `${node.qps}/qps/${VALIDATION_PREFIX}/`,
    caPem: sim.pki.ca.certPem,
    certificatesDir: dir,
    pfxPassphrase: sim.pki.pfxPassphrase,
    startImpostorQps: () => startImpostorQps({ hostName: node.hostName, address: node.address, siteCaPem: sim.pki.ca.certPem, prefix: VALIDATION_PREFIX }),
    async close() {
      await sim.stop();
      // The export holds the site's client key: a folder Usher made is removed; one the user named is theirs.
      if (ownDir) await rm(join(dir, '..'), { recursive: true, force: true });
    },
  };
}
