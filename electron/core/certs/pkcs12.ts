// PKCS#12 (PFX) reading with node-forge: it handles the legacy PBE algorithms (RC2-40, 3DES) that Node's
// OpenSSL 3 refuses without its legacy provider, and unlike tls.createSecureContext it hands the key and
// certificates back. Only the parsing lives here; choosing the leaf and the CA is import.ts's job.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { CertImportError, badPfx, passphraseRequired, unsupportedKey, wrongPassphrase } from './errors';
import { errorMessage } from '../error-text';
import { checkKeyType } from './keys';

export interface PfxContents {
  keys: KeyObject[];
  certs: X509Certificate[];
}

// What node-forge says when the passphrase does not fit (MAC check, or decryption without a MAC).
const WRONG_PASSWORD_TEXT = /MAC could not be verified|wrong password|Invalid password|Failed to decrypt PKCS#12 SafeContents/i;

function parseAsn1(der: Buffer, file: string): forge.asn1.Asn1 {
  try {
    // Strict: a cut file must not parse as a shorter PFX.
    return forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), true);
  } catch (err) {
    throw badPfx(file, 'not DER-encoded data', err);
  }
}

function openPfx(asn1: forge.asn1.Asn1, file: string, password: string | null): forge.pkcs12.Pkcs12Pfx {
  return forge.pkcs12.pkcs12FromAsn1(asn1, false, password as string);
}

/** Decrypts a PFX. Without a passphrase it tries the empty one (and no password), as OpenSSL does. */
export function readPfx(der: Buffer, file: string, passphrase: string | undefined): PfxContents {
  if (der.subarray(0, 64).toString('latin1').includes('-----BEGIN')) {
    throw badPfx(file, 'it is a PEM text file; import it as PEM files');
  }
  const asn1 = parseAsn1(der, file);
  let pfx: forge.pkcs12.Pkcs12Pfx | undefined;
  const attempts: Array<string | null> = passphrase === undefined ? ['', null] : passphrase === '' ? ['', null] : [passphrase];
  let lastError: unknown;
  for (const password of attempts) {
    try {
      pfx = openPfx(asn1, file, password);
      break;
    } catch (err) {
      lastError = err;
      const text = errorMessage(err);
      if (!WRONG_PASSWORD_TEXT.test(text)) throw badPfx(file, text, err);
    }
  }
  if (!pfx) {
    if (passphrase === undefined) throw passphraseRequired(file, 'pfx');
    throw wrongPassphrase(file, 'pfx', lastError);
  }

  const keys: KeyObject[] = [];
  const certs: X509Certificate[] = [];
  for (const safe of pfx.safeContents) {
    for (const bag of safe.safeBags) {
      if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        keys.push(keyFromBag(bag, file));
      } else if (bag.type === forge.pki.oids.certBag) {
        const cert = certFromBag(bag);
        if (cert) certs.push(cert);
      }
    }
  }
  if (keys.length === 0 && certs.length === 0) throw badPfx(file, 'it holds neither a key nor a certificate');
  return { keys, certs };
}

function keyFromBag(bag: forge.pkcs12.Bag, file: string): KeyObject {
  try {
    // forge parses RSA keys; any other key type comes back as its PrivateKeyInfo ASN.1.
    const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
    const der = Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary');
    return checkKeyType(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }), file);
  } catch (err) {
    if (err instanceof CertImportError) throw err;
    throw unsupportedKey(file, errorMessage(err), err);
  }
}

function certFromBag(bag: forge.pkcs12.Bag): X509Certificate | undefined {
  try {
    // forge re-encodes the certificate from the TBSCertificate ASN.1 it captured, so the bytes (and the
    // signature over them) are kept; certificates forge cannot model come back as ASN.1.
    const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
    return new X509Certificate(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
  } catch {
    return undefined;
  }
}
