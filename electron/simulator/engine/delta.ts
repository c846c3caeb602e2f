// The engine's delta protocol: when a request says `delta: true`, each out value is sent as a list of
// JSON patches (RFC 6902) against what this socket last received for the same handle and method, and the
// response says `delta: true`. The first answer is one `add` of the whole value at `/`; an unchanged
// value is an empty list. enigma.js asks for delta by default and applies the patches to its cache.
import { isPlainObject } from '../../../shared/schema';

export interface JsonPatch {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

/** RFC 6901 escaping of one path segment. */
function escapeSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * Patches turning `before` into `after`. Objects are diffed key by key; arrays and scalars that differ
 * are replaced whole (what a client needs, and what keeps patches simple to apply).
 */
export function diff(before: unknown, after: unknown, path = ''): JsonPatch[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const patches: JsonPatch[] = [];
    for (const key of Object.keys(before)) {
      if (!(key in after)) patches.push({ op: 'remove', path: `${path}/${escapeSegment(key)}` });
    }
    for (const [key, value] of Object.entries(after)) {
      const childPath = `${path}/${escapeSegment(key)}`;
      if (!(key in before)) patches.push({ op: 'add', path: childPath, value });
      else patches.push(...diff(before[key], value, childPath));
    }
    return patches;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ op: 'replace', path: path || '/', value: after }];
}

/** Per socket: the last value sent for each handle and out key, to diff the next one against. */
export class DeltaCache {
  private readonly sent = new Map<string, unknown>();

  /** The patches for `value`, remembering it as what the client now holds. */
  patches(handle: number, method: string, key: string, value: unknown): JsonPatch[] {
    const id = `${handle}\u0000${method}\u0000${key}`;
    const had = this.sent.has(id);
    const before = this.sent.get(id);
    // Handlers never mutate a result once returned (handlers.ts), so the value itself is kept; the same
    // value again (a cached layout) needs no diff at all.
    this.sent.set(id, value);
    if (!had) return [{ op: 'add', path: '/', value }];
    if (before === value) return [];
    return diff(before, value);
  }

  /** A closed handle's cache goes with it (its number may be reused). */
  forget(handle: number): void {
    const prefix = `${handle}\u0000`;
    for (const id of this.sent.keys()) if (id.startsWith(prefix)) this.sent.delete(id);
  }
}
