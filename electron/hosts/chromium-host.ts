// The `chromium` BrowserHost: playwright-core driving an installed Chrome, Chromium or Edge, one
// BrowserContext (an isolated cookie jar and cache) per partition id, shared by that partition's windows
// (chromium-partition.ts). Used where Electron's binary is not there (`npm start` falls back to it) and by
// the end-to-end tests.
//
// Trust: see chromium-pinning.ts. In short, Node verifies each origin against the site's root.pem and
// Chromium is launched accepting exactly the keys Node verified. Because that list is a launch flag, there
// is one browser process per site CA (cached by the CA's fingerprint); when a partition needs an origin the
// current browser does not know, a new browser with the widened list takes over for new partitions, and the
// old one closes with its last partition. A persistent partition is a browser of its own (its profile
// folder under partitionsDir).
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type LaunchOptions, type Page } from 'playwright-core';
import type { BrowserHost, PartitionOptions, PartitionPage } from './browser-host';
import { chromiumLaunchOptions } from './chromium-launch';
import { ChromiumJar, partitionContextOptions, type JarHost, type SiteBrowser } from './chromium-jar';
import { caFingerprint, pinOrigin, type PinnedOrigin } from './chromium-pinning';
import { PartitionError } from './partition-error';
import { checkPartitionId, checkSameJar, deletePartitionFolder, persistentPartitionFolder, removeOrphanFolders } from './partition-storage';

export { PartitionError } from './partition-error';

export interface ChromiumHostOptions {
  /** Default true. `npm start` runs headful so partitions are windows a person can use. */
  headless?: boolean;
  /** Default: USHER_CHROMIUM or the usual install paths (chromium-launch.ts). */
  executablePath?: string;
  /** Where `persistent` partitions keep their profile; without it every partition is in memory. */
  partitionsDir?: string;
  /** For one navigation (redirects included) or in-page request. Default 15 s. */
  navigationTimeoutMs?: number;
  /** For a download to start, and again to finish. Default 60 s. */
  downloadTimeoutMs?: number;
  /**
   * Where the browser the in-memory partitions of a site CA share comes from. Default: the host launches
   * its own and closes it when done with it. The end-to-end tests give their hosts one per Vitest worker.
   */
  siteBrowsers?: SiteBrowserSource;
}

/** Browsers for a host's in-memory partitions: `launch` one with these options; the host is `done` with one. */
export interface SiteBrowserSource {
  launch(options: LaunchOptions): Promise<Browser>;
  done(browser: Browser): Promise<void>;
}

const OWN_BROWSERS: SiteBrowserSource = {
  launch: (options) => chromium.launch(options),
  done: (browser) => browser.close(),
};

export class ChromiumHost implements BrowserHost, JarHost {
  readonly kind = 'chromium' as const;
  /** The last text written to the clipboard (tests read it; the console may also get a real copy). */
  lastClipboard: string | undefined;

  private readonly headless: boolean;
  private readonly source: SiteBrowserSource;
  private readonly sites = new Map<string, SiteBrowser>();
  private readonly launching = new Map<string, Promise<SiteBrowser>>();
  /** Verified origins per CA fingerprint: a node is verified once per host lifetime, not per partition. */
  private readonly pins = new Map<string, Map<string, Promise<PinnedOrigin>>>();
  private readonly jars = new Map<string, ChromiumJar>();
  /** Jars still closing, by id: a new jar of that id waits, so a profile folder has one browser at a time. */
  private readonly ending = new Map<string, Promise<void>>();
  private clipboardPage: Page | undefined;
  private closed = false;

  constructor(private readonly options: ChromiumHostOptions = {}) {
    this.headless = options.headless ?? true;
    this.source = options.siteBrowsers ?? OWN_BROWSERS;
  }

  async openPartition(options: PartitionOptions): Promise<PartitionPage> {
    if (this.closed) throw new PartitionError('CLOSED', 'The Chromium host has been closed.', 'Restart the console.');
    checkPartitionId(options.partitionId, Boolean(options.persistent));
    let jar = this.jars.get(options.partitionId);
    if (jar && !jar.ended) {
      checkSameJar(jar.options, options);
    } else {
      jar = new ChromiumJar(this, options, this.timeouts(), this.ending.get(options.partitionId) ?? Promise.resolve());
      this.jars.set(options.partitionId, jar);
    }
    return jar.openWindow();
  }

  async clearPartition(partitionId: string): Promise<void> {
    const jar = this.jars.get(partitionId);
    if (jar && !jar.ended) return jar.clear();
    // Nothing open: what the partition keeps is its profile folder, if it is a persistent one.
    await this.ending.get(partitionId);
    const dir = this.profileDir(partitionId);
    if (dir) await deletePartitionFolder(dir);
  }

  async destroyPartition(partitionId: string): Promise<void> {
    await this.jars.get(partitionId)?.end();
    await this.ending.get(partitionId);
    const dir = this.profileDir(partitionId);
    if (dir) await deletePartitionFolder(dir);
  }

