// Every failure of a QPS/QRS call becomes one QlikError: a code the UI and CLI can branch on, a message
// saying what happened, and a hint a Qlik administrator can act on. The classification here is pure;
// http.ts gathers the facts (status, body, the TLS diagnosis) and asks for the error.
import type { QlikErrorCode } from '../../../shared/request-log';
import { redactBody } from '../../../shared/request-log';
import { UsherError } from '../../../shared/errors';

export type { QlikErrorCode } from '../../../shared/request-log';

export class QlikError extends UsherError<QlikErrorCode> {
  override name = 'QlikError';
  declare readonly hint: string;
  readonly status?: number;
  readonly url?: string;

  constructor(code: QlikErrorCode, message: string, hint: string, details: { status?: number; url?: string; cause?: unknown } = {}) {
    super(code, message, hint, details);
    if (details.status !== undefined) this.status = details.status;
    if (details.url !== undefined) this.url = details.url;
  }
}

/** Where a failed call went: enough to word the message. `url` is already redacted. */
export interface CallContext {
  service: 'qps' | 'qrs';
  url: string;
  /** The QPS virtual proxy prefix ('' for the default one). */
  prefix?: string;
  timeoutMs: number;
  maxBodyBytes: number;
}

function serviceName(service: 'qps' | 'qrs'): string {
  return service === 'qps' ? 'the Qlik Sense Proxy Service (QPS)' : 'the Qlik Sense Repository Service (QRS)';
}

function hostPort(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function portOf(url: string): string {
  try {
    const u = new URL(url);
    return u.port || '443';
  } catch {
    return '?';
  }
}

/** A short, single-line, redacted taste of a body for messages. */
export function excerpt(body: string, max = 200): string {
  const flat = redactBody(body).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

// ---------------------------------------------------------------------------------------------------
// Transport failures (nothing or no complete answer came back)

export type TransportKind =
  /** The server certificate does not chain to the pinned CA, or is out of its validity. */
  | 'untrusted'
  /** The server certificate is fine but issued for other names. */
  | 'altname'
  /** The server sent a TLS alert about our certificate: a refused client certificate. */
  | 'alert'
  /** The socket closed or was reset without an answer: a refused client certificate under TLS 1.3, or a reset. */
  | 'closed'
  | 'refused'
  | 'dns'
  | 'timeout'
  | 'unknown';

export interface TransportFailure {
  kind: TransportKind;
  /** The most telling error code found (Node, OpenSSL or undici). */
  code?: string;
  message: string;
  /** Node's short reason on a TLS error (`Host: x. is not in the cert's altnames: DNS:y`). */
  reason?: string;
  /** The original error, kept as the QlikError's cause. */
  cause?: unknown;
}

const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'INVALID_PURPOSE',
]);

/** OpenSSL's code for a chain whose extended key usage does not allow serving TLS (a clientAuth-only certificate). */
export const WRONG_PURPOSE_CODE = 'INVALID_PURPOSE';

export const SERVER_AUTH_HINT =
  "Reissue the proxy's server certificate with the serverAuth extended key usage (TLS Web Server Authentication), as the certificates Qlik Sense creates have: " +
  'a client certificate (clientAuth only) cannot serve HTTPS. Never turn TLS verification off.';

/** The words for WRONG_PURPOSE_CODE; OpenSSL does not say which certificate of the chain it was. */
export function wrongPurposeText(where: string): string {
  return `the server certificate of ${where} (or a CA certificate above it) is not for TLS servers: its extended key usage lacks serverAuth`;
}

// OpenSSL's names for alerts a server sends when it does not accept the client's certificate.
const CLIENT_CERT_ALERT =
  /ALERT_(CERTIFICATE_REQUIRED|UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|ACCESS_DENIED|DECRYPT_ERROR|HANDSHAKE_FAILURE)/;
const CLIENT_CERT_ALERT_TEXT =
  /alert (certificate required|unknown ca|bad certificate|certificate unknown|unsupported certificate|certificate expired|certificate revoked|access denied|decrypt error|handshake failure)/i;

const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CLOSED']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'ABORT_ERR']);

interface ChainEntry {
  code?: string;
  message: string;
  name?: string;
  reason?: string;
}

