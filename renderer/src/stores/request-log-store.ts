// The request log as shown: the main process's records (redacted there) plus the ones that arrive live,
// a filter, which rows are open, and per row the command last copied (the main process writes the
// clipboard, with the real ids; the row shows the masked preview it answers with).
import { create } from 'zustand';
import type { IpcError, RequestOf } from '../../../shared/ipc/contract';
import { matchesRequestFilter, type RequestRecord } from '../../../shared/request-log';
import { call, toUiError } from '../api';

export type LogCopyFormat = RequestOf<'requestLog.copy'>['format'];

/** The view keeps the newest records only; the main process has the full log. */
export const MAX_RECORDS = 1000;

interface RequestLogStore {
  /** Newest first. */
  records: RequestRecord[];
  filter: string;
  expanded: Record<number, true>;
  copies: Record<number, { format: LogCopyFormat; preview: string }>;
  loading: boolean;
  error?: IpcError;
  load(): Promise<void>;
  add(record: RequestRecord): void;
  setFilter(filter: string): void;
  toggle(id: number): void;
  copy(id: number, format: LogCopyFormat): Promise<void>;
  reset(): void;
}

function initialState() {
  return { records: [], filter: '', expanded: {}, copies: {}, loading: false, error: undefined };
}

/** Filtered here, so typing stays instant and live records are covered (the rule is the main process's too). */
export function visibleRecords(state: Pick<RequestLogStore, 'records' | 'filter'>): RequestRecord[] {
  return state.records.filter((r) => matchesRequestFilter(r, state.filter));
}

function newestFirst(records: RequestRecord[]): RequestRecord[] {
  return records
    .slice()
    .sort((a, b) => b.id - a.id)
    .slice(0, MAX_RECORDS);
}

export const useRequestLogStore = create<RequestLogStore>()((set, get) => ({
  ...initialState(),

  async load() {
    set({ loading: true, error: undefined });
    try {
      const { records } = await call('requestLog.list', {});
      // Records that arrived live while the list was on its way are kept, once.
      const live = get().records.filter((r) => !records.some((x) => x.id === r.id));
      set({ records: newestFirst([...records, ...live]), loading: false });
    } catch (error) {
      set({ loading: false, error: toUiError(error) });
    }
  },

  add(record) {
    const { records } = get();
    if (records.some((r) => r.id === record.id)) return;
    set({ records: newestFirst([record, ...records]) });
  },

  setFilter(filter) {
    set({ filter });
  },

  toggle(id) {
    const expanded = { ...get().expanded };
    if (expanded[id]) delete expanded[id];
    else expanded[id] = true;
    set({ expanded });
  },

  async copy(id, format) {
    set({ error: undefined });
    try {
      const { preview } = await call('requestLog.copy', { id: String(id), format });
      set({ copies: { ...get().copies, [id]: { format, preview } } });
    } catch (error) {
      set({ error: toUiError(error) });
    }
  },

  reset() {
    set(initialState());
  },
}));
