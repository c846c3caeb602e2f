// Where a chromium host's site browsers come from (siteBrowsers): launched through the source given, with
// the keys to accept, and handed back to it when retired or when the host closes, never closed behind it.
import { describe, expect, it } from 'vitest';
import type { Browser, LaunchOptions } from 'playwright-core';
import { ChromiumHost, type SiteBrowserSource } from '../../electron/hosts/chromium-host';
import type { PinnedOrigin } from '../../electron/hosts/chromium-pinning';

/** A source of fake browsers that records what the host asks of it. */
function recordingSource() {
  const launched: Array<{ args: string[]; browser: Browser }> = [];
  const done: Browser[] = [];
  const closedDirectly: Browser[] = [];
  const source: SiteBrowserSource = {
    async launch(options: LaunchOptions) {
      const browser = {
        isConnected: () => true,
        close: async () => void closedDirectly.push(browser),
      } as unknown as Browser;
      launched.push({ args: options.args ?? [], browser });
      return browser;
    },
    async done(browser) {
      done.push(browser);
    },
  };
  return { source, launched, done, closedDirectly };
}

const pin = (spki: string): PinnedOrigin => ({ origin: `https://${spki}.example`, spki, leafFingerprint: 'ab' });

describe('ChromiumHost siteBrowsers', () => {
  it('launches through the source with the keys to accept, and gives each browser back once it is done with it', async () => {
    const { source, launched, done, closedDirectly } = recordingSource();
    const host = new ChromiumHost({ siteBrowsers: source, executablePath: '/nonexistent/chromium' });

    const first = await host.acquireBrowser('CA', [pin('key-a')]);
    expect(launched.map((l) => l.args.filter((a) => a.startsWith('--ignore-certificate-errors-spki-list=')))).toEqual([
      ['--ignore-certificate-errors-spki-list=key-a'],
    ]);
    // A second node's key: a browser accepting both takes over; the first is retired but still in use.
    const second = await host.acquireBrowser('CA', [pin('key-b')]);
    expect(launched[1]?.args).toContain('--ignore-certificate-errors-spki-list=key-a,key-b');
    expect(done).toEqual([]);
    host.releaseBrowser(first);
    expect(done).toEqual([first.browser]);

    host.releaseBrowser(second);
    await host.close();
    expect(done).toEqual([first.browser, second.browser]);
    expect(closedDirectly).toEqual([]);
  });
});
