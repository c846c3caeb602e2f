// Serves the renderer bundle (dist/renderer) under app://console/. Only files inside that folder are
// served (the rules are electron/bundle/files.ts', shared with the chromium host's server), and every response
// carries the CSP and nosniff.
import { protocol, type Session } from 'electron';
import { readFile } from 'node:fs/promises';
import { CONSOLE_CSP } from '../bundle/csp';
import { bundleContentType, resolveBundleFile } from '../bundle/files';
import { APP_SCHEME, CONSOLE_HOST } from './origin';

/** Must run before app 'ready': makes app:// a standard, secure origin (fetch, storage, CSP 'self'). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, allowServiceWorkers: false, corsEnabled: false } },
  ]);
}

/** The file under `root` a request URL names, or null when the URL is not the console's or would leave `root`. */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== CONSOLE_HOST) return null;
  return resolveBundleFile(root, url.pathname) ?? null;
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** A request handler for app:// serving files from `root` (exported for tests). */
export function createAppProtocolHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
    const file = resolveAppPath(root, request.url);
    if (!file) return notFound();
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: {
          'Content-Type': bundleContentType(file),
          'Content-Security-Policy': CONSOLE_CSP,
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'no-store',
        },
      });
    } catch {
      return notFound();
    }
  };
}

/** Serves the bundle on the console's session (a session-scoped handler: partition sessions never get app://). */
export function serveAppProtocol(ses: Session, root: string): void {
  ses.protocol.handle(APP_SCHEME, createAppProtocolHandler(root));
}
