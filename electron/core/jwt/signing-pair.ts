// A JWT signing pair: an RSA private key Usher signs test tokens with, and a self-signed certificate
// holding its public key, the text an administrator pastes into the QMC's "JWT certificate" field.
// Made here (keygen) or from an existing private key (import). The key never leaves the main process.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { JwtSigningPairSummary, QlikJwtAlgorithm } from '../../../shared/jwt';
import { classifyPem } from '../certs/pem';
import { loadKey, spki } from '../certs/keys';
import { signCertificate } from '../certs/sign-certificate';
import { oneLineName } from '../certs/summary';
import { CertImportError } from '../certs/errors';
import { hasControlCharacters } from '../../../shared/terminal-text';
import { errorMessage } from '../error-text';
import { JwtError } from './errors';

export interface JwtSigningPair {
  /** Unencrypted PKCS#8 PEM: memory and the vault only. */
  keyPem: string;
  certificatePem: string;
  /** The algorithm tokens are minted with unless told otherwise. */
  algorithm: QlikJwtAlgorithm;
}

export const RSA_KEY_SIZES = [2048, 3072, 4096] as const;
export type RsaKeySize = (typeof RSA_KEY_SIZES)[number];

export interface KeygenOptions {
  /** The certificate's subject CN. */
  commonName?: string;
  bits?: RsaKeySize;
  validDays?: number;
  algorithm?: QlikJwtAlgorithm;
  /** The certificate's start; default now less an hour (another machine's clock may lag). */
  now?: Date;
}

const DEFAULT_CN = 'Usher JWT signing';
const DEFAULT_VALID_DAYS = 730;

/** Self-signed: the QMC only reads the public key out of the certificate; nobody chains it. */
function selfSignedCertificate(privateKey: KeyObject, commonName: string, notBefore: Date, validDays: number): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString());
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive, never zero-led
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + validDays * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  cert.setIssuer([{ name: 'commonName', value: commonName }]);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, critical: true }, { name: 'subjectKeyIdentifier' }]);
  signCertificate(cert, privateKey);
  // forge writes CRLF line ends; Node's form (LF) is what every other PEM in Usher looks like.
  return new X509Certificate(forge.pki.certificateToPem(cert)).toString();
}

function checkCommonName(name: string): string {
  const cn = name.trim();
  if (cn === '' || cn.length > 64 || hasControlCharacters(cn)) {
    throw new JwtError('BAD_INPUT', 'the certificate name must be 1 to 64 printable characters', 'Give a short name such as "Usher JWT signing".');
  }
  return cn;
}

/** A new RSA pair with its self-signed certificate (RS256 by default). */
export function generateSigningPair(options: KeygenOptions = {}): JwtSigningPair {
  const bits = options.bits ?? 2048;
  if (!RSA_KEY_SIZES.includes(bits))
    throw new JwtError('BAD_INPUT', `an RSA key of ${String(bits)} bits is not offered`, `Use one of ${RSA_KEY_SIZES.join(', ')}.`);
  const validDays = options.validDays ?? DEFAULT_VALID_DAYS;
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > 3650) {
    throw new JwtError('BAD_INPUT', `a certificate valid ${String(validDays)} days is not offered`, 'Give a whole number of days from 1 to 3650.');
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const notBefore = new Date((options.now ?? new Date()).getTime() - 60 * 60 * 1000);
  return {
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: selfSignedCertificate(privateKey, checkCommonName(options.commonName ?? DEFAULT_CN), notBefore, validDays),
    algorithm: options.algorithm ?? 'RS256',
  };
}

/** Qlik verifies RS256/384/512 only: an EC or Ed25519 key could sign nothing it accepts. */
function requireRsa(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new JwtError(
      'BAD_KEY',
      `${what} is ${key.asymmetricKeyType === undefined ? 'not an asymmetric key' : `an ${key.asymmetricKeyType.toUpperCase()} key`}; Qlik JWT virtual proxies verify RSA signatures only (RS256, RS384, RS512)`,
      'Use an RSA private key, or let Usher generate a pair.',
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new JwtError('BAD_KEY', `${what} is an RSA key of ${bits} bits`, 'Use an RSA key of 2048 bits or more.');
}

export interface ImportOptions {
  /** PEM text of the private key (PKCS#1 or PKCS#8, encrypted or not). */
  keyPem: string;
  passphrase?: string;
  /** The certificate already in the QMC for this key; left out, a self-signed one is made. */
  certificatePem?: string;
  algorithm?: QlikJwtAlgorithm;
  commonName?: string;
  /** The made certificate's start (less an hour) and lifetime. */
  now?: Date;
  validDays?: number;
}

/** An existing private key (and its certificate, when there is one) as a signing pair. */
export function importSigningPair(options: ImportOptions): JwtSigningPair {
  let key: KeyObject;
  try {
    const item = classifyPem(options.keyPem, 'the key').keys[0];
    if (!item) {
      throw new JwtError(
        'BAD_KEY',
        'the text holds no private key',
        'Give the PEM of the private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----).',
      );
    }
    key = loadKey(item, options.passphrase);
  } catch (err) {
    if (err instanceof JwtError) throw err;
    if (err instanceof CertImportError) throw new JwtError('BAD_KEY', err.message, err.hint, { cause: err });
    throw new JwtError('BAD_KEY', `the private key cannot be read: ${errorMessage(err)}`, 'Give an unencrypted PEM key, or its passphrase.', { cause: err });
  }
  requireRsa(key, 'the private key');
  let certificatePem = options.certificatePem;
  if (certificatePem !== undefined) {
    const x509 = parseCertificate(certificatePem);
    if (!spki(key).equals(spki(x509.publicKey))) {
      throw new JwtError(
        'KEY_MISMATCH',
        'the certificate does not hold the public half of this private key',
        'Give the certificate made for this key, or leave it out and Usher makes one.',
      );
    }
    certificatePem = x509.toString();
  } else {
    const notBefore = new Date((options.now ?? new Date()).getTime() - 60 * 60 * 1000);
    certificatePem = selfSignedCertificate(key, checkCommonName(options.commonName ?? DEFAULT_CN), notBefore, options.validDays ?? DEFAULT_VALID_DAYS);
  }
  return { keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(), certificatePem, algorithm: options.algorithm ?? 'RS256' };
}

export function parseCertificate(pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new JwtError(
      'BAD_CERTIFICATE',
      'the text is not a PEM certificate',
      'Give the whole certificate, -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.',
      { cause: err },
    );
  }
}

export function privateKeyOf(pair: JwtSigningPair): KeyObject {
  return createPrivateKey(pair.keyPem);
}

/** What may be shown of a pair: everything but the private key. */
export function summarizeSigningPair(pair: JwtSigningPair): JwtSigningPairSummary {
  const x509 = new X509Certificate(pair.certificatePem);
  return {
    certificatePem: pair.certificatePem,
    subject: oneLineName(x509.subject),
    fingerprint256: x509.fingerprint256,
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: new Date(x509.validTo).toISOString(),
    algorithm: pair.algorithm,
    keyBits: x509.publicKey.asymmetricKeyDetails?.modulusLength ?? 0,
  };
}
