// Certificate import and checks: load a QMC export (folder, PEM files or PFX) into a CertificateSet (main
// process only: it holds the decrypted key), and validate it into a report without secrets.
export { loadCertificateSet, readLimitedFile, DEFAULT_MAX_FILE_BYTES } from './import';
export type { CertificateInput, CertificateSet, LoadOptions } from './import';
export { CertImportError, isCertImportError } from './errors';
export type { CertErrorCode } from './errors';
export { validateCertificateSet, EXPIRY_WARNING_DAYS } from './validate';
export type { CertificateReport, Finding, FindingStatus } from './validate';
export { summarizeCertificate } from './summary';
export type { CertificateSummary } from './summary';
