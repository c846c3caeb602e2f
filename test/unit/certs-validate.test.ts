// The checks on a loaded certificate set, and the summaries the renderer sees (names, dates, usages,
// fingerprints; never key material).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CertImportError,
  summarizeCertificate,
  validateCertificateSet,
  type CertificateReport,
  type CertificateSet,
  type Finding,
} from '../../electron/core/certs';
import { fixtures, type KeyAndCert } from '../support/cert-fixtures';

const DAY = 86_400_000;

function setOf(client: KeyAndCert, caPem: string, keyPem = client.keyPem): CertificateSet {
  return {
    certPem: client.certPem,
    keyPem: createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem' }).toString(),
    caPem,
    source: { kind: 'pem', files: ['client.pem', 'client_key.pem', 'root.pem'] },
  };
}

function finding(report: CertificateReport, id: Finding['id']): Finding {
  const found = report.findings.find((f) => f.id === id);
  if (!found) throw new Error(`no finding ${id} in ${report.findings.map((f) => f.id).join(', ')}`);
  return found;
}

/** Every finding but `except` passes. */
function othersPass(report: CertificateReport, ...except: Array<Finding['id']>): void {
  expect(report.findings.filter((f) => !except.includes(f.id) && f.status !== 'pass').map((f) => `${f.id}: ${f.detail}`)).toEqual([]);
}

function expectOneLineWithFix(f: Finding): void {
  expect(f.detail).not.toContain('\n');
  expect(f.fix, `${f.id} has a fix`).toBeTruthy();
  expect(f.fix).not.toContain('\n');
}

