// One entry of the audit log (every ticket and session Usher created or ended), as the core stores it and
// the console shows it. Pure data: the core (electron/core/profiles/audit-log.ts) writes and reads the
// file, the renderer only ever sees these views. Tickets and session ids are masked before they get here.

/** 'session-reveal': a person revealed a session cookie's value on purpose (a live login for that user). */
export type AuditAction = 'ticket' | 'session-create' | 'session-end' | 'user-sessions-end' | 'session-reveal';

export const AUDIT_ACTIONS: readonly AuditAction[] = ['ticket', 'session-create', 'session-end', 'user-sessions-end', 'session-reveal'];

export interface AuditEntry {
  /** ISO 8601. */
  at: string;
  action: AuditAction;
  /** The profile id (or a label such as "(trust check host:port)" for work done outside a profile). */
  profile: string;
  /** The proxy node, when one was chosen. */
  node?: string;
  /** The virtual proxy prefix ('' = default). */
  virtualProxy: string;
  userDirectory: string;
  userId: string;
  /** Why, as the person typed it (may be empty). */
  reason: string;
  ticketMasked?: string;
  sessionIdMasked?: string;
  /**
   * SHA-256 (hex) of the session id, on sessions Usher created or ended: lets the session inspector tell
   * Usher's sessions apart without the log holding a usable id.
   */
  sessionIdDigest?: string;
}

/**
 * What crosses IPC to the audit screen: the entry as stored. Every field is safe to show (the secrets in
 * it are masked on write and again on read), so the view is the entry itself, named for the boundary.
 */
export type AuditEntryView = AuditEntry;
