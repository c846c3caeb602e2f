// Certificate import and checks: load a QMC export (folder, PEM files or PFX) into a CertificateSet (main
// process only: it holds the decrypted key), and validate it into a report without secrets.
export { loadCertificateSet } from './import';
export type { CertificateInput, CertificateSet, LoadOptions } from './import';
export { CertImportError } from './errors';
export type { CertErrorCode } from './errors';
export { validateCertificateSet } from './validate';
export type { CertificateReport, Finding, FindingStatus } from './validate';
export { allowsServerAuth, summarizeCertificate } from './summary';
export type { CertificateSummary } from './summary';
