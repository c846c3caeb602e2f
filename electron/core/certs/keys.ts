// Turning a private-key block into a usable KeyObject: decrypting with the passphrase (Node first, node-forge
// for legacy ciphers OpenSSL 3 dropped), and telling a missing, wrong or unsupported passphrase/key apart.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { errorMessage } from '../error-text';
import type { KeyItem } from './pem';
import { CertImportError, passphraseRequired, truncatedPem, unsupportedKey, wrongPassphrase } from './errors';

const USABLE_KEY_TYPES = new Set(['rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448']);

export function checkKeyType(key: KeyObject, file: string): KeyObject {
  const type = key.asymmetricKeyType ?? 'unknown';
  if (!USABLE_KEY_TYPES.has(type)) throw unsupportedKey(file, `a ${type.toUpperCase()} key; TLS client certificates need RSA or EC`);
  return key;
}

function isWellFormedDer(der: Buffer): boolean {
  try {
    forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), true);
    return true;
  } catch {
    return false;
  }
}

/** Loads one key block; an encrypted one needs `passphrase`. */
export function loadKey(item: KeyItem, passphrase: string | undefined): KeyObject {
  if (!item.encrypted) {
    try {
      return checkKeyType(createPrivateKey({ key: item.pem, format: 'pem' }), item.file);
    } catch (err) {
      if (err instanceof CertImportError) throw err;
      if (!isWellFormedDer(item.der)) throw truncatedPem(item.file, item.label, 'unparsable');
      throw unsupportedKey(item.file, errorMessage(err), err);
    }
  }
  if (passphrase === undefined) throw passphraseRequired(item.file, 'key');
  let nodeError: unknown;
  try {
    return checkKeyType(createPrivateKey({ key: item.pem, format: 'pem', passphrase }), item.file);
  } catch (err) {
    if (err instanceof CertImportError) throw err;
    nodeError = err;
  }
  // OpenSSL 3 refuses legacy ciphers (DES, RC2) without its legacy provider, and a wrong passphrase can
  // surface as a decoder error: node-forge decides between "legacy but right" and "wrong".
  const viaForge = decryptWithForge(item, passphrase);
  if (viaForge) return checkKeyType(viaForge, item.file);
  if (!isWellFormedDer(item.der)) throw truncatedPem(item.file, item.label, 'unparsable');
  throw wrongPassphrase(item.file, 'key', nodeError);
}

function decryptWithForge(item: KeyItem, passphrase: string): KeyObject | undefined {
  try {
    if (item.label === 'ENCRYPTED PRIVATE KEY') {
      const epki = forge.asn1.fromDer(forge.util.createBuffer(item.der.toString('binary')));
      const info = forge.pki.decryptPrivateKeyInfo(epki, passphrase) as forge.asn1.Asn1 | null;
      if (!info) return undefined;
      const der = Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary');
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    }
    if (item.label === 'RSA PRIVATE KEY') {
      const key = forge.pki.decryptRsaPrivateKey(item.pem, passphrase) as forge.pki.rsa.PrivateKey | null;
      if (!key) return undefined;
      return createPrivateKey({ key: forge.pki.privateKeyToPem(key), format: 'pem' });
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The key as unencrypted PKCS#8 PEM (memory only). */
export function toPkcs8Pem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** SPKI DER of a key (a private key's public half), for comparing a key with a certificate's `publicKey`. */
export function spki(key: KeyObject): Buffer {
  return (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
}
