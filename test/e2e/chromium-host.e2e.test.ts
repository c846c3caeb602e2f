// The chromium host's partitions against the simulated site in a real Chromium: TLS pinned to the site
// CA (a wrong CA is refused with the core's diagnosis, never bypassed), one cookie jar per partition id
// shared by its windows, session API injection, in-page requests, downloads and partition storage.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QlikConnection } from '../../electron/core/qlik';
import { ChromiumHost } from '../../electron/hosts/chromium-host';
import { demoSite } from '../../electron/simulator/demo-site';
import { Simulator } from '../../electron/simulator/simulator';
import { CertificateAuthority } from '../../electron/simulator/pki';
import { testPki } from '../support/test-site';
import type { PartitionPage } from '../../electron/hosts/browser-host';

let sim: Simulator;
let connection: QlikConnection;
let host: ChromiumHost;
let work: string;
let partitionsDir: string;

beforeAll(async () => {
  sim = await Simulator.start({ site: demoSite(), pki: testPki() });
  connection = new QlikConnection({ ca: sim.pki.ca.certPem, client: { certPem: sim.pki.client.certPem, keyPem: sim.pki.client.keyPem } });
  work = mkdtempSync(join(tmpdir(), 'usher-partitions-'));
  partitionsDir = join(work, 'partitions');
  host = new ChromiumHost({ partitionsDir });
});

