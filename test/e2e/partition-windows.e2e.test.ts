// Partition windows say who they are, in real Chromium through the chromium host on the demo site: the
// window's title names its colour, user, site and partition (over the hub's own title, also after the
// page moves on), and "Bring to front" in Partitions reaches the window's page.bringToFront.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumHost } from '../../electron/hosts/chromium-host';
import type { ChromiumPartition } from '../../electron/hosts/chromium-partition';
import type { PartitionPage } from '../../electron/hosts/browser-host';
import { partitionColour, partitionColourEmoji } from '../../shared/partition-colour';
import { lazy } from '../support/cert-fixtures';
import { testPki } from '../support/test-site';
import { openConsoleHarness, type ConsoleHarness } from './console-harness';
import { WORKER_SITE_BROWSERS } from './worker-browsers';

class RecordingHost extends ChromiumHost {
  readonly pages = new Map<string, ChromiumPartition>();
  override async openPartition(...args: Parameters<ChromiumHost['openPartition']>): Promise<PartitionPage> {
    const page = await super.openPartition(...args);
    this.pages.set(page.partitionId, page as ChromiumPartition);
    return page;
  }
}

const pki = testPki();
let harness: ConsoleHarness<RecordingHost>;

beforeAll(async () => {
  harness = await openConsoleHarness({
    tempPrefix: 'usher-e2e-partition-windows-',
    host: (dataDir) => new RecordingHost({ partitionsDir: join(dataDir, 'browser-partitions'), siteBrowsers: WORKER_SITE_BROWSERS }),
    backend: { demoPki: pki },
    timeoutMs: 20_000,
  });
}, 120_000);

afterAll(() => harness?.close());

/** DEMO\alice opened on /ticket by a ticket, in a partition of her own: its id and window. */
const alice = lazy(async () => {
  const { backend, host } = harness;
  const ticket = await backend.handlers['tickets.request']({
    profileId: 'demo',
    virtualProxy: 'ticket',
    userDirectory: 'DEMO',
    userId: 'alice',
    attributes: [],
  });
  const opened = await backend.handlers['tickets.open']({ ticketId: ticket.ticketId, target: { kind: 'hub' } });
  const { partitionId } = opened;
  return { partitionId, window: host.pages.get(partitionId)!.currentPage()! };
});

describe('partition windows in Chromium', () => {
  it('titles the window with colour, user, site and partition, and keeps it when the page changes its own', async () => {
    const { partitionId, window } = await alice();
    const colour = partitionColour(partitionId);
    const site = (await harness.backend.handlers['profiles.list']({})).profiles.find((p) => p.id === 'demo')!.name;
    const expected = `${partitionColourEmoji(colour)} DEMO\\alice - ${site} - partition DEMO\\alice on /ticket (${colour}) - Usher`;
    await expect.poll(() => window.title()).toBe(expected);
    // The hub renames its tab as apps open: the window keeps its name.
    await window.evaluate(() => {
      (globalThis as unknown as { document: { title: string } }).document.title = 'Qlik Sense Hub';
    });
    await expect.poll(() => window.title()).toBe(expected);
    // And on the next document the window shows.
    await window.reload();
    await expect.poll(() => window.title()).toBe(expected);
  });

  it('brings the window to the front from the Partitions section', async () => {
    const { window } = await alice();
    let fronted = 0;
    const original = window.bringToFront.bind(window);
    window.bringToFront = async () => {
      fronted++;
      return original();
    };
    const { page } = harness;
    await harness.showSection('Partitions');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('button', { name: 'Bring to front the window of DEMO\\alice on /ticket' }).click();
    await page.getByText('The window of “DEMO\\alice on /ticket” is in front.').waitFor();
    expect(fronted).toBe(1);
    expect(await window.evaluate(() => (globalThis as unknown as { document: { visibilityState: string } }).document.visibilityState)).toBe('visible');
  });
});
