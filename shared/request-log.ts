// The record of one QPS/QRS call as people see it (console request log, CLI --verbose), its redaction,
// and its rendering as a curl or PowerShell command an administrator can re-run on their own machine.
// Pure: used by the main process (which records) and the renderer (which shows and copies).
import { QMC_EXPORT_FILES } from './qmc-export';
import { maskSecret, maskTickets } from './redact';

export type QlikErrorCode =
  | 'UNTRUSTED_SERVER_CERT'
  | 'HOST_MISMATCH'
  | 'CLIENT_CERT_REFUSED'
  | 'BAD_CLIENT_CERT'
  | 'XRFKEY_REJECTED'
  | 'UNKNOWN_VIRTUAL_PROXY'
  | 'NOT_FOUND'
  | 'TIMEOUT'
  | 'CONNECTION_REFUSED'
  | 'CONNECTION_RESET'
  | 'DNS'
  | 'NOT_JSON'
  | 'BODY_TOO_LARGE'
  | 'BAD_REQUEST'
  | 'TOO_MANY_SESSIONS'
  | 'HTTP_ERROR';

export interface RequestRecord {
  id: number;
  service: 'qps' | 'qrs';
  method: string;
  /** Session ids in the path are masked; the xrfkey stays (it protects nothing once the call is made). */
  url: string;
  status?: number;
  /** ISO 8601. */
  startedAt: string;
  durationMs: number;
  /** Tickets and session ids masked. */
  requestBody?: string;
  /** Tickets and session ids masked; long bodies cut. */
  responseBody?: string;
  errorCode?: QlikErrorCode;
  /** The Qlik headers sent (X-Qlik-Xrfkey, X-Qlik-User for QRS): nothing secret, needed to re-run the call. */
  headers?: Record<string, string>;
  /** Every header sent, the Qlik ones included (for an HTTP archive); nothing secret is sent in a header. */
  sentHeaders?: HeaderLine[];
  /** The response's headers, cookie values and tickets masked (redactHeaders). */
  responseHeaders?: HeaderLine[];
  /** Milliseconds from the start until the response's headers arrived (the rest of durationMs read the body). */
  waitMs?: number;
  /** The site the call was made for: a profile id, or the trust check's label for a site not saved yet. */
  site?: string;
}

/** One header as sent or received, in order; a repeated header (Set-Cookie) is one line each. */
export interface HeaderLine {
  name: string;
  value: string;
}

/** JSON keys whose string values are bearer secrets: a ticket or a session id lets anyone in as the user. */
const SECRET_VALUE = /("(?:ticket|sessionid)"\s*:\s*")((?:[^"\\]|\\.)*)(")/gi;

/**
 * Masks ticket and session id values in a JSON text. Works on text rather than parsed JSON so that a
 * malformed or cut body is masked too, and the body keeps its original formatting.
 */
export function redactBody(body: string): string {
  return body.replace(SECRET_VALUE, (_m, open: string, value: string, close: string) => open + maskSecret(value) + close);
}

/** Masks the session id in `/session/{id}` paths. */
export function redactUrl(url: string): string {
  return url.replace(/(\/session\/)([^/?#]+)/gi, (_m, lead: string, id: string) => lead + maskSecret(id));
}

/** Each `name=value` pair of a cookie header masked (the attributes of a Set-Cookie stay readable). */
function maskCookieValues(header: string, setCookie: boolean): string {
  const mask = (pair: string): string => pair.replace(/^(\s*[^=;]+=)(.*)$/, (_m, name: string, value: string) => name + maskSecret(value.trim()));
  if (setCookie) {
    const [pair = '', ...attributes] = header.split(';');
    return [mask(pair), ...attributes].join(';');
  }
  return header.split(';').map(mask).join(';');
}

/**
 * Header lines with their secrets masked: cookie values (a session cookie logs anyone in), session ids in
 * addresses (Location) and qlikTicket parameters. Everything else is protocol detail worth keeping.
 */
export function redactHeaders(headers: readonly HeaderLine[]): HeaderLine[] {
  return headers.map(({ name, value }) => {
    const lower = name.toLowerCase();
    if (lower === 'cookie' || lower === 'set-cookie') return { name, value: maskCookieValues(value, lower === 'set-cookie') };
    return { name, value: maskTickets(redactUrl(value)) };
  });
}

/** The certificate files as the QMC export names them; commands refer to them, never embed them. */
/** Certificate files appear in rendered commands by their QMC export names, never as key material. */
export const CERT_PLACEHOLDERS = QMC_EXPORT_FILES;

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function psQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function methodHasBody(record: RequestRecord): boolean {
  return record.requestBody !== undefined && record.requestBody !== '';
}

/** A curl command reproducing the call with the QMC export's file names in place of key material. */
export function toCurl(record: RequestRecord): string {
  const lines = [
    `curl -X ${record.method.toUpperCase()} ${shellQuote(record.url)}`,
    `--cert ${CERT_PLACEHOLDERS.cert} --key ${CERT_PLACEHOLDERS.key} --cacert ${CERT_PLACEHOLDERS.ca}`,
    ...Object.entries(record.headers ?? {}).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`),
  ];
  if (methodHasBody(record)) {
    lines.push(`-H ${shellQuote('Content-Type: application/json')}`, `-d ${shellQuote(record.requestBody ?? '')}`);
  }
  return lines.join(' \\\n  ');
}

/**
 * An Invoke-RestMethod command. Windows PowerShell checks the server against the machine's trust store,
 * so the first line says how to trust root.pem (it has no per-call CA option).
 */
export function toPowerShell(record: RequestRecord): string {
  const method = record.method.charAt(0).toUpperCase() + record.method.slice(1).toLowerCase();
  const headers = Object.entries(record.headers ?? {})
    .map(([name, value]) => `${psQuote(name)} = ${psQuote(value)}`)
    .join('; ');
  const parts = [
    `Invoke-RestMethod -Method ${method} -Uri ${psQuote(record.url)}`,
    `-Certificate (Get-PfxCertificate -FilePath ${psQuote(CERT_PLACEHOLDERS.pfx)})`,
    `-Headers @{ ${headers} }`,
  ];
  if (methodHasBody(record)) parts.push(`-ContentType 'application/json'`, `-Body ${psQuote(record.requestBody ?? '')}`);
  return [
    `# Trust the site CA once: Import-Certificate -FilePath ${psQuote(CERT_PLACEHOLDERS.ca)} -CertStoreLocation Cert:\\CurrentUser\\Root`,
    parts.join(' `\n  '),
  ].join('\n');
}

/**
 * Whether a record matches a request-log filter: every word must appear in its service, method, URL,
 * status or error code (case-insensitive). The URL is searched without its xrfkey value: 16 random
 * letters, so a filter such as "qrs" would otherwise match a QPS call now and then. The console filters
 * live records with this, and the main process answers requestLog.list with it.
 */
export function matchesRequestFilter(record: RequestRecord, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const url = record.url.replace(/([?&]xrfkey=)[^&#]*/i, '$1');
  const haystack = [record.service, record.method, url, record.status ?? '', record.errorCode ?? ''].join(' ').toLowerCase();
  return words.every((word) => haystack.includes(word));
}
