// The Qlik Sense Proxy Service API of one node and one virtual proxy: tickets and sessions.
// Requests go out PascalCase (what every server version and every real client uses); answers are
// read in either casing.
import { userProblem } from '../../../shared/user';
import { camelCaseKeys } from './casing';
import { AddressError, parseServiceAddress } from './base-url';
import { QlikError } from './errors';
import { ShapeError, shapeObject, type QlikTransport } from './http';
import type { AddSessionRequest, Attributes, QpsClient, QpsSession, TicketRequest, TicketResult } from './types';

/** Attribute objects are data (`{"Group":"Sales"}`): their keys keep the server's casing. */
const KEEP = { keepValuesOf: new Set(['attributes']) };

/**
 * Splits a QPS address into `https://host:port` and the virtual proxy prefix. Accepts a bare base URL and
 * a proxyRestUri as Qlik hands it to an authentication module (`https://node:4243/qps/ticket/`).
 */
export function parseQpsAddress(address: string): { baseUrl: string; prefix: string } {
  const { baseUrl, url } = parseServiceAddress(address, 'qps');
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments.length > 0 && segments[0]?.toLowerCase() !== 'qps') {
    throw new AddressError(`a QPS path starts with /qps/: ${address}`, 'for example https://qlik.example.com:4243/qps/<prefix>/');
  }
  if (segments.length > 2)
    throw new AddressError(`a QPS address holds at most one prefix after /qps/: ${address}`, 'for example https://qlik.example.com:4243/qps/<prefix>/');
  return { baseUrl, prefix: normalizePrefix(decodeURIComponent(segments[1] ?? '')) };
}

/** Trims slashes and spaces; Qlik prefixes are lower case, so a typed `Sales` still finds `sales`. */
export function normalizePrefix(prefix: string): string {
  return prefix
    .trim()
    .replace(/^\/+|\/+$/g, '')
    .toLowerCase();
}

function text(obj: Record<string, unknown>, key: string, what: string): string {
  const value = obj[key];
  if (typeof value !== 'string') throw new ShapeError(`is not ${what} (no ${key})`);
  return value;
}

function attributes(value: unknown): Attributes {
  if (!Array.isArray(value)) return [];
  // Keep single-key string objects as they are; anything else a server sends is stringified, not dropped.
  return value
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item))
    .map((item) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
}

/** The camel-cased answer and the user it names, common to sessions and tickets. */
function withUser(json: unknown, what: string): { obj: Record<string, unknown>; user: Pick<QpsSession, 'userDirectory' | 'userId' | 'attributes'> } {
  const obj = shapeObject(camelCaseKeys(json, KEEP), what);
  return { obj, user: { userDirectory: text(obj, 'userDirectory', what), userId: text(obj, 'userId', what), attributes: attributes(obj.attributes) } };
}

function toSession(json: unknown): QpsSession {
  const { obj, user } = withUser(json, 'a session');
  const session: QpsSession = { ...user, sessionId: text(obj, 'sessionId', 'a session') };
  if (typeof obj.userName === 'string') session.userName = obj.userName;
  return session;
}

function toSessions(json: unknown): QpsSession[] {
  if (!Array.isArray(json)) throw new ShapeError('is not a list of sessions');
  return json.map(toSession);
}

function toTicket(json: unknown): TicketResult {
  const { obj, user } = withUser(json, 'a ticket');
  const result: TicketResult = { ...user, ticket: text(obj, 'ticket', 'a ticket') };
  if (typeof obj.targetUri === 'string' && obj.targetUri !== '') result.targetUri = obj.targetUri;
  return result;
}

/**
 * A user Qlik should never be asked to log in: one holding control characters (a terminal escape that
 * would come back from every listing) or parts longer than Qlik keeps. Refused before any request.
 */
function refuseUser(user: { userDirectory: string; userId: string }): QlikError | undefined {
  const problem = userProblem(user);
  return problem
    ? new QlikError('BAD_REQUEST', `not sent to QPS: ${problem}`, 'Give a user directory and id of printable text, as the QMC shows them.')
    : undefined;
}

function segment(value: string): string {
  return encodeURIComponent(value);
}

export class QpsApi implements QpsClient {
  readonly baseUrl: string;
  readonly prefix: string;

  constructor(
    private readonly transport: QlikTransport,
    baseUrl: string,
    prefix: string,
  ) {
    this.baseUrl = baseUrl;
    this.prefix = prefix;
  }

  /** `https://host:port/qps/{prefix/}` + rest. */
  private url(rest: string): string {
    return `${this.baseUrl}/qps/${this.prefix ? `${segment(this.prefix)}/` : ''}${rest}`;
  }

  private call<T>(
    method: 'GET' | 'POST' | 'DELETE',
    rest: string,
    expect: readonly number[],
    parse: (json: unknown) => T,
    extra: { body?: unknown; secrets?: string[] } = {},
  ): Promise<T> {
    return this.transport.call({ service: 'qps', method, url: this.url(rest), prefix: this.prefix, expect, parse, ...extra });
  }

  requestTicket(r: TicketRequest): Promise<TicketResult> {
    const refused = refuseUser(r);
    if (refused) return Promise.reject(refused);
    const body: Record<string, unknown> = { UserDirectory: r.userDirectory, UserId: r.userId, Attributes: r.attributes ?? [] };
    if (r.targetId !== undefined) body.TargetId = r.targetId;
    return this.call('POST', 'ticket', [201, 200], toTicket, { body });
  }

  addSession(r: AddSessionRequest): Promise<QpsSession> {
    const refused = refuseUser(r);
    if (refused) return Promise.reject(refused);
    const body = { UserDirectory: r.userDirectory, UserId: r.userId, Attributes: r.attributes ?? [], SessionId: r.sessionId };
    return this.call('POST', 'session', [201, 200], toSession, { body, secrets: [r.sessionId] });
  }

  getSession(id: string): Promise<QpsSession> {
    return this.call('GET', `session/${segment(id)}`, [200], toSession, { secrets: [id] });
  }

  listSessions(): Promise<QpsSession[]> {
    return this.call('GET', 'session', [200], toSessions);
  }

  deleteSession(id: string): Promise<QpsSession> {
    return this.call('DELETE', `session/${segment(id)}`, [200], toSession, { secrets: [id] });
  }

  userSessions(userDirectory: string, userId: string): Promise<QpsSession[]> {
    return this.call('GET', `user/${segment(userDirectory)}/${segment(userId)}`, [200], toSessions);
  }

  deleteUserSessions(userDirectory: string, userId: string): Promise<QpsSession[]> {
    return this.call('DELETE', `user/${segment(userDirectory)}/${segment(userId)}`, [200], toSessions);
  }
}
