// The console window and the guards every WebContents gets. Security-relevant webPreferences are all
// spelled out literally in the BrowserWindow call, even where they equal Electron's defaults, so a
// future default change or a careless edit shows up in review, in test/unit/main-window.test.ts and
// in the electronegativity scan (which only reads literals at the construction site).
import { BrowserWindow, type App, type Session, type WebContents } from 'electron';
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
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Usher',
    show: false,
    webPreferences: {
      preload: options.preload,
      session: options.session,
      devTools: options.devTools,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click would otherwise try to open links in a new window (denied anyway).
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  });
  lockDownConsole(window.webContents);
  // Shown once painted, so the user never sees a blank white frame.
  window.once('ready-to-show', () => window.show());
  void window.loadURL(CONSOLE_URL);
  return window;
}
