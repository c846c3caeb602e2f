// The windows of the Electron host's partitions: a locked-down BrowserWindow on the jar's session (no
// preload, sandboxed, https only, new windows kept in this one) and the PartitionPage that drives it.
// The jar ends with its last window.
import type { BrowserWindow, WebContents } from 'electron';
import { writeFile } from 'node:fs/promises';
import { BrowserRequestError } from '../core/browser/browser-client';
import type { PartitionPage } from './browser-host';
import { downloadInPage } from './electron-downloads';
import { createHardenedWindow } from './electron-hardened-window';
import { toCookie, toElectronCookie, type ElectronJars, type Jar } from './electron-jars';
import { fetchJsonInPage, fetchStatusInPage, navigate, openEngineInPage } from './electron-page';
import { httpsUrl, isHttps } from './https-url';

export interface WindowSettings {
  /** Allow DevTools in partition windows (development builds only). */
  devTools: boolean;
  /** Per navigation / request. */
  timeoutMs: number;
  /** For a download to finish. */
  downloadTimeoutMs: number;
}

/** Partition windows browse https only, in the same window: a new window becomes a navigation here. */
function guardPartitionContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isHttps(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isHttps(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // The hub opens apps in a new tab; keeping them in this window keeps them in this partition.
    if (isHttps(url)) void contents.loadURL(url).catch(() => undefined);
    return { action: 'deny' };
  });
}

function partitionWindow(jar: Jar, devTools: boolean): BrowserWindow {
  // No preload: a Qlik page gets no bridge to the main process.
  return createHardenedWindow({ width: 1200, height: 800, title: `Usher - ${jar.options.partitionId}`, show: true }, { session: jar.ses, devTools });
}

/**
 * `alive`: the window's contents, or a typed error once the window is closed. `sameOrigin`: the same,
 * and `url` parsed, when it is on the page's origin; refused otherwise, since in-page requests carry
 * the jar's cookies.
 */
function windowGuards(window: BrowserWindow, partitionId: string) {
  const alive = (): WebContents => {
    if (window.isDestroyed())
      throw new BrowserRequestError('NETWORK', `The window of partition ${partitionId} was closed`, 'Open the ticket again in a new partition.');
    return window.webContents;
  };
  const sameOrigin = (url: string, what: string): { wc: WebContents; target: URL } => {
    const wc = alive();
    const target = httpsUrl(url);
    const current = wc.getURL();
    if (!isHttps(current) || new URL(current).origin !== target.origin) {
      throw new BrowserRequestError(
        'NETWORK',
        `${what} is same-origin only: the page is at ${current || 'nothing yet'}`,
        'Open a page of the site in the partition first.',
      );
    }
    return { wc, target };
  };
  return { alive, sameOrigin };
}

/** Opens a window on `jar` and answers the page that drives it. */
export function openPartitionWindow(jars: ElectronJars, jar: Jar, settings: WindowSettings): PartitionPage {
  const { partitionId } = jar.options;
  const { timeoutMs } = settings;
  const window = partitionWindow(jar, settings.devTools);
  const contents = window.webContents;
  guardPartitionContents(contents);
  jars.bindContents(contents, jar);

  const { alive, sameOrigin } = windowGuards(window, partitionId);

  // The console's name for the window wins over the titles the site's pages set (see setTitle).
  let fixedTitle: string | undefined;
  window.on('page-title-updated', (event) => {
    if (fixedTitle !== undefined) event.preventDefault();
  });

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    jar.windows.delete(page);
    if (!window.isDestroyed()) window.destroy();
    if (jar.windows.size === 0) await jars.end(jar);
  };

  const page: PartitionPage = {
    partitionId,
    goto: async (url) => {
      const target = httpsUrl(url).href;
      return navigate(alive(), target, timeoutMs, jar);
    },
    fetchJson: async (url) => {
      const { wc, target } = sameOrigin(url, 'fetchJson');
      return fetchJsonInPage(wc, target.href, timeoutMs);
    },
    openEngine: async (address) => openEngineInPage(sameOrigin(address.csrfTokenUrl, 'openEngine').wc, address, timeoutMs),
    fetchStatus: async (url) => {
      const { wc, target } = sameOrigin(url, 'fetchStatus');
      return fetchStatusInPage(wc, target.href, timeoutMs);
    },
    url: () => (window.isDestroyed() ? '' : contents.getURL()),
    cookies: async () => (await jar.ses.cookies.get({})).map(toCookie),
    setCookie: async (cookie) => {
      alive();
      await jar.ses.cookies.set(toElectronCookie(cookie));
    },
    download: async (url) => {
      const { wc, target } = sameOrigin(url, 'download');
      return downloadInPage(jar, wc, target.href, settings.downloadTimeoutMs);
    },
    downloads: () => [...jar.downloads],
    sendHeaders: async (origin, headers) => {
      alive();
      jar.headers.set(origin, headers);
    },
    setTitle: async (title) => {
      fixedTitle = title;
      if (!window.isDestroyed()) window.setTitle(title);
    },
    bringToFront: async () => {
      alive();
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    screenshot: async (path) => {
      const image = await alive().capturePage();
      await writeFile(path, image.toPNG());
    },
    close,
  };
  jar.windows.add(page);
  window.on('closed', () => void close());
  return page;
}
