// Builds `window.usher` from the contract: one named function per channel and an `on` for the
// allow-listed events. It is handed only the two ipcRenderer methods it needs, so the object it
// returns can never leak ipcRenderer (or its event objects, whose `sender` is ipcRenderer) to the page.
import { CHANNELS, EVENTS, ipcChannelName, ipcEventName, type Channel, type EventName, type IpcResult, type UsherApi } from '../../shared/ipc/contract';

/** The slice of ipcRenderer the API uses (kept narrow so tests can fake it and nothing else leaks). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENTS as string[]).includes(value);
}

export function createUsherApi(ipc: IpcRendererLike): UsherApi {
  const api: Record<string, unknown> = {};

  for (const channel of CHANNELS) {
    const name = ipcChannelName(channel);
    api[channel] = async (request: unknown): Promise<IpcResult<unknown>> => {
      try {
        return (await ipc.invoke(name, request)) as IpcResult<unknown>;
      } catch {
        // The router never rejects; a rejection here means the bridge itself failed (window closing,
        // an unclonable argument). The page still gets a result it can show.
        return { ok: false, error: { code: 'IPC_FAILED', message: `The console could not reach the main process for ${channel as Channel}.` } };
      }
    };
  }

  api.on = (event: unknown, listener: unknown): (() => void) => {
    if (!isEventName(event)) throw new Error(`usher.on: unknown event ${typeof event === 'string' ? JSON.stringify(event.slice(0, 100)) : typeof event}`);
    if (typeof listener !== 'function') throw new Error('usher.on: the listener must be a function');
    const name = ipcEventName(event);
    // Only the payload goes to the page, never the IpcRendererEvent.
    const forward = (_event: unknown, payload: unknown): void => {
      (listener as (payload: unknown) => void)(payload);
    };
    ipc.on(name, forward);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(name, forward);
    };
  };

  return Object.freeze(api) as unknown as UsherApi;
}

/**
 * `window.usherFiles`: the path of a file dropped on the trust wizard (Electron removed File.path).
 * Only a path string comes back; reading the file stays with the main process and its checks.
 */
export function createFileBridge(utils: { getPathForFile(file: File): string }): { pathForFile(file: unknown): string } {
  return Object.freeze({
    pathForFile(file: unknown): string {
      // No instanceof File here: the page's File arrives re-wrapped by contextBridge, and Electron's
      // getPathForFile rejects anything that is not a File itself.
      if (typeof file !== 'object' || file === null) throw new Error('usherFiles.pathForFile: expected a File');
      const path = utils.getPathForFile(file as File);
      if (typeof path !== 'string') throw new Error('usherFiles.pathForFile: no path for this file');
      return path;
    },
  });
}
