// Small HTTP helpers shared by the simulated QPS, QRS and proxy front end.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from './faults';

/** Qlik's exact answer when the xrfkey query parameter and header are missing or differ. */
export const XRFKEY_FAILURE_BODY = 'XSRF prevention check failed. Possible XSRF discovered.';
export const XRFKEY_PATTERN = /^[0-9a-zA-Z]{16}$/;

/** The request body limit of the simulated APIs (a ticket request is a few hundred bytes). */
const MAX_BODY_BYTES = 1024 * 1024;

export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'https://simulated.invalid');
}

/** Query parameter lookup ignoring the name's casing (`xrfkey`/`Xrfkey`, `qlikTicket`/`QlikTicket`). */
export function queryParam(url: URL, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** True when the request carries the same 16-character key in the query and in X-Qlik-Xrfkey. */
export function xrfkeyMatches(req: IncomingMessage, url: URL): boolean {
  const fromQuery = queryParam(url, 'xrfkey');
  const fromHeader = req.headers['x-qlik-xrfkey'];
  return typeof fromHeader === 'string' && fromQuery !== undefined && XRFKEY_PATTERN.test(fromQuery) && fromQuery === fromHeader;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequest('request body too large', 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parses a JSON request body; an empty body is undefined. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('request body is not valid JSON');
  }
}

export function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), ...headers });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string, setCookie?: string): void {
  const headers: Record<string, string | string[]> = { Location: location, 'Content-Length': '0' };
  if (setCookie) headers['Set-Cookie'] = [setCookie];
  res.writeHead(302, headers);
  res.end();
}

/** Sends JSON, cut into invalid JSON or trickled slowly when the site's faults say so. */
export function sendJson(res: ServerResponse, status: number, value: unknown, faults?: FaultInjector, malformed = false): void {
  let body = JSON.stringify(value);
  if (malformed) body = body.slice(0, Math.max(1, Math.floor(body.length / 2))) + '<html>';
  const data = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': data.length });
  const trickle = faults?.trickle;
  if (!trickle) {
    res.end(data);
    return;
  }
  let offset = 0;
  const timer = setInterval(() => {
    if (res.destroyed) {
      clearInterval(timer);
      return;
    }
    const end = Math.min(data.length, offset + trickle.bytes);
    res.write(data.subarray(offset, end));
    offset = end;
    if (offset >= data.length) {
      clearInterval(timer);
      res.end();
    }
  }, trickle.intervalMs);
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/**
 * Wraps an API handler with fault injection (latency, 503s, resets) and turns thrown BadRequests into
 * answers, so one failing request never takes the server down.
 */
export function withFaults(faults: FaultInjector, handler: (req: IncomingMessage, res: ServerResponse, malformed: boolean) => Promise<void> | void): Handler {
  return async (req, res) => {
    const draw = faults.draw();
    if (draw.latencyMs > 0) await new Promise((r) => setTimeout(r, draw.latencyMs));
    if (draw.action === 'reset') {
      req.socket.destroy();
      return;
    }
    if (draw.action === 'error') {
      sendText(res, 503, 'Service Unavailable');
      return;
    }
    try {
      await handler(req, res, draw.malformed);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof BadRequest) sendText(res, err.status, err.message);
      else sendText(res, 500, 'Internal Server Error');
    }
  };
}
