// A recording stand-in for the parts of 'electron' the main process, the preload and the electron host
// use. Tests import it and install it with `vi.mock('electron', () => fakeElectron)` and inspect `fakeElectron.state` (windows created, sessions, handlers) after exercising the code.
type Listener = (...args: unknown[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }
  /** Calls the listeners like Electron would; returns the event object so tests can see preventDefault. */
  emit(event: string, ...args: unknown[]): { defaultPrevented: boolean } {
    const evt = { defaultPrevented: false, preventDefault() { evt.defaultPrevented = true; } };
    for (const listener of this.listeners.get(event) ?? []) listener(evt, ...args);
    return evt;
  }
  count(event: string): number {
    return (this.listeners.get(event) ?? []).length;
  }
}

let nextId = 1;

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
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {}
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
  readonly protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  cleared = 0;
  cookieList: Array<Record<string, unknown>> = [];
  constructor(readonly partition: string, readonly options?: unknown) {
    super();
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
  };
  readonly protocol = {
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
      this.protocolHandlers.set(scheme, handler);
    },
  };
  readonly cookies = {
    get: async (_filter: unknown) => this.cookieList,
  };
  async clearStorageData(): Promise<void> {
    this.cleared++;
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
    return `/tmp/usher-fake-${name}`;
  }
  quit(): void {
    this.quitCalls++;
  }
  exit(): void {}
}

const state = {
  windows: [] as FakeBrowserWindow[],
  partitions: new Map<string, FakeSession>(),
  privilegedSchemes: [] as unknown[],
  menuTemplate: undefined as unknown,
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
  dialog: { showErrorBox: () => undefined },
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
      state.rendererListeners.set(channel, (state.rendererListeners.get(channel) ?? []).filter((l) => l !== listener));
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
