// A partition of the chromium host: one BrowserContext (the cookie jar, cache and storage) shared by the
// windows (pages) opened with its id, refcounted: the jar ends with its last window. Trust is decided per
// navigation as chromium-pinning.ts describes, for every window.
import { stat } from 'node:fs/promises';
import type { Browser, BrowserContext, CDPSession, Download, Page } from 'playwright-core';
import { BrowserRequestError } from '../core/browser/browser-client';
import type { PageResponse, PartitionCookie, PartitionCookieInput, PartitionDownload, PartitionOptions, PartitionPage } from './browser-host';
import { certFingerprint, type PinnedOrigin } from './chromium-pinning';
import { httpsUrl } from './https-url';
import { navigationError } from './navigation-error';
import { PartitionError } from './partition-error';
import { openPageEngine } from './page-engine';
import { releaseDownloadPath, reserveDownloadPath } from './partition-storage';
import { SiteHeaders } from './site-headers';
import type { EngineTab } from '../core/qlik/engine-rpc';
import type { EngineAddress } from '../core/scenarios/engine-tab';

const MAX_JSON_BYTES = 1024 * 1024;

export interface PartitionTimeouts {
  navigationMs: number;
  downloadMs: number;
}

/** One browser process trusting exactly `spkis` (plus what every browser trusts). */
export interface SiteBrowser {
  browser: Browser;
  spkis: Set<string>;
  partitions: number;
  retired: boolean;
}

/**
 * What a jar asks of the host that made it (ChromiumHost): the browser processes it shares with
 * other jars of the same site, the pinned keys of the site's origins, and word that it has ended.
 * Named here so the jar depends on what it uses, not on the host's module.
 */
export interface JarHost {
  pin(caPem: string, url: string): Promise<PinnedOrigin>;
  unpin(caPem: string, origin: string): void;
  verifiedOrigins(caPem: string): string[];
  acquireBrowser(caPem: string, pins: PinnedOrigin[]): Promise<SiteBrowser>;
  releaseBrowser(site: SiteBrowser): void;
  persistentLaunch(options: PartitionOptions, spkis: string[]): Promise<BrowserContext>;
  jarEnded(jar: ChromiumJar, done: Promise<void>): void;
}

/** Partitions are plain web pages: no binding, no init script, no service workers. */
export function partitionContextOptions(options: PartitionOptions) {
  return { acceptDownloads: Boolean(options.downloadsDir), serviceWorkers: 'block', ignoreHTTPSErrors: false } as const;
}

/** An in-page request that failed: the page's abort is our timeout; anything else is the network's. */
function inPageError(err: unknown, url: string, timeoutMs: number): Error {
  const text = err instanceof Error ? err.message : String(err);
  if (/AbortError|aborted/i.test(text)) {
    return new BrowserRequestError(
      'TIMEOUT',
      `${url} did not answer within ${Math.round(timeoutMs / 1000)} s`,
      'Check that the Qlik Sense proxy is running and reachable from this machine (firewall, port, DNS).',
      { cause: err },
    );
  }
  if (/Target .*closed|has been closed/i.test(text))
    return new PartitionError('CLOSED', 'The partition window was closed during the request.', 'Open the partition again.', { cause: err });
  return new BrowserRequestError(
    'NETWORK',
    `The page could not request ${url}: ${text.split('\n')[0]}`,
    'Check that the address is on the Qlik Sense site and the proxy is reachable.',
    { cause: err },
  );
}

export class ChromiumJar {
  readonly partitionId: string;
  readonly windows = new Set<ChromiumPartition>();
  readonly downloads: PartitionDownload[] = [];
  ended = false;
  private context: BrowserContext | undefined;
  private site: SiteBrowser | undefined;
  /** The keys this jar's browser was launched to accept. */
  private accepted = new Set<string>();
  private opening: Promise<BrowserContext> | undefined;
  /** The page a persistent context starts with, kept for the first window. */
  private spare: Page | undefined;
  private readonly ours = new WeakSet<Page>();
  private readonly creating = new Set<Promise<Page>>();
  private readonly saving = new WeakMap<Download, Promise<PartitionDownload>>();
  /** Login headers (header or JWT virtual proxies), per origin: see site-headers.ts. */
  private readonly headers = new SiteHeaders();
  /** Whether the context's requests pass through the login-header route (set up on first need). */
  private routed: Promise<void> | undefined;