  async removeOrphanPartitions(keep: ReadonlySet<string>): Promise<string[]> {
    if (!this.options.partitionsDir) return [];
    const open = [...this.jars.values()].filter((jar) => !jar.ended).map((jar) => jar.partitionId);
    return removeOrphanFolders(this.options.partitionsDir, new Set([...keep, ...open]));
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
      .evaluate(
        (value) => (globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }).navigator.clipboard.writeText(value),
        text,
      )
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.jars.values()].map((jar) => jar.end()));
    await Promise.allSettled([...this.ending.values()]);
    const browsers = [...this.sites.values()].map((s) => s.browser);
    this.sites.clear();
    await Promise.allSettled(browsers.map((b) => this.source.done(b)));
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

  async trustOrigins(caPem: string, origins: string[]): Promise<void> {
    const settled = await Promise.allSettled(origins.map(async (origin) => this.pin(caPem, `${origin}/`)));
    const pins = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (this.closed || pins.length === 0) return;
    // One launch accepting them all; the partitions that follow find it and take part in it.
    const site = await this.acquireBrowser(caPem, pins).catch(() => undefined);
    if (site) this.releaseBrowser(site);
  }

  /** Drops a verification that no longer holds, so the next visit of `origin` is verified afresh. */
  unpin(caPem: string, origin: string): void {
    this.pins.get(caFingerprint(caPem))?.delete(origin);
  }

  /** A browser for this CA that accepts the keys of `pins`, launching (and retiring the old one) if needed. */
  async acquireBrowser(caPem: string, pins: PinnedOrigin[]): Promise<SiteBrowser> {
    const ca = caFingerprint(caPem);
    for (;;) {
      const pending = this.launching.get(ca);
      if (pending) {
        await pending.catch(() => undefined);
        continue;
      }
      const current = this.sites.get(ca);
      if (current && pins.every((pin) => current.spkis.has(pin.spki)) && current.browser.isConnected()) {
        current.partitions++;
        return current;
      }
      const spkis = new Set([...(current?.spkis ?? []), ...pins.map((pin) => pin.spki)]);
      const launch = this.launchSiteBrowser(spkis);
      this.launching.set(ca, launch);
      try {
        const site = await launch;
        if (current) {
          current.retired = true;
          if (current.partitions === 0) void this.source.done(current.browser).catch(() => undefined);
        }
        this.sites.set(ca, site);
        site.partitions++;
        return site;
      } finally {
        this.launching.delete(ca);
      }
    }
  }

  /**
   * Read-only, for the benchmark's memory figures: the browsers in-memory partitions run in now (one per
   * site CA; a retired one still closing is not listed, nor a persistent partition's own browser).
   */
  siteBrowsers(): Browser[] {
    return [...this.sites.values()].map((s) => s.browser);
  }

  releaseBrowser(site: SiteBrowser): void {
    site.partitions--;
    if (site.retired && site.partitions === 0) void this.source.done(site.browser).catch(() => undefined);
  }

  /** Origins of the site whose CA is `caPem` that were verified (and so may hold a partition's storage). */
  verifiedOrigins(caPem: string): string[] {
    return [...(this.pins.get(caFingerprint(caPem))?.keys() ?? [])];
  }

  /** A persistent partition: its own browser on its profile folder, accepting the keys verified so far. */
  async persistentLaunch(options: PartitionOptions, spkis: string[]): Promise<BrowserContext> {
    const dir = this.profileDir(options.partitionId);
    if (!dir) {
      throw new PartitionError(
        'NOT_OPEN',
        `Partition ${options.partitionId} is persistent but the Chromium host has no partitions folder.`,
        'Start the host with partitionsDir, or open the partition in memory.',
      );
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const launch = chromiumLaunchOptions({ executablePath: this.options.executablePath, headless: this.headless, extraArgs: [spkiFlag(spkis)] });
    return chromium.launchPersistentContext(dir, { ...launch, ...partitionContextOptions(options) });
  }

  /** A jar ended; its browser lets go of the profile folder when `done` settles. */
  jarEnded(jar: ChromiumJar, done: Promise<void>): void {
    if (this.jars.get(jar.partitionId) === jar) this.jars.delete(jar.partitionId);
    const settled = done.catch(() => undefined);
    this.ending.set(jar.partitionId, settled);
    void settled.then(() => {
      if (this.ending.get(jar.partitionId) === settled) this.ending.delete(jar.partitionId);
    });
  }

  private profileDir(partitionId: string): string | undefined {
    if (!this.options.partitionsDir) return undefined;
    return persistentPartitionFolder(this.options.partitionsDir, partitionId);
  }

  private timeouts() {
    return { navigationMs: this.options.navigationTimeoutMs ?? 15_000, downloadMs: this.options.downloadTimeoutMs ?? 60_000 };
  }

  private async launchSiteBrowser(spkis: Set<string>): Promise<SiteBrowser> {
    const launch = chromiumLaunchOptions({ executablePath: this.options.executablePath, headless: this.headless, extraArgs: [spkiFlag([...spkis])] });
    const browser = await this.source.launch(launch);
    return { browser, spkis, partitions: 0, retired: false };
  }
}

function spkiFlag(spkis: string[]): string {
  return `--ignore-certificate-errors-spki-list=${spkis.join(',')}`;
}
