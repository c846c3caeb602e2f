// Browsers that live as long as a Vitest worker. The e2e project runs its files with isolate:false, so
// this module (and its browsers) lives on from one file to the next: each file opens contexts of its own
// in the worker's browsers instead of launching browsers of its own (a launch is a second of CPU across
// Chromium's processes). No one closes them: playwright ends them when the worker process exits.
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import type { SiteBrowserSource } from '../../electron/hosts/chromium-host';
import { chromiumLaunchOptions } from '../../electron/hosts/chromium-launch';

/** One browser per set of launch options (a site browser's accepted keys are among them). */
const launched = new Map<string, Promise<Browser>>();

function workerBrowser(options: LaunchOptions): Promise<Browser> {
  const key = JSON.stringify(options);
  let browser = launched.get(key);
  if (!browser) launched.set(key, (browser = chromium.launch(options)));
  const forget = () => {
    if (launched.get(key) === browser) launched.delete(key);
  };
  // A failed or lost launch is not kept: the next one launches again.
  return browser.then(
    (b) => {
      if (b.isConnected()) return b;
      forget();
      return workerBrowser(options);
    },
    (err: unknown) => {
      forget();
      throw err;
    },
  );
}

/** The browser the console windows of this worker open in, each a context of its own. */
export function consoleBrowser(): Promise<Browser> {
  return workerBrowser(chromiumLaunchOptions({ headless: true }));
}

/** How many hosts hold each site browser: the contexts a host's partitions left open go when the last lets go. */
const holders = new Map<Browser, number>();

/** For the tests' ChromiumHosts (`siteBrowsers`): the worker's site browsers, launched once per set of flags. */
export const WORKER_SITE_BROWSERS: SiteBrowserSource = {
  async launch(options) {
    const browser = await workerBrowser(options);
    holders.set(browser, (holders.get(browser) ?? 0) + 1);
    return browser;
  },
  async done(browser) {
    const left = (holders.get(browser) ?? 1) - 1;
    holders.set(browser, left);
    if (left === 0) await Promise.allSettled(browser.contexts().map((context) => context.close()));
  },
};