  constructor(
    readonly host: JarHost,
    readonly options: PartitionOptions,
    readonly timeouts: PartitionTimeouts,
    /** Resolves when an earlier jar of the same id has let go of its profile folder. */
    private readonly predecessor: Promise<void>,
  ) {
    this.partitionId = options.partitionId;
  }

  openWindow(): ChromiumPartition {
    const window = new ChromiumPartition(this);
    this.windows.add(window);
    return window;
  }

  accepts(pin: PinnedOrigin): boolean {
    return this.accepted.has(pin.spki);
  }

  /** The context, made on first need: only then is the origin known whose key the browser must accept. */
  ensureContext(pin: PinnedOrigin): Promise<BrowserContext> {
    if (this.ended) return Promise.reject(new PartitionError('CLOSED', `Partition ${this.partitionId} was closed.`, 'Open the partition again.'));
    this.opening ??= this.createContext(pin);
    return this.opening;
  }

  private async createContext(pin: PinnedOrigin): Promise<BrowserContext> {
    await this.predecessor;
    let context: BrowserContext;
    if (this.options.persistent) {
      context = await this.host.persistentLaunch(this.options, [pin.spki]);
      this.accepted = new Set([pin.spki]);
      this.spare = context.pages()[0];
      if (this.spare) this.ours.add(this.spare);
    } else {
      const site = await this.host.acquireBrowser(this.options.caPem, [pin]);
      try {
        context = await site.browser.newContext(partitionContextOptions(this.options));
      } catch (err) {
        // The browser counts this partition from acquireBrowser on: without a context there is nothing for
        // end() to release, so let go here, or a retired browser would never close.
        this.host.releaseBrowser(site);
        throw err;
      }
      this.site = site;
      this.accepted = new Set(site.spkis);
    }
    if (this.ended) {
      await this.release(context);
      throw new PartitionError('CLOSED', `Partition ${this.partitionId} was closed while it opened.`, 'Open the partition again.');
    }
    this.context = context;
    if (this.headers.any()) await this.routeHeaders(context);
    // Windows are opened by the console only: whatever the site opens by itself is closed at once, after
    // any window of ours still being created has been claimed.
    context.on('page', (page) => void this.vet(page));
    return context;
  }

  private async vet(page: Page): Promise<void> {
    await Promise.allSettled([...this.creating]);
    if (!this.ours.has(page)) await page.close().catch(() => undefined);
  }

  /** A page for a new window of this jar. */
  async newPage(context: BrowserContext): Promise<Page> {
    let page = this.spare;
    this.spare = undefined;
    if (!page) {
      const creating = context.newPage().then((created) => {
        this.ours.add(created);
        return created;
      });
      this.creating.add(creating);
      try {
        page = await creating;
      } finally {
        this.creating.delete(creating);
      }
    }
    if (this.options.downloadsDir) page.on('download', (download) => void this.save(download));
    return page;
  }

  /** Saves a download into the downloads folder once, whoever asks first (the page's event or download()). */
  save(download: Download): Promise<PartitionDownload> {
    let saved = this.saving.get(download);
    if (!saved) {
      saved = this.saveNow(download);
      this.saving.set(download, saved);
    }
    return saved;
  }

