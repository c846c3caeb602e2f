// Every failure to read a certificate set becomes one CertImportError: a code the UI and CLI can branch
// on, a one-line message naming the file and the cause, and a hint a Qlik administrator can act on.
// Messages and hints never carry key material or passphrases.
import { errorMessage } from '../error-text';
import { UsherError } from '../../../shared/errors';

export type CertErrorCode =
  | 'FILE_NOT_FOUND'
  | 'FILE_TOO_LARGE'
  | 'NOT_PEM'
  | 'TRUNCATED_PEM'
  | 'NO_CERTIFICATES_IN_FOLDER'
  | 'MISSING_FILE'
  | 'PASSPHRASE_REQUIRED'
  | 'WRONG_PASSPHRASE'
  | 'BAD_PFX'
  | 'UNSUPPORTED_KEY';

export class CertImportError extends UsherError<CertErrorCode> {
  override name = 'CertImportError';
  declare readonly hint: string;
  // Certificates are only ever read from files the person named: whatever is wrong with them (not PEM,
  // a cut file, a wrong passphrase) is bad input, as a missing file is.
  override readonly badInput = true;
  /** The file (or folder) the error is about, as given or found. */
  readonly file?: string;

  constructor(code: CertErrorCode, message: string, hint: string, details: { file?: string; cause?: unknown } = {}) {
    super(code, message, hint, details);
    if (details.file !== undefined) this.file = details.file;
  }
}

export const EXPORT_AGAIN_HINT =
  "Export the certificates again from the QMC (Certificates > Export) with 'Include secret key', then import the new export folder.";
const PASSPHRASE_WHERE = 'the passphrase is the one typed in the QMC export dialog (Certificates > Export > Certificate password)';

// ---------------------------------------------------------------------------------------------------
// Files

export function fileNotFound(path: string, what = 'file', cause?: unknown): CertImportError {
  return new CertImportError(
    'FILE_NOT_FOUND',
    `${path}: no such ${what}`,
    `Check the path; a QMC export folder holds client.pem, client_key.pem and root.pem (or client.pfx).`,
    {
      file: path,
      cause,
    },
  );
}

export function notAFile(path: string): CertImportError {
  return new CertImportError(
    'FILE_NOT_FOUND',
    `${path}: not a regular file`,
    'Choose the certificate file itself (client.pem, client_key.pem, root.pem or client.pfx), not a folder or device.',
    {
      file: path,
    },
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function fileTooLarge(path: string, size: number, max: number): CertImportError {
  return new CertImportError(
    'FILE_TOO_LARGE',
    `${path} is too large for a certificate file (${megabytes(size)}; the limit is ${megabytes(max)}); not read`,
    'Certificate files from the QMC are a few kilobytes: check that you chose client.pem, client_key.pem, root.pem or client.pfx and not another file.',
    { file: path },
  );
}

export function unreadable(path: string, cause: unknown): CertImportError {
  return new CertImportError(
    'FILE_NOT_FOUND',
    `${path}: cannot be read (${oneLine(errorMessage(cause))})`,
    'Check that the file exists and that your account may read it.',
    {
      file: path,
      cause,
    },
  );
}

// ---------------------------------------------------------------------------------------------------
// PEM

export function notPem(path: string, looksLike?: 'pfx'): CertImportError {
  if (looksLike === 'pfx') {
    return new CertImportError(
      'NOT_PEM',
      `${path}: is a PFX (PKCS#12) file, not PEM`,
      'Import it as a PFX (client.pfx with its passphrase), or choose the .pem files of the QMC export.',
      {
        file: path,
      },
    );
  }
  return new CertImportError(
    'NOT_PEM',
    `${path}: is not a PEM file (no "-----BEGIN ...-----" block)`,
    "Choose the files of a QMC export in 'Platform independent PEM-format': client.pem, client_key.pem and root.pem.",
    { file: path },
  );
}

export function truncatedPem(path: string, label: string, why: 'no-end' | 'bad-base64' | 'unparsable'): CertImportError {
  const cause =
    why === 'no-end'
      ? `has "-----BEGIN ${label}-----" without its END line`
      : why === 'bad-base64'
        ? `the ${label} block is not valid base64`
        : `the ${label} block cannot be parsed`;
  return new CertImportError(
    'TRUNCATED_PEM',
    `${path}: ${cause}; the file is cut or damaged`,
    `${EXPORT_AGAIN_HINT} Copy the files as files (not by pasting their text) so nothing is cut.`,
    {
      file: path,
    },
  );
}

export function missingPart(path: string, message: string, hint = EXPORT_AGAIN_HINT): CertImportError {
  return new CertImportError('MISSING_FILE', message, hint, { file: path });
}

// ---------------------------------------------------------------------------------------------------
// Keys and passphrases

export function passphraseRequired(path: string, what: 'key' | 'pfx'): CertImportError {
  const thing = what === 'key' ? 'the private key' : 'the PFX file';
  return new CertImportError(
    'PASSPHRASE_REQUIRED',
    `${path}: ${thing} is protected by a passphrase; none was given`,
    `Enter the passphrase: ${PASSPHRASE_WHERE}.`,
    { file: path },
  );
}

export function wrongPassphrase(path: string, what: 'key' | 'pfx', cause?: unknown): CertImportError {
  const thing = what === 'key' ? 'the private key' : 'the PFX file';
  return new CertImportError(
    'WRONG_PASSPHRASE',
    `${path}: the passphrase does not open ${thing}`,
    `Check the passphrase (it is case-sensitive): ${PASSPHRASE_WHERE}. If nobody knows it, ${lowerFirst(EXPORT_AGAIN_HINT)}`,
    { file: path, cause },
  );
}

export function unsupportedKey(path: string, detail: string, cause?: unknown): CertImportError {
  return new CertImportError(
    'UNSUPPORTED_KEY',
    `${path}: the private key cannot be used (${oneLine(detail)})`,
    `Qlik Sense exports RSA keys; ${lowerFirst(EXPORT_AGAIN_HINT)}`,
    {
      file: path,
      cause,
    },
  );
}

// ---------------------------------------------------------------------------------------------------
// PFX

export function badPfx(path: string, detail: string, cause?: unknown): CertImportError {
  return new CertImportError(
    'BAD_PFX',
    `${path}: is not a readable PFX (PKCS#12) file (${oneLine(detail)})`,
    `Choose client.pfx from a QMC export in Windows format, or import the PEM files instead; if the file was copied, copy it again in binary form. ${EXPORT_AGAIN_HINT}`,
    { file: path, cause },
  );
}

// ---------------------------------------------------------------------------------------------------
// Folders

export function noCertificatesInFolder(folder: string, seen: string[], skipped: string[]): CertImportError {
  const shown = seen.slice(0, 12);
  const more = seen.length > shown.length ? ` and ${seen.length - shown.length} more` : '';
  const saw = seen.length ? `it holds ${shown.join(', ')}${more}` : 'it holds no files';
  const big = skipped.length ? `; skipped as too large: ${skipped.slice(0, 5).join(', ')}` : '';
  return new CertImportError(
    'NO_CERTIFICATES_IN_FOLDER',
    `${folder}: no certificates or keys found (${saw}${big})`,
    `Choose the folder the QMC export wrote (on the central node: C:\\ProgramData\\Qlik\\Sense\\Repository\\Exported Certificates\\<machine name>), with client.pem, client_key.pem and root.pem or client.pfx. ${EXPORT_AGAIN_HINT}`,
    { file: folder },
  );
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
