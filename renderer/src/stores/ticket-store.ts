// The ticket generator's view state: the request form, the last ticket (masked; the ticket itself stays
// in the main process), where to open it, and what opening or copying answered.
import { create } from 'zustand';
import type { IpcError, LoginAsResult, OpenResult, RequestOf, TicketView } from '../../../shared/ipc/contract';
import { loginMethodsOf, type LoginMethod } from '../../../shared/login-as';
import type { Profile } from '../../../shared/profile';
import { call, toUiError } from '../api';
import { partitionRequest, type PartitionChoiceForm } from './partitions-store';

export interface AttributeRow {
  /** Stable React key: keys may repeat, so the attribute name cannot be the key. */
  rowId: number;
  key: string;
  value: string;
}

export type TargetKind = 'hub' | 'app' | 'url';
export type CopyFormat = RequestOf<'tickets.copy'>['format'];
type TicketStage = 'request' | 'open' | 'copy' | 'login';

export interface TicketForm {
  userDirectory: string;
  userId: string;
  attributes: AttributeRow[];
  virtualProxy: string;
  /** How the user is logged in: a ticket to request (then open or copy), or a login made in one step. */
  method: LoginMethod;
  targetId: string;
  reason: string;
}

interface TicketStore {
  /** The profile the form's defaults came from; a new active profile brings its own. */
  profileId?: string;
  form: TicketForm;
  requesting: boolean;
  ticket?: TicketView;
  target: { kind: TargetKind; appId: string; url: string };
  /** Where to open it; a new isolated in-memory partition unless the person picks otherwise. */
  partition: PartitionChoiceForm;
  opening: boolean;
  opened?: OpenResult;
  /** The ticket was taken by an Open that got through: spent, not expired (its countdown no longer matters). */
  redeemed: boolean;
  copied?: { format: CopyFormat; preview: string };
  /** A one-step login (session API, header, JWT) under way, and what it established. */
  loggingIn: boolean;
  loggedIn?: LoginAsResult;
  errors: Partial<Record<TicketStage, IpcError>>;
  /** What is wrong with the target's URL, in words, shown next to the field (a fresh object per refusal). */
  targetErrors: { url?: string };

  applyProfile(profile: Profile): void;
  /** Picks a virtual proxy and the first login method it takes (its own, per QRS authenticationMethod). */
  setVirtualProxy(profile: Profile, prefix: string): void;
  setForm(fields: Partial<Omit<TicketForm, 'attributes'>>): void;
  addAttribute(): void;
  updateAttribute(rowId: number, fields: Partial<Pick<AttributeRow, 'key' | 'value'>>): void;
  removeAttribute(rowId: number): void;
  setTarget(fields: Partial<TicketStore['target']>): void;
  setPartition(fields: Partial<PartitionChoiceForm>): void;
  request(): Promise<void>;
  open(): Promise<void>;
  /** "Log in as" in one step: the method, the user and attributes, the target and the partition. */
  loginAs(): Promise<void>;
  copy(format: CopyFormat): Promise<void>;
  reset(): void;
}

let nextRowId = 1;
const newRow = (): AttributeRow => ({ rowId: nextRowId++, key: '', value: '' });

function initialState() {
  return {
    profileId: undefined,
    form: { userDirectory: '', userId: '', attributes: [], virtualProxy: '', method: 'ticket' as LoginMethod, targetId: '', reason: '' },
    requesting: false,
    ticket: undefined,
    target: { kind: 'hub' as TargetKind, appId: '', url: '' },
    partition: { mode: 'new' as PartitionChoiceForm['mode'], partitionId: '' },
    opening: false,
    opened: undefined,
    redeemed: false,
    copied: undefined,
    loggingIn: false,
    loggedIn: undefined,
    errors: {},
    targetErrors: {},
  };
}

/** The login methods of a profile's virtual proxy (ticket and session API when QRS has not described it). */
export function methodsFor(profile: Profile, prefix: string): LoginMethod[] {
  const vp = profile.virtualProxies.find((v) => v.prefix === prefix);
  return loginMethodsOf(vp ? vp.authenticationMethod : 0);
}

