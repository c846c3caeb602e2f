// Ending sessions, written once for every face: one session (a row the caller already holds, or an id
// found wherever it lives), all of a user's on every node and virtual proxy, or every session Usher
// created. Each session ended gets one audit record of one shape (masked id + digest, the reason chosen
// here), whichever face asked: `usher sessions --kill/--kill-user` and the console's session inspector.
import { formatUser, type UserRef } from '../../../shared/user';
import type { AuditInput } from '../profiles';
import { QlikError, type QlikConnection } from '../qlik';
import {
  discoverNodes,
  endUserSessions,
  listAllSessions,
  mapWithConcurrency,
  type InventoryFailure,
  type InventoryOptions,
  type NodeTarget,
  type SessionEntry,
} from '../sessions/inventory';
import { auditedSessionId, createdSessionDigests, sessionIdDigest } from '../sessions/session-inspector';
import type { AuditTrail } from './site';

export type EndSessionsScope =
  /** A session the caller listed before (the console's row of its last refresh). */
  | { kind: 'session'; session: SessionEntry }
  /** A session id, looked for on every node and virtual proxy first (`usher sessions --kill`). */
  | { kind: 'session-id'; sessionId: string }
  | { kind: 'user'; user: UserRef }
  /** Every live session the audit log says Usher created on this site. */
  | { kind: 'created' };

export interface EndSessionsInput {
  connection: QlikConnection;
  /** Where the nodes are found: QRS (every node it knows), or the nodes the caller names (one QPS). */
  nodes: { qrs: string } | { known: NodeTarget[] };
  audit: AuditTrail;
  scope: EndSessionsScope;
  onProgress?: InventoryOptions['onProgress'];
}

export interface EndSessionsResult {
  ended: SessionEntry[];
  /** Node/virtual proxy pairs (or single sessions) that could not be asked or ended; the rest stands. */
  failures: InventoryFailure[];
  /** The nodes asked (empty for a single known session). */
  nodes: NodeTarget[];
}

const ONE = 'a session ended on request';
const CREATED = 'every session Usher created, ended on request';

/** The audit record of one ended session: the same fields, whichever face ended it. */
export function sessionEndRecord(session: SessionEntry, profile: string, scope: EndSessionsScope['kind']): AuditInput {
  return {
    action: scope === 'user' ? 'user-sessions-end' : 'session-end',
    profile,
    node: session.nodeName,
    virtualProxy: session.prefix,
    userDirectory: session.userDirectory,
    userId: session.userId,
    reason: scope === 'user' ? `all of ${formatUser(session)}'s sessions, ended on request` : scope === 'created' ? CREATED : ONE,
    ...auditedSessionId(session.sessionId),
  };
}

export async function endSessions(input: EndSessionsInput): Promise<EndSessionsResult> {
  const { connection, scope } = input;
  const options = input.onProgress ? { onProgress: input.onProgress } : {};
  const nodes = scope.kind === 'session' ? [] : 'known' in input.nodes ? input.nodes.known : await discoverNodes(connection, input.nodes.qrs);
  let ended: SessionEntry[];
  let failures: InventoryFailure[] = [];
  switch (scope.kind) {
    case 'session':
      await connection.qps(scope.session.qpsBaseUrl, scope.session.prefix).deleteSession(scope.session.sessionId);
      ended = [scope.session];
      break;
    case 'user': {
      const result = await endUserSessions(connection, nodes, scope.user, options);
      ended = result.sessions;
      failures = result.failures;
      break;
    }
    case 'session-id':
    case 'created': {
      // A fresh listing: the id may live on any node, and sessions opened since a caller's last refresh
      // are Usher's too. The audit log's digests are read while the nodes are asked.
      const [inventory, created] = await Promise.all([
        listAllSessions(connection, nodes, options),
        scope.kind === 'created' ? createdSessionDigests(input.audit.log, input.audit.profile) : undefined,
      ]);
      failures = inventory.failures;
      const wanted =
        scope.kind === 'created' ? (s: SessionEntry) => created!.has(sessionIdDigest(s.sessionId)) : (s: SessionEntry) => s.sessionId === scope.sessionId;
      ended = await deleteEach(connection, inventory.sessions.filter(wanted), failures);
      break;
    }
  }
  for (const session of ended) await input.audit.log.append(sessionEndRecord(session, input.audit.profile, scope.kind));
  return { ended, failures, nodes };
}

/** Deletes each session, eight at a time; one QPS refusing leaves the others ended and is a failure. */
async function deleteEach(connection: QlikConnection, sessions: SessionEntry[], failures: InventoryFailure[]): Promise<SessionEntry[]> {
  const ended: SessionEntry[] = [];
  await mapWithConcurrency(sessions, 8, async (session) => {
    try {
      await connection.qps(session.qpsBaseUrl, session.prefix).deleteSession(session.sessionId);
      ended.push(session);
    } catch (err) {
      if (!(err instanceof QlikError)) throw err;
      failures.push({ nodeName: session.nodeName, prefix: session.prefix, code: err.code, message: err.message });
    }
  });
  return ended;
}
