// Every vault failure is one VaultError: a code the UI and CLI can branch on, a message saying what
// happened, and a hint the user can act on. Messages never contain secret bytes or key material.
import { errorMessage } from '../error-text';
import { UsherError } from '../../../shared/errors';

export type VaultErrorCode =
  | 'KEYCHAIN_UNAVAILABLE' // no OS keychain reachable (no Secret Service, no D-Bus, timed out, malformed entry)
  | 'KEYCHAIN_REFUSED' // the keychain is there but refused us (locked, access denied, prompt dismissed)
  | 'BUNDLE_NOT_FOUND' // nothing stored under that id
  | 'BUNDLE_UNREADABLE' // stored, but cannot be decrypted (tampered, other machine, data key gone) or read
  | 'BUNDLE_UNWRITABLE' // the bundle file cannot be written (folder not writable, disk full)
  | 'BAD_BUNDLE_ID' // the id is not ^[a-z0-9-]{1,64}$
  | 'VAULT_BUSY'; // another process held the data folder's write lock for longer than we wait

export class VaultError extends UsherError<VaultErrorCode> {
  override name = 'VaultError';
  declare readonly hint: string;
  readonly bundleId?: string;

  constructor(code: VaultErrorCode, message: string, hint: string, details: { bundleId?: string; cause?: unknown } = {}) {
    super(code, message, hint, details);
    if (details.bundleId !== undefined) this.bundleId = details.bundleId;
  }
}

/** The message of anything thrown, on one line, for reasons and wrapped errors. */
export function describeCause(err: unknown): string {
  return errorMessage(err).replace(/\s+/g, ' ').trim() || 'unknown error';
}
