// What the backend's services share: the local state (vault, profiles, audit), the demo site, the
// connections and the request log. Built once by createConsoleBackend.
import type { Profile } from '../../shared/profile';
import type { AuditLog, ProfileStore } from '../core/profiles';
import { connectProfile } from '../core/operations/connect-profile';
import type { Vault } from '../core/vault';
import type { BrowserHost } from '../hosts/browser-host';
import type { BackendEvents } from './backend-events';
import type { DemoSiteRunner } from './demo-site-runner';
import type { PartitionManager } from './partition-manager';
import type { RequestLogStore } from './request-log-store';
import type { SiteConnections, SiteHandle } from './site-connections';

export interface BackendContext {
  host: BrowserHost;
  vault: Vault;
  profiles: ProfileStore;
  audit: AuditLog;
  demo: DemoSiteRunner;
  connections: SiteConnections;
  requestLog: RequestLogStore;
  events: BackendEvents;
  /** Epoch milliseconds. */
  now: () => number;
  /** The browser partitions of this run (tickets and injected sessions open in them). */
  partitions: PartitionManager;
}

/** The connection to a profile's site: the demo site's in-memory PKI, or the profile's vault bundle. */
export function siteOf(ctx: BackendContext, profile: Profile): Promise<SiteHandle> {
  return ctx.connections.get(profile.id, async () => {
    const site = await connectProfile({
      profile,
      vault: async () => ctx.vault,
      builtInSite: async () => ({ material: ctx.demo.material, central: ctx.demo.central }),
      reimportHint: "Run the trust wizard on this site's QMC export and save it under this name again.",
    });
    return site.material;
  });
}
