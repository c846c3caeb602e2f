// What the renderer may see of a certificate: names, fingerprint, validity and usages. No key material.
import { X509Certificate } from 'node:crypto';
import type { CertificateSummary } from '../../../shared/certificates';
import { CertImportError } from './errors';

export type { CertificateSummary } from '../../../shared/certificates';

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.4.1.311.10.3.4': 'encryptedFileSystem',
  '1.3.6.1.4.1.311.20.2.2': 'smartcardLogon',
};

/** Node's multi-line "CN=...\nO=..." as one line "CN=..., O=...". */
export function oneLineName(name: string): string {
  return name
    .split('\n')
    .map((part) => part.trim())
    .filter(Boolean)
    .join(', ');
}

/** The EKU OIDs of a certificate, or undefined when it has no EKU extension (any use allowed). */
export function ekuOids(x509: X509Certificate): string[] | undefined {
  // Node names the extended key usage list `keyUsage`.
  const list = x509.keyUsage as string[] | undefined;
  return Array.isArray(list) ? list : undefined;
}

export const SERVER_AUTH_EKU = '1.3.6.1.5.5.7.3.1';

/**
 * Whether a certificate may take part in serving TLS: it names no purposes (no EKU extension), or its
 * purposes include serverAuth. anyExtendedKeyUsage alone is not enough: OpenSSL (so Node and curl) refuses
 * it for a server, and a pinned partition must not accept what the QPS client refuses.
 */
export function allowsServerAuth(x509: X509Certificate): boolean {
  const oids = ekuOids(x509);
  return oids === undefined || oids.includes(SERVER_AUTH_EKU);
}

function isoDate(nodeDate: string): string {
  const d = new Date(nodeDate);
  return Number.isNaN(d.getTime()) ? nodeDate : d.toISOString();
}

function altNames(x509: X509Certificate): string[] {
  const raw = x509.subjectAltName;
  if (!raw) return [];
  return raw
    .split(/,\s*(?=[A-Za-z ]+:)/)
    .map((entry) => entry.trim().replace(/^IP Address:/, 'IP:'))
    .filter(Boolean);
}

export function summarizeX509(x509: X509Certificate): CertificateSummary {
  return {
    subject: oneLineName(x509.subject),
    issuer: oneLineName(x509.issuer),
    serialNumber: x509.serialNumber.toUpperCase(),
    fingerprint256: x509.fingerprint256,
    subjectAltNames: altNames(x509),
    validFrom: isoDate(x509.validFrom),
    validTo: isoDate(x509.validTo),
    isCa: x509.ca,
    extendedKeyUsage: (ekuOids(x509) ?? []).map((oid) => EKU_NAMES[oid] ?? oid),
  };
}

/** Summary of one PEM (or DER) certificate; the first certificate when the PEM holds several. */
export function summarizeCertificate(pem: string): CertificateSummary {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(pem);
  } catch (err) {
    throw new CertImportError('NOT_PEM', 'the text is not a PEM certificate', 'Give the content of client.pem or root.pem from the QMC export.', {
      cause: err,
    });
  }
  return summarizeX509(x509);
}
