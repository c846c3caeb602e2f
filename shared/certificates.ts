// What the renderer may ever see of a site's certificates: names, fingerprints, dates, usages and the
// findings of the validation. Produced by electron/core/certs; no key material, ever.

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  /** Upper-case colon-separated SHA-256 of the DER, as browsers and the QMC show it. */
  fingerprint256: string;
  /** "DNS:host", "IP:10.0.0.1", "email:...", "URI:..." */
  subjectAltNames: string[];
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  isCa: boolean;
  /** Names (clientAuth, serverAuth, ...) or the OID when unnamed; empty when the certificate has no EKU. */
  extendedKeyUsage: string[];
}

export type FindingStatus = 'pass' | 'warn' | 'fail';

export interface Finding {
  id: 'key-matches' | 'issued-by-root' | 'root-is-ca' | 'validity' | 'expiring-soon' | 'client-auth-eku' | 'root-validity';
  status: FindingStatus;
  title: string;
  detail: string;
  fix?: string;
}

export interface CertificateReport {
  /** No finding failed. */
  ok: boolean;
  client: CertificateSummary;
  root: CertificateSummary;
  findings: Finding[];
}

/** Where certificates come from, as a user picks them (paths only; the files are read by the main process). */
export type CertificateInput =
  { kind: 'folder'; path: string } | { kind: 'pem'; certPath: string; keyPath: string; caPath: string } | { kind: 'pfx'; pfxPath: string; caPath?: string };