/** The error, its causes and the members of an AggregateError (happy-eyeballs connects), flattened. */
function errorChain(err: unknown): ChainEntry[] {
  const out: ChainEntry[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): void => {
    if (e === null || e === undefined || seen.has(e) || depth > 8) return;
    seen.add(e);
    if (typeof e !== 'object') {
      out.push({ message: String(e) });
      return;
    }
    const rec = e as { code?: unknown; message?: unknown; name?: unknown; reason?: unknown; cause?: unknown; errors?: unknown };
    out.push({
      code: typeof rec.code === 'string' ? rec.code : undefined,
      message: typeof rec.message === 'string' ? rec.message : String(e),
      name: typeof rec.name === 'string' ? rec.name : undefined,
      reason: typeof rec.reason === 'string' ? rec.reason : undefined,
    });
    visit(rec.cause, depth + 1);
    if (Array.isArray(rec.errors)) for (const inner of rec.errors) visit(inner, depth + 1);
  };
  visit(err, 0);
  return out;
}

/** Sorts a low-level error into what went wrong, most specific evidence first. */
export function classifyTransport(err: unknown): TransportFailure {
  return { ...classifyChain(err), cause: err };
}

function classifyChain(err: unknown): TransportFailure {
  const chain = errorChain(err);
  const message = chain[0]?.message ?? String(err);
  const find = (test: (e: ChainEntry) => boolean): ChainEntry | undefined => chain.find(test);

  const altname = find((e) => e.code === 'ERR_TLS_CERT_ALTNAME_INVALID');
  if (altname) return { kind: 'altname', code: altname.code, message: altname.message, ...(altname.reason ? { reason: altname.reason } : {}) };
  const untrusted = find((e) => e.code !== undefined && UNTRUSTED_CODES.has(e.code));
  if (untrusted) return { kind: 'untrusted', code: untrusted.code, message: untrusted.message };
  const alert = find((e) => (e.code !== undefined && CLIENT_CERT_ALERT.test(e.code)) || CLIENT_CERT_ALERT_TEXT.test(e.message));
  if (alert) return { kind: 'alert', code: alert.code, message: alert.message };
  const timeout = find((e) => (e.code !== undefined && TIMEOUT_CODES.has(e.code)) || e.name === 'TimeoutError');
  if (timeout) return { kind: 'timeout', code: timeout.code, message: timeout.message };
  const refused = find((e) => e.code !== undefined && REFUSED_CODES.has(e.code));
  if (refused) return { kind: 'refused', code: refused.code, message: refused.message };
  const dns = find((e) => e.code !== undefined && DNS_CODES.has(e.code));
  if (dns) return { kind: 'dns', code: dns.code, message: dns.message };
  const closed = find(
    (e) => (e.code !== undefined && CLOSED_CODES.has(e.code)) || /other side closed|socket hang up|disconnected before secure TLS/i.test(e.message),
  );
  if (closed) return { kind: 'closed', code: closed.code, message: closed.message };
  return { kind: 'unknown', code: chain.find((e) => e.code)?.code, message };
}

/** What the server's certificate says, read by the diagnosis probe (never from a trusted connection). */
export interface PeerCertificateInfo {
  subject: string;
  issuer: string;
  /** DNS names and IP addresses from subjectAltName. */
  altNames: string[];
  validFrom?: string;
  validTo?: string;
}

const FIX_CA_HINT =
  "Use this site's root.pem: QMC > Certificates > Export (or C:\\ProgramData\\Qlik\\Sense\\Repository\\Exported Certificates on the central node). " +
  'A root.pem from another site, or from before the certificates were re-created, will not match. Never turn TLS verification off.';

export function untrustedServerCert(
  ctx: CallContext,
  failure: TransportFailure,
  peer: PeerCertificateInfo | undefined,
  pinnedCa: string | undefined,
): QlikError {
  const where = hostPort(ctx.url);
  const who = peer ? ` (subject ${peer.subject}, issued by ${peer.issuer})` : '';
  if (failure.code === 'CERT_HAS_EXPIRED' || failure.code === 'CERT_NOT_YET_VALID') {
    const when =
      failure.code === 'CERT_HAS_EXPIRED' ? `expired${peer?.validTo ? ` on ${peer.validTo}` : ''}` : `is not valid before ${peer?.validFrom ?? 'a later date'}`;
    return new QlikError(
      'UNTRUSTED_SERVER_CERT',
      `the server certificate of ${where}${who} ${when}`,
      "Renew the node's certificates: the Qlik Sense Repository Service re-creates them when restarted with new certificates in the QMC; check the clocks of this machine and the server too.",
      { url: ctx.url, cause: failure.cause },
    );
  }
  if (failure.code === WRONG_PURPOSE_CODE) {
    return new QlikError('UNTRUSTED_SERVER_CERT', wrongPurposeText(`${where}${who}`), SERVER_AUTH_HINT, { url: ctx.url, cause: failure.cause });
  }
  const pinned = pinnedCa ? `the pinned site CA (${pinnedCa})` : 'the pinned site CA (root.pem)';
  return new QlikError('UNTRUSTED_SERVER_CERT', `the server certificate of ${where}${who} is not signed by ${pinned}`, FIX_CA_HINT, {
    url: ctx.url,
    cause: failure.cause,
  });
}

