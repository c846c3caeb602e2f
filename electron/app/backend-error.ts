// Failures of the console backend that are not the core's own (the core's QlikError, ProfileError,
// VaultError and CertImportError already carry a code and a hint and pass through unchanged). The IPC
// router turns anything with `code` and `hint` into a typed IpcError for the renderer.
import { UsherError } from '../../shared/errors';

export type BackendErrorCode =
  | 'NOT_FOUND'
  | 'TICKET_EXPIRED'
  | 'RUN_NOT_FOUND'
  | 'RUN_SAVED'
  | 'NOT_ALLOWED'
  | 'PROFILE_EXISTS'
  | 'NO_CERTIFICATES'
  | 'INVALID_ORIGIN'
  | 'VALIDATION_BUSY'
  /** A partition folder or its browser storage could not be created or deleted (the message names it). */
  | 'STORAGE_FAILED';

export class BackendError extends UsherError<BackendErrorCode> {
  override name = 'BackendError';
  declare readonly hint: string;
  constructor(code: BackendErrorCode, message: string, hint: string) {
    super(code, message, hint);
  }
}
