// The module CA file (`usher validate-module --module-ca`, the console's Module CA field): a file with a
// certificate block that does not parse must be refused by name, not trusted as garbage and met later as
// "untrusted" on the module's HTTPS.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readModuleCa, ModuleCaError } from '../../electron/core/validator/module-ca';
import { fixtures, tempFolder } from '../support/cert-fixtures';

function damaged(pem: string): string {
  // Flip characters in the middle of the base64 body: still base64, no longer a certificate.
  const lines = pem.trim().split('\n');
  const mid = Math.floor(lines.length / 2);
  lines[mid] = 'A'.repeat(lines[mid]!.length);
  lines[mid + 1] = 'A'.repeat(lines[mid + 1]!.length);
  return `${lines.join('\n')}\n`;
}

describe('readModuleCa', () => {
  it('reads a PEM certificate', () => {
    const dir = tempFolder({ 'ca.pem': fixtures.ca().certPem });
    expect(readModuleCa(join(dir, 'ca.pem'))).toBe(fixtures.ca().certPem);
  });

  it('refuses a certificate block that does not parse, naming the file and the fix', () => {
    const dir = tempFolder({ 'ca.pem': damaged(fixtures.ca().certPem) });
    const path = join(dir, 'ca.pem');
    let caught: unknown;
    try {
      readModuleCa(path);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ModuleCaError);
    expect((caught as ModuleCaError).code).toBe('NOT_ALLOWED');
    expect((caught as ModuleCaError).message).toContain(path);
    expect((caught as ModuleCaError).message).toMatch(/cut or damaged/);
    expect((caught as ModuleCaError).hint).toMatch(/PEM/);
  });

  it('refuses a file with no PEM certificate, as before', () => {
    const dir = tempFolder({ 'ca.der': Buffer.from([0x30, 0x82, 0x01, 0x00]) });
    expect(() => readModuleCa(join(dir, 'ca.der'))).toThrow(/holds no PEM certificate/);
  });
});
