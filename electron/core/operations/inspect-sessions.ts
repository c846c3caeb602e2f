// The session inventory, written once for `usher sessions` and the console's session inspector: every
// session of the site (QRS for the nodes, or the one node the caller names), which of them Usher created
// (the audit log's session-create digests), the console partition holding each (when the face has
// partitions), grouped by user with the warnings an admin should act on.
import type { AuditLog } from '../profiles';
import type { QlikConnection } from '../qlik';
import { listAllSessions, type InventoryOptions, type NodeTarget } from '../sessions/inventory';
import {
  buildInspectorModel,
  createdSessionDigests,
  gatherSessions,
  type GatheredSessions,
  type InspectorModel,
  type RefusedLogin,
  type RowKeys,
  type SessionHolders,
} from '../sessions/session-inspector';

export interface InspectSessionsInput {
  connection: QlikConnection;
  /** QRS (every node and the cookie names of the virtual proxies it links), or one node the caller names. */
  nodes: { qrs: string } | { known: NodeTarget[] };
  /** The audit log that says which sessions Usher created; `profile`: only that profile's entries. */
  created: { log: Pick<AuditLog, 'read'>; profile?: string };
  /** How the view names the site. */
  profileId: string;
  rowKeys: RowKeys;
  /** Session id -> the console partition holding it; asked while the site is (the CLI has none). */
  holders?: () => Promise<SessionHolders>;
  refusals?: RefusedLogin[];
  now: Date;
  onProgress?: InventoryOptions['onProgress'];
}

export interface InspectSessionsResult extends InspectorModel {
  gathered: GatheredSessions;
}

export async function inspectSessions(input: InspectSessionsInput): Promise<InspectSessionsResult> {
  const started = performance.now();
  const options = input.onProgress ? { onProgress: input.onProgress } : {};
  const nodes = input.nodes;
  // A named node has no QRS to say which cookie names its virtual proxies use: none are known.
  const gathering: Promise<GatheredSessions> =
    'known' in nodes
      ? listAllSessions(input.connection, nodes.known, options).then((inventory) => ({ nodes: nodes.known, virtualProxies: [], inventory }))
      : gatherSessions(input.connection, nodes.qrs, options);
  const [gathered, holders, createdDigests] = await Promise.all([
    gathering,
    input.holders ? input.holders() : new Map(),
    createdSessionDigests(input.created.log, input.created.profile),
  ]);
  const model = buildInspectorModel({
    profileId: input.profileId,
    gathered,
    holders,
    createdDigests,
    rowKeys: input.rowKeys,
    ...(input.refusals ? { refusals: input.refusals } : {}),
    now: input.now,
    durationMs: performance.now() - started,
  });
  return { ...model, gathered };
}
