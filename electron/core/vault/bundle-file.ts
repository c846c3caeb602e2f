// The on-disk format of one vault bundle (files are written by core/fs/atomic-write).
//
//   format 2 (written now)                 format 1 (still read)
//   offset size field                      offset size field
//   0      4    magic "USHV"               0      4    magic "USHV"
//   4      1    format version (2)         4      1    format version (1)
//   5      4    key version (u32 BE)       -      -    (sealed by key version 1, the only key then)
//   9      12   IV (random per write)      5      12   IV
//   21     16   GCM auth tag               17     16   GCM auth tag
//   37     n    ciphertext                 33     n    ciphertext (AES-256-GCM of the secret)
//
// Additional authenticated data = the header before the IV (magic, format, key version) + bundleId
// (UTF-8). The id binds the ciphertext to its file name: a bundle copied or renamed to another id fails
// authentication, as does any changed byte, a file from another machine (another data key), or a file
// whose data key is gone. The key version says which key of the ring (key-ring.ts) sealed it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultError } from './errors';

const BUNDLE_MAGIC = Buffer.from('USHV', 'ascii');
const BUNDLE_VERSION = 2;
const LEGACY_BUNDLE_VERSION = 1;
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Magic + format (+ key version in format 2): the authenticated part before the IV. */
const prefixBytes = (version: number) => BUNDLE_MAGIC.length + 1 + (version === LEGACY_BUNDLE_VERSION ? 0 : 4);
export const BUNDLE_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
export const BUNDLE_EXT = '.bundle';

const UNREADABLE_MESSAGE = 'the stored certificates for this profile can no longer be decrypted';
const UNREADABLE_HINT = 're-import the certificates for this profile';

export function assertBundleId(bundleId: unknown): asserts bundleId is string {
  if (typeof bundleId !== 'string' || !BUNDLE_ID_PATTERN.test(bundleId)) {
    const shown = typeof bundleId === 'string' ? JSON.stringify(bundleId.slice(0, 80)) : typeof bundleId;
    throw new VaultError('BAD_BUNDLE_ID', `${shown} is not a valid vault bundle id`, 'a bundle id is 1 to 64 characters from a-z, 0-9 and "-"');
  }
}

/** Seals `secret` with `key`, the ring's key of version `keyVersion`. */
export function encryptBundle(key: Buffer, keyVersion: number, bundleId: string, secret: Buffer): Buffer {
  const prefix = Buffer.alloc(prefixBytes(BUNDLE_VERSION));
  BUNDLE_MAGIC.copy(prefix, 0);
  prefix[BUNDLE_MAGIC.length] = BUNDLE_VERSION;
  prefix.writeUInt32BE(keyVersion, BUNDLE_MAGIC.length + 1);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.concat([prefix, Buffer.from(bundleId, 'utf8')]));
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  const tag = cipher.getAuthTag();
  return Buffer.concat([prefix, iv, tag, body]);
}

function unreadable(bundleId: string, why: string, cause?: unknown): VaultError {
  return new VaultError('BUNDLE_UNREADABLE', `${UNREADABLE_MESSAGE} (${why})`, UNREADABLE_HINT, { bundleId, cause });
}

/** The version of the key that sealed a bundle file (1 for format-1 files); BUNDLE_UNREADABLE when it is no bundle. */
export function bundleKeyVersion(bundleId: string, file: Buffer): number {
  if (file.length < BUNDLE_MAGIC.length + 1 || !file.subarray(0, BUNDLE_MAGIC.length).equals(BUNDLE_MAGIC)) {
    throw unreadable(bundleId, 'the file is not a Usher vault bundle');
  }
  const version = file[BUNDLE_MAGIC.length]!;
  if (version !== LEGACY_BUNDLE_VERSION && version !== BUNDLE_VERSION) {
    throw unreadable(bundleId, `the file has format version ${String(version)}; this Usher reads versions 1 and ${BUNDLE_VERSION}`);
  }
  if (file.length < prefixBytes(version) + IV_BYTES + TAG_BYTES) throw unreadable(bundleId, 'the file is not a Usher vault bundle');
  return version === LEGACY_BUNDLE_VERSION ? 1 : file.readUInt32BE(BUNDLE_MAGIC.length + 1);
}

/** Decrypts a bundle file's bytes with the key of its version; any fault is BUNDLE_UNREADABLE, never a crash. */
export function decryptBundle(key: Buffer, bundleId: string, file: Buffer): Buffer {
  bundleKeyVersion(bundleId, file); // checks magic, format and length
  const prefix = file.subarray(0, prefixBytes(file[BUNDLE_MAGIC.length]!));
  let offset = prefix.length;
  const iv = file.subarray(offset, (offset += IV_BYTES));
  const tag = file.subarray(offset, (offset += TAG_BYTES));
  const body = file.subarray(offset);
  const parts: Buffer[] = [];
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.concat([prefix, Buffer.from(bundleId, 'utf8')]));
    decipher.setAuthTag(tag);
    parts.push(decipher.update(body));
    parts.push(decipher.final()); // throws when the tag does not match
    return Buffer.concat(parts);
  } catch (err) {
    throw unreadable(bundleId, 'it was changed, comes from another machine, or the keychain data key was replaced', err);
  } finally {
    for (const part of parts) part.fill(0);
  }
}
