// `usher profile ...` end to end, as the "done when" says: a QMC export from `usher simulate`
// becomes a profile whose check walks green, the broken cases name their failing step, and nothing
// secret lands on disk in plaintext. Needs the real Secret Service (the vault's key lives there): skipped
// with the reason on a machine without one, failing under CI.
// Most commands run the built bundle's main(argv) in this worker (runUsherInProcess): the same reading of
// flags, files, vault and site, without a Node start each. Three stay real `usher` processes, because
// what they prove is about processes: adding "Lab" (the vault key it stores in the keychain and the bundle
// it writes are read back by other processes, this worker among them), `vault rotate-key` (the rotated
// key ring is what a later process finds) and `profile list` over a damaged profile file (a message and
// exit 0 from the process, not a crash).
import { randomBytes, X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runUsher, runUsherInProcess, startSimulate, type ReadyLine, type RunResult, type Simulate } from '../support/cli';
import { SECRET_SERVICE_RECIPE, probeSecretService } from '../support/keychain';
import { OsKeychain } from '../../electron/core/vault';
import { lazy } from '../support/cert-fixtures';

const probe = probeSecretService();
const inCi = Boolean(process.env.CI);
if (!probe.ok && !inCi) console.warn(`[cli-profile] SKIPPED: ${probe.reason}. To run it: ${SECRET_SERVICE_RECIPE}.`);

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function pemBody(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

describe('usher profile', () => {
  if (!probe.ok && inCi) {
    const reason = probe.reason;
    it('needs a reachable Secret Service under CI', () => expect.fail(`no usable Secret Service: ${reason}. ${SECRET_SERVICE_RECIPE}`));
    return;
  }
  if (!probe.ok) {
    it.skip(`needs a Secret Service (${probe.reason})`, () => undefined);
    return;
  }

  const env = {
    USHER_DATA_DIR: mkdtempSync(join(tmpdir(), 'usher-profile-data-')),
    USHER_KEYCHAIN_SERVICE: `Usher-test-${process.pid}-${randomBytes(3).toString('hex')}`,
  };
  const usher = (args: string[], extra: Record<string, string> = {}) => runUsherInProcess(args, { env: { ...env, ...extra } });
  const realUsher = (args: string[]) => runUsher(args, { env });
  let child: ChildProcess;
  let ready: ReadyLine;
  let send: Simulate['send'];
  let out: string;
  let qps: string;
  let qrs: string;

  beforeAll(async () => {
    out = join(mkdtempSync(join(tmpdir(), 'usher-export-')), 'export');
    // On localhost: its certificate names `localhost` only, so calling it as 127.0.0.1 is a host mismatch.
    ({ child, ready, send } = await startSimulate(['--localhost', '--out', out]));
    qps = ready.nodes[0]!.qps;
    qrs = ready.nodes[0]!.qrs;
  });
  afterAll(async () => {
    child?.kill('SIGTERM');
    // The data key this test's commands stored, under a service name of its own.
    await new OsKeychain(env.USHER_KEYCHAIN_SERVICE).deleteKey();
  });

  // The profiles later tests build on are added once, by whichever test needs them first, so each test
  // also passes alone (`-t`) and in any order. "Lab" is added again after the test that removes it.
  let lab: Promise<RunResult> | undefined;
  const labAdded = () => (lab ??= realUsher(['profile', 'add', 'Lab', '--from', out, '--qps', qps, '--qrs', qrs, '--virtual-proxy', 'ticket']));
  const labPfxAdded = lazy(() =>
    usher(['profile', 'add', 'Lab PFX', '--pfx', join(out, 'client.pfx'), '--ca', join(out, 'root.pem'), '--qps', qps, '--qrs', qrs], {
      USHER_PFX_PASSPHRASE: ready.pfxPassphrase,
    }),
  );

  it('adds a profile from the QMC export folder, then its check walks every step green', async () => {
    const add = await labAdded();
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/Saved profile "Lab" \(2 node\(s\), 22 virtual proxies\); certificates encrypted in the vault/);

    const check = await usher(['profile', 'check', 'Lab', '--ticket-user', 'DEMO\\alice']);
    expect(check.code).toBe(0);
    const marks = check.stdout
      .split('\n')
      .filter((l) => /^(ok|warn|FAIL|skip)\s+\d\./.test(l))
      .map((l) => l.slice(0, 4).trim());
    // Discovery warns about the demo site's deliberately unlinked virtual proxy; nothing else does.
    expect(marks).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'warn', 'ok']);
    expect(check.stdout).toMatch(/not linked to any proxy \(unusable\): \/unlinked/);
    expect(check.stdout).toContain('All steps passed.');

    const audit = await usher(['audit', '--json']);
    // alice's entries: the check's own (another test tickets bob).
    const entries = (JSON.parse(audit.stdout) as { entries: Array<{ action: string; userId: string; profile: string; ticketMasked?: string }> }).entries.filter(
      (e) => e.userId === 'alice',
    );
    expect(entries.map((e) => `${e.action}:${e.userId}`)).toEqual(['ticket:alice', 'session-end:alice']);
    // Recorded under the profile id, as the console records it.
    expect(entries.map((e) => e.profile)).toEqual(['lab', 'lab']);
  });

  it('profile check against a failing site ends naming the fault and the step it stopped, not the certificate', async () => {
    await labAdded();
    await send('faults {"errorRate":1}');
    try {
      const check = await usher(['profile', 'check', 'Lab']);
      expect(check.code).toBe(1);
      expect(check.stdout).toMatch(/FAIL 5\. Client certificate accepted by QPS/);
      expect(check.stdout).toContain('stopped by a site fault (server error 503), not by what this step checks');
      const [line] = expectOneLineError(check);
      expect(line).toMatch(
        /^usher: the trust check stopped at step 5 "Client certificate accepted by QPS" on a site fault \(server error 503\), before the step could check anything: .*503/,
      );
    } finally {
      await send('faults clear');
    }
  });

  it('keeps nothing secret in plaintext under the app data folder', async () => {
    const add = await labPfxAdded();
    expect(add.code).toBe(0);
    const certPem = readFileSync(join(out, 'client.pem'), 'utf8');
    const keyPem = readFileSync(join(out, 'client_key.pem'), 'utf8');
    const needles: Array<[string, Buffer]> = [
      ['client certificate PEM body', Buffer.from(pemBody(certPem))],
      ['private key PEM body', Buffer.from(pemBody(keyPem))],
      ['client certificate DER', new X509Certificate(certPem).raw],
      ['private key DER (PKCS#8)', createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' })],
      ['private key DER (PKCS#1)', createPrivateKey(keyPem).export({ type: 'pkcs1', format: 'der' })],
      ['PFX passphrase', Buffer.from(ready.pfxPassphrase)],
    ];
    const files = filesUnder(env.USHER_DATA_DIR);
    expect(files.some((f) => f.endsWith('.bundle'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const [what, needle] of needles) {
        // A 64-byte slice is enough to find any copy of the secret, whole or in part.
        expect(bytes.includes(needle.subarray(0, 64)), `${what} found in ${file}`).toBe(false);
      }
      expect(statSync(file).mode & 0o077).toBe(0);
    }
  });

  it('names the failing step of a broken site: QRS down', async () => {
    const add = await usher(['profile', 'add', 'Broken', '--from', out, '--qps', qps, '--qrs', 'https://localhost:1']);
    expect(add.code).toBe(1);
    expect(add.stdout).toMatch(/FAIL 6\. QRS reachable with X-Qlik-User/);
    expect(add.stdout).toMatch(/fix: {3}Nothing accepts connections on port 1/);
    expect(expectOneLineError(add)[0]).toContain('saved, but the site check did not pass');
  });

  it('names the failing step of a broken site: wrong host name', async () => {
    const check = await usher(['profile', 'add', 'ByIp', '--from', out, '--qps', qps.replace('localhost', '127.0.0.1'), '--qrs', qrs]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/FAIL 4\. Server certificate verified against root\.pem/);
    expect(check.stdout).toMatch(/issued for localhost/);
  });

  it('names a QPS address on the QRS or hub port for what it is: not the QPS port (4243)', async () => {
    const onQrs = await usher(['profile', 'add', 'OnQrs', '--from', out, '--qps', qrs, '--qrs', qrs]);
    expect(onQrs.code).toBe(1);
    expect(onQrs.stdout).toMatch(/FAIL 5\. Client certificate accepted by QPS/);
    expect(onQrs.stdout).toMatch(/answered like the Qlik Sense Repository Service/);
    expect(onQrs.stdout).toMatch(/fix: {3}This is not the QPS port \(4243\)/);
    const hubAdd = await usher(['profile', 'add', 'OnHub', '--from', out, '--qps', ready.nodes[0]!.hub, '--qrs', qrs]);
    expect(hubAdd.code).toBe(1);
    expect(hubAdd.stdout).toMatch(/answered like the hub/);
    expect(hubAdd.stdout).toMatch(/fix: {3}This is not the QPS port \(4243\)/);
    const check = await usher(['profile', 'check', 'OnHub']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/answered like the hub/);
    expect(check.stdout).not.toMatch(/session or user not found/i);
  });

  it('refuses a wrong PFX passphrase at the files step, and saves nothing', async () => {
    const add = await usher(['profile', 'add', 'BadPass', '--pfx', join(out, 'client.pfx'), '--ca', join(out, 'root.pem'), '--qps', qps, '--qrs', qrs], {
      USHER_PFX_PASSPHRASE: 'not-it',
    });
    expect(add.code).toBe(2);
    expect(add.stdout).toMatch(/FAIL 1\. Certificate files found and parsed/);
    expect(add.stdout).toMatch(/passphrase/i);
    const list = await usher(['profile', 'list', '--json']);
    expect((JSON.parse(list.stdout) as Array<{ name: string }>).map((p) => p.name)).not.toContain('BadPass');
  });

  it('lists, shows, exports without secrets, imports, and removes', async () => {
    await labAdded();
    const list = await usher(['profile', 'list']);
    expect(list.stdout).toMatch(/^demo \(built-in\)/m);
    expect(list.stdout).toMatch(/^Lab\s+https:\/\/localhost:\d+\s+2\s+CN=QlikClient/m);

    const show = await usher(['profile', 'show', 'Lab']);
    expect(show.stdout).toMatch(/Fingerprint \(SHA-256\)\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    expect(show.stdout).not.toContain('PRIVATE KEY');

    const exported = await usher(['profile', 'export', 'Lab']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).not.toMatch(/bundleId|BEGIN/);
    const file = join(mkdtempSync(join(tmpdir(), 'usher-exp-')), 'lab.json');
    writeFileSync(file, exported.stdout);
    const imported = await usher(['profile', 'import', file, '--name', 'Lab copy']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('imported profile "Lab copy"');
    const renamed = await usher(['profile', 'rename', 'Lab copy', '--name', 'Lab twin']);
    expect(renamed.stdout).toContain('renamed to "Lab twin" (id lab-copy, certificates unchanged)');
    const moved = await usher(['profile', 'set-addresses', 'Lab twin', '--qps', 'https://127.0.0.1:14243', '--qrs', 'https://127.0.0.1']);
    expect(moved.stdout).toContain('"Lab twin": QPS https://127.0.0.1:14243, QRS https://127.0.0.1:4242');
    const badAddress = await usher(['profile', 'set-addresses', 'Lab twin', '--qps', 'http://127.0.0.1', '--qrs', 'https://127.0.0.1']);
    expect(badAddress.code).toBe(2);
    expectOneLineError(badAddress);

    const ticket = await usher(['ticket', '--profile', 'Lab', '--user', 'DEMO\\bob', '--json']);
    expect(ticket.code).toBe(0);
    expect((JSON.parse(ticket.stdout) as { virtualProxy: string }).virtualProxy).toBe('ticket');

    const removed = await usher(['profile', 'remove', 'Lab']);
    lab = undefined;
    expect(removed.stdout).toContain('removed profile "Lab"');
    expect(removed.stdout).toMatch(/Its certificates \(CN=.*\) were removed from the vault: bundle lab-[0-9a-f]{12} in the encrypted file .*\.bundle/);
    const gone = await usher(['profile', 'show', 'Lab']);
    expect(gone.code).toBe(1);
    expectOneLineError(gone);
  });

  it('rotates the vault key and the remaining profiles still work', async () => {
    await labPfxAdded();
    const rotate = await realUsher(['vault', 'rotate-key']);
    expect(rotate.code).toBe(0);
    expect(rotate.stdout).toMatch(/bundle\(s\) re-encrypted/);
    const proxies = await usher(['proxies', '--profile', 'Lab PFX']);
    expect(proxies.code).toBe(0);
    expect(proxies.stdout).toContain('22 virtual proxies on 2 proxy node(s)');
  });

  it('sets a damaged profile file aside with a message, not a crash', async () => {
    await labPfxAdded();
    // Private like Usher's own files: the plaintext test checks every file's mode, whichever runs first.
    writeFileSync(join(env.USHER_DATA_DIR, 'profiles', 'garbage.json'), '{ not json', { mode: 0o600 });
    const list = await realUsher(['profile', 'list']);
    expect(list.code).toBe(0);
    expect(list.stderr).toMatch(/usher: set aside a damaged profile file .*garbage\.json/);
    expect(list.stdout).toContain('Lab PFX');
  });
});
