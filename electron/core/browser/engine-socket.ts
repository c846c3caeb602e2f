// A Node browser client's engine WebSocket, opened as a page of the proxy opens it: the csrf token fetched
// with the client's cookies, the jar's cookie on the upgrade, the page's origin. Written once for the
// seed-003 tabs, the validator's browser and the tests' stand-in windows.
import { connectEngine, type EngineTab } from '../qlik/engine-rpc';
import type { EngineAddress } from '../scenarios/engine-tab';
import type { BrowserClient } from './browser-client';

export interface ClientEngineOptions {
  /** PEM(s) trusted for the socket's TLS: the site CA. */
  ca: string | string[];
  /** The origin of the page that opens the socket. */
  origin: string;
  timeoutMs: number;
  userAgent?: string;
}

export async function openClientEngine(client: BrowserClient, address: EngineAddress, options: ClientEngineOptions): Promise<EngineTab> {
  const token = (await client.get(address.csrfTokenUrl, { followRedirects: false })).headers['qlik-csrf-token'];
  const url = new URL(address.socketUrl);
  if (token) url.searchParams.set('qlik-csrf-token', token);
  const cookie = client.jar.cookieHeader(address.csrfTokenUrl);
  return connectEngine({
    url: url.toString(),
    ca: Array.isArray(options.ca) ? options.ca.join('\n') : options.ca,
    origin: options.origin,
    headers: { ...(options.userAgent ? { 'User-Agent': options.userAgent } : {}), ...(cookie ? { Cookie: cookie } : {}) },
    timeoutMs: options.timeoutMs,
  });
}
