import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { signCertificate } from '../../electron/core/certs/sign-certificate';

describe('signCertificate', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

  /** The same unsigned certificate every call: same serial, validity, names and extensions. */
  function unsigned(): forge.pki.Certificate {
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    cert.serialNumber = '0123456789abcdef';
    cert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
    cert.validity.notAfter = new Date('2027-01-01T00:00:00Z');
    cert.setSubject([{ name: 'commonName', value: 'signed' }]);
    cert.setIssuer([{ name: 'commonName', value: 'signed' }]);
    cert.setExtensions([{ name: 'basicConstraints', cA: true }, { name: 'subjectKeyIdentifier' }]);
    return cert;
  }

  it("writes the very bytes forge's own sign writes (RSA PKCS#1 v1.5 with SHA-256 is deterministic)", () => {
    const byForge = unsigned();
    byForge.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
    const native = unsigned();
    signCertificate(native, keyPem);
    expect(forge.pki.certificateToPem(native)).toBe(forge.pki.certificateToPem(byForge));
  });

  it('takes a KeyObject too, and OpenSSL verifies the result', () => {
    const cert = unsigned();
    signCertificate(cert, privateKey);
    const x509 = new X509Certificate(forge.pki.certificateToPem(cert));
    expect(x509.verify(publicKey)).toBe(true);
    expect(x509.publicKey.export({ type: 'spki', format: 'pem' })).toBe(publicKey.export({ type: 'spki', format: 'pem' }));
  });
});
