// What the browser hosts put on disk for partitions: ids that can name a folder (lowercase when
// persistent), download names that cannot leave the downloads folder, and orphan folder cleanup.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPartitionId, isInside, removeOrphanFolders, reserveDownloadPath, safeDownloadName } from '../../electron/hosts/partition-storage';

const work = mkdtempSync(join(tmpdir(), 'usher-partition-storage-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('partition ids', () => {
  it('accepts folder-safe ids, and only lowercase ones for persistent partitions', () => {
    expect(() => checkPartitionId('Ticket-1.a_b', false)).not.toThrow();
    expect(() => checkPartitionId('ticket-1.a_b', true)).not.toThrow();
    expect(() => checkPartitionId('Ticket-1', true)).toThrow(expect.objectContaining({ code: 'INVALID_PARTITION_ID' }));
    for (const bad of ['', '.', '..', '../x', 'a/b', 'a\\b', 'persist:x', 'a b', 'x'.repeat(101)]) {
      expect(() => checkPartitionId(bad, false), bad).toThrow(/partition id/);
    }
  });
});

describe('download names', () => {
  it('keeps only the last path part, without traversal, hidden names, control or reserved characters', () => {
    expect(safeDownloadName('a1-sales-export.csv')).toBe('a1-sales-export.csv');
    expect(safeDownloadName('../../etc/passwd')).toBe('passwd');
    expect(safeDownloadName('C:\\Windows\\evil.exe')).toBe('evil.exe');
    expect(safeDownloadName('..')).toBe('download');
    expect(safeDownloadName('.profile')).toBe('profile');
    expect(safeDownloadName('a\u0000b:c?.csv')).toBe('a_b_c_.csv');
    expect(safeDownloadName('CON.txt')).toBe('download-CON.txt');
    const long = safeDownloadName(`${'x'.repeat(300)}.csv`);
    expect(long.length).toBeLessThanOrEqual(120);
    expect(long.endsWith('.csv')).toBe(true);
  });

  it('claims a new file inside the folder, never overwriting an earlier one', () => {
    const dir = join(work, 'downloads');
    const first = reserveDownloadPath(dir, 'export.csv');
    const second = reserveDownloadPath(dir, '../export.csv');
    expect([first, second]).toEqual([join(dir, 'export.csv'), join(dir, 'export (1).csv')]);
    expect(isInside(dir, first)).toBe(true);
    expect(isInside(dir, join(dir, '..', 'export.csv'))).toBe(false);
    expect(isInside(dir, `${dir}-sibling/x`)).toBe(false);
  });
});

describe('orphan partition folders', () => {
  it('deletes partition folders not kept, leaving files and folders that are no partition id', async () => {
    const root = join(work, 'partitions');
    for (const name of ['gone-1', 'gone-2', 'kept', 'Not An Id']) mkdirSync(join(root, name, 'Default'), { recursive: true });
    writeFileSync(join(root, 'gone-1', 'Default', 'Cookies'), 'x');
    writeFileSync(join(root, 'stray-file'), 'x');
    expect(await removeOrphanFolders(root, new Set(['kept']))).toEqual(['gone-1', 'gone-2']);
    expect(readdirSync(root).sort()).toEqual(['Not An Id', 'kept', 'stray-file']);
    expect(await removeOrphanFolders(join(work, 'missing'), new Set())).toEqual([]);
  });
});
