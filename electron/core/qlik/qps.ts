// The Qlik Sense Proxy Service API of one node and one virtual proxy: tickets and sessions.
// Requests go out PascalCase (what every server version and every real client uses); answers are
// read in either casing.
import { plainObject } from '../../../shared/schema';
import { userProblem } from '../../../shared/user';
import { camelCaseKeys } from './casing';
import { AddressError, parseServiceAddress } from './base-url';
import { QlikError } from './errors';
import * as v from 'valibot';
import { readAnswer, type QlikTransport } from './http';
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

// QPS answers read by valibot schemas: the user and the session id or ticket must be there; attributes
// and the optional fields are read leniently.

/** Keep single-key string objects as they are; anything else a server sends is stringified, not dropped (non-objects are). */
const attributesSchema = v.pipe(
  v.fallback(v.array(v.fallback(v.nullable(plainObject), null)), []),
  v.transform((items): Attributes =>
    items.flatMap((item) =>
      item ? [Object.fromEntries(Object.entries(item).map(([k, value]) => [k, typeof value === 'string' ? value : JSON.stringify(value)]))] : [],
    ),
  ),
);

/** The user an answer names, common to sessions and tickets. */
const userEntries = { userDirectory: v.string(), userId: v.string(), attributes: attributesSchema };
const someText = v.fallback(v.optional(v.string()), undefined);

const sessionSchema = v.object({ ...userEntries, sessionId: v.string(), userName: someText });
const ticketSchema = v.object({ ...userEntries, ticket: v.string(), targetUri: someText });

function toSession(json: unknown): QpsSession {
  const { userName, ...session } = readAnswer(sessionSchema, camelCaseKeys(json, KEEP), 'a session');
  return { ...session, ...(userName !== undefined ? { userName } : {}) };
}

function toSessions(json: unknown): QpsSession[] {
  return readAnswer(v.array(v.unknown()), json, 'a list of sessions').map(toSession);
}

function toTicket(json: unknown): TicketResult {
  const { targetUri, ...ticket } = readAnswer(ticketSchema, camelCaseKeys(json, KEEP), 'a ticket');
  // An empty TargetUri is what QPS sends when the request had no targetId.
  return { ...ticket, ...(targetUri ? { targetUri } : {}) };
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