  private async saveNow(download: Download): Promise<PartitionDownload> {
    const url = download.url();
    const dir = this.options.downloadsDir;
    let record: PartitionDownload;
    if (!dir) {
      await download.cancel().catch(() => undefined);
      record = { url, bytes: 0, error: 'downloads are off for this partition' };
    } else {
      let path: string | undefined;
      try {
        path = reserveDownloadPath(dir, download.suggestedFilename());
        await download.saveAs(path);
        record = { url, path, bytes: (await stat(path)).size };
      } catch (err) {
        if (path) releaseDownloadPath(path);
        const failure = await download.failure().catch(() => null);
        record = { url, bytes: 0, error: failure ?? (err instanceof Error ? err.message.split('\n')[0] : String(err)) };
      }
    }
    this.downloads.push(record);
    return record;
  }

  /** See PartitionPage.sendHeaders: kept here, added by a route of this context (no other jar sees it). */
  async sendHeaders(origin: string, headers: Record<string, string>): Promise<void> {
    this.headers.set(origin, headers);
    if (this.context && this.headers.any()) await this.routeHeaders(this.context);
  }

  private routeHeaders(context: BrowserContext): Promise<void> {
    // Only requests to an origin with headers are intercepted; the rest go their way untouched.
    this.routed ??= context
      .route(
        (url) => this.headers.for(url.href) !== undefined,
        async (route) => {
          const request = route.request();
          const extra = this.headers.for(request.url());
          if (!extra) return route.continue();
          return route.continue({ headers: this.headers.apply(request.url(), await request.allHeaders()) as Record<string, string> });
        },
      )
      .then(() => undefined);
    return this.routed;
  }

  async cookies(): Promise<PartitionCookie[]> {
    if (!this.context) return [];
    return (await this.context.cookies()).map((c) => ({
      name: c.name,
      value: c.value,
      domain: c.domain,
      path: c.path,
      secure: c.secure,
      httpOnly: c.httpOnly,
      sameSite: c.sameSite,
    }));
  }

  async setCookie(input: PartitionCookieInput): Promise<void> {
    const url = httpsUrl(input.url);
    const pin = await this.host.pin(this.options.caPem, url.href);
    const context = await this.ensureContext(pin);
    if (!this.accepts(pin)) throw notPinned(pin);
    const common = { name: input.name, value: input.value, secure: input.secure, httpOnly: input.httpOnly, sameSite: input.sameSite };
    // Chromium reads a domain without a leading dot as host-only and one with it as a Domain attribute:
    // no domain given means host-only (the url's host), a given one means the Set-Cookie Domain attribute.
    const domain = input.domain === undefined ? url.hostname : input.domain.startsWith('.') ? input.domain : `.${input.domain}`;
    await context.addCookies([{ ...common, domain, path: input.path }]);
  }

  /** Empties cookies, and storage of every origin of the site this host has verified. */
  async clear(): Promise<void> {
    const context = this.context;
    if (!context) return;
    await context.clearCookies();
    const page = [...this.windows].map((w) => w.currentPage()).find((p): p is Page => p !== undefined && !p.isClosed());
    if (!page) return;
    const cdp = await context.newCDPSession(page);
    try {
      for (const origin of this.host.verifiedOrigins(this.options.caPem)) {
        await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
      }
    } finally {
      await cdp.detach().catch(() => undefined);
    }
  }

  /** One window went; the jar ends with the last. */
  async windowClosed(window: ChromiumPartition): Promise<void> {
    this.windows.delete(window);
    if (this.windows.size === 0) await this.end();
  }

  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const windows = [...this.windows];
    this.windows.clear();
    await Promise.allSettled(windows.map((w) => w.close()));
    const context = this.context ?? (await this.opening?.catch(() => undefined));
    this.context = undefined;
    const done = context ? this.release(context) : Promise.resolve();
    this.host.jarEnded(this, done);
    await done;
  }

  private async release(context: BrowserContext): Promise<void> {
    await context.close().catch(() => undefined);
    if (this.site) this.host.releaseBrowser(this.site);
    this.site = undefined;
  }
}

