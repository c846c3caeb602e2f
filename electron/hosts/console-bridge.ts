// What the Electron preload does with contextBridge, done for a stock Chromium page: `window.usher` with
// one named function per contract channel plus `on(event, listener)`. The functions call the page binding
// `__usherInvoke` (Playwright's exposeBinding), whose Node side hands the call to the router together
// with who really sent it. Events come back through `__usherEmit`, which the host calls with page.evaluate.
//
// The script runs in the page before any of its own code (page.addInitScript), so it cannot import
// anything: the channel and event lists are serialised into its text.
import { CHANNELS, EVENTS } from '../../shared/ipc/contract';

export const INVOKE_BINDING = '__usherInvoke';
export const EMIT_FUNCTION = '__usherEmit';
/** The page binding that answers a registered File's path on disk (see filePathOf in chromium-console). */
export const FILE_PATH_BINDING = '__usherFilePath';
/** Where `usherFiles.pathForFile` keeps a File (by number) while the host reads its path. */
export const FILE_REGISTRY = '__usherFileRegistry';

/** The init script's source. It only acts in the console's own top-level document. */
export function bridgeScript(consoleOrigin: string): string {
  const config = JSON.stringify({
    origin: consoleOrigin,
    channels: CHANNELS,
    events: EVENTS,
    invoke: INVOKE_BINDING,
    emit: EMIT_FUNCTION,
    filePath: FILE_PATH_BINDING,
    files: FILE_REGISTRY,
  });
  // Plain ES2020 that the page evaluates; kept free of TypeScript-only syntax on purpose.
  return `(() => {
  const config = ${config};
  if (location.origin !== config.origin || window.top !== window) return;
  const listeners = new Map(config.events.map((name) => [name, new Set()]));
  const api = {};
  for (const channel of config.channels) {
    // The binding is looked up per call: Playwright may install it after this script has run.
    api[channel] = (request) => window[config.invoke](channel, request === undefined ? {} : request);
  }
  api.on = (event, listener) => {
    const set = listeners.get(event);
    if (!set || typeof listener !== 'function') throw new TypeError('usher.on: unknown event or listener');
    set.add(listener);
    return () => { set.delete(listener); };
  };
  const emit = (event, payload) => {
    for (const listener of [...(listeners.get(event) || [])]) {
      try { listener(payload); } catch (err) { console.error(err); }
    }
  };
  Object.defineProperty(window, 'usher', { value: Object.freeze(api), enumerable: true });
  Object.defineProperty(window, config.emit, { value: emit });
  // A dropped or chosen File's path, as Electron's webUtils.getPathForFile gives it: the host reads it
  // from the browser (a page cannot), so the File waits in the registry until the host has looked.
  const files = new Map();
  let nextFile = 1;
  Object.defineProperty(window, config.files, { value: files });
  const pathForFile = async (file) => {
    if (!(file instanceof File)) throw new TypeError('usherFiles.pathForFile: expected a File');
    const id = nextFile++;
    files.set(id, file);
    try { return await window[config.filePath](id); } finally { files.delete(id); }
  };
  Object.defineProperty(window, 'usherFiles', { value: Object.freeze({ pathForFile }), enumerable: true });
})();`;
}
