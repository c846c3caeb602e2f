// One window of a chromium partition: a page of its jar (chromium-jar.ts), the PartitionPage the
// console drives. It navigates (each navigation pinned, then its served leaf checked:
// chromium-served-certificate.ts), asks from inside the page (chromium-page-fetch.ts), opens the
// engine socket there (page-engine.ts), downloads (chromium-downloads.ts) and keeps its name
// (chromium-window-title.ts). Cookies, downloads and login headers belong to the jar, shared by its windows.
import type { BrowserContext, Download, Page } from 'playwright-core';
import type { PageResponse, PartitionCookie, PartitionCookieInput, PartitionDownload, PartitionOptions, PartitionPage } from './browser-host';
import { downloadInPage } from './chromium-downloads';
import { fetchJsonInPage, fetchStatusInPage, inPageError } from './chromium-page-fetch';
import type { PinnedOrigin } from './chromium-pinning';
import { certificateChanged, notPinned, ServedCertificates } from './chromium-served-certificate';
import { keepTitle } from './chromium-window-title';
import { navigationError } from './navigation-error';
import { PartitionError } from './partition-error';
import { openPageEngine } from './page-engine';
import type { EngineTab } from '../core/qlik/engine-rpc';
import type { EngineAddress } from '../core/scenarios/engine-tab';

export interface PartitionTimeouts {
  navigationMs: number;
  downloadMs: number;
}

/**
 * What a window asks of its jar (ChromiumJar): named here so that the window depends on what it uses
 * and the jar, which opens windows, is the only one of the two that imports the other.
 */
export interface WindowJar {
  readonly partitionId: string;
  readonly options: PartitionOptions;
  readonly timeouts: PartitionTimeouts;
  readonly downloads: readonly PartitionDownload[];
  readonly host: { pin(caPem: string, url: string): Promise<PinnedOrigin>; unpin(caPem: string, origin: string): void };
  accepts(pin: PinnedOrigin): boolean;
  ensureContext(pin: PinnedOrigin): Promise<BrowserContext>;
  newPage(context: BrowserContext): Promise<Page>;
  save(download: Download): Promise<PartitionDownload>;
  cookies(): Promise<PartitionCookie[]>;
  setCookie(input: PartitionCookieInput): Promise<void>;
  sendHeaders(origin: string, headers: Record<string, string>): Promise<void>;
  windowClosed(window: ChromiumPartition): Promise<void>;
}

/** One window (page) of a jar. */
export class ChromiumPartition implements PartitionPage {
  readonly partitionId: string;
  private page: Page | undefined;
  /** What the page was served, recorded by its DevTools session from the first navigation on. */
  private served: ServedCertificates | undefined;
  private opening: Promise<Page> | undefined;
  private closed = false;
  /** The console's name for the window (see setTitle); applied to every document the window shows. */
  private title: string | undefined;

  constructor(private readonly jar: WindowJar) {
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
    return fetchJsonInPage(page, href, this.jar.timeouts.navigationMs);
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
    return fetchStatusInPage(page, href, this.jar.timeouts.navigationMs);
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
    return downloadInPage(page, href, this.jar.timeouts.downloadMs, this.jar);
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
    this.served = undefined;
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
    this.served = await ServedCertificates.attach(context, page);
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
    if (this.served && (await this.served.leafIsVerified(pin))) return;
    // This window saw something else than what was verified: it goes; the jar's other windows check
    // their own navigations the same way.
    await this.close();
    // Forgotten, or every later partition would meet the same stale verification until a restart.
    this.jar.host.unpin(caPem, pin.origin);
    throw certificateChanged(pin.origin);
  }
}
