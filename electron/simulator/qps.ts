// The simulated Qlik Proxy Service REST API (port 4243 of each node): tickets, sessions and users, scoped
// to this node and to the virtual proxy named in the path. Mutual TLS is enforced by the server before a
// request reaches this handler; here live the xrfkey rule, path parsing and body validation.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { QpsRequestObservation } from '../../shared/module-validation';
import { formatDistinguishedName } from '../core/qlik/tls-diagnosis';
import { BadRequest, XRFKEY_FAILURE_BODY, queryParam, readJson, requestUrl, sendJson, sendText, withFaults, xrfkeyMatches, type Handler } from './http-util';
import { PREFIX_PATTERN, type VirtualProxyDescription } from './site';
import type { NodeContext } from './node-context';
import { TOO_MANY_SESSIONS_MESSAGE, TooManySessionsError, type Session, type UserRef } from './state';
import { isPlainObject } from '../../shared/schema';
import * as v from 'valibot';
import { ADD_SESSION_REQUEST, readQpsBody, TICKET_REQUEST } from '../core/qlik/qps-requests';

/** What a path below /qps/{prefix/} asks for. */
type Operation = { kind: 'ticket' } | { kind: 'sessions' } | { kind: 'session'; sessionId: string } | { kind: 'user'; user: UserRef };

interface Route {
  /** Lowercased; '' for the default virtual proxy. */
  prefix: string;
  op: Operation;
}

/** Everything an endpoint needs to answer one request. */
interface Call {
  ctx: NodeContext;
  vp: VirtualProxyDescription;
  req: IncomingMessage;
  res: ServerResponse;
  reply(status: number, value: unknown): void;
  /** Filled in as the request is understood, when the site is observed (the module validator). */
  seen?: Partial<QpsRequestObservation>;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest(`The path segment "${segment}" is not valid URL encoding.`);
  }
}

function parseOperation(segments: string[]): Operation | undefined {
  const [name, ...rest] = segments;
  switch (name?.toLowerCase()) {
    case 'ticket':
      return rest.length === 0 ? { kind: 'ticket' } : undefined;
    case 'session':
      if (rest.length === 0) return { kind: 'sessions' };
      return rest.length === 1 ? { kind: 'session', sessionId: rest[0]! } : undefined;
    case 'user':
      return rest.length === 2 ? { kind: 'user', user: { userDirectory: rest[0]!, userId: rest[1]! } } : undefined;
    default:
      return undefined;
  }
}

/**
 * Splits `/qps/[prefix/]operation/...`. The first segment is ambiguous: a virtual proxy may be called
 * "ticket" (the demo site has one), so `/qps/ticket/ticket` and `/qps/ticket/session` must reach it while
 * `/qps/ticket` and `/qps/session/abc` stay on the default virtual proxy. A configured prefix wins when the
 * rest parses; then the default reading; then an unknown prefix (which the caller answers 404 naming it).
 * An empty first segment (`/qps//ticket`) names the default virtual proxy explicitly. Segments are split
 * before decoding so an encoded slash inside a user id survives.
 */
function parseRoute(pathname: string, isKnownPrefix: (prefix: string) => boolean): Route | undefined {
  if (!pathname.toLowerCase().startsWith('/qps/')) return undefined;
  const segments = pathname.slice('/qps/'.length).replace(/\/$/, '').split('/').map(decodeSegment);
  // `/qps//session`: a client that builds `/qps/{prefix}/...` with the default virtual proxy's empty
  // prefix. A real QPS answers it as the default virtual proxy.
  if (segments[0] === '' && segments.length > 1) {
    const op = segments.slice(1).every((s) => s !== '') ? parseOperation(segments.slice(1)) : undefined;
    return op ? { prefix: '', op } : undefined;
  }
  if (segments.some((s) => s === '')) return undefined;
  const first = segments[0]!.toLowerCase();
  const named = segments.length > 1 ? parseOperation(segments.slice(1)) : undefined;
  if (named && isKnownPrefix(first)) return { prefix: first, op: named };
  const plain = parseOperation(segments);
  if (plain) return { prefix: '', op: plain };
  if (named && PREFIX_PATTERN.test(first)) return { prefix: first, op: named };
  return undefined;
}

// --- request bodies --------------------------------------------------------------------------------

/**
 * The body read by the request's model (core/qlik/qps-requests.ts, shared with the client); its first
 * problem is a 400. `seen` (a ticket request the validator watches) keeps the body as it was sent.
 */
async function readBody<S extends typeof TICKET_REQUEST | typeof ADD_SESSION_REQUEST>(
  req: IncomingMessage,
  schema: S,
  seen?: Partial<QpsRequestObservation>,
): Promise<v.InferOutput<S>> {
  const body = await readJson(req);
  if (seen && isPlainObject(body)) seen.body = body;
  const read = readQpsBody(schema, body);
  if (!read.ok) throw new BadRequest(read.problem);
  return read.value;
}

// --- answers ---------------------------------------------------------------------------------------

function sessionJson(session: Session): Record<string, unknown> {
  return {
    UserDirectory: session.userDirectory,
    UserId: session.userId,
    ...(session.userName !== undefined ? { UserName: session.userName } : {}),
    Attributes: session.attributes,
    SessionId: session.sessionId,
  };
}

function notAllowed(res: ServerResponse, allow: string): void {
  sendText(res, 405, `Method not allowed here; use ${allow}.`, { Allow: allow });
}

// --- endpoints -------------------------------------------------------------------------------------

