// The command line playwright-core really builds from chromiumLaunchOptions, caught by a stand-in
// "browser" that writes its arguments down and exits: no Chromium is started.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../../electron/hosts/chromium-launch';

const dir = mkdtempSync(join(tmpdir(), 'usher-launch-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function launchArgs(): Promise<string[]> {
  const argsFile = join(dir, 'args.txt');
  const browser = join(dir, 'chromium');
  writeFileSync(browser, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nexit 1\n`);
  chmodSync(browser, 0o755);
  await expect(chromium.launch({ ...chromiumLaunchOptions({ executablePath: browser, headless: true }), timeout: 10_000 })).rejects.toThrow();
  return readFileSync(argsFile, 'utf8').split('\n');
}

describe('chromiumLaunchOptions on the command line playwright builds', () => {
  it('keeps every feature playwright turns off in the one --disable-features Chromium heeds, and adds the omnibox popups', async () => {
    const lists = (await launchArgs()).filter((arg) => arg.startsWith('--disable-features=')).map((arg) => arg.slice('--disable-features='.length).split(','));
    // Playwright's own list first, ours last: Chromium takes only the last one.
    expect(lists.length).toBe(2);
    const [playwrights, heeded] = lists as [string[], string[]];
    expect(playwrights.length).toBeGreaterThan(5);
    expect(heeded).toEqual(expect.arrayContaining(playwrights));
    expect(heeded).toEqual(expect.arrayContaining(['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup']));
  });
});