export function hostMismatch(ctx: CallContext, failure: TransportFailure, peer: PeerCertificateInfo | undefined): QlikError {
  let host = ctx.url;
  let port = '';
  try {
    const u = new URL(ctx.url);
    host = u.hostname;
    port = u.port ? `:${u.port}` : '';
  } catch {
    /* keep the raw text */
  }
  const names = peer?.altNames.length ? peer.altNames : [];
  const carries = names.length ? `it is issued for ${names.join(', ')}` : 'it carries no name matching it';
  const example = names.find((n) => !n.includes('*'));
  return new QlikError(
    'HOST_MISMATCH',
    `the server certificate of ${host}${port} does not name "${host}": ${carries}`,
    `Call the node by the host name Qlik registered for it (serverNodeConfiguration.hostName in the QRS proxy service list)${example ? `, e.g. https://${example}${port}` : ''}; add a hosts-file entry if this machine cannot resolve that name.`,
    { url: ctx.url, cause: failure.cause },
  );
}

export function clientCertRefused(ctx: CallContext, failure: TransportFailure, clientCert: { subject: string; issuer: string } | undefined): QlikError {
  const which = clientCert ? `the client certificate (subject ${clientCert.subject}, issued by ${clientCert.issuer})` : 'the client certificate';
  return new QlikError(
    'CLIENT_CERT_REFUSED',
    `${hostPort(ctx.url)} refused ${which} during the TLS handshake`,
    "The client certificate must be issued by this site's CA: export client.pem and client_key.pem (or client.pfx) from this site's QMC > Certificates. " +
      'One from another site, a test install or before the certificates were re-created is refused.',
    { url: ctx.url, cause: failure.cause },
  );
}

export function transportError(ctx: CallContext, failure: TransportFailure): QlikError {
  const where = hostPort(ctx.url);
  const port = portOf(ctx.url);
  const opts = { url: ctx.url, cause: failure.cause };
  switch (failure.kind) {
    case 'timeout':
      return new QlikError(
        'TIMEOUT',
        `no complete answer from ${where} within ${ctx.timeoutMs} ms`,
        `Check that ${serviceName(ctx.service)} runs on that node and that firewalls let port ${port} through; on a slow or busy site raise the timeout.`,
        opts,
      );
    case 'refused':
      return new QlikError(
        'CONNECTION_REFUSED',
        `${where} refused the connection${failure.code && failure.code !== 'ECONNREFUSED' ? ` (${failure.code})` : ''}`,
        `Nothing accepts connections on port ${port} there: check the port (QPS 4243, QRS 4242), that ${serviceName(ctx.service)} is running, and that a firewall allows it.`,
        opts,
      );
    case 'dns':
      return new QlikError(
        'DNS',
        `cannot resolve the host name of ${where}`,
        "Check the spelling; use the node's serverNodeConfiguration.hostName as the QRS lists it, and make sure this machine's DNS (or hosts file) knows it.",
        opts,
      );
    case 'closed':
    case 'alert':
      return new QlikError(
        'CONNECTION_RESET',
        `${where} closed the connection before answering`,
        'The service may have restarted, or a proxy, load balancer or TLS-inspecting firewall between here and the node cuts the connection; try again, then check the network path.',
        opts,
      );
    default:
      return new QlikError(
        'HTTP_ERROR',
        `the call to ${where} failed: ${failure.message}`,
        'Check the address and that the node is reachable from this machine.',
        opts,
      );
  }
}

// ---------------------------------------------------------------------------------------------------
// Answers that came back but are not what was asked for

