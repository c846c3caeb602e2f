// The console's `profiles.*` channels that are not the trust wizard's: list the sites, choose the active
// one, and manage a saved one through the core's site operations (core/profiles/site-admin), as
// `usher profile` does: rename, new addresses, export/import, removal said before it is done.
import type { ResponseOf } from '../../shared/ipc/contract';
import { DEMO_PROFILE_ID } from '../core/profiles/demo-profile';
import { planSiteRemoval, removeSite, renameSite, setSiteAddresses } from '../core/profiles/site-admin';
import type { BackendContext } from './backend-context';
import type { ConsoleState } from './console-state';

export class ProfilesService {
  constructor(
    private readonly ctx: BackendContext,
    private readonly state: ConsoleState,
  ) {}

  async list(): Promise<ResponseOf<'profiles.list'>> {
    const { profiles, problems } = await this.ctx.profiles.list();
    return { profiles, problems: problems.map((p) => ({ file: p.file, reason: p.reason })), activeProfileId: this.state.activeProfileId };
  }

  async select(id: string): Promise<ResponseOf<'profiles.select'>> {
    const profile = await this.ctx.profiles.get(id);
    this.state.activate(profile.id);
    return { activeProfileId: this.state.activeProfileId };
  }

  /** What removing the site would remove (and what it keeps), said before the person confirms. */
  removalPlan(id: string): Promise<ResponseOf<'profiles.removalPlan'>> {
    return planSiteRemoval(this.ctx.profiles, this.ctx.vault, id);
  }

  async remove(id: string): Promise<ResponseOf<'profiles.remove'>> {
    const removed = await removeSite(this.ctx.profiles, this.ctx.vault, id);
    await this.ctx.connections.drop(removed.profileId);
    if (this.state.activeProfileId === removed.profileId) this.state.activate(DEMO_PROFILE_ID);
    return removed;
  }

  rename(id: string, name: string): Promise<ResponseOf<'profiles.rename'>> {
    return renameSite(this.ctx.profiles, id, name);
  }

  async setAddresses(id: string, addresses: { qps: string; qrs: string }): Promise<ResponseOf<'profiles.setAddresses'>> {
    const saved = await setSiteAddresses(this.ctx.profiles, id, addresses);
    // The open connection was made for the old addresses.
    await this.ctx.connections.drop(saved.id);
    return saved;
  }

  async exportProfile(id: string): Promise<ResponseOf<'profiles.export'>> {
    const profile = await this.ctx.profiles.get(id);
    return { fileName: `${profile.id}.usher-profile.json`, text: await this.ctx.profiles.exportProfile(profile.id) };
  }

  importProfile(text: string, name: string | undefined): Promise<ResponseOf<'profiles.import'>> {
    return this.ctx.profiles.importProfile(text, name !== undefined ? { name } : {});
  }
}
