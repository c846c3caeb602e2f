// The console window and the guards every WebContents gets. The window's webPreferences are the
// hardened set every Usher window gets (electron/hosts/electron-hardened-window.ts).
import type { App, BrowserWindow, Session, WebContents } from 'electron';
import { createHardenedWindow } from '../hosts/electron-hardened-window';
import { CONSOLE_URL } from './origin';

/**
 * The console never navigates: the whole UI is one page. Any navigation (a dropped file, a link, a
 * script setting location) and any new window is refused; the UI opens Qlik pages only through IPC
 * (tickets.open), which the main process puts in a partition window.
 */
export function lockDownConsole(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * A backstop for any WebContents created anywhere (including ones we did not foresee): no <webview>
 * and no window.open unless the window's owner installs its own, narrower handler afterwards.
 */
export function guardAllWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

export interface ConsoleWindowOptions {
  preload: string;
  session: Session;
  devTools: boolean;
}

export function createConsoleWindow(options: ConsoleWindowOptions): BrowserWindow {
  const window = createHardenedWindow(
    { width: 1280, height: 820, minWidth: 900, minHeight: 600, title: 'Usher', show: false },
    { preload: options.preload, session: options.session, devTools: options.devTools },
  );
  lockDownConsole(window.webContents);
  // Shown once painted, so the user never sees a blank white frame.
  window.once('ready-to-show', () => window.show());
  void window.loadURL(CONSOLE_URL);
  return window;
}