describe('validateCertificateSet', () => {
  it('passes a matching set from one QMC export, with every check present once', () => {
    const report = validateCertificateSet(setOf(fixtures.client(), fixtures.ca().certPem));
    expect(report.ok).toBe(true);
    expect(report.findings.map((f) => f.id)).toEqual([
      'key-matches',
      'issued-by-root',
      'root-is-ca',
      'validity',
      'expiring-soon',
      'client-auth-eku',
      'root-validity',
    ]);
    othersPass(report);
    expect(report.client.subject).toBe('CN=QlikClient');
    expect(report.root.subject).toBe('CN=qlik-central-CA');
  });

  it('fails key-matches for the key of another certificate', () => {
    const report = validateCertificateSet(setOf(fixtures.client(), fixtures.ca().certPem, fixtures.otherClient().keyPem));
    const f = finding(report, 'key-matches');
    expect(f.status).toBe('fail');
    expectOneLineWithFix(f);
    expect(f.fix).toContain('client_key.pem');
    expect(report.ok).toBe(false);
    othersPass(report, 'key-matches');
  });

  it('fails issued-by-root for a client certificate of another site', () => {
    const report = validateCertificateSet(setOf(fixtures.foreignClient(), fixtures.ca().certPem));
    const f = finding(report, 'issued-by-root');
    expect(f.status).toBe('fail');
    expect(f.detail).toContain('other-site-CA');
    expect(f.detail).toContain('qlik-central-CA');
    expectOneLineWithFix(f);
    expect(report.ok).toBe(false);
    othersPass(report, 'issued-by-root');
  });

  it('fails issued-by-root when the issuer name matches but the signature does not (certificates re-created)', () => {
    // Same CA name, another key: a name comparison alone would pass this.
    expect(new X509Certificate(fixtures.recreatedClient().certPem).issuer).toBe(new X509Certificate(fixtures.ca().certPem).subject);
    const report = validateCertificateSet(setOf(fixtures.recreatedClient(), fixtures.ca().certPem));
    const f = finding(report, 'issued-by-root');
    expect(f.status).toBe('fail');
    expect(f.detail).toMatch(/another key of that name: the site's certificates were re-created/);
    expectOneLineWithFix(f);
    expect(report.ok).toBe(false);
  });

  it('fails root-is-ca when root.pem is not a CA (client.pem chosen twice)', () => {
    const report = validateCertificateSet(setOf(fixtures.client(), fixtures.client().certPem));
    const f = finding(report, 'root-is-ca');
    expect(f.status).toBe('fail');
    expectOneLineWithFix(f);
    expect(f.fix).toContain('root.pem');
    expect(report.ok).toBe(false);
  });

  it('fails validity for an expired client certificate and leaves out expiring-soon', () => {
    const report = validateCertificateSet(setOf(fixtures.expiredClient(), fixtures.ca().certPem));
    const f = finding(report, 'validity');
    expect(f.status).toBe('fail');
    expect(f.detail).toMatch(/expired on \d{4}-\d\d-\d\d/);
    expectOneLineWithFix(f);
    expect(report.findings.some((x) => x.id === 'expiring-soon')).toBe(false);
    expect(report.ok).toBe(false);
    othersPass(report, 'validity');
  });

  it('fails validity for a certificate not valid yet (clock skew), pointing at the clocks', () => {
    const report = validateCertificateSet(setOf(fixtures.notYetValidClient(), fixtures.ca().certPem));
    const f = finding(report, 'validity');
    expect(f.status).toBe('fail');
    expect(f.detail).toMatch(/not valid before/);
    expect(f.fix).toMatch(/time/);
    expect(report.ok).toBe(false);
  });

  it('warns expiring-soon for a certificate expiring in 10 days, and the set stays ok', () => {
    const report = validateCertificateSet(setOf(fixtures.expiringClient(), fixtures.ca().certPem));
    const f = finding(report, 'expiring-soon');
    expect(f.status).toBe('warn');
    expect(f.detail).toMatch(/in (9|10) days/);
    expectOneLineWithFix(f);
    expect(finding(report, 'validity').status).toBe('pass');
    expect(report.ok).toBe(true);
    othersPass(report, 'expiring-soon');
  });

  it('judges the dates against `now`', () => {
    const set = setOf(fixtures.client(), fixtures.ca().certPem);
    const validTo = new Date(new X509Certificate(set.certPem).validTo).getTime();
    expect(finding(validateCertificateSet(set, new Date(validTo - 40 * DAY)), 'expiring-soon').status).toBe('pass');
    expect(finding(validateCertificateSet(set, new Date(validTo - 29 * DAY)), 'expiring-soon').status).toBe('warn');
    expect(finding(validateCertificateSet(set, new Date(validTo + DAY)), 'validity').status).toBe('fail');
    const rootTo = new Date(new X509Certificate(set.caPem).validTo).getTime();
    expect(finding(validateCertificateSet(set, new Date(rootTo - 5 * DAY)), 'root-validity').status).toBe('warn');
    expect(finding(validateCertificateSet(set, new Date(rootTo + DAY)), 'root-validity').status).toBe('fail');
  });

  it('fails client-auth-eku for a certificate whose EKU lacks clientAuth', () => {
    const report = validateCertificateSet(setOf(fixtures.noClientAuthClient(), fixtures.ca().certPem));
    const f = finding(report, 'client-auth-eku');
    expect(f.status).toBe('fail');
    expect(f.detail).toContain('1.3.6.1.5.5.7.3.4');
    expectOneLineWithFix(f);
    expect(report.client.extendedKeyUsage).toEqual(['emailProtection']);
    expect(report.ok).toBe(false);
    othersPass(report, 'client-auth-eku');
  });

  it('fails client-auth-eku for a server certificate, and passes a certificate without any EKU', () => {
    expect(finding(validateCertificateSet(setOf(fixtures.server(), fixtures.ca().certPem)), 'client-auth-eku').status).toBe('fail');
    const noEku = validateCertificateSet(setOf(fixtures.noEkuClient(), fixtures.ca().certPem));
    expect(noEku.client.extendedKeyUsage).toEqual([]);
    expect(finding(noEku, 'client-auth-eku').status).toBe('pass');
    othersPass(noEku);
  });

  it('carries no key material: not the key, not its base64, not its modulus', () => {
    const set = setOf(fixtures.client(), fixtures.ca().certPem, fixtures.otherClient().keyPem);
    const text = JSON.stringify(validateCertificateSet(set));
    expect(text).not.toMatch(/PRIVATE KEY/);
    const keyBody = set.keyPem.split('\n').slice(1, -2);
    for (const line of keyBody) expect(text).not.toContain(line.slice(0, 24));
    const jwk = createPrivateKey(set.keyPem).export({ format: 'jwk' });
    for (const part of [jwk.n, jwk.d, jwk.p, jwk.q]) expect(text).not.toContain(String(part).slice(0, 24));
    // Nor the certificate bodies: summaries, not PEM.
    expect(text).not.toMatch(/BEGIN/);
  });
});

describe('summarizeCertificate', () => {
  it('gives subject, issuer, serial, SHA-256 fingerprint, SANs, ISO dates, CA flag and EKU names', () => {
    const server = fixtures.server();
    const x509 = new X509Certificate(server.certPem);
    const s = summarizeCertificate(server.certPem);
    expect(s).toEqual({
      subject: 'CN=qlik-central',
      issuer: 'CN=qlik-central-CA',
      serialNumber: x509.serialNumber.toUpperCase(),
      fingerprint256: x509.fingerprint256,
      subjectAltNames: ['DNS:qlik-central', 'DNS:qlik-central.corp.example', 'IP:10.1.2.3'],
      validFrom: new Date(x509.validFrom).toISOString(),
      validTo: new Date(x509.validTo).toISOString(),
      isCa: false,
      extendedKeyUsage: ['serverAuth'],
    });
    expect(s.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(s.validFrom).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('marks the site CA as a CA and lists clientAuth for the client certificate', () => {
    const ca = summarizeCertificate(fixtures.ca().certPem);
    expect(ca.isCa).toBe(true);
    expect(ca.subject).toBe(ca.issuer);
    expect(ca.extendedKeyUsage).toEqual([]);
    expect(summarizeCertificate(fixtures.client().certPem).extendedKeyUsage).toEqual(['clientAuth']);
  });

  it('throws a CertImportError (NOT_PEM) for text that is not a certificate', () => {
    expect(() => summarizeCertificate('hello')).toThrow(CertImportError);
    expect(() => summarizeCertificate(fixtures.client().keyPem)).toThrow(
      expect.objectContaining({ code: 'NOT_PEM', message: expect.not.stringContaining('PRIVATE') }),
    );
  });
});
