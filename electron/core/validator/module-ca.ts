// The module's CA (`usher validate-module --module-ca`, the console validator's "Module CA" field): the
// PEM of whoever issued the module's HTTPS certificate, trusted for this run besides the system roots.
// Read once for both faces: a regular file no larger than a CA file can be, holding a PEM certificate.
import { readFileSync, statSync } from 'node:fs';
import { UsherError } from '../../../shared/errors';
import { errorCode } from '../fs/error-code';
import { classifyPem } from '../certs/pem';

export type ModuleCaErrorCode = 'NOT_FOUND' | 'NOT_ALLOWED';

export class ModuleCaError extends UsherError<ModuleCaErrorCode> {
  override name = 'ModuleCaError';
  override readonly badInput = true;
  declare readonly hint: string;
  constructor(code: ModuleCaErrorCode, message: string, hint: string) {
    super(code, message, hint);
  }
}

/** A CA bundle of a few certificates fits many times over; a device or a huge file is not one. */
export const MODULE_CA_MAX_BYTES = 256 * 1024;

export function readModuleCa(path: string): string {
  let pem: string;
  try {
    // A device or a pipe would be read forever: it is refused before any read.
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error(stat.isDirectory() ? 'it is a folder' : 'it is not a regular file');
    if (stat.size > MODULE_CA_MAX_BYTES) throw new Error('it is larger than a CA certificate file can be');
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ModuleCaError(
      'NOT_FOUND',
      `The module CA file ${path} cannot be read (${errorCode(err) ?? (err as Error).message}).`,
      "Pick the PEM file of the CA that issued the module's HTTPS certificate, or leave it out for a public certificate.",
    );
  }
  // Node takes a damaged certificate block in a CA list without a word, and the module's HTTPS would then
  // fail as "untrusted" with nothing naming this file: every block is parsed here, as certificate import does.
  try {
    classifyPem(pem, path);
  } catch (err) {
    throw new ModuleCaError('NOT_ALLOWED', `The module CA file ${(err as Error).message}.`, 'Export the CA certificate again as PEM and pick the new file.');
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ModuleCaError(
      'NOT_ALLOWED',
      `The module CA file ${path} holds no PEM certificate.`,
      'Export the CA certificate as PEM (Base-64, "-----BEGIN CERTIFICATE-----").',
    );
  }
  return pem;
}
