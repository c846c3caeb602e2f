// The Site section: rename a saved site, give it new addresses, export/import it without secrets, and
// remove it after saying what goes (the site file, its vault bundle) and what stays (the keychain key).
// Every act is a core operation in the main process (core/profiles/site-admin), as `usher profile` does.
import { create } from 'zustand';
import type { IpcError, ResponseOf } from '../../../shared/ipc/contract';
import type { SiteRemoval } from '../../../shared/site-admin';
import { call, toUiError } from '../api';
import { useAppStore } from './app-store';

export type SiteAct = 'rename' | 'addresses' | 'export' | 'import' | 'remove';

interface SiteStore {
  busy?: SiteAct;
  /** The last act's outcome in words, for a status line. */
  done?: string;
  /** The failed act and why; shown next to its form. */
  error?: { act: SiteAct; error: IpcError };
  /** What removing the site would remove, while the person decides. */
  plan?: SiteRemoval;
  exported?: ResponseOf<'profiles.export'>;
  rename(id: string, name: string): Promise<void>;
  setAddresses(id: string, qps: string, qrs: string): Promise<void>;
  exportSite(id: string): Promise<void>;
  importSite(text: string, name?: string): Promise<void>;
  planRemoval(id: string): Promise<void>;
  cancelRemoval(): void;
  remove(id: string): Promise<void>;
  reset(): void;
}

const initial = { busy: undefined, done: undefined, error: undefined, plan: undefined, exported: undefined };

export const useSiteStore = create<SiteStore>()((set, get) => {
  /** Runs one act: busy while it runs, its words when done, its error next to its form otherwise. */
  async function act(name: SiteAct, work: () => Promise<string>): Promise<void> {
    set({ busy: name, done: undefined, error: undefined });
    try {
      const done = await work();
      set({ busy: undefined, done });
    } catch (error) {
      set({ busy: undefined, error: { act: name, error: toUiError(error) } });
    }
  }
  const reloadSites = () => useAppStore.getState().load();

  return {
    ...initial,

    rename: (id, name) =>
      act('rename', async () => {
        const saved = await call('profiles.rename', { id, name: name.trim() });
        await reloadSites();
        return `Renamed to "${saved.name}"; its certificates and history are unchanged.`;
      }),

    setAddresses: (id, qps, qrs) =>
      act('addresses', async () => {
        const saved = await call('profiles.setAddresses', { id, qps: qps.trim(), qrs: qrs.trim() });
        await reloadSites();
        return `Saved: QPS ${saved.qps}, QRS ${saved.qrs}. Run the trust check to refresh its nodes and virtual proxies.`;
      }),

    exportSite: (id) =>
      act('export', async () => {
        const exported = await call('profiles.export', { id });
        set({ exported });
        return `Exported as ${exported.fileName}: addresses, nodes and virtual proxies, no certificate or key.`;
      }),

    importSite: (text, name) =>
      act('import', async () => {
        const trimmed = name?.trim();
        const saved = await call('profiles.import', trimmed ? { text, name: trimmed } : { text });
        await reloadSites();
        await useAppStore.getState().select(saved.id);
        return `Imported "${saved.name}". It has no certificates yet: re-import them below.`;
      }),

    planRemoval: (id) =>
      act('remove', async () => {
        set({ plan: await call('profiles.removalPlan', { id }) });
        return '';
      }),

    cancelRemoval() {
      set({ plan: undefined });
    },

    remove: (id) =>
      act('remove', async () => {
        const removed = await call('profiles.remove', { id });
        set({ plan: undefined, exported: get().exported?.fileName.startsWith(`${id}.`) ? undefined : get().exported });
        await reloadSites();
        return `Removed "${removed.name}". The demo site is the active site now.`;
      }),

    reset() {
      set(initial);
    },
  };
});
