// The chromium host's partitions against the simulated site in a real Chromium: TLS pinned to the site
// CA (a wrong CA is refused with the core's diagnosis, never bypassed), one cookie jar per partition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QlikConnection } from '../../electron/core/qlik';
import { ChromiumHost } from '../../electron/hosts/chromium-host';
import { demoSite } from '../../electron/simulator/demo-site';
import { Simulator } from '../../electron/simulator/simulator';
import { createSitePki } from '../../electron/simulator/site-pki';

let sim: Simulator;
let connection: QlikConnection;
let host: ChromiumHost;

beforeAll(async () => {
  sim = await Simulator.start({ site: demoSite() });
  connection = new QlikConnection({ ca: sim.pki.ca.certPem, client: { certPem: sim.pki.client.certPem, keyPem: sim.pki.client.keyPem } });
  host = new ChromiumHost();
});

afterAll(async () => {
  await host?.close();
  await connection?.close();
  await sim?.stop();
});

async function ticketFor(userId: string): Promise<string> {
  return (await connection.qps(sim.node('central').qps, 'ticket').requestTicket({ userDirectory: 'DEMO', userId })).ticket;
}

describe('chromium host partitions', () => {
  it('redeems tickets for two users in two partitions without mixing their sessions', async () => {
    const hub = `${sim.node('central').hub}/ticket/hub/`;
    const alice = await host.openPartition({ partitionId: 'alice', caPem: sim.pki.ca.certPem });
    const bob = await host.openPartition({ partitionId: 'bob', caPem: sim.pki.ca.certPem });
    expect(await alice.goto(`${hub}?qlikTicket=${await ticketFor('alice')}`)).toEqual({ status: 200, url: hub });
    expect((await bob.goto(`${hub}?qlikTicket=${await ticketFor('bob')}`)).status).toBe(200);
    expect((await alice.fetchJson(new URL('/ticket/qps/user', hub).href)).body).toMatchObject({ userId: 'alice' });
    expect((await bob.fetchJson(new URL('/ticket/qps/user', hub).href)).body).toMatchObject({ userId: 'bob' });
    const [a] = await alice.cookies();
    const [b] = await bob.cookies();
    expect(a?.value).not.toBe(b?.value);
    await expect(alice.fetchJson('https://example.invalid/')).rejects.toMatchObject({ code: 'CROSS_ORIGIN_FETCH' });
  });

  it('refuses a node whose certificate does not chain to the pinned CA', async () => {
    const other = createSitePki('usher-other-CA');
    const partition = await host.openPartition({ partitionId: 'wrong-ca', caPem: other.ca.certPem });
    await expect(partition.goto(`${sim.node('central').hub}/hub/`)).rejects.toMatchObject({ code: 'UNTRUSTED_SERVER_CERT' });
    expect(await partition.cookies()).toEqual([]);
  });

  it('opens https only', async () => {
    const partition = await host.openPartition({ partitionId: 'plain', caPem: sim.pki.ca.certPem });
    await expect(partition.goto('http://localhost:1/')).rejects.toThrow(/https/);
  });

  it('keeps the clipboard text host-side', async () => {
    await host.writeClipboard('copied');
    expect(host.lastClipboard).toBe('copied');
  });
});
