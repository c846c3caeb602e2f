// The simulated Qlik Repository Service API (port 4242 of each node), read-only: /qrs/about and, for every
// entity type the site models (qrs-entities.ts), /qrs/{type} (condensed), /full, /count and /{id}, each
// with Qlik's `filter`, `orderby` and `privileges` parameters. The repository is shared by the whole site,
// so every node lists the same things; only /qrs/about says which kind of node answered.
import type { IncomingHttpHeaders } from 'node:http';
import { GUID_PATTERN, QrsFilterError, matchesQrsFilter, parseQrsFilter, parseQrsOrderBy, sortQrsEntities } from '../core/qlik/qrs-filter';
import { BadRequest, XRFKEY_FAILURE_BODY, queryParam, requestUrl, sendJson, sendText, withFaults, xrfkeyMatches, type Handler } from './http-util';
import { condense, qrsEntityType, type QrsEntityType, type QrsObject } from './qrs-entities';
import type { NodeContext } from './node-context';
import type { UserRef } from './state';

const QLIK_USER_HELP = 'Certificate-authenticated QRS calls need the header X-Qlik-User: UserDirectory=INTERNAL; UserId=sa_repository (values URL-encoded).';

/** Reads `UserDirectory=...; UserId=...` (any key casing, URL-encoded values); undefined when unusable. */
export function parseQlikUserHeader(value: string | undefined): UserRef | undefined {
  if (!value) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    try {
      fields.set(part.slice(0, eq).trim().toLowerCase(), decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      return undefined;
    }
  }
  const userDirectory = fields.get('userdirectory');
  const userId = fields.get('userid');
  return userDirectory && userId ? { userDirectory, userId } : undefined;
}

function qlikUserProblem(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers['x-qlik-user'];
  if (raw === undefined) return `The X-Qlik-User header is missing. ${QLIK_USER_HELP}`;
  if (typeof raw !== 'string' || !parseQlikUserHeader(raw)) return `The X-Qlik-User header "${String(raw)}" cannot be read. ${QLIK_USER_HELP}`;
  return undefined;
}

function about(ctx: NodeContext): Record<string, unknown> {
  const { site } = ctx.state;
  return {
    buildVersion: site.buildVersion,
    buildDate: '9/20/2013 10:09:00 AM',
    databaseProvider: 'Devart.Data.PostgreSql',
    // 1 central, 2 rim: the first node of the site file plays the central node.
    nodeType: site.nodes[0]?.id === ctx.node.id ? 1 : 2,
    sharedPersistence: true,
    requiresBootstrap: false,
    singleNodeOnly: false,
    schemaPath: 'About',
  };
}

/** `privileges=true` asks for what the calling user may do with each entity; otherwise it stays null. */
const ADMIN_PRIVILEGES = ['create', 'read', 'update', 'delete', 'export', 'publish', 'change_owner', 'change_role', 'export_data', 'approve', 'duplicate'];

function withPrivileges(entity: QrsObject, user: UserRef): QrsObject {
  // The repository's service accounts are root admins; the simulated site grants other users reading only.
  return { ...entity, privileges: user.userDirectory.toUpperCase() === 'INTERNAL' ? ADMIN_PRIVILEGES : ['read'] };
}

/** Runs `fn`, turning what Qlik refuses in a query parameter into a 400 naming the parameter. */
function asBadRequest<T>(parameter: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof QrsFilterError) throw new BadRequest(`Invalid ${parameter}: ${err.message}`);
    throw err;
  }
}

/** The entities of `type` that `filter` keeps, in `orderby` order; a malformed filter is a BadRequest (400). */
function select(ctx: NodeContext, type: QrsEntityType, url: URL, user: UserRef): QrsObject[] {
  const filterText = queryParam(url, 'filter');
  const orderText = queryParam(url, 'orderby');
  let entities = type.full(ctx);
  if (filterText !== undefined && filterText.trim() !== '') {
    const filter = asBadRequest('filter', () => parseQrsFilter(filterText));
    entities = asBadRequest('filter', () => entities.filter((entity) => matchesQrsFilter(filter, entity, type.enums)));
  }
  if (orderText !== undefined && orderText.trim() !== '') {
    const orders = asBadRequest('orderby', () => parseQrsOrderBy(orderText));
    entities = asBadRequest('orderby', () => sortQrsEntities(entities, orders));
  }
  return queryParam(url, 'privileges')?.toLowerCase() === 'true' ? entities.map((e) => withPrivileges(e, user)) : entities;
}

type Answer = { status: 200; body: unknown } | { status: 404 };
/** A known path, answered only once the method is known to be GET (so a write is 405, not a filter's 400). */
type Endpoint = () => Answer;

/** `/qrs/{type}`, `/qrs/{type}/full`, `/qrs/{type}/count`, `/qrs/{type}/{id}`; undefined: no such path. */
function entityRoute(ctx: NodeContext, segments: string[], url: URL, user: UserRef): Endpoint | undefined {
  const [typeName, second, ...rest] = segments;
  const type = typeName ? qrsEntityType(typeName) : undefined;
  if (!type || rest.length > 0) return undefined;
  const which = second?.toLowerCase();
  if (which === undefined) return () => ({ status: 200, body: select(ctx, type, url, user).map((e) => condense(type, e)) });
  if (which === 'full') return () => ({ status: 200, body: select(ctx, type, url, user) });
  if (which === 'count') return () => ({ status: 200, body: { value: select(ctx, type, url, user).length } });
  if (!GUID_PATTERN.test(which)) return undefined;
  return () => {
    const found = select(ctx, type, url, user).find((e) => e.id === which);
    return found ? { status: 200, body: found } : { status: 404 };
  };
}

function route(ctx: NodeContext, url: URL, user: UserRef): Endpoint | undefined {
  const segments = url.pathname.replace(/\/+$/, '').split('/').slice(1);
  if (segments[0]?.toLowerCase() !== 'qrs') return undefined;
  let rest: string[];
  try {
    rest = segments.slice(1).map((s) => decodeURIComponent(s));
  } catch {
    throw new BadRequest(`The path ${url.pathname} is not valid URL encoding.`);
  }
  if (rest.length === 1 && rest[0]!.toLowerCase() === 'about') return () => ({ status: 200, body: about(ctx) });
  return entityRoute(ctx, rest, url, user);
}

export function createQrsHandler(ctx: NodeContext): Handler {
  return withFaults(ctx.faults, (req, res, malformed) => {
    const url = requestUrl(req);
    if (!xrfkeyMatches(req, url)) {
      sendText(res, 403, XRFKEY_FAILURE_BODY);
      return;
    }
    const problem = qlikUserProblem(req.headers);
    if (problem) {
      sendText(res, 403, problem);
      return;
    }
    const user = parseQlikUserHeader(req.headers['x-qlik-user'] as string)!;
    const endpoint = route(ctx, url, user);
    if (!endpoint) {
      sendText(res, 404, `There is no QRS endpoint at ${url.pathname}.`);
      return;
    }
    if (req.method !== 'GET') {
      sendText(res, 405, 'This simulated repository is read-only; use GET.', { Allow: 'GET' });
      return;
    }
    const answer = endpoint();
    if (answer.status === 404) {
      // The QRS answers an unknown id with an empty 404.
      res.writeHead(404, { 'Content-Length': 0 });
      res.end();
      return;
    }
    sendJson(res, 200, answer.body, ctx.faults, malformed);
  });
}
