// The real command, spawned as a user or CI would run it: `usher simulate`, and clients against it (curl,
// usher ticket, usher proxies, usher scenario by flags). Bad input: cli-usage; the demo: cli-demo;
// usher sessions: cli-sessions.
// The clients' checks of flags, files and one-line errors run the bundle's main(argv) in this worker
// (runUsherInProcess): the same command and lines without a Node start apiece. A real `usher` process
// stays for each command family, so the path through bin/usher.js stays proven: scenario shared-jar,
// ticket with attributes, proxies; and where the process is the point: the legacy RC2 PFX (what
// OpenSSL the process loads) and the passphrase asked of no terminal (the process's own stdin).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runUsher, runUsherInProcess, startSimulatedSite, type ReadyLine, type SimulatedSite } from '../support/cli';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { toLegacyRc2Pfx } from '../support/cert-fixtures';
import { curlQpsPost } from '../support/curl';

const run = promisify(execFile);
const XRFKEY = 'abcdefghijklmnop';

describe('usher simulate, and clients against it', () => {
  let site: SimulatedSite;
  let child: ChildProcess;
  let ready: ReadyLine;
  let send: SimulatedSite['send'];
  let out: string;
  let files: SimulatedSite['files'];

  beforeAll(async () => {
    site = await startSimulatedSite();
    ({ child, ready, send, out, files } = site);
  });
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  const central = (): ReadyLine['nodes'][number] => site.node('central');
  const pemFlags = (): string[] => site.pemFlags();

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
    const r = await runUsherInProcess(['scenario', 'shared-jar', '--qps', central().qps, '--hub', central().hub, ...pemFlags()]);
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
    const r = await runUsherInProcess(['ticket', '--qps', central().qps, '--ca', files.ca, '--pfx', files.pfx, '--user', 'DEMO/bob'], {
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
    const r = await runUsherInProcess(['ticket', '--qps', central().qps, '--ca', files.ca, '--pfx', files.pfx, '--user', 'DEMO/bob'], {
      env: { USHER_PFX_PASSPHRASE: 'not-the-passphrase' },
    });
    expect(r.code).toBe(2);
    expect(expectOneLineError(r)[0]).toMatch(/passphrase/i);
  });

  it('usher ticket with a missing PFX: said as a missing --ca is, before any passphrase is asked for', async () => {
    const r = await runUsherInProcess(['ticket', '--qps', central().qps, '--ca', files.ca, '--pfx', '/nonexistent/client.pfx', '--user', 'DEMO/bob'], {
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
    const r = await runUsherInProcess(['ticket', '--qps', 'https://localhost:1', ...pemFlags(), '--user', 'DEMO\\alice', '--timeout-ms', '3000']);
    expect(r.code).toBe(1);
    expect(expectOneLineError(r)[0]).toMatch(/refused|reach/i);
  });

  it('usher ticket with an unknown virtual proxy: one line', async () => {
    const r = await runUsherInProcess(['ticket', '--qps', central().qps, ...pemFlags(), '--user', 'DEMO\\alice', '--virtual-proxy', 'nope']);
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

  it('takes fault changes on stdin while running', async () => {
    // Each line is answered once the faults are in force: no sleep stands in for that.
    expect(await send('faults {"errorRate":1}')).toEqual({ faults: expect.objectContaining({ errorRate: 1 }) });
    const failing = await runUsherInProcess(['proxies', '--qrs', central().qrs, ...pemFlags()]);
    expect(failing.code).toBe(1);
    expectOneLineError(failing);
    expect(await send('faults clear')).toEqual({ faults: expect.objectContaining({ errorRate: 0 }) });
    const healthy = await runUsherInProcess(['proxies', '--qrs', central().qrs, ...pemFlags()]);
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
