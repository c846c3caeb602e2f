// The partition manager's bookkeeping against a fake host and a throwaway data folder: a tampered record
// file cannot point a deletion at the data folder, a destroy racing a window leaves no untracked window,
// and a downloads folder that cannot be made is a typed error that leaves no ghost partition behind.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PartitionManager } from '../../electron/app/partition-manager';
import type { BrowserHost, PartitionOptions, PartitionPage } from '../../electron/hosts/browser-host';
import { partitionColour, partitionColourEmoji } from '../../shared/partition-colour';
import { JarHost } from '../support/jar-host';

const work = mkdtempSync(join(tmpdir(), 'usher-partition-manager-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
function freshDir(): string {
  const dir = join(work, `case-${++n}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const OWNER = { profileId: 'demo', siteName: 'Demo site', caPem: 'CA', label: 'DEMO\\alice on /ticket' };

/** A host that records what it is asked; `gate`, when set, holds openPartition until it resolves. */
class FakeHost {
  readonly kind = 'chromium' as const;
  opened: PartitionOptions[] = [];
  closedPages: string[] = [];
  destroyed: string[] = [];
  /** Each window's titles, in order, by window number (1 = the first opened). */
  titles = new Map<number, string[]>();
  /** Window numbers brought to the front, in order. */
  fronted: number[] = [];
  gate: Promise<void> | undefined;
  onOpen: ((options: PartitionOptions) => void) | undefined;

  async openPartition(options: PartitionOptions): Promise<PartitionPage> {
    this.opened.push(options);
    this.onOpen?.(options);
    if (this.gate) await this.gate;
    const closedPages = this.closedPages;
    const windowNo = this.opened.length;
    const titles = this.titles;
    const fronted = this.fronted;
    return {
      setTitle: async (title: string) => {
        titles.set(windowNo, [...(titles.get(windowNo) ?? []), title]);
      },
      bringToFront: async () => {
        fronted.push(windowNo);
      },
      partitionId: options.partitionId,
      goto: async (url: string) => ({ status: 200, url }),
      fetchJson: async () => ({ status: 200, body: null }),
      fetchStatus: async () => ({ status: 200, contentType: '', bytes: 0 }),
      url: () => 'https://site.example/hub/',
      cookies: async () => [],
      setCookie: async () => undefined,
      download: async (url: string) => ({ url, bytes: 0, error: 'no downloads' }),
      openEngine: async () => Promise.reject(new Error('no engine sockets')),
      downloads: () => [],
      sendHeaders: () => Promise.reject(new Error('login headers are not used here')),
      close: async () => {
        closedPages.push(options.partitionId);
      },
    };
  }
  async clearPartition(): Promise<void> {}
  async destroyPartition(id: string): Promise<void> {
    this.destroyed.push(id);
  }
  async removeOrphanPartitions(): Promise<string[]> {
    return [];
  }
  async writeClipboard(): Promise<void> {}
  async close(): Promise<void> {}
}

function manager(dataDir: string, host: BrowserHost | FakeHost): PartitionManager {
  return new PartitionManager({ host: host as BrowserHost, dataDir, cookieConfig: async () => [] });
}

describe('a tampered partitions.json', () => {
  it('ignores ids like ".." and "." with a message, and destroying them deletes nothing outside <data>/partitions', async () => {
    const root = freshDir();
    const dataDir = join(root, 'data');
    const host = new JarHost(join(root, 'browser-storage'));
    mkdirSync(join(dataDir, 'partitions', 'p-kept'), { recursive: true });
    // Sentinels: the data folder, the partitions folder, and the host storage's parent must all survive.
    writeFileSync(join(dataDir, 'sentinel'), 'keep');
    writeFileSync(join(dataDir, 'partitions', '.sentinel'), 'keep');
    writeFileSync(join(root, 'sentinel'), 'keep');
    const record = (id: string) => ({ id, label: id, profileId: 'demo', kind: 'isolated', createdAt: '2025-01-01T00:00:00.000Z' });
    writeFileSync(join(dataDir, 'partitions.json'), JSON.stringify({ version: 1, partitions: [record('..'), record('.'), record('p-kept')] }));

    const partitions = manager(dataDir, host);
    await partitions.start();
    const outcomes: unknown[] = [];
    for (const id of ['..', '.']) {
      outcomes.push(
        await partitions.destroy(id).then(
          () => 'destroyed',
          (e: unknown) => e,
        ),
      );
      // The test host (as the real ones) never resolves an id to a folder outside its storage.
      await host.destroyPartition(id);
    }
    expect(readFileSync(join(dataDir, 'sentinel'), 'utf8')).toBe('keep');
    expect(readFileSync(join(dataDir, 'partitions', '.sentinel'), 'utf8')).toBe('keep');
    expect(readFileSync(join(root, 'sentinel'), 'utf8')).toBe('keep');
    expect(existsSync(host.storageDir)).toBe(true);
    // They were never partitions of this console: not listed, not destroyable, and the person is told.
    expect(outcomes).toMatchObject([{ code: 'NOT_FOUND' }, { code: 'NOT_FOUND' }]);
    expect((await partitions.snapshot()).map((s) => s.partitionId)).toEqual(['p-kept']);
    expect(partitions.cleanupProblem).toMatch(/2 entries that are not a partition record \(id "\.\.", "\."\): ignored/);
    expect(readdirSync(dataDir).some((f) => f.startsWith('partitions.json.rejected-'))).toBe(true);

    // The recorded one is still destroyable, and the rewritten record file no longer lists the bad ids.
    await partitions.destroy('p-kept');
    expect(existsSync(join(dataDir, 'partitions', 'p-kept'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dataDir, 'partitions.json'), 'utf8'))).toEqual({ version: 1, partitions: [] });
    await host.close();
  });
});

describe('destroy while a window opens', () => {
  it('closes the window it would otherwise have lost, and says the partition was destroyed', async () => {
    const dataDir = freshDir();
    const host = new FakeHost();
    let release!: () => void;
    host.gate = new Promise<void>((resolve) => (release = resolve));
    const asked = new Promise<PartitionOptions>((resolve) => (host.onOpen = resolve));
    const partitions = manager(dataDir, host);
    await partitions.start();

    const opening = partitions.window({ kind: 'new', persistent: true }, OWNER);
    const { partitionId } = await asked;
    await partitions.destroy(partitionId);
    release();
    await expect(opening).rejects.toMatchObject({ code: 'NOT_FOUND', message: /destroyed while the window opened/, hint: /Open it again/ });
    expect(host.closedPages).toEqual([partitionId]);
    expect(await partitions.snapshot()).toEqual([]);
    expect(existsSync(join(dataDir, 'partitions', partitionId))).toBe(false);
    // Nothing is left for closeAll to miss.
    host.closedPages = [];
    await partitions.closeAll();
    expect(host.closedPages).toEqual([]);
  });
});

describe('window titles and bringing a window to the front', () => {
  it('names each window after its colour, user, site and partition, and renames it when another user logs in there', async () => {
    const host = new FakeHost();
    const partitions = manager(freshDir(), host);
    await partitions.start();
    const { page } = await partitions.window({ kind: 'shared' }, OWNER);
    const colour = partitionColour(page.partitionId);
    const first = host.titles.get(1)!;
    expect(first).toEqual([`${partitionColourEmoji(colour)} no login yet - Demo site - partition shared (seed 003) (${colour}) - Usher`]);
    partitions.noteLogin(page.partitionId, 'ticket', 'DEMO\\carol');
    await partitions.window({ kind: 'shared' }, OWNER);
    partitions.noteLogin(page.partitionId, 'ticket', 'DEMO\\dave');
    // Both windows of the shared jar now say they run as dave (one session cookie per virtual proxy).
    expect(host.titles.get(1)!.at(-1)).toContain('DEMO\\dave - Demo site - partition shared (seed 003)');
    expect(host.titles.get(2)!.at(-1)).toContain('DEMO\\dave - Demo site');
    expect(host.titles.get(1)!.at(-1)).not.toContain('carol');
  });

  it("brings the partition's newest window to the front, and says so when it has none", async () => {
    const host = new FakeHost();
    const partitions = manager(freshDir(), host);
    await partitions.start();
    const { page } = await partitions.window({ kind: 'new' }, OWNER);
    await partitions.window({ kind: 'existing', partitionId: page.partitionId }, OWNER);
    await partitions.bringToFront(page.partitionId);
    expect(host.fronted).toEqual([2]);
    await partitions.close(page.partitionId);
    await expect(partitions.bringToFront(page.partitionId)).rejects.toMatchObject({ code: 'NOT_FOUND', message: /has no open window/, hint: /Open a ticket/ });
    await expect(partitions.bringToFront('p-unknown')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('filesystem failures', () => {
  it('a downloads folder that cannot be made is a typed error naming the folder, and leaves no ghost partition or record', async () => {
    const dataDir = freshDir();
    // <data>/partitions is a file: mkdir below it fails with ENOTDIR even for root.
    writeFileSync(join(dataDir, 'partitions'), 'not a folder');
    const host = new FakeHost();
    const partitions = manager(dataDir, host);
    await partitions.start();
    for (const persistent of [false, true]) {
      const err = await partitions.window({ kind: 'new', persistent }, OWNER).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'STORAGE_FAILED', message: expect.stringContaining(join(dataDir, 'partitions')), hint: /write to/ });
    }
    expect(host.opened).toEqual([]);
    expect(await partitions.snapshot()).toEqual([]);
    expect(JSON.parse(readFileSync(join(dataDir, 'partitions.json'), 'utf8'))).toEqual({ version: 1, partitions: [] });
  });

  it('a partition folder that cannot be deleted on destroy is a typed error naming it', async () => {
    const dataDir = freshDir();
    const host = new FakeHost();
    host.destroyPartition = async () => {
      throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
    };
    const partitions = manager(dataDir, host);
    await partitions.start();
    const { page } = await partitions.window({ kind: 'new' }, OWNER);
    await expect(partitions.destroy(page.partitionId)).rejects.toMatchObject({ code: 'STORAGE_FAILED', message: /EBUSY/, hint: expect.any(String) });
  });
});
