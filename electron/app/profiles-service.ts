// The console's `profiles.*` channels that are not the trust wizard's: list the sites, choose the active
// one, remove one (with its certificate bundle and open connection).
import type { ResponseOf } from '../../shared/ipc/contract';
import { DEMO_PROFILE_ID } from '../core/profiles/demo-profile';
import type { BackendContext } from './backend-context';
import { BackendError } from './backend-error';
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

  async remove(id: string): Promise<ResponseOf<'profiles.remove'>> {
    const { ctx } = this;
    const profile = await ctx.profiles.get(id);
    if (profile.builtIn) {
      throw new BackendError('NOT_ALLOWED', `"${profile.name}" is the built-in demo site and cannot be removed.`, 'Only sites you added can be removed.');
    }
    await ctx.profiles.remove(profile.id);
    if (profile.certificates) await ctx.vault.remove(profile.certificates.bundleId);
    await ctx.connections.drop(profile.id);
    if (this.state.activeProfileId === profile.id) this.state.activate(DEMO_PROFILE_ID);
    return { removed: profile.id };
  }
}
