// Where the console lives. The UI is served from the app bundle under a custom, privileged scheme, so
// it has a real origin (app://console) that the IPC sender check and the CSP can pin, instead of file://
// where every local file shares one origin.

export const APP_SCHEME = 'app';
export const CONSOLE_HOST = 'console';
export const CONSOLE_ORIGIN = `${APP_SCHEME}://${CONSOLE_HOST}`;
export const CONSOLE_URL = `${CONSOLE_ORIGIN}/index.html`;

function consoleCsp(connectSrc: "'self'" | "'none'"): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connectSrc}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The console's Content-Security-Policy: nothing by default, then only the bundle's own scripts,
 * styles, images and fonts. No inline script or style, no eval, no network beyond the app's origin
 * (the renderer talks to Qlik only through IPC), and no framing, <base> or form posts.
 * renderer/index.html carries the same string in a <meta> tag.
 */
export const CONSOLE_CSP = consoleCsp("'self'");

/**
 * The same policy for the chromium host's console (electron/hosts/console-server.ts), sent as a header
 * next to the <meta> one: there the renderer reaches the main process through the host's binding, not
 * the network, so even its own loopback origin is closed to fetch (connect-src 'none').
 */
export const LOOPBACK_CONSOLE_CSP = consoleCsp("'none'");

/** True for URLs of the console itself (app://console/...), the only pages that get the bridge. */
export function isConsoleUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === CONSOLE_HOST;
  } catch {
    return false;
  }
}
