// The Electron BrowserHost: each partition id is one session (session.fromPartition), shared by the
// BrowserWindows opened with that id, with no preload, every permission denied, TLS pinned to the site
// CA, and downloads saved only inside the partition's downloads folder. The page may browse the Qlik site
// over https; it never reaches the console's IPC.
import { app, BrowserWindow, clipboard, session as electronSession, type Certificate, type Cookie, type DownloadItem, type Session, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BrowserRequestError } from '../core/browser/browser-client';
import { SERVER_AUTH_HINT } from '../core/qlik/errors';
import { denyAllPermissions } from './electron-permissions';
import type { BrowserHost, PageResponse, PartitionCookie, PartitionCookieInput, PartitionDownload, PartitionOptions, PartitionPage } from './browser-host';
import { chooseClientCertificate } from './client-certificate';
import { createCertificateVerifier, type Verdict } from './electron-cert-verify';
import { httpsUrl, isHttps } from './https-url';
import { navigationError } from './navigation-error';
import { openPageEngine } from './page-engine';
import { PartitionError } from './partition-error';
import { SiteHeaders } from './site-headers';
import { checkPartitionId, checkSameJar, deletePartitionFolder, persistentPartitionFolder, releaseDownloadPath, removeOrphanFolders, reserveDownloadPath } from './partition-storage';

export interface ElectronHostOptions {
  /** Allow DevTools in partition windows (development builds only). */
  devTools?: boolean;
  /** Per navigation / request. Default 20 s. */
  timeoutMs?: number;
  /** For a download to finish. Default 60 s. */
  downloadTimeoutMs?: number;
  /** Told when a partition refuses a server certificate (for the log). */
  onCertificateRejected?: (partitionId: string, hostname: string, reason: string) => void;
}

// Any id works as long as it is not 0 (the page's own world): the page's scripts cannot patch fetch here.
const ISOLATED_WORLD = 1047;
const MAX_JSON_CHARS = 1024 * 1024;

type Rejection = Exclude<Verdict, { ok: true }>;

/** One partition id: its session and the windows that share it. */
interface Jar {
  options: PartitionOptions;
  ses: Session;
  windows: Set<PartitionPage>;
  downloads: PartitionDownload[];
  /** download() calls waiting for the item of their URL to finish. */
  waiters: Array<{ url: string; item?: DownloadItem; resolve: (download: PartitionDownload) => void }>;
  /** Set after each refused certificate, cleared before each navigation: turns ERR_FAILED into a reason. */
  lastRejection?: Rejection;
  /** Login headers (header or JWT virtual proxies), per origin: see site-headers.ts. */
  headers: SiteHeaders;
}

