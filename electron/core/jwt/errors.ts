// The one error of the JWT tools: a code to branch on, what went wrong, and the fix.
import { UsherError } from '../../../shared/errors';
export type JwtErrorCode = 'BAD_KEY' | 'BAD_CERTIFICATE' | 'BAD_INPUT' | 'KEY_MISMATCH' | 'NO_SIGNING_PAIR';

export class JwtError extends UsherError<JwtErrorCode> {
  override name = 'JwtError';
  declare readonly hint: string;
  /** A key, certificate or value the person gave is unusable (exit 2); no signing pair held is a failure (exit 1). */
  override readonly badInput: boolean;
  constructor(code: JwtErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(code, message, hint, options);
    this.badInput = code !== 'NO_SIGNING_PAIR';
  }
}
