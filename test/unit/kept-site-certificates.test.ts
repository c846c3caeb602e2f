// USHER_SITE_CERTS' folder: made once with private modes, the same CA on every later open, and anything
// that is not such a set refused with the fix, never overwritten.
import { X509Certificate } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEPT_SITE_FILES, openKeptSiteCertificates, SiteCertificatesError } from '../../electron/simulator/kept-site-certificates';
import { CertificateAuthority } from '../../electron/simulator/pki';

describe('a kept site certificate folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'usher-kept-'));
  const dir = join(root, 'nested', 'certs');
  const first = openKeptSiteCertificates(dir, 'kept-test-CA');

  /** A copy of the good set with `change` applied, and what opening it throws. */
  function refusal(change: (copy: string) => void): SiteCertificatesError {
    const copy = mkdtempSync(join(root, 'copy-'));
    cpSync(dir, copy, { recursive: true });
    change(copy);
    try {
      openKeptSiteCertificates(copy);
    } catch (err) {
      expect(err).toBeInstanceOf(SiteCertificatesError);
      expect((err as SiteCertificatesError).badInput).toBe(true);
      return err as SiteCertificatesError;
    }
    throw new Error('the folder was accepted');
  }

  it('is made on first use, parents too: the folder 0700, every file 0600', () => {
    expect(readdirSync(dir).sort()).toEqual(Object.values(KEPT_SITE_FILES).sort());
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o777, name).toBe(0o600);
    expect(readdirSync(join(root, 'nested'))).toEqual(['certs']); // no staging folder left behind
    expect(new X509Certificate(first.pki.ca.certPem).subject).toBe('CN=kept-test-CA');
  });

  it('gives the same CA, client and JWT pair on every later open, and a working site PKI', () => {
    const again = openKeptSiteCertificates(dir);
    expect(again.pki.ca.certPem).toBe(first.pki.ca.certPem);
    expect(again.pki.client).toEqual(first.pki.client);
    expect(again.jwt).toEqual(first.jwt);
    const ca = new X509Certificate(again.pki.ca.certPem);
    const server = new X509Certificate(again.pki.serverFor('central.qlik.test', '127.0.0.2').certPem);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost('central.qlik.test')).toBe('central.qlik.test');
    // Every node's certificate carries the one kept server key.
    expect(again.pki.serverFor('rim1.qlik.test').keyPem).toBe(readFileSync(join(dir, KEPT_SITE_FILES.serverKey), 'utf8'));
    expect(again.pki.pfx.length).toBeGreaterThan(0);
  });

  it('fills an empty folder someone made for it', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(new X509Certificate(openKeptSiteCertificates(empty).pki.client.certPem).subject).toBe('CN=QlikClient');
  });

  it('refuses a folder holding other files, and leaves them be', () => {
    const other = join(root, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    expect(() => openKeptSiteCertificates(other)).toThrow(`${other} holds other files, not the site certificates Usher keeps (no root.pem)`);
    expect(readdirSync(other)).toEqual(['notes.txt']);
    // A QMC export (no CA key) is such a folder too.
    expect(refusal((copy) => writeFileSync(join(copy, KEPT_SITE_FILES.caKey), '')).message).toMatch(/not a set Usher can use/);
    expect(() => openKeptSiteCertificates(join(other, 'notes.txt'))).toThrow('is a file, not a folder of site certificates');
  });

  it('refuses a key other users can read, naming the chmod', () => {
    const err = refusal((copy) => chmodSync(join(copy, KEPT_SITE_FILES.caKey), 0o644));
    expect(err.message).toMatch(/root_key\.pem can be read by other users \(mode 644\)$/);
    expect(err.hint).toMatch(/^chmod 600 .*root_key\.pem$/);
  });

  it('refuses keys that are not their certificates', () => {
    const swapped = refusal((copy) => copyFileSync(join(copy, KEPT_SITE_FILES.key), join(copy, KEPT_SITE_FILES.caKey)));
    expect(swapped.message).toMatch(/root_key\.pem is not the key of root\.pem$/);
    expect(swapped.hint).toMatch(/empty the folder/);
    const jwt = refusal((copy) => copyFileSync(join(copy, KEPT_SITE_FILES.key), join(copy, KEPT_SITE_FILES.jwtKey)));
    expect(jwt.message).toMatch(/jwt_key\.pem is not the key of jwt\.pem$/);
  });

  it('refuses a client certificate of another CA, and an expired set', () => {
    const old = CertificateAuthority.create({ commonName: 'old-CA', notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
    const oldClient = old.issueClient({ commonName: 'QlikClient', notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
    const foreign = refusal((copy) => {
      writeFileSync(join(copy, KEPT_SITE_FILES.cert), oldClient.certPem);
      writeFileSync(join(copy, KEPT_SITE_FILES.key), oldClient.keyPem, { mode: 0o600 });
    });
    expect(foreign.message).toMatch(/client\.pem was not issued by root\.pem$/);
    const expired = refusal((copy) => {
      writeFileSync(join(copy, KEPT_SITE_FILES.ca), old.certPem);
      writeFileSync(join(copy, KEPT_SITE_FILES.caKey), old.keyPem, { mode: 0o600 });
      writeFileSync(join(copy, KEPT_SITE_FILES.cert), oldClient.certPem);
      writeFileSync(join(copy, KEPT_SITE_FILES.key), oldClient.keyPem, { mode: 0o600 });
    });
    expect(expired.message).toMatch(/root\.pem expired on Jan {2}1 00:00:00 2021 GMT$/);
  });
});
