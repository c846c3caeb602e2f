// The Electron host's partitions with 'electron' replaced by the recording fake: windows of one id share
// one session, cookies set through the session API mapping, downloads confined to the partition's folder
// (refused without one), and persistent partition folders cleared, destroyed and cleaned up.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
// The fake first: the host's `import 'electron'` resolves to it through vi.mock below.
import { fixtures } from '../support/cert-fixtures';
import { fakeElectron, type FakeBrowserWindow } from '../support/fake-electron';
import { createElectronHost } from '../../electron/hosts/electron-host';

vi.mock('electron', () => fakeElectron);

const state = fakeElectron.state;
const ca = fixtures.ca();
const work = mkdtempSync(join(tmpdir(), 'usher-electron-host-'));
const partitionsRoot = join(work, 'session-data', 'Partitions');

beforeEach(() => {
  state.paths.set('sessionData', join(work, 'session-data'));
});

afterAll(() => {
  state.paths.delete('sessionData');
  rmSync(work, { recursive: true, force: true });
});

function lastWindow(): FakeBrowserWindow {
  return state.windows.at(-1)!;
}

/** Opens a window of `partitionId` and puts it on the site, as goto would. */
async function openOnSite(host: ReturnType<typeof createElectronHost>, options: { partitionId: string; downloadsDir?: string; persistent?: boolean }) {
  const page = await host.openPartition({ caPem: ca.certPem, ...options });
  const window = lastWindow();
  await page.goto('https://qlik-central/ticket/sense/app/a1');
  return { page, window, contents: window.webContents };
}

describe('electron host: window titles and the front', () => {
  it("names the window over the page's own title, and brings it to the front restored", async () => {
    const host = createElectronHost();
    const page = await host.openPartition({ partitionId: 'titled', caPem: ca.certPem });
    const window = lastWindow();
    // Before the console names it, the page's title is let through.
    expect(window.emit('page-title-updated', 'Qlik Sense Hub').defaultPrevented).toBe(false);
    await page.setTitle!('DEMO\\alice - Demo site - partition titled - Usher');
    expect(window.getTitle()).toBe('DEMO\\alice - Demo site - partition titled - Usher');
    expect(window.emit('page-title-updated', 'Qlik Sense Hub').defaultPrevented).toBe(true);

    window.minimized = true;
    await page.bringToFront!();
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(1);
    await page.close();
    await expect(page.bringToFront!()).rejects.toMatchObject({ message: /was closed/ });
    await host.close();
  });
});

