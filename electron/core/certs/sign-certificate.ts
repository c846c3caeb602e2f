// Certificates Usher makes (the built-in site's PKI, JWT signing pairs) are laid out by node-forge and
// signed by node:crypto: forge signs in JavaScript big-number arithmetic, a tenth of a second and more per
// certificate on a loaded machine, where OpenSSL takes a millisecond.
import { sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

/** forge's own step of `cert.sign` that builds the part to sign; its type declarations leave it out. */
const forgeTbs = (forge.pki as unknown as { getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate;

/** Signs `cert` with SHA-256 and the RSA key `key` (PEM or KeyObject), exactly as forge's `cert.sign` would. */
export function signCertificate(cert: forge.pki.Certificate, key: string | KeyObject): void {
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.tbsCertificate = forgeTbs(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary');
  cert.signature = sign('sha256', tbs, key).toString('binary');
}
