// The real command, spawned as a user or CI would run it.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runUsher, startSimulate, type ReadyLine, type Simulate } from '../support/cli';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { AuditLog } from '../../electron/core/profiles';
import { auditedSessionId } from '../../electron/core/sessions/session-inspector';
import { toLegacyRc2Pfx } from '../support/cert-fixtures';
import { demoSite } from '../../electron/simulator/demo-site';
import { curlQpsPost } from '../support/curl';

const run = promisify(execFile);
const XRFKEY = 'abcdefghijklmnop';
/** Node/virtual proxy pairs `usher sessions` asks on the demo site: every virtual proxy each node links. */
const DEMO_PAIRS = demoSite().nodes.reduce((n, node) => n + node.virtualProxies.length, 0);

describe('usher (no site needed)', () => {
  it('prints the overview and exits 2 without a command', async () => {
    const result = await runUsher([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('usage: usher <command>');
    for (const name of ['demo', 'simulate', 'ticket', 'sessions', 'proxies']) expect(result.stdout).toContain(name);
  });

  it('rejects an unknown command in one line', async () => {
    const result = await runUsher(['frobnicate']);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toContain('unknown command "frobnicate"');
  });

  it('rejects an unknown flag in one line', async () => {
    const result = await runUsher(['ticket', '--frob']);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toMatch(/unknown option '--frob'/i);
  });

  it('a flag missing its value (the next flag taken for it) is one line too', async () => {
    const result = await runUsher(['ticket', '--qps', '--user', 'DEMO\\alice']);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toBe("usher: Option '--qps' argument is ambiguous. Did you forget to specify the option argument for '--qps'?");
  });

  it('explains a missing site file', async () => {
    const result = await runUsher(['simulate', '--site', '/nonexistent/site.json']);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toBe('usher: cannot read site file /nonexistent/site.json: no such file');
  });

  it('explains a site file that is not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usher-cli-'));
    const file = join(dir, 'site.json');
    writeFileSync(file, '{"nodes": [ {"id": "a",, } ]}');
    const result = await runUsher(['simulate', '--site', file]);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toContain(`site file ${file} is not valid JSON`);
  });

  it('explains a site file whose content is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usher-cli-'));
    const file = join(dir, 'site.json');
    writeFileSync(file, JSON.stringify({ nodes: [] }));
    const result = await runUsher(['simulate', '--site', file]);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toContain('nodes: must hold at least one node');
  });

  it('names a node address that is taken, in one line (exit 1)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.9.3', resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const file = join(mkdtempSync(join(tmpdir(), 'usher-cli-')), 'site.json');
      writeFileSync(file, JSON.stringify({ nodes: [{ id: 'n1', hostName: 'central.qlik.test', address: '127.0.9.3', proxyPort: port }] }));
      const result = await runUsher(['simulate', '--site', file, '--out', join(mkdtempSync(join(tmpdir(), 'usher-cli-')), 'export')]);
      expect(result.code).toBe(1);
      expect(expectOneLineError(result)[0]).toBe(
        `usher: 127.0.9.3:${port} is already taken (another simulated site, or another server on this machine): stop it, or give the nodes other addresses or ports in the site file; or run with --localhost`,
      );
    } finally {
      blocker.close();
    }
  });

  it('explains a missing certificate file', async () => {
    const result = await runUsher(['ticket', '--qps', 'https://localhost:1', '--user', 'D\\u', '--ca', '/nonexistent/root.pem', '--cert', 'x', '--key', 'y']);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toBe('usher: cannot read --ca /nonexistent/root.pem: no such file');
  });

  it('refuses a --timeout-ms that is not a positive number in one line, with a profile too', async () => {
    const result = await runUsher(['proxies', '--profile', 'demo', '--timeout-ms', 'abc']);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toBe('usher: --timeout-ms must be a whole number from 1 to 600000, got "abc"');
  });

  it('a folder --out cannot write into, bad fault flags and a missing vault action: one line each', async () => {
    const exported = await runUsher(['profile', 'export', 'demo', '--out', '/nonexistent/dir/demo.json']);
    expect(exported.code).toBe(2);
    expect(expectOneLineError(exported)[0]).toBe('usher: cannot write --out /nonexistent/dir/demo.json: no such folder');
    const faults = await runUsher([
      'simulate',
      '--error-rate',
      '0.7',
      '--reset-rate',
      '0.6',
      '--out',
      join(mkdtempSync(join(tmpdir(), 'usher-cli-')), 'export'),
    ]);
    expect(faults.code).toBe(2);
    expect(expectOneLineError(faults)[0]).toBe('usher: fault errorRate + resetRate must not exceed 1');
    // Said before the keychain is asked: no "no usable keychain" line ahead of it.
    const vault = await runUsher(['vault'], { env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/usher-test-bus' } });
    expect(vault.code).toBe(2);
    expect(expectOneLineError(vault)[0]).toBe('usher: usher vault needs an action');
  });

  it('usher audit --profile takes the name people type; entries keep the profile id', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'usher-cli-audit-'));
    const exported = join(dataDir, 'lab.json');
    const profile = {
      id: 'lab-site',
      name: 'Lab Site',
      qps: 'https://qlik1:4243',
      qrs: 'https://qlik1:4242',
      defaultVirtualProxy: '',
      defaultUserDirectory: '',
      nodes: [],
      virtualProxies: [],
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    };
    writeFileSync(exported, JSON.stringify({ format: 'usher-profile', version: 1, profile }));
    const env = { USHER_DATA_DIR: dataDir };
    expect((await runUsher(['profile', 'import', exported], { env })).code).toBe(0);
    const audit = new AuditLog(dataDir);
    await audit.append({ action: 'ticket', profile: 'lab-site', virtualProxy: '', userDirectory: 'DEMO', userId: 'alice', reason: 'console' });
    await audit.append({ action: 'ticket', profile: 'other', virtualProxy: '', userDirectory: 'DEMO', userId: 'bob', reason: 'console' });
    for (const given of ['Lab Site', 'lab-site']) {
      const result = await runUsher(['audit', '--profile', given, '--json'], { env });
      expect(result.code).toBe(0);
      expect((JSON.parse(result.stdout) as { entries: Array<{ userId: string }> }).entries.map((e) => e.userId)).toEqual(['alice']);
    }
  });

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