describe('electron host: one session per partition id', () => {
  it('gives every window of an id the same session and a window of its own, another id another session', async () => {
    const host = createElectronHost();
    const a = await host.openPartition({ partitionId: 'jar-a', caPem: ca.certPem });
    const first = lastWindow();
    const b = await host.openPartition({ partitionId: 'jar-a', caPem: ca.certPem });
    const second = lastWindow();
    await host.openPartition({ partitionId: 'jar-b', caPem: ca.certPem });
    const other = lastWindow();
    expect(second).not.toBe(first);
    expect(second.options.webPreferences!.session).toBe(first.options.webPreferences!.session);
    expect(other.options.webPreferences!.session).not.toBe(first.options.webPreferences!.session);
    // One listener per session, however many windows share it.
    expect(state.partitions.get('jar-a')!.count('will-download')).toBe(1);

    // A cookie set through one window is the other window's too.
    await a.setCookie({ url: 'https://qlik-central/', name: 'X-Qlik-Session', value: 's1', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
    expect((await b.cookies()).map((c) => c.value)).toEqual(['s1']);

    // Closing one window keeps the in-memory jar for the other; the last one empties it.
    await a.close();
    expect(first.destroyed).toBe(true);
    expect(state.partitions.get('jar-a')!.cleared).toBe(0);
    await b.close();
    expect(state.partitions.get('jar-a')!.cleared).toBe(1);
    await host.close();
  });

  it("sends a partition's login headers to that origin only, from that session only, until its jar ends", async () => {
    const host = createElectronHost();
    const a = await host.openPartition({ partitionId: 'hdr-a', caPem: ca.certPem });
    const b = await host.openPartition({ partitionId: 'hdr-a', caPem: ca.certPem });
    await host.openPartition({ partitionId: 'hdr-b', caPem: ca.certPem });
    await a.sendHeaders('https://qlik-central:8443', { 'X-Usher-User': 'carol' });
    const ses = state.partitions.get('hdr-a')!;
    expect(ses.beforeSendHeadersSet).toBe(1);
    expect(ses.sentHeaders('https://qlik-central:8443/header/hub/', { Accept: '*/*' })).toEqual({ Accept: '*/*', 'X-Usher-User': 'carol' });
    // Another port, scheme or host is another origin: nothing added.
    for (const url of [
      'https://qlik-central/header/hub/',
      'http://qlik-central:8443/header/hub/',
      'https://evil.example:8443/',
      'https://sub.qlik-central:8443/',
    ]) {
      expect(ses.sentHeaders(url, { Accept: '*/*' })).toEqual({ Accept: '*/*' });
    }
    // The other partition's session never has them.
    expect(state.partitions.get('hdr-b')!.sentHeaders('https://qlik-central:8443/header/hub/')).toEqual({});
    // A header the page sent itself under that name (any case) is replaced, not doubled.
    expect(ses.sentHeaders('https://qlik-central:8443/x', { 'x-usher-user': 'mallory' })).toEqual({ 'X-Usher-User': 'carol' });
    await a.close();
    await b.close();
    expect(ses.sentHeaders('https://qlik-central:8443/header/hub/')).toEqual({});
    await host.close();
  });

  it('refuses a second window of an open id with another CA or persistence', async () => {
    const host = createElectronHost();
    await host.openPartition({ partitionId: 'same', caPem: ca.certPem });
    await expect(host.openPartition({ partitionId: 'same', caPem: fixtures.foreignCa().certPem })).rejects.toMatchObject({ code: 'PARTITION_MISMATCH' });
    await expect(host.openPartition({ partitionId: 'same', caPem: ca.certPem, persistent: true })).rejects.toMatchObject({ code: 'PARTITION_MISMATCH' });
    await host.close();
  });

  it('maps a session API cookie onto Electron: host-only without domain, SameSite names, no expiry', async () => {
    const host = createElectronHost();
    const page = await host.openPartition({ partitionId: 'inject', caPem: ca.certPem });
    await page.setCookie({
      url: 'https://qlik-central/ticket/hub/',
      name: 'X-Qlik-Session-ticket',
      value: 'id-1',
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'None',
    });
    await page.setCookie({
      url: 'https://qlik-central/',
      name: 'X-Qlik-Session',
      value: 'id-2',
      domain: 'corp.example',
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'Strict',
    });
    const session = state.partitions.get('inject')!;
    expect(session.cookiesSet).toEqual([
      {
        url: 'https://qlik-central/ticket/hub/',
        name: 'X-Qlik-Session-ticket',
        value: 'id-1',
        path: '/',
        secure: true,
        httpOnly: true,
        sameSite: 'no_restriction',
      },
      {
        url: 'https://qlik-central/',
        name: 'X-Qlik-Session',
        value: 'id-2',
        domain: 'corp.example',
        path: '/',
        secure: true,
        httpOnly: true,
        sameSite: 'strict',
      },
    ]);
    await expect(
      page.setCookie({ url: 'http://qlik-central/', name: 'n', value: 'v', path: '/', secure: false, httpOnly: false, sameSite: 'Lax' }),
    ).rejects.toMatchObject({ code: 'NETWORK' });
    await host.close();
  });

  it('answers the window address and in-page request results, same origin only', async () => {
    const host = createElectronHost();
    const { page, contents } = await openOnSite(host, { partitionId: 'status' });
    expect(page.url()).toBe('https://qlik-central/ticket/sense/app/a1');
    contents.isolatedWorldResult = { status: 403, contentType: 'text/html; charset=utf-8', bytes: 120 };
    await expect(page.fetchStatus('https://qlik-central/ticket/appcontent/a2/logo.png')).resolves.toEqual({
      status: 403,
      contentType: 'text/html; charset=utf-8',
      bytes: 120,
    });
    await expect(page.fetchStatus('https://elsewhere.example/logo.png')).rejects.toMatchObject({ code: 'NETWORK' });
    await page.close();
    expect(page.url()).toBe('');
    await host.close();
  });
});

describe('electron host: downloads', () => {
  const exportUrl = 'https://qlik-central/ticket/tempcontent/a1/a1-export.csv';

  it('saves into the downloads folder only, under a cleaned name, and lists what it saved', async () => {
    const downloadsDir = join(work, 'downloads');
    const host = createElectronHost();
    const { page, contents } = await openOnSite(host, { partitionId: 'dl', downloadsDir });

    contents.nextDownload = { filename: 'a1-export.csv' };
    const saved = page.download(exportUrl);
    const item = contents.downloadItems.at(-1)!;
    expect(item.savePath).toBe(join(downloadsDir, 'a1-export.csv'));
    const csv = 'app,rows\nSales,3\n';
    item.finish('completed', csv);
    await expect(saved).resolves.toEqual({ url: exportUrl, path: join(downloadsDir, 'a1-export.csv'), bytes: Buffer.byteLength(csv) });

    // A name that climbs out of the folder, an absolute one, and one that would be hidden stay inside.
    for (const filename of ['../../escape.csv', '/etc/passwd', '..\\..\\win.csv', '.bashrc']) {
      contents.nextDownload = { filename };
      const pending = page.download(exportUrl);
      const evil = contents.downloadItems.at(-1)!;
      expect(evil.savePath.startsWith(downloadsDir + '/'), evil.savePath).toBe(true);
      evil.finish('completed', 'x');
      await pending;
    }
    expect(readdirSync(downloadsDir).sort()).toEqual(['a1-export.csv', 'bashrc', 'escape.csv', 'passwd', 'win.csv']);
    expect(existsSync(join(work, 'escape.csv'))).toBe(false);

    // A second download of the same file never overwrites the first; a failed one leaves no file.
    contents.nextDownload = { filename: 'a1-export.csv' };
    const again = page.download(exportUrl);
    contents.downloadItems.at(-1)!.finish('completed', 'second');
    expect((await again).path).toBe(join(downloadsDir, 'a1-export (1).csv'));
    expect(readFileSync(join(downloadsDir, 'a1-export.csv'), 'utf8')).toContain('Sales');
    const failing = page.download(exportUrl);
    const broken = contents.downloadItems.at(-1)!;
    broken.finish('interrupted', '');
    await expect(failing).resolves.toEqual({ url: exportUrl, bytes: 0, error: 'download interrupted' });
    expect(existsSync(broken.savePath)).toBe(false);

    expect(page.downloads().map((d) => d.path ?? d.error)).toEqual([
      join(downloadsDir, 'a1-export.csv'),
      join(downloadsDir, 'escape.csv'),
      join(downloadsDir, 'passwd'),
      join(downloadsDir, 'win.csv'),
      join(downloadsDir, 'bashrc'),
      join(downloadsDir, 'a1-export (1).csv'),
      'download interrupted',
    ]);
    await expect(page.download('https://elsewhere.example/x.csv')).rejects.toMatchObject({ code: 'NETWORK' });
    await host.close();
  });

  it('refuses downloads without a downloads folder, whoever starts them', async () => {
    const host = createElectronHost();
    const { page, contents } = await openOnSite(host, { partitionId: 'no-dl' });
    await expect(page.download(exportUrl)).rejects.toMatchObject({ code: 'DOWNLOADS_OFF' });
    // A download the page starts by itself is cancelled before any path is chosen.
    contents.nextDownload = { filename: 'a1-export.csv' };
    contents.downloadURL(exportUrl);
    expect(contents.downloadItems.at(-1)!.savePath).toBe('');
    expect(page.downloads()).toEqual([]);
    await host.close();
  });

  it('gives up on a download that does not finish in time, and cancels it', async () => {
    const host = createElectronHost({ downloadTimeoutMs: 1 });
    const { page, contents } = await openOnSite(host, { partitionId: 'slow-dl', downloadsDir: join(work, 'slow') });
    contents.nextDownload = { filename: 'big.csv' };
    await expect(page.download(exportUrl)).rejects.toMatchObject({ code: 'DOWNLOAD_TIMEOUT' });
    expect(contents.downloadItems.at(-1)!.cancelled).toBe(true);
    await host.close();
  });
});

describe('electron host: persistent partitions on disk', () => {
  it('uses persist: sessions, and destroy closes the windows, clears the session and deletes its folder', async () => {
    const host = createElectronHost();
    const { page, window } = await openOnSite(host, { partitionId: 'kept-1', persistent: true });
    const session = state.partitions.get('persist:kept-1')!;
    // Stands in for what Chromium writes there.
    mkdirSync(session.storagePath!, { recursive: true });
    writeFileSync(join(session.storagePath!, 'Cookies'), 'x');
    await host.destroyPartition('kept-1');
    expect(window.destroyed).toBe(true);
    expect(session.cleared).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(partitionsRoot, 'kept-1'))).toBe(false);
    await expect(page.goto('https://qlik-central/hub/')).rejects.toMatchObject({ code: 'NETWORK' });
    // Persistent ids are lowercase: Electron folds the folder name, so "A" and "a" would share a jar.
    await expect(host.openPartition({ partitionId: 'Kept-1', caPem: ca.certPem, persistent: true })).rejects.toMatchObject({ code: 'INVALID_PARTITION_ID' });
  });

  it('clears a partition that is not open by deleting its folder; an open one through its session', async () => {
    const host = createElectronHost();
    mkdirSync(join(partitionsRoot, 'dormant'), { recursive: true });
    await host.clearPartition('dormant');
    expect(existsSync(join(partitionsRoot, 'dormant'))).toBe(false);
    const page = await host.openPartition({ partitionId: 'open-one', caPem: ca.certPem, persistent: true });
    await page.setCookie({ url: 'https://qlik-central/', name: 'X-Qlik-Session', value: 's', path: '/', secure: true, httpOnly: true, sameSite: 'None' });
    await host.clearPartition('open-one');
    expect(await page.cookies()).toEqual([]);
    expect(lastWindow().destroyed).toBe(false);
    await host.close();
  });

  it('removes orphan folders only: not the kept ones, not sessions loaded this run, not strangers', async () => {
    const host = createElectronHost();
    for (const name of ['orphan-a', 'keep-b', 'loaded-c']) mkdirSync(join(partitionsRoot, name), { recursive: true });
    writeFileSync(join(partitionsRoot, 'README'), 'not a partition');
    mkdirSync(join(partitionsRoot, 'Has Space'), { recursive: true });
    await host.openPartition({ partitionId: 'loaded-c', caPem: ca.certPem, persistent: true });
    expect(await host.removeOrphanPartitions(new Set(['keep-b']))).toEqual(['orphan-a']);
    expect(readdirSync(partitionsRoot).sort()).toEqual(['Has Space', 'README', 'keep-b', 'loaded-c'].sort());
    await host.close();
  });
});
