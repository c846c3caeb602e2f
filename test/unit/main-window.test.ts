// The Electron shell's security wiring, with 'electron' replaced by a recording fake: every window's
// webPreferences, the CSP, navigation and window.open denial, permission denial, the app:// protocol's
// path checks, the IPC sender check, and partition windows pinned to their site CA.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS, ipcChannelName, ipcEventName } from '../../shared/ipc/contract';
import { fixtures, issueCustom, leafKey } from '../support/cert-fixtures';
import { fakeElectron, type FakeBrowserWindow, type FakeSession, type FakeWebContents } from '../support/fake-electron';
import { CONSOLE_CSP } from '../../electron/bundle/csp';
import { createElectronHost } from '../../electron/hosts/electron-host';
import { denyAllPermissions } from '../../electron/hosts/electron-permissions';
import { CERT_ACCEPT, CERT_REJECT } from '../../electron/hosts/electron-cert-verify';
import { createRouter } from '../../electron/ipc/router';
import { consoleSenderCheck, forwardEvents, registerIpcHandlers } from '../../electron/main/ipc-bridge';
import { electronFileChooser, electronFileSaver } from '../../electron/main/file-dialog';
import { installMenu, menuTemplate } from '../../electron/main/menu';
import { SECTIONS, type ConsoleCommand } from '../../shared/sections';
import { CONSOLE_URL } from '../../electron/main/origin';
import { createAppProtocolHandler, registerAppScheme, resolveAppPath } from '../../electron/main/protocol';
import { applyConsoleCsp } from '../../electron/main/session-security';
import { createConsoleWindow, guardAllWebContents } from '../../electron/main/window';

// The menu's entry type, read from the module under test: tests never import 'electron' itself.
type MenuEntry = ReturnType<typeof menuTemplate>[number];

// Hoisted above the imports by vitest; the factory runs when the code under test first imports
// 'electron', by which time the fake imported above is loaded.
vi.mock('electron', () => fakeElectron);

const state = fakeElectron.state;
const ROOT = join(__dirname, '..', '..');

const EXPECTED_LOCKDOWN = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  disableBlinkFeatures: 'Auxclick',
  navigateOnDragDrop: false,
  safeDialogs: true,
};

function lastWindow(): FakeBrowserWindow {
  const window = state.windows.at(-1);
  if (!window) throw new Error('no window was created');
  return window;
}

function newSession(): FakeSession {
  return fakeElectron.session.fromPartition(`test-${Math.random().toString(36).slice(2)}`);
}

beforeEach(() => {
  state.windows.length = 0;
  state.ipcHandlers.clear();
});