const XSRF_FAILURE_TEXT = /XSRF prevention check failed/i;
const TOO_MANY_SESSIONS_TEXT = /too many sessions/i;
// "Virtual proxy "x" is not configured" / "unknown virtual proxy": but not a session-not-found text that
// merely names the virtual proxy it looked in ("Session ... was not found on virtual proxy "x"").
const UNKNOWN_VIRTUAL_PROXY_TEXT = /virtual ?proxy\b[^.]*?\b(is not|isn't|not) (configured|found|known)|\b(unknown|no such|no) virtual ?proxy/i;

/** An HTTP answer with a status that is not the success the call expects. */
export function httpError(ctx: CallContext, status: number, body: string): QlikError {
  const where = hostPort(ctx.url);
  const text = excerpt(body);
  const said = text ? `: ${text}` : '';
  const opts = { status, url: ctx.url };
  if (status === 403 && XSRF_FAILURE_TEXT.test(body)) {
    return new QlikError(
      'XRFKEY_REJECTED',
      `${serviceName(ctx.service)} on ${where} rejected the xrfkey (403 "XSRF prevention check failed")`,
      'The xrfkey query parameter and the X-Qlik-Xrfkey header must carry the same 16 letters and digits; a reverse proxy or gateway in front of the node may strip the header or rewrite the query.',
      opts,
    );
  }
  if (status === 404 && ctx.service === 'qps' && UNKNOWN_VIRTUAL_PROXY_TEXT.test(body)) {
    const prefix = ctx.prefix ? `"${ctx.prefix}"` : 'the default virtual proxy';
    return new QlikError(
      'UNKNOWN_VIRTUAL_PROXY',
      `the QPS on ${where} does not serve virtual proxy ${prefix}${said}`,
      'Check the prefix (lower case, as in QMC > Virtual proxies > Prefix), that the virtual proxy exists in the QRS (usher proxies lists them), and that the proxy of this node links it (QMC > Proxies > this node > Virtual proxies).',
      opts,
    );
  }
  if (status === 404) {
    return new QlikError(
      'NOT_FOUND',
      `${where} has nothing at ${pathOf(ctx.url)} (404)${said}`,
      ctx.service === 'qps'
        ? 'A session or user not found has ended, timed out, or lives on another node: sessions belong to the proxy node that created them.'
        : 'Check the QRS address (port 4242) and that the object still exists.',
      opts,
    );
  }
  if (status === 400 && TOO_MANY_SESSIONS_TEXT.test(body)) {
    return new QlikError(
      'TOO_MANY_SESSIONS',
      `the user already has the most parallel sessions Qlik allows (5 per user)${said}`,
      "End sessions the user no longer needs (their sessions on each node, or log out in the browsers), or wait for the virtual proxy's inactivity timeout: closed tabs keep counting until then.",
      opts,
    );
  }
  if (status === 400) {
    return new QlikError(
      'BAD_REQUEST',
      `${serviceName(ctx.service)} refused the request (400)${said}`,
      'Check the user directory and user id (trimmed, not empty, no backslash), that attributes are single-key objects, and the session id.',
      opts,
    );
  }
  return new QlikError('HTTP_ERROR', `${serviceName(ctx.service)} on ${where} answered HTTP ${status}${said}`, httpHint(ctx, status), opts);
}

function httpHint(ctx: CallContext, status: number): string {
  if ((status === 401 || status === 403) && ctx.service === 'qrs') {
    return 'The X-Qlik-User of the call lacks rights: the repository user (default INTERNAL\\sa_repository) must be allowed to read virtual proxies and proxy services.';
  }
  if (status === 401 || status === 403) return 'The node refused the call: check that the client certificate is the one this site exported.';
  if (status === 503) return `${serviceName(ctx.service)} is starting, stopping or overloaded; try again shortly and check the service on the node.`;
  if (status >= 500) return `${serviceName(ctx.service)} reported an internal error; its log on the node (C:\\ProgramData\\Qlik\\Sense\\Log) says why.`;
  return `Check the address: port ${portOf(ctx.url)} should be ${ctx.service === 'qps' ? 'the QPS (4243)' : 'the QRS (4242)'}.`;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

export function notJson(ctx: CallContext, status: number, body: string, why = 'is not JSON'): QlikError {
  const text = excerpt(body, 120);
  return new QlikError(
    'NOT_JSON',
    `${serviceName(ctx.service)} on ${hostPort(ctx.url)} answered ${status} with a body that ${why}${text ? `: ${text}` : ''}`,
    `Something other than Qlik may answer on port ${portOf(ctx.url)} (a web server, a gateway's login page), or the answer was cut; check the address and port.`,
    { status, url: ctx.url },
  );
}

export function bodyTooLarge(ctx: CallContext, status: number | undefined): QlikError {
  return new QlikError(
    'BODY_TOO_LARGE',
    `the answer from ${hostPort(ctx.url)} is larger than ${ctx.maxBodyBytes} bytes; stopped reading`,
    'Check that the address is the QPS/QRS API and not a download; a site with very many sessions may need a larger body limit.',
    { status, url: ctx.url },
  );
}

/** The client certificate or key given to the connection cannot be used (before any network call). */
export function badClientCert(message: string, hint: string, cause?: unknown): QlikError {
  return new QlikError('BAD_CLIENT_CERT', message, hint, { cause });
}
