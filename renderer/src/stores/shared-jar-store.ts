// The "Seed 003" section's state: the two tabs' users and apps, the virtual proxy, the run in flight with
// its progress (from `scenario.sharedJar.progress` events), and the last report. The run lives here, so
// it carries on while another section is shown.
import { create } from 'zustand';
import type { IpcError, SharedJarRunView } from '../../../shared/ipc/contract';
import { DEMO_SHARED_JAR, type SharedJarProgress, type SharedJarSide } from '../../../shared/shared-jar';
import { formatUser, parseUser } from '../../../shared/user';
import { call, subscribe, toUiError } from '../api';

export interface SideForm {
  user: string;
  appId: string;
}

export interface SharedJarForm {
  virtualProxy: string;
  a: SideForm;
  b: SideForm;
}

type FormErrors = Partial<Record<'aUser' | 'aApp' | 'bUser' | 'bApp', string>>;

interface SharedJarStore {
  form: SharedJarForm;
  formErrors: FormErrors;
  inFlight?: { profileId: string };
  progress: SharedJarProgress[];
  result?: SharedJarRunView;
  error?: IpcError;
  setVirtualProxy(prefix: string): void;
  setSide(which: 'a' | 'b', side: Partial<SideForm>): void;
  /** The demo site's pair: MASHUP\a1-sales with app a1-sales, MASHUP\a2-finance with app a2-finance, on /ticket. */
  fillDemoPair(): void;
  run(profileId: string): Promise<void>;
  reset(): void;
}

const sideForm = (side: SharedJarSide): SideForm => ({ user: formatUser(side), appId: side.appId });

export function demoForm(): SharedJarForm {
  return { virtualProxy: DEMO_SHARED_JAR.virtualProxy, a: sideForm(DEMO_SHARED_JAR.a), b: sideForm(DEMO_SHARED_JAR.b) };
}

function initialState() {
  return { form: demoForm(), formErrors: {}, inFlight: undefined, progress: [], result: undefined, error: undefined };
}

function toSide(form: SideForm, which: 'a' | 'b', errors: FormErrors): SharedJarSide | undefined {
  const user = parseUser(form.user);
  const appId = form.appId.trim();
  if (!user) errors[`${which}User`] = 'Write the user as DIRECTORY\\id, for example MASHUP\\a1-sales.';
  if (!appId) errors[`${which}App`] = 'Give the id of the app this user may open.';
  return user && appId ? { ...user, appId } : undefined;
}

let runSeq = 0;

export const useSharedJarStore = create<SharedJarStore>()((set, get) => ({
  ...initialState(),

  setVirtualProxy(virtualProxy) {
    set({ form: { ...get().form, virtualProxy } });
  },

  setSide(which, side) {
    const form = get().form;
    set({ form: { ...form, [which]: { ...form[which], ...side } }, formErrors: {} });
  },

  fillDemoPair() {
    set({ form: demoForm(), formErrors: {} });
  },

  async run(profileId) {
    if (get().inFlight) return;
    const errors: FormErrors = {};
    const { form } = get();
    const a = toSide(form.a, 'a', errors);
    const b = toSide(form.b, 'b', errors);
    if (!a || !b) {
      set({ formErrors: errors });
      return;
    }
    const seq = ++runSeq;
    set({ inFlight: { profileId }, progress: [], formErrors: {}, error: undefined });
    // Subscribed for the run only: the events of this site's run are the only ones wanted here.
    const off = subscribe('scenario.sharedJar.progress', (event) => {
      if (seq === runSeq && event.profileId === profileId) set({ progress: [...get().progress, event.progress] });
    });
    try {
      const result = await call('scenario.sharedJar', { profileId, virtualProxy: form.virtualProxy, a, b });
      if (seq === runSeq) set({ result, inFlight: undefined });
    } catch (error) {
      if (seq === runSeq) set({ error: toUiError(error), inFlight: undefined });
    } finally {
      off();
    }
  },

  reset() {
    runSeq++;
    set(initialState());
  },
}));
