// Where an installed Chrome, Chromium or Edge lives, and the flags every Usher-driven instance gets.
// playwright-core never downloads a browser here: it drives one the machine already has.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchOptions } from 'playwright-core';
import { UsherError } from '../../shared/errors';

/** The Chromium features playwright-core (1.65.1) turns off at every launch; see DISABLED_FEATURES. */
export const PLAYWRIGHT_DISABLED_FEATURES: readonly string[] = [
  'AimEnabled',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsFirstBalancedModeAutoEnable',
  'HttpsUpgrades',
  'LensOverlay',
  'MediaRouter',
  'NetworkTimeServiceQuerying',
  'OptimizationHints',
  'PaintHolding',
  'PreconnectToSearch',
  'TcpPortRandomizationWin',
  'ThirdPartyStoragePartitioning',
  'msEdgeUpdateLaunchServicesPreferredVersion',
  'msForceBrowserSignIn',
];

/**
 * Every window of a current Chromium (headless ones too) builds its address bar's suggestion popup as a
 * web page of its own: two renderer processes a window, a third of the e2e project's CPU. Turned off,
 * the address bar keeps the classic popup. Chromium heeds only the last --disable-features on its
 * command line, and playwright passes its own before ours, so ours repeats playwright's list.
 */
const DISABLED_FEATURES = [...PLAYWRIGHT_DISABLED_FEATURES, 'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup'];

/**
 * Quiet, self-contained instances: no GPU (headless and Xvfb have none), and nothing that phones home or
 * imports a profile behind the user's back. The sandbox stays on (see chromiumLaunchOptions).
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
];

function candidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
    return roots.flatMap((root) => [
      join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      join(root, 'Chromium', 'Application', 'chrome.exe'),
    ]);
  }
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/usr/bin/microsoft-edge-stable',
    '/snap/bin/chromium',
  ];
}

/** USHER_CHROMIUM wins (and must exist); otherwise the first installed browser of the usual paths. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const override = env.USHER_CHROMIUM;
  if (override) return existsSync(override) ? override : undefined;
  return candidates(platform, env).find((path) => existsSync(path));
}

export class ChromiumNotFoundError extends UsherError<'CHROMIUM_NOT_FOUND'> {
  override name = 'ChromiumNotFoundError';
  constructor() {
    super(
      'CHROMIUM_NOT_FOUND',
      'No Chrome, Chromium or Edge was found on this machine.',
      'Install Chrome, Chromium or Edge (Debian: apt-get install chromium), or point USHER_CHROMIUM at the browser executable.',
    );
  }
}

/**
 * Chromium's sandbox cannot start as root, so only there (containers, CI) is it switched off: playwright
 * then passes --no-sandbox, and a window shows Chromium's own warning about it, which is the truth. For
 * everyone else the sandbox stays on and there is no such warning.
 */
export function sandboxAvailable(uid: number | undefined = process.getuid?.()): boolean {
  return uid !== 0;
}

export function chromiumLaunchOptions(options: { executablePath?: string; headless: boolean; extraArgs?: string[] }): LaunchOptions {
  const executablePath = options.executablePath ?? findChromium();
  if (!executablePath) throw new ChromiumNotFoundError();
  return { executablePath, headless: options.headless, chromiumSandbox: sandboxAvailable(), args: [...CHROMIUM_FLAGS, ...(options.extraArgs ?? [])] };
}
