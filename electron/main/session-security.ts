// Session-wide guards shared by the console and every partition: no permission is ever granted (no
// camera, notifications, clipboard-read, geolocation, HID/USB/serial...), and the console's pages get
// the CSP header whatever served them.
import type { App, Certificate, Session, WebContents } from 'electron';
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

/** Picks the certificate a partition may present (see hosts/client-certificate.ts); undefined: none. */
export type ClientCertificateChooser = (contents: WebContents | null, offered: Certificate[]) => Certificate | undefined;

/**
 * Answers every client-certificate request of the app (console, partitions, main-process requests) in one
 * place. Without it Electron hands the site the first certificate of the OS store. `choose` may allow one
 * of the offered certificates; anything else, including a chooser that throws, presents none.
 */
export function answerClientCertificateRequests(app: App, choose: ClientCertificateChooser, onRefused?: (url: string, offered: number) => void): void {
  app.on('select-client-certificate', (event, contents, url, offered, callback) => {
    event.preventDefault();
    let chosen: Certificate | undefined;
    try {
      chosen = choose(contents, offered);
    } catch {
      chosen = undefined;
    }
    // Only a certificate Electron offered can be handed back.
    if (chosen && !offered.includes(chosen)) chosen = undefined;
    if (!chosen) onRefused?.(url, offered.length);
    callback(chosen);
  });
}
