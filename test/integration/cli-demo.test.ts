// `usher demo` and `usher scenario` on the built-in site each command starts in its own process.
import { describe, expect, it } from 'vitest';
import { expectOneLineError, runUsher } from '../support/cli';

describe('usher demo and usher scenario on the built-in site', () => {
  it('walks the demo story and exits 0', async () => {
    const result = await runUsher(['demo']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const steps = result.stdout.split('\n').filter((l) => /^(ok  |FAIL) \d+\./.test(l));
    expect(steps).toHaveLength(7);
    expect(steps.every((l) => l.startsWith('ok'))).toBe(true);
    // Seed 003 side by side, per tab and request: tab 1 refused in the shared jar only.
    const rows = result.stdout
      .split('\n')
      .filter((l) => /^\s+[12]\s+MASHUP\\/.test(l))
      .map((l) => l.trim().split(/\s{2,}/));
    // Tab 1's WebSocket keeps working in the shared jar (selections, export started); its HTTP requests fail.
    const tab = (n: string, user: string, app: string, shared: string[]) => [
      [n, user, app, 'App page', shared[0], 'ok 200'],
      [n, user, app, 'App opened and selections made over the WebSocket', 'ok WebSocket', 'ok WebSocket'],
      [n, user, app, 'Content-library image', shared[1], 'ok 200'],
      [n, user, app, 'Export started over the WebSocket', 'ok WebSocket', 'ok WebSocket'],
      [n, user, app, 'Export file downloaded', shared[2], 'ok 200'],
    ];
    expect(rows).toEqual([
      ...tab('1', 'MASHUP\\a1-sales', 'a1-sales', ['FAIL 403', 'FAIL 403', 'FAIL 403']),
      ...tab('2', 'MASHUP\\a2-finance', 'a2-finance', ['ok 200', 'ok 200', 'ok 200']),
    ]);
    expect(result.stdout).toMatch(/403: the jar's session cookie now belongs to MASHUP\\a2-finance/);
  });

  it('usher scenario shared-jar on the demo site: the seed-003 outcomes, exit 0', async () => {
    const result = await runUsher(['scenario', 'shared-jar', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { asExpected: boolean; cases: Array<{ case: string; tabs: Array<{ probes: Array<{ status: number }> }> }> };
    expect(report.asExpected).toBe(true);
    expect(report.cases.map((c) => [c.case, c.tabs.map((t) => t.probes.map((p) => p.status).join(','))])).toEqual([
      ['shared', ['403,0,403,0,403', '200,0,200,0,200']],
      ['isolated', ['200,0,200,0,200', '200,0,200,0,200']],
    ]);
  });

  it('usher scenario shared-jar says so and exits 1 when the outcomes differ from the seed', async () => {
    // DEMO users may open every app: the replaced cookie goes unnoticed, which is not what seed 003 shows.
    const result = await runUsher(['scenario', 'shared-jar', '--user-a', 'DEMO\\alice', '--user-b', 'DEMO\\bob']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/UNEXPECTED/);
    expect(result.stdout).toMatch(/DEMO\\bob may open app "a1-sales" too/);
    expect(expectOneLineError(result)[0]).toBe('usher: the outcomes are not what seed 003 predicts (see above)');
  });

  it('usher scenario shared-jar refuses an image or export path that is not below the virtual proxy (exit 2, one line and a hint)', async () => {
    for (const [flag, value, hint] of [
      ['--image-a', 'https://evil.example/logo.png', /not a whole address/],
      ['--image-b', 'appcontent/../../qrs/about', /without \. or \.\. parts/],
      ['--export-a', 'C:\\exports\\a.csv', /with \/ between its parts/],
      ['--export-b', 'tempcontent/a.csv?x=1', /Leave out the \?/],
    ] as const) {
      const result = await runUsher(['scenario', 'shared-jar', flag, value]);
      expect(result.code, `${flag} ${value}`).toBe(2);
      const lines = expectOneLineError(result);
      expect(lines[0]).toBe(`usher: ${flag} ${JSON.stringify(value)} is not a path below /ticket/ on the site`);
      expect(result.stderr).toMatch(hint);
      expect(result.stdout).toBe('');
    }
  });

  it('usher scenario: an unknown scenario is a usage error (exit 2)', async () => {
    const result = await runUsher(['scenario', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown scenario "nope"/);
  });
});
