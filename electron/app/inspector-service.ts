// The session inspector's backend: a full refresh of a profile's sessions (QRS discovery, every node and
// virtual proxy, progress as `sessions.progress` events), the audit log's session-create digests to mark
// Usher's own sessions, the partition manager's holders; and ending sessions by row key, by user on every
// node, or all those Usher created. Session ids stay here: the renderer names a session by the opaque
// row key of the last refresh, never by its id. Every session ended is audited.
import type { OpenResult, RequestOf } from '../../shared/ipc/contract';
import { maskSecret } from '../../shared/redact';
import { PARALLEL_SESSION_LIMIT, type InspectorFailure, type SessionInspectorView, type SessionsEndView } from '../../shared/sessions';
import { formatUser, type UserRef } from '../../shared/user';
import { prefixLabel } from '../../shared/virtual-proxy';
import { QlikError, type QlikConnection } from '../core/qlik';
import { discoverNodes, listUserSessions, type SessionEntry } from '../core/sessions/inventory';
import { endSessions, type EndSessionsScope } from '../core/operations/end-sessions';
import { RowKeys, type RefusedLogin } from '../core/sessions/session-inspector';
import { inspectSessions } from '../core/operations/inspect-sessions';
import { BackendError } from './backend-error';
import { siteOf, type BackendContext } from './backend-context';
import { serviceBaseUrl } from '../core/qlik/base-url';
import type { PartitionManager } from './partition-manager';
import type { NotEstablished } from './ticket-service';

export type HoldersSource = () => Promise<Map<string, { partitionId: string; label: string }>>;

/**
 * The sessions each console partition holds: what its jar's cookies say now, plus the sessions made in it
 * whose cookie a later login on the same virtual proxy overwrote. Those still count on the site, and
 * they are the seed-003 situation the inspector warns about; the jar alone would have forgotten them.
 */
export async function partitionHolders(
  partitions: Pick<PartitionManager, 'sessionHolders' | 'snapshot'>,
): Promise<Map<string, { partitionId: string; label: string }>> {
  const holders = await partitions.sessionHolders();
  for (const snapshot of await partitions.snapshot()) {
    for (const sessionId of snapshot.origins.keys()) {
      if (!holders.has(sessionId)) holders.set(sessionId, { partitionId: snapshot.partitionId, label: snapshot.label });
    }
  }
  return holders;
}

/** How long a refused login stays on the inspector's warnings: long enough to notice, not forever. */
const REFUSAL_TTL_MS = 60 * 60_000;
const MAX_REFUSALS = 20;
/** At most this many progress events per refresh (a 900-pair site would otherwise send 900). */
const PROGRESS_STEPS = 50;

export class InspectorService {
  private readonly rowKeys = new RowKeys();
  /** Per profile: row key -> session, from the last refresh. */
  private readonly lastRows = new Map<string, Map<string, SessionEntry>>();
  /**
   * Inspects overlap (an auto-refresh, the refresh after an end): each takes a number as it starts, and
   * per profile only a listing that started after the one kept (and after the last end) replaces it, so a
   * slow older inspect never brings back rows a newer one or an end has settled.
   */
  private inspectSeq = 0;
  private readonly rowsSeq = new Map<string, number>();
  private refusals: Array<RefusedLogin & { profileId: string }> = [];

  constructor(
    private readonly ctx: BackendContext,
    private readonly holders: HoldersSource,
  ) {}

  async inspect(req: RequestOf<'sessions.inspect'>): Promise<SessionInspectorView> {
    const seq = ++this.inspectSeq;
    const profile = await this.ctx.profiles.get(req.profileId);
    const { connection } = await siteOf(this.ctx, profile);
    let lastSent = -1;
    const onProgress = (done: number, total: number): void => {
      const step = Math.max(1, Math.ceil(total / PROGRESS_STEPS));
      if (done !== 0 && done !== total && done - lastSent < step) return;
      lastSent = done;
      this.ctx.events.emit('sessions.progress', { profileId: profile.id, done, total });
    };
    const model = await inspectSessions({
      connection,
      nodes: { qrs: serviceBaseUrl(profile.qrs, 'qrs') },
      created: { log: this.ctx.audit, profile: profile.id },
      profileId: profile.id,
      rowKeys: this.rowKeys,
      holders: this.holders,
      refusals: this.currentRefusals(profile.id),
      now: new Date(this.ctx.now()),
      onProgress,
    });
    if (seq > (this.rowsSeq.get(profile.id) ?? 0)) {
      this.lastRows.set(profile.id, model.rows);
      this.rowsSeq.set(profile.id, seq);
    }
    return model.view;
  }