function notPinned(pin: PinnedOrigin): PartitionError {
  // The browser's key list was fixed when it started; a jar cannot move to a new browser without losing
  // its cookies, so a key first seen now is refused rather than half-trusted.
  return new PartitionError(
    'ORIGIN_NOT_PINNED',
    `The key of ${pin.origin} was not among those this partition's browser was started to accept.`,
    'Open a new partition for that node (each ticket is redeemed on one node anyway).',
  );
}

/**
 * Sets the document's title and keeps it (the hub renames its tab as apps open): a chromium app window's
 * title bar is the document's title, and the host has no other way to name the window. The one observer
 * per document reads the latest title from the page's global, so a later call replaces the name.
 */
async function keepTitle(page: Page, title: string): Promise<void> {
  await page.evaluate((name) => {
    const g = globalThis as unknown as {
      usherWindowTitle?: string;
      document: { title: string; head: object | null; documentElement: object };
      MutationObserver: new (cb: () => void) => { observe(node: object, options: object): void };
    };
    g.usherWindowTitle = name;
    const apply = (): void => {
      if (g.usherWindowTitle !== undefined && g.document.title !== g.usherWindowTitle) g.document.title = g.usherWindowTitle;
    };
    apply();
    const marked = g.document.documentElement as { usherTitleKept?: boolean };
    if (marked.usherTitleKept) return;
    marked.usherTitleKept = true;
    new g.MutationObserver(apply).observe(g.document.documentElement, { subtree: true, childList: true, characterData: true });
  }, title);
}

/** One window (page) of a jar. */
export class ChromiumPartition implements PartitionPage {
  readonly partitionId: string;
  private page: Page | undefined;
  /** DevTools session with the Network domain on: it keeps the certificates the page was served. */
  private cdp: CDPSession | undefined;
  private opening: Promise<Page> | undefined;
  private closed = false;
  /** The console's name for the window (see setTitle); applied to every document the window shows. */
  private title: string | undefined;

  constructor(private readonly jar: ChromiumJar) {
    this.partitionId = jar.partitionId;
  }

  currentPage(): Page | undefined {
    return this.page;
  }

  async setTitle(title: string): Promise<void> {
    this.title = title;
    if (this.page) await keepTitle(this.page, title);
  }

  async bringToFront(): Promise<void> {
    if (this.closed || !this.page) throw new PartitionError('CLOSED', 'The partition window is closed.', 'Open a ticket or a session in the partition again.');
    await this.page.bringToFront();
  }

  async goto(url: string): Promise<{ status: number; url: string }> {
    const pin = await this.jar.host.pin(this.jar.options.caPem, url);
    const page = await this.ensurePage(pin);
    if (!this.jar.accepts(pin)) throw notPinned(pin);
    let response;
    try {
      response = await page.goto(url, { waitUntil: 'load', timeout: this.jar.timeouts.navigationMs });
    } catch (err) {
      throw navigationError(err, url);
    }
    await this.checkServedLeaf(page);
    return { status: response?.status() ?? 0, url: page.url() };
  }

  async fetchJson(url: string): Promise<{ status: number; body: unknown }> {
    const { page, href } = this.sameOrigin(url, 'fetchJson');
    const timeoutMs = this.jar.timeouts.navigationMs;
    // The page makes the request itself, so the session cookie goes with it exactly as in a person's tab.
    return page
      .evaluate(
        async ({ href, timeoutMs, maxBytes }) => {
          const abort = new AbortController();
          const timer = setTimeout(() => abort.abort(), timeoutMs);
          try {
            const res = await fetch(href, { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal: abort.signal });
            const text = await res.text();
            if (text.length > maxBytes) return { status: res.status, body: null };
            try {
              return { status: res.status, body: JSON.parse(text) as unknown };
            } catch {
              return { status: res.status, body: text };
            }
          } finally {
            clearTimeout(timer);
          }
        },
        { href, timeoutMs, maxBytes: MAX_JSON_BYTES },
      )
      .catch((err: unknown) => {
        throw inPageError(err, href, timeoutMs);
      });
  }

