// The Content-Security-Policy the console bundle is served with, however it is served: Electron's app://
// protocol and session (electron/main) or the chromium host's loopback server (electron/hosts).

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
