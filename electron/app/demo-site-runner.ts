// The built-in demo site, running in the console's own process from start to quit so that a newcomer
// can use every screen at once. Its PKI lives in memory; the only copy that reaches a disk is the
// QMC-style export the trust wizard asks for: one private temp folder per console run, however often it
// is asked for, removed when the console closes or exits, and by the next start when a run was killed.
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '../../shared/profile';
import type { SiteMaterial } from '../core/operations/connect-profile';
import { demoProfile } from '../core/profiles/demo-profile';
import { profileNodesFromServices, profileVirtualProxies } from '../core/profiles/from-trust-check';
import type { QlikConnection } from '../core/qlik';
import type { JwtSigningPair } from '../core/jwt';
import { demoJwtSigningPair, demoSite, type DemoSiteOptions } from '../simulator/demo-site';
import { Simulator, type NodeEndpoints } from '../simulator/simulator';
import { writeQmcExport, type SitePki } from '../simulator/site-pki';

/** The node the console talks to; the demo's second node is there for multi-node screens. */
const CENTRAL = 'central';

/** `usher-demo-export-<pid>-<random>`: the pid tells a later start whether the run that made it is gone. */
const EXPORT_PREFIX = 'usher-demo-export-';
const EXPORT_NAME = /^usher-demo-export-(?:(\d+)-)?[A-Za-z0-9]+$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes demo exports left by runs that no longer exist (killed before they could clean up): folders of
 * this user named as the runner names them, whose pid is gone, or without a pid (older versions). Never
 * follows a link, never touches another user's folder. Returns the folders removed.
 */
export function removeStaleDemoExports(root: string = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = EXPORT_NAME.exec(name);
    if (!match) continue;
    const pid = match[1] === undefined ? undefined : Number(match[1]);
    if (pid !== undefined && (pid === process.pid || processAlive(pid))) continue;
    const path = join(root, name);
    try {
      const stat = lstatSync(path);
      if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid())) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
  return removed;
}

export class DemoSiteRunner {
  private stopped = false;
  private exportDir: Promise<string> | undefined;
  /** Removes the export when the process exits without stop() (a quit that skipped the backend's close). */
  private readonly removeOnExit = (): void => {
    if (this.exportPath) rmSync(this.exportPath, { recursive: true, force: true });
  };
  private exportPath: string | undefined;

  private constructor(
    private readonly sim: Simulator,
    private readonly exportRoot: string,
  ) {}

  /** `exportRoot`: where the export folder goes (the OS temp folder; tests give their own). */
  /** `jwtCertificatePem`: the demo profile's JWT signing pair's certificate, when Usher holds one. */
  /** `authModuleUri`: /ticket's module (tests that run a stand-in); default the demo module's address. */
  static async start(options: { pki?: SitePki; exportRoot?: string } & DemoSiteOptions = {}): Promise<DemoSiteRunner> {
    const exportRoot = options.exportRoot ?? tmpdir();
    removeStaleDemoExports(exportRoot);
    const site = demoSite({
      ...(options.jwtCertificatePem !== undefined ? { jwtCertificatePem: options.jwtCertificatePem } : {}),
      ...(options.authModuleUri !== undefined ? { authModuleUri: options.authModuleUri } : {}),
    });
    const runner = new DemoSiteRunner(await Simulator.start({ site, ...(options.pki ? { pki: options.pki } : {}) }), exportRoot);
    runner.jwtCertificate = options.jwtCertificatePem;
    return runner;
  }

  /** The certificate on /jwt when it is the demo profile's own pair's; undefined while the site's own pair signs. */
  private jwtCertificate: string | undefined;

  /** The pair that signs for /jwt while the demo profile has none of its own (the site's, made in memory). */
  get ownJwtSigningPair(): JwtSigningPair | undefined {
    return this.jwtCertificate === undefined ? demoJwtSigningPair() : undefined;
  }

  /**
   * "Pastes" a new certificate into every demo JWT virtual proxy that carried the previous one, as an
   * administrator would in the QMC after making a pair: the running proxy verifies with it at once.
   */
  useJwtCertificate(certificatePem: string): void {
    const previous = this.jwtCertificate ?? demoJwtSigningPair().certificatePem;
    for (const vp of this.sim.state.site.virtualProxies) if (vp.jwtPublicKeyCertificate === previous) vp.jwtPublicKeyCertificate = certificatePem;
    this.jwtCertificate = certificatePem;
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

  /**
   * client.pem, client_key.pem, root.pem and client.pfx in this run's folder, which only this user can
   * read. The same folder on every call (the site's PKI does not change while it runs); the files are
   * written again, so a folder someone emptied is whole again.
   */
  async writeExport(): Promise<string> {
    if (this.stopped) throw new Error('the demo site has stopped');
    // mkdtemp creates the folder 0700, so the key is never readable by others, not even briefly.
    this.exportDir ??= mkdtemp(join(this.exportRoot, `${EXPORT_PREFIX}${process.pid}-`)).then(
      (dir) => {
        this.exportPath = dir;
        process.once('exit', this.removeOnExit);
        return dir;
      },
      (err: unknown) => {
        this.exportDir = undefined; // the next call tries again
        throw err;
      },
    );
    const dir = await this.exportDir;
    writeQmcExport(this.sim.pki, dir);
    return dir;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.sim.stop();
    const dir = await this.exportDir?.catch(() => undefined);
    if (dir) {
      process.removeListener('exit', this.removeOnExit);
      await rm(dir, { recursive: true, force: true });
    }
  }
}
