// The trust wizard's view state: where the certificates are, what inspecting them found, the live steps
// of the trust check, and the save-as-profile form. Files are read and checked in the main process only.
import { create } from 'zustand';
import type { CertificateInput, CertificateReport } from '../../../shared/certificates';
import type { EventTypes, IpcError, TrustRunView } from '../../../shared/ipc/contract';
import type { Profile } from '../../../shared/profile';
import type { TrustStep } from '../../../shared/trust-check';
import { call, toUiError } from '../api';
import { upsertStep } from './upsert-step';

export type SourceKind = CertificateInput['kind'];
type TrustStage = 'source' | 'inspect' | 'run' | 'save';

export interface SourceFields {
  kind: SourceKind;
  folder: string;
  certPath: string;
  keyPath: string;
  caPath: string;
  pfxPath: string;
  pfxCaPath: string;
  passphrase: string;
}

export interface TicketTestFields {
  enabled: boolean;
  userDirectory: string;
  userId: string;
  virtualProxy: string;
}

export interface SaveFields {
  name: string;
  defaultVirtualProxy: string;
  defaultUserDirectory: string;
}

interface TrustStore {
  source: SourceFields;
  passphraseHint?: string;
  qps: string;
  qrs: string;
  ticketTest: TicketTestFields;
  report?: CertificateReport;
  inspecting: boolean;
  running: boolean;
  /** Adopted from the first `trust.step` event of our run, confirmed by the run's answer. */
  runId?: string;
  steps: TrustStep[];
  run?: TrustRunView;
  form: SaveFields;
  saving: boolean;
  saved?: Profile;
  errors: Partial<Record<TrustStage, IpcError>>;
  /** What is wrong with a field, in the console's words, checked before the main process is asked. */
  fieldErrors: FieldErrors;
  /** Set when the wizard re-imports the certificates of a saved site instead of saving a new one. */
  replaceFor?: { id: string; name: string };

  setSource(fields: Partial<SourceFields>): void;
  setSite(fields: Partial<Pick<TrustStore, 'qps' | 'qrs'>>): void;
  setTicketTest(fields: Partial<TicketTestFields>): void;
  setForm(fields: Partial<SaveFields>): void;
  takeInput(input: CertificateInput): void;
  loadDemo(): Promise<void>;
  inspect(): Promise<void>;
  start(): Promise<void>;
  onStep(event: EventTypes['trust.step']): void;
  /** `memoryOnly`: the person chose to save although the certificates will be lost when Usher closes. */
  save(memoryOnly?: boolean): Promise<Profile | undefined>;
  /** Starts the wizard for new certificates of a saved site: its addresses filled in, the save step replaces. */
  startReplace(profile: Pick<Profile, 'id' | 'name' | 'qps' | 'qrs'>): void;
  /** Replaces the saved site's certificates with the run's (the old vault bundle is removed). */
  replace(memoryOnly?: boolean): Promise<Profile | undefined>;
  reset(): void;
}

export type TrustField = 'folder' | 'certPath' | 'keyPath' | 'caPath' | 'pfxPath' | 'qps' | 'qrs';
export type FieldErrors = Partial<Record<TrustField, string>>;

const PATH_WORDS: Record<Exclude<TrustField, 'qps' | 'qrs'>, string> = {
  folder: 'Give the folder the QMC exported the certificates to.',
  certPath: 'Give the path of client.pem.',
  keyPath: 'Give the path of client_key.pem.',
  caPath: 'Give the path of root.pem.',
  pfxPath: 'Give the path of client.pfx.',
};

/** The certificate fields left empty, in the form's order. */
function pathErrors(source: SourceFields): FieldErrors {
  const errors: FieldErrors = {};
  const fields =
    source.kind === 'folder' ? (['folder'] as const) : source.kind === 'pem' ? (['certPath', 'keyPath', 'caPath'] as const) : (['pfxPath'] as const);
  for (const field of fields) if (source[field].trim() === '') errors[field] = PATH_WORDS[field];
  return errors;
}

