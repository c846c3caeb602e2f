// Certificates for the certificate import/validation tests, made once per test file and only when a test
// asks (RSA key generation costs ~0.3 s each), plus temp-folder helpers and PFX builders, including a
// legacy RC2-40 PFX as Windows and OpenSSL 1.x wrote them (Node's OpenSSL 3 refuses it).
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll } from 'vitest';
import { CertificateAuthority, toPfx, type KeyAndCert } from '../../electron/simulator/pki';

export { toPfx };
export type { KeyAndCert };

const DAY = 86_400_000;

export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

const siteCa = lazy(() => CertificateAuthority.create({ commonName: 'qlik-central-CA' }));
/**
 * One key pair (PKCS#1 PEM) for the leaf certificates whose own key no test tells apart from another's:
 * each RSA key costs ~0.4 s. `client` and `otherClient` keep keys of their own (tests pair one's
 * certificate with the other's key), and so do the CAs (a chain is told by its keys).
 */
export const leafKey = lazy(() => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
/** Another site's CA. */
const foreignCa = lazy(() => CertificateAuthority.create({ commonName: 'other-site-CA' }));
/** A CA with the same name as the site CA but another key: the site's certificates were re-created. */
const recreatedCa = lazy(() => CertificateAuthority.create({ commonName: 'qlik-central-CA' }));

export const fixtures = {
  ca: siteCa,
  foreignCa,
  recreatedCa,
  client: lazy(() => siteCa().issueClient({ commonName: 'QlikClient' })),
  /** A second client certificate of the same site: its key is "the key of another certificate". */
  otherClient: lazy(() => siteCa().issueClient({ commonName: 'QlikClient' })),
  server: lazy(() =>
    siteCa().issueServer({ commonName: 'qlik-central', altNames: ['qlik-central', 'qlik-central.corp.example', '10.1.2.3'], keyPem: leafKey() }),
  ),
  foreignClient: lazy(() => foreignCa().issueClient({ commonName: 'QlikClient', keyPem: leafKey() })),
  recreatedClient: lazy(() => recreatedCa().issueClient({ commonName: 'QlikClient', keyPem: leafKey() })),
  expiredClient: lazy(() => siteCa().issueClient({ commonName: 'QlikClient', notBefore: new Date(Date.now() - 400 * DAY), validDays: 365, keyPem: leafKey() })),
  notYetValidClient: lazy(() =>
    siteCa().issueClient({ commonName: 'QlikClient', notBefore: new Date(Date.now() + 2 * DAY), validDays: 365, keyPem: leafKey() }),
  ),
  expiringClient: lazy(() =>
    siteCa().issueClient({
      commonName: 'QlikClient',
      notBefore: new Date(Date.now() - 300 * DAY),
      notAfter: new Date(Date.now() + 10 * DAY),
      keyPem: leafKey(),
    }),
  ),
  noClientAuthClient: lazy(() => siteCa().issueClient({ commonName: 'QlikClient', clientAuth: false, keyPem: leafKey() })),
  noEkuClient: lazy(() => issueWithoutEku(siteCa(), 'QlikClient')),
};

/** A client certificate without an extended key usage extension (allowed for any use). */
function issueWithoutEku(ca: CertificateAuthority, commonName: string): KeyAndCert {
  return issueCustom(ca, { commonName, keyPem: leafKey() });
}

export interface CustomCertOptions {
  commonName: string;
  /** DNS names or IP addresses (subjectAltName). */
  altNames?: string[];
  /** forge's extKeyUsage flags (`serverAuth`, `clientAuth`, or an OID such as '2.5.29.37.0'); none: no EKU extension. */
  eku?: Record<string, boolean>;
  /** A CA certificate (an intermediate), which can then issue with `issueCustom` itself. */
  ca?: boolean;
  /** The certificate's key pair (PKCS#1 PEM), e.g. leafKey(); none: a new one. */
  keyPem?: string;
}

/** A certificate the simulator's PKI would not make: any extended key usage, intermediate CAs. */
export function issueCustom(issuer: { certPem: string; keyPem: string }, opts: CustomCertOptions): KeyAndCert {
  const pair = opts.keyPem
    ? { privateKey: createPrivateKey(opts.keyPem), publicKey: createPublicKey(opts.keyPem) }
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const issuerCert = forge.pki.certificateFromPem(issuer.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive serial in minimal DER: forge reads an odd-length hex string with a 0x00 byte in front,
  // which is a non-minimal INTEGER whenever the next byte is below 0x80, and a strict verifier refuses it.
  const serial = randomBytes(12);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + 365 * DAY);
  cert.setSubject([{ name: 'commonName', value: opts.commonName }]);
  cert.setIssuer(issuerCert.subject.attributes);
  const extensions: object[] = [{ name: 'basicConstraints', cA: opts.ca ?? false }];
  if (opts.ca) extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true });
  if (opts.eku) extensions.push({ name: 'extKeyUsage', ...opts.eku });
  if (opts.altNames)
    extensions.push({ name: 'subjectAltName', altNames: opts.altNames.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })) });
  cert.setExtensions(extensions);
  cert.sign(forge.pki.privateKeyFromPem(issuer.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
}

/** The key as PKCS#8 "ENCRYPTED PRIVATE KEY" (AES-256-CBC, what OpenSSL 3 writes). */
export function encryptPkcs8(keyPem: string, passphrase: string): string {
  return createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
}

/** The key as a legacy "RSA PRIVATE KEY" with "Proc-Type: 4,ENCRYPTED" (OpenSSL 1.x `-des3`). */
export function encryptLegacy(keyPem: string, passphrase: string, algorithm: '3des' | 'des' | 'aes128' = '3des'): string {
  // forge's types omit 'des', which it supports (and OpenSSL 3 refuses without its legacy provider).
  return forge.pki.encryptRsaPrivateKey(forge.pki.privateKeyFromPem(keyPem), passphrase, { algorithm: algorithm as 'aes128' });
}

// ---------------------------------------------------------------------------------------------------
// Legacy PFX: certificates in an RC2-40 encrypted bag, the key shrouded with 3DES, SHA-1 MAC. This is
// what `openssl pkcs12 -export` wrote before OpenSSL 3 and what older Windows exports look like.

const { asn1, pki } = forge;

function seq(...items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
}
function oid(id: string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes());
}
function octets(bytes: string): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);
}
function int(n: number): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
}
function explicit0(...items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, items);
}
function der(obj: forge.asn1.Asn1): string {
  return asn1.toDer(obj).getBytes();
}