function timeoutRace<T>(work: Promise<T>, ms: number, onTimeout: () => void, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(error());
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function requestTimeout(what: string, ms: number): BrowserRequestError {
  return new BrowserRequestError('TIMEOUT', `${what} did not answer within ${Math.round(ms / 1000)} s`, 'Check that the Qlik Sense proxy is running and reachable from this machine (firewall, port, DNS).');
}

/** Chromium's load errors ("ERR_CONNECTION_REFUSED (-102) loading ...") in a Qlik admin's terms. */
function loadError(err: unknown, url: string, rejected: Rejection | undefined): BrowserRequestError {
  if (rejected?.kind === 'host') {
    return new BrowserRequestError('HOST_MISMATCH', `Refused ${url}: ${rejected.reason}`, 'Open the site by a host name its certificate carries, or reissue the proxy certificate for this name.');
  }
  if (rejected?.kind === 'purpose') {
    return new BrowserRequestError('UNTRUSTED_CERT', `Refused ${url}: ${rejected.reason}`, SERVER_AUTH_HINT);
  }
  if (rejected) {
    return new BrowserRequestError('UNTRUSTED_CERT', `Refused ${url}: ${rejected.reason}`, "The proxy's certificate must be issued by the site CA (root.pem) of this profile; re-export the certificates from the QMC.");
  }
  return navigationError(err, url);
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

function toCookie(cookie: Cookie): PartitionCookie {
  const out: PartitionCookie = {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain ?? '',
    path: cookie.path ?? '/',
    secure: cookie.secure ?? false,
    httpOnly: cookie.httpOnly ?? false,
  };
  if (cookie.sameSite) out.sameSite = cookie.sameSite;
  return out;
}

const SAME_SITE = { None: 'no_restriction', Lax: 'lax', Strict: 'strict' } as const;

/** Electron's cookies.set details: no expiry (a browser-session cookie, as Qlik's), no domain = host-only. */
export function toElectronCookie(input: PartitionCookieInput): Electron.CookiesSetDetails {
  const details: Electron.CookiesSetDetails = {
    url: httpsUrl(input.url).href,
    name: input.name,
    value: input.value,
    path: input.path,
    secure: input.secure,
    httpOnly: input.httpOnly,
    sameSite: SAME_SITE[input.sameSite],
  };
  if (input.domain !== undefined) details.domain = input.domain;
  return details;
}

// Both scripts run in an isolated world of the page: same origin and cookies as the page, its own globals.
function fetchJsonScript(url: string, timeoutMs: number): string {
  return `(async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ${timeoutMs});
    try {
      const response = await fetch(${JSON.stringify(url)}, { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal: controller.signal });
      const text = await response.text();
      return { status: response.status, text: text.length > ${MAX_JSON_CHARS} ? null : text };
    } finally {
      clearTimeout(timer);
    }
  })()`;
}

function fetchStatusScript(url: string, timeoutMs: number): string {
  // No redirect followed (status 0 then), no cache: what the jar's cookies get now; bytes only counted.
  return `(async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ${timeoutMs});
    try {
      const response = await fetch(${JSON.stringify(url)}, { credentials: 'same-origin', redirect: 'manual', cache: 'no-store', signal: controller.signal });
      let bytes = 0;
      const reader = response.body ? response.body.getReader() : null;
      while (reader) {
        const chunk = await reader.read();
        if (chunk.done) break;
        bytes += chunk.value.byteLength;
      }
      return { status: response.status, contentType: response.headers.get('content-type') || '', bytes };
    } finally {
      clearTimeout(timer);
    }
  })()`;
}

/** Where Electron keeps `persist:` sessions: `<sessionData>/Partitions/<case-folded name>`. */
function partitionsRoot(): string {
  return join(app.getPath('sessionData'), 'Partitions');
}

export interface ElectronBrowserHost extends BrowserHost {
  /**
   * The certificate a WebContents may present to a site that asks for one: in a partition window whose
   * profile names one, that exact certificate if offered; anywhere else, none. For the app's single
   * 'select-client-certificate' handler (main/session-security.ts).
   */
  clientCertificateFor(contents: WebContents | null, offered: Certificate[]): Certificate | undefined;
}

export function createElectronHost(options: ElectronHostOptions = {}): ElectronBrowserHost {
  const jars = new Map<string, Jar>();
  /** The jar of each partition window's WebContents. */
  const jarOfContents = new WeakMap<WebContents, Jar>();
  /** Every session this run loaded, by id: Electron keeps them (and their files) until it quits. */
  const loaded = new Map<string, Session>();
  const wired = new WeakSet<Session>();
  const timeoutMs = options.timeoutMs ?? 20_000;
  const downloadTimeoutMs = options.downloadTimeoutMs ?? 60_000;
  const devTools = options.devTools ?? false;

  function jarOf(ses: Session): Jar | undefined {
    return [...jars.values()].find((jar) => jar.ses === ses);
  }

  /** will-download must choose the path before it returns: a reserved file inside the downloads folder. */
  function onWillDownload(ses: Session, event: Electron.Event, item: DownloadItem): void {
    const jar = jarOf(ses);
    const dir = jar?.options.downloadsDir;
    if (!jar || !dir) {
      event.preventDefault();
      return;
    }
    const url = item.getURLChain()[0] ?? item.getURL();
    const waiter = jar.waiters.find((w) => w.url === url && !w.item);
    if (waiter) waiter.item = item;
    const finish = (record: PartitionDownload): void => {
      jar.downloads.push(record);
      // A waiter that timed out has left the list already: its caller was told so.
      const index = waiter ? jar.waiters.indexOf(waiter) : -1;
      if (waiter && index >= 0) {
        jar.waiters.splice(index, 1);
        waiter.resolve(record);
      }
    };
    let path: string;
    try {
      path = reserveDownloadPath(dir, item.getFilename());
    } catch (err) {
      event.preventDefault();
      finish({ url, bytes: 0, error: err instanceof Error ? err.message : String(err) });
      return;
    }
    item.setSavePath(path);
    item.once('done', (_event, state) => {
      if (state === 'completed') return finish({ url, path, bytes: item.getReceivedBytes() });
      releaseDownloadPath(path);
      finish({ url, bytes: 0, error: `download ${state}` });
    });
  }

  function sessionFor(partition: PartitionOptions): Session {
    const { partitionId, persistent = false } = partition;
    const ses = electronSession.fromPartition(persistent ? `persist:${partitionId}` : partitionId, { cache: persistent });
    loaded.set(partitionId, ses);
    if (!wired.has(ses)) {
      // Once per session (Electron keeps it for the app's life): listeners look up the live jar.
      wired.add(ses);
      denyAllPermissions(ses);
      ses.on('will-download', (event, item) => onWillDownload(ses, event, item));
      // Electron keeps one such listener per session: it reads the live jar's login headers, which only
      // a request to their own origin gets.
      ses.webRequest.onBeforeSendHeaders((details, callback) => {
        const headers = jars.get(partitionId)?.headers.apply(details.url, details.requestHeaders);
        callback(headers && headers !== details.requestHeaders ? { requestHeaders: headers as Record<string, string> } : {});
      });
    }
    return ses;
  }

  function newJar(partition: PartitionOptions): Jar {
    const ses = sessionFor(partition);
    const jar: Jar = { options: partition, ses, windows: new Set(), downloads: [], waiters: [], headers: new SiteHeaders() };
    // Set for each new jar: a reused id may come back for another site.
    ses.setCertificateVerifyProc(
      createCertificateVerifier(partition.caPem, (hostname, verdict) => {
        jar.lastRejection = verdict;
        options.onCertificateRejected?.(partition.partitionId, hostname, verdict.reason);
      }),
    );
    return jar;
  }

  /** The jar lost its last window: an in-memory one ends with it, so a reused id starts empty. */
  async function endJar(jar: Jar): Promise<void> {
    if (jars.get(jar.options.partitionId) === jar) jars.delete(jar.options.partitionId);
    for (const waiter of jar.waiters.splice(0)) waiter.item?.cancel();
    if (!jar.options.persistent) await clearSession(jar.ses);
  }

  async function clearSession(ses: Session): Promise<void> {
    await ses.clearStorageData().catch(() => undefined);
    await ses.clearCache().catch(() => undefined);
  }

  /** The folder of a persistent partition: Electron's own word when it loaded it, else where it would be. */
  function storageFolder(partitionId: string): string | undefined {
    const ses = loaded.get(partitionId);
    if (ses) return ses.storagePath ?? undefined;
    return persistentPartitionFolder(partitionsRoot(), partitionId);
  }

  function openWindow(jar: Jar): PartitionPage {
    const { partitionId } = jar.options;
    const window = new BrowserWindow({
      width: 1200,
      height: 800,
      title: `Usher - ${partitionId}`,
      show: true,
      // No preload: a Qlik page gets no bridge to the main process.
      webPreferences: {
        session: jar.ses,
        devTools,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        disableBlinkFeatures: 'Auxclick',
        navigateOnDragDrop: false,
        safeDialogs: true,
        spellcheck: false,
      },
    });
    const contents = window.webContents;
    guardPartitionContents(contents);
    jarOfContents.set(contents, jar);

    const alive = (): WebContents => {
      if (window.isDestroyed()) throw new BrowserRequestError('NETWORK', `The window of partition ${partitionId} was closed`, 'Open the ticket again in a new partition.');
      return contents;
    };

    /** Same origin as the page, or refused: in-page requests carry the jar's cookies. */
    const sameOrigin = (url: string, what: string): { wc: WebContents; target: URL } => {
      const wc = alive();
      const target = httpsUrl(url);
      const current = wc.getURL();
      if (!isHttps(current) || new URL(current).origin !== target.origin) {
        throw new BrowserRequestError('NETWORK', `${what} is same-origin only: the page is at ${current || 'nothing yet'}`, 'Open a page of the site in the partition first.');
      }
      return { wc, target };
    };

    let closed = false;
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      jar.windows.delete(page);
      if (!window.isDestroyed()) window.destroy();
      if (jar.windows.size === 0) await endJar(jar);
    };

    const page: PartitionPage = {
      partitionId,

      async goto(url) {
        const target = httpsUrl(url).href;
        const wc = alive();
        let last: { status: number; url: string } | undefined;
        const onNavigate = (_event: unknown, navigatedUrl: string, status: number): void => {
          last = { status, url: navigatedUrl };
        };
        wc.on('did-navigate', onNavigate);
        jar.lastRejection = undefined;
        try {
          await timeoutRace(wc.loadURL(target), timeoutMs, () => wc.stop(), () => requestTimeout(target, timeoutMs));
        } catch (err) {
          if (err instanceof BrowserRequestError) throw err;
          // ERR_ABORTED: the page moved on by itself (a script redirect); what it reached still counts.
          if (!(err instanceof Error && err.message.includes('ERR_ABORTED') && last)) throw loadError(err, target, jar.lastRejection);
        } finally {
          wc.removeListener('did-navigate', onNavigate);
        }
        return last ?? { status: 0, url: wc.getURL() };
      },

      async fetchJson(url) {
        const { wc, target } = sameOrigin(url, 'fetchJson');
        const script = fetchJsonScript(target.href, timeoutMs);
        const result = (await timeoutRace(wc.executeJavaScriptInIsolatedWorld(ISOLATED_WORLD, [{ code: script }]), timeoutMs, () => undefined, () => requestTimeout(target.href, timeoutMs))) as {
          status: number;
          text: string | null;
        };
        if (result.text === null) throw new BrowserRequestError('BODY_TOO_LARGE', `The answer of ${target.href} is larger than ${MAX_JSON_CHARS} characters`, 'This address does not look like the personal API; check the virtual proxy prefix.');
        let body: unknown = result.text;
        try {
          body = JSON.parse(result.text);
        } catch {
          // Not JSON (a login page, an error page): hand back the text so the caller can say so.
        }
        return { status: result.status, body };
      },

      async openEngine(address) {
        const { wc } = sameOrigin(address.csrfTokenUrl, 'openEngine');
        // In the same isolated world as the fetches: the page's origin and cookies, the socket kept there.
        const run = (code: string): Promise<unknown> =>
          timeoutRace(wc.executeJavaScriptInIsolatedWorld(ISOLATED_WORLD, [{ code }]), timeoutMs + 1_000, () => undefined, () => requestTimeout(address.socketUrl, timeoutMs));
        return openPageEngine(run, address, timeoutMs);
      },

      async fetchStatus(url) {
        const { wc, target } = sameOrigin(url, 'fetchStatus');
        const script = fetchStatusScript(target.href, timeoutMs);
        return (await timeoutRace(wc.executeJavaScriptInIsolatedWorld(ISOLATED_WORLD, [{ code: script }]), timeoutMs, () => undefined, () => requestTimeout(target.href, timeoutMs))) as PageResponse;
      },

      url() {
        return window.isDestroyed() ? '' : contents.getURL();
      },

      async cookies() {
        return (await jar.ses.cookies.get({})).map(toCookie);
      },

      async setCookie(cookie) {
        alive();
        await jar.ses.cookies.set(toElectronCookie(cookie));
      },

      async download(url) {
        const { wc, target } = sameOrigin(url, 'download');
        if (!jar.options.downloadsDir) {
          throw new PartitionError('DOWNLOADS_OFF', `Partition ${partitionId} was opened without a downloads folder, so it refuses downloads.`, 'Open the partition with a downloads folder (downloadsDir).');
        }
        const waiter: Jar['waiters'][number] = { url: target.href, resolve: () => undefined };
        const done = new Promise<PartitionDownload>((resolve) => {
          waiter.resolve = resolve;
        });
        jar.waiters.push(waiter);
        // As a click on an export link: the session's cookies go with it and will-download saves it.
        wc.downloadURL(target.href);
        return timeoutRace(
          done,
          downloadTimeoutMs,
          () => {
            const index = jar.waiters.indexOf(waiter);
            if (index >= 0) jar.waiters.splice(index, 1);
            waiter.item?.cancel();
          },
          () => new PartitionError('DOWNLOAD_TIMEOUT', `The download of ${target.href} did not finish within ${Math.round(downloadTimeoutMs / 1000)} s.`, 'Check that the address is an export on the site and the node is reachable; a large export may need a longer timeout.'),
        );
      },

      downloads() {
        return [...jar.downloads];
      },

      async sendHeaders(origin, headers) {
        alive();
        jar.headers.set(origin, headers);
      },

      async screenshot(path) {
        const image = await alive().capturePage();
        await writeFile(path, image.toPNG());
      },

      close,
    };
    jar.windows.add(page);
    window.on('closed', () => void close());
    return page;
  }

  async function openPartition(partition: PartitionOptions): Promise<PartitionPage> {
    checkPartitionId(partition.partitionId, Boolean(partition.persistent));
    let jar = jars.get(partition.partitionId);
    if (jar) {
      checkSameJar(jar.options, partition);
    } else {
      jar = newJar(partition);
      jars.set(partition.partitionId, jar);
    }
    return openWindow(jar);
  }

  async function clearPartition(partitionId: string): Promise<void> {
    const ses = jars.get(partitionId)?.ses ?? loaded.get(partitionId);
    if (ses) return clearSession(ses);
    // Never loaded this run: its folder on disk is all there is, and nothing holds it open.
    const folder = storageFolder(partitionId);
    if (folder && existsSync(folder)) await deletePartitionFolder(folder);
  }

  async function destroyPartition(partitionId: string): Promise<void> {
    const jar = jars.get(partitionId);
    if (jar) await Promise.all([...jar.windows].map((page) => page.close()));
    const ses = loaded.get(partitionId);
    const folder = storageFolder(partitionId);
    if (ses) {
      await clearSession(ses);
      // Electron has no call to unload a session; written out now, its folder can go.
      await ses.flushStorageData();
    }
    if (folder) await deletePartitionFolder(folder);
  }

  async function removeOrphanPartitions(keep: ReadonlySet<string>): Promise<string[]> {
    // Sessions loaded this run keep their files open until Electron quits: never orphans.
    return removeOrphanFolders(partitionsRoot(), new Set([...keep, ...loaded.keys()]));
  }

  return {
    kind: 'electron',
    clientCertificateFor(contents, offered) {
      const jar = contents ? jarOfContents.get(contents) : undefined;
      return jar ? chooseClientCertificate(offered, jar.options.clientCertificateFingerprint256) : undefined;
    },
    openPartition,
    clearPartition,
    destroyPartition,
    removeOrphanPartitions,
    async writeClipboard(text) {
      clipboard.writeText(text);
    },
    async close() {
      const pages = [...jars.values()].flatMap((jar) => [...jar.windows]);
      await Promise.all(pages.map((page) => page.close().catch(() => undefined)));
    },
  };
}
