// The `chromium` BrowserHost: playwright-core driving an installed Chrome, Chromium or Edge, one
// BrowserContext (an isolated cookie jar and cache) per partition. Used where Electron's binary is not
// there (`npm start` falls back to it) and by the end-to-end tests.
//
// Trust: see chromium-pinning.ts. In short, Node verifies each origin against the site's root.pem and
// Chromium is launched accepting exactly the keys Node verified. Because that list is a launch flag, there
// is one browser process per site CA (cached by the CA's fingerprint); when a partition needs an origin the
// current browser does not know, a new browser with the widened list takes over for new partitions, and the
// old one closes with its last partition.
import { navigationError } from './navigation-error';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import type { BrowserHost, PartitionCookie, PartitionOptions, PartitionPage } from './browser-host';
import { chromiumLaunchOptions } from './chromium-launch';
import { caFingerprint, certFingerprint, pinOrigin, type PinnedOrigin } from './chromium-pinning';

export interface ChromiumHostOptions {
  /** Default true. `npm start` runs headful so partitions are windows a person can use. */
  headless?: boolean;
  /** Default: USHER_CHROMIUM or the usual install paths (chromium-launch.ts). */
  executablePath?: string;
  /** Where `persistent` partitions keep their profile; without it every partition is in memory. */
  partitionsDir?: string;
  /** For one navigation, redirects included. Default 15 s. */
  navigationTimeoutMs?: number;
}

