// USHER_SITE_CERTS through the real command: the first use makes the folder (fresh keys: these tests
// do not take the run's kept folder), later sites load it, so an export's root.pem stays the site's CA;
// a folder that holds something else is one line and exit 2.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, runUsher, startSimulate, type Simulate } from '../support/cli';

describe('USHER_SITE_CERTS', () => {
  it('two usher simulate started at once on a new folder make one CA and both serve it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'usher-site-certs-cli-'));
    const env = { USHER_SITE_CERTS: join(root, 'certs') };
    const sims: Simulate[] = [];
    try {
      const started = await Promise.allSettled(
        ['a', 'b'].map((out) => startSimulate(['--localhost', '--out', join(root, out)], { env, readyTimeoutMs: 80_000 })),
      );
      for (const s of started) if (s.status === 'fulfilled') sims.push(s.value);
      expect(started.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled']);
      const kept = readFileSync(join(root, 'certs', 'root.pem'), 'utf8');
      expect(kept).toContain('BEGIN CERTIFICATE');
      for (const out of ['a', 'b']) {
        expect(readFileSync(join(root, out, 'root.pem'), 'utf8')).toBe(kept);
        expect(readFileSync(join(root, out, 'client.pem'), 'utf8')).toBe(readFileSync(join(root, 'certs', 'client.pem'), 'utf8'));
      }
    } finally {
      for (const sim of sims) sim.child.kill('SIGTERM');
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
