// Seed 003 in the console: the shared-jar scenario (electron/core/scenarios) run in real browser
// partitions of the host. The shared case uses the site's one deliberately shared partition (the
// partition manager's notion), the isolated case a new partition per tab. Progress goes out as
// `scenario.sharedJar.progress` events; tickets and sessions are audited like any the console makes.
//
// Afterwards the windows are closed and the partitions made for the run destroyed (the shared one stays,
// windowless, for the partitions screen): the scenario ends its sessions through QPS so repeated runs do
// not run into Qlik's five-sessions-per-user cap, and a window left on an ended session would only show
// the authentication module, which is not what the person came to look at. The report says it all.
import type { RequestOf, SharedJarRunView } from '../../shared/ipc/contract';
import type { JarCase } from '../../shared/shared-jar';
import { formatUser, type UserRef } from '../../shared/user';
import { runSharedJarScenario, type ScenarioTab, type TabFactory } from '../core/scenarios/shared-jar';
import { siteHooks } from '../core/scenarios/shared-jar-site';
import type { PartitionPage } from '../hosts/browser-host';
import { BackendError } from './backend-error';
import { siteOf, type BackendContext } from './backend-context';
import { redeemingProxy } from '../core/sessions/redemption';
import { partitionOwner } from './partition-manager';

/** A host partition's window as the scenario's tab; `loggedInAs` is told who its session is now. */
export function hostTab(page: PartitionPage, loggedInAs?: (user: UserRef) => void): ScenarioTab {
  return {
    ...(loggedInAs ? { loggedInAs } : {}),
    goto: (url) => page.goto(url),
    fetchStatus: (url) => page.fetchStatus(url),
    fetchJson: (url) => page.fetchJson(url),
    async download(url) {
      const saved = await page.download(url);
      if (saved.error === undefined && saved.path !== undefined) return { bytes: saved.bytes };
      // The host says only that no file came; the same address asked by the page tells the status, which
      // is what the explanation needs (403: whose cookie is it now?).
      let status: number | undefined;
      try {
        status = (await page.fetchStatus(url)).status;
      } catch {
        status = undefined;
      }
      return { bytes: 0, error: saved.error ?? 'no file was saved', ...(status !== undefined ? { status } : {}) };
    },
    openEngine: (address) => page.openEngine(address),
    cookies: async () => (await page.cookies()).map((c) => ({ name: c.name, value: c.value })),
    close: () => page.close(),
  };
}

export class SharedJarService {
  private running = false;

  constructor(private readonly ctx: BackendContext) {}

  async run(req: RequestOf<'scenario.sharedJar'>): Promise<SharedJarRunView> {
    if (this.running) {
      throw new BackendError('NOT_ALLOWED', 'The seed-003 scenario is already running.', "Wait for it to finish: both cases use the site's shared partition.");
    }
    this.running = true;
    try {
      return await this.runOnce(req);
    } finally {
      this.running = false;
    }
  }

  private async runOnce(req: RequestOf<'scenario.sharedJar'>): Promise<SharedJarRunView> {
    const profile = await this.ctx.profiles.get(req.profileId);
    const { connection, caPem } = await siteOf(this.ctx, profile);
    const node = redeemingProxy(profile);
    const partitions = this.ctx.partitions;
    // Partitions made for this run, per case, to destroy when the case is over.
    const made = new Map<JarCase, Set<string>>();
    const jars = new Map<string, string>();
    const tabs: TabFactory = {
      async open({ case: jarCase, jar, tab }) {
        const owner = partitionOwner(profile, caPem, `seed 003, ${jarCase} case, tab ${tab}`);
        const known = jars.get(`${jarCase}/${jar}`);
        const choice =
          jarCase === 'shared' ? { kind: 'shared' as const } : known ? { kind: 'existing' as const, partitionId: known } : { kind: 'new' as const };
        const { page, created } = await partitions.window(choice, owner);
        jars.set(`${jarCase}/${jar}`, page.partitionId);
        // The site's shared partition outlives the run; only partitions made just for it are destroyed.
        if (created && jarCase === 'isolated') (made.get(jarCase) ?? made.set(jarCase, new Set()).get(jarCase)!).add(page.partitionId);
        // The partition manager retitles every window of the jar: "no login yet" until then.
        return hostTab(page, (user) => partitions.noteLogin(page.partitionId, req.virtualProxy, formatUser(user)));
      },
      async endCase(jarCase) {
        for (const id of made.get(jarCase) ?? []) await partitions.destroy(id).catch(() => undefined);
        if (jarCase === 'shared') {
          const shared = jars.get('shared/shared');
          if (shared) await partitions.close(shared).catch(() => undefined);
        }
      },
    };
    const cookieName = profile.virtualProxies.find((vp) => vp.prefix === req.virtualProxy)?.sessionCookieHeaderName;
    const report = await runSharedJarScenario({
      proxy: node.proxy,
      virtualProxy: req.virtualProxy,
      a: req.a,
      b: req.b,
      tabs,
      ...siteHooks({
        connection,
        qps: profile.qps,
        virtualProxy: req.virtualProxy,
        audit: this.ctx.audit,
        profile: profile.id,
        node: node.name,
        reason: 'seed 003 scenario',
      }),
      ...(cookieName ? { sessionCookieName: cookieName } : {}),
      onProgress: (progress) => this.ctx.events.emit('scenario.sharedJar.progress', { profileId: profile.id, progress }),
    });
    return { profileId: profile.id, hostKind: this.ctx.host.kind, ...report };
  }
}
