// USHER_SITE_CERTS through the real command: the first use makes the folder (fresh keys: these tests
// do not take the run's kept folder), later sites load it, so an export's root.pem stays the site's CA;
// a folder that holds something else is one line and exit 2.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, runUsher, startSimulate } from '../support/cli';

const RENAME_GATE = join(__dirname, '..', 'support', 'site-certs-rename-gate.cjs');

/** Resolves once `gate` holds `count` arrival files (site-certs-rename-gate.cjs), else rejects after `ms`. */
async function arrivals(gate: string, count: number, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const arrived = readdirSync(gate).filter((name) => name.startsWith('arrived-'));
    if (arrived.length >= count) return arrived;
    if (Date.now() > deadline) throw new Error(`${arrived.length} of ${count} usher simulate reached the rename of the kept folder`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('USHER_SITE_CERTS', () => {
  it('two usher simulate racing to make a new folder: one CA kept, the loser serves it too', async () => {
    const root = mkdtempSync(join(tmpdir(), 'usher-site-certs-cli-'));
    const gate = join(root, 'gate');
    mkdirSync(gate);
    // Both processes are held at the rename that puts their new set in place (a preload, see the gate's
    // file) until both are there: each saw the folder missing and made a set, and only then do they race.
    const env = {
      USHER_SITE_CERTS: join(root, 'certs'),
      USHER_TEST_RENAME_GATE: gate,
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require "${RENAME_GATE}"`].filter(Boolean).join(' '),
    };
    const starting = Promise.allSettled(['a', 'b'].map((out) => startSimulate(['--localhost', '--out', join(root, out)], { env, readyTimeoutMs: 80_000 })));
    try {
      const held = await arrivals(gate, 2, 80_000).finally(() => writeFileSync(join(gate, 'go'), ''));
      expect(held).toHaveLength(2);
      const started = await starting;
      expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : s.status))).toEqual(['fulfilled', 'fulfilled']);
      const kept = readFileSync(join(root, 'certs', 'root.pem'), 'utf8');
      expect(kept).toContain('BEGIN CERTIFICATE');
      for (const out of ['a', 'b']) {
        expect(readFileSync(join(root, out, 'root.pem'), 'utf8')).toBe(kept);
        expect(readFileSync(join(root, out, 'client.pem'), 'utf8')).toBe(readFileSync(join(root, 'certs', 'client.pem'), 'utf8'));
      }
      expect(readdirSync(root).sort()).toEqual(['a', 'b', 'certs', 'gate']); // the losing set's staging folder is gone
    } finally {
      for (const s of await starting) if (s.status === 'fulfilled') s.value.child.kill('SIGTERM');
    }
    // Two processes making four RSA keys each at once: on a loaded 2-core machine well beyond the defaults
    // (the test's 30 s, startSimulate's 30 s for the ready line).
  }, 90_000);

  it('a folder holding other files: one line, exit 2, the files left as they were', async () => {
    const other = join(mkdtempSync(join(tmpdir(), 'usher-site-certs-cli-')), 'mine');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    const result = await runUsher(['sessions', '--profile', 'demo'], { env: { USHER_SITE_CERTS: other } });
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toEqual([
      `usher: ${other} holds other files, not the site certificates Usher keeps (no root.pem)`,
      '  hint: empty the folder (or name a new one) and Usher makes a new set there',
    ]);
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('mine');
  });
});