export class PartitionError extends Error {
  override name = 'PartitionError';
  constructor(
    readonly code: 'ORIGIN_NOT_PINNED' | 'CERTIFICATE_CHANGED' | 'NOT_OPEN' | 'CROSS_ORIGIN_FETCH' | 'CLOSED',
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** One browser process trusting exactly `spkis` (plus what every browser trusts). */
interface SiteBrowser {
  browser: Browser;
  spkis: Set<string>;
  partitions: number;
  retired: boolean;
}

const MAX_JSON_BYTES = 1024 * 1024;

export class ChromiumHost implements BrowserHost {
  readonly kind = 'chromium' as const;
  /** The last text written to the clipboard (tests read it; the console may also get a real copy). */
  lastClipboard: string | undefined;

  private readonly headless: boolean;
  private readonly sites = new Map<string, SiteBrowser>();
  private readonly launching = new Map<string, Promise<SiteBrowser>>();
  /** Verified origins per CA fingerprint: a node is verified once per host lifetime, not per partition. */
  private readonly pins = new Map<string, Map<string, Promise<PinnedOrigin>>>();
  private readonly open = new Set<ChromiumPartition>();
  private clipboardPage: Page | undefined;
  private closed = false;

  constructor(private readonly options: ChromiumHostOptions = {}) {
    this.headless = options.headless ?? true;
  }

  async openPartition(options: PartitionOptions): Promise<PartitionPage> {
    if (this.closed) throw new PartitionError('CLOSED', 'The Chromium host has been closed.', 'Restart the console.');
    // The context is made on the first goto: only then is the origin known whose key must be pinned.
    const partition = new ChromiumPartition(this, options, this.options.navigationTimeoutMs ?? 15_000);
    this.open.add(partition);
    return partition;
  }

  /** The console page registers itself so clipboard writes can reach the real clipboard too. */
  setClipboardPage(page: Page | undefined): void {
    this.clipboardPage = page;
  }

  async writeClipboard(text: string): Promise<void> {
    this.lastClipboard = text;
    const page = this.clipboardPage;
    if (!page || page.isClosed()) return;
    // Best effort: the async clipboard API needs a focused document and the permission, which a headless
    // or unfocused window lacks. The host-side copy above is the contract; this is a convenience.
    await page
      .evaluate((value) => (globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }).navigator.clipboard.writeText(value), text)
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.open].map((p) => p.close()));
    const browsers = [...this.sites.values()].map((s) => s.browser);
    this.sites.clear();
    await Promise.allSettled(browsers.map((b) => b.close()));
  }

  // ----- used by partitions -----

  pin(caPem: string, url: string): Promise<PinnedOrigin> {
    const ca = caFingerprint(caPem);
    let byOrigin = this.pins.get(ca);
    if (!byOrigin) this.pins.set(ca, (byOrigin = new Map()));
    const origin = new URL(url).origin;
    let pin = byOrigin.get(origin);
    if (!pin) {
      pin = pinOrigin(url, caPem);
      byOrigin.set(origin, pin);
      // A failed verification is not remembered: the admin may fix the node and try again.
      pin.catch(() => byOrigin.delete(origin));
    }
    return pin;
  }

  /** Drops a verification that no longer holds, so the next visit of `origin` is verified afresh. */
  unpin(caPem: string, origin: string): void {
    this.pins.get(caFingerprint(caPem))?.delete(origin);
  }

  /** A browser for this CA that accepts `pin`'s key, launching (and retiring the old one) if needed. */
  async acquireBrowser(caPem: string, pin: PinnedOrigin): Promise<SiteBrowser> {
    const ca = caFingerprint(caPem);
    for (;;) {
      const pending = this.launching.get(ca);
      if (pending) {
        await pending.catch(() => undefined);
        continue;
      }
      const current = this.sites.get(ca);
      if (current && current.spkis.has(pin.spki) && current.browser.isConnected()) {
        current.partitions++;
        return current;
      }
      const spkis = new Set([...(current?.spkis ?? []), pin.spki]);
      const launch = this.launchSiteBrowser(spkis);
      this.launching.set(ca, launch);
      try {
        const site = await launch;
        if (current) {
          current.retired = true;
          if (current.partitions === 0) void current.browser.close().catch(() => undefined);
        }
        this.sites.set(ca, site);
        site.partitions++;
        return site;
      } finally {
        this.launching.delete(ca);
      }
    }
  }

  releaseBrowser(site: SiteBrowser): void {
    site.partitions--;
    if (site.retired && site.partitions === 0) void site.browser.close().catch(() => undefined);
  }

  persistentLaunch(partitionId: string, spkis: string[]): Promise<BrowserContext> | undefined {
    if (!this.options.partitionsDir) return undefined;
    const dir = join(this.options.partitionsDir, partitionId.replace(/[^A-Za-z0-9._-]/g, '_'));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const launch = chromiumLaunchOptions({ executablePath: this.options.executablePath, headless: this.headless, extraArgs: [spkiFlag(spkis)] });
    return chromium.launchPersistentContext(dir, { ...launch, ...PARTITION_CONTEXT });
  }

  forget(partition: ChromiumPartition): void {
    this.open.delete(partition);
  }

  private async launchSiteBrowser(spkis: Set<string>): Promise<SiteBrowser> {
    const launch = chromiumLaunchOptions({ executablePath: this.options.executablePath, headless: this.headless, extraArgs: [spkiFlag([...spkis])] });
    const browser = await chromium.launch(launch);
    return { browser, spkis, partitions: 0, retired: false };
  }
}

function spkiFlag(spkis: string[]): string {
  return `--ignore-certificate-errors-spki-list=${spkis.join(',')}`;
}

/** Partitions are plain web pages: no binding, no init script, no downloads, no service workers. */
const PARTITION_CONTEXT = { acceptDownloads: false, serviceWorkers: 'block', ignoreHTTPSErrors: false } as const;

class ChromiumPartition implements PartitionPage {
  readonly partitionId: string;
  private context: BrowserContext | undefined;
  private page: Page | undefined;
  /** DevTools session with the Network domain on: it keeps the certificates the page was served. */
  private cdp: CDPSession | undefined;
  private site: SiteBrowser | undefined;
  /** The keys this partition's browser was launched to accept. */
  private accepted = new Set<string>();
  private opening: Promise<Page> | undefined;
  private closed = false;

  constructor(
    private readonly host: ChromiumHost,
    private readonly options: PartitionOptions,
    private readonly timeoutMs: number,
  ) {
    this.partitionId = options.partitionId;
  }

