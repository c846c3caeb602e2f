// Loading certificate sets from QMC export folders, PEM files and PFX files (modern and legacy), and the
// typed errors for everything that goes wrong on the way.
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import {
  CertImportError,
  loadCertificateSet,
  validateCertificateSet,
  type CertificateInput,
  type CertificateSet,
  type LoadOptions,
} from '../../electron/core/certs';
import { encryptLegacy, encryptPkcs8, fixtures, qmcExport, tempFolder, toLegacyRc2Pfx, toPfx } from '../support/cert-fixtures';

const PASS = 'Qlik-Export-2024!';

/** Asserts loading `input` rejects with a CertImportError (Vitest's rejects) and hands it back for its fields. */
async function loadError(input: CertificateInput, options?: LoadOptions): Promise<CertImportError> {
  const loading = loadCertificateSet(input, options);
  await expect(loading).rejects.toBeInstanceOf(CertImportError);
  return loading.then(
    () => undefined as never,
    (err: unknown) => err as CertImportError,
  );
}

function fingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/** The set holds exactly this client, its key (as plain PKCS#8) and this CA. */
function expectSet(set: CertificateSet, client: { certPem: string; keyPem: string }, caPem: string): void {
  expect(fingerprint(set.certPem)).toBe(fingerprint(client.certPem));
  expect(fingerprint(set.caPem)).toBe(fingerprint(caPem));
  expect(set.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  const spki = (pem: string): Buffer => createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
  expect(spki(set.keyPem).equals(spki(client.keyPem))).toBe(true);
}

function expectValid(set: CertificateSet): void {
  const report = validateCertificateSet(set);
  expect(report.findings.filter((f) => f.status !== 'pass')).toEqual([]);
  expect(report.ok).toBe(true);
}

describe('QMC export folder', () => {
  it('loads client.pem, client_key.pem and root.pem by name, preferring them over client.pfx (no passphrase needed)', async () => {
    const dir = tempFolder(qmcExport(fixtures.client(), fixtures.ca().certPem, PASS));
    const set = await loadCertificateSet({ kind: 'folder', path: dir });
    expectSet(set, fixtures.client(), fixtures.ca().certPem);
    expect(set.source).toEqual({ kind: 'folder', files: ['client.pem', 'client_key.pem', 'root.pem'].map((f) => join(dir, f)) });
    expectValid(set);
  });

  it('matches the names case-insensitively, and the names win over content', async () => {
    const dir = tempFolder({
      'CLIENT.PEM': fixtures.client().certPem,
      'Client_Key.pem': fixtures.client().keyPem,
      'Root.pem': fixtures.ca().certPem,
      // Sorted first and just as client-like by content (CN=QlikClient, clientAuth, its own key): a loader
      // that ignored the QMC names would pick this pair.
      '0-client-old.pem': fixtures.otherClient().certPem,
      '0-client-old_key.pem': fixtures.otherClient().keyPem,
      'server.pem': fixtures.server().certPem,
      'server_key.pem': fixtures.server().keyPem,
    });
    const set = await loadCertificateSet({ kind: 'folder', path: dir });
    expectSet(set, fixtures.client(), fixtures.ca().certPem);
    expect(set.source.files.map((f) => f.slice(dir.length + 1))).toEqual(['CLIENT.PEM', 'Client_Key.pem', 'Root.pem']);
  });

  it('finds renamed files by content (.crt/.key/.cer), telling the site CA from the leaf and skipping a server pair', async () => {
    const dir = tempFolder({
      'a.cer': fixtures.ca().certPem,
      'b.key': fixtures.client().keyPem,
      'c.crt': fixtures.client().certPem,
      'server.crt': fixtures.server().certPem,
      'server.key': fixtures.server().keyPem,
      'notes.txt': 'exported by the admin on Monday',
    });
    const set = await loadCertificateSet({ kind: 'folder', path: dir });
    expectSet(set, fixtures.client(), fixtures.ca().certPem);
    expect(set.source.files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(['a.cer', 'b.key', 'c.crt']);
  });

  it('splits one combined PEM (CA first, then key, then leaf, with openssl bag attributes around them)', async () => {
    const combined = [
      'Bag Attributes\n    friendlyName: root',
      fixtures.ca().certPem,
      'Key Attributes: <No Attributes>',
      fixtures.client().keyPem,
      fixtures.client().certPem,
    ].join('\n');
    const dir = tempFolder({ 'qlik-bundle.txt': combined });
    const set = await loadCertificateSet({ kind: 'folder', path: dir });
    expectSet(set, fixtures.client(), fixtures.ca().certPem);
    expect(set.source.files).toEqual([join(dir, 'qlik-bundle.txt')]);
  });

  it('reads a DER-encoded root certificate (a Windows .cer)', async () => {
    const der = new X509Certificate(fixtures.ca().certPem).raw;
    const dir = tempFolder({ 'client.pem': fixtures.client().certPem, 'client_key.pem': fixtures.client().keyPem, 'root.cer': der });
    const set = await loadCertificateSet({ kind: 'folder', path: dir });
    expectSet(set, fixtures.client(), fixtures.ca().certPem);
  });

  it('falls back to client.pfx when the PEM key is missing, and then needs the passphrase', async () => {
    const files = qmcExport(fixtures.client(), fixtures.ca().certPem, PASS);
    delete files['client_key.pem'];
    const dir = tempFolder(files);
    const missing = await loadError({ kind: 'folder', path: dir });
    expect(missing.code).toBe('PASSPHRASE_REQUIRED');
    expect(missing.file).toBe(join(dir, 'client.pfx'));
    const set = await loadCertificateSet({ kind: 'folder', path: dir }, { passphrase: PASS });
    expectSet(set, fixtures.client(), fixtures.ca().certPem);
    expect(set.source.files).toEqual([join(dir, 'client.pfx'), join(dir, 'root.pem')]);
  });

  it('finds a PFX with another name by its content', async () => {
    const dir = tempFolder({ 'export.bin': toPfx(fixtures.client(), fixtures.ca().certPem, PASS) });
    const set = await loadCertificateSet({ kind: 'folder', path: dir }, { passphrase: PASS });
    expectSet(set, fixtures.client(), fixtures.ca().certPem);
  });

  it('says NO_CERTIFICATES_IN_FOLDER listing what it saw, including files skipped as too large', async () => {
    const dir = tempFolder({ 'readme.txt': 'hello', 'config.json': '{}' });
    mkdirSync(join(dir, 'old'));
    writeFileSync(join(dir, 'huge.pem'), '');
    truncateSync(join(dir, 'huge.pem'), 50 * 1024 * 1024);
    const err = await loadError({ kind: 'folder', path: dir });
    expect(err.code).toBe('NO_CERTIFICATES_IN_FOLDER');
    expect(err.file).toBe(dir);
    expect(err.message).toContain('readme.txt');
    expect(err.message).toContain('config.json');
    expect(err.message).toContain('old/');
    expect(err.message).toContain('huge.pem');
    expect(err.message).not.toContain('\n');
    expect(err.hint).toMatch(/QMC/);
  });

  it('ignores a file larger than the limit in folder mode and still loads the export', async () => {
    const dir = tempFolder(qmcExport(fixtures.client(), fixtures.ca().certPem));
    writeFileSync(join(dir, 'backup.pem'), '');
    truncateSync(join(dir, 'backup.pem'), 50 * 1024 * 1024);
    const started = Date.now();
    const set = await loadCertificateSet({ kind: 'folder', path: dir });
    expect(Date.now() - started).toBeLessThan(2000);
    expectSet(set, fixtures.client(), fixtures.ca().certPem);
  });

  it('looks only at regular files: a symbolic link to a key elsewhere is not followed', async () => {
    const outside = tempFolder({ 'client_key.pem': fixtures.client().keyPem });
    const dir = tempFolder({ 'client.pem': fixtures.client().certPem, 'root.pem': fixtures.ca().certPem });
    symlinkSync(join(outside, 'client_key.pem'), join(dir, 'client_key.pem'));
    const err = await loadError({ kind: 'folder', path: dir });
    expect(err.code).toBe('MISSING_FILE');
    expect(err.message).toMatch(/no private key/);
  });

  it('says MISSING_FILE naming what is there and what is not when the key is missing', async () => {
    const dir = tempFolder({ 'client.pem': fixtures.client().certPem, 'root.pem': fixtures.ca().certPem });
    const err = await loadError({ kind: 'folder', path: dir });
    expect(err.code).toBe('MISSING_FILE');
    expect(err.message).toContain('client.pem');
    expect(err.message).toContain('root.pem');
    expect(err.message).toMatch(/no private key \(client_key\.pem\)/);
    expect(err.hint).toContain("'Include secret key'");
  });

  it('reports a damaged client_key.pem rather than looking further', async () => {
    const key = fixtures.client().keyPem;
    const dir = tempFolder({ ...qmcExport(fixtures.client(), fixtures.ca().certPem), 'client_key.pem': key.slice(0, key.length / 2) });
    const err = await loadError({ kind: 'folder', path: dir });
    expect(err.code).toBe('TRUNCATED_PEM');
    expect(err.file).toBe(join(dir, 'client_key.pem'));
  });

  it('says FILE_NOT_FOUND for a folder that does not exist', async () => {
    const err = await loadError({ kind: 'folder', path: join(tempFolder(), 'nope') });
    expect(err.code).toBe('FILE_NOT_FOUND');
  });

  it('loads a folder whose key belongs to another certificate (the checks report it, not the import)', async () => {
    const dir = tempFolder({ 'client.pem': fixtures.client().certPem, 'client_key.pem': fixtures.otherClient().keyPem, 'root.pem': fixtures.ca().certPem });
    const set = await loadCertificateSet({ kind: 'folder', path: dir });
    expect(fingerprint(set.certPem)).toBe(fingerprint(fixtures.client().certPem));
    const report = validateCertificateSet(set);
    expect(report.findings.find((f) => f.id === 'key-matches')?.status).toBe('fail');
    expect(report.ok).toBe(false);
  });
});

describe('PEM files', () => {
  function pemInput(dir: string): CertificateInput {
    return { kind: 'pem', certPath: join(dir, 'client.pem'), keyPath: join(dir, 'client_key.pem'), caPath: join(dir, 'root.pem') };
  }

  it('loads the trio and converts the PKCS#1 key to PKCS#8', async () => {
    const dir = tempFolder(qmcExport(fixtures.client(), fixtures.ca().certPem));
    expect(fixtures.client().keyPem).toMatch(/BEGIN RSA PRIVATE KEY/);
    const set = await loadCertificateSet(pemInput(dir));
    expectSet(set, fixtures.client(), fixtures.ca().certPem);
    expect(set.source).toEqual({ kind: 'pem', files: [join(dir, 'client.pem'), join(dir, 'client_key.pem'), join(dir, 'root.pem')] });
    expectValid(set);
  });

  it('takes the leaf from a client.pem that carries the chain and the CA from a chain file', async () => {
    const chain = fixtures.client().certPem + fixtures.ca().certPem;
    const dir = tempFolder({ 'client.pem': fixtures.ca().certPem + fixtures.client().certPem, 'client_key.pem': fixtures.client().keyPem, 'root.pem': chain });
    const set = await loadCertificateSet(pemInput(dir));
    expectSet(set, fixtures.client(), fixtures.ca().certPem);
  });

  for (const [kind, encrypt] of [
    ['PKCS#8 ENCRYPTED PRIVATE KEY', encryptPkcs8],
    ['legacy Proc-Type 3DES RSA key', (pem: string, pass: string) => encryptLegacy(pem, pass, '3des')],
    ['legacy single-DES RSA key (refused by OpenSSL 3, read with node-forge)', (pem: string, pass: string) => encryptLegacy(pem, pass, 'des')],
  ] as const) {
    it(`opens an encrypted key (${kind}) with the right passphrase, and names missing and wrong ones`, async () => {
      const encrypted = encrypt(fixtures.client().keyPem, PASS);
      expect(encrypted).toMatch(/ENCRYPTED/);
      const dir = tempFolder({ ...qmcExport(fixtures.client(), fixtures.ca().certPem), 'client_key.pem': encrypted });
      const keyPath = join(dir, 'client_key.pem');

      const set = await loadCertificateSet(pemInput(dir), { passphrase: PASS });
      expectSet(set, fixtures.client(), fixtures.ca().certPem);
      expect(set.keyPem).not.toMatch(/ENCRYPTED/);

      const missing = await loadError(pemInput(dir));
      expect(missing.code).toBe('PASSPHRASE_REQUIRED');
      expect(missing.file).toBe(keyPath);
      expect(missing.message).toContain(keyPath);
      expect(missing.hint).toContain('QMC export dialog');

      for (const wrong of ['wrong', PASS.toLowerCase(), '']) {
        const err = await loadError(pemInput(dir), { passphrase: wrong });
        expect(err.code).toBe('WRONG_PASSPHRASE');
        expect(err.file).toBe(keyPath);
        expect(err.message).not.toContain(wrong || '\u0000');
      }
      // The folder import asks the same way.
      expect((await loadError({ kind: 'folder', path: dir })).code).toBe('PASSPHRASE_REQUIRED');
      expectSet(await loadCertificateSet({ kind: 'folder', path: dir }, { passphrase: PASS }), fixtures.client(), fixtures.ca().certPem);
    });
  }

  it('says TRUNCATED_PEM naming the file for a BEGIN without END and for broken base64', async () => {
    const cert = fixtures.client().certPem;
    const dir = tempFolder({ ...qmcExport(fixtures.client(), fixtures.ca().certPem), 'client.pem': cert.slice(0, Math.floor(cert.length * 0.6)) });
    const cut = await loadError(pemInput(dir));
    expect(cut.code).toBe('TRUNCATED_PEM');
    expect(cut.file).toBe(join(dir, 'client.pem'));
    expect(cut.message).toContain(join(dir, 'client.pem'));
    expect(cut.message).toContain('without its END line');

    const lines = fixtures.ca().certPem.split('\n');
    lines.splice(3, 1); // drop a base64 line: length no longer a multiple of 4, or DER cut short
    lines[2] = `${lines[2]!.slice(0, 10)}!!${lines[2]!.slice(12)}`;
    writeFileSync(join(dir, 'client.pem'), cert);
    writeFileSync(join(dir, 'root.pem'), lines.join('\n'));
    const bad = await loadError(pemInput(dir));
    expect(bad.code).toBe('TRUNCATED_PEM');
    expect(bad.file).toBe(join(dir, 'root.pem'));
  });

  it('says TRUNCATED_PEM for a certificate block whose base64 decodes to a cut certificate', async () => {
    const lines = fixtures.ca().certPem.trim().split('\n');
    const cut = [lines[0], ...lines.slice(1, 6), lines[lines.length - 1]].join('\n');
    const dir = tempFolder({ ...qmcExport(fixtures.client(), fixtures.ca().certPem), 'root.pem': cut });
    const err = await loadError(pemInput(dir));
    expect(err.code).toBe('TRUNCATED_PEM');
    expect(err.file).toBe(join(dir, 'root.pem'));
  });

  it('says NOT_PEM for a text file and for a PFX given as a PEM file', async () => {
    const dir = tempFolder({ ...qmcExport(fixtures.client(), fixtures.ca().certPem, PASS), 'root.pem': 'this is not a certificate\n' });
    const text = await loadError(pemInput(dir));
    expect(text.code).toBe('NOT_PEM');
    expect(text.file).toBe(join(dir, 'root.pem'));
    const pfx = await loadError({ ...pemInput(dir), keyPath: join(dir, 'client.pfx') } as CertificateInput);
    expect(pfx.code).toBe('NOT_PEM');
    expect(pfx.message).toMatch(/PFX/);
  });

  it('says MISSING_FILE when the key file holds a certificate instead of a key', async () => {
    const dir = tempFolder(qmcExport(fixtures.client(), fixtures.ca().certPem));
    const err = await loadError({ ...pemInput(dir), keyPath: join(dir, 'client.pem') } as CertificateInput);
    expect(err.code).toBe('MISSING_FILE');
    expect(err.message).toMatch(/holds no private key \(it holds a certificate\)/);
  });

  it('says FILE_NOT_FOUND naming a missing file, and refuses a folder given as a file', async () => {
    const dir = tempFolder(qmcExport(fixtures.client(), fixtures.ca().certPem));
    const missing = await loadError({ ...pemInput(dir), caPath: join(dir, 'root-missing.pem') } as CertificateInput);
    expect(missing.code).toBe('FILE_NOT_FOUND');
    expect(missing.file).toBe(join(dir, 'root-missing.pem'));
    const folder = await loadError({ ...pemInput(dir), caPath: dir } as CertificateInput);
    expect(folder.code).toBe('FILE_NOT_FOUND');
  });

  it('refuses a 50 MB file with FILE_TOO_LARGE before reading it', async () => {
    const dir = tempFolder(qmcExport(fixtures.client(), fixtures.ca().certPem, PASS));
    const big = join(dir, 'big.pem');
    writeFileSync(big, '');
    truncateSync(big, 50 * 1024 * 1024);
    for (const input of [
      { ...pemInput(dir), certPath: big },
      { kind: 'pfx', pfxPath: big },
    ] as CertificateInput[]) {
      const started = performance.now();
      const err = await loadError(input);
      expect(performance.now() - started).toBeLessThan(250);
      expect(err.code).toBe('FILE_TOO_LARGE');
      expect(err.file).toBe(big);
      expect(err.message).toContain('50.0 MB');
    }
    // The limit is an option: a normal certificate is refused under a tiny one.
    expect((await loadError(pemInput(dir), { maxFileBytes: 100 })).code).toBe('FILE_TOO_LARGE');
  });
});

describe('PFX files', () => {
  it('loads an AES-256 PFX with root.pem given, and without it (root from the chain)', async () => {
    const dir = tempFolder(qmcExport(fixtures.client(), fixtures.ca().certPem, PASS));
    const pfxPath = join(dir, 'client.pfx');
    const withCa = await loadCertificateSet({ kind: 'pfx', pfxPath, caPath: join(dir, 'root.pem') }, { passphrase: PASS });
    expectSet(withCa, fixtures.client(), fixtures.ca().certPem);
    expect(withCa.source).toEqual({ kind: 'pfx', files: [pfxPath, join(dir, 'root.pem')] });
    const fromChain = await loadCertificateSet({ kind: 'pfx', pfxPath }, { passphrase: PASS });
    expectSet(fromChain, fixtures.client(), fixtures.ca().certPem);
    expect(fromChain.source).toEqual({ kind: 'pfx', files: [pfxPath] });
    expectValid(fromChain);
  });

  it('prefers the given root.pem over the chain in the PFX', async () => {
    const dir = tempFolder({ 'client.pfx': toPfx(fixtures.client(), fixtures.ca().certPem, PASS), 'other-root.pem': fixtures.foreignCa().certPem });
    const set = await loadCertificateSet({ kind: 'pfx', pfxPath: join(dir, 'client.pfx'), caPath: join(dir, 'other-root.pem') }, { passphrase: PASS });
    expect(fingerprint(set.caPem)).toBe(fingerprint(fixtures.foreignCa().certPem));
  });

  it('says MISSING_FILE when the PFX chain has no CA and no root.pem is given', async () => {
    const onlyLeaf = forgePfxWithoutChain();
    const dir = tempFolder({ 'client.pfx': onlyLeaf });
    const err = await loadError({ kind: 'pfx', pfxPath: join(dir, 'client.pfx') }, { passphrase: PASS });
    expect(err.code).toBe('MISSING_FILE');
    expect(err.hint).toContain('root.pem');
  });

  it('imports a legacy 3DES PFX', async () => {
    const dir = tempFolder({ 'client.pfx': toPfx(fixtures.client(), fixtures.ca().certPem, PASS, '3des') });
    const set = await loadCertificateSet({ kind: 'pfx', pfxPath: join(dir, 'client.pfx') }, { passphrase: PASS });
    expectSet(set, fixtures.client(), fixtures.ca().certPem);
    expectValid(set);
  });

  it("imports a legacy RC2-40/3DES PFX that Node's own TLS (OpenSSL 3) refuses", async () => {
    const pfx = toLegacyRc2Pfx(fixtures.client(), fixtures.ca().certPem, PASS);
    expect(() => tls.createSecureContext({ pfx, passphrase: PASS })).toThrow(/unsupported|RC2|algorithm/i);
    const dir = tempFolder({ 'client.pfx': pfx });
    const set = await loadCertificateSet({ kind: 'pfx', pfxPath: join(dir, 'client.pfx') }, { passphrase: PASS });
    expectSet(set, fixtures.client(), fixtures.ca().certPem);
    // The certificates come out byte for byte: the CA's signature over the client still verifies.
    expectValid(set);
    expect((await loadError({ kind: 'pfx', pfxPath: join(dir, 'client.pfx') }, { passphrase: 'nope' })).code).toBe('WRONG_PASSPHRASE');
  });

  const opensslLegacy = (() => {
    try {
      execFileSync('openssl', ['list', '-cipher-algorithms', '-provider', 'legacy'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!opensslLegacy)('imports PFX files written by the openssl CLI: OpenSSL 3 default (AES-256, SHA-256 MAC) and -legacy', async () => {
    const dir = tempFolder(qmcExport(fixtures.client(), fixtures.ca().certPem));
    for (const extra of [[], ['-legacy']]) {
      const out = join(dir, `openssl${extra.join('')}.pfx`);
      execFileSync('openssl', [
        'pkcs12',
        '-export',
        ...extra,
        '-in',
        join(dir, 'client.pem'),
        '-inkey',
        join(dir, 'client_key.pem'),
        '-certfile',
        join(dir, 'root.pem'),
        '-out',
        out,
        '-passout',
        `pass:${PASS}`,
      ]);
      const set = await loadCertificateSet({ kind: 'pfx', pfxPath: out }, { passphrase: PASS });
      expectSet(set, fixtures.client(), fixtures.ca().certPem);
      expectValid(set);
    }
  });

  it('says PASSPHRASE_REQUIRED without a passphrase and WRONG_PASSPHRASE with a wrong one', async () => {
    const dir = tempFolder({ 'client.pfx': toPfx(fixtures.client(), fixtures.ca().certPem, PASS) });
    const pfxPath = join(dir, 'client.pfx');
    const missing = await loadError({ kind: 'pfx', pfxPath });
    expect(missing.code).toBe('PASSPHRASE_REQUIRED');
    expect(missing.file).toBe(pfxPath);
    const wrong = await loadError({ kind: 'pfx', pfxPath }, { passphrase: 'Qlik-Export-2023!' });
    expect(wrong.code).toBe('WRONG_PASSPHRASE');
    expect(wrong.message).toContain(pfxPath);
    expect(wrong.message).not.toContain('Qlik-Export-2023!');
    expect(wrong.hint).toContain('QMC export dialog');
  });

  it('opens a PFX exported with an empty passphrase without asking for one', async () => {
    const dir = tempFolder({ 'client.pfx': toPfx(fixtures.client(), fixtures.ca().certPem, '') });
    const set = await loadCertificateSet({ kind: 'pfx', pfxPath: join(dir, 'client.pfx') });
    expectSet(set, fixtures.client(), fixtures.ca().certPem);
  });

  it('says BAD_PFX for garbage and for a PEM file given as a PFX', async () => {
    const dir = tempFolder({
      'garbage.pfx': Buffer.from('not a pfx at all, just text'),
      'half.pfx': toPfx(fixtures.client(), fixtures.ca().certPem, PASS).subarray(0, 700),
      ...qmcExport(fixtures.client(), fixtures.ca().certPem),
    });
    for (const name of ['garbage.pfx', 'half.pfx', 'client.pem']) {
      const err = await loadError({ kind: 'pfx', pfxPath: join(dir, name) }, { passphrase: PASS });
      expect(err.code, name).toBe('BAD_PFX');
      expect(err.file).toBe(join(dir, name));
      expect(err.message).not.toContain('\n');
    }
  });
});

/** A PFX with the client key and certificate only (no CA in the chain). */
function forgePfxWithoutChain(): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(fixtures.client().keyPem),
    [forge.pki.certificateFromPem(fixtures.client().certPem)],
    PASS,
    { algorithm: 'aes256' },
  );
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