async function postTicket(call: Call): Promise<void> {
  const { userDirectory, userId, attributes = [], targetId } = await readBody(call.req, TICKET_REQUEST, call.seen);
  const ticket = call.ctx.state.issueTicket(call.ctx.node.id, call.vp.id, { userDirectory, userId }, attributes, targetId);
  if (call.seen) Object.assign(call.seen, { ticket: ticket.ticket, targetUri: ticket.targetUri });
  // Exactly the documented fields (TargetId is not echoed). An unknown or expired TargetId is not an
  // error: the answer just has no TargetUri.
  call.reply(201, {
    UserDirectory: ticket.userDirectory,
    UserId: ticket.userId,
    Attributes: ticket.attributes,
    Ticket: ticket.ticket,
    ...(ticket.targetUri !== undefined ? { TargetUri: ticket.targetUri } : {}),
  });
}

async function postSession(call: Call): Promise<void> {
  const { userDirectory, userId, attributes = [], sessionId } = await readBody(call.req, ADD_SESSION_REQUEST);
  const user = { userDirectory, userId };
  const { state, node } = call.ctx;
  // Session ids key a node's sessions: silently replacing a live one would corrupt the per-user count.
  if (state.getSession(node.id, sessionId)) throw new BadRequest(`A session with SessionId "${sessionId}" already exists.`);
  try {
    call.reply(201, sessionJson(state.createSession(node.id, call.vp.id, user, attributes, sessionId)));
  } catch (err) {
    if (err instanceof TooManySessionsError) throw new BadRequest(TOO_MANY_SESSIONS_MESSAGE);
    throw err;
  }
}

function listSessions(call: Call): void {
  call.reply(200, call.ctx.state.listSessions(call.ctx.node.id, call.vp.id).map(sessionJson));
}

function oneSession(call: Call, sessionId: string, end: boolean): void {
  const { state, node } = call.ctx;
  const session = end ? state.deleteSession(node.id, sessionId, call.vp.id) : state.getSession(node.id, sessionId, call.vp.id);
  if (!session) {
    sendText(call.res, 404, `Session "${sessionId}" was not found on virtual proxy "${call.vp.prefix}" of this proxy node.`);
    return;
  }
  call.reply(200, sessionJson(session));
}

function userSessions(call: Call, user: UserRef, end: boolean): void {
  const { state, node } = call.ctx;
  const sessions = end ? state.deleteUserSessions(node.id, user, call.vp.id) : state.userSessions(node.id, user, call.vp.id);
  call.reply(200, sessions.map(sessionJson));
}

function dispatch(call: Call, op: Operation): Promise<void> | void {
  const method = call.req.method ?? 'GET';
  switch (op.kind) {
    case 'ticket':
      return method === 'POST' ? postTicket(call) : notAllowed(call.res, 'POST');
    case 'sessions':
      if (method === 'POST') return postSession(call);
      return method === 'GET' ? listSessions(call) : notAllowed(call.res, 'GET, POST');
    case 'session':
      if (method === 'GET' || method === 'DELETE') return oneSession(call, op.sessionId, method === 'DELETE');
      return notAllowed(call.res, 'GET, DELETE');
    case 'user':
      if (method === 'GET' || method === 'DELETE') return userSessions(call, op.user, method === 'DELETE');
      return notAllowed(call.res, 'GET, DELETE');
  }
}

/** `CN=QlikClient` from Node's parsed subject or issuer. */
const distinguishedName = (name: object): string => formatDistinguishedName(name as Record<string, string | string[]>);

/**
 * Starts an observation of one request and reports it when the answer is sent: what the module under
 * test really sent (its certificate, both xrfkey values, the body's casing) is the validator's evidence.
 */
function observe(ctx: NodeContext, req: IncomingMessage, res: ServerResponse, url: URL): Partial<QpsRequestObservation> | undefined {
  const observer = ctx.observer;
  if (!observer?.onQpsRequest) return undefined;
  const socket = req.socket as TLSSocket;
  const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  const header = req.headers['x-qlik-xrfkey'];
  const seen: Partial<QpsRequestObservation> = {};
  const base = {
    kind: 'request' as const,
    at: Date.now(),
    method: req.method ?? 'GET',
    path: url.pathname,
    tls: {
      clientCertificate:
        peer && peer.subject
          ? { subject: distinguishedName(peer.subject), issuer: distinguishedName(peer.issuer), fingerprint256: peer.fingerprint256 }
          : undefined,
      authorized: socket.authorized === true,
      authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
    },
    xrfkey: { query: queryParam(url, 'xrfkey'), header: Array.isArray(header) ? header.join(', ') : header },
    contentType: req.headers['content-type'],
  };
  res.once('finish', () => {
    try {
      observer.onQpsRequest?.({ ...base, ...seen, status: res.statusCode });
    } catch {
      // An observer's bug must never break the site it watches.
    }
  });
  return seen;
}

export function createQpsHandler(ctx: NodeContext): Handler {
  return withFaults(ctx.faults, async (req, res, malformed) => {
    const url = requestUrl(req);
    const seen = observe(ctx, req, res, url);
    if (!xrfkeyMatches(req, url)) {
      sendText(res, 403, XRFKEY_FAILURE_BODY);
      return;
    }
    const route = parseRoute(url.pathname, (prefix) => ctx.state.virtualProxyByPrefix(prefix) !== undefined);
    if (!route) {
      sendText(res, 404, `There is no QPS endpoint at ${url.pathname}.`);
      return;
    }
    // A virtual proxy exists on a node only when that node's proxy service links it.
    const vp = ctx.state.linkedVirtualProxy(ctx.node.id, route.prefix);
    if (!vp) {
      sendText(res, 404, `Virtual proxy "${route.prefix}" is not configured on this proxy node.`);
      return;
    }
    const reply = (status: number, value: unknown): void => sendJson(res, status, value, ctx.faults, malformed);
    await dispatch({ ctx, vp, req, res, reply, seen }, route.op);
  });
}
