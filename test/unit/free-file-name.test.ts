// The first free file name in a folder Usher writes into without asking (exports from the chromium host,
// partition downloads): numbered as browsers number downloads, claimed by an exclusive create so no file
// is ever replaced, and distinct for claims made at the same moment from several threads.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimFreeFile, numberedFileName } from '../../electron/core/fs/free-file-name';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'usher-free-name-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('numbering a file name', () => {
  it('puts the number before the last extension, as browsers do', () => {
    expect(numberedFileName('a.csv', 0)).toBe('a.csv');
    expect(numberedFileName('a.csv', 1)).toBe('a (1).csv');
    expect(numberedFileName('Sales v1.2.csv', 3)).toBe('Sales v1.2 (3).csv');
    expect(numberedFileName('README', 2)).toBe('README (2)');
    expect(numberedFileName('.hidden', 2)).toBe('.hidden (2)');
  });

  it('keeps .junit.xml and compressed tarballs whole', () => {
    expect(numberedFileName('usher-checks-demo.junit.xml', 1)).toBe('usher-checks-demo (1).junit.xml');
    expect(numberedFileName('site.tar.gz', 2)).toBe('site (2).tar.gz');
    expect(numberedFileName('notes.xml', 1)).toBe('notes (1).xml');
  });
});

describe('claiming a free file', () => {
  it('takes the name itself when it is free: an empty file, owner-only', () => {
    const path = claimFreeFile(dir, 'export.csv');
    expect(path).toBe(join(dir, 'export.csv'));
    expect(readFileSync(path!, 'utf8')).toBe('');
    expect(statSync(path!).mode & 0o777).toBe(0o600);
  });

  it('takes the next free number past several taken ones, replacing none of them', () => {
    for (const taken of ['export.csv', 'export (1).csv', 'export (2).csv', 'export (4).csv']) writeFileSync(join(dir, taken), taken);
    expect(claimFreeFile(dir, 'export.csv')).toBe(join(dir, 'export (3).csv'));
    expect(claimFreeFile(dir, 'export.csv')).toBe(join(dir, 'export (5).csv'));
    for (const taken of ['export.csv', 'export (1).csv', 'export (2).csv', 'export (4).csv']) expect(readFileSync(join(dir, taken), 'utf8')).toBe(taken);
  });

  it('answers no path once a thousand copies are taken', () => {
    for (let n = 0; n < 1000; n++) writeFileSync(join(dir, numberedFileName('full.csv', n)), '');
    expect(claimFreeFile(dir, 'full.csv')).toBeUndefined();
    expect(readdirSync(dir)).toHaveLength(1000);
  });

  it('refuses a name with folder parts, creating nothing', () => {
    for (const bad of ['../x.csv', 'sub/x.csv', '..', '.', '']) expect(() => claimFreeFile(dir, bad), bad).toThrow('is not a file name');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives claims made at the same moment from four threads a hundred distinct names', async () => {
    const workers = 4;
    const each = 25;
    const code = await claimWorkerCode();
    // All threads wait at one gate (a shared counter) and claim together once the last one has arrived.
    const gate = new SharedArrayBuffer(4);
    const results = await Promise.all(
      Array.from(
        { length: workers },
        () =>
          new Promise<string[]>((resolve, reject) => {
            const worker = new Worker(code, { eval: true, workerData: { dir, name: 'export.csv', each, workers, gate } });
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
    const paths = results.flat();
    expect(new Set(paths).size).toBe(workers * each);
    expect(readdirSync(dir).sort()).toEqual(Array.from({ length: workers * each }, (_, n) => numberedFileName('export.csv', n)).sort());
  });
});

/** A worker thread's code (bundled from TypeScript): waits at the gate, then claims `each` files. */
async function claimWorkerCode(): Promise<string> {
  const { build } = await import('esbuild');
  const source = `
    import { parentPort, workerData } from 'node:worker_threads';
    import { claimFreeFile } from '../../electron/core/fs/free-file-name';
    const { dir, name, each, workers, gate } = workerData;
    const arrived = new Int32Array(gate);
    if (Atomics.add(arrived, 0, 1) + 1 === workers) Atomics.notify(arrived, 0);
    for (let seen = Atomics.load(arrived, 0); seen < workers; seen = Atomics.load(arrived, 0)) Atomics.wait(arrived, 0, seen);
    parentPort.postMessage(Array.from({ length: each }, () => claimFreeFile(dir, name)));
  `;
  const out = await build({
    stdin: { contents: source, resolveDir: __dirname, sourcefile: 'claim-worker.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'warning',
  });
  return out.outputFiles[0]!.text;
}
