// The one IPC router: every call from a console page, whichever host carried it (Electron's ipcMain or
// the chromium host's exposed binding), goes through `dispatch`. It refuses unknown senders and
// channels, validates the payload against the contract's schema before any handler sees it, and turns
// every outcome into a plain, structured-clone safe IpcResult. It never throws and never leaks a stack.
// Deliberately free of any 'electron' import so both hosts and the tests can use it as is.
import { requestSchemas, type Channel, type IpcError, type IpcResult, type RequestOf, type ResponseOf } from '../../shared/ipc/contract';
import { UsherError } from '../../shared/errors';
import { firstProblem } from '../../shared/schema';

/** Who sent a call, as the host saw it (never as the page claims it). */
export type SenderInfo = { kind: 'electron'; webContentsId: number; url: string } | { kind: 'chromium'; pageId: string; url: string };

export type Handlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

export interface RouterOptions {
  handlers: Handlers;
  /** True only for the console page itself; anything else gets UNTRUSTED_SENDER. */
  isTrustedSender: (sender: SenderInfo) => boolean;
  /** Told about unexpected failures (INTERNAL), e.g. to log them with their stack on the main side. */
  onError?: (channel: Channel, err: unknown) => void;
}

export interface Router {
  dispatch(sender: SenderInfo, channel: unknown, payload: unknown): Promise<IpcResult<unknown>>;
}

/** Codes the router itself produces; handlers add their own (QlikError, CertImportError, ...). */
export const ROUTER_ERROR_CODES = ['UNTRUSTED_SENDER', 'UNKNOWN_CHANNEL', 'INVALID_REQUEST', 'INTERNAL'] as const;

// A typed error's code must look like one (QLIK_TIMEOUT, WRONG_PASSPHRASE): Node's own errors carry
// codes like ERR_X too, but they have no hint and are not meant for the user.
const CODE_FORM = /^[A-Z][A-Z0-9_]{0,63}$/;
const MAX_MESSAGE = 2000;

const INTERNAL: IpcError = {
  code: 'INTERNAL',
  message: 'The console hit an unexpected problem and could not finish this action.',
  hint: 'Try again; if it keeps happening, restart Usher. Details are in the main-process log.',
};

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(requestSchemas, value);
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/**
 * A thrown value -> IpcError: the console's rendering of an UsherError (the CLI's is one line and a
 * hint). Only UsherErrors pass their message through; anything else might hold paths, stack frames or
 * secrets from a library, so it becomes the generic INTERNAL error. Returns null for "unexpected".
 */
export function typedError(err: unknown): IpcError | null {
  try {
    if (!(err instanceof UsherError)) return null;
    const { code, hint } = err;
    if (typeof code !== 'string' || !CODE_FORM.test(code)) return null;
    if ((ROUTER_ERROR_CODES as readonly string[]).includes(code)) return null; // a handler cannot impersonate the router
    return { code, message: clip(String(err.message)), ...(typeof hint === 'string' ? { hint: clip(hint) } : {}) };
  } catch {
    // A hostile getter on the error: treat it as unexpected.
    return null;
  }
}

function failure(error: IpcError): IpcResult<never> {
  return { ok: false, error };
}

export function createRouter(options: RouterOptions): Router {
  const { handlers, isTrustedSender, onError } = options;

  function report(channel: Channel, err: unknown): void {
    try {
      onError?.(channel, err);
    } catch {
      // A failing logger must not turn into a failing call.
    }
  }

  async function dispatch(sender: SenderInfo, channel: unknown, payload: unknown): Promise<IpcResult<unknown>> {
    // The sender first: a page that is not the console learns nothing, not even which channels exist.
    let trusted = false;
    try {
      trusted = isTrustedSender(sender) === true;
    } catch {
      trusted = false;
    }
    if (!trusted) return failure({ code: 'UNTRUSTED_SENDER', message: 'This page is not allowed to talk to the Usher console.' });

    if (!isChannel(channel)) {
      const name = typeof channel === 'string' ? `"${clip(channel).slice(0, 100)}"` : `a ${channel === null ? 'null' : typeof channel}`;
      return failure({ code: 'UNKNOWN_CHANNEL', message: `There is no console action called ${name}.` });
    }

    // The schema's message names the field and the expectation, never the value itself.
    const parsed = firstProblem(requestSchemas[channel], payload);
    if (!parsed.ok) return failure({ code: 'INVALID_REQUEST', message: `Invalid request for ${channel}: ${clip(parsed.error.message)}` });
    const request: unknown = parsed.value;

    let value: unknown;
    try {
      const handler = handlers[channel] as ((req: unknown) => Promise<unknown>) | undefined;
      if (typeof handler !== 'function') throw new Error(`no handler for ${channel}`);
      value = await handler(request);
    } catch (err) {
      const typed = typedError(err);
      if (typed) return failure(typed);
      report(channel, err);
      return failure(INTERNAL);
    }

    // What crosses to the renderer must survive structured clone (Electron IPC, the chromium binding);
    // cloning here also hands over a copy rather than the backend's live objects.
    try {
      return { ok: true, value: structuredClone(value) };
    } catch (err) {
      report(channel, err);
      return failure(INTERNAL);
    }
  }

  return {
    dispatch: async (sender, channel, payload) => {
      try {
        return await dispatch(sender, channel, payload);
      } catch {
        // Unreachable by construction; the promise still never rejects.
        return failure(INTERNAL);
      }
    },
  };
}
