// Seed 003 as its author saw it, in a real Chromium: the demo mashup on its own origin, one page per app,
// each with its own dummy user's ticket, working as a real mashup (csrf token, engine WebSocket through
// the host allow list, live data, a selection, an image, an export). Two tabs in one partition: after
// tab 2 opens, tab 1's WebSocket still works as its own user while its image and export fail; two
// isolated partitions: everything works.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartitionPage } from '../../electron/hosts/browser-host';
import { ChromiumHost } from '../../electron/hosts/chromium-host';
import { startDemoMashup, type DemoMashup } from '../../electron/simulator/demo-mashup';
import { demoSite } from '../../electron/simulator/demo-site';
import { Simulator } from '../../electron/simulator/simulator';
import { testPki } from '../support/test-site';
import { WORKER_SITE_BROWSERS } from './worker-browsers';

let sim: Simulator;
let mashup: DemoMashup;
let host: ChromiumHost;
let work: string;

beforeAll(async () => {
  sim = await Simulator.start({ site: demoSite(), pki: testPki() });
  mashup = await startDemoMashup(sim);
  // The admin's part of embedding (qlik-protocol.md): the mashup's origin in the CORS headers of /ticket.
  sim.state.virtualProxyByPrefix('ticket')!.additionalResponseHeaders = [
    `Access-Control-Allow-Origin: ${mashup.origin}`,
    'Access-Control-Allow-Credentials: true',
    'Access-Control-Expose-Headers: qlik-csrf-token',
  ].join('\n');
  work = mkdtempSync(join(tmpdir(), 'usher-mashup-'));
  host = new ChromiumHost({ partitionsDir: join(work, 'partitions'), siteBrowsers: WORKER_SITE_BROWSERS });
  await host.trustOrigins(sim.pki.ca.certPem, [mashup.origin, sim.node('central').hub]);
}, 120_000);

afterAll(async () => {
  await host?.close();
  await mashup?.stop();
  await sim?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function openTab(partitionId: string, appId: string): Promise<PartitionPage> {
  const page = await host.openPartition({ partitionId, caPem: sim.pki.ca.certPem });
  await page.goto(mashup.pageUrl(appId));
  return page;
}

describe('the demo mashup in real Chromium partitions', () => {
  it('one shared partition: tab 1 keeps its WebSocket as A1, its image and export fail as A2', async () => {
    mashup.reset();
    const tab1 = await openTab('mashup-shared', 'a1-sales');
    const open1 = await mashup.report('a1-sales', 'open');
    expect(open1.error).toBeUndefined();
    expect(open1.socketUser).toBe('UserDirectory=MASHUP; UserId=a1-sales');
    expect(open1.rows).toEqual(['North', 'South', 'East', 'West']);
    const tab2 = await openTab('mashup-shared', 'a2-finance');
    expect((await mashup.report('a2-finance', 'open')).socketUser).toBe('UserDirectory=MASHUP; UserId=a2-finance');
    mashup.recheck();
    const back1 = await mashup.report('a1-sales', 'recheck');
    expect(back1).toMatchObject({ socketUser: 'UserDirectory=MASHUP; UserId=a1-sales', selectionRows: ['North'], imageStatus: 403, exportStatus: 403 });
    expect(await mashup.report('a2-finance', 'recheck')).toMatchObject({ selectionRows: ['Q1'], imageStatus: 200, exportStatus: 200 });
    await Promise.all([tab1.close(), tab2.close()]);
  });

  it('two isolated partitions: both tabs work', async () => {
    mashup.reset();
    const tab1 = await openTab('mashup-tab-1', 'a1-sales');
    await mashup.report('a1-sales', 'open');
    const tab2 = await openTab('mashup-tab-2', 'a2-finance');
    await mashup.report('a2-finance', 'open');
    mashup.recheck();
    expect(await mashup.report('a1-sales', 'recheck')).toMatchObject({
      socketUser: 'UserDirectory=MASHUP; UserId=a1-sales',
      imageStatus: 200,
      exportStatus: 200,
    });
    expect(await mashup.report('a2-finance', 'recheck')).toMatchObject({ imageStatus: 200, exportStatus: 200 });
    await Promise.all([tab1.close(), tab2.close()]);
  });
});
