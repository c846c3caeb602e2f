// `usher check` against the built-in site (through the built-in demo profile).
import { describe, expect, it } from 'vitest';
import { runUsher } from '../support/cli';

describe('usher check', () => {
  it('finds the demo module that does not answer and exits 1', async () => {
    const r = await runUsher(['check', '--profile', 'demo']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^3 virtual proxies checked: 1 error\(s\)/m);
    expect(r.stdout).toMatch(/error\s+\/ticket\s+authenticationModuleRedirectUri\s+the module does not answer \(connection refused\)/);
    expect(r.stderr).toMatch(/usher: 1 error\(s\) in the virtual proxy setup/);
  });

  it('checks embedding from an origin, as JUnit for CI', async () => {
    const r = await runUsher(['check', '--profile', 'demo', '--origin', 'https://portal.example.com', '--no-probe', '--format', 'junit']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuite name="usher check" tests="3" failures="\d">/);
    expect(r.stdout).toContain('<failure type="embed-csrf-headers"');
    expect(r.stdout).toContain('<failure type="embed-host-not-allowed"');
  });

  it('refuses an unknown format in one line', async () => {
    const r = await runUsher(['check', '--profile', 'demo', '--format', 'yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^usher: --format must be one of table, json, markdown, junit/m);
  });
});
