// The audit view's state: the main process's entries (newest first, masked there), how many damaged
// lines it passed over, and the site the view is narrowed to. The log file is the truth; this mirrors
// its last answer and filters it here, so switching sites is instant and needs no round trip.
import { create } from 'zustand';
import type { AuditAction, AuditEntryView } from '../../../shared/audit';
import type { IpcError } from '../../../shared/ipc/contract';
import { call, toUiError } from '../api';

/** The site filter's "everything" value (profile ids are never empty). */
export const ALL_SITES = '';

export const ACTION_LABELS: Record<AuditAction, string> = {
  ticket: 'Ticket issued',
  'session-create': 'Session created',
  'session-end': 'Session ended',
  'user-sessions-end': "User's sessions ended",
  'session-reveal': 'Session cookie copied',
};

interface AuditStore {
  /** Newest first. */
  entries: AuditEntryView[];
  skippedLines: number;
  /** A profile id, or ALL_SITES. */
  site: string;
  loaded: boolean;
  loading: boolean;
  error?: IpcError;
  load(): Promise<void>;
  setSite(site: string): void;
  reset(): void;
}

function initialState() {
  return { entries: [], skippedLines: 0, site: ALL_SITES, loaded: false, loading: false, error: undefined };
}

export function visibleEntries(state: Pick<AuditStore, 'entries' | 'site'>): AuditEntryView[] {
  return state.site === ALL_SITES ? state.entries : state.entries.filter((e) => e.profile === state.site);
}

/** The sites that appear in the log, in order of their latest entry (the filter's choices). */
export function sitesInLog(entries: AuditEntryView[]): string[] {
  return [...new Set(entries.map((e) => e.profile))];
}

export const useAuditStore = create<AuditStore>()((set) => ({
  ...initialState(),

  async load() {
    set({ loading: true, error: undefined });
    try {
      const { entries, skippedLines } = await call('audit.list', {});
      set({ entries, skippedLines, loaded: true, loading: false });
    } catch (error) {
      set({ loading: false, error: toUiError(error) });
    }
  },

  setSite(site) {
    set({ site });
  },

  reset() {
    set(initialState());
  },
}));
