// The session inspector's view: every live session of a site, grouped by user, as the renderer may see
// it. Session ids never appear here: a row carries a masked id and an opaque key the main process maps
// back to the session it saw on its last refresh. Pure data plus the few helpers both sides use.

import { plural } from './plural';

/**
 * Qlik's cap on parallel sessions per user. It is a licence rule counted across the whole site (every
 * node and virtual proxy), not per proxy; closed sessions count until their inactivity timeout.
 */
export const PARALLEL_SESSION_LIMIT = 5;

export interface SessionRowView {
  /** Opaque, stable for one session while the main process runs; the only handle the renderer gets. */
  rowKey: string;
  nodeName: string;
  /** Virtual proxy prefix ('' = default). */
  virtualProxy: string;
  /** The virtual proxy's session cookie name (QRS sessionCookieHeaderName), when known. */
  cookieName?: string;
  sessionIdMasked: string;
  userDirectory: string;
  userId: string;
  userName?: string;
  /** The console partition (cookie jar) holding this session, when Usher holds it. */
  partition?: { partitionId: string; label: string };
  /** Usher created this session (its audit log has a session-create entry for it). */
  createdByUsher: boolean;
}

export type LimitState = 'ok' | 'at-limit' | 'over-limit';

export interface SessionUserGroup {
  userDirectory: string;
  userId: string;
  userName?: string;
  /** Live sessions of this user across the site: what Qlik counts against the limit. */
  count: number;
  limit: number;
  state: LimitState;
  rows: SessionRowView[];
}

export type InspectorWarningKind = 'shared-jar' | 'session-limit' | 'duplicate-cookie-name' | 'refused-login';

export interface InspectorWarning {
  kind: InspectorWarningKind;
  severity: 'error' | 'warning';
  message: string;
  fix: string;
  /** The rows it is about (to highlight them), when it is about sessions on screen. */
  rowKeys: string[];
}

export interface InspectorFailure {
  nodeName: string;
  virtualProxy: string;
  code: string;
  message: string;
}

export interface SessionInspectorView {
  profileId: string;
  /** ISO 8601. */
  refreshedAt: string;
  durationMs: number;
  limit: number;
  nodes: number;
  /** Node/virtual proxy pairs asked (one QPS call each). */
  pairs: number;
  totalSessions: number;
  createdByUsher: number;
  /** Users with the most sessions first, then by name. */
  groups: SessionUserGroup[];
  /** Errors first. */
  warnings: InspectorWarning[];
  /** Pairs that could not be listed; the rest of the view still stands. */
  failures: InspectorFailure[];
}

export interface SessionsEndView {
  ended: Array<{ nodeName: string; virtualProxy: string; user: string; sessionIdMasked: string }>;
  failures: InspectorFailure[];
}

export function limitState(count: number, limit = PARALLEL_SESSION_LIMIT): LimitState {
  return count > limit ? 'over-limit' : count === limit ? 'at-limit' : 'ok';
}

/** One line of the inspector's table: a user's heading row or one of their sessions. */
export type InspectorLine = { kind: 'user'; group: SessionUserGroup } | { kind: 'session'; group: SessionUserGroup; row: SessionRowView };

/** The groups as the table's lines, user heading first; collapsed users show their heading only. */
export function inspectorLines(groups: SessionUserGroup[], collapsed: ReadonlySet<string> = new Set()): InspectorLine[] {
  const lines: InspectorLine[] = [];
  for (const group of groups) {
    lines.push({ kind: 'user', group });
    if (collapsed.has(userKey(group))) continue;
    for (const row of group.rows) lines.push({ kind: 'session', group, row });
  }
  return lines;
}

/** Qlik compares users case-insensitively, so grouping does too. */
export function userKey(user: { userDirectory: string; userId: string }): string {
  return `${user.userDirectory.toLowerCase()}\\${user.userId.toLowerCase()}`;
}

/** The slice of `count` lines of `lineHeight` px to render for a viewport, with `overscan` lines either side. */
export function visibleWindow(count: number, lineHeight: number, scrollTop: number, viewportHeight: number, overscan = 8): { start: number; end: number } {
  if (count === 0 || lineHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / lineHeight);
  const shown = Math.ceil(Math.max(0, viewportHeight) / lineHeight) + 1;
  const start = Math.max(0, Math.min(count - 1, first) - overscan);
  const end = Math.min(count, first + shown + overscan);
  return { start, end: Math.max(start, end) };
}

/** A failure code in a few words, for counting pairs by cause. */
const FAILURE_WORDS: Record<string, string> = {
  TIMEOUT: 'timeout',
  HTTP_ERROR: 'error answer',
  NOT_JSON: 'malformed answer',
  BODY_TOO_LARGE: 'answer too large',
  CONNECTION_RESET: 'connection reset',
  CONNECTION_REFUSED: 'connection refused',
  DNS: 'unknown host',
  CLIENT_CERT_REFUSED: 'client certificate refused',
  UNTRUSTED_SERVER_CERT: 'untrusted server certificate',
  HOST_MISMATCH: 'host name mismatch',
  UNKNOWN_VIRTUAL_PROXY: 'unknown virtual proxy',
  XRFKEY_REJECTED: 'xrfkey rejected',
};

/** What to do about the most common cause. */
const FAILURE_FIXES: Record<string, string> = {
  timeout: 'rerun with a longer --timeout-ms (e.g. 30000), or check the load of the nodes named',
  'error answer': "check the proxy service's log on the nodes named (QMC > Proxies), then rerun",
  'malformed answer': 'a proxy, load balancer or QPS cut its answers: check the nodes named, then rerun',
  'connection reset': 'something between here and the nodes named drops connections: check them, then rerun',
  'connection refused': 'start the proxy service on the nodes named, or check that this machine reaches their QPS port (4243)',
  'unknown host': "the nodes' host names (QMC > Nodes) must resolve from this machine",
};

/**
 * How a partial inventory is said: how many node/virtual proxy pairs failed of how many, counted by
 * cause, the nodes concerned, and what to do about the most common cause. Undefined when none failed.
 */
export function inventoryFailureSummary(failures: InspectorFailure[], pairs: number): { line: string; fix: string } | undefined {
  if (failures.length === 0) return undefined;
  const byCause = new Map<string, number>();
  for (const f of failures) {
    const words = FAILURE_WORDS[f.code] ?? f.code.toLowerCase().replace(/_/g, ' ');
    byCause.set(words, (byCause.get(words) ?? 0) + 1);
  }
  const causes = [...byCause].sort((a, b) => b[1] - a[1]);
  const nodes = [...new Set(failures.map((f) => f.nodeName))];
  const nodeList = nodes.length > 3 ? `${nodes.slice(0, 3).join(', ')} and ${nodes.length - 3} more` : nodes.join(', ');
  const line =
    `${failures.length} of ${plural(pairs, 'node/virtual proxy pair')} could not be asked (${causes.map(([c, n]) => `${n} ${c}`).join(', ')}; ` +
    `${nodes.length === 1 ? 'node' : 'nodes'} ${nodeList}): their sessions are missing from the counts`;
  const fix = FAILURE_FIXES[causes[0]![0]] ?? 'rerun; if it fails again, check the nodes named in the QMC';
  return { line, fix };
}
