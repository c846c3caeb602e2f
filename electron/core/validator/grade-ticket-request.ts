// Step 3: the module's ticket request as QPS saw it. Pure: grades the observations the site recorded
// while the module logged the browser in, against the rules in qlik-protocol.md (mutual TLS, xrfkey in
// query and header, PascalCase JSON, TargetId echoed, attributes as single-key objects).
import type { QpsHandshakeObservation, QpsObservation, QpsRequestObservation } from '../../../shared/module-validation';
import { maskSecret } from '../../../shared/redact';
import { formatUser, type UserRef } from '../../../shared/user';
import { Findings, failGrade, type Grade } from './grade';

export interface IssuedTicket {
  ticket: string;
  user: UserRef;
  /** The TargetId the module sent, as sent. */
  targetId?: string;
  targetUri?: string;
  /** When QPS received the request (the ticket's minute starts about then). */
  at: number;
}

export interface TicketRequestInput {
  /** What QPS saw during this login. */
  observations: QpsObservation[];
  proxyRestUri: string;
  /** The targetId the proxy gave the module for this login. */
  targetId: string;
  /** When the browser was sent to the module: the step's time runs from here to the ticket request. */
  redirectedAt: number;
}

const XRFKEY = /^[0-9a-zA-Z]{16}$/;
const KNOWN_FIELDS = ['UserDirectory', 'UserId', 'Attributes', 'TargetId'];

type Casing = 'pascal' | 'camel' | 'other';

/** A body field found in any casing: QPS reads PascalCase (documented) and camelCase (OpenAPI) only. */
function lookup(body: Record<string, unknown>, pascal: string): { key: string; value: unknown; casing: Casing } | undefined {
  const camel = pascal[0]!.toLowerCase() + pascal.slice(1);
  const key = Object.keys(body).find((k) => k.toLowerCase() === pascal.toLowerCase());
  if (key === undefined) return undefined;
  return { key, value: body[key], casing: key === pascal ? 'pascal' : key === camel ? 'camel' : 'other' };
}

/** A request for a ticket (`POST {proxyRestUri}ticket`, whatever the casing) among what QPS saw. */
export function isTicketRequest(o: QpsObservation): o is QpsRequestObservation {
  return o.kind === 'request' && /\/ticket\/?$/i.test(o.path);
}

/** The TargetId a request's body carries, the key in any casing; undefined when there is none or it is no string. */
export function targetIdOf(req: QpsRequestObservation): string | undefined {
  const value = req.body ? lookup(req.body, 'TargetId')?.value : undefined;
  return typeof value === 'string' ? value : undefined;
}

function isForTarget(req: QpsRequestObservation, targetId: string): boolean {
  return targetIdOf(req)?.toLowerCase() === targetId.toLowerCase();
}

function attributesProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return `Attributes is ${value === null ? 'null' : typeof value}, not an array of single-key objects like [{"Group":"Sales"}]`;
  for (const [i, item] of value.entries()) {
    const entries = typeof item === 'object' && item !== null && !Array.isArray(item) ? Object.entries(item as object) : undefined;
    if (!entries || entries.length !== 1) return `Attributes[${i}] is ${JSON.stringify(item)}: each entry must be an object with exactly one key`;
    const [key, v] = entries[0]!;
    if (key === '' || typeof v !== 'string') return `Attributes[${i}] is ${JSON.stringify(item)}: the key must be non-empty and the value a string`;
  }
  return undefined;
}

function handshakeVerdict(failures: QpsHandshakeObservation[]): string {
  const first = failures[0]!;
  if (/PEER_DID_NOT_RETURN_A_CERTIFICATE/i.test(first.code)) {
    return `no client certificate: the module connected to QPS without one and the TLS handshake was refused (${first.code}); use client.pem and client_key.pem from the export`;
  }
  return `client certificate not trusted: QPS refused the TLS handshake (${first.code}: ${first.reason}); use client.pem and client_key.pem from this site's export`;
}

