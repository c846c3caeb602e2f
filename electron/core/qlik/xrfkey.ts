// The cross-site request forgery key Qlik demands on every QPS and QRS call: the same 16 characters in
// the `xrfkey` query parameter and the X-Qlik-Xrfkey header.
import { randomBytes } from 'node:crypto';

export const XRFKEY_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const XRFKEY_LENGTH = 16;

// 62 * 4 = 248: bytes at or above it are dropped so every character is exactly equally likely
// (byte % 62 over the full 0..255 range would favour the first 8 characters).
const ACCEPT_BELOW = Math.floor(256 / XRFKEY_ALPHABET.length) * XRFKEY_ALPHABET.length;

/** A fresh key from the CSPRNG; call once per request. */
export function newXrfkey(): string {
  let key = '';
  while (key.length < XRFKEY_LENGTH) {
    // 24 bytes almost always suffice for 16 characters (each byte is kept with probability 248/256).
    for (const byte of randomBytes(24)) {
      if (byte >= ACCEPT_BELOW) continue;
      key += XRFKEY_ALPHABET.charAt(byte % XRFKEY_ALPHABET.length);
      if (key.length === XRFKEY_LENGTH) break;
    }
  }
  return key;
}
