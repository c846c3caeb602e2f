// The one error of the JWT tools: a code to branch on, what went wrong, and the fix.
export type JwtErrorCode = 'BAD_KEY' | 'BAD_CERTIFICATE' | 'BAD_INPUT' | 'KEY_MISMATCH' | 'NO_SIGNING_PAIR';

export class JwtError extends Error {
  override name = 'JwtError';
  readonly code: JwtErrorCode;
  readonly hint: string;

  constructor(code: JwtErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.hint = hint;
  }
}
