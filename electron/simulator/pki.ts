// The demo site's certificate authority, made in pure Node (no openssl binary): key pairs and signatures
// come from node:crypto (fast, native), the X.509 structures and the PFX from node-forge.
// Certificates mirror what a Qlik Sense site issues: a site CA "<host>-CA", a server certificate per
// node for the host name Qlik registered for it, and a client certificate CN=QlikClient.
import { createPublicKey, generateKeyPairSync, randomBytes, createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import { signCertificate } from '../core/certs/sign-certificate';

export interface KeyAndCert {
  certPem: string;
  /** PKCS#1 PEM ("RSA PRIVATE KEY"), the form the QMC exports. */
  keyPem: string;
}

export interface IssueOptions {
  commonName: string;
  /** Defaults to one hour ago (tolerates a little clock skew between processes). */
  notBefore?: Date;
  /** Defaults to `notBefore` + `validDays`. */
  notAfter?: Date;
  validDays?: number;
}

export interface ServerCertOptions extends IssueOptions {
  /** DNS names or IP addresses the certificate is valid for. */
  altNames: string[];
}

const RSA_BITS = 2048;

function newKeyPair(): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: RSA_BITS });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}

/** A positive serial number of 16 random bytes (RFC 5280 allows up to 20). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function validity(opts: IssueOptions): { notBefore: Date; notAfter: Date } {
  const notBefore = opts.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + (opts.validDays ?? 825) * 86_400_000);
  return { notBefore, notAfter };
}

function build(
  subjectCn: string,
  publicPem: string,
  opts: IssueOptions,
  extensions: object[],
  issuer: { cert: forge.pki.Certificate; keyPem: string } | { selfKeyPem: string },
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  cert.serialNumber = randomSerial();
  const { notBefore, notAfter } = validity(opts);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: 'commonName', value: subjectCn }]);
  const ski = { name: 'subjectKeyIdentifier' };
  if ('selfKeyPem' in issuer) {
    cert.setIssuer(cert.subject.attributes);
    cert.setExtensions([...extensions, ski]);
    signCertificate(cert, issuer.selfKeyPem);
  } else {
    cert.setIssuer(issuer.cert.subject.attributes);
    const aki = { name: 'authorityKeyIdentifier', keyIdentifier: issuer.cert.generateSubjectKeyIdentifier().getBytes() };
    cert.setExtensions([...extensions, ski, aki]);
    signCertificate(cert, issuer.keyPem);
  }
  return cert;
}

export class CertificateAuthority {
  private readonly forgeCert: forge.pki.Certificate;

  private constructor(
    readonly certPem: string,
    readonly keyPem: string,
  ) {
    this.forgeCert = forge.pki.certificateFromPem(certPem);
  }

  static create(opts: IssueOptions): CertificateAuthority {
    const pair = newKeyPair();
    const cert = build(
      opts.commonName,
      pair.publicPem,
      { validDays: 3650, ...opts },
      [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
      { selfKeyPem: pair.privatePem },
    );
    return new CertificateAuthority(forge.pki.certificateToPem(cert), pair.privatePem);
  }

  /** A CA kept from an earlier run (its certificate and PKCS#1 key); the caller has checked they match. */
  static fromPem(certPem: string, keyPem: string): CertificateAuthority {
    return new CertificateAuthority(certPem, keyPem);
  }

  /** `keyPem` reuses a key pair (PKCS#1 PEM) instead of generating one. */
  issueServer(opts: ServerCertOptions & { keyPem?: string }): KeyAndCert {
    const altNames = opts.altNames.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name }));
    return this.issue(
      opts,
      [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ],
      opts.keyPem,
    );
  }

  /**
   * `clientAuth: false` makes a certificate QPS must refuse (used to test the EKU finding); `keyPem` reuses
   * a key pair (PKCS#1 PEM) instead of generating one.
   */
  issueClient(opts: IssueOptions & { clientAuth?: boolean; keyPem?: string }): KeyAndCert {
    return this.issue(
      opts,
      [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        opts.clientAuth === false ? { name: 'extKeyUsage', emailProtection: true } : { name: 'extKeyUsage', clientAuth: true },
      ],
      opts.keyPem,
    );
  }

  private issue(opts: IssueOptions, extensions: object[], keyPem?: string): KeyAndCert {
    const pair =
      keyPem === undefined ? newKeyPair() : { privatePem: keyPem, publicPem: createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString() };
    const cert = build(opts.commonName, pair.publicPem, opts, extensions, { cert: this.forgeCert, keyPem: this.keyPem });
    return { certPem: forge.pki.certificateToPem(cert), keyPem: pair.privatePem };
  }
}

/**
 * A PKCS#12 file as the QMC's "export certificates" writes it: the client key and certificate plus the
 * site CA, protected by a passphrase. `aes256` is what Node's OpenSSL 3 reads natively; `3des` is the
 * older Windows default.
 */
export function toPfx(client: KeyAndCert, caCertPem: string, passphrase: string, algorithm: 'aes256' | '3des' = 'aes256'): Buffer {
  const key = forge.pki.privateKeyFromPem(client.keyPem);
  const chain = [forge.pki.certificateFromPem(client.certPem), forge.pki.certificateFromPem(caCertPem)];
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, chain, passphrase, { algorithm, friendlyName: 'QlikClient' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/** Upper-case colon-separated SHA-256 of the DER, as browsers and the QMC show it. */
export function fingerprint256(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** A short stable id for a certificate (used in file names). */
export function certificateId(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex').slice(0, 12);
}