  async end(req: RequestOf<'sessions.end'>): Promise<SessionsEndView> {
    const profile = await this.ctx.profiles.get(req.profileId);
    const { connection } = await siteOf(this.ctx, profile);
    const scope = req.scope;
    let operationScope: EndSessionsScope;
    if (scope.kind === 'one') {
      const session = this.lastRows.get(profile.id)?.get(scope.rowKey);
      if (!session) {
        throw new BackendError('NOT_FOUND', 'That session is not in the last refresh of this site.', 'Refresh the sessions and pick it again.');
      }
      operationScope = { kind: 'session', session };
    } else if (scope.kind === 'user') {
      operationScope = { kind: 'user', user: { userDirectory: scope.userDirectory, userId: scope.userId } };
    } else {
      operationScope = { kind: 'created' };
    }
    const { ended, failures } = await endSessions({
      connection,
      nodes: { qrs: serviceBaseUrl(profile.qrs, 'qrs') },
      audit: { log: this.ctx.audit, profile: profile.id },
      scope: operationScope,
    });
    const rows = this.lastRows.get(profile.id);
    if (rows) for (const [key, s] of rows) if (ended.some((e) => e.sessionId === s.sessionId && e.nodeName === s.nodeName)) rows.delete(key);
    // An inspect that started before this end finished may still list what it ended: it keeps nothing.
    this.rowsSeq.set(profile.id, ++this.inspectSeq);
    return {
      ended: ended.map((s) => ({ nodeName: s.nodeName, virtualProxy: s.prefix, user: formatUser(s), sessionIdMasked: maskSecret(s.sessionId) })),
      failures: failures.map(toFailure),
    };
  }

  /**
   * For tickets.open: a login that made no session while the user already holds the limit was refused by
   * Qlik's parallel-session cap. Says so in the result and keeps it for the inspector's warnings; any
   * other failure is answered unchanged.
   */
  async explainNotEstablished(failed: NotEstablished): Promise<OpenResult> {
    if (failed.result.established || failed.result.status === 0) return failed.result;
    let count: number;
    try {
      const profile = await this.ctx.profiles.get(failed.profileId);
      const { connection } = await siteOf(this.ctx, profile);
      count = await userSessionCount(connection, serviceBaseUrl(profile.qrs, 'qrs'), failed.user);
    } catch (err) {
      // The explanation is a bonus: the open's own answer still stands when the site cannot be asked.
      if (err instanceof QlikError) return failed.result;
      throw err;
    }
    if (count < PARALLEL_SESSION_LIMIT) return failed.result;
    const at = this.ctx.now();
    this.refusals = [
      { ...failed.user, profileId: failed.profileId, virtualProxy: failed.virtualProxy, nodeName: failed.nodeName, at, count },
      ...this.refusals,
    ].slice(0, MAX_REFUSALS);
    return {
      ...failed.result,
      detail: `Qlik refused a new session for ${formatUser(failed.user)} on ${prefixLabel(failed.virtualProxy)}: the user already holds ${count} sessions on the site and Qlik allows ${PARALLEL_SESSION_LIMIT} in parallel ("too many sessions active in parallel"). End one in Sessions, or wait for the inactivity timeout.`,
    };
  }

  private currentRefusals(profileId: string): RefusedLogin[] {
    const now = this.ctx.now();
    this.refusals = this.refusals.filter((r) => now - r.at < REFUSAL_TTL_MS);
    return this.refusals.filter((r) => r.profileId === profileId);
  }
}

function toFailure(f: { nodeName: string; prefix: string; code: string; message: string }): InspectorFailure {
  return { nodeName: f.nodeName, virtualProxy: f.prefix, code: f.code, message: f.message };
}

async function userSessionCount(connection: QlikConnection, qrs: string, user: UserRef): Promise<number> {
  const inventory = await listUserSessions(connection, await discoverNodes(connection, qrs), user);
  return inventory.sessions.length;
}
