// The browser client's one error type, apart from the client so that code which only reports errors
// (the CLI's dispatcher) does not load undici to recognise one.
import { UsherError } from '../../../shared/errors';

export type BrowserErrorCode = 'TIMEOUT' | 'CONNECTION_REFUSED' | 'UNTRUSTED_CERT' | 'HOST_MISMATCH' | 'TOO_MANY_REDIRECTS' | 'BODY_TOO_LARGE' | 'NETWORK';

export class BrowserRequestError extends UsherError<BrowserErrorCode> {
  override name = 'BrowserRequestError';
  declare readonly hint: string;
  constructor(code: BrowserErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(code, message, hint, options);
  }
}
