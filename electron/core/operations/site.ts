// What every operation is given about the site it works on, whichever face runs it.
import type { AuditLog } from '../profiles';

/** Where an operation records what it created or ended, and the name its records give the site. */
export interface AuditTrail {
  log: Pick<AuditLog, 'append' | 'read'>;
  /** The profile id, or "(flags)" when the CLI reached the site by flags. */
  profile: string;
}
