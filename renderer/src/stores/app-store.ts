// Which site is active, what the main process says about itself, and which section is on screen.
// The main process owns the profiles; this store only mirrors its last answer.
import { create } from 'zustand';
import type { AppState, IpcError, ProfilesView } from '../../../shared/ipc/contract';
import type { Profile } from '../../../shared/profile';
import { call, toUiError } from '../api';

// The sections' list lives in shared/, so Electron's Go menu names them as the sidebar does.
export { SECTIONS, type Section } from '../../../shared/sections';
import type { Section } from '../../../shared/sections';

interface AppStore {
  app?: AppState;
  profiles: Profile[];
  /** Damaged profile files the main process set aside (shown, so a missing site is explained). */
  problems: ProfilesView['problems'];
  activeProfileId: string;
  section: Section;
  /** The keyboard shortcuts dialog is open (`?`, the header button, Electron's Help menu). */
  shortcutsOpen: boolean;
  error?: IpcError;
  load(): Promise<void>;
  select(id: string): Promise<void>;
  show(section: Section): void;
  setShortcutsOpen(open: boolean): void;
  applyAppState(app: AppState): void;
  reset(): void;
}

const initial = { app: undefined, profiles: [], problems: [], activeProfileId: '', section: 'tickets' as Section, shortcutsOpen: false, error: undefined };

export const useAppStore = create<AppStore>()((set) => ({
  ...initial,

  async load() {
    set({ error: undefined });
    try {
      const [app, view] = await Promise.all([call('app.state', {}), call('profiles.list', {})]);
      set({ app, profiles: view.profiles, problems: view.problems, activeProfileId: view.activeProfileId });
    } catch (error) {
      set({ error: toUiError(error) });
    }
  },

  async select(id) {
    set({ error: undefined });
    try {
      const { activeProfileId } = await call('profiles.select', { id });
      set({ activeProfileId });
    } catch (error) {
      set({ error: toUiError(error) });
    }
  },

  show(section) {
    set({ section });
  },

  setShortcutsOpen(shortcutsOpen) {
    set({ shortcutsOpen });
  },

  applyAppState(app) {
    set({ app, activeProfileId: app.activeProfileId });
  },

  reset() {
    set(initial);
  },
}));

export function activeProfile(state: Pick<AppStore, 'profiles' | 'activeProfileId'>): Profile | undefined {
  return state.profiles.find((p) => p.id === state.activeProfileId);
}

/** A profile's name when the console knows it; otherwise the id as given (removed sites, trust checks). */
export function siteName(profiles: Profile[], id: string): string {
  return profiles.find((p) => p.id === id)?.name ?? id;
}
