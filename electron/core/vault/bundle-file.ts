// The on-disk format of one vault bundle (files are written by core/fs/atomic-write).
//
//   offset  size  field
//   0       4     magic "USHV"
//   4       1     format version (1)
//   5       12    IV (random per write)
//   17      16    GCM auth tag
//   33      n     ciphertext (AES-256-GCM of the secret)
//
// Additional authenticated data = magic + version + bundleId (UTF-8). The id binds the ciphertext to
// its file name: a bundle copied or renamed to another id fails authentication, as does any changed
// byte, a file from another machine (another data key), or a file whose data key is gone.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultError } from './errors';

const BUNDLE_MAGIC = Buffer.from('USHV', 'ascii');
const BUNDLE_VERSION = 1;
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = BUNDLE_MAGIC.length + 1 + IV_BYTES + TAG_BYTES; // 33
export const BUNDLE_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
export const BUNDLE_EXT = '.bundle';

const UNREADABLE_MESSAGE = 'the stored certificates for this profile can no longer be decrypted';
const UNREADABLE_HINT = 're-import the certificates for this profile';

export function assertBundleId(bundleId: unknown): asserts bundleId is string {
  if (typeof bundleId !== 'string' || !BUNDLE_ID_PATTERN.test(bundleId)) {
    const shown = typeof bundleId === 'string' ? JSON.stringify(bundleId.slice(0, 80)) : typeof bundleId;
    throw new VaultError(
      'BAD_BUNDLE_ID',
      `${shown} is not a valid vault bundle id`,
      'a bundle id is 1 to 64 characters from a-z, 0-9 and "-"',
    );
  }
}

function aad(bundleId: string): Buffer {
  return Buffer.concat([BUNDLE_MAGIC, Buffer.from([BUNDLE_VERSION]), Buffer.from(bundleId, 'utf8')]);
}

export function encryptBundle(key: Buffer, bundleId: string, secret: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(bundleId));
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  const tag = cipher.getAuthTag();
  return Buffer.concat([BUNDLE_MAGIC, Buffer.from([BUNDLE_VERSION]), iv, tag, body]);
}

/** Decrypts a bundle file's bytes; any fault is BUNDLE_UNREADABLE, never a crash. */
export function decryptBundle(key: Buffer, bundleId: string, file: Buffer): Buffer {
  const unreadable = (why: string, cause?: unknown) =>
    new VaultError('BUNDLE_UNREADABLE', `${UNREADABLE_MESSAGE} (${why})`, UNREADABLE_HINT, { bundleId, cause });
  if (file.length < HEADER_BYTES || !file.subarray(0, BUNDLE_MAGIC.length).equals(BUNDLE_MAGIC)) {
    throw unreadable('the file is not a Usher vault bundle');
  }
  const version = file[BUNDLE_MAGIC.length];
  if (version !== BUNDLE_VERSION) {
    throw unreadable(`the file has format version ${String(version)}; this Usher reads version ${BUNDLE_VERSION}`);
  }
  let offset = BUNDLE_MAGIC.length + 1;
  const iv = file.subarray(offset, (offset += IV_BYTES));
  const tag = file.subarray(offset, (offset += TAG_BYTES));
  const body = file.subarray(offset);
  const parts: Buffer[] = [];
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(bundleId));
    decipher.setAuthTag(tag);
    parts.push(decipher.update(body));
    parts.push(decipher.final()); // throws when the tag does not match
    return Buffer.concat(parts);
  } catch (err) {
    throw unreadable('it was changed, comes from another machine, or the keychain data key was replaced', err);
  } finally {
    for (const part of parts) part.fill(0);
  }
}