/**
 * The attributes to send: rows exactly as typed (keys may repeat, values may be empty, as Qlik allows).
 * Rows left entirely blank are skipped; a value without a name is a mistake to point out, not to drop.
 */
export function attributesToSend(rows: AttributeRow[]): { attributes: Array<{ key: string; value: string }> } | { problem: string } {
  const attributes: Array<{ key: string; value: string }> = [];
  for (const [index, row] of rows.entries()) {
    if (row.key === '' && row.value === '') continue;
    if (row.key.trim() === '') return { problem: `Attribute ${index + 1} has a value but no name.` };
    attributes.push({ key: row.key, value: row.value });
  }
  return { attributes };
}

/** Why a URL target cannot be sent, in the form's words (the IPC schema's rule: an https:// address). */
export function targetUrlProblem(target: TicketStore['target']): string | undefined {
  if (target.kind !== 'url') return undefined;
  const url = target.url.trim();
  if (!/^https:\/\//i.test(url)) return 'Give the full address on the site, starting with https://.';
  try {
    if (new URL(url).hostname === '') throw new Error('no host');
  } catch {
    return 'This is not a web address: give one like https://qlik.example.com/sense/app/….';
  }
  return undefined;
}

function targetRequest(target: TicketStore['target']): RequestOf<'tickets.open'>['target'] {
  if (target.kind === 'app') return { kind: 'app', appId: target.appId.trim() };
  if (target.kind === 'url') return { kind: 'url', url: target.url.trim() };
  return { kind: 'hub' };
}

type SetTicket = (partial: Partial<TicketStore>) => void;
type GetTicket = () => TicketStore;
type PartitionRequest = Exclude<ReturnType<typeof partitionRequest>, { problem: string }>;

const NO_SITE: IpcError = { code: 'NO_PROFILE', message: 'No site is selected.', hint: 'Pick a site in the sidebar, or add one with the trust wizard.' };

/**
 * What a ticket request or a one-step login takes from the form (the partition only for a login), or
 * the error that stops it: a nameless attribute, then a partition not chosen, then no site.
 */
function formInput(
  state: TicketStore,
  withPartition: boolean,
): { profileId: string; attributes: Array<{ key: string; value: string }>; partition?: PartitionRequest } | { error: IpcError } {
  const attributes = attributesToSend(state.form.attributes);
  if ('problem' in attributes) return { error: { code: 'FORM', message: attributes.problem, hint: 'Give it a name, or remove the row.' } };
  const partition = withPartition ? partitionRequest(state.partition) : undefined;
  if (partition && 'problem' in partition)
    return { error: { code: 'FORM', message: partition.problem, hint: 'Choose one in the list, or open in a new partition.' } };
  if (!state.profileId) return { error: NO_SITE };
  return { profileId: state.profileId, attributes: attributes.attributes, ...(partition ? { partition } : {}) };
}

/** The partition to send: none for the default (a new isolated one), which the main process chooses itself. */
function partitionToSend(partition: PartitionRequest) {
  return partition.kind === 'new' && !partition.persistent ? {} : { partition };
}

/** Editing the form, the target and the partition choice: plain state changes. */
function editActions(set: SetTicket, get: GetTicket) {
  return {
    applyProfile(profile) {
      if (get().profileId === profile.id) return;
      // Another site: its defaults, and no ticket of the previous site left on screen.
      set({
        profileId: profile.id,
        form: {
          ...get().form,
          userDirectory: profile.defaultUserDirectory,
          virtualProxy: profile.defaultVirtualProxy,
          method: methodsFor(profile, profile.defaultVirtualProxy)[0]!,
        },
        ticket: undefined,
        opened: undefined,
        loggedIn: undefined,
        redeemed: false,
        copied: undefined,
        errors: {},
      });
    },

    setForm(fields) {
      set({ form: { ...get().form, ...fields } });
    },

    setVirtualProxy(profile, prefix) {
      const methods = methodsFor(profile, prefix);
      const { method } = get().form;
      set({ form: { ...get().form, virtualProxy: prefix, method: methods.includes(method) ? method : methods[0]! }, loggedIn: undefined });
    },

    addAttribute() {
      const { form } = get();
      set({ form: { ...form, attributes: [...form.attributes, newRow()] } });
    },

    updateAttribute(rowId, fields) {
      const { form } = get();
      set({ form: { ...form, attributes: form.attributes.map((row) => (row.rowId === rowId ? { ...row, ...fields } : row)) } });
    },

    removeAttribute(rowId) {
      const { form } = get();
      set({ form: { ...form, attributes: form.attributes.filter((row) => row.rowId !== rowId) } });
    },

    setTarget(fields) {
      set({ target: { ...get().target, ...fields }, opened: undefined });
    },

    setPartition(fields) {
      set({ partition: { ...get().partition, ...fields }, opened: undefined });
    },
  } satisfies Partial<TicketStore>;
}

/** What is done with a requested ticket: open it in a partition, or copy it as a command. */
function ticketActions(set: SetTicket, get: GetTicket) {
  return {
    async open() {
      const { ticket, target } = get();
      if (!ticket) return;
      const urlProblem = targetUrlProblem(target);
      set({ targetErrors: urlProblem ? { url: urlProblem } : {} });
      if (urlProblem) return;
      const partition = partitionRequest(get().partition);
      if ('problem' in partition) {
        set({ errors: { open: { code: 'FORM', message: partition.problem, hint: 'Choose one in the list, or open in a new partition.' } } });
        return;
      }
      set({ opening: true, opened: undefined, errors: {} });
      try {
        const opened = await call('tickets.open', { ticketId: ticket.ticketId, target: targetRequest(target), ...partitionToSend(partition) });
        set({ opening: false, opened, redeemed: true });
      } catch (error) {
        set({ opening: false, errors: { open: toUiError(error) } });
      }
    },

    async copy(format) {
      const { ticket } = get();
      if (!ticket) return;
      set({ copied: undefined, errors: {} });
      try {
        const { preview } = await call('tickets.copy', { ticketId: ticket.ticketId, format });
        set({ copied: { format, preview } });
      } catch (error) {
        set({ errors: { copy: toUiError(error) } });
      }
    },
  } satisfies Partial<TicketStore>;
}

export const useTicketStore = create<TicketStore>()((set, get) => ({
  ...initialState(),
  ...editActions(set, get),
  ...ticketActions(set, get),

  async request() {
    const { form } = get();
    const input = formInput(get(), false);
    if ('error' in input) {
      set({ errors: { request: input.error } });
      return;
    }
    set({ requesting: true, ticket: undefined, opened: undefined, redeemed: false, copied: undefined, errors: {} });
    try {
      const ticket = await call('tickets.request', {
        profileId: input.profileId,
        virtualProxy: form.virtualProxy,
        userDirectory: form.userDirectory.trim(),
        userId: form.userId.trim(),
        attributes: input.attributes,
        ...(form.targetId.trim() ? { targetId: form.targetId.trim() } : {}),
        ...(form.reason.trim() ? { reason: form.reason.trim() } : {}),
      });
      set({ requesting: false, ticket });
    } catch (error) {
      set({ requesting: false, errors: { request: toUiError(error) } });
    }
  },

  async loginAs() {
    const { form, target } = get();
    const urlProblem = targetUrlProblem(target);
    set({ targetErrors: urlProblem ? { url: urlProblem } : {} });
    if (urlProblem) return;
    const input = formInput(get(), true);
    if ('error' in input) {
      set({ errors: { login: input.error } });
      return;
    }
    set({ loggingIn: true, loggedIn: undefined, errors: {} });
    try {
      const loggedIn = await call('login.as', {
        profileId: input.profileId,
        virtualProxy: form.virtualProxy,
        method: form.method,
        userDirectory: form.userDirectory.trim(),
        userId: form.userId.trim(),
        attributes: input.attributes,
        target: targetRequest(target),
        ...(input.partition ? partitionToSend(input.partition) : {}),
        ...(form.reason.trim() ? { reason: form.reason.trim() } : {}),
      });
      set({ loggingIn: false, loggedIn });
    } catch (error) {
      set({ loggingIn: false, errors: { login: toUiError(error) } });
    }
  },

  reset() {
    set(initialState());
  },
}));
