// The real command, spawned as a user or CI would run it: what it says about bad input and missing
// files, without a site (in one line and with the right exit code). The overview, an unknown command, a
// taken address, the fault flags and the keychain's once-per-process warning run a real `usher` process
// each; the other cases, about how a command reads its flags and files, run the same bundle's main(argv)
// in this worker (runUsherInProcess), without a Node start each.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, runUsher, runUsherInProcess } from '../support/cli';
import { AuditLog } from '../../electron/core/profiles';

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
    const result = await runUsherInProcess(['ticket', '--frob']);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toMatch(/unknown option '--frob'/i);
  });

  it('a flag missing its value (the next flag taken for it) is one line too', async () => {
    const result = await runUsherInProcess(['ticket', '--qps', '--user', 'DEMO\\alice']);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toBe("usher: Option '--qps' argument is ambiguous. Did you forget to specify the option argument for '--qps'?");
  });

  it('explains a missing site file', async () => {
    const result = await runUsherInProcess(['simulate', '--site', '/nonexistent/site.json']);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toBe('usher: cannot read site file /nonexistent/site.json: no such file');
  });

  it('explains a site file that is not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usher-cli-'));
    const file = join(dir, 'site.json');
    writeFileSync(file, '{"nodes": [ {"id": "a",, } ]}');
    const result = await runUsherInProcess(['simulate', '--site', file]);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toContain(`site file ${file} is not valid JSON`);
  });

  it('explains a site file whose content is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usher-cli-'));
    const file = join(dir, 'site.json');
    writeFileSync(file, JSON.stringify({ nodes: [] }));
    const result = await runUsherInProcess(['simulate', '--site', file]);
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
    const args = ['ticket', '--qps', 'https://localhost:1', '--user', 'D\\u', '--ca', '/nonexistent/root.pem', '--cert', 'x', '--key', 'y'];
    const result = await runUsherInProcess(args);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toBe('usher: cannot read --ca /nonexistent/root.pem: no such file');
  });

  it('refuses a --timeout-ms that is not a positive number in one line, with a profile too', async () => {
    const result = await runUsherInProcess(['proxies', '--profile', 'demo', '--timeout-ms', 'abc']);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)[0]).toBe('usher: --timeout-ms must be a whole number from 1 to 600000, got "abc"');
  });

  it('a folder --out cannot write into, bad fault flags and a missing vault action: one line each', async () => {
    const exported = await runUsherInProcess(['profile', 'export', 'demo', '--out', '/nonexistent/dir/demo.json']);
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
    expect((await runUsherInProcess(['profile', 'import', exported], { env })).code).toBe(0);
    const audit = new AuditLog(dataDir);
    await audit.append({ action: 'ticket', profile: 'lab-site', virtualProxy: '', userDirectory: 'DEMO', userId: 'alice', reason: 'console' });
    await audit.append({ action: 'ticket', profile: 'other', virtualProxy: '', userDirectory: 'DEMO', userId: 'bob', reason: 'console' });
    for (const given of ['Lab Site', 'lab-site']) {
      const result = await runUsherInProcess(['audit', '--profile', given, '--json'], { env });
      expect(result.code).toBe(0);
      expect((JSON.parse(result.stdout) as { entries: Array<{ userId: string }> }).entries.map((e) => e.userId)).toEqual(['alice']);
    }
  });
});