describe('console window', () => {
  it('sets every security preference explicitly, with the preload and no other surprises', () => {
    const session = newSession();
    createConsoleWindow({ preload: '/app/preload.js', session: session as never, devTools: false });
    const prefs = lastWindow().options.webPreferences!;
    expect(prefs).toMatchObject({ ...EXPECTED_LOCKDOWN, preload: '/app/preload.js', devTools: false });
    expect(prefs.session).toBe(session);
    for (const key of Object.keys(EXPECTED_LOCKDOWN)) expect(Object.hasOwn(prefs, key), key).toBe(true);
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('loads the console from the app bundle, never a dev server or a file URL', () => {
    createConsoleWindow({ preload: '/p.js', session: newSession() as never, devTools: false });
    expect(lastWindow().webContents.loaded).toEqual([CONSOLE_URL]);
    expect(CONSOLE_URL).toBe('app://console/index.html');
  });

  it('prevents every navigation and redirect, and denies new windows and webviews', () => {
    createConsoleWindow({ preload: '/p.js', session: newSession() as never, devTools: false });
    const contents = lastWindow().webContents;
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://console/other.html', 'javascript:alert(1)']) {
      expect(contents.emit('will-navigate', url).defaultPrevented, url).toBe(true);
      expect(contents.emit('will-redirect', url).defaultPrevented, url).toBe(true);
    }
    expect(contents.emit('will-attach-webview', {}, {}).defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://qlik.example/hub' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://console/index.html' })).toEqual({ action: 'deny' });
  });

  it('is shown only once painted', () => {
    createConsoleWindow({ preload: '/p.js', session: newSession() as never, devTools: false });
    const window = lastWindow();
    expect(window.options.show).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('guards any WebContents created anywhere: no webview, no window.open', () => {
    guardAllWebContents(fakeElectron.app as never);
    const window = new fakeElectron.BrowserWindow({});
    expect(window.webContents.windowOpenHandler?.({ url: 'https://x.example/' })).toEqual({ action: 'deny' });
    expect(window.webContents.emit('will-attach-webview', {}, {}).defaultPrevented).toBe(true);
  });

  it('offers DevTools only when asked (not in a packaged build)', () => {
    createConsoleWindow({ preload: '/p.js', session: newSession() as never, devTools: true });
    expect(lastWindow().options.webPreferences!.devTools).toBe(true);
  });
});

describe('content security policy', () => {
  it('is strict: nothing by default, no inline code or eval, no remote sources', () => {
    expect(CONSOLE_CSP.startsWith("default-src 'none'")).toBe(true);
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).toContain("base-uri 'none'");
  });

  it('matches the <meta> policy of renderer/index.html', () => {
    const html = readFileSync(join(ROOT, 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONSOLE_CSP);
  });

  it('is added to console responses (replacing any other CSP) and leaves other URLs alone', () => {
    const session = newSession();
    applyConsoleCsp(session as never);
    const results: unknown[] = [];
    session.headersReceived!({ url: 'app://console/index.html', responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } }, (r) =>
      results.push(r),
    );
    session.headersReceived!({ url: 'https://qlik.example/hub', responseHeaders: {} }, (r) => results.push(r));
    expect(results[0]).toEqual({ responseHeaders: { 'Content-Security-Policy': [CONSOLE_CSP], 'X-Other': ['1'] } });
    expect(results[1]).toEqual({});
  });
});

describe('permissions', () => {
  it('denies every permission request, check and device', () => {
    const session = newSession();
    denyAllPermissions(session as never);
    for (const permission of [
      'media',
      'notifications',
      'clipboard-read',
      'clipboard-sanitized-write',
      'geolocation',
      'openExternal',
      'fullscreen',
      'hid',
      'unknown-future',
    ]) {
      const callback = vi.fn();
      session.permissionRequestHandler!({}, permission, callback, {});
      expect(callback, permission).toHaveBeenCalledWith(false);
      expect(session.permissionCheckHandler!({}, permission, 'app://console', {}), permission).toBe(false);
    }
    expect(session.devicePermissionHandler!({ deviceType: 'usb', origin: 'app://console' })).toBe(false);
  });
});

describe('app:// protocol', () => {
  const root = mkdtempSync(join(tmpdir(), 'usher-renderer-'));
  const outside = mkdtempSync(join(tmpdir(), 'usher-outside-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Usher</title>');
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets', 'main.js'), 'console.log(1)');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  symlinkSync(join(outside, 'secret.txt'), join(root, 'assets', 'link.txt'));
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  const handle = createAppProtocolHandler(root);

  it('registers app:// as a standard, secure scheme', () => {
    registerAppScheme();
    expect(state.privilegedSchemes).toContainEqual({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) });
  });

  it('serves bundle files with their type, the CSP and nosniff', async () => {
    const index = await handle(new Request('app://console/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>Usher</title>');
    const script = await handle(new Request('app://console/assets/main.js'));
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await handle(new Request('app://console/'))).status).toBe(200);
  });

  it.each([
    'app://console/../../../etc/passwd',
    'app://console/%2e%2e/%2e%2e/etc/passwd',
    'app://console/..%2f..%2fetc%2fpasswd',
    'app://console/assets%5c..%5c..%5csecret.txt',
    'app://console/index.html%00.js',
    'app://console/%E0%A4%A',
    'app://other/index.html',
    'https://console/index.html',
    'app://console/missing.js',
    'app://console/assets/link.txt',
  ])('refuses %s', async (url) => {
    const response = await handle(new Request(url));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('secret');
  });

  it('refuses anything but GET and HEAD', async () => {
    expect((await handle(new Request('app://console/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('resolves paths inside the root only', () => {
    expect(resolveAppPath(root, 'app://console/assets/main.js')).toBe(join(root, 'assets', 'main.js'));
    expect(resolveAppPath(root, 'app://console/..%2Fx')).toBeNull();
    expect(resolveAppPath(root, 'not a url')).toBeNull();
  });
});

describe('application menu', () => {
  const base = { appName: 'Usher', command: () => undefined };
  it('has the usual shortcuts through roles and no DevTools unless asked', () => {
    const roles = (template: unknown): string[] =>
      JSON.stringify(template)
        .match(/"role":"(\w+)"/g)
        ?.map((r) => r.slice(8, -1)) ?? [];
    const linux = roles(menuTemplate({ ...base, platform: 'linux', devTools: false }));
    expect(linux).toEqual(
      expect.arrayContaining(['quit', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'reload', 'zoomIn', 'zoomOut', 'resetZoom', 'minimize', 'help']),
    );
    expect(linux).not.toContain('toggleDevTools');
    expect(roles(menuTemplate({ ...base, platform: 'linux', devTools: true }))).toContain('toggleDevTools');
    expect(roles(menuTemplate({ ...base, platform: 'darwin', devTools: false }))).toEqual(expect.arrayContaining(['about', 'hide', 'quit', 'front']));
  });

  it("lists the console's sections under Go, each asking the console to show it, Ctrl+1..9 on the first nine", () => {
    const asked: ConsoleCommand[] = [];
    const template = menuTemplate({ ...base, platform: 'linux', devTools: false, command: (c) => asked.push(c) });
    const go = template.find((m) => m.label === 'Go')?.submenu as MenuEntry[];
    expect(go.map((i) => i.label)).toEqual(SECTIONS.map((s) => s.title));
    expect(go.map((i) => i.accelerator)).toEqual([...SECTIONS.map((_, i) => (i < 9 ? `CmdOrCtrl+${i + 1}` : undefined))]);
    const sessions = go.find((i) => i.label === 'Sessions');
    sessions?.click?.({} as never, undefined, {} as never);
    expect(asked).toEqual([{ kind: 'section', section: 'sessions' }]);
    const help = template.find((m) => m.role === 'help')?.submenu as MenuEntry[];
    help.find((i) => i.label === 'Keyboard shortcuts')?.click?.({} as never, undefined, {} as never);
    const edit = template.find((m) => m.label === 'Edit')?.submenu as MenuEntry[];
    const find = edit.find((i) => i.label === 'Find in section');
    expect(find?.accelerator).toBe('CmdOrCtrl+F');
    find?.click?.({} as never, undefined, {} as never);
    expect(asked.slice(1)).toEqual([{ kind: 'shortcuts' }, { kind: 'filter' }]);
  });

  it('installs the template through Menu.buildFromTemplate', () => {
    installMenu({ ...base, platform: 'linux', devTools: false });
    expect((state.menuTemplate as MenuEntry[]).map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'Go', 'Window', 'help']);
  });
});

describe('native file picker', () => {
  it('opens the dialog on the console window for a folder or a PFX, and answers the path or nothing when cancelled', async () => {
    const window = new fakeElectron.BrowserWindow({});
    const choose = electronFileChooser(() => window as never);
    state.openDialogs.length = 0;
    state.dialogAnswer = { canceled: false, filePaths: ['/exports/qmc'] };
    expect(await choose('folder')).toBe('/exports/qmc');
    expect(state.openDialogs[0]![0]).toBe(window);
    expect(state.openDialogs[0]![1]).toMatchObject({ properties: ['openDirectory'] });
    state.dialogAnswer = { canceled: false, filePaths: ['/exports/client.pfx'] };
    expect(await choose('pfx')).toBe('/exports/client.pfx');
    expect(state.openDialogs[1]![1]).toMatchObject({ properties: ['openFile'], filters: [{ extensions: ['pfx', 'p12'] }] });
    state.dialogAnswer = { canceled: true, filePaths: [] };
    expect(await choose('pem')).toBeUndefined();
  });
});

describe('native save dialog', () => {
  it('asks on the console window with the suggested name in Downloads, and answers the path or nothing when cancelled', async () => {
    const window = new fakeElectron.BrowserWindow({});
    const save = electronFileSaver(() => window as never);
    state.saveDialogs.length = 0;
    state.saveDialogAnswer = { canceled: false, filePath: '/home/ann/reports/checks.md' };
    const suggestion = { fileName: 'usher-checks-demo.md', title: 'Save the check results as Markdown', filter: { name: 'Markdown', extensions: ['md'] } };
    expect(await save(suggestion)).toEqual({ chosen: '/home/ann/reports/checks.md' });
    expect(state.saveDialogs[0]![0]).toBe(window);
    expect(state.saveDialogs[0]![1]).toMatchObject({
      title: 'Save the check results as Markdown',
      defaultPath: join(fakeElectron.app.getPath('downloads'), 'usher-checks-demo.md'),
      filters: [
        { name: 'Markdown', extensions: ['md'] },
        { name: 'All files', extensions: ['*'] },
      ],
      properties: expect.arrayContaining(['showOverwriteConfirmation']),
    });
    state.saveDialogAnswer = { canceled: true, filePath: '' };
    expect(await save(suggestion)).toEqual({ chosen: undefined });
  });
});

describe('IPC bridge', () => {
  function setup(consoleContents: FakeWebContents) {
    const handlers = Object.fromEntries(CHANNELS.map((c) => [c, vi.fn(async () => ({ from: c }))]));
    const router = createRouter({ handlers: handlers as never, isTrustedSender: consoleSenderCheck(() => consoleContents.id) });
    const unregister = registerIpcHandlers(fakeElectron.ipcMain as never, router);
    const invoke = (channel: string, event: unknown, payload: unknown) =>
      (state.ipcHandlers.get(channel) as (e: unknown, p: unknown) => Promise<unknown>)(event, payload);
    return { handlers, unregister, invoke };
  }
  const frame = (url: string, parent: unknown = null) => ({ url, parent });

  it('registers exactly one prefixed handler per channel, and removes them', () => {
    const { unregister } = setup(new fakeElectron.BrowserWindow({}).webContents);
    expect([...state.ipcHandlers.keys()].sort()).toEqual(CHANNELS.map(ipcChannelName).sort());
    unregister();
    expect(state.ipcHandlers.size).toBe(0);
  });

  it('serves the console window top frame only', async () => {
    const consoleContents = new fakeElectron.BrowserWindow({}).webContents;
    const other = new fakeElectron.BrowserWindow({}).webContents;
    const { invoke, handlers } = setup(consoleContents);
    const name = ipcChannelName('profiles.list');
    await expect(invoke(name, { sender: consoleContents, senderFrame: frame('app://console/index.html') }, {})).resolves.toEqual({
      ok: true,
      value: { from: 'profiles.list' },
    });
    const refused = [
      { sender: other, senderFrame: frame('app://console/index.html') }, // another window (a partition)
      { sender: consoleContents, senderFrame: frame('app://console/index.html', {}) }, // a subframe
      { sender: consoleContents, senderFrame: frame('https://qlik.example/hub') }, // navigated away
      { sender: consoleContents, senderFrame: frame('app://evil/index.html') },
      { sender: consoleContents, senderFrame: null }, // frame gone
    ];
    for (const event of refused) {
      await expect(invoke(name, event, {})).resolves.toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    }
    expect(handlers['profiles.list']).toHaveBeenCalledTimes(1);
  });

  it('forwards backend events to the console window with the prefixed name', () => {
    const contents = new fakeElectron.BrowserWindow({}).webContents;
    const listeners = new Map<string, (payload: unknown) => void>();
    forwardEvents({ on: (event: string, listener: (payload: unknown) => void) => listeners.set(event, listener) } as never, () => contents as never);
    listeners.get('trust.step')!({ runId: 'r1' });
    expect(contents.sent).toEqual([{ channel: ipcEventName('trust.step'), payload: { runId: 'r1' } }]);
    contents.destroyed = true;
    listeners.get('app.state')!({});
    expect(contents.sent).toHaveLength(1);
  });
});

describe('partition windows (electron host)', () => {
  const ca = fixtures.ca();
  const server = fixtures.server(); // qlik-central, qlik-central.corp.example, 10.1.2.3
  const foreignServer = lazyForeignServer();
  function lazyForeignServer() {
    let made: { certPem: string } | undefined;
    return () => (made ??= fixtures.foreignCa().issueServer({ commonName: 'qlik-central', altNames: ['qlik-central'] }));
  }
  const recreatedServer = () => fixtures.recreatedCa().issueServer({ commonName: 'qlik-central', altNames: ['qlik-central'] });

  /** Runs the session's verify proc on a presented chain: the leaf, then its issuers as Chromium links them. */
  function verify(session: FakeSession, hostname: string, leafPem: string, ...issuerPems: string[]): number {
    let result: number | undefined;
    type Presented = { data: string; issuerCert?: Presented };
    const certificate = [leafPem, ...issuerPems].reduceRight<Presented | undefined>((issuerCert, data) => ({ data, issuerCert }), undefined)!;
    session.certificateVerifyProc!({ hostname, certificate, verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID', errorCode: -202 }, (r) => (result = r));
    return result!;
  }

  it('gets no preload, the locked-down preferences and its own session', async () => {
    const host = createElectronHost();
    const page = await host.openPartition({ partitionId: 'ticket-1', caPem: ca.certPem });
    const window = lastWindow();
    const prefs = window.options.webPreferences!;
    expect(prefs).toMatchObject(EXPECTED_LOCKDOWN);
    expect(prefs.preload).toBeUndefined();
    expect(prefs.session).toBe(state.partitions.get('ticket-1'));
    expect(page.partitionId).toBe('ticket-1');
    await host.openPartition({ partitionId: 'kept', caPem: ca.certPem, persistent: true });
    expect(state.partitions.has('persist:kept')).toBe(true);
    await host.close();
  });

  it('refuses partition ids that could reach another partition', async () => {
    const host = createElectronHost();
    for (const id of ['persist:x', '', '../x', 'a b', 'x'.repeat(101)]) {
      await expect(host.openPartition({ partitionId: id, caPem: ca.certPem })).rejects.toThrow(/partition id/);
    }
  });

  it('denies every permission and download', async () => {
    await createElectronHost().openPartition({ partitionId: 'perm', caPem: ca.certPem });
    const session = state.partitions.get('perm')!;
    const callback = vi.fn();
    session.permissionRequestHandler!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(session.permissionCheckHandler!({}, 'notifications', 'https://qlik-central', {})).toBe(false);
    expect(session.emit('will-download', {}, {}).defaultPrevented).toBe(true);
  });

  it("pins TLS to the site CA: the site's chain is accepted, foreign and look-alike chains are not", async () => {
    await createElectronHost().openPartition({ partitionId: 'tls', caPem: ca.certPem });
    const session = state.partitions.get('tls')!;
    expect(verify(session, 'qlik-central', server.certPem, ca.certPem)).toBe(CERT_ACCEPT);
    expect(verify(session, 'qlik-central.corp.example', server.certPem)).toBe(CERT_ACCEPT);
    expect(verify(session, '10.1.2.3', server.certPem)).toBe(CERT_ACCEPT);
    // Another site's CA, even presenting its own CA in the chain.
    expect(verify(session, 'qlik-central', foreignServer().certPem, fixtures.foreignCa().certPem)).toBe(CERT_REJECT);
    // Same CA name, different key: names match, the signature does not.
    expect(verify(session, 'qlik-central', recreatedServer().certPem, fixtures.recreatedCa().certPem)).toBe(CERT_REJECT);
    // The site's own certificate, used for a name it does not carry.
    expect(verify(session, 'evil.example', server.certPem)).toBe(CERT_REJECT);
    // Garbage.
    expect(verify(session, 'qlik-central', 'not a certificate')).toBe(CERT_REJECT);
  });

  it('refuses an expired server certificate from the site CA', async () => {
    await createElectronHost().openPartition({ partitionId: 'expired', caPem: ca.certPem });
    const expired = ca.issueServer({
      commonName: 'qlik-central',
      altNames: ['qlik-central'],
      notBefore: new Date(Date.now() - 400 * 86_400_000),
      validDays: 30,
    });
    expect(verify(state.partitions.get('expired')!, 'qlik-central', expired.certPem)).toBe(CERT_REJECT);
  });

  it('requires serverAuth on every certificate of the path, as Node and curl do', async () => {
    await createElectronHost().openPartition({ partitionId: 'eku', caPem: ca.certPem });
    const session = state.partitions.get('eku')!;
    // The leaves' own keys play no part in a path's purposes: one key pair serves them all.
    const leaf = (issuer: { certPem: string; keyPem: string }, eku?: Record<string, boolean>) =>
      issueCustom(issuer, { commonName: 'qlik-central', altNames: ['qlik-central'], eku, keyPem: leafKey() }).certPem;
    // A site client certificate (clientAuth only) used as a server certificate: same CA, right name.
    expect(verify(session, 'qlik-central', leaf(ca, { clientAuth: true }), ca.certPem)).toBe(CERT_REJECT);
    expect(verify(session, 'qlik-central', leaf(ca, { '2.5.29.37.0': true }))).toBe(CERT_REJECT);
    expect(verify(session, 'qlik-central', leaf(ca, { serverAuth: true, clientAuth: true }))).toBe(CERT_ACCEPT);
    expect(verify(session, 'qlik-central', leaf(ca))).toBe(CERT_ACCEPT);
    // An intermediate limited to clientAuth cannot vouch for a server; one without limits can.
    const clientOnlyCa = issueCustom(ca, { commonName: 'clients-CA', ca: true, eku: { clientAuth: true } });
    expect(verify(session, 'qlik-central', leaf(clientOnlyCa, { serverAuth: true }), clientOnlyCa.certPem)).toBe(CERT_REJECT);
    const openCa = issueCustom(ca, { commonName: 'servers-CA', ca: true });
    expect(verify(session, 'qlik-central', leaf(openCa, { serverAuth: true }), openCa.certPem)).toBe(CERT_ACCEPT);
    // A site CA (root.pem) that itself names clientAuth only.
    const rootClientOnly = issueCustom(ca, { commonName: 'site-CA-client-only', ca: true, eku: { clientAuth: true } });
    await createElectronHost().openPartition({ partitionId: 'eku-root', caPem: rootClientOnly.certPem });
    expect(verify(state.partitions.get('eku-root')!, 'qlik-central', leaf(rootClientOnly, { serverAuth: true }))).toBe(CERT_REJECT);
  });

  it('names a certificate refused for its purpose, with the fix', async () => {
    const rejected: string[] = [];
    const host = createElectronHost({ onCertificateRejected: (_id, _host, reason) => rejected.push(reason) });
    const page = await host.openPartition({ partitionId: 'eku-goto', caPem: ca.certPem });
    const session = state.partitions.get('eku-goto')!;
    const clientAsServer = issueCustom(ca, { commonName: 'qlik-central', altNames: ['qlik-central'], eku: { clientAuth: true } });
    lastWindow().webContents.loadURL = async (url: string) => {
      verify(session, 'qlik-central', clientAsServer.certPem);
      throw new Error(`ERR_FAILED (-2) loading '${url}'`);
    };
    await expect(page.goto('https://qlik-central/hub')).rejects.toMatchObject({
      code: 'UNTRUSTED_CERT',
      message: expect.stringMatching(/not for TLS servers.*serverAuth/),
      hint: expect.stringMatching(/serverAuth/),
    });
    expect(rejected).toEqual([expect.stringMatching(/server certificate \(CN=qlik-central\) is not for TLS servers/)]);
  });

  it('refuses to open a partition without a readable CA', async () => {
    await expect(createElectronHost().openPartition({ partitionId: 'noca', caPem: 'nothing' })).rejects.toThrow(/no certificate/);
  });

  it('browses https only and keeps new windows in the same partition window', async () => {
    await createElectronHost().openPartition({ partitionId: 'nav', caPem: ca.certPem });
    const contents = lastWindow().webContents;
    expect(contents.emit('will-navigate', 'https://qlik-central/hub').defaultPrevented).toBe(false);
    for (const url of ['http://qlik-central/hub', 'file:///etc/passwd', 'app://console/index.html', 'javascript:alert(1)']) {
      expect(contents.emit('will-navigate', url).defaultPrevented, url).toBe(true);
      expect(contents.emit('will-redirect', url).defaultPrevented, url).toBe(true);
    }
    expect(contents.windowOpenHandler?.({ url: 'https://qlik-central/sense/app/1' })).toEqual({ action: 'deny' });
    expect(contents.loaded).toContain('https://qlik-central/sense/app/1');
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.loaded).not.toContain('file:///etc/passwd');
  });

  it('goto reports the final status and URL, and names a refused certificate', async () => {
    const page = await createElectronHost().openPartition({ partitionId: 'goto', caPem: ca.certPem });
    const contents = lastWindow().webContents;
    contents.nextLoad = { status: 200, url: 'https://qlik-central/hub/' };
    await expect(page.goto('https://qlik-central/hub?qlikTicket=x')).resolves.toEqual({ status: 200, url: 'https://qlik-central/hub/' });
    await expect(page.goto('http://qlik-central/hub')).rejects.toMatchObject({ code: 'NETWORK' });
    // Chromium only says ERR_FAILED when our verifier says no; the host tells why.
    const session = state.partitions.get('goto')!;
    contents.loadURL = async (url: string) => {
      verify(session, 'evil.example', server.certPem);
      throw new Error(`ERR_FAILED (-2) loading '${url}'`);
    };
    await expect(page.goto('https://evil.example/')).rejects.toMatchObject({ code: 'HOST_MISMATCH', hint: expect.any(String) });
    contents.loadURL = async (url: string) => {
      throw new Error(`ERR_CONNECTION_REFUSED (-102) loading '${url}'`);
    };
    await expect(page.goto('https://qlik-central:4443/')).rejects.toMatchObject({ code: 'CONNECTION_REFUSED' });
  });

  it('fetchJson is same-origin with the page and parses JSON', async () => {
    const page = await createElectronHost().openPartition({ partitionId: 'fetch', caPem: ca.certPem });
    const contents = lastWindow().webContents;
    await expect(page.fetchJson('https://qlik-central/qps/user')).rejects.toMatchObject({ code: 'NETWORK' });
    await page.goto('https://qlik-central/hub/');
    contents.isolatedWorldResult = { status: 200, text: '{"userId":"alice"}' };
    await expect(page.fetchJson('https://qlik-central/qps/user')).resolves.toEqual({ status: 200, body: { userId: 'alice' } });
    await expect(page.fetchJson('https://other.example/qps/user')).rejects.toMatchObject({ code: 'NETWORK' });
    contents.isolatedWorldResult = { status: 200, text: null };
    await expect(page.fetchJson('https://qlik-central/qps/user')).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
  });

  it('lists cookies, writes the clipboard, and clears an in-memory partition on close', async () => {
    const host = createElectronHost();
    const page = await host.openPartition({ partitionId: 'cookies', caPem: ca.certPem });
    const session = state.partitions.get('cookies')!;
    session.cookieList = [
      { name: 'X-Qlik-Session', value: 'abc', domain: 'qlik-central', path: '/', secure: true, httpOnly: true, sameSite: 'no_restriction' },
    ];
    await expect(page.cookies()).resolves.toEqual([
      { name: 'X-Qlik-Session', value: 'abc', domain: 'qlik-central', path: '/', secure: true, httpOnly: true, sameSite: 'no_restriction' },
    ]);
    await host.writeClipboard('https://qlik-central/hub');
    expect(state.clipboard).toContain('https://qlik-central/hub');
    const window = lastWindow();
    await page.close();
    expect(window.destroyed).toBe(true);
    expect(session.cleared).toBe(1);
    await expect(page.goto('https://qlik-central/')).rejects.toMatchObject({ code: 'NETWORK' });
  });
});
