// What every operation is given about the site it works on, whichever face runs it.
import type { AuditLog } from '../profiles';

/** Where an operation records what it created or ended, and the name its records give the site. */
export interface AuditTrail {
  log: Pick<AuditLog, 'append' | 'read'>;
  /** The profile id, or "(flags)" when the CLI reached the site by flags. */
  profile: string;
}

/** A proxy node as the caller knows it: a profile's node, or one QRS listed. */
export interface KnownNode {
  name: string;
  qps: string;
}

/**
 * The node an audit record names for the QPS at `qps`: the node's name where the caller knows the
 * site's nodes (a profile, a QRS listing), so a record reads "central" whichever face wrote it; else the
 * QPS's host name, as a session found on that one QPS is named.
 */
export function auditNodeName(qps: string, nodes: readonly KnownNode[]): string {
  const origin = new URL(qps).origin;
  return nodes.find((n) => new URL(n.qps).origin === origin)?.name ?? new URL(qps).hostname;
}
