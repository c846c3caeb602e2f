// enigma.js (Qlik's own engine client) against the built-in site, over real TLS and real WebSockets, with
// what it received recorded so tests can check the proxy's and engine's notifications.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import enigma from 'enigma.js';
import WebSocket, { type ClientOptions } from 'ws';

// Resolved from the project root, as the package is installed there.
const require = createRequire(join(__dirname, '..', '..', 'package.json'));

/** Qlik's published engine schema (12.x), as the enigma.js package ships it. */
export const QIX_SCHEMA: object = JSON.parse(readFileSync(require.resolve('enigma.js/schemas/12.2027.0.json'), 'utf8'));

export interface EnigmaHandle {
  session: EnigmaJS.Session;
  /** Every message received, in order. */
  received: Array<Record<string, any>>;
  /** The 101 answer of the upgrade (its Set-Cookie, for a ticket redeemed on the socket). */
  upgrade: Promise<IncomingMessage>;
  /** Resolves with the close code when the socket closes. */
  closed: Promise<number>;
}

export function enigmaSession(url: string, options: ClientOptions = {}, config: Partial<EnigmaJS.Configuration> = {}): EnigmaHandle {
  let resolveUpgrade!: (res: IncomingMessage) => void;
  let resolveClosed!: (code: number) => void;
  const upgrade = new Promise<IncomingMessage>((r) => (resolveUpgrade = r));
  const closed = new Promise<number>((r) => (resolveClosed = r));
  const session = enigma.create({
    schema: QIX_SCHEMA,
    url,
    createSocket: (u: string) => {
      const ws = new WebSocket(u, options);
      ws.on('upgrade', resolveUpgrade);
      ws.on('close', (code) => resolveClosed(code));
      return ws as never;
    },
    ...config,
  });
  const received: Array<Record<string, any>> = [];
  session.on('traffic:received', (data: Record<string, any>) => received.push(data));
  return { session, received, upgrade, closed };
}

/** A notification of `method` once it has arrived (polls the record; bounded). */
export async function notification(handle: EnigmaHandle, method: string, timeoutMs = 5_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = handle.received.find((m) => m.method === method);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no ${method} within ${timeoutMs} ms; received: ${JSON.stringify(handle.received.map((m) => m.method ?? m.id))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Opens a raw WebSocket and resolves with the refusal (status and body) or rejects if it opened. */
export function refusal(url: string, options: ClientOptions = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => {
      ws.close();
      reject(new Error('the upgrade was accepted'));
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}
