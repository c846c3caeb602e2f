// What a site hands back reaches the terminal escaped, and a partial inventory is said with its count and
// a fix. A simulated site whose node "broken" is registered in QRS under a host name (localhost) where
// nothing listens: every pair of that node fails the same way (connection refused), on every run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUsher, startSimulate, type Simulate } from '../support/cli';
import { curlQpsPost } from '../support/curl';

const XRFKEY = 'abcdefghijklmnop';
// Retitles the terminal, then clears the screen (issue 10).
const HOSTILE = 'mallory\u001b]0;owned\u0007\u001b[2J';
const ESCAPED = 'mallory\\e]0;owned\\x07\\e[2J';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

let sim: Simulate;
let files: { cert: string; key: string; ca: string };
let env: Record<string, string>;
const pem = (): string[] => ['--ca', files.ca, '--cert', files.cert, '--key', files.key];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'usher-untrusted-'));
  const site = join(dir, 'site.json');
  writeFileSync(site, JSON.stringify({ nodes: [{ id: 'central' }, { id: 'broken', hostName: 'localhost', address: '127.0.9.77' }] }));
  sim = await startSimulate(['--site', site, '--out', join(dir, 'export')]);
  const out = sim.ready.certificates;
  files = { cert: join(out, 'client.pem'), key: join(out, 'client_key.pem'), ca: join(out, 'root.pem') };
  env = { USHER_DATA_DIR: mkdtempSync(join(tmpdir(), 'usher-untrusted-data-')) };
});
afterAll(() => {
  if (sim?.child.exitCode === null) sim.child.kill('SIGKILL');
});

const central = () => sim.ready.nodes.find((n) => n.name === 'central')!;

describe('untrusted text from a site', () => {
  it('a user id holding escape sequences: usher sessions and usher audit print it escaped, JSON keeps it exact', async () => {
    // A session made by some other client (Usher itself refuses to mint one for such a user).
    const r = await curlQpsPost(
      `${central().qps}/qps/session?xrfkey=${XRFKEY}`,
      { UserDirectory: 'DEMO', UserId: HOSTILE, SessionId: 'sess-mallory-00000001' },
      files,
      XRFKEY,
    );
    expect(r.status).toBe('201');

    const qps = ['--qps', central().qps, ...pem()];
    const text = await runUsher(['sessions', ...qps], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`DEMO\\${ESCAPED}`);
    expect(text.stdout + text.stderr).not.toMatch(RAW_CONTROL);

    const json = await runUsher(['sessions', ...qps, '--json'], { env });
    const view = JSON.parse(json.stdout) as { groups: Array<{ userId: string }> };
    expect(view.groups.map((g) => g.userId)).toContain(HOSTILE);
    expect(json.stdout).not.toMatch(RAW_CONTROL);

    // Ending it records the site's user id in the audit log, as it came.
    const kill = await runUsher(['sessions', ...qps, '--kill', 'sess-mallory-00000001'], { env });
    expect(kill.code).toBe(0);
    expect(kill.stdout).toContain(ESCAPED);
    expect(kill.stdout).not.toMatch(RAW_CONTROL);

    const audit = await runUsher(['audit'], { env });
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain(`DEMO\\${ESCAPED}`);
    expect(audit.stdout).not.toMatch(RAW_CONTROL);
    const auditJson = await runUsher(['audit', '--json'], { env });
    expect((JSON.parse(auditJson.stdout) as { entries: Array<{ userId: string }> }).entries.map((e) => e.userId)).toContain(HOSTILE);
  });

  it('usher sessions with some pairs failing: how many of how many, the cause, the node and a fix', async () => {
    const r = await runUsher(['sessions', '--qrs', central().qrs, ...pem(), '--timeout-ms', '5000'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^found 0 sessions on 2 nodes, 2 node\/virtual proxy pairs; .* \(incomplete: 1 pair could not be asked\)$/m);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^usher: for example node broken \(default\): /);
    expect(lines[1]).toBe(
      'usher: 1 of 2 node/virtual proxy pairs could not be asked (1 connection refused; node broken): their sessions are missing from the counts',
    );
    expect(lines[2]).toMatch(/^ {2}hint: start the proxy service on the nodes named/);
  });
});
