// The Electron BrowserHost: each partition is its own session (session.fromPartition) shown in its own
// BrowserWindow, with no preload, every permission denied, downloads refused and TLS pinned to the
// site CA. The page may browse the Qlik site over https; it never reaches the console's IPC.
import { navigationError } from './navigation-error';
import { BrowserWindow, clipboard, session as electronSession, type Cookie, type Session, type WebContents } from 'electron';
import { writeFile } from 'node:fs/promises';
import { BrowserRequestError } from '../core/browser/browser-client';
import { denyAllPermissions } from '../main/session-security';
import type { BrowserHost, PartitionCookie, PartitionOptions, PartitionPage } from './browser-host';
import { createCertificateVerifier, type Verdict } from './electron-cert-verify';

export interface ElectronHostOptions {
  /** Allow DevTools in partition windows (development builds only). */
  devTools?: boolean;
  /** Per navigation / request. Default 20 s. */
  timeoutMs?: number;
  /** Told when a partition refuses a server certificate (for the log). */
  onCertificateRejected?: (partitionId: string, hostname: string, reason: string) => void;
}

// Partition names become part of a folder name for persistent ones and `persist:` is ours to add.
const PARTITION_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;
// Any id works as long as it is not 0 (the page's own world): the page's scripts cannot patch fetch here.
const ISOLATED_WORLD = 1047;
const MAX_JSON_CHARS = 1024 * 1024;

function httpsUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BrowserRequestError('NETWORK', `Not a valid address: ${url.slice(0, 200)}`, 'Use a full https:// address on the Qlik Sense site.');
  }
  if (parsed.protocol !== 'https:') throw new BrowserRequestError('NETWORK', `Only https addresses are supported, not ${parsed.protocol}`, 'Qlik Sense proxies serve browsers over HTTPS; use https:// and the proxy port.');
  return parsed;
}

function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new BrowserRequestError('TIMEOUT', `${what} did not answer within ${Math.round(ms / 1000)} s`, 'Check that the Qlik Sense proxy is running and reachable from this machine (firewall, port, DNS).'));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Chromium's load errors ("ERR_CONNECTION_REFUSED (-102) loading ...") in a Qlik admin's terms. */
function loadError(err: unknown, url: string, rejected: Exclude<Verdict, { ok: true }> | undefined): BrowserRequestError {
  if (rejected) {
    return rejected.kind === 'host'
      ? new BrowserRequestError('HOST_MISMATCH', `Refused ${url}: ${rejected.reason}`, 'Open the site by a host name its certificate carries, or reissue the proxy certificate for this name.')
      : new BrowserRequestError('UNTRUSTED_CERT', `Refused ${url}: ${rejected.reason}`, "The proxy's certificate must be issued by the site CA (root.pem) of this profile; re-export the certificates from the QMC.");
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

function fetchScript(url: string): string {
  // Runs in an isolated world of the page: same origin and cookies as the page, but its own globals.
  return `(async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 15000);
    try {
      const response = await fetch(${JSON.stringify(url)}, { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal: controller.signal });
      const text = await response.text();
      return { status: response.status, text: text.length > ${MAX_JSON_CHARS} ? null : text };
    } finally {
      clearTimeout(timer);
    }
  })()`;
}

export function createElectronHost(options: ElectronHostOptions = {}): BrowserHost {
  const pages = new Set<PartitionPage>();
  const timeoutMs = options.timeoutMs ?? 20_000;
  const devTools = options.devTools ?? false;

  async function openPartition(partition: PartitionOptions): Promise<PartitionPage> {
    const { partitionId, caPem, persistent = false } = partition;
    if (!PARTITION_ID.test(partitionId)) throw new Error(`invalid partition id: ${JSON.stringify(partitionId.slice(0, 120))}`);

    // Set after each refused certificate, cleared before each navigation: turns Chromium's bare
    // ERR_FAILED into the reason our verifier found.
    let lastRejection: Exclude<Verdict, { ok: true }> | undefined;
    const verify = createCertificateVerifier(caPem, (hostname, verdict) => {
      lastRejection = verdict;
      options.onCertificateRejected?.(partitionId, hostname, verdict.reason);
    });

    const ses: Session = electronSession.fromPartition(persistent ? `persist:${partitionId}` : partitionId, { cache: persistent });
    ses.setCertificateVerifyProc(verify);
    denyAllPermissions(ses);
    ses.on('will-download', (event) => event.preventDefault());

    const window = new BrowserWindow({
      width: 1200,
      height: 800,
      title: `Usher - ${partitionId}`,
      show: true,
      // No preload: a Qlik page gets no bridge to the main process.
      webPreferences: {
        session: ses,
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

    const alive = (): WebContents => {
      if (window.isDestroyed()) throw new BrowserRequestError('NETWORK', `The window of partition ${partitionId} was closed`, 'Open the ticket again in a new partition.');
      return contents;
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
        lastRejection = undefined;
        try {
          await withTimeout(wc.loadURL(target), timeoutMs, () => wc.stop(), target);
        } catch (err) {
          if (err instanceof BrowserRequestError) throw err;
          // ERR_ABORTED: the page moved on by itself (a script redirect); what it reached still counts.
          if (!(err instanceof Error && err.message.includes('ERR_ABORTED') && last)) throw loadError(err, target, lastRejection);
        } finally {
          wc.removeListener('did-navigate', onNavigate);
        }
        return last ?? { status: 0, url: wc.getURL() };
      },

      async fetchJson(url) {
        const wc = alive();
        const target = httpsUrl(url);
        const current = wc.getURL();
        if (!isHttps(current) || new URL(current).origin !== target.origin) {
          throw new BrowserRequestError('NETWORK', `fetchJson is same-origin only: the page is at ${current || 'nothing yet'}`, 'Open a page of the site in the partition first.');
        }
        const result = (await withTimeout(wc.executeJavaScriptInIsolatedWorld(ISOLATED_WORLD, [{ code: fetchScript(target.href) }]), timeoutMs, () => undefined, target.href)) as {
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

      async cookies() {
        return (await ses.cookies.get({})).map(toCookie);
      },

      async screenshot(path) {
        const image = await alive().capturePage();
        await writeFile(path, image.toPNG());
      },

      async close() {
        pages.delete(page);
        if (!window.isDestroyed()) window.destroy();
        if (!persistent) {
          // In-memory partitions live as long as the app; a reused id must not inherit this session.
          await ses.clearStorageData().catch(() => undefined);
          await ses.clearCache().catch(() => undefined);
        }
      },
    };
    pages.add(page);
    window.on('closed', () => pages.delete(page));
    return page;
  }

  return {
    kind: 'electron',
    openPartition,
    async writeClipboard(text) {
      clipboard.writeText(text);
    },
    async close() {
      await Promise.all([...pages].map((page) => page.close().catch(() => undefined)));
    },
  };
}
