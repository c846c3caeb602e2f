// Requests a chromium partition's page makes itself, from inside the page (page.evaluate + fetch): the
// session cookie goes with them exactly as in a person's tab, and only the answer (or its size) comes
// back to Node. Also how a failure inside the page reads: the page's abort is our timeout, a closed
// target is a closed window, anything else is the network's.
import type { Page } from 'playwright-core';
import { BrowserRequestError } from '../core/browser/browser-client';
import type { PageResponse } from './browser-host';
import { PartitionError } from './partition-error';

/** The largest JSON answer read back from the page; a longer one comes back as a null body. */
const MAX_JSON_BYTES = 1024 * 1024;

/** An in-page request that failed: the page's abort is our timeout; anything else is the network's. */
export function inPageError(err: unknown, url: string, timeoutMs: number): Error {
  const text = err instanceof Error ? err.message : String(err);
  if (/AbortError|aborted/i.test(text)) {
    return new BrowserRequestError(
      'TIMEOUT',
      `${url} did not answer within ${Math.round(timeoutMs / 1000)} s`,
      'Check that the Qlik Sense proxy is running and reachable from this machine (firewall, port, DNS).',
      { cause: err },
    );
  }
  if (/Target .*closed|has been closed/i.test(text))
    return new PartitionError('CLOSED', 'The partition window was closed during the request.', 'Open the partition again.', { cause: err });
  return new BrowserRequestError(
    'NETWORK',
    `The page could not request ${url}: ${text.split('\n')[0]}`,
    'Check that the address is on the Qlik Sense site and the proxy is reachable.',
    { cause: err },
  );
}

/** GET `href` from the page as JSON (text when it is not JSON), within `timeoutMs`. */
export function fetchJsonInPage(page: Page, href: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  return page
    .evaluate(
      async ({ href, timeoutMs, maxBytes }) => {
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), timeoutMs);
        try {
          const res = await fetch(href, { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal: abort.signal });
          const text = await res.text();
          if (text.length > maxBytes) return { status: res.status, body: null };
          try {
            return { status: res.status, body: JSON.parse(text) as unknown };
          } catch {
            return { status: res.status, body: text };
          }
        } finally {
          clearTimeout(timer);
        }
      },
      { href, timeoutMs, maxBytes: MAX_JSON_BYTES },
    )
    .catch((err: unknown) => {
      throw inPageError(err, href, timeoutMs);
    });
}

/** GET `href` from the page without following a redirect or using the cache: its status, type and size. */
export function fetchStatusInPage(page: Page, href: string, timeoutMs: number): Promise<PageResponse> {
  return page
    .evaluate(
      async ({ href, timeoutMs }) => {
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), timeoutMs);
        try {
          // A redirect is not followed (it would leave the site for the module): status 0 says so. No
          // cache: the answer must be what the jar's cookies get now (Node's RequestInit lacks `cache`).
          const init: Record<string, unknown> = { credentials: 'same-origin', redirect: 'manual', cache: 'no-store', signal: abort.signal };
          const res = await fetch(href, init as RequestInit);
          let bytes = 0;
          // Counted as it streams: the bytes stay in the page and only their number comes back.
          const reader = res.body?.getReader();
          for (;;) {
            const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
            if (chunk.done) break;
            bytes += chunk.value.byteLength;
          }
          return { status: res.status, contentType: res.headers.get('content-type') ?? '', bytes };
        } finally {
          clearTimeout(timer);
        }
      },
      { href, timeoutMs },
    )
    .catch((err: unknown) => {
      throw inPageError(err, href, timeoutMs);
    });
}
