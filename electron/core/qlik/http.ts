// One QPS/QRS call: a fresh xrfkey, the connection's pinned TLS, a deadline over the whole exchange, a
// cap on the body read, error diagnosis, and a record in the log whether it worked or not.
import * as v from 'valibot';
import type tls from 'node:tls';
import type { Dispatcher } from 'undici';
import { undici } from '../undici';
import {
  QlikError,
  bodyTooLarge,
  classifyTransport,
  clientCertRefused,
  hostMismatch,
  httpError,
  notJson,
  transportError,
  untrustedServerCert,
  type CallContext,
} from './errors';
import { maskSecret } from '../../../shared/redact';
import { redactUrl, type HeaderLine, type RequestLog } from './request-log';
import { probeClientCertificate, readPeerCertificate } from './tls-diagnosis';
import { newXrfkey } from './xrfkey';

export interface TransportOptions {
  dispatcher: Dispatcher;
  timeoutMs: number;
  maxBodyBytes: number;
  /** false: every call closes its connection (`Connection: close`). */
  pooled: boolean;
  log: RequestLog;
  /** The connection's own TLS settings, reused by the client-certificate probe. */
  secureContext: tls.SecureContext;
  /** Subject of the pinned root.pem, for the untrusted-server message. */
  caSubject?: string;
  /** Subject and issuer of the client certificate (PEM pairs; a PFX's is read during the probe). */
  clientIdentity?: { subject: string; issuer: string };
}

/** Thrown by a call's `parse` when JSON arrived but not in the expected shape; becomes NOT_JSON. */
export class ShapeError extends Error {}

/**
 * A QPS or QRS answer read by its valibot schema, or a ShapeError: `is not <what>`, naming the field
 * that is missing or of the wrong type, as the NOT_JSON error then says it.
 */
export function readAnswer<S extends v.GenericSchema>(schema: S, json: unknown, what: string): v.InferOutput<S> {
  const result = v.safeParse(schema, json);
  if (result.success) return result.output;
  const key = result.issues[0].path?.at(-1)?.key;
  throw new ShapeError(`is not ${what}${typeof key === 'string' ? ` (no ${key})` : ''}`);
}

export interface CallSpec<T> {
  service: 'qps' | 'qrs';
  method: 'GET' | 'POST' | 'DELETE';
  /** Absolute URL without the xrfkey. */
  url: string;
  /** Serialised as JSON. */
  body?: unknown;
  /** Further Qlik headers (X-Qlik-User). */
  headers?: Record<string, string>;
  /** The virtual proxy prefix of a QPS call, for messages. */
  prefix?: string;
  /** Secret values of this call (a session id) to mask wherever an answer repeats them in prose. */
  secrets?: readonly string[];
  /** Statuses that mean success (QPS answers 201 for a ticket on most versions, 200 on some). */
  expect: readonly number[];
  parse(json: unknown): T;
}

// Diagnosis probes get their own short deadline: they only improve a message about a call that failed.
const PROBE_TIMEOUT_MS = 5_000;

export class QlikTransport {
  constructor(private readonly options: TransportOptions) {}

