import { describe, expect, it } from 'vitest';
import { newXrfkey, XRFKEY_ALPHABET } from '../../electron/core/qlik/xrfkey';
// What the simulated QPS/QRS accept: the client's keys must pass the server's own check.
import { XRFKEY_PATTERN } from '../../electron/simulator/http-util';

describe('newXrfkey', () => {
  it('is 16 characters of 0-9a-zA-Z', () => {
    for (let i = 0; i < 200; i++) {
      const key = newXrfkey();
      expect(key).toHaveLength(16);
      expect(key).toMatch(/^[0-9a-zA-Z]{16}$/);
      expect(XRFKEY_PATTERN.test(key)).toBe(true);
    }
  });

  it('never repeats across 1000 keys', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => newXrfkey()));
    expect(keys.size).toBe(1000);
  });

  it('uses the whole alphabet about evenly (no modulo bias towards the first characters)', () => {
    const counts = new Map<string, number>();
    const n = 4000;
    for (let i = 0; i < n; i++) for (const ch of newXrfkey()) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(XRFKEY_ALPHABET.length);
    const expected = (n * 16) / 62; // ~1032 per character
    // Modulo bias would give the first 8 characters 5/4 of the others' share (~1290 vs ~1030).
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(expected * 0.85);
      expect(count).toBeLessThan(expected * 1.15);
    }
  });
});
