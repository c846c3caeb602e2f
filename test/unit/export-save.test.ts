// Where an export lands: a path from a save dialog (written, or nothing when cancelled), or a folder
// without a dialog (a new file under the first free name, never replacing one); a folder that cannot be
// written is a typed error naming it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackendContext } from '../../electron/app/backend-context';
import type { ChecksService } from '../../electron/app/checks-service';
import { ExportService, type FileSaver } from '../../electron/app/export-service';
import { RequestLogStore } from '../../electron/app/request-log-store';
import { saveNewFile } from '../../electron/core/exports/save-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'usher-export-save-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A backend context with just what the request log export reads: the log and the profiles. */
function service(saver: FileSaver): ExportService {
  const requestLog = new RequestLogStore();
  requestLog.add({
    id: 0,
    service: 'qrs',
    method: 'GET',
    url: 'https://qlik.example.com:4242/qrs/about',
    status: 200,
    startedAt: new Date(0).toISOString(),
    durationMs: 3,
  });
  const ctx = { requestLog, now: () => 0, profiles: { list: async () => ({ profiles: [], problems: [] }) } } as unknown as BackendContext;
  return new ExportService(ctx, {} as ChecksService, saver);
}

describe('saving an export', () => {
  it('writes nothing and answers no path when the person cancels the dialog', async () => {
    const view = await service(async () => ({ chosen: undefined })).save({ what: { kind: 'requestLog' } });
    expect(view).toEqual({ fileName: 'usher-requests-1970-01-01T00-00-00.har', bytes: expect.any(Number), items: 1 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes the path the dialog returned, replacing what the person agreed to replace', async () => {
    const path = join(dir, 'mine.har');
    writeFileSync(path, 'old');
    const view = await service(async () => ({ chosen: path })).save({ what: { kind: 'requestLog' } });
    expect(view.path).toBe(path);
    expect(JSON.parse(readFileSync(path, 'utf8')).log.entries).toHaveLength(1);
  });

  it('names the folder it could not write to and what to do', async () => {
    // A folder under a plain file cannot be made, whoever runs the test (root included).
    writeFileSync(join(dir, 'plain'), '');
    const save = service(async () => ({ folder: join(dir, 'plain', 'inner') })).save({ what: { kind: 'requestLog' } });
    await expect(save).rejects.toMatchObject({
      code: 'STORAGE_FAILED',
      message: expect.stringContaining(join(dir, 'plain', 'inner')),
      hint: expect.stringContaining('folder you can write to'),
    });
  });

  it('never replaces a file in a folder: the next free name, as browsers name downloads', async () => {
    expect(await saveNewFile(dir, 'report.junit.xml', 'a')).toBe(join(dir, 'report.junit.xml'));
    expect(await saveNewFile(dir, 'report.junit.xml', 'b')).toBe(join(dir, 'report (1).junit.xml'));
    expect(readFileSync(join(dir, 'report.junit.xml'), 'utf8')).toBe('a');
    expect(readFileSync(join(dir, 'report (1).junit.xml'), 'utf8')).toBe('b');
    expect(statSync(join(dir, 'report (1).junit.xml')).mode & 0o777).toBe(0o600);
  });
});