  async openEngine(address: EngineAddress): Promise<EngineTab> {
    const { page } = this.sameOrigin(address.csrfTokenUrl, 'openEngine');
    const timeoutMs = this.jar.timeouts.navigationMs;
    return openPageEngine(
      (code) =>
        page.evaluate(code).catch((err: unknown) => {
          throw inPageError(err, address.socketUrl, timeoutMs);
        }),
      address,
      timeoutMs,
    );
  }

  async fetchStatus(url: string): Promise<PageResponse> {
    const { page, href } = this.sameOrigin(url, 'fetchStatus');
    const timeoutMs = this.jar.timeouts.navigationMs;
    return page
      .evaluate(
        async ({ href, timeoutMs }) => {
          const abort = new AbortController();
          const timer = setTimeout(() => abort.abort(), timeoutMs);
          try {
            // A redirect is not followed (it would leave the site for the module): status 0 says so. No
            // cache: the answer must be what the jar's cookies get now (Node's RequestInit lacks `cache`).
            const init: Record<string, unknown> = { credentials: 'same-origin', redirect: 'manual', cache: 'no-store', signal: abort.signal };
            const res = await fetch(href, init as RequestInit);
            let bytes = 0;
            // Counted as it streams: the bytes stay in the page and only their number comes back.
            const reader = res.body?.getReader();
            for (;;) {
              const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
              if (chunk.done) break;
              bytes += chunk.value.byteLength;
            }
            return { status: res.status, contentType: res.headers.get('content-type') ?? '', bytes };
          } finally {
            clearTimeout(timer);
          }
        },
        { href, timeoutMs },
      )
      .catch((err: unknown) => {
        throw inPageError(err, href, timeoutMs);
      });
  }

  url(): string {
    return this.page && !this.page.isClosed() ? this.page.url() : '';
  }

  cookies(): Promise<PartitionCookie[]> {
    return this.jar.cookies();
  }

  setCookie(cookie: PartitionCookieInput): Promise<void> {
    if (this.closed) return Promise.reject(new PartitionError('CLOSED', 'The partition window was closed.', 'Open the partition again.'));
    return this.jar.setCookie(cookie);
  }

