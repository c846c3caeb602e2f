// The benchmark must keep running and writing its figures (values are not asserted: timings belong to
// `npm run bench`, never to tests). A project of its own (`npm run test:bench`, in CI), out of `npm test`:
// it runs every section of the benchmark, which takes about a minute.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { findChromium } from '../../electron/hosts/chromium-launch';

it('npm run bench --quick prints the table and writes every figure key', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'usher-bench-')), 'figures.json');
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, '..', '..', 'bin', 'bench.js'), '--quick', '--json', file], {
    timeout: 120_000,
  });
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
  // (c, i) against a site in its own process: 100 engine sessions held with --quick.
  for (const key of [
    'oneSocketCallsPerSecond',
    'fiftySocketsCallsPerSecond',
    'oneSocketSiteCpuUsPerCall',
    'siteRssAddedMb',
    'siteRssPerSessionKb',
    'ticketsPerSecondCrossProcess',
    'siteCpuUsPerTicket',
  ]) {
    expect(typeof figures.engine?.[key]).toBe('number');
  }
  expect(figures.engine?.heldSessions).toBe(100);
  expect(figures.engine?.engineSessionsCounted).toBe(100);
  expect(stdout).toMatch(/engine calls, 50 sockets/);
  for (const key of ['nodeMs', 'versionMs', 'sessionsDemoMs', 'versionRatio']) expect(typeof figures.cli?.[key]).toBe('number');
  expect(stdout).toMatch(/usher --version/);
  // (g) isolated partitions: 4 with --quick; skipped (with the reason) without a browser or /proc - but
  // never under CI, which installs chromium: there a skip would hide a broken section.
  if (Boolean(process.env.CI) || (findChromium() && process.platform === 'linux')) {
    expect(figures.partitions?.partitions).toBe(4);
    for (const key of [
      'totalMs',
      'openMedianMs',
      'openP95Ms',
      'openFirstMs',
      'ticketMedianMs',
      'perPartitionMarginalKb',
      'perPartitionAmortisedKb',
      'perPartitionMarginalRssKb',
      'perPartitionAmortisedRssKb',
      'nodeHeapDeltaKb',
      'nodeRssDeltaKb',
    ]) {
      expect(typeof figures.partitions?.[key]).toBe('number');
    }
    expect(figures.partitions?.memoryMeasure).toMatch(/^(pss|rss)$/);
    expect(stdout).toMatch(/4 isolated partitions, ticket each/);
  } else {
    expect(typeof figures.partitions?.skipped).toBe('string');
  }
}, 150_000);
