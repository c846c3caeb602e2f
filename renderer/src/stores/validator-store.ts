// The module validator's wizard state: the form, the run's setup (where the certificates are), the steps
// as the main process grades them, and the final report. The run lives here, not in the screen, so it
// carries on (and its events keep arriving) while another section is shown.
import { create } from 'zustand';
import type { EventTypes, IpcError, ValidatorRunInfo, ValidatorRunView } from '../../../shared/ipc/contract';
import type { ValidationStep } from '../../../shared/module-validation';
import { call, subscribe, toUiError } from '../api';
import { upsertStep } from './upsert-step';

/** idle: the form; starting: the site is coming up; ready: configure the module, then run; running; done. */
export type ValidatorPhase = 'idle' | 'starting' | 'ready' | 'running' | 'done';

interface ValidatorStore {
  moduleUrl: string;
  loginScriptPath: string;
  moduleCaPath: string;
  phase: ValidatorPhase;
  info?: ValidatorRunInfo;
  steps: ValidationStep[];
  /** The run waits for the person to log in in the window the host opened. */
  waitingForLogin: boolean;
  result?: ValidatorRunView;
  /** The module URL field's own problem, shown next to it. */
  urlError?: string;
  error?: IpcError;
  /** A short confirmation after a copy. */
  note?: string;
  setField(field: 'moduleUrl' | 'loginScriptPath' | 'moduleCaPath', value: string): void;
  start(): Promise<void>;
  run(): Promise<void>;
  cancel(): Promise<void>;
  copyPassphrase(): Promise<void>;
  /** Back to the form for another run (keeps what was typed). */
  again(): void;
  reset(): void;
}

function initialState() {
  return {
    moduleUrl: '',
    loginScriptPath: '',
    moduleCaPath: '',
    phase: 'idle' as ValidatorPhase,
    info: undefined,
    steps: [],
    waitingForLogin: false,
    result: undefined,
    urlError: undefined,
    error: undefined,
    note: undefined,
  };
}

/** Why the text is not a module URL the validator can use, if it is not. */
function moduleUrlProblem(text: string): string | undefined {
  const value = text.trim();
  if (value === '') return 'Enter the module’s login address, for example https://auth.example.com/login.';
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !url.hostname) return 'This is not a URL. Enter the module’s login address, for example https://auth.example.com/login.';
  if (url.protocol !== 'https:') return 'The module must be served over https: the proxy only sends browsers to an https:// module.';
  return undefined;
}

let unsubscribe: (() => void) | undefined;

function listen(onStep: (event: EventTypes['validator.step']) => void): void {
  unsubscribe?.();
  unsubscribe = subscribe('validator.step', onStep);
}

function stopListening(): void {
  unsubscribe?.();
  unsubscribe = undefined;
}

export const useValidatorStore = create<ValidatorStore>()((set, get) => ({
  ...initialState(),

  setField(field, value) {
    set({ [field]: value, ...(field === 'moduleUrl' ? { urlError: undefined } : {}) });
  },

  async start() {
    if (get().phase !== 'idle' && get().phase !== 'done') return;
    const problem = moduleUrlProblem(get().moduleUrl);
    if (problem) {
      set({ urlError: problem });
      return;
    }
    const script = get().loginScriptPath.trim();
    const ca = get().moduleCaPath.trim();
    set({ phase: 'starting', info: undefined, steps: [], result: undefined, error: undefined, note: undefined, waitingForLogin: false });
    try {
      const info = await call('validator.start', {
        moduleUrl: get().moduleUrl.trim(),
        ...(script ? { loginScriptPath: script } : {}),
        ...(ca ? { moduleCaPath: ca } : {}),
      });
      set({ phase: 'ready', info });
    } catch (error) {
      set({ phase: 'idle', error: toUiError(error) });
    }
  },

  async run() {
    const info = get().info;
    if (!info || get().phase !== 'ready') return;
    set({ phase: 'running', steps: [], error: undefined, note: undefined });
    listen(({ runId, step, waitingForLogin }) => {
      if (runId !== get().info?.runId || get().phase !== 'running') return;
      set({ steps: upsertStep(get().steps, step), waitingForLogin: waitingForLogin === true });
    });
    try {
      const result = await call('validator.run', { runId: info.runId });
      if (get().info?.runId !== info.runId) return;
      // The answer is the final word on every step.
      set({ phase: 'done', result, steps: result.report.steps, waitingForLogin: false });
    } catch (error) {
      if (get().info?.runId !== info.runId) return;
      set({ phase: 'idle', info: undefined, waitingForLogin: false, error: toUiError(error) });
    } finally {
      stopListening();
    }
  },

  async cancel() {
    const info = get().info;
    if (!info) return;
    stopListening();
    set({
      phase: 'idle',
      info: undefined,
      steps: [],
      waitingForLogin: false,
      note: 'The validation was cancelled; its site stopped and its certificate export was removed.',
    });
    try {
      await call('validator.cancel', { runId: info.runId });
    } catch (error) {
      set({ error: toUiError(error) });
    }
  },

  async copyPassphrase() {
    const info = get().info;
    if (!info) return;
    try {
      await call('validator.copyPassphrase', { runId: info.runId });
      set({ note: 'The client.pfx passphrase is on the clipboard.' });
    } catch (error) {
      set({ error: toUiError(error) });
    }
  },

  again() {
    set({ phase: 'idle', info: undefined, steps: [], result: undefined, error: undefined, note: undefined, waitingForLogin: false });
  },

  reset() {
    stopListening();
    set(initialState());
  },
}));
