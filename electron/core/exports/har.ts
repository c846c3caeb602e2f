// The request log as an HTTP Archive (HAR 1.2, http://www.softwareishard.com/blog/har-12-spec/), the
// format browser DevTools, Fiddler and Charles open. Built from the log's records, which the core masked
// when it recorded them (session ids in paths, ticket and session id values in bodies, cookie values and
// tickets in headers): the archive holds nothing that logs anyone in. HAR allows fields of one's own
// when their names start with `_`: each entry says which service, site and proxy node it was for.
import { STATUS_CODES } from 'node:http';
import type { HeaderLine, RequestRecord } from '../../../shared/request-log';

/** Where a call went, as people name it: the site (profile) and the proxy node of its address. */
export interface CallPlace {
  site?: string;
  node?: string;
}

export interface HarOptions {
  creator: { name: string; version: string };
  /** The site and node of a record; omitted fields are left out of the entry. */
  placeOf?: (record: RequestRecord) => CallPlace;
}

/** undici speaks HTTP/1.1 to QPS and QRS (no HTTP/2 negotiation on these calls). */
const HTTP_VERSION = 'HTTP/1.1';
const JSON_TYPE = 'application/json; charset=utf-8';

function headerOf(lines: readonly HeaderLine[] | undefined, name: string): string | undefined {
  return lines?.find((h) => h.name.toLowerCase() === name)?.value;
}

/** The `name=value` pairs of each Set-Cookie line (values masked already), as HAR's cookie list. */
function responseCookies(lines: readonly HeaderLine[] | undefined): Array<{ name: string; value: string }> {
  return (lines ?? [])
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => {
      const pair = h.value.split(';')[0] ?? '';
      const at = pair.indexOf('=');
      return at < 0 ? { name: pair.trim(), value: '' } : { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
    });
}

function queryString(url: string): Array<{ name: string; value: string }> {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/**
 * HAR's three required phases from what the log measured: nothing is sent before the request leaves
 * (send 0), waiting lasts until the response's headers arrive, receiving is the rest. A call that got no
 * answer waited its whole time. `time` is their sum, as the format requires.
 */
function timings(record: RequestRecord): { send: number; wait: number; receive: number } {
  const total = Math.max(0, record.durationMs);
  const wait = Math.min(total, Math.max(0, record.waitMs ?? total));
  return { send: 0, wait, receive: total - wait };
}

function harRequest(record: RequestRecord) {
  const body = record.requestBody;
  return {
    method: record.method.toUpperCase(),
    url: record.url,
    httpVersion: HTTP_VERSION,
    cookies: [],
    headers: record.sentHeaders ?? Object.entries(record.headers ?? {}).map(([name, value]) => ({ name, value })),
    queryString: queryString(record.url),
    ...(body !== undefined && body !== '' ? { postData: { mimeType: headerOf(record.sentHeaders, 'content-type') ?? JSON_TYPE, text: body } } : {}),
    headersSize: -1,
    bodySize: body === undefined ? 0 : Buffer.byteLength(body),
  };
}

function harResponse(record: RequestRecord) {
  const status = record.status ?? 0;
  const text = record.responseBody;
  const size = text === undefined ? 0 : Buffer.byteLength(text);
  return {
    status,
    statusText: status === 0 ? '' : (STATUS_CODES[status] ?? ''),
    httpVersion: status === 0 ? '' : HTTP_VERSION,
    cookies: responseCookies(record.responseHeaders),
    headers: record.responseHeaders ?? [],
    content: {
      size,
      mimeType: headerOf(record.responseHeaders, 'content-type') ?? (text === undefined ? '' : JSON_TYPE),
      ...(text !== undefined ? { text } : {}),
    },
    redirectURL: headerOf(record.responseHeaders, 'location') ?? '',
    headersSize: -1,
    // The log keeps the body as text (perhaps cut): its size on the wire is not known.
    bodySize: text === undefined ? 0 : -1,
  };
}

export function harEntry(record: RequestRecord, place: CallPlace = {}) {
  const phases = timings(record);
  return {
    startedDateTime: record.startedAt,
    time: phases.send + phases.wait + phases.receive,
    request: harRequest(record),
    response: harResponse(record),
    cache: {},
    timings: phases,
    _service: record.service,
    ...(place.site !== undefined ? { _site: place.site } : {}),
    ...(place.node !== undefined ? { _node: place.node } : {}),
    // A call that failed before or after an answer: the typed error the console showed for it.
    ...(record.errorCode !== undefined ? { _error: record.errorCode } : {}),
  };
}

/** The records, oldest first, as one HAR document. */
export function toHar(records: readonly RequestRecord[], options: HarOptions) {
  return {
    log: {
      version: '1.2',
      creator: options.creator,
      entries: records.map((record) => harEntry(record, options.placeOf?.(record) ?? {})),
    },
  };
}

/** A proxy node as a profile lists it: its name, host name and service addresses (`https://host:port`). */
export interface NodeAddress {
  name: string;
  hostName: string;
  qps: string;
  proxy?: string;
}

/**
 * The node a call went to: the one whose QPS or proxy address is the call's origin, else the one node
 * on the call's host (QRS answers on the central node's host, port 4242). Several nodes on one host
 * (the demo site runs all on localhost) and no match leave it unknown rather than guessed.
 */
export function nodeForUrl(nodes: readonly NodeAddress[], url: string): string | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return undefined;
  }
  const originOf = (address: string | undefined): string | undefined => {
    try {
      return address ? new URL(address).origin : undefined;
    } catch {
      return undefined;
    }
  };
  const byOrigin = nodes.find((n) => originOf(n.qps) === target.origin || originOf(n.proxy) === target.origin);
  if (byOrigin) return byOrigin.name;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const onHost = nodes.filter((n) => n.hostName.toLowerCase() === host);
  return onHost.length === 1 ? onHost[0]!.name : undefined;
}
