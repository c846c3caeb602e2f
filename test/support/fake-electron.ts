import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// A recording stand-in for the parts of 'electron' the main process, the preload and the electron host
// use. Tests import it and install it with `vi.mock('electron', () => fakeElectron)` and inspect `fakeElectron.state` (windows created, sessions, handlers) after exercising the code.
type Listener = (...args: unknown[]) => unknown;
/** A `once` registration: removed before it runs, and removable by the listener it wraps (as in Node). */
type OnceWrapper = Listener & { listener: Listener };

export class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapper = ((...args: unknown[]) => {
      this.removeListener(event, wrapper);
      return listener(...args);
    }) as OnceWrapper;
    wrapper.listener = listener;
    return this.on(event, wrapper);
  }
  removeListener(event: string, listener: Listener): this {
    const kept = (this.listeners.get(event) ?? []).filter((l) => l !== listener && (l as Partial<OnceWrapper>).listener !== listener);
    this.listeners.set(event, kept);
    return this;
  }
  /** Calls the listeners like Electron would; returns the event object so tests can see preventDefault. */
  emit(event: string, ...args: unknown[]): { defaultPrevented: boolean } {
    const evt = {
      defaultPrevented: false,
      preventDefault() {
        evt.defaultPrevented = true;
      },
    };
    for (const listener of this.listeners.get(event) ?? []) listener(evt, ...args);
    return evt;
  }
  count(event: string): number {
    return (this.listeners.get(event) ?? []).length;
  }
}

let nextId = 1;

/** A download as Electron hands it to 'will-download'; `finish` plays the browser writing the file. */
export class FakeDownloadItem extends Emitter {
  savePath = '';
  received = 0;
  cancelled = false;
  constructor(
    readonly url: string,
    readonly filename: string,
  ) {
    super();
  }
  getURL(): string {
    return this.url;
  }
  getURLChain(): string[] {
    return [this.url];
  }
  getFilename(): string {
    return this.filename;
  }
  setSavePath(path: string): void {
    this.savePath = path;
  }
  getSavePath(): string {
    return this.savePath;
  }
  getReceivedBytes(): number {
    return this.received;
  }
  cancel(): void {
    this.cancelled = true;
    this.emit('done', 'cancelled');
  }
  /** Writes `body` where the host said (as Chromium does), then reports the state. */
  finish(state: 'completed' | 'interrupted', body: string): void {
    if (state === 'completed') {
      writeFileSync(this.savePath, body);
      this.received = Buffer.byteLength(body);
    }
    this.emit('done', state);
  }
}

