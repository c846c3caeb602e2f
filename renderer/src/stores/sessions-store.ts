// The session inspector's state: the last view of a site's sessions, the refresh in flight with its
// progress, auto-refresh, which users are collapsed, and the outcome of the last "end". Refreshes and
// ends live here, not in the screen, so they finish (and their answer waits) while another section shows.
import { create } from 'zustand';
import type { IpcError, RequestOf } from '../../../shared/ipc/contract';
import type { SessionInspectorView, SessionsEndView } from '../../../shared/sessions';
import { call, toUiError } from '../api';

export type EndScope = RequestOf<'sessions.end'>['scope'];

/** Auto-refresh intervals offered, in seconds. */
export const REFRESH_INTERVALS = [5, 15, 30, 60] as const;
export type RefreshInterval = (typeof REFRESH_INTERVALS)[number];

interface SessionsStore {
  view?: SessionInspectorView;
  inFlight?: { profileId: string };
  progress?: { done: number; total: number };
  autoRefresh: boolean;
  intervalSeconds: RefreshInterval;
  /** userKey()s of users whose sessions are folded away. */
  collapsed: ReadonlySet<string>;
  ending: boolean;
  lastEnded?: SessionsEndView;
  error?: IpcError;
  /**
   * Reads the site's sessions again. Does nothing while an end runs (its own refresh follows), nor while
   * another refresh is in flight, unless `supersede`: then this one replaces it and the older answer is
   * dropped when it comes.
   */
  refresh(profileId: string, options?: { supersede?: boolean }): Promise<void>;
  /** The section was opened (or the site changed): what was ended before is old news; look afresh. */
  opened(profileId: string): Promise<void>;
  applyProgress(event: { profileId: string; done: number; total: number }): void;
  end(profileId: string, scope: EndScope): Promise<void>;
  setAutoRefresh(on: boolean): void;
  setInterval(seconds: RefreshInterval): void;
  toggleUser(key: string): void;
  reset(): void;
}

function initialState() {
  return {
    view: undefined,
    inFlight: undefined,
    progress: undefined,
    autoRefresh: false,
    intervalSeconds: 15 as RefreshInterval,
    collapsed: new Set<string>() as ReadonlySet<string>,
    ending: false,
    lastEnded: undefined,
    error: undefined,
  };
}

let refreshSeq = 0;

export const useSessionsStore = create<SessionsStore>()((set, get) => ({
  ...initialState(),

  async refresh(profileId, options = {}) {
    if (!options.supersede) {
      // Nothing starts while an end runs: the end's own refresh comes after it and shows what is left.
      if (get().ending) return;
      // One refresh at a time: an auto-refresh tick during a slow one would only queue the same work.
      if (get().inFlight) return;
    }
    const seq = ++refreshSeq;
    set({ inFlight: { profileId }, progress: undefined, error: undefined });
    try {
      const view = await call('sessions.inspect', { profileId });
      if (seq !== refreshSeq) return;
      set({ view, inFlight: undefined, progress: undefined });
    } catch (error) {
      if (seq !== refreshSeq) return;
      set({ error: toUiError(error), inFlight: undefined, progress: undefined });
    }
  },

  async opened(profileId) {
    if (!get().ending) set({ lastEnded: undefined });
    await get().refresh(profileId);
  },

  applyProgress({ profileId, done, total }) {
    if (get().inFlight?.profileId !== profileId) return;
    set({ progress: { done, total } });
  },

  async end(profileId, scope) {
    set({ ending: true, error: undefined, lastEnded: undefined });
    try {
      const lastEnded = await call('sessions.end', { profileId, scope });
      set({ lastEnded, ending: false });
    } catch (error) {
      set({ error: toUiError(error), ending: false });
      return;
    }
    // The row keys of the old view may name ended sessions: show what the site has now. A refresh that
    // started before or during the end may list them still, so this one replaces it.
    await get().refresh(profileId, { supersede: true });
  },

  setAutoRefresh(autoRefresh) {
    set({ autoRefresh });
  },

  setInterval(intervalSeconds) {
    set({ intervalSeconds });
  },

  toggleUser(key) {
    const collapsed = new Set(get().collapsed);
    if (collapsed.has(key)) collapsed.delete(key);
    else collapsed.add(key);
    set({ collapsed });
  },

  reset() {
    refreshSeq++;
    set(initialState());
  },
}));
