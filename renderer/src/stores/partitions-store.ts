// The partitions screen's state: the main process's last list (cookie values masked there), which cookies
// the person copied (the main process writes the clipboard: a value never comes here), which partition an
// action is running on, the Destroy confirmation, and the session-API login form.
import { create } from 'zustand';
import type { IpcError, OpenResult, RequestOf } from '../../../shared/ipc/contract';
import type { PartitionChoice, PartitionCookieRef, PartitionsView } from '../../../shared/partitions';
import { call, toUiError } from '../api';

/** How the forms offer the choice: `persistent` is a new partition kept on disk. */
export type PartitionMode = 'new' | 'persistent' | 'existing' | 'shared';

export interface PartitionChoiceForm {
  mode: PartitionMode;
  /** For `existing`. */
  partitionId: string;
}

export const PARTITION_MODES: ReadonlyArray<{ value: PartitionMode; label: string }> = [
  { value: 'new', label: 'New isolated (in memory)' },
  { value: 'persistent', label: 'New isolated, persistent' },
  { value: 'existing', label: 'Existing partition' },
  { value: 'shared', label: 'The shared partition (seed 003)' },
];

/** The request's choice, or a problem to show when the form is not complete. */
export function partitionRequest(form: PartitionChoiceForm): PartitionChoice | { problem: string } {
  switch (form.mode) {
    case 'new':
      return { kind: 'new' };
    case 'persistent':
      return { kind: 'new', persistent: true };
    case 'shared':
      return { kind: 'shared' };
    case 'existing':
      return form.partitionId ? { kind: 'existing', partitionId: form.partitionId } : { problem: 'Pick the partition to open in.' };
  }
}

export type PartitionAction = 'clear' | 'close' | 'destroy' | 'focus';

export interface InjectForm {
  /** The site whose defaults the form holds. */
  profileId?: string;
  virtualProxy: string;
  userDirectory: string;
  userId: string;
  reason: string;
  partition: PartitionChoiceForm;
}

/** A cookie's key in `copied`: partition, name, domain and path identify it. */
export function cookieKey(ref: PartitionCookieRef): string {
  return [ref.partitionId, ref.name, ref.domain, ref.path].join('\u0000');
}

interface PartitionsStore {
  view?: PartitionsView;
  loading: boolean;
  error?: IpcError;
  /** The partition an action runs on, and which. */
  busy?: { partitionId: string; action: PartitionAction };
  /** The partition whose Destroy waits for confirmation. */
  confirming?: string;
  /** Done: a line for the status region. */
  notice: string;
  /** Cookies whose value went to the clipboard since the last refresh (keys only). */
  copied: Record<string, true>;
  inject: InjectForm;
  injecting: boolean;
  injected?: OpenResult;
  injectError?: IpcError;

  load(): Promise<void>;
  /** Has the main process copy the cookie's value to the clipboard (audited for a session cookie). */
  copyCookie(ref: PartitionCookieRef): Promise<void>;
  act(partitionId: string, action: PartitionAction): Promise<void>;
  askDestroy(partitionId: string | undefined): void;
  setInject(fields: Partial<Omit<InjectForm, 'partition'>>): void;
  /** Another active site brings its default virtual proxy and user directory. */
  applyProfile(profile: { id: string; defaultVirtualProxy: string; defaultUserDirectory: string }): void;
  setInjectPartition(fields: Partial<PartitionChoiceForm>): void;
  runInject(profileId: string): Promise<void>;
  reset(): void;
}

function initialState() {
  return {
    view: undefined,
    loading: false,
    error: undefined,
    busy: undefined,
    confirming: undefined,
    notice: '',
    copied: {},
    inject: { virtualProxy: '', userDirectory: '', userId: '', reason: '', partition: { mode: 'new' as PartitionMode, partitionId: '' } },
    injecting: false,
    injected: undefined,
    injectError: undefined,
  };
}

const DONE: Record<PartitionAction, (label: string) => string> = {
  clear: (label) => `Cleared “${label}”.`,
  close: (label) => `Closed “${label}”.`,
  destroy: (label) => `Destroyed “${label}”.`,
  focus: (label) => `The window of “${label}” is in front.`,
};

type SetPartitions = (partial: Partial<PartitionsStore>) => void;
type GetPartitions = () => PartitionsStore;

/** Session injection: the form, the partition it goes into, and the run. */
function injectActions(set: SetPartitions, get: GetPartitions) {
  return {
    setInject(fields) {
      set({ inject: { ...get().inject, ...fields } });
    },

    applyProfile(profile) {
      const { inject } = get();
      if (inject.profileId === profile.id) return;
      set({
        inject: {
          ...inject,
          profileId: profile.id,
          virtualProxy: profile.defaultVirtualProxy,
          userDirectory: profile.defaultUserDirectory,
          partition: { mode: 'new', partitionId: '' },
        },
        injected: undefined,
        injectError: undefined,
      });
    },

    setInjectPartition(fields) {
      const { inject } = get();
      set({ inject: { ...inject, partition: { ...inject.partition, ...fields } } });
    },

    async runInject(profileId) {
      const { inject } = get();
      const partition = partitionRequest(inject.partition);
      if ('problem' in partition) {
        set({ injectError: { code: 'FORM', message: partition.problem, hint: 'Choose one in the list, or open in a new partition.' } });
        return;
      }
      const request: RequestOf<'sessions.inject'> = {
        profileId,
        virtualProxy: inject.virtualProxy,
        userDirectory: inject.userDirectory.trim(),
        userId: inject.userId.trim(),
        attributes: [],
        target: { kind: 'hub' },
        partition,
        ...(inject.reason.trim() ? { reason: inject.reason.trim() } : {}),
      };
      set({ injecting: true, injected: undefined, injectError: undefined });
      try {
        const injected = await call('sessions.inject', request);
        set({ injecting: false, injected });
      } catch (error) {
        set({ injecting: false, injectError: toUiError(error) });
      }
      await get().load();
    },
  } satisfies Partial<PartitionsStore>;
}

export const usePartitionsStore = create<PartitionsStore>()((set, get) => ({
  ...initialState(),
  ...injectActions(set, get),

  async load() {
    set({ loading: true, error: undefined });
    try {
      const view = await call('partitions.list', {});
      // "Copied" marks belong to the list they were made in.
      set({ view, loading: false, copied: {} });
    } catch (error) {
      set({ loading: false, error: toUiError(error) });
    }
  },

  async copyCookie(ref) {
    set({ error: undefined, notice: '' });
    try {
      const { valueMasked } = await call('partitions.copyCookie', ref);
      set({ copied: { ...get().copied, [cookieKey(ref)]: true }, notice: `Copied the value of ${ref.name} (${valueMasked}) to the clipboard.` });
    } catch (error) {
      set({ error: toUiError(error) });
    }
  },

  async act(partitionId, action) {
    const label = get().view?.partitions.find((p) => p.partitionId === partitionId)?.label ?? partitionId;
    set({ busy: { partitionId, action }, confirming: undefined, error: undefined, notice: '' });
    let failure: IpcError | undefined;
    try {
      await call(`partitions.${action}`, { partitionId });
    } catch (error) {
      failure = toUiError(error);
    }
    // The list is read again either way (a failure often means it was stale); the outcome is said after.
    await get().load();
    set(failure ? { busy: undefined, error: failure } : { busy: undefined, notice: DONE[action](label) });
  },

  askDestroy(partitionId) {
    set({ confirming: partitionId });
  },

  reset() {
    set(initialState());
  },
}));
