// Shared by the proxy's and the engine port's WebSocket upgrades: refusing an upgrade with a plain HTTP
// answer, reading the engine path, and one ws server that adds per-request headers to the 101 answer.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_ENGINE_MESSAGE_BYTES } from './engine-socket';

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };

/** Answers an upgrade request with a plain HTTP error (what a client's handshake then reports). */
export function refuseUpgrade(socket: Duplex, status: number, body: string): void {
  const text = Buffer.from(body, 'utf8');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * The app a socket path names: `/app/{appId}` (optionally followed by more segments such as
 * `/identity/x`) or `/app/engineData`. Undefined for any other path.
 */
export function engineAppId(rest: string): string | undefined {
  const parts = rest.split('/').slice(1);
  if (parts[0] !== 'app' || !parts[1]) return undefined;
  try {
    return decodeURIComponent(parts[1]);
  } catch {
    return undefined;
  }
}

/** A ws server without its own listener; `extraHeaders` lets a caller put Set-Cookie on the 101 answer. */
export function createUpgradeServer(): {
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, headers: string[], done: (ws: WebSocket) => void): void;
  close(): void;
} {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_ENGINE_MESSAGE_BYTES, perMessageDeflate: false });
  const pending = new WeakMap<IncomingMessage, string[]>();
  wss.on('headers', (headers, req) => {
    headers.push(...(pending.get(req) ?? []));
  });
  return {
    accept(req, socket, head, headers, done) {
      pending.set(req, headers);
      wss.handleUpgrade(req, socket, head, done);
    },
    close() {
      wss.close();
    },
  };
}