afterAll(async () => {
  await host?.close();
  await connection?.close();
  await sim?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function ticketFor(userId: string): Promise<string> {
  return (await connection.qps(sim.node('central').qps, 'ticket').requestTicket({ userDirectory: 'DEMO', userId })).ticket;
}

const TICKET_VP = demoSite().virtualProxies.find((vp) => vp.prefix === 'ticket')!;

/** A session made through the QPS session API, as the console injects it: a fresh id, then its cookie. */
async function injectSession(page: PartitionPage, user: { userDirectory: string; userId: string }): Promise<string> {
  const sessionId = randomBytes(16).toString('hex');
  await connection.qps(sim.node('central').qps, 'ticket').addSession({ ...user, sessionId });
  await page.setCookie({
    url: `${sim.node('central').hub}/`,
    name: TICKET_VP.sessionCookieHeaderName,
    value: sessionId,
    path: '/',
    secure: TICKET_VP.hasSecureAttributeHttps,
    httpOnly: true,
    sameSite: 'None',
  });
  return sessionId;
}

const site = (path: string) => `${sim.node('central').hub}/ticket${path}`;
const caPem = () => sim.pki.ca.certPem;

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
    // Another site's CA (one key, not a whole site PKI): the node's certificate does not chain to it.
    const other = CertificateAuthority.create({ commonName: 'usher-other-CA' });
    const partition = await host.openPartition({ partitionId: 'wrong-ca', caPem: other.certPem });
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

describe('chromium host: jars shared by id, session injection, requests and downloads', () => {
  it('shares one jar between the windows of a partition id, and none with another id', async () => {
    const tabA = await host.openPartition({ partitionId: 'shared', caPem: caPem() });
    const tabB = await host.openPartition({ partitionId: 'shared', caPem: caPem() });
    const other = await host.openPartition({ partitionId: 'isolated', caPem: caPem() });
    expect(await tabA.goto(`${site('/hub/')}?qlikTicket=${await ticketFor('alice')}`)).toEqual({ status: 200, url: site('/hub/') });
    // Tab B never saw a ticket: the jar's cookie logs it in.
    expect(await tabB.goto(site('/hub/'))).toEqual({ status: 200, url: site('/hub/') });
    expect((await tabB.fetchJson(site('/qps/user'))).body).toMatchObject({ userId: 'alice' });
    expect(tabB.url()).toBe(site('/hub/'));
    await other.goto(site('/qps/user'));
    expect((await other.fetchJson(site('/qps/user'))).body).toEqual({ session: 'inactive' });
    expect(await other.cookies()).toEqual([]);

    // The deliberately shared jar reproduces seed 003: bob's ticket in tab B turns tab A into bob.
    await tabB.goto(`${site('/hub/')}?qlikTicket=${await ticketFor('bob')}`);
    expect((await tabA.fetchJson(site('/qps/user'))).body).toMatchObject({ userId: 'bob' });

    // Closing one window leaves the jar to the other.
    await tabA.close();
    expect((await tabB.fetchJson(site('/qps/user'))).body).toMatchObject({ userId: 'bob' });
    await expect(tabA.fetchJson(site('/qps/user'))).rejects.toMatchObject({ code: 'CLOSED' });
    await tabB.close();
    await other.close();
    // The jar ended with its last window: the id opens a fresh one.
    const again = await host.openPartition({ partitionId: 'shared', caPem: caPem() });
    await again.goto(site('/qps/user'));
    expect((await again.fetchJson(site('/qps/user'))).body).toEqual({ session: 'inactive' });
    await again.close();
  });

  it('refuses a second window with another CA for an open id', async () => {
    const first = await host.openPartition({ partitionId: 'mismatch', caPem: caPem() });
    await expect(
      host.openPartition({ partitionId: 'mismatch', caPem: CertificateAuthority.create({ commonName: 'usher-mismatch-CA' }).certPem }),
    ).rejects.toMatchObject({
      code: 'PARTITION_MISMATCH',
    });
    await first.close();
  });

  it('logs in through a session made with the QPS session API and a cookie set in the jar', async () => {
    const page = await host.openPartition({ partitionId: 'injected', caPem: caPem() });
    const sessionId = await injectSession(page, { userDirectory: 'DEMO', userId: 'bob' });
    expect(await page.goto(site('/hub/'))).toEqual({ status: 200, url: site('/hub/') });
    expect((await page.fetchJson(site('/qps/user'))).body).toMatchObject({ userDirectory: 'DEMO', userId: 'bob' });
    const cookies = await page.cookies();
    expect(cookies).toEqual([
      { name: TICKET_VP.sessionCookieHeaderName, value: sessionId, domain: 'localhost', path: '/', secure: true, httpOnly: true, sameSite: 'None' },
    ]);
    await page.close();
  });

  it('answers status, type and size of in-page requests: an app image, and one the user may not see', async () => {
    const page = await host.openPartition({ partitionId: 'images', caPem: caPem() });
    await injectSession(page, { userDirectory: 'MASHUP', userId: 'a1-sales' });
    await page.goto(site('/sense/app/a1-sales'));
    const image = await page.fetchStatus(site('/appcontent/a1-sales/logo.png'));
    expect(image).toMatchObject({ status: 200, contentType: 'image/png' });
    expect(image.bytes).toBeGreaterThan(8);
    expect((await page.fetchStatus(site('/appcontent/a2-finance/logo.png'))).status).toBe(403);
    await expect(page.fetchStatus('https://example.invalid/x.png')).rejects.toMatchObject({ code: 'CROSS_ORIGIN_FETCH' });
    await page.close();
    // Without a session the proxy sends the request to the authentication module: not followed, status 0.
    const anonymous = await host.openPartition({ partitionId: 'anonymous', caPem: caPem() });
    await anonymous.goto(site('/qps/user'));
    expect(await anonymous.fetchStatus(site('/appcontent/a1-sales/logo.png'))).toEqual({ status: 0, contentType: '', bytes: 0 });
    await anonymous.close();
  });

  it('saves an app export into the partition downloads folder and lists it; refuses without a folder', async () => {
    const downloadsDir = join(work, 'downloads-sales');
    const page = await host.openPartition({ partitionId: 'exports', caPem: caPem(), downloadsDir });
    await injectSession(page, { userDirectory: 'MASHUP', userId: 'a1-sales' });
    await page.goto(site('/sense/app/a1-sales'));
    const exportUrl = site('/tempcontent/a1-sales/a1-sales-export.csv');
    const saved = await page.download(exportUrl);
    expect(saved).toMatchObject({ url: exportUrl, path: join(downloadsDir, 'a1-sales-export.csv') });
    expect(saved.error).toBeUndefined();
    expect(readFileSync(saved.path!, 'utf8')).toContain('Sales');
    expect(saved.bytes).toBe(readFileSync(saved.path!).length);
    // A second copy never overwrites the first.
    const second = await page.download(exportUrl);
    expect(second.path).toBe(join(downloadsDir, 'a1-sales-export (1).csv'));
    expect(page.downloads()).toEqual([saved, second]);
    await page.close();

    const refusing = await host.openPartition({ partitionId: 'no-downloads', caPem: caPem() });
    await injectSession(refusing, { userDirectory: 'MASHUP', userId: 'a1-sales' });
    await refusing.goto(site('/sense/app/a1-sales'));
    await expect(refusing.download(exportUrl)).rejects.toMatchObject({ code: 'DOWNLOADS_OFF' });
    expect(refusing.downloads()).toEqual([]);
    await refusing.close();
  });

  it('clears the jar of a partition, its windows staying open', async () => {
    const page = await host.openPartition({ partitionId: 'cleared', caPem: caPem() });
    await injectSession(page, { userDirectory: 'DEMO', userId: 'alice' });
    await page.goto(site('/hub/'));
    expect(await page.cookies()).toHaveLength(1);
    await host.clearPartition('cleared');
    expect(await page.cookies()).toEqual([]);
    expect((await page.fetchJson(site('/qps/user'))).body).toEqual({ session: 'inactive' });
    await page.close();
  });

  it('keeps a persistent partition in its folder until destroyed', async () => {
    const page = await host.openPartition({ partitionId: 'kept', caPem: caPem(), persistent: true });
    await injectSession(page, { userDirectory: 'DEMO', userId: 'alice' });
    await page.goto(site('/hub/'));
    const folder = join(partitionsDir, 'kept');
    expect(existsSync(folder)).toBe(true);
    // A second window of the persistent jar shares its cookies.
    const second = await host.openPartition({ partitionId: 'kept', caPem: caPem(), persistent: true });
    await second.goto(site('/hub/'));
    expect((await second.fetchJson(site('/qps/user'))).body).toMatchObject({ userId: 'alice' });
    await host.destroyPartition('kept');
    expect(existsSync(folder)).toBe(false);
    await expect(page.goto(site('/hub/'))).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(host.openPartition({ partitionId: 'Kept', caPem: caPem(), persistent: true })).rejects.toMatchObject({ code: 'INVALID_PARTITION_ID' });
  });

  it('removes only the partition folders it was not told to keep, never an open one', async () => {
    mkdirSync(join(partitionsDir, 'orphan-1'), { recursive: true });
    writeFileSync(join(partitionsDir, 'orphan-1', 'Cookies'), 'x');
    mkdirSync(join(partitionsDir, 'keep-me'), { recursive: true });
    writeFileSync(join(partitionsDir, 'notes.txt'), 'not a partition');
    const live = await host.openPartition({ partitionId: 'live', caPem: caPem(), persistent: true });
    await live.goto(site('/qps/user'));
    expect(await host.removeOrphanPartitions(new Set(['keep-me']))).toEqual(['orphan-1']);
    expect(readdirSync(partitionsDir).sort()).toEqual(['keep-me', 'live', 'notes.txt']);
    await live.close();
  });
});
