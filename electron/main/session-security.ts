// App-wide guards of the console's session: its pages get the CSP header whatever served them, and
// every client-certificate request is answered here. (No permission is ever granted either: see
// hosts/electron-permissions.ts, shared with the partitions.)
import type { App, Certificate, Session, WebContents } from 'electron';
import { CONSOLE_CSP } from '../bundle/csp';
import { isConsoleUrl } from './origin';

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
