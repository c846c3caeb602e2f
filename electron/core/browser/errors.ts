// The browser client's one error type, apart from the client so that code which only reports errors
// (the CLI's dispatcher) does not load undici to recognise one.

export type BrowserErrorCode = 'TIMEOUT' | 'CONNECTION_REFUSED' | 'UNTRUSTED_CERT' | 'HOST_MISMATCH' | 'TOO_MANY_REDIRECTS' | 'BODY_TOO_LARGE' | 'NETWORK';

export class BrowserRequestError extends Error {
  override name = 'BrowserRequestError';
  constructor(
    readonly code: BrowserErrorCode,
    message: string,
    /** What to check or change, in a Qlik administrator's terms. */
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
