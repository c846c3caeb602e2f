// electron/main/index.ts end to end with a fake 'electron' and a fake backend: the order of the security
// wiring (sandbox and app:// before ready), the console session's guards, the console window, one IPC
// handler per channel reaching the backend through the router, events, and a clean shutdown.
import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, ipcChannelName, ipcEventName } from '../../shared/ipc/contract';
import { X509Certificate } from 'node:crypto';
import type { ElectronBrowserHost } from '../../electron/hosts/electron-host';
import { fixtures } from '../support/cert-fixtures';
import { fakeElectron } from '../support/fake-electron';
// Starts the app (against the fakes below): index.ts runs on import, like Electron runs it.
import '../../electron/main/index';

vi.mock('electron', () => fakeElectron);

const backend = vi.hoisted(() => {
  const listeners = new Map<string, (payload: unknown) => void>();
  return {
    listeners,
    options: undefined as unknown,
    closed: 0,
    handlers: {} as Record<string, (req: unknown) => Promise<unknown>>,
  };
});

vi.mock('../../electron/app/console-backend', () => ({
  createConsoleBackend: async (options: unknown) => {
    backend.options = options;
    for (const channel of CHANNELS) backend.handlers[channel] = async (req: unknown) => ({ handled: channel, req });
    return {
      handlers: backend.handlers,
      events: { on: (event: string, listener: (payload: unknown) => void) => void backend.listeners.set(event, listener) },
      close: async () => void backend.closed++,
    };
  },
}));

const state = fakeElectron.state;

async function started(): Promise<void> {
  await vi.waitFor(() => expect(state.windows.length).toBeGreaterThan(0));
}

describe('electron/main/index', () => {
  it('wires security before the first window and serves the console through the router', async () => {
    await started();
    const app = fakeElectron.app;
    expect(app.sandboxEnabled).toBe(true);
    expect(state.privilegedSchemes).toContainEqual(expect.objectContaining({ scheme: 'app' }));

    const session = fakeElectron.session.defaultSession;
    expect(session.permissionRequestHandler).toBeDefined();
    expect(session.permissionCheckHandler!()).toBe(false);
    expect(session.headersReceived).toBeDefined();
    expect(session.protocolHandlers.has('app')).toBe(true);
    expect(state.menuTemplate).toBeDefined();

    expect(backend.options).toMatchObject({ hostKind: 'electron', dataDir: '/tmp/usher-fake-userData', host: { kind: 'electron' } });

    const window = state.windows[0]!;
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(String(window.options.webPreferences!.preload)).toMatch(/[\\/]preload[\\/]index\.js$/);
    expect(window.webContents.loaded).toEqual(['app://console/index.html']);

    expect([...state.ipcHandlers.keys()].sort()).toEqual(CHANNELS.map(ipcChannelName).sort());
    const handle = state.ipcHandlers.get(ipcChannelName('profiles.select'))!;
    const fromConsole = { sender: window.webContents, senderFrame: { url: 'app://console/index.html', parent: null } };
    await expect(handle(fromConsole, { id: 'demo' })).resolves.toEqual({ ok: true, value: { handled: 'profiles.select', req: { id: 'demo' } } });
    const other = new fakeElectron.BrowserWindow({});
    await expect(handle({ sender: other.webContents, senderFrame: { url: 'app://console/index.html', parent: null } }, { id: 'demo' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNTRUSTED_SENDER' },
    });

    backend.listeners.get('requestLog.record')!({ id: 1 });
    expect(window.webContents.sent).toContainEqual({ channel: ipcEventName('requestLog.record'), payload: { id: 1 } });
  });

  it("answers every client-certificate request itself: none, unless the partition's profile names one", async () => {
    await started();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const app = fakeElectron.app;
    const cert = { data: fixtures.client().certPem };
    const other = { data: fixtures.otherClient().certPem };
    const ask = (contents: unknown): { prevented: boolean; calls: unknown[][] } => {
      const calls: unknown[][] = [];
      const event = app.emit('select-client-certificate', contents, 'https://qlik-central/', [cert, other], (...args: unknown[]) => calls.push(args));
      return { prevented: event.defaultPrevented, calls };
    };
    // Electron's default (the first certificate) is never taken: the event is always handled, once.
    expect(ask(state.windows[0]!.webContents)).toEqual({ prevented: true, calls: [[undefined]] });
    expect(ask(null)).toEqual({ prevented: true, calls: [[undefined]] });
    const host = (backend.options as { host: ElectronBrowserHost }).host;
    await host.openPartition({ partitionId: 'no-cert', caPem: fixtures.ca().certPem });
    expect(ask(state.windows.at(-1)!.webContents)).toEqual({ prevented: true, calls: [[undefined]] });
    await host.openPartition({
      partitionId: 'named-cert',
      caPem: fixtures.ca().certPem,
      clientCertificateFingerprint256: new X509Certificate(other.data).fingerprint256,
    });
    expect(ask(state.windows.at(-1)!.webContents)).toEqual({ prevented: true, calls: [[other]] });
    // Each refusal is logged with the site that asked; the one allowed answer is not a refusal.
    expect(warn.mock.calls.map(([line]) => line)).toEqual(
      Array(3).fill(expect.stringMatching(/^\[usher\] https:\/\/qlik-central\/ asked for a client certificate; none was presented/)),
    );
    warn.mockRestore();
  });

  it('closes the backend once on quit, then lets the quit through', async () => {
    await started();
    const app = fakeElectron.app;
    const first = app.emit('before-quit');
    expect(first.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(backend.closed).toBe(1));
    await vi.waitFor(() => expect(app.quitCalls).toBeGreaterThan(0));
    expect(state.ipcHandlers.size).toBe(0);
    expect(app.emit('before-quit').defaultPrevented).toBe(false);
    expect(backend.closed).toBe(1);
  });
});
