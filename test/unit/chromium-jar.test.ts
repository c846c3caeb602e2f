// A chromium partition's hold on its site browser, without launching one: the host's real refcounting
// (releaseBrowser) with a browser whose newContext fails. A partition that never got a context must not
// keep counting against the browser, or a retired browser would stay open for the rest of the run.
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ChromiumHost } from '../../electron/hosts/chromium-host';
import type { PinnedOrigin } from '../../electron/hosts/chromium-pinning';
import { ChromiumJar, type SiteBrowser } from '../../electron/hosts/chromium-jar';

/** A host whose site browser is a fake that refuses new contexts and has been retired by a newer one. */
class FailingContextHost extends ChromiumHost {
  closes = 0;
  readonly site: SiteBrowser;

  constructor() {
    super();
    const browser = {
      newContext: async () => {
        throw new Error('Target page, context or browser has been closed');
      },
      close: async () => {
        this.closes++;
      },
      isConnected: () => true,
    } as unknown as Browser;
    this.site = { browser, spkis: new Set(['spki-1']), partitions: 0, retired: true };
  }

  override async acquireBrowser(): Promise<SiteBrowser> {
    this.site.partitions++;
    return this.site;
  }
}

describe('ChromiumJar', () => {
  it('releases the site browser when its context cannot be made, so a retired browser closes; end() does not release twice', async () => {
    const host = new FailingContextHost();
    const jar = new ChromiumJar(host, { partitionId: 'ticket-1', caPem: 'CA' }, { navigationMs: 1_000, downloadMs: 1_000 }, Promise.resolve());
    const pin: PinnedOrigin = { origin: 'https://site.example', spki: 'spki-1', leafFingerprint: 'ab' };
    await expect(jar.ensureContext(pin)).rejects.toThrow(/has been closed/);
    expect(host.site.partitions).toBe(0);
    expect(host.closes).toBe(1);
    await jar.end();
    expect(host.site.partitions).toBe(0);
    expect(host.closes).toBe(1);
  });
});