  async download(url: string): Promise<PartitionDownload> {
    const { page, href } = this.sameOrigin(url, 'download');
    if (!this.jar.options.downloadsDir) {
      throw new PartitionError(
        'DOWNLOADS_OFF',
        `Partition ${this.partitionId} was opened without a downloads folder, so it refuses downloads.`,
        'Open the partition with a downloads folder (downloadsDir).',
      );
    }
    const timeoutMs = this.jar.timeouts.downloadMs;
    const started = page.waitForEvent('download', { timeout: timeoutMs });
    started.catch(() => undefined);
    // A click on a link with the `download` attribute: the page stays where it is whatever the answer.
    await page
      .evaluate((link) => {
        // Typed by hand: this code runs in the page, and the main process compiles without the DOM types.
        interface Anchor {
          href: string;
          download: string;
          click(): void;
          remove(): void;
        }
        const doc = (
          globalThis as unknown as {
            document: { createElement(tag: 'a'): Anchor; body: { appendChild(a: Anchor): void } | null; documentElement: { appendChild(a: Anchor): void } };
          }
        ).document;
        const a = doc.createElement('a');
        a.href = link;
        a.download = '';
        (doc.body ?? doc.documentElement).appendChild(a);
        a.click();
        a.remove();
      }, href)
      .catch((err: unknown) => {
        throw inPageError(err, href, timeoutMs);
      });
    let download: Download;
    try {
      download = await started;
    } catch (err) {
      throw new PartitionError(
        'DOWNLOAD_TIMEOUT',
        `${href} started no download within ${Math.round(timeoutMs / 1000)} s.`,
        'Check that the address is an export or file on the site (a page opens, it does not download).',
        { cause: err },
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void download.cancel().catch(() => undefined);
        reject(
          new PartitionError(
            'DOWNLOAD_TIMEOUT',
            `The download of ${href} did not finish within ${Math.round(timeoutMs / 1000)} s.`,
            'Check the network path to the node; a large export may need a longer timeout.',
          ),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.jar.save(download), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  downloads(): PartitionDownload[] {
    return [...this.jar.downloads];
  }

  sendHeaders(origin: string, headers: Record<string, string>): Promise<void> {
    if (this.closed) return Promise.reject(new PartitionError('CLOSED', 'The partition window was closed.', 'Open the partition again.'));
    return this.jar.sendHeaders(origin, headers);
  }

  async screenshot(path: string): Promise<void> {
    await this.requirePage().screenshot({ path, fullPage: true });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const page = this.page ?? (await this.opening?.catch(() => undefined));
    this.page = undefined;
    this.cdp = undefined;
    await page?.close().catch(() => undefined);
    await this.jar.windowClosed(this);
  }

  private requirePage(): Page {
    if (this.closed) throw new PartitionError('CLOSED', 'The partition window was closed.', 'Open the partition again.');
    if (!this.page) throw new PartitionError('NOT_OPEN', 'The partition window has no page yet.', 'Call goto() first.');
    return this.page;
  }

  private sameOrigin(url: string, what: string): { page: Page; href: string } {
    const page = this.requirePage();
    const target = new URL(url, page.url());
    if (target.origin !== new URL(page.url()).origin) {
      throw new PartitionError(
        'CROSS_ORIGIN_FETCH',
        `${what} only reaches the page's own origin, not ${target.origin}.`,
        'Navigate the partition there first.',
      );
    }
    return { page, href: target.href };
  }

  private ensurePage(pin: PinnedOrigin): Promise<Page> {
    if (this.closed) return Promise.reject(new PartitionError('CLOSED', 'The partition window was closed.', 'Open the partition again.'));
    this.opening ??= this.createPage(pin);
    return this.opening;
  }

  private async createPage(pin: PinnedOrigin): Promise<Page> {
    const context = await this.jar.ensureContext(pin);
    const page = await this.jar.newPage(context);
    if (this.closed) {
      await page.close().catch(() => undefined);
      throw new PartitionError('CLOSED', 'The partition window was closed while it opened.', 'Open the partition again.');
    }
    this.page = page;
    // A window shows its title bar from the document's <title>: each document the window loads is named
    // again, and setTitle before the first page took effect here.
    page.on('domcontentloaded', () => {
      if (this.title !== undefined) void keepTitle(page, this.title).catch(() => undefined);
    });
    this.cdp = await context.newCDPSession(page);
    await this.cdp.send('Network.enable');
    return page;
  }

  /** The second half of the pin: the leaf Chromium received must be the one Node verified. */
  private async checkServedLeaf(page: Page): Promise<void> {
    const caPem = this.jar.options.caPem;
    // Redirects may have ended on another origin: Node verifies that one too (cached per origin).
    const pin = await this.jar.host.pin(caPem, page.url()).catch(async (err: unknown) => {
      await this.close();
      throw err;
    });
    const origin = pin.origin;
    const served = this.cdp ? ((await this.cdp.send('Network.getCertificate', { origin })) as { tableNames: string[] }).tableNames[0] : undefined;
    if (served && certFingerprint(Buffer.from(served, 'base64')) === pin.leafFingerprint) return;
    // This window saw something else than what was verified: it goes; the jar's other windows check
    // their own navigations the same way.
    await this.close();
    // Forgotten, or every later partition would meet the same stale verification until a restart.
    this.jar.host.unpin(caPem, origin);
    throw new PartitionError(
      'CERTIFICATE_CHANGED',
      `${origin} presented a different certificate to the browser than the one verified against the site CA.`,
      'Something between this machine and the node is answering for it, or the node just changed its certificate: open the ticket again and the node is verified afresh; if it fails again, run the trust check.',
    );
  }
}
