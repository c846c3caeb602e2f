// A minimal engine (QIX) JSON-RPC client over any message transport: numbered requests, answers matched by
// id, a deadline per call, notifications kept for whoever asks. Used by the Node tabs of the seed-003
// scenario; browser partitions run the same protocol in the page.
import WebSocket from 'ws';

/** A JSON-RPC error the engine answered (`code` is the QIX error code). */
export class EngineCallError extends Error {
  override name = 'EngineCallError';
  constructor(
    readonly code: number,
    message: string,
    readonly method: string,
  ) {
    super(`${method}: ${message} (QIX error ${code})`);
  }
}

/** A tab's open engine socket. Every call is bounded in time by the implementation. */
export interface EngineTab {
  /** One JSON-RPC call; resolves with `result`, rejects with EngineCallError for an engine error. */
  call(handle: number, method: string, params: unknown[]): Promise<Record<string, any>>;
  close(): Promise<void>;
}

export interface EngineTransport {
  send(text: string): void;
  close(): void;
}

export class EngineRpc implements EngineTab {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { method: string; resolve: (v: Record<string, any>) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  readonly notifications: Array<{ method: string; params: unknown }> = [];
  private closedReason?: string;

  constructor(
    private readonly transport: EngineTransport,
    private readonly timeoutMs: number,
  ) {}

  /** Feed every message the socket receives. */
  receive(text: string): void {
    let message: { id?: number; method?: string; params?: unknown; result?: Record<string, any>; error?: { code: number; message: string } };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.id === undefined || message.id === null) {
      if (message.method) this.notifications.push({ method: message.method, params: message.params });
      return;
    }
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    clearTimeout(waiter.timer);
    if (message.error) waiter.reject(new EngineCallError(message.error.code, message.error.message, waiter.method));
    else waiter.resolve(message.result ?? {});
  }

  /** The socket closed: every call still waiting fails with the reason. */
  closed(reason: string): void {
    this.closedReason = reason;
    for (const waiter of this.pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`${waiter.method}: the engine socket closed (${reason})`));
    }
    this.pending.clear();
  }

  call(handle: number, method: string, params: unknown[]): Promise<Record<string, any>> {
    if (this.closedReason !== undefined) return Promise.reject(new Error(`${method}: the engine socket is closed (${this.closedReason})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer from the engine within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      this.transport.send(JSON.stringify({ jsonrpc: '2.0', id, handle, method, params }));
    });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

export interface EngineConnectOptions {
  /** `wss://...` */
  url: string;
  /** The site CA (root.pem): the only one trusted. */
  ca: string;
  headers?: Record<string, string>;
  /** What a browser page on that origin would send. */
  origin?: string;
  /** For the handshake and each call. */
  timeoutMs: number;
}

/** Why an upgrade was refused, with the proxy's words (a 403's body says which check failed). */
export class EngineRefusedError extends Error {
  override name = 'EngineRefusedError';
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`the proxy refused the engine socket: ${status}${body ? ` ${body.slice(0, 200)}` : ''}`);
  }
}

/** Opens an engine socket from Node (TLS pinned to the site CA) and resolves once it is open. */
export function connectEngine(options: EngineConnectOptions): Promise<EngineRpc> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(options.url, {
      ca: options.ca,
      headers: options.headers,
      ...(options.origin ? { origin: options.origin } : {}),
      handshakeTimeout: options.timeoutMs,
      maxPayload: 16 * 1024 * 1024,
    });
    const rpc = new EngineRpc({ send: (text) => ws.send(text), close: () => ws.close() }, options.timeoutMs);
    ws.on('message', (data) => rpc.receive(data.toString()));
    ws.on('close', (code, reason) => rpc.closed(`${code}${reason.length ? ` ${reason.toString()}` : ''}`));
    ws.once('open', () => resolve(rpc));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 4096) body += chunk;
      });
      res.on('end', () => reject(new EngineRefusedError(res.statusCode ?? 0, body.trim())));
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}
