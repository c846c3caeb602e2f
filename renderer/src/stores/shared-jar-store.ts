// The "Seed 003" section's state: the two tabs' users, apps and (optional) image and export paths, the virtual proxy, the run in flight with
// its progress (from `scenario.sharedJar.progress` events), and the last report. The run lives here, so
// it carries on while another section is shown.
import { create } from 'zustand';
import type { IpcError, LoginAsResult, SharedJarRunView } from '../../../shared/ipc/contract';
import { DEMO_SHARED_JAR, defaultImagePath, probePathProblem, type SharedJarProgress, type SharedJarSide } from '../../../shared/shared-jar';
import { formatUser, parseUser } from '../../../shared/user';
import { call, subscribe, toUiError } from '../api';

export interface SideForm {
  user: string;
  appId: string;
  /** Path below the virtual proxy of a content-library image; empty: the core's default (the demo site's). */
  image: string;
  /** Path below the virtual proxy of a finished export; empty: the core's default (the demo site's). */
  export: string;
}

export interface SharedJarForm {
  virtualProxy: string;
  a: SideForm;
  b: SideForm;
}

/** Where "Open side by side" puts the two windows: the seed's one browser, or a partition each. */
export type SideBySideJar = 'shared' | 'isolated';

/** One window "Open side by side" opened (or could not): the tab, its user and app, and the open's answer. */
export interface SideBySideTab {
  tab: 1 | 2;
  user: string;
  appId: string;
  result?: LoginAsResult;
  error?: IpcError;
}

export type FormErrors = Partial<Record<`${'a' | 'b'}${'User' | 'App' | 'Image' | 'Export'}`, string>>;

interface SharedJarStore {
  form: SharedJarForm;
  formErrors: FormErrors;
  inFlight?: { profileId: string };
  progress: SharedJarProgress[];
  result?: SharedJarRunView;
  error?: IpcError;
  setVirtualProxy(prefix: string): void;
  setSide(which: 'a' | 'b', side: Partial<SideForm>): void;
  /**
   * The demo site's pair: MASHUP\a1-sales with app a1-sales, MASHUP\a2-finance with app a2-finance, on
   * /ticket, with the demo site's image path written out (what the empty field stands for); the export
   * stays empty (the tab's own export over the WebSocket).
   */
  fillDemoPair(): void;
  run(profileId: string): Promise<void>;
  /** The windows "Open side by side" is opening or opened, and in which jar; left open for the person. */
  sideBySide?: { jar: SideBySideJar; opening: boolean; tabs: SideBySideTab[] };
  /**
   * Opens app A as user A, then app B as user B, each in a partition window of its own that stays open:
   * both in the site's shared partition (seed 003's one browser) or each in a new one. Through "Log in
   * as" with a ticket, so the partition manager, the audit log and the window titles are the usual ones.
   */
  openSideBySide(profileId: string, jar: SideBySideJar): Promise<void>;
  reset(): void;
}

const sideForm = (side: SharedJarSide, paths: boolean): SideForm => ({
  user: formatUser(side),
  appId: side.appId,
  image: paths ? defaultImagePath(side.appId) : '',
  // Empty on purpose, demo or not: the tab's own export over the WebSocket is the file seed 003 downloads.
  export: '',
});

/**
 * The demo pair. The paths are left empty at first (they exist only on the demo site, where empty means
 * the same); "Use the demo pair" writes them out, which also shows their format.
 */
function demoForm(paths = false): SharedJarForm {
  return { virtualProxy: DEMO_SHARED_JAR.virtualProxy, a: sideForm(DEMO_SHARED_JAR.a, paths), b: sideForm(DEMO_SHARED_JAR.b, paths) };
}

function initialState() {
  return { form: demoForm(), formErrors: {}, inFlight: undefined, progress: [], result: undefined, error: undefined, sideBySide: undefined };
}

function toSide(form: SideForm, which: 'a' | 'b', virtualProxy: string, errors: FormErrors): SharedJarSide | undefined {
  const user = parseUser(form.user);
  const appId = form.appId.trim();
  const image = form.image.trim();
  const exportPath = form.export.trim();
  if (!user) errors[`${which}User`] = 'Write the user as DIRECTORY\\id, for example MASHUP\\a1-sales.';
  if (!appId) errors[`${which}App`] = 'Give the id of the app this user may open.';
  const imageProblem = image ? probePathProblem('image', image, virtualProxy) : undefined;
  const exportProblem = exportPath ? probePathProblem('export', exportPath, virtualProxy) : undefined;
  if (imageProblem) errors[`${which}Image`] = imageProblem;
  if (exportProblem) errors[`${which}Export`] = exportProblem;
  if (!user || !appId || imageProblem || exportProblem) return undefined;
  // Sent only when given: without them the core asks for the demo site's paths of the app.
  return { ...user, appId, ...(image ? { image } : {}), ...(exportPath ? { export: exportPath } : {}) };
}

let runSeq = 0;

export const useSharedJarStore = create<SharedJarStore>()((set, get) => ({
  ...initialState(),

  setVirtualProxy(virtualProxy) {
    // The path checks depend on the prefix, so what they said no longer holds.
    set({ form: { ...get().form, virtualProxy }, formErrors: {} });
  },

  setSide(which, side) {
    const form = get().form;
    const before = form[which];
    const next = { ...before, ...side };
    // An image path written out for the previous app (the demo pair fills in the demo site's) names that app: drop it.
    if (side.appId !== undefined && side.appId !== before.appId) {
      if (side.image === undefined && before.image === defaultImagePath(before.appId)) next.image = '';
    }
    set({ form: { ...form, [which]: next }, formErrors: {} });
  },

  fillDemoPair() {
    set({ form: demoForm(true), formErrors: {} });
  },

  async run(profileId) {
    if (get().inFlight) return;
    const errors: FormErrors = {};
    const { form } = get();
    const a = toSide(form.a, 'a', form.virtualProxy, errors);
    const b = toSide(form.b, 'b', form.virtualProxy, errors);
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

  async openSideBySide(profileId, jar) {
    if (get().sideBySide?.opening) return;
    const errors: FormErrors = {};
    const { form } = get();
    const sides = [toSide(form.a, 'a', form.virtualProxy, errors), toSide(form.b, 'b', form.virtualProxy, errors)];
    if (!sides[0] || !sides[1]) {
      set({ formErrors: errors });
      return;
    }
    const tabs: SideBySideTab[] = [];
    set({ formErrors: {}, sideBySide: { jar, opening: true, tabs } });
    // One after the other, as a person opens two tabs: in the shared jar the second login takes the first window's cookie.
    for (const [index, side] of sides.entries()) {
      const tab = (index + 1) as 1 | 2;
      const entry: SideBySideTab = { tab, user: formatUser(side!), appId: side!.appId };
      try {
        entry.result = await call('login.as', {
          profileId,
          virtualProxy: form.virtualProxy,
          userDirectory: side!.userDirectory,
          userId: side!.userId,
          attributes: [],
          target: { kind: 'app', appId: side!.appId },
          partition: jar === 'shared' ? { kind: 'shared' } : { kind: 'new' },
          method: 'ticket',
          reason: `seed 003 side by side, tab ${tab}`,
        });
      } catch (error) {
        entry.error = toUiError(error);
      }
      tabs.push(entry);
      set({ sideBySide: { jar, opening: index === 0, tabs: [...tabs] } });
    }
  },

  reset() {
    runSeq++;
    set(initialState());
  },
}));