describe('usher simulate, and clients against it', () => {
  let child: ChildProcess;
  let ready: ReadyLine;
  let send: Simulate['send'];
  let out: string;
  let files: { cert: string; key: string; ca: string; pfx: string };

  beforeAll(async () => {
    out = join(mkdtempSync(join(tmpdir(), 'usher-sim-')), 'export');
    ({ child, ready, send } = await startSimulate(['--out', out]));
    files = { cert: join(out, 'client.pem'), key: join(out, 'client_key.pem'), ca: join(out, 'root.pem'), pfx: join(out, 'client.pfx') };
  });
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  const central = (): ReadyLine['nodes'][number] => ready.nodes.find((n) => n.name === 'central')!;
  const pemFlags = (): string[] => ['--ca', files.ca, '--cert', files.cert, '--key', files.key];

  it('prints one ready line with base URLs and writes the QMC export', () => {
    expect(ready.certificates).toBe(out);
    expect(ready.pfxPassphrase.length).toBeGreaterThanOrEqual(12);
    expect(ready.nodes.map((n) => n.name)).toEqual(['central', 'rim1']);
    // Each node on its own loopback address with Qlik's ports, its hostName that address.
    expect(new Set(ready.nodes.map((n) => n.address)).size).toBe(ready.nodes.length);
    for (const node of ready.nodes) {
      expect(node.address).toMatch(/^127\.0\.\d+\.\d+$/);
      expect(node.hostName).toBe(node.address);
      expect(node.qps).toBe(`https://${node.address}:4243`);
      expect(node.qrs).toBe(`https://${node.address}:4242`);
      // 443 is the URL's default port; 4443 where this process may not bind 443.
      expect([`https://${node.address}`, `https://${node.address}:4443`]).toContain(node.hub);
    }
    for (const file of Object.values(files)) expect(existsSync(file)).toBe(true);
    expect(readFileSync(files.cert, 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  const curl = (args: string[]) =>
    run('curl', ['-sS', '--max-time', '10', '-o', '-', '-w', '\n%{http_code}', ...args]).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
    );

  it('answers curl with the exported certificates: 201 with a ticket', async () => {
    const r = await curlQpsPost(`${central().qps}/qps/ticket?xrfkey=${XRFKEY}`, { UserDirectory: 'DEMO', UserId: 'alice' }, files, XRFKEY);
    expect(r.status).toBe('201');
    const ticket = JSON.parse(r.body) as { Ticket: string; UserId: string };
    expect(ticket.UserId).toBe('alice');
    expect(ticket.Ticket).toMatch(/^[0-9a-zA-Z]{16,}$/);
  });

  it('answers curl a filtered QRS call with just the matching virtual proxy', async () => {
    const filter = encodeURIComponent("prefix eq 'ticket'");
    const r = await curl([
      '--cert',
      files.cert,
      '--key',
      files.key,
      '--cacert',
      files.ca,
      '-H',
      `X-Qlik-Xrfkey: ${XRFKEY}`,
      '-H',
      'X-Qlik-User: UserDirectory=INTERNAL; UserId=sa_repository',
      `${central().qrs}/qrs/virtualproxyconfig/full?xrfkey=${XRFKEY}&filter=${filter}`,
    ]);
    expect(r.code).toBe(0);
    const [body, status] = r.out.split('\n');
    expect(status).toBe('200');
    const vps = JSON.parse(body!) as Array<{ id: string; prefix: string }>;
    expect(vps.map((vp) => vp.prefix)).toEqual(['ticket']);
    expect(vps[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it("answers curl without the xrfkey header with 403 and Qlik's body", async () => {
    const r = await curl([
      '--cert',
      files.cert,
      '--key',
      files.key,
      '--cacert',
      files.ca,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"UserDirectory":"DEMO","UserId":"alice"}',
      `${central().qps}/qps/ticket?xrfkey=${XRFKEY}`,
    ]);
    expect(r.out).toBe('XSRF prevention check failed. Possible XSRF discovered.\n403');
  });

  it('fails the TLS handshake for curl without a client certificate', async () => {
    const r = await curl(['--cacert', files.ca, '-H', `X-Qlik-Xrfkey: ${XRFKEY}`, '-d', '{}', `${central().qps}/qps/ticket?xrfkey=${XRFKEY}`]);
    // 35: handshake failed; 56: the server closed the connection after the TLS 1.3 handshake.
    expect([35, 56]).toContain(r.code);
    expect(r.out).not.toMatch(/\n2\d\d$/);
  });

  it('usher scenario shared-jar by flags, with the apps and users picked as on a real site', async () => {
    const r = await runUsher([
      'scenario',
      'shared-jar',
      '--qps',
      central().qps,
      '--hub',
      central().hub,
      ...pemFlags(),
      '--vp',
      'ticket',
      '--app-a',
      'a2-finance',
      '--user-a',
      'MASHUP\\a2-finance',
      '--app-b',
      'a3-hr',
      '--user-b',
      'MASHUP\\a3-hr',
      '--format',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { cases: Array<{ tabs: Array<{ user: string; sessionUser: string }> }> };
    expect(report.cases[0]!.tabs.map((t) => [t.user, t.sessionUser])).toEqual([
      ['MASHUP\\a2-finance', 'MASHUP\\a3-hr'],
      ['MASHUP\\a3-hr', 'MASHUP\\a3-hr'],
    ]);
  });

  it('usher scenario shared-jar by flags needs the apps and users of a real site', async () => {
    const r = await runUsher(['scenario', 'shared-jar', '--qps', central().qps, '--hub', central().hub, ...pemFlags()]);
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)[0]).toBe('usher: --app-a and --user-a are required on this site');
  });

  it('usher ticket: a ticket with attributes and a redirect URL', async () => {
    const r = await runUsher([
      'ticket',
      '--qps',
      central().qps,
      ...pemFlags(),
      '--user',
      'DEMO\\alice',
      '--virtual-proxy',
      'ticket',
      '--attr',
      'Group=Sales',
      '--attr',
      'Group=EU',
      '--attr',
      'Flag=',
      '--hub',
      central().hub,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { ticket: string; attributes: unknown; redirectUrl: string; userId: string };
    expect(json.userId).toBe('alice');
    expect(json.attributes).toEqual([{ Group: 'Sales' }, { Group: 'EU' }, { Flag: '' }]);
    expect(json.redirectUrl).toBe(`${central().hub}/ticket/hub/?qlikTicket=${json.ticket}`);
  });

  it('usher ticket with the PFX and its passphrase from the environment', async () => {
    const r = await runUsher(['ticket', '--qps', central().qps, '--ca', files.ca, '--pfx', files.pfx, '--user', 'DEMO/bob'], {
      env: { USHER_PFX_PASSPHRASE: ready.pfxPassphrase },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Ticket\s+[0-9a-zA-Z]{16,}/);
    expect(r.stdout).toContain('DEMO\\bob');
  });

  it('usher ticket with a legacy RC2 PFX that Node itself refuses', async () => {
    const legacy = join(mkdtempSync(join(tmpdir(), 'usher-legacy-')), 'client.pfx');
    const client = { certPem: readFileSync(files.cert, 'utf8'), keyPem: readFileSync(files.key, 'utf8') };
    writeFileSync(legacy, toLegacyRc2Pfx(client, readFileSync(files.ca, 'utf8'), 'legacy-pass'));
    const r = await runUsher(['ticket', '--qps', central().qps, '--ca', files.ca, '--pfx', legacy, '--user', 'DEMO/bob'], {
      env: { USHER_PFX_PASSPHRASE: 'legacy-pass' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Ticket\s+[0-9a-zA-Z]{16,}/);
  });

  it('usher ticket with a wrong PFX passphrase: one line', async () => {
    const r = await runUsher(['ticket', '--qps', central().qps, '--ca', files.ca, '--pfx', files.pfx, '--user', 'DEMO/bob'], {
      env: { USHER_PFX_PASSPHRASE: 'not-the-passphrase' },
    });
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)[0]).toMatch(/passphrase/i);
  });

  it('usher ticket with a missing PFX: said as a missing --ca is, before any passphrase is asked for', async () => {
    const r = await runUsher(['ticket', '--qps', central().qps, '--ca', files.ca, '--pfx', '/nonexistent/client.pfx', '--user', 'DEMO/bob'], {
      env: { USHER_PFX_PASSPHRASE: '' },
    });
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)[0]).toBe('usher: cannot read --pfx /nonexistent/client.pfx: no such file');
  });

  it('usher ticket without a passphrase and no terminal: one line naming the variable', async () => {
    const r = await runUsher(['ticket', '--qps', central().qps, '--ca', files.ca, '--pfx', files.pfx, '--user', 'DEMO/bob'], {
      env: { USHER_PFX_PASSPHRASE: '' },
    });
    expect(r.code).toBe(2);
    expect(expectOneLineError(r).join('\n')).toContain('USHER_PFX_PASSPHRASE');
  });

  it('usher ticket against an unreachable host: one line', async () => {
    const r = await runUsher(['ticket', '--qps', 'https://localhost:1', ...pemFlags(), '--user', 'DEMO\\alice', '--timeout-ms', '3000']);
    expect(r.code).toBe(1);
    expect(expectOneLineError(r)[0]).toMatch(/refused|reach/i);
  });

  it('usher ticket with an unknown virtual proxy: one line', async () => {
    const r = await runUsher(['ticket', '--qps', central().qps, ...pemFlags(), '--user', 'DEMO\\alice', '--virtual-proxy', 'nope']);
    expect(r.code).toBe(1);
    expect(expectOneLineError(r)[0]).toMatch(/virtual proxy/i);
  });

  it('usher proxies lists the virtual proxies and the nodes linking them', async () => {
    const r = await runUsher(['proxies', '--qrs', central().qrs, ...pemFlags()]);
    expect(r.code).toBe(0);
    // The five working virtual proxies and the seventeen that carry the demo site's deliberate mistakes.
    expect(r.stdout).toContain('22 virtual proxies on 2 proxy node(s)');
    expect(r.stdout).toMatch(/\/ticket\s+Ticket\s+X-Qlik-Session-ticket\s+https:\/\/localhost:9443\/usher-auth\/login\s+central, rim1/);
    expect(r.stdout).toMatch(/\/header\s+Header \(static\).*\s+central$/m);
  });

  /** A session made through QPS as an authentication module would (curl, mutual TLS). */
  const addSession = async (qps: string, prefix: string, user: string, id: string): Promise<void> => {
    const path = prefix ? `/qps/${prefix}/session` : '/qps/session';
    const r = await curlQpsPost(`${qps}${path}?xrfkey=${XRFKEY}`, { UserDirectory: 'DEMO', UserId: user, SessionId: id }, files, XRFKEY);
    expect(r.status).toBe('201');
  };

  it('usher sessions: list across nodes, one user, kill one, kill a user', async () => {
    // Two sessions for alice on two nodes, one for bob.
    const add = addSession;
    const rim1 = ready.nodes.find((n) => n.name === 'rim1')!;
    await add(central().qps, 'ticket', 'alice', 'sess-alice-central-0001');
    await add(rim1.qps, '', 'alice', 'sess-alice-rim1-000001');
    await add(rim1.qps, 'ticket', 'bob', 'sess-bob-rim1-00000001');

    // The full listing is the inspector's view: full ids in JSON only with --show-ids.
    const all = await runUsher(['sessions', '--qrs', central().qrs, ...pemFlags(), '--json', '--show-ids']);
    expect(all.code).toBe(0);
    const view = JSON.parse(all.stdout) as { groups: Array<{ rows: Array<{ sessionId: string; nodeName: string; virtualProxy: string; userId: string }> }> };
    const ids = view.groups.flatMap((g) => g.rows).map((s) => `${s.nodeName}/${s.virtualProxy}/${s.userId}/${s.sessionId}`);
    expect(ids).toEqual(
      expect.arrayContaining(['central/ticket/alice/sess-alice-central-0001', 'rim1//alice/sess-alice-rim1-000001', 'rim1/ticket/bob/sess-bob-rim1-00000001']),
    );

    const table = await runUsher(['sessions', '--qrs', central().qrs, ...pemFlags(), '--user', 'DEMO\\alice']);
    expect(table.code).toBe(0);
    // Every virtual proxy each node links: central all but the unlinked mistake, rim1 two.
    expect(table.stdout).toMatch(new RegExp(`found 2 sessions on 2 nodes, ${DEMO_PAIRS} node/virtual proxy pairs`));
    expect(table.stdout).not.toContain('sess-alice-central-0001'); // masked by default

    const kill = await runUsher(['sessions', '--qrs', central().qrs, ...pemFlags(), '--kill', 'sess-bob-rim1-00000001']);
    expect(kill.code).toBe(0);
    expect(kill.stdout).toContain('ended 1 session:');

    const killUser = await runUsher(['sessions', '--qrs', central().qrs, ...pemFlags(), '--kill-user', 'DEMO\\alice', '--json']);
    expect(killUser.code).toBe(0);
    expect((JSON.parse(killUser.stdout) as { ended: unknown[] }).ended).toHaveLength(2);

    const after = await runUsher(['sessions', '--qrs', central().qrs, ...pemFlags(), '--json']);
    const left = (JSON.parse(after.stdout) as { groups: Array<{ userId: string }> }).groups.filter((g) => ['alice', 'bob'].includes(g.userId));
    expect(left).toEqual([]);

    const missing = await runUsher(['sessions', '--qrs', central().qrs, ...pemFlags(), '--kill', 'no-such-session']);
    expect(missing.code).toBe(1);
    expectOneLineError(missing);
  });

  it("usher sessions shows the inspector's view: users against the limit, Usher's sessions, warnings with fixes", async () => {
    // carol holds Qlik's five (across both nodes and four virtual proxies), dave one; Usher created one of
    // carol's (its audit log, in this run's data folder, has the session-create digest) and none of dave's.
    const add = addSession;
    const rim1 = ready.nodes.find((n) => n.name === 'rim1')!;
    const carol = ['carol-central-ticket-0001', 'carol-central-header-0002', 'carol-central-copy-0003', 'carol-rim1-default-00004', 'carol-rim1-ticket-000005'];
    await add(central().qps, 'ticket', 'carol', carol[0]!);
    await add(central().qps, 'header', 'carol', carol[1]!);
    await add(central().qps, 'copy-of-header', 'carol', carol[2]!);
    await add(rim1.qps, '', 'carol', carol[3]!);
    await add(rim1.qps, 'ticket', 'carol', carol[4]!);
    await add(central().qps, '', 'dave', 'dave-central-default-0001');
    const dataDir = mkdtempSync(join(tmpdir(), 'usher-data-inspector-'));
    await new AuditLog(dataDir).append({
      action: 'session-create',
      profile: 'demo',
      virtualProxy: 'ticket',
      userDirectory: 'DEMO',
      userId: 'carol',
      reason: 'test',
      ...auditedSessionId(carol[0]!),
    });
    const env = { USHER_DATA_DIR: dataDir };
    const sessions = (...flags: string[]) => runUsher(['sessions', '--qrs', central().qrs, ...pemFlags(), ...flags], { env });
    try {
      const text = await sessions();
      expect(text.code).toBe(0); // warnings alone do not fail the command without --fail-on-warnings
      const lines = text.stdout.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^found \\d+ sessions? on 2 nodes, ${DEMO_PAIRS} node/virtual proxy pairs; \\d+ users?, 1 created by Usher$`));
      expect(lines).toContain('DEMO\\carol  5/5  at the limit: Qlik refuses the next login');
      expect(lines).toContain('DEMO\\dave  1/5');
      // carol's sessions under her heading: node, virtual proxy, masked id, created by Usher.
      const carolAt = lines.indexOf('DEMO\\carol  5/5  at the limit: Qlik refuses the next login');
      const carolRows = lines.slice(carolAt + 3, carolAt + 8).map((l) => l.trim().split(/\s{2,}/));
      expect(carolRows.map((r) => `${r[0]} ${r[1]} ${r[3]}`).sort()).toEqual([
        'central /copy-of-header no',
        'central /header no',
        'central /ticket yes',
        'rim1 (default) no',
        'rim1 /ticket no',
      ]);
      for (const row of carolRows) expect(row[2]).toBe('caro••••••••••••');
      for (const id of carol) expect(text.stdout).not.toContain(id);
      // The warnings, errors first, each with its fix: the demo site's shared cookie name, carol at the limit.
      const warnings = lines.slice(lines.findIndex((l) => /^\d+ errors?, \d+ warnings?:$/.test(l)));
      expect(warnings[1]).toMatch(/^ {2}error {4}Virtual proxies \/header, \/copy-of-header all name their session cookie X-Qlik-Session-header/);
      expect(warnings[2]).toMatch(/^ {11}fix: Give each virtual proxy its own session cookie header name/);
      expect(text.stdout).toMatch(/^ {2}warning {2}DEMO\\carol holds 5 of 5 parallel sessions.*\n {11}fix: End sessions this user no longer needs/m);
      expect(text.stdout).not.toMatch(/shared-jar|Partition /); // no partitions in a terminal: no shared-jar warning

      const shown = await sessions('--show-ids');
      for (const id of carol) expect(shown.stdout).toContain(id);

      // --json: the console's view, masked ids and opaque row keys only.
      const json = await sessions('--json');
      expect(json.code).toBe(0);
      for (const id of [...carol, 'dave-central-default-0001']) expect(json.stdout).not.toContain(id);
      expect(json.stdout).not.toContain('"sessionId"');
      const view = JSON.parse(json.stdout) as {
        limit: number;
        nodes: number;
        pairs: number;
        totalSessions: number;
        createdByUsher: number;
        groups: Array<{ userDirectory: string; userId: string; count: number; limit: number; state: string; rows: Array<Record<string, unknown>> }>;
        warnings: Array<{ kind: string; severity: string; message: string; fix: string; rowKeys: string[] }>;
        failures: unknown[];
      };
      expect(view).toMatchObject({ limit: 5, nodes: 2, pairs: DEMO_PAIRS, createdByUsher: 1, failures: [] });
      const carolGroup = view.groups.find((g) => g.userId === 'carol')!;
      expect(carolGroup).toMatchObject({ userDirectory: 'DEMO', count: 5, limit: 5, state: 'at-limit' });
      expect(carolGroup.rows.filter((r) => r.createdByUsher)).toEqual([
        expect.objectContaining({ nodeName: 'central', virtualProxy: 'ticket', sessionIdMasked: 'caro••••••••••••' }),
      ]);
      expect(carolGroup.rows[0]).toEqual(
        expect.objectContaining({ rowKey: expect.stringMatching(/^s-/), nodeName: expect.any(String), virtualProxy: expect.any(String), userId: 'carol' }),
      );
      expect(view.groups.find((g) => g.userId === 'dave')).toMatchObject({ count: 1, state: 'ok' });
      expect(view.warnings.map((w) => `${w.severity} ${w.kind}`)).toEqual(['error duplicate-cookie-name', 'warning session-limit']);
      const duplicate = view.warnings[0]!;
      // The rows the warning is about: carol's two on the virtual proxies that share the cookie name.
      const onShared = carolGroup.rows.filter((r) => r.virtualProxy === 'header' || r.virtualProxy === 'copy-of-header').map((r) => r.rowKey);
      expect(duplicate.rowKeys).toEqual(expect.arrayContaining(onShared));
      expect(view.warnings[1]!.rowKeys.sort()).toEqual(carolGroup.rows.map((r) => r.rowKey).sort());

      // A CI gate: the same output, then exit 1 with one line saying why.
      const gated = await sessions('--fail-on-warnings');
      expect(gated.code).toBe(1);
      expect(gated.stdout).toContain('DEMO\\carol  5/5');
      expect(expectOneLineError(gated)[0]).toBe("usher: 1 error, 1 warning on the site's sessions (--fail-on-warnings)");
      const gatedJson = await sessions('--json', '--fail-on-warnings');
      expect(gatedJson.code).toBe(1);
      expect((JSON.parse(gatedJson.stdout) as { warnings: unknown[] }).warnings).toHaveLength(2);
      const misplaced = await sessions('--user', 'DEMO\\dave', '--fail-on-warnings');
      expect(misplaced.code).toBe(2);
      expectOneLineError(misplaced);
    } finally {
      for (const user of ['DEMO\\carol', 'DEMO\\dave']) expect((await sessions('--kill-user', user)).code).toBe(0);
    }
  });

  it('usher sessions --fail-on-warnings fails on the duplicate cookie name alone, and passes on a site without warnings', async () => {
    // No sessions of ours: the demo site's /header and /copy-of-header still share one cookie name.
    const gated = await runUsher(['sessions', '--qrs', central().qrs, ...pemFlags(), '--fail-on-warnings', '--json']);
    expect(gated.code).toBe(1);
    const view = JSON.parse(gated.stdout) as { warnings: Array<{ kind: string; severity: string }> };
    expect(view.warnings.filter((w) => w.kind !== 'duplicate-cookie-name' && w.kind !== 'session-limit')).toEqual([]);
    expect(view.warnings).toContainEqual(expect.objectContaining({ kind: 'duplicate-cookie-name', severity: 'error' }));
    // One node and virtual proxy asked (QPS only): no cookie names known, nobody at the limit, nothing to fail on.
    const oneNode = await runUsher(['sessions', '--qps', central().qps, '--virtual-proxy', 'header', ...pemFlags(), '--fail-on-warnings']);
    expect(oneNode.code).toBe(0);
    expect(oneNode.stdout).toMatch(/on 1 node, 1 node\/virtual proxy pair\b/);
    expect(oneNode.stdout).toContain('no warnings');
    expect(oneNode.stderr).toMatch(/counts a user's sessions site-wide/);
    // A user at the limit is a warning (not an error) in the model, and still fails the gate on its own.
    const ids = [1, 2, 3, 4, 5].map((n) => `erin-central-header-000${n}`);
    for (const id of ids) {
      const r = await curlQpsPost(
        `${central().qps}/qps/header/session?xrfkey=${XRFKEY}`,
        { UserDirectory: 'DEMO', UserId: 'erin', SessionId: id },
        files,
        XRFKEY,
      );
      expect(r.status).toBe('201');
    }
    try {
      const atLimit = await runUsher(['sessions', '--qps', central().qps, '--virtual-proxy', 'header', ...pemFlags(), '--fail-on-warnings']);
      expect(atLimit.code).toBe(1);
      expect(atLimit.stdout).toContain('DEMO\\erin  5/5  at the limit');
      expect(atLimit.stdout).toMatch(/^0 errors, 1 warning:$/m);
    } finally {
      expect((await runUsher(['sessions', '--qrs', central().qrs, ...pemFlags(), '--kill-user', 'DEMO\\erin'])).code).toBe(0);
    }
  });

  it('takes fault changes on stdin while running', async () => {
    // Each line is answered once the faults are in force: no sleep stands in for that.
    expect(await send('faults {"errorRate":1}')).toEqual({ faults: expect.objectContaining({ errorRate: 1 }) });
    const failing = await runUsher(['proxies', '--qrs', central().qrs, ...pemFlags()]);
    expect(failing.code).toBe(1);
    expectOneLineError(failing);
    expect(await send('faults clear')).toEqual({ faults: expect.objectContaining({ errorRate: 0 }) });
    const healthy = await runUsher(['proxies', '--qrs', central().qrs, ...pemFlags()]);
    expect(healthy.code).toBe(0);
    expect(await send('faults {"errorRate":2}')).toEqual({ error: expect.stringMatching(/errorRate/) });
    expect(await send('frobnicate')).toEqual({ error: expect.stringContaining('unknown command "frobnicate"') });
  });

  it('exits cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
