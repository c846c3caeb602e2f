// One entry of the audit log (every ticket and session Usher created or ended), as the core stores it and
// the console shows it. Its schema is what a line of the log must hold, on write and on read; the type is
// derived from it. The core (electron/core/profiles/audit-log.ts) writes and reads the file, the renderer
// only ever sees these views. Tickets and session ids are masked before they get here.
import * as v from 'valibot';
import { maskSecret } from './redact';
import { looseRecord, oneOf, optional, text, type Infer } from './schema';

/** 'session-reveal': a person copied a session cookie's value to the clipboard on purpose (a live login for that user). */
export const AUDIT_ACTIONS = ['ticket', 'session-create', 'session-end', 'user-sessions-end', 'session-reveal'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const SESSION_DIGEST = /^[0-9a-f]{64}$/;
/** Masked whatever was passed: maskSecret is idempotent on masked values. */
const masked = optional(v.pipe(text(), v.transform(maskSecret)));

/**
 * A clean entry with known fields only (anything else a caller spread in, such as a full `ticket`, is
 * dropped) and secrets masked. A line that does not fit is skipped on read and refused on write.
 */
export const auditEntrySchema = looseRecord({
  /** ISO 8601. */
  at: v.pipe(
    text({ max: 100 }),
    v.check((at) => !Number.isNaN(Date.parse(at)), 'must be a time'),
  ),
  action: oneOf(...AUDIT_ACTIONS),
  /** The profile id (or a label such as "(trust check host:port)" for work done outside a profile). */
  profile: text(),
  /** The proxy node, when one was chosen. */
  node: optional(text()),
  /** The virtual proxy prefix ('' = default). */
  virtualProxy: text(),
  userDirectory: text(),
  userId: text(),
  /** Why, as the person typed it (may be empty). */
  reason: text(),
  ticketMasked: masked,
  sessionIdMasked: masked,
  /**
   * SHA-256 (hex) of the session id, on sessions Usher created or ended: lets the session inspector tell
   * Usher's sessions apart without the log holding a usable id. Only a digest's own form is kept: anything
   * else (a raw id passed by mistake) must not reach the file.
   */
  sessionIdDigest: optional(
    v.pipe(
      text(),
      v.transform((digest) => (SESSION_DIGEST.test(digest) ? digest : undefined)),
    ),
  ),
});

export type AuditEntry = Infer<typeof auditEntrySchema>;

/**
 * What crosses IPC to the audit screen: the entry as stored. Every field is safe to show (the secrets in
 * it are masked on write and again on read), so the view is the entry itself, named for the boundary.
 */
export type AuditEntryView = AuditEntry;