  async goto(url: string): Promise<{ status: number; url: string }> {
    const pin = await this.host.pin(this.options.caPem, url);
    const page = await this.ensurePage(pin);
    if (!this.accepted.has(pin.spki)) {
      // The browser's key list was fixed when it started; a partition cannot move to a new browser
      // without losing its cookies, so a key first seen now is refused rather than half-trusted.
      throw new PartitionError(
        'ORIGIN_NOT_PINNED',
        `The key of ${pin.origin} was not among those this partition's browser was started to accept.`,
        'Open a new partition for that node (each ticket is redeemed on one node anyway).',
      );
    }
    let response;
    try {
      response = await page.goto(url, { waitUntil: 'load', timeout: this.timeoutMs });
    } catch (err) {
      throw navigationError(err, url);
    }
    await this.checkServedLeaf(page);
    return { status: response?.status() ?? 0, url: page.url() };
  }

  async fetchJson(url: string): Promise<{ status: number; body: unknown }> {
    const page = this.requirePage();
    const target = new URL(url, page.url());
    if (target.origin !== new URL(page.url()).origin) {
      throw new PartitionError('CROSS_ORIGIN_FETCH', `fetchJson only reads the page's own origin, not ${target.origin}.`, 'Navigate the partition there first.');
    }
    // The page makes the request itself, so the session cookie goes with it exactly as in a person's tab.
    return page.evaluate(
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
      { href: target.toString(), timeoutMs: this.timeoutMs, maxBytes: MAX_JSON_BYTES },
    );
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

  async screenshot(path: string): Promise<void> {
    await this.requirePage().screenshot({ path, fullPage: true });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.host.forget(this);
    const context = this.context;
    this.context = undefined;
    this.page = undefined;
    this.cdp = undefined;
    await context?.close().catch(() => undefined);
    if (this.site) this.host.releaseBrowser(this.site);
    this.site = undefined;
  }

  private requirePage(): Page {
    if (!this.page || this.closed) throw new PartitionError('NOT_OPEN', 'The partition has no page yet.', 'Call goto() first.');
    return this.page;
  }

  private ensurePage(pin: PinnedOrigin): Promise<Page> {
    if (this.closed) return Promise.reject(new PartitionError('CLOSED', 'The partition was closed.', 'Open a new partition.'));
    this.opening ??= this.createPage(pin);
    return this.opening;
  }

  private async createPage(pin: PinnedOrigin): Promise<Page> {
    const persistent = this.options.persistent ? this.host.persistentLaunch(this.partitionId, [pin.spki]) : undefined;
    let context: BrowserContext;
    if (persistent) {
      context = await persistent;
    } else {
      this.site = await this.host.acquireBrowser(this.options.caPem, pin);
      context = await this.site.browser.newContext(PARTITION_CONTEXT);
    }
    this.accepted = new Set(this.site?.spkis ?? [pin.spki]);
    this.context = context;
    const page = context.pages()[0] ?? (await context.newPage());
    this.page = page;
    this.cdp = await context.newCDPSession(page);
    await this.cdp.send('Network.enable');
    // Partitions are one window each: anything the site opens in a new window is closed at once.
    context.on('page', (extra) => {
      if (extra !== page) void extra.close().catch(() => undefined);
    });
    return page;
  }

  /** The second half of the pin: the leaf Chromium received must be the one Node verified. */
  private async checkServedLeaf(page: Page): Promise<void> {
    // Redirects may have ended on another origin: Node verifies that one too (cached per origin).
    const pin = await this.host.pin(this.options.caPem, page.url()).catch(async (err: unknown) => {
      await this.close();
      throw err;
    });
    const origin = pin.origin;
    const served = this.cdp ? ((await this.cdp.send('Network.getCertificate', { origin })) as { tableNames: string[] }).tableNames[0] : undefined;
    if (served && certFingerprint(Buffer.from(served, 'base64')) === pin.leafFingerprint) return;
    await this.close();
    // Forgotten, or every later partition would meet the same stale verification until a restart.
    this.host.unpin(this.options.caPem, origin);
    throw new PartitionError(
      'CERTIFICATE_CHANGED',
      `${origin} presented a different certificate to the browser than the one verified against the site CA.`,
      'Something between this machine and the node is answering for it, or the node just changed its certificate: open the ticket again and the node is verified afresh; if it fails again, run the trust check.',
    );
  }
}
