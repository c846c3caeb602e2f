// What the keychain entry holds: the vault's data keys by version. Usually one; two while a rotation
// runs (the new key is stored next to the old one before any bundle is rewritten, and the old one is
// retired only once no bundle names it), so that a crash or a reader in another process at any moment
// finds the key of every bundle.
//
//   legacy entry: exactly 32 bytes = one key, version 1 (what Usher stored before key versions)
//   ring entry:   "USHK" | format 1 | current version (u32 BE) | count (u8) | count x (version u32 BE | key 32 bytes)
//
// The whole ring is about 40 bytes per key: far below the 2,560 bytes Windows allows one secret.
import { KEY_BYTES } from './bundle-file';

export interface KeyRing {
  /** The version new bundles are sealed with. */
  current: number;
  keys: Map<number, Buffer>;
}

const RING_MAGIC = Buffer.from('USHK', 'ascii');
const RING_FORMAT = 1;
const RING_HEADER = RING_MAGIC.length + 1 + 4 + 1;
const ENTRY_BYTES = 4 + KEY_BYTES;
const MAX_KEYS = 16;

/** The ring in a keychain entry, or why the entry is not one (left untouched by the caller). */
export function decodeKeyRing(blob: Buffer): KeyRing | { problem: string } {
  if (blob.length === KEY_BYTES) return { current: 1, keys: new Map([[1, Buffer.from(blob)]]) };
  if (blob.length < RING_HEADER || !blob.subarray(0, RING_MAGIC.length).equals(RING_MAGIC)) {
    return { problem: `holds ${blob.length} bytes that are neither a ${KEY_BYTES}-byte Usher data key nor a Usher key ring` };
  }
  if (blob[RING_MAGIC.length] !== RING_FORMAT) {
    return { problem: `holds a key ring of format ${String(blob[RING_MAGIC.length])}, written by a newer Usher` };
  }
  const current = blob.readUInt32BE(RING_MAGIC.length + 1);
  const count = blob[RING_HEADER - 1]!;
  if (count < 1 || count > MAX_KEYS || blob.length !== RING_HEADER + count * ENTRY_BYTES) {
    return { problem: 'holds a damaged Usher key ring (wrong length)' };
  }
  const keys = new Map<number, Buffer>();
  for (let i = 0; i < count; i++) {
    const at = RING_HEADER + i * ENTRY_BYTES;
    keys.set(blob.readUInt32BE(at), Buffer.from(blob.subarray(at + 4, at + ENTRY_BYTES)));
  }
  if (!keys.has(current)) return { problem: 'holds a damaged Usher key ring (its current key is missing)' };
  return { current, keys };
}

export function encodeKeyRing(ring: KeyRing): Buffer {
  const entries = [...ring.keys].sort((a, b) => a[0] - b[0]);
  const blob = Buffer.alloc(RING_HEADER + entries.length * ENTRY_BYTES);
  RING_MAGIC.copy(blob, 0);
  blob[RING_MAGIC.length] = RING_FORMAT;
  blob.writeUInt32BE(ring.current, RING_MAGIC.length + 1);
  blob[RING_HEADER - 1] = entries.length;
  entries.forEach(([version, key], i) => {
    const at = RING_HEADER + i * ENTRY_BYTES;
    blob.writeUInt32BE(version, at);
    key.copy(blob, at + 4);
  });
  return blob;
}

export function wipeKeyRing(ring: KeyRing | undefined): void {
  for (const key of ring?.keys.values() ?? []) key.fill(0);
}

export function sameKeyRing(a: KeyRing, b: KeyRing): boolean {
  if (a.current !== b.current || a.keys.size !== b.keys.size) return false;
  for (const [version, key] of a.keys) if (!b.keys.get(version)?.equals(key)) return false;
  return true;
}