/** Picks the request that answers for this login: the one for its targetId, else the first that got a ticket. */
function pick(requests: QpsRequestObservation[], targetId: string): QpsRequestObservation {
  const forTarget = requests.filter((r) => isForTarget(r, targetId));
  const ok = (r: QpsRequestObservation): boolean => r.status >= 200 && r.status < 300;
  return forTarget.find(ok) ?? forTarget[0] ?? requests.find(ok) ?? requests[requests.length - 1]!;
}

// Over 80 lines on purpose: its steps run in the order the proxy judges a ticket request, each a short block with its own
// early return; split up, that order would have to be read across functions.
export function gradeTicketRequest(input: TicketRequestInput): { grade: Grade; issued?: IssuedTicket } {
  const requests = input.observations.filter((o): o is QpsRequestObservation => o.kind === 'request');
  const handshakes = input.observations.filter((o): o is QpsHandshakeObservation => o.kind === 'handshake-failed');
  const tickets = requests.filter(isTicketRequest);
  if (tickets.length === 0) {
    if (handshakes.length)
      return {
        grade: failGrade(
          handshakeVerdict(handshakes),
          handshakes.map((h) => `TLS handshake refused: ${h.code} (${h.reason})`),
        ),
      };
    if (requests.length) {
      return {
        grade: failGrade(
          'the module called QPS but never asked for a ticket',
          requests.map((r) => `${r.method} ${r.path} -> ${r.status}`),
        ),
      };
    }
    return { grade: failGrade('QPS saw no ticket request from the module during the login', [`expected: POST ${input.proxyRestUri}ticket?xrfkey=...`]) };
  }

  const req = pick(tickets, input.targetId);
  const f = new Findings();
  const ms = req.at - input.redirectedAt;
  f.note(`${req.method} ${req.path}?xrfkey=${req.xrfkey.query ?? '(none)'} -> HTTP ${req.status}`);
  if (handshakes.length) f.note(`also ${handshakes.length} refused TLS handshake(s): ${handshakes[0]!.code}`);

  // Mutual TLS: the handler only sees trusted certificates, but the evidence names the one presented.
  const cert = req.tls.clientCertificate;
  if (!cert) f.fail('no client certificate was presented');
  else if (!req.tls.authorized) f.fail(`client certificate ${cert.subject} not trusted: ${req.tls.authorizationError ?? 'unknown reason'}`);
  else f.note(`client certificate ${cert.subject}, issued by ${cert.issuer}: trusted by the site CA`);

  if (req.method !== 'POST') f.fail(`the ticket request used ${req.method}, QPS wants POST`);
  const expectedPath = `${new URL(input.proxyRestUri).pathname}ticket`;
  if (req.path.replace(/\/$/, '').toLowerCase() !== expectedPath.toLowerCase()) {
    f.fail(`posted to ${req.path}, not ${expectedPath} (proxyRestUri + "ticket"): the wrong virtual proxy prefix`);
  }

  const { query, header } = req.xrfkey;
  if (header === undefined && query === undefined) f.fail('no xrfkey at all: neither the xrfkey query parameter nor the X-Qlik-Xrfkey header');
  else if (header === undefined) f.fail(`no X-Qlik-Xrfkey header: the xrfkey query parameter (${query}) must be repeated in the header`);
  else if (query === undefined) f.fail(`no xrfkey query parameter: the X-Qlik-Xrfkey header (${header}) must be repeated as ?xrfkey=`);
  else if (query !== header) f.fail(`xrfkey mismatch: query "${query}" but header "${header}"; both must carry the same key`);
  else if (!XRFKEY.test(query)) f.fail(`xrfkey "${query}" is not 16 characters from 0-9a-zA-Z`);
  else f.note(`xrfkey ${query} in the query and in X-Qlik-Xrfkey: equal`);

  const body = req.body;
  let user: UserRef | undefined;
  let targetIdSent: string | undefined;
  if (!body && req.status === 403) {
    f.note('QPS refused the request before reading its body');
  } else if (!body) {
    f.fail(`no JSON object body (Content-Type: ${req.contentType ?? 'none'})`);
  } else {
    f.note(`body fields: ${Object.keys(body).join(', ') || '(none)'}`);
    const camel: string[] = [];
    const ids: Record<string, string> = {};
    for (const name of ['UserDirectory', 'UserId']) {
      const found = lookup(body, name);
      if (!found) f.fail(`the body has no ${name}`);
      else if (found.casing === 'other') f.fail(`the body spells ${name} as "${found.key}": QPS reads only ${name} (or camelCase)`);
      else if (typeof found.value !== 'string' || found.value.trim() === '' || found.value.includes('\\')) {
        f.fail(`${name} ${JSON.stringify(found.value)} is not a non-empty string without a backslash`);
      } else ids[name] = found.value.trim();
      if (found?.casing === 'camel') camel.push(found.key);
    }
    if (ids.UserDirectory && ids.UserId) user = { userDirectory: ids.UserDirectory, userId: ids.UserId };

    const target = lookup(body, 'TargetId');
    if (!target) {
      f.fail(
        `the body has no TargetId: QPS answers without TargetUri, so the browser cannot return to where it started (targetId ${input.targetId} was given)`,
      );
    } else {
      if (target.casing === 'camel') camel.push(target.key);
      if (target.casing === 'other') f.fail(`the body spells TargetId as "${target.key}"`);
      if (typeof target.value !== 'string') f.fail(`TargetId is ${JSON.stringify(target.value)}, not a string`);
      else {
        targetIdSent = target.value;
        if (target.value.toLowerCase() !== input.targetId.toLowerCase()) {
          f.fail(`TargetId ${target.value} is not the targetId the proxy gave this login (${input.targetId})`);
        } else f.note(`TargetId echoed: ${target.value}`);
      }
    }

    const attributes = lookup(body, 'Attributes');
    if (attributes) {
      if (attributes.casing === 'camel') camel.push(attributes.key);
      const problem = attributesProblem(attributes.value);
      if (problem) f.fail(`attributes malformed: ${problem}`);
      else f.note(`Attributes: ${(attributes.value as unknown[]).length} well-formed entr${(attributes.value as unknown[]).length === 1 ? 'y' : 'ies'}`);
    }
    if (camel.length) {
      f.warn(
        `camelCase body (${camel.join(', ')}): Qlik's documentation and every real client use PascalCase (UserDirectory, UserId, TargetId); not every QPS version reads camelCase`,
      );
    }
    const unknown = Object.keys(body).filter((k) => !KNOWN_FIELDS.some((n) => n.toLowerCase() === k.toLowerCase()));
    if (unknown.length) f.warn(`fields QPS does not know: ${unknown.join(', ')}`);
  }

  const sameTarget = tickets.filter((r) => isForTarget(r, input.targetId));
  if (sameTarget.length > 1) f.warn(`the module asked for ${sameTarget.length} tickets for one login (targetId ${input.targetId})`);

  let issued: IssuedTicket | undefined;
  if (req.status >= 200 && req.status < 300 && req.ticket && user) {
    issued = { ticket: req.ticket, user, targetId: targetIdSent, targetUri: req.targetUri, at: req.at };
    f.note(
      `QPS answered ${req.status}: ticket ${maskSecret(req.ticket)} for ${formatUser(user)}${req.targetUri ? `, TargetUri ${req.targetUri}` : ', no TargetUri'}`,
    );
  } else if (!f.failed) {
    f.fail(`QPS answered HTTP ${req.status} and issued no ticket`);
  } else {
    f.note(`QPS answered HTTP ${req.status} and issued no ticket`);
  }
  return { grade: f.grade(`ticket request well formed: client certificate, xrfkey, PascalCase body, TargetId echoed`, ms), issued };
}
