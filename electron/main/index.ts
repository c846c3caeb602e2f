// Electron entry point: one instance, one console window, the backend behind the router. Everything
// security-relevant is wired here before the first window exists.
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { BackendEvents } from '../app/backend-events';
import { createConsoleBackend } from '../app/console-backend';
import { createElectronHost, type ElectronBrowserHost } from '../hosts/electron-host';
import { denyAllPermissions } from '../hosts/electron-permissions';
import { createRouter, typedError } from '../ipc/router';
import { consoleSenderCheck, forwardEvents, registerIpcHandlers } from './ipc-bridge';
import { electronFileChooser, electronFileSaver } from './file-dialog';
import { installMenu } from './menu';
import { registerAppScheme, serveAppProtocol } from './protocol';
import { answerClientCertificateRequests, applyConsoleCsp } from './session-security';
import { createConsoleWindow, guardAllWebContents } from './window';

// Built layout: dist/electron/main/index.js, dist/electron/preload/index.js (bundled), dist/renderer/.
const RENDERER_ROOT = join(__dirname, '..', '..', 'renderer');
const PRELOAD = join(__dirname, '..', 'preload', 'index.js');

// Before 'ready': every renderer sandboxed, app:// privileged, and no WebContents without guards.
app.enableSandbox();
registerAppScheme();
guardAllWebContents(app);
// Before any window too: no site gets a client certificate unless its profile names one.
let partitionHost: ElectronBrowserHost | undefined;
answerClientCertificateRequests(
  app,
  (contents, offered) => partitionHost?.clientCertificateFor(contents, offered),
  (url, offered) =>
    console.warn(`[usher] ${url} asked for a client certificate; none was presented (${offered} offered by the OS, the site's profile allows none of them)`),
);

function focus(window: BrowserWindow | undefined): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

async function start(): Promise<void> {
  let consoleWindow: BrowserWindow | undefined;
  app.on('second-instance', () => focus(consoleWindow));

  await app.whenReady();
  const devTools = !app.isPackaged;

  const consoleSession = session.defaultSession;
  denyAllPermissions(consoleSession);
  applyConsoleCsp(consoleSession);
  serveAppProtocol(consoleSession, RENDERER_ROOT);

  const host = createElectronHost({
    devTools,
    onCertificateRejected: (partitionId, hostname, reason) =>
      console.warn(`[usher] partition ${partitionId}: refused the certificate of ${hostname}: ${reason}`),
  });
  partitionHost = host;
  const backend = await createConsoleBackend({
    dataDir: app.getPath('userData'),
    host,
    hostKind: 'electron',
    chooseFile: electronFileChooser(() => (consoleWindow && !consoleWindow.isDestroyed() ? consoleWindow : undefined)),
    saveFile: electronFileSaver(() => (consoleWindow && !consoleWindow.isDestroyed() ? consoleWindow : undefined)),
  });

  const router = createRouter({
    handlers: backend.handlers,
    isTrustedSender: consoleSenderCheck(() => (consoleWindow && !consoleWindow.isDestroyed() ? consoleWindow.webContents.id : undefined)),
    // The stack stays here, in the main process log; the renderer only gets INTERNAL.
    onError: (channel, err) => console.error(`[usher] ${channel} failed:`, err),
  });
  const unregister = registerIpcHandlers(ipcMain, router);
  const consoleContents = () => (consoleWindow && !consoleWindow.isDestroyed() ? consoleWindow.webContents : undefined);
  forwardEvents(backend.events, consoleContents);
  // The menu's choices reach the console as events too, on the same path as the backend's.
  const menuCommands = new BackendEvents();
  forwardEvents(menuCommands, consoleContents);
  installMenu({ platform: process.platform, appName: app.name, devTools, command: (command) => menuCommands.emit('console.command', command) });

  const openConsole = (): void => {
    consoleWindow = createConsoleWindow({ preload: PRELOAD, session: consoleSession, devTools });
    // Partition windows belong to the console: closing it ends the app (and their sessions).
    consoleWindow.on('closed', () => {
      consoleWindow = undefined;
      app.quit();
    });
  };
  openConsole();
  app.on('activate', () => {
    if (!consoleWindow) openConsole();
  });

  let shuttingDown = false;
  app.on('before-quit', (event) => {
    if (shuttingDown) return;
    shuttingDown = true;
    event.preventDefault();
    unregister();
    void Promise.allSettled([backend.close(), host.close()]).finally(() => app.quit());
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Usher is running; it gets our 'second-instance' and comes to the front.
  app.quit();
} else {
  start().catch((err: unknown) => {
    console.error('[usher] could not start:', err);
    // A typed error (a locked keychain, an unreadable data folder) also says what to do about it.
    const typed = typedError(err);
    dialog.showErrorBox('Usher could not start', typed ? `${typed.message}\n\n${typed.hint}` : err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}
