// The built-in demo site, running in the console's own process from start to quit so that a newcomer
// can use every screen at once. Its PKI lives in memory; the only copy that reaches a disk is the
// QMC-style export the trust wizard asks for, in a private temp folder removed when the console closes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '../../shared/profile';
import { demoProfile } from '../core/profiles/demo-profile';
import { profileNodesFromServices, profileVirtualProxies } from '../core/profiles/from-trust-check';
import type { QlikConnection } from '../core/qlik';
import { demoSite } from '../simulator/demo-site';
import { Simulator, type NodeEndpoints } from '../simulator/simulator';
import { writeQmcExport, type SitePki } from '../simulator/site-pki';

/** The node the console talks to; the demo's second node is there for multi-node screens. */
const CENTRAL = 'central';

export interface SiteMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export class DemoSiteRunner {
  private stopped = false;
  private readonly exports: string[] = [];

  private constructor(private readonly sim: Simulator) {}

  static async start(options: { pki?: SitePki } = {}): Promise<DemoSiteRunner> {
    return new DemoSiteRunner(await Simulator.start({ site: demoSite(), ...(options.pki ? { pki: options.pki } : {}) }));
  }

  get running(): boolean {
    return !this.stopped;
  }

  get central(): NodeEndpoints {
    return this.sim.node(CENTRAL);
  }

  get nodes(): NodeEndpoints[] {
    return this.sim.nodes;
  }

  /** The site's CA and client certificate, as a QMC export would give them (main process only). */
  get material(): SiteMaterial {
    return { caPem: this.sim.pki.ca.certPem, certPem: this.sim.pki.client.certPem, keyPem: this.sim.pki.client.keyPem };
  }

  /**
   * The demo profile with the running site's addresses and what its QRS reports, read through the
   * console's own connection so that discovery shows up in the request log like any other site's.
   */
  async profile(connection: QlikConnection, now = new Date()): Promise<Profile> {
    const qrs = connection.qrs(this.central.qrs);
    const [services, virtualProxies] = await Promise.all([qrs.proxyServices(), qrs.virtualProxies()]);
    return demoProfile({
      qps: this.central.qps,
      qrs: this.central.qrs,
      nodes: profileNodesFromServices(services),
      virtualProxies: profileVirtualProxies(virtualProxies),
      discoveredAt: now.toISOString(),
    });
  }

  /** client.pem, client_key.pem, root.pem and client.pfx in a fresh folder only this user can read. */
  async writeExport(): Promise<string> {
    // mkdtemp creates the folder 0700, so the key is never readable by others, not even briefly.
    const dir = await mkdtemp(join(tmpdir(), 'usher-demo-export-'));
    this.exports.push(dir);
    writeQmcExport(this.sim.pki, dir);
    return dir;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.sim.stop();
    await Promise.all(this.exports.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  }
}
