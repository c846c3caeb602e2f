// Where the console lives. The UI is served from the app bundle under a custom, privileged scheme, so
// it has a real origin (app://console) that the IPC sender check and the CSP can pin, instead of file://
// where every local file shares one origin.

export const APP_SCHEME = 'app';
export const CONSOLE_HOST = 'console';
export const CONSOLE_ORIGIN = `${APP_SCHEME}://${CONSOLE_HOST}`;
export const CONSOLE_URL = `${CONSOLE_ORIGIN}/index.html`;

/** True for URLs of the console itself (app://console/...), the only pages that get the bridge. */
export function isConsoleUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === CONSOLE_HOST;
  } catch {
    return false;
  }
}
