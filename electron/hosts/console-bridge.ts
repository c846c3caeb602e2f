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

/** The init script's source. It only acts in the console's own top-level document. */
export function bridgeScript(consoleOrigin: string): string {
  const config = JSON.stringify({ origin: consoleOrigin, channels: CHANNELS, events: EVENTS, invoke: INVOKE_BINDING, emit: EMIT_FUNCTION });
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
})();`;
}