export class FakeWebContents extends Emitter {
  readonly id = nextId++;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  url = '';
  destroyed = false;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  readonly loaded: string[] = [];
  /** What the next loadURL does: navigate with this status, or fail with this message. */
  nextLoad: { status: number; url?: string } | { error: string } = { status: 200 };
  isolatedWorldResult: unknown = { status: 200, text: '{}' };
  /** The session of the window (as webPreferences.session gave it). */
  session: FakeSession | undefined;
  /** What the next downloadURL offers: the server's file name. Undefined: no download starts. */
  nextDownload: { filename: string } | undefined;
  readonly downloadItems: FakeDownloadItem[] = [];
  /** Like Electron: the session's 'will-download' decides; the item is kept for the test to finish. */
  downloadURL(url: string): void {
    if (!this.nextDownload || !this.session) return;
    const item = new FakeDownloadItem(url, this.nextDownload.filename);
    this.downloadItems.push(item);
    const event = this.session.emit('will-download', item, this);
    if (event.defaultPrevented) item.emit('done', 'cancelled');
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    const next = this.nextLoad;
    if ('error' in next) throw new Error(next.error);
    this.url = next.url ?? url;
    this.emit('did-navigate', this.url, next.status);
  }
  getURL(): string {
    return this.url;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  stop(): void {}
  async executeJavaScriptInIsolatedWorld(_world: number, _scripts: Array<{ code: string }>): Promise<unknown> {
    return this.isolatedWorldResult;
  }
  async capturePage(): Promise<{ toPNG(): Buffer }> {
    return { toPNG: () => Buffer.from('png') };
  }
}

export class FakeBrowserWindow extends Emitter {
  readonly webContents = new FakeWebContents();
  destroyed = false;
  shown = false;
  constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    const session = options.webPreferences?.session;
    if (session instanceof FakeSession) this.webContents.session = session;
    state.windows.push(this);
    // Electron emits this on the app for every new WebContents.
    fakeElectron.app.emit('web-contents-created', this.webContents);
  }
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  show(): void {
    this.shown = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  title = '';
  minimized = false;
  focused = 0;
  setTitle(title: string): void {
    this.title = title;
  }
  getTitle(): string {
    return this.title;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  focus(): void {
    this.focused++;
  }
  destroy(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

type PermissionRequestHandler = (wc: unknown, permission: string, callback: (granted: boolean) => void, details?: unknown) => void;

export class FakeSession extends Emitter {
  permissionRequestHandler: PermissionRequestHandler | undefined;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | undefined;
  devicePermissionHandler: ((...args: unknown[]) => boolean) | undefined;
  certificateVerifyProc: ((request: unknown, callback: (result: number) => void) => void) | null | undefined;
  headersReceived: ((details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (r: unknown) => void) => void) | undefined;
  beforeSendHeaders:
    | ((details: { url: string; requestHeaders: Record<string, string> }, callback: (r: { requestHeaders?: Record<string, string> }) => void) => void)
    | undefined;
  /** How many times onBeforeSendHeaders was set (Electron keeps only the last). */
  beforeSendHeadersSet = 0;
  readonly protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  cleared = 0;
  cookieList: Array<Record<string, unknown>> = [];
  constructor(
    readonly partition: string,
    readonly options?: unknown,
  ) {
    super();
  }
  /** The headers a request to `url` leaves with, as the session's onBeforeSendHeaders listener makes them. */
  sentHeaders(url: string, requestHeaders: Record<string, string> = {}): Record<string, string> {
    let out = requestHeaders;
    this.beforeSendHeaders?.({ url, requestHeaders }, (r) => {
      if (r.requestHeaders) out = r.requestHeaders;
    });
    return out;
  }
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: (...args: unknown[]) => boolean): void {
    this.devicePermissionHandler = handler;
  }
  setCertificateVerifyProc(proc: ((request: unknown, callback: (result: number) => void) => void) | null): void {
    this.certificateVerifyProc = proc;
  }
  readonly webRequest = {
    onHeadersReceived: (listener: FakeSession['headersReceived']) => {
      this.headersReceived = listener;
    },
    onBeforeSendHeaders: (listener: FakeSession['beforeSendHeaders']) => {
      this.beforeSendHeaders = listener;
      this.beforeSendHeadersSet += 1;
    },
  };
  readonly protocol = {
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
      this.protocolHandlers.set(scheme, handler);
    },
  };
  /** What cookies.set was given, in order. */
  readonly cookiesSet: Array<Record<string, unknown>> = [];
  flushed = 0;
  readonly cookies = {
    get: async (_filter: unknown) => this.cookieList,
    set: async (details: { url: string; domain?: string } & Record<string, unknown>) => {
      this.cookiesSet.push(details);
      // As Electron lists it: a given domain is a domain cookie (leading dot); none is host-only.
      const domain = details.domain ? `.${details.domain.replace(/^\./, '')}` : new URL(details.url).hostname;
      const { url: _url, ...rest } = details;
      this.cookieList = [...this.cookieList, { ...rest, domain, hostOnly: !details.domain }];
    },
  };
  /** Like Electron: `persist:` sessions live under <sessionData>/Partitions/<case-folded name>. */
  get storagePath(): string | null {
    if (!this.partition.startsWith('persist:')) return null;
    return join(fakeElectron.app.getPath('sessionData'), 'Partitions', this.partition.slice('persist:'.length).toLowerCase());
  }
  flushStorageData(): void {
    this.flushed++;
  }
  async clearStorageData(): Promise<void> {
    this.cleared++;
    this.cookieList = [];
  }
  async clearCache(): Promise<void> {}
}

class FakeApp extends Emitter {
  isPackaged = false;
  name = 'Usher';
  sandboxEnabled = false;
  hasLock = true;
  quitCalls = 0;
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    return this.hasLock;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getPath(name: string): string {
    return state.paths.get(name) ?? `/tmp/usher-fake-${name}`;
  }
  quit(): void {
    this.quitCalls++;
  }
  exit(): void {}
}

const state = {
  /** app.getPath answers; tests point them at throwaway folders. */
  paths: new Map<string, string>(),
  windows: [] as FakeBrowserWindow[],
  partitions: new Map<string, FakeSession>(),
  privilegedSchemes: [] as unknown[],
  menuTemplate: undefined as unknown,
  openDialogs: [] as unknown[][],
  dialogAnswer: { canceled: true, filePaths: [] as string[] },
  saveDialogs: [] as unknown[][],
  saveDialogAnswer: { canceled: true, filePath: '' },
  clipboard: [] as string[],
  ipcHandlers: new Map<string, Listener>(),
  exposed: new Map<string, unknown>(),
  rendererListeners: new Map<string, Listener[]>(),
  invocations: [] as Array<{ channel: string; args: unknown[] }>,
};

export const fakeElectron = {
  state,
  app: new FakeApp(),
  BrowserWindow: FakeBrowserWindow,
  session: {
    defaultSession: new FakeSession(''),
    fromPartition(partition: string, options?: unknown): FakeSession {
      const existing = state.partitions.get(partition);
      if (existing) return existing;
      const created = new FakeSession(partition, options);
      state.partitions.set(partition, created);
      return created;
    },
  },
  protocol: {
    registerSchemesAsPrivileged(schemes: unknown[]): void {
      state.privilegedSchemes.push(...schemes);
    },
  },
  Menu: {
    buildFromTemplate: (template: unknown) => ({ template }),
    setApplicationMenu: (menu: { template: unknown }) => {
      state.menuTemplate = menu.template;
    },
  },
  clipboard: {
    writeText: (text: string) => {
      state.clipboard.push(text);
    },
  },
  dialog: {
    showErrorBox: () => undefined,
    /** Records each picker asked for and answers `state.dialogAnswer`. */
    showOpenDialog: async (...args: unknown[]) => {
      state.openDialogs.push(args);
      return state.dialogAnswer;
    },
    /** Records each save dialog asked for and answers `state.saveDialogAnswer`. */
    showSaveDialog: async (...args: unknown[]) => {
      state.saveDialogs.push(args);
      return state.saveDialogAnswer;
    },
  },
  ipcMain: {
    handle: (channel: string, listener: Listener) => {
      if (state.ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
      state.ipcHandlers.set(channel, listener);
    },
    removeHandler: (channel: string) => {
      state.ipcHandlers.delete(channel);
    },
  },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      state.invocations.push({ channel, args });
      return { ok: true, value: { channel } };
    },
    on: (channel: string, listener: Listener) => {
      state.rendererListeners.set(channel, [...(state.rendererListeners.get(channel) ?? []), listener]);
    },
    removeListener: (channel: string, listener: Listener) => {
      state.rendererListeners.set(
        channel,
        (state.rendererListeners.get(channel) ?? []).filter((l) => l !== listener),
      );
    },
  },
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      state.exposed.set(key, api);
    },
  },
  webUtils: {
    getPathForFile: (file: unknown) => {
      // Like Electron: only a File has a path.
      if (!(file instanceof File)) throw new TypeError('Error processing argument at index 0, conversion failure');
      return `/dropped/${file.name}`;
    },
  },
};