  async call<T>(spec: CallSpec<T>): Promise<T> {
    const { timeoutMs, maxBodyBytes } = this.options;
    const xrfkey = newXrfkey();
    const url = new URL(spec.url);
    url.searchParams.set('xrfkey', xrfkey);
    const qlikHeaders = { 'X-Qlik-Xrfkey': xrfkey, ...spec.headers };
    const requestBody = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    // Errors carry the URL with session ids masked; the probes only need its host and port.
    const ctx: CallContext = { service: spec.service, url: redactUrl(url.toString()), prefix: spec.prefix, timeoutMs, maxBodyBytes };

    const sentHeaders: Record<string, string> = {
      ...qlikHeaders,
      accept: 'application/json',
      'user-agent': 'Usher',
      ...(requestBody !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    };

    const startedAt = new Date();
    const started = performance.now();
    let durationMs: number | undefined;
    let status: number | undefined;
    let waitMs: number | undefined;
    let responseHeaders: HeaderLine[] | undefined;
    let text: string | undefined;
    let failure: QlikError | undefined;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      try {
        const res = await undici().request(url, {
          dispatcher: this.options.dispatcher,
          method: spec.method,
          headers: sentHeaders,
          body: requestBody,
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          reset: !this.options.pooled,
        });
        status = res.statusCode;
        waitMs = performance.now() - started;
        responseHeaders = headerLines(res.headers);
        text = (await readLimited(res, maxBodyBytes, () => bodyTooLarge(ctx, res.statusCode))).toString('utf8');
      } catch (err) {
        durationMs = performance.now() - started;
        if (err instanceof QlikError) throw err;
        // The deadline fired: whatever undici reports (abort, socket destroyed) is a timeout.
        if (signal.aborted) throw transportError(ctx, { kind: 'timeout', message: 'deadline passed', cause: err });
        throw await this.diagnose(ctx, err);
      }
      durationMs = performance.now() - started;
      // Error texts such as `Session "<id>" was not found` repeat the secret; messages and the log must not.
      if (!spec.expect.includes(status)) throw httpError(ctx, status, maskValues(text, spec.secrets));
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw notJson(ctx, status, maskValues(text, spec.secrets));
      }
      try {
        return spec.parse(json);
      } catch (err) {
        if (err instanceof ShapeError) throw notJson(ctx, status, maskValues(text, spec.secrets), err.message);
        throw err;
      }
    } catch (err) {
      if (err instanceof QlikError) failure = err;
      throw err;
    } finally {
      this.options.log.add({
        service: spec.service,
        method: spec.method,
        url: url.toString(),
        ...(status !== undefined ? { status } : {}),
        startedAt: startedAt.toISOString(),
        durationMs: Math.round(durationMs ?? performance.now() - started),
        ...(requestBody !== undefined ? { requestBody } : {}),
        ...(text !== undefined ? { responseBody: maskValues(text, spec.secrets) } : {}),
        ...(failure ? { errorCode: failure.code } : {}),
        headers: qlikHeaders,
        sentHeaders: Object.entries(sentHeaders).map(([name, value]) => ({ name, value })),
        ...(responseHeaders ? { responseHeaders } : {}),
        ...(waitMs !== undefined ? { waitMs: Math.round(waitMs) } : {}),
      });
    }
  }

  /** Turns a transport error into the most specific QlikError the evidence supports. */
  private async diagnose(ctx: CallContext, err: unknown): Promise<QlikError> {
    const failure = classifyTransport(err);
    const probeMs = Math.min(this.options.timeoutMs, PROBE_TIMEOUT_MS);
    switch (failure.kind) {
      case 'untrusted':
        return untrustedServerCert(ctx, failure, await readPeerCertificate(ctx.url, probeMs), this.options.caSubject);
      case 'altname':
        return hostMismatch(ctx, failure, await readPeerCertificate(ctx.url, probeMs));
      case 'alert':
      case 'closed': {
        // Under TLS 1.3 a refused client certificate looks like any other closed connection; only a
        // second handshake tells the two apart.
        const probe = await probeClientCertificate(ctx.url, this.options.secureContext, probeMs);
        if (failure.kind === 'alert' || probe.verdict === 'refused') {
          return clientCertRefused(ctx, failure, this.options.clientIdentity ?? probe.presented);
        }
        return transportError(ctx, failure);
      }
      default:
        return transportError(ctx, failure);
    }
  }
}

/** undici's header object as lines, a repeated header (Set-Cookie) one line per value. */
function headerLines(headers: Dispatcher.ResponseData['headers']): HeaderLine[] {
  return Object.entries(headers).flatMap(([name, value]) =>
    value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((one) => ({ name, value: String(one) })),
  );
}

function maskValues(text: string, secrets: readonly string[] | undefined): string {
  let out = text;
  for (const secret of secrets ?? []) if (secret.length > 0) out = out.split(secret).join(maskSecret(secret));
  return out;
}

/**
 * Reads a body, giving up (and dropping the connection) once it passes `maxBytes`: at once when the
 * declared Content-Length is larger, otherwise as soon as the streamed bytes pass it.
 */
export async function readLimited(res: Dispatcher.ResponseData, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    // The abort of a body nobody reads is reported as an error event; nothing is left to hear it.
    res.body.on('error', () => undefined);
    res.body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > maxBytes) {
      res.body.destroy();
      throw tooLarge();
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
