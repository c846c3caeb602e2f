// `usher check` against the built-in site (through the built-in demo profile), whose deliberate mistakes
// (electron/simulator/demo-site.ts) must each be listed once. The first case runs a real `usher` process;
// the others, about the flags and formats, run the bundle's main(argv) in this worker (runUsherInProcess).
import { describe, expect, it } from 'vitest';
import { DEMO_MASHUP_ORIGIN, demoMistakes } from '../../electron/simulator/demo-site';
import type { VpFinding } from '../../shared/vp-findings';
import { runUsher, runUsherInProcess } from '../support/cli';

/** Every rule but jwt-key-mismatch, which needs a JWT signing pair held for the profile (see jwt-cli.test.ts). */
const ALL_RULES = [
  'duplicate-cookie-name',
  'not-linked',
  'no-load-balancing',
  'bad-prefix',
  'ticket-without-module',
  'module-not-https',
  'module-unreachable',
  'header-without-name',
  'embed-host-not-allowed',
  'embed-samesite',
  'embed-csrf-headers',
  'extreme-timeout',
  'anonymous-access',
  'cookie-domain',
  'header-reserved-name',
  'jwt-certificate-missing',
  'jwt-certificate-unparseable',
  'jwt-certificate-expired',
  'jwt-no-user-id',
  'jwt-no-directory',
  'jwt-mashup-csrf',
];

function listed(stdout: string): string[] {
  const { findings } = JSON.parse(stdout) as { findings: VpFinding[] };
  return findings.map((f) => `${f.rule} /${f.virtualProxy}`).sort();
}

function expected(options: { origin: boolean; probe: boolean }): string[] {
  return demoMistakes(options)
    .map((m) => `${m.rule} /${m.virtualProxy}`)
    .sort();
}

describe('usher check', () => {
  it('lists each deliberate mistake of the demo site once, the dead /ticket module included, and exits 1', async () => {
    // A real process: the whole path of bin/usher.js, the site it starts and its exit code.
    const r = await runUsher(['check', '--profile', 'demo', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(listed(r.stdout)).toEqual(expected({ origin: false, probe: true }));
    expect(listed(r.stdout)).toContain('module-unreachable /ticket');
    expect(r.stderr).toMatch(/usher: 15 errors in the virtual proxy setup/);
  });

  it(`with --origin ${DEMO_MASHUP_ORIGIN} (the demo mashup) adds each embedding mistake once: every rule shows`, async () => {
    const r = await runUsherInProcess(['check', '--profile', 'demo', '--origin', DEMO_MASHUP_ORIGIN, '--format', 'json']);
    expect(r.code).toBe(1);
    const found = listed(r.stdout);
    expect(found).toEqual(expected({ origin: true, probe: true }));
    expect(found.filter((f) => f.startsWith('embed-'))).toEqual(['embed-csrf-headers /', 'embed-host-not-allowed /', 'embed-samesite /']);
    expect([...new Set(found.map((f) => f.split(' ')[0]))].sort()).toEqual([...ALL_RULES].sort());
  });

  it('without the probe, the same list but the dead module', async () => {
    const r = await runUsherInProcess(['check', '--profile', 'demo', '--origin', DEMO_MASHUP_ORIGIN, '--no-probe', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(listed(r.stdout)).toEqual(expected({ origin: true, probe: false }));
    expect(listed(r.stdout).some((f) => f.startsWith('module-unreachable'))).toBe(false);
  });

  it('prints a table: the counts, then one row per finding', async () => {
    const r = await runUsherInProcess(['check', '--profile', 'demo']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^22 virtual proxies checked: 15 errors, 4 warnings, 0 info$/m);
    expect(r.stdout).toMatch(/error\s+\/ticket\s+authenticationModuleRedirectUri\s+the module does not answer \(connection refused\)/);
    expect(r.stdout).toMatch(/warning\s+\/week-long\s+sessionInactivityTimeout\s+sessions live 10080 minutes/);
    // The demo site's JWT mistake: a JWT virtual proxy that reads no user directory.
    expect(r.stdout).toMatch(
      /error\s+\/jwt-no-directory\s+jwtAttributeUserDirectory\s+the user directory is neither read from a claim nor given as a constant/,
    );
  });

  it('checks embedding from another origin, as JUnit for CI', async () => {
    const r = await runUsherInProcess(['check', '--profile', 'demo', '--origin', 'https://portal.example.com', '--no-probe', '--format', 'junit']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuite name="usher check" tests="22" failures="\d+" errors="0">/);
    expect(r.stdout).toContain('<failure type="embed-csrf-headers"');
    expect(r.stdout).toContain('<failure type="embed-host-not-allowed"');
  });

  it('refuses an unknown format in one line', async () => {
    const r = await runUsherInProcess(['check', '--profile', 'demo', '--format', 'yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^usher: --format must be one of table, json, markdown, junit/m);
  });
});
