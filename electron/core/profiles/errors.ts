// Typed failures of the profile store: a code to branch on, a one-line message, a hint a person can act on.
import { UsherError } from '../../../shared/errors';

/**
 * STORAGE_FAILED: the profiles folder cannot be read or written (permissions, not a folder, disk full).
 * BUSY: another process held the data folder's write lock for longer than we wait.
 */
export type ProfileErrorCode = 'NOT_FOUND' | 'NAME_TAKEN' | 'BUILT_IN' | 'INVALID' | 'BAD_EXPORT' | 'STORAGE_FAILED' | 'BUSY';

export class ProfileError extends UsherError<ProfileErrorCode> {
  override name = 'ProfileError';
  declare readonly hint: string;
  /** Every validation error with its path (INVALID, BAD_EXPORT); the message shows the first ones. */
  readonly details: string[];

  constructor(code: ProfileErrorCode, message: string, hint: string, details: string[] = []) {
    super(code, message, hint);
    this.details = details;
  }
}

/** `a; b (and 3 more)`: validation errors on one line. */
export function summarise(errors: string[], shown = 2): string {
  const head = errors.slice(0, shown).join('; ');
  return errors.length > shown ? `${head} (and ${errors.length - shown} more)` : head;
}
