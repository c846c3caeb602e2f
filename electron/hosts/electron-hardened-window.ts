// The one place a BrowserWindow is made: the console window (electron/main/window.ts) and every
// partition window (electron-window.ts) come through here, so both get the same locked-down
// webPreferences. Each security-relevant preference is spelled out literally, even where it equals
// Electron's default, so a future default change or a careless edit shows up in review, in
// test/unit/main-window.test.ts and in the electronegativity scan (which reads only the literal
// object at the `new BrowserWindow` call, never a constant imported from elsewhere).
import { BrowserWindow, type BrowserWindowConstructorOptions, type Session } from 'electron';

/** Size, title and visibility: everything about a window but its web preferences. */
export type WindowFrame = Omit<BrowserWindowConstructorOptions, 'webPreferences'>;

export interface HardenedPreferences {
  /** The session (cookie jar) the window's pages use. */
  session: Session;
  devTools: boolean;
  /**
   * The console's preload (window.usher) only; a window showing a Qlik page gets none, so the page
   * has no bridge to the main process.
   */
  preload?: string;
}

export function createHardenedWindow(frame: WindowFrame, preferences: HardenedPreferences): BrowserWindow {
  return new BrowserWindow({
    ...frame,
    webPreferences: {
      // A literal key (undefined for a partition window, which Electron reads as none), so the scan's
      // preload reminder still sees it.
      preload: preferences.preload,
      session: preferences.session,
      devTools: preferences.devTools,
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
}
