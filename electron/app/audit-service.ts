// The audit screen's backend: the console's own audit log (the same file `usher audit` reads), newest
// first. Entries are masked by the core on write and on read, so they go to the renderer as they are.
import type { RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { AuditLog } from '../core/profiles';

/** Enough for a day's work at a glance without reading a long-lived log into the window whole. */
export const AUDIT_DEFAULT_LIMIT = 500;

export class AuditService {
  constructor(private readonly audit: AuditLog) {}

  async list(req: RequestOf<'audit.list'>): Promise<ResponseOf<'audit.list'>> {
    const { entries, skippedLines } = await this.audit.read({
      limit: req.limit ?? AUDIT_DEFAULT_LIMIT,
      ...(req.profile !== undefined ? { profile: req.profile } : {}),
    });
    // The file is oldest first (append-only); people read an audit trail from the latest event down.
    return { entries: entries.reverse(), skippedLines };
  }
}
