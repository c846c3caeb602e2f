// A partition of the chromium host: one BrowserContext (the cookie jar, cache and storage) shared by the
// windows (chromium-partition.ts) opened with its id, refcounted: the jar ends with its last window.
// The context is made on first need, in a browser process shared with the site's other jars (or a
// persistent one of its own), once the origin is known whose key the browser must accept. Trust is
// decided per navigation as chromium-pinning.ts describes, for every window. Cookies are bridged in
// chromium-cookies.ts, downloads saved by chromium-downloads.ts, login headers kept by site-headers.ts.
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import type { PartitionCookie, PartitionCookieInput, PartitionDownload, PartitionOptions } from './browser-host';
import { clearJar, readCookies, writeCookie } from './chromium-cookies';
import { DownloadSaver } from './chromium-downloads';
import { ChromiumPartition, type PartitionTimeouts } from './chromium-partition';
import type { PinnedOrigin } from './chromium-pinning';
import { notPinned } from './chromium-served-certificate';
import { httpsUrl } from './https-url';
import { PartitionError } from './partition-error';
import { SiteHeaders } from './site-headers';

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

export class ChromiumJar {
  readonly partitionId: string;
  readonly windows = new Set<ChromiumPartition>();
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
  private readonly saver: DownloadSaver;
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
    this.saver = new DownloadSaver(options.downloadsDir);
  }

  /** Every download of the jar's windows, saved or failed. */
  get downloads(): readonly PartitionDownload[] {
    return this.saver.records;
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
    return this.saver.save(download);
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
    return this.context ? readCookies(this.context) : [];
  }

  async setCookie(input: PartitionCookieInput): Promise<void> {
    const url = httpsUrl(input.url);
    const pin = await this.host.pin(this.options.caPem, url.href);
    const context = await this.ensureContext(pin);
    if (!this.accepts(pin)) throw notPinned(pin);
    await writeCookie(context, input, url);
  }

  /** Empties cookies, and storage of every origin of the site this host has verified. */
  async clear(): Promise<void> {
    const context = this.context;
    if (!context) return;
    const page = [...this.windows].map((w) => w.currentPage()).find((p): p is Page => p !== undefined && !p.isClosed());
    await clearJar(context, page, this.host.verifiedOrigins(this.options.caPem));
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
