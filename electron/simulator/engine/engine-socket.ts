// One WebSocket to the engine: JSON-RPC 2.0 as the engine and proxy speak it. The engine's OnConnected
// comes first; through the proxy, OnAuthenticationInformation answers the client's first message (as
// Qlik documents it) before that message's response. Responses carry `delta` patches when asked for,
// and `change`/`close` lists of handles; sockets attached to the same session are told of changes too.
import type { RawData, WebSocket } from 'ws';
import { DeltaCache } from './delta';
import { dispatch } from './dispatch';
import type { CallContext, CallOutcome } from './handlers';
import { QIX, QixError } from './qix-error';

export type SessionState = 'SESSION_CREATED' | 'SESSION_ATTACHED';

/** The proxy's message on a socket's first request (ProxyServiceAPI "OnAuthenticationInformation"). */
export type SignedIn = { userId: string; userDirectory: string; logoutUri: string; mustAuthenticate: false };
export type AuthenticationInformation = SignedIn | { loginUri: string; mustAuthenticate: true };

/** The proxy's messages when a session ends; each is followed by the socket's close. */
export type SessionEndMessage = 'OnSessionLoggedOut' | 'OnSessionTimedOut' | 'OnSessionClosed';

export const SESSION_END_TEXT: Record<SessionEndMessage, string> = {
  OnSessionLoggedOut: 'User logged out manually',
  OnSessionTimedOut: 'Session timed out due to inactivity',
  OnSessionClosed: 'Session closed by server',
};

/** Bounded: a request bigger than this is not a sane engine call (the server closes with 1009). */
export const MAX_ENGINE_MESSAGE_BYTES = 4 * 1024 * 1024;

interface Request {
  id?: number | string;
  handle: number;
  method: string;
  params?: unknown;
  delta?: boolean;
}

function parseRequest(text: string): Request | QixError {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return new QixError(QIX.LOCERR_JSON_RPC_PARSE_ERROR, '', 'Parse error');
  }
  const m = message as Partial<Request>;
  if (typeof message !== 'object' || message === null || Array.isArray(message) || typeof m.method !== 'string' || typeof m.handle !== 'number') {
    return new QixError(QIX.LOCERR_JSON_RPC_INVALID_REQUEST, '', 'Invalid request');
  }
  return m as Request;
}

export interface EngineSocketOptions {
  ctx: CallContext;
  state: SessionState;
  /** Through the proxy: what OnAuthenticationInformation says. Direct (4747): nothing. */
  authentication?: SignedIn;
  /** Every message counts as activity on the proxy session (it keeps it from timing out). */
  onActivity?: () => void;
  /** Other sockets on the same engine session, told of changes this one causes. */
  peers: () => Iterable<EngineSocket>;
  onClose: () => void;
}

export class EngineSocket {
  private readonly delta = new DeltaCache();
  private spoken = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly options: EngineSocketOptions,
  ) {
    ws.on('message', (data: RawData) => this.onMessage(data));
    ws.on('close', () => options.onClose());
    ws.on('error', () => ws.terminate());
    this.notify('OnConnected', { qSessionState: options.state });
  }

  private corked = false;

  private send(message: Record<string, unknown>): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    // Answers to the requests of one network read leave in one TLS write: each frame on its own would be
    // a record and a syscall of its own (ws has no batching API; its socket is the only handle on it).
    const raw = (this.ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    if (raw && !this.corked) {
      this.corked = true;
      raw.cork();
      process.nextTick(() => {
        this.corked = false;
        raw.uncork();
      });
    }
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', ...message }));
  }

  notify(method: string, params: Record<string, unknown>): void {
    this.send({ method, params });
  }

  /** Handles changed by another socket of the same session. */
  changed(handles: number[]): void {
    if (handles.length) this.send({ change: handles });
  }

  /** Sends one of the proxy's session-end messages, then closes, as the proxy does. */
  endSession(message: SessionEndMessage): void {
    this.notify(message, { severity: 'fatal', timestamp: new Date().toISOString(), message: SESSION_END_TEXT[message] });
    this.ws.close(1000, message);
  }

  /** Closes with a close frame; a client that never answers it is cut off a second later (a site must stop). */
  close(code = 1001, reason = 'Engine shutting down'): void {
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), 1_000).unref();
  }

  private onMessage(data: RawData): void {
    const auth = this.options.authentication;
    if (!this.spoken) {
      this.spoken = true;
      if (auth) this.notify('OnAuthenticationInformation', auth);
    }
    this.options.onActivity?.();
    const request = parseRequest(data.toString());
    if (request instanceof QixError) {
      this.send({ id: null, error: request.body() });
      return;
    }
    let outcome: CallOutcome;
    try {
      outcome = dispatch(this.options.ctx, request.handle, request.method, request.params);
    } catch (err) {
      if (request.id === undefined) return;
      const error = err instanceof QixError ? err : new QixError(QIX.LOCERR_JSON_RPC_INTERNAL_ERROR, '', 'Internal error');
      this.send({ id: request.id, error: error.body() });
      return;
    }
    for (const handle of outcome.closed ?? []) this.delta.forget(handle);
    if (outcome.changed?.length) for (const peer of this.options.peers()) if (peer !== this) peer.changed(outcome.changed);
    if (request.id === undefined) return;
    const response: Record<string, unknown> = { id: request.id };
    if (request.delta === true) {
      response.delta = true;
      response.result = Object.fromEntries(
        Object.entries(outcome.result).map(([key, value]) => [key, this.delta.patches(request.handle, request.method, key, value)]),
      );
    } else {
      response.result = outcome.result;
    }
    if (outcome.changed?.length) response.change = outcome.changed;
    if (outcome.closed?.length) response.close = outcome.closed;
    this.send(response);
  }
}