export function toLegacyRc2Pfx(client: KeyAndCert, caCertPem: string, passphrase: string): Buffer {
  const iterations = 2048;
  const localKeyId = forge.md.sha1
    .create()
    .update(der(pki.certificateToAsn1(pki.certificateFromPem(client.certPem))))
    .digest()
    .getBytes();
  const attrs = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
    seq(oid(pki.oids.localKeyId!), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [octets(localKeyId)])),
  ]);
  const certBag = (pem: string, withAttrs: boolean): forge.asn1.Asn1 =>
    seq(
      oid(pki.oids.certBag!),
      explicit0(seq(oid(pki.oids.x509Certificate!), explicit0(octets(der(pki.certificateToAsn1(pki.certificateFromPem(pem))))))),
      ...(withAttrs ? [attrs] : []),
    );
  const certSafeContents = der(seq(certBag(client.certPem, true), certBag(caCertPem, false)));

  // EncryptedData with pbeWithSHAAnd40BitRC2-CBC (RFC 7292 appendix B key derivation).
  const salt = forge.random.getBytesSync(8);
  const key = forge.pkcs12.generateKey(passphrase, forge.util.createBuffer(salt), 1, iterations, 5);
  const iv = forge.pkcs12.generateKey(passphrase, forge.util.createBuffer(salt), 2, iterations, 8);
  const cipher = forge.rc2.createEncryptionCipher(key, 40);
  cipher.start(iv);
  cipher.update(forge.util.createBuffer(certSafeContents));
  cipher.finish();
  const encryptedCerts = seq(
    oid(pki.oids.encryptedData!),
    explicit0(
      seq(
        int(0),
        seq(
          oid(pki.oids.data!),
          seq(oid(pki.oids['pbewithSHAAnd40BitRC2-CBC']!), seq(octets(salt), int(iterations))),
          asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, cipher.output.getBytes()),
        ),
      ),
    ),
  );

  const keyInfo = pki.wrapRsaPrivateKey(pki.privateKeyToAsn1(pki.privateKeyFromPem(client.keyPem)));
  const shrouded = pki.encryptPrivateKeyInfo(keyInfo, passphrase, { algorithm: '3des', count: iterations });
  const keyBag = seq(oid(pki.oids.pkcs8ShroudedKeyBag!), explicit0(shrouded), attrs);
  const keyData = seq(oid(pki.oids.data!), explicit0(octets(der(seq(keyBag)))));

  const authSafe = der(seq(encryptedCerts, keyData));
  const macSalt = forge.random.getBytesSync(8);
  const macKey = forge.pkcs12.generateKey(passphrase, forge.util.createBuffer(macSalt), 3, iterations, 20);
  const hmac = forge.hmac.create();
  hmac.start('sha1', macKey);
  hmac.update(authSafe);
  const macData = seq(
    seq(seq(oid(pki.oids.sha1!), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')), octets(hmac.digest().getBytes())),
    octets(macSalt),
    int(iterations),
  );
  const pfx = seq(int(3), seq(oid(pki.oids.data!), explicit0(octets(authSafe))), macData);
  return Buffer.from(der(pfx), 'binary');
}

// ---------------------------------------------------------------------------------------------------
// Temp folders

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the file's tests; `files` are written into it. */
export function tempFolder(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'usher-certs-'));
  made.push(dir);
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  return dir;
}

/** The files of a QMC export in PEM format (plus client.pfx when a passphrase is given). */
export function qmcExport(client: KeyAndCert, caPem: string, pfxPassphrase?: string): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = { 'client.pem': client.certPem, 'client_key.pem': client.keyPem, 'root.pem': caPem };
  if (pfxPassphrase !== undefined) files['client.pfx'] = toPfx(client, caPem, pfxPassphrase);
  return files;
}
