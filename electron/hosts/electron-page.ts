// What a partition page does inside its WebContents: navigate with a time limit, and make requests as
// the page itself (same origin, the jar's cookies) from an isolated world of the page, where the page's
// own scripts cannot patch fetch. The windows that hold these pages are electron-window.ts'.
import type { WebContents } from 'electron';
import { BrowserRequestError } from '../core/browser/browser-client';
import type { EngineTab } from '../core/qlik/engine-rpc';
import type { EngineAddress } from '../core/scenarios/engine-tab';
import type { PageResponse } from './browser-host';
import { loadError, type Rejection } from './electron-cert-verify';
import { httpsUrl } from './https-url';
import { openPageEngine } from './page-engine';

// Any id works as long as it is not 0 (the page's own world).
const ISOLATED_WORLD = 1047;
const MAX_JSON_CHARS = 1024 * 1024;

export function timeoutRace<T>(work: Promise<T>, ms: number, onTimeout: () => void, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(error());
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function requestTimeout(what: string, ms: number): BrowserRequestError {
  return new BrowserRequestError(
    'TIMEOUT',
    `${what} did not answer within ${Math.round(ms / 1000)} s`,
    'Check that the Qlik Sense proxy is running and reachable from this machine (firewall, port, DNS).',
  );
}

// Both scripts run in an isolated world of the page: same origin and cookies as the page, its own globals.
function fetchJsonScript(url: string, timeoutMs: number): string {
  return `(async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ${timeoutMs});
    try {
      const response = await fetch(${JSON.stringify(url)}, { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal: controller.signal });
      const text = await response.text();
      return { status: response.status, text: text.length > ${MAX_JSON_CHARS} ? null : text };
    } finally {
      clearTimeout(timer);
    }
  })()`;
}

function fetchStatusScript(url: string, timeoutMs: number): string {
  // No redirect followed (status 0 then), no cache: what the jar's cookies get now; bytes only counted.
  return `(async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ${timeoutMs});
    try {
      const response = await fetch(${JSON.stringify(url)}, { credentials: 'same-origin', redirect: 'manual', cache: 'no-store', signal: controller.signal });
      let bytes = 0;
      const reader = response.body ? response.body.getReader() : null;
      while (reader) {
        const chunk = await reader.read();
        if (chunk.done) break;
        bytes += chunk.value.byteLength;
      }
      return { status: response.status, contentType: response.headers.get('content-type') || '', bytes };
    } finally {
      clearTimeout(timer);
    }
  })()`;
}

/** The certificate refusal of the jar a page belongs to: set by its verifier, cleared before each navigation. */
export interface RejectionSlot {
  lastRejection?: Rejection;
}

/** Loads `url` in the page; the final status and URL after redirects, or a typed error. */
export async function navigate(wc: WebContents, url: string, timeoutMs: number, jar: RejectionSlot): Promise<{ status: number; url: string }> {
  const target = httpsUrl(url).href;
  let last: { status: number; url: string } | undefined;
  const onNavigate = (_event: unknown, navigatedUrl: string, status: number): void => {
    last = { status, url: navigatedUrl };
  };
  wc.on('did-navigate', onNavigate);
  jar.lastRejection = undefined;
  try {
    await timeoutRace(
      wc.loadURL(target),
      timeoutMs,
      () => wc.stop(),
      () => requestTimeout(target, timeoutMs),
    );
  } catch (err) {
    if (err instanceof BrowserRequestError) throw err;
    // ERR_ABORTED: the page moved on by itself (a script redirect); what it reached still counts.
    if (!(err instanceof Error && err.message.includes('ERR_ABORTED') && last)) throw loadError(err, target, jar.lastRejection);
  } finally {
    wc.removeListener('did-navigate', onNavigate);
  }
  return last ?? { status: 0, url: wc.getURL() };
}

/** Runs `code` in the page's isolated world, refused after `timeoutMs` (named by `url` then). */
function runInPage(wc: WebContents, code: string, timeoutMs: number, url: string, limitMs = timeoutMs): Promise<unknown> {
  return timeoutRace(
    wc.executeJavaScriptInIsolatedWorld(ISOLATED_WORLD, [{ code }]),
    limitMs,
    () => undefined,
    () => requestTimeout(url, timeoutMs),
  );
}

export async function fetchJsonInPage(wc: WebContents, url: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  const result = (await runInPage(wc, fetchJsonScript(url, timeoutMs), timeoutMs, url)) as { status: number; text: string | null };
  if (result.text === null)
    throw new BrowserRequestError(
      'BODY_TOO_LARGE',
      `The answer of ${url} is larger than ${MAX_JSON_CHARS} characters`,
      'This address does not look like the personal API; check the virtual proxy prefix.',
    );
  let body: unknown = result.text;
  try {
    body = JSON.parse(result.text);
  } catch {
    // Not JSON (a login page, an error page): hand back the text so the caller can say so.
  }
  return { status: result.status, body };
}

export async function fetchStatusInPage(wc: WebContents, url: string, timeoutMs: number): Promise<PageResponse> {
  return (await runInPage(wc, fetchStatusScript(url, timeoutMs), timeoutMs, url)) as PageResponse;
}

/** The engine socket, opened and kept in the same isolated world as the fetches: the page's origin and cookies. */
export function openEngineInPage(wc: WebContents, address: EngineAddress, timeoutMs: number): Promise<EngineTab> {
  const run = (code: string): Promise<unknown> => runInPage(wc, code, timeoutMs, address.socketUrl, timeoutMs + 1_000);
  return openPageEngine(run, address, timeoutMs);
}
