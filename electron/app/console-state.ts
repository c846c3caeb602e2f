// The console's own state, as the renderer sees it in `app.state`: which host runs it, where the vault
// keeps its key, the active site (profile) and the demo site's nodes. A change is pushed as the
// `app.state` event.
import type { AppState } from '../../shared/ipc/contract';
import { DEMO_PROFILE_ID } from '../core/profiles/demo-profile';
import type { Vault } from '../core/vault';
import type { BackendEvents } from './backend-events';
import type { DemoSiteRunner } from './demo-site-runner';

export class ConsoleState {
  /** The site the console's sections work on; the demo site until another is chosen. */
  activeProfileId = DEMO_PROFILE_ID;

  constructor(
    private readonly hostKind: AppState['host'],
    private readonly vault: Vault,
    private readonly demo: DemoSiteRunner,
    private readonly events: BackendEvents,
  ) {}

  view(): AppState {
    const { vault, demo } = this;
    return {
      host: this.hostKind,
      vault: vault.mode.kind === 'keychain' ? { kind: 'keychain', keychain: vault.mode.keychain } : { kind: 'memory', reason: vault.mode.reason },
      activeProfileId: this.activeProfileId,
      demo: {
        running: demo.running,
        nodes: demo.running ? demo.nodes.map((n) => ({ name: n.name, hub: n.hub, qps: n.qps, qrs: n.qrs })) : [],
      },
    };
  }

  /** Makes `profileId` the active site, telling the renderer when that is a change. */
  activate(profileId: string): void {
    if (profileId === this.activeProfileId) return;
    this.activeProfileId = profileId;
    this.changed();
  }

  changed(): void {
    this.events.emit('app.state', this.view());
  }
}
