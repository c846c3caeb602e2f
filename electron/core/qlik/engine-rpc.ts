// A minimal engine (QIX) JSON-RPC client over any message transport: numbered requests, answers matched by
// id, a deadline per call, notifications kept for whoever asks. Used by the Node tabs of the seed-003
// scenario; browser partitions run the same protocol in the page (hosts/page-engine.ts) and fail with
// the same errors.
import WebSocket from 'ws';
import { UsherError } from '../../../shared/errors';
import { QIX } from '../../../shared/qix-codes';

/**
 * Why an engine socket or call failed: CALL_FAILED the engine answered a JSON-RPC error (qixCode says
 * which), TIMEOUT no answer in time, CLOSED the socket closed under the call, REFUSED the proxy refused
 * the upgrade (status and body say why), UNREACHABLE the socket never opened (TLS, network).
 */
export type EngineErrorCode = 'ENGINE_CALL_FAILED' | 'ENGINE_TIMEOUT' | 'ENGINE_CLOSED' | 'ENGINE_REFUSED' | 'ENGINE_UNREACHABLE';

/** Every failure of an engine socket: a code to branch on, the cause in the message, the fix in the hint. */
export class EngineError<Code extends EngineErrorCode = EngineErrorCode> extends UsherError<Code> {
  override name = 'EngineError';
}

const TIMEOUT_HINT = 'the engine or the proxy in front of it is overloaded or stuck: check the engine service on that node, or allow a longer timeout';
const CLOSED_HINT = "the proxy ends the socket when the session ends or times out: log in again (the session's virtual proxy sets the inactivity timeout)";

/** What a person can do about the engine errors met in practice; any other code gets the general advice. */
const CALL_FAILED_HINTS: Partial<Record<number, string>> = {
  [QIX.LOCERR_GENERIC_ACCESS_DENIED]: "the user's security rules do not allow this: check the app's access in the QMC",
  [QIX.LOCERR_APP_NOT_FOUND]: 'no app with that id on this engine: check the app id in the hub or the QMC (Apps)',
  [QIX.LOCERR_GENERIC_NOT_FOUND]: 'the object or handle is gone: open the app again and ask again',
  [QIX.LOCERR_APP_NOT_OPEN]: 'open the app (OpenDoc) before asking for its objects',
  [QIX.LOCERR_JSON_RPC_METHOD_NOT_FOUND]: "this engine version has no such method: check the engine's version (EngineVersion) against the client's schema",
};
const CALL_FAILED_HINT = "the engine refused the call: read the QIX error's message, and the engine's log on that node (Qlik Sense Engine Service)";

function callFailedHint(qixCode: number): string {
  return CALL_FAILED_HINTS[qixCode] ?? CALL_FAILED_HINT;
}

/** A JSON-RPC error the engine answered (`qixCode` is the QIX error code: 5 access denied, -32601 no such method...). */
export class EngineCallError extends EngineError<'ENGINE_CALL_FAILED'> {
  override name = 'EngineCallError';
  constructor(
    readonly qixCode: number,
    message: string,
    readonly method: string,
  ) {
    super('ENGINE_CALL_FAILED', `${method}: ${message} (QIX error ${qixCode})`, callFailedHint(qixCode));
  }
}

/** The call got no answer within `timeoutMs`. */
export function engineTimeout(method: string, timeoutMs: number): EngineError<'ENGINE_TIMEOUT'> {
  return new EngineError('ENGINE_TIMEOUT', `${method}: no answer from the engine within ${timeoutMs} ms`, TIMEOUT_HINT);
}

/** The socket is gone before or while the call ran; `state` says how: `closed (1000 reason)`, `gone (...)`. */
export function engineClosed(method: string, state: string): EngineError<'ENGINE_CLOSED'> {
  return new EngineError('ENGINE_CLOSED', `${method}: the engine socket is ${state}`, CLOSED_HINT);
}

/** A tab's open engine socket. Every call is bounded in time by the implementation. */
export interface EngineTab {
  /** One JSON-RPC call; resolves with `result`, rejects with an EngineError (EngineCallError for an engine error). */
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
      waiter.reject(engineClosed(waiter.method, `closed (${reason})`));
    }
    this.pending.clear();
  }

  call(handle: number, method: string, params: unknown[]): Promise<Record<string, any>> {
    if (this.closedReason !== undefined) return Promise.reject(engineClosed(method, `closed (${this.closedReason})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(engineTimeout(method, this.timeoutMs));
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
export class EngineRefusedError extends EngineError<'ENGINE_REFUSED'> {
  override name = 'EngineRefusedError';
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(
      'ENGINE_REFUSED',
      `the proxy refused the engine socket: ${status}${body ? ` ${body.slice(0, 200)}` : ''}`,
      status === 403
        ? "check the virtual proxy's host allow list for the page's origin and that the socket carries the session cookie and qlik-csrf-token"
        : 'check that the session is logged in on this virtual proxy (a ticket or cookie on the upgrade)',
    );
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
      if (/Unexpected server response/.test(err.message)) return;
      const hint = 'check that the proxy is reachable and that its certificate is signed by the site CA (the trust check walks both)';
      reject(new EngineError('ENGINE_UNREACHABLE', `the engine socket to ${new URL(options.url).host} did not open: ${err.message}`, hint, { cause: err }));
    });
  });
}
