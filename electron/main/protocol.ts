// Serves the renderer bundle (dist/renderer) under app://console/. Only files inside that folder are
// served: paths are normalised, `..` and encoded separators cannot climb out, symlinks are resolved
// and checked again, and every response carries the CSP and nosniff.
import { protocol, type Session } from 'electron';
import { readFile, realpath } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_SCHEME, CONSOLE_CSP, CONSOLE_HOST } from './origin';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

/** Must run before app 'ready': makes app:// a standard, secure origin (fetch, storage, CSP 'self'). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, allowServiceWorkers: false, corsEnabled: false } },
  ]);
}

/**
 * The file under `root` a request URL names, or null when the URL is not the console's or would leave
 * `root`. Pure, so the traversal rules are tested without Electron.
 */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== CONSOLE_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // Backslashes and NULs have no business in a bundle path; refusing them closes Windows-style and
  // truncation tricks outright.
  if (pathname.includes('\\') || pathname.includes('\0')) return null;
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const base = resolve(root);
  const file = resolve(base, relative);
  return file.startsWith(base + sep) ? file : null;
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
      const real = await realpath(file);
      const realRoot = await realpath(root);
      if (!real.startsWith(realRoot + sep)) return notFound();
      const body = await readFile(real);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: {
          'Content-Type': MIME[extname(real).toLowerCase()] ?? 'application/octet-stream',
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
