// The benchmark must keep running and writing its figures (values are not asserted: timings belong to
// `npm run bench`, never to tests).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('npm run bench --quick prints the table and writes every figure key', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'usher-bench-')), 'figures.json');
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, '..', '..', 'bin', 'bench.js'), '--quick', '--json', file], { timeout: 120_000 });
  expect(stdout).toMatch(/ratio pooled \/ per connection/);
  const figures = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  expect(typeof figures.ticketPooledVsPerConnection?.ratio).toBe('number');
  expect(typeof figures.inventory?.ms).toBe('number');
  expect(typeof figures.simulatorTicketsPerSecond).toBe('number');
  expect(figures.inventory?.sessions).toBe(9000);
  expect(figures.inventory?.nodeVirtualProxyPairs).toBe(900);
  for (const key of ['ms', 'firstRunMs', 'modelMs', 'rendererWindowMs']) expect(typeof figures.inspector?.[key]).toBe('number');
  expect(figures.inspector?.sessions).toBe(2000);
  expect(figures.inspector?.users).toBe(400);
  expect(figures.inspector?.nodeVirtualProxyPairs).toBe(900);
  expect(stdout).toMatch(/session inspector refresh to data/);
}, 150_000);
