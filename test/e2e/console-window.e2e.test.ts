// The chromium host's console window as `npm start` opens it: an app window titled after its section,
// at the default size the first time and where it was left the next.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import type { Handlers } from '../../electron/ipc/router';
import { openChromiumConsole, type ChromiumConsole } from '../../electron/hosts/chromium-console';
import { DEFAULT_WINDOW_SIZE } from '../../electron/hosts/console-window-state';
import { RENDERER_DIST } from '../../scripts/build-api';

const work = mkdtempSync(join(tmpdir(), 'usher-window-'));
const stateFile = join(work, 'console-window.json');
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The window's place and size are all this test looks at: no handler needs to answer.
const handlers = new Proxy({}, { get: () => () => new Promise(() => undefined) }) as unknown as Handlers;

async function windowBounds(win: ChromiumConsole) {
  const cdp = await win.page.context().newCDPSession(win.page);
  const { windowId } = (await cdp.send('Browser.getWindowForTarget')) as { windowId: number };
  return { cdp, windowId, bounds: (await cdp.send('Browser.getWindowBounds', { windowId })).bounds };
}

it('opens at the default size, keeps where the window was moved, and opens there next time', async () => {
  const first = await openChromiumConsole({ rendererDir: RENDERER_DIST, handlers, windowStateFile: stateFile });
  try {
    const { cdp, windowId, bounds } = await windowBounds(first);
    expect({ width: bounds.width, height: bounds.height }).toEqual(DEFAULT_WINDOW_SIZE);
    await cdp.send('Browser.setWindowBounds', { windowId, bounds: { left: 40, top: 30, width: 1000, height: 700 } });
    await vi.waitFor(() => expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ left: 40, top: 30, width: 1000, height: 700, maximized: false }), {
      timeout: 5_000,
    });
  } finally {
    await first.close();
  }

  const second = await openChromiumConsole({ rendererDir: RENDERER_DIST, handlers, windowStateFile: stateFile });
  try {
    const { bounds } = await windowBounds(second);
    expect(bounds).toMatchObject({ left: 40, top: 30, width: 1000, height: 700 });
  } finally {
    await second.close();
  }
});
