// `usher scenario socket` on the built-in site: one line per piece of a mashup's engine socket, the first
// missing one with its QMC fix and exit 1; all present, exit 0. The session made is audited and ended.
import { describe, expect, it } from 'vitest';
import { runUsher } from '../support/cli';

describe('usher scenario socket', () => {
  it('from the demo mashup origin on /ticket: every piece present, exit 0', async () => {
    const result = await runUsher(['scenario', 'socket', '--origin', 'https://localhost:8443']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual([
      'ok      session cookie',
      'ok      SameSite',
      'ok      CSRF token',
      'ok      origin in the allow list',
      'ok      engine socket',
    ]);
    expect(lines[4]).toContain('opened for UserDirectory=DEMO; UserId=alice');
  });

  it('from another site: the CSRF token is the first missing piece, named with its fix, exit 1', async () => {
    const result = await runUsher(['scenario', 'socket', '--origin', 'https://mashup.example']);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toBe(
      'MISSING CSRF token: the proxy hands out a token but a page on https://mashup.example cannot read it (CORS headers lacking). Fix: In the QMC, add to "Additional response headers" of virtual proxy /ticket: Access-Control-Allow-Origin: https://mashup.example.',
    );
    expect(lines[3]).toMatch(/^MISSING origin in the allow list: .* Fix: In the QMC, add mashup\.example to the "Host allow list"/);
    expect(result.stderr).toMatch(/CSRF token missing/);
  });

  it('a header login on /header, as JSON: the SameSite cookie the mashup would lose', async () => {
    const result = await runUsher(['scenario', 'socket', '--origin', 'https://mashup.example', '--vp', 'header', '--format', 'json']);
    expect(result.code).toBe(1);
    const diagnosis = JSON.parse(result.stdout) as { firstMissing: string; findings: Array<{ piece: string; status: string }> };
    expect(diagnosis.firstMissing).toBe('samesite');
    expect(diagnosis.findings[0]).toMatchObject({ piece: 'cookie', status: 'pass' });
  });

  it('refuses a method the virtual proxy does not take, exit 2', async () => {
    const result = await runUsher(['scenario', 'socket', '--origin', 'https://mashup.example', '--vp', 'header', '--method', 'ticket']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/does not take a Ticket login/);
  });
});