/** An address the trust check can call: https (or http) with a host; the port is the service's. */
function addressError(value: string, service: 'QPS' | 'QRS', port: number): string | undefined {
  const example = `https://qlik.example.com:${port}`;
  if (value.trim() === '') return `Give the ${service} address, for example ${example}.`;
  try {
    const url = new URL(value.trim());
    if ((url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '') return undefined;
  } catch {
    // Not a URL at all: said below.
  }
  return `Write the ${service} address as a whole URL, for example ${example}.`;
}

/** A prefix as the console writes it (/ticket) or as the QMC does (ticket): the same virtual proxy. */
export function bareVirtualProxy(prefix: string): string {
  return prefix.trim().replace(/^\/+|\/+$/g, '');
}

const emptySource: SourceFields = { kind: 'folder', folder: '', certPath: '', keyPath: '', caPath: '', pfxPath: '', pfxCaPath: '', passphrase: '' };

function initialState() {
  return {
    source: emptySource,
    passphraseHint: undefined,
    qps: '',
    qrs: '',
    ticketTest: { enabled: false, userDirectory: '', userId: '', virtualProxy: '' },
    report: undefined,
    inspecting: false,
    running: false,
    runId: undefined,
    steps: [],
    run: undefined,
    form: { name: '', defaultVirtualProxy: '', defaultUserDirectory: '' },
    saving: false,
    saved: undefined,
    errors: {},
    fieldErrors: {},
    replaceFor: undefined,
  };
}

/** The request's certificate input from the form; the main process validates the paths themselves. */
export function certificateInput(source: SourceFields): CertificateInput {
  switch (source.kind) {
    case 'folder':
      return { kind: 'folder', path: source.folder.trim() };
    case 'pem':
      return { kind: 'pem', certPath: source.certPath.trim(), keyPath: source.keyPath.trim(), caPath: source.caPath.trim() };
    case 'pfx':
      return source.pfxCaPath.trim() === ''
        ? { kind: 'pfx', pfxPath: source.pfxPath.trim() }
        : { kind: 'pfx', pfxPath: source.pfxPath.trim(), caPath: source.pfxCaPath.trim() };
  }
}

function passphraseOf(source: SourceFields): { passphrase?: string } {
  return source.kind === 'pfx' && source.passphrase !== '' ? { passphrase: source.passphrase } : {};
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

// Anything that changes which certificates are meant makes earlier findings and runs stale.
const staleResults = { report: undefined, run: undefined, runId: undefined, steps: [], saved: undefined, errors: {} };

type SetTrust = (partial: Partial<TrustStore>) => void;
type GetTrust = () => TrustStore;

/** Choosing the certificates, the site's addresses and the save form; reading the certificates. */
function sourceActions(set: SetTrust, get: GetTrust) {
  return {
    setSource(fields) {
      set({ source: { ...get().source, ...fields }, ...staleResults });
    },

    setSite(fields) {
      set({ ...fields, run: undefined, runId: undefined, steps: [], saved: undefined });
    },

    setTicketTest(fields) {
      set({ ticketTest: { ...get().ticketTest, ...fields } });
    },

    setForm(fields) {
      set({ form: { ...get().form, ...fields } });
    },

    takeInput(input) {
      const source: SourceFields = { ...emptySource, passphrase: get().source.passphrase, kind: input.kind };
      if (input.kind === 'folder') source.folder = input.path;
      if (input.kind === 'pem') Object.assign(source, { certPath: input.certPath, keyPath: input.keyPath, caPath: input.caPath });
      if (input.kind === 'pfx') Object.assign(source, { pfxPath: input.pfxPath, pfxCaPath: input.caPath ?? '' });
      set({ source, ...staleResults });
    },

    async loadDemo() {
      set({ errors: {} });
      try {
        const demo = await call('demo.export', {});
        set({
          source: { ...emptySource, kind: 'folder', folder: demo.path },
          passphraseHint: demo.pfxPassphraseHint,
          qps: demo.qps,
          qrs: demo.qrs,
          ...staleResults,
        });
      } catch (error) {
        set({ errors: { source: toUiError(error) } });
      }
    },

    async inspect() {
      const { source } = get();
      const fieldErrors = pathErrors(source);
      set({ fieldErrors });
      if (Object.keys(fieldErrors).length > 0) return;
      set({ inspecting: true, ...staleResults });
      try {
        const report = await call('certs.inspect', { input: certificateInput(source), ...passphraseOf(source) });
        set({ report, inspecting: false });
      } catch (error) {
        set({ inspecting: false, errors: { inspect: toUiError(error) } });
      }
    },
  } satisfies Partial<TrustStore>;
}

/** Keeping a run: a new site from it, or new certificates for a saved one. */
function saveActions(set: SetTrust, get: GetTrust) {
  return {
    async save(memoryOnly = false) {
      const { run, form } = get();
      if (!run) return undefined;
      // The last save's "Saved" line goes: under a new answer (an error, say) it would read as this one's.
      set({ saving: true, saved: undefined, errors: {} });
      try {
        const saved = await call('profiles.saveFromTrust', {
          runId: run.runId,
          name: form.name.trim(),
          defaultVirtualProxy: form.defaultVirtualProxy,
          defaultUserDirectory: form.defaultUserDirectory.trim(),
          // The form says before saving when the certificates will not survive a restart; saving is the choice.
          ...(memoryOnly ? { memoryOnly: true } : {}),
        });
        set({ saving: false, saved });
        return saved;
      } catch (error) {
        set({ saving: false, errors: { save: toUiError(error) } });
        return undefined;
      }
    },

    startReplace(profile) {
      set({ ...initialState(), qps: profile.qps, qrs: profile.qrs, replaceFor: { id: profile.id, name: profile.name } });
    },

    async replace(memoryOnly = false) {
      const { run, replaceFor } = get();
      if (!run || !replaceFor) return undefined;
      set({ saving: true, errors: {} });
      try {
        const saved = await call('profiles.replaceCertificates', { id: replaceFor.id, runId: run.runId, ...(memoryOnly ? { memoryOnly: true } : {}) });
        set({ saving: false, saved });
        return saved;
      } catch (error) {
        set({ saving: false, errors: { save: toUiError(error) } });
        return undefined;
      }
    },
  } satisfies Partial<TrustStore>;
}

export const useTrustStore = create<TrustStore>()((set, get) => ({
  ...initialState(),
  ...sourceActions(set, get),
  ...saveActions(set, get),

  async start() {
    const { source, qps, qrs, ticketTest } = get();
    const fieldErrors: FieldErrors = { ...pathErrors(source) };
    const qpsError = addressError(qps, 'QPS', 4243);
    const qrsError = addressError(qrs, 'QRS', 4242);
    if (qpsError) fieldErrors.qps = qpsError;
    if (qrsError) fieldErrors.qrs = qrsError;
    set({ fieldErrors });
    if (Object.keys(fieldErrors).length > 0) return;
    set({ running: true, runId: undefined, steps: [], run: undefined, saved: undefined, errors: {} });
    try {
      const run = await call('trust.run', {
        input: certificateInput(source),
        ...passphraseOf(source),
        qps: qps.trim(),
        qrs: qrs.trim(),
        ...(ticketTest.enabled
          ? {
              ticketTest: {
                userDirectory: ticketTest.userDirectory.trim(),
                userId: ticketTest.userId.trim(),
                virtualProxy: bareVirtualProxy(ticketTest.virtualProxy),
              },
            }
          : {}),
      });
      // Defaults for the save form from what the run discovered; the person can change each one.
      const prefixes = run.virtualProxies.map((v) => v.prefix);
      set({
        running: false,
        run,
        runId: run.runId,
        steps: run.steps,
        form: {
          name: get().form.name || hostOf(qps) || 'New site',
          defaultVirtualProxy: prefixes.includes(get().form.defaultVirtualProxy) ? get().form.defaultVirtualProxy : (prefixes[0] ?? ''),
          defaultUserDirectory: get().form.defaultUserDirectory || (ticketTest.enabled ? ticketTest.userDirectory.trim() : ''),
        },
      });
    } catch (error) {
      set({ running: false, errors: { run: toUiError(error) } });
    }
  },

  onStep({ runId, step }) {
    const state = get();
    // Only our run, and only while it runs: the answer to trust.run is the final word on the steps.
    if (!state.running) return;
    if (state.runId !== undefined && state.runId !== runId) return;
    set({ runId, steps: upsertStep(state.steps, step) });
  },

  reset() {
    set(initialState());
  },
}));
