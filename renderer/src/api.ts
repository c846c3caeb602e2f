// The renderer's only way to the main process: the typed `window.usher` the preload (or the chromium
// host's binding) exposes. `call` turns an IpcResult into a value or a thrown UiError, so screens can
// use try/catch and always have a message and a hint to show.
import { inFormWords } from './request-refusal';
import type { Channel, EventName, EventTypes, IpcError, IpcResult, RequestOf, ResponseOf, UsherApi } from '../../shared/ipc/contract';

/**
 * Optional, separate from `window.usher`: turns a dropped or chosen File into its path on disk. Electron
 * removed `File.path`, so its preload exposes `webUtils.getPathForFile` under this name (an answer at
 * once); the chromium host asks the browser (a promise). Hosts without it leave the path field as the way in.
 */
export interface UsherFileBridge {
  pathForFile(file: File): string | Promise<string>;
}

declare global {
  interface Window {
    usher?: UsherApi;
    usherFiles?: UsherFileBridge;
  }
}

export class UiError extends Error {
  readonly code: string;
  readonly hint?: string;

  constructor(error: IpcError) {
    super(error.message);
    this.name = 'UiError';
    this.code = error.code;
    if (error.hint !== undefined) this.hint = error.hint;
  }

  /** A plain copy for stores: view state holds data, not Error instances. */
  toView(): IpcError {
    return this.hint === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, hint: this.hint };
  }
}

function api(): UsherApi {
  const usher = window.usher;
  if (!usher) {
    throw new UiError({
      code: 'NO_BRIDGE',
      message: 'The console is not connected to Usher.',
      hint: 'Start the console with `npm start`; opening renderer/index.html on its own cannot work.',
    });
  }
  return usher;
}

export async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  // A mapped type indexed by a generic key does not narrow to one function; this is that function.
  const handler = api()[channel] as (request: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>>;
  let result: IpcResult<ResponseOf<C>>;
  try {
    result = await handler(request);
  } catch {
    // A rejected promise means the bridge itself broke (window closing, host gone), not a handler error.
    throw new UiError({ code: 'IPC_FAILED', message: `The main process did not answer "${channel}".`, hint: 'Restart Usher if this keeps happening.' });
  }
  if (!result.ok) throw new UiError(inFormWords(result.error));
  return result.value;
}

/** Subscribes to a main-process event; a no-op when there is no bridge (the error shows elsewhere). */
export function subscribe<E extends EventName>(event: E, listener: (payload: EventTypes[E]) => void): () => void {
  const usher = window.usher;
  return usher ? usher.on(event, listener) : () => undefined;
}

/** Any thrown value as something the UI can show: message and hint, never a stack. */
export function toUiError(error: unknown): IpcError {
  if (error instanceof UiError) return error.toView();
  return {
    code: 'UNEXPECTED',
    message: error instanceof Error ? error.message : String(error),
    hint: 'This is a bug in Usher; the request log may show more.',
  };
}
