// Session-wide guards shared by the console and every partition: no permission is ever granted (no
// camera, notifications, clipboard-read, geolocation, HID/USB/serial...), and the console's pages get
// the CSP header whatever served them.
import type { Session } from 'electron';
import { CONSOLE_CSP, isConsoleUrl } from './origin';

/** Deny every permission request and check, and every device, on this session. */
export function denyAllPermissions(ses: Session): void {
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/**
 * Adds the console CSP to every response for a console URL (replacing any CSP header a response
 * brought). The protocol handler sets it too; this keeps the policy in force if the bundle is ever
 * served another way.
 */
export function applyConsoleCsp(ses: Session): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (!isConsoleUrl(details.url)) {
      callback({});
      return;
    }
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [CONSOLE_CSP];
    callback({ responseHeaders: headers });
  });
}
