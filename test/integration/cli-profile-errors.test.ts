// Bad input to `usher profile add`, each with the line that names it. These fail before anything is
// saved, so they run with or without a keychain (a missing keychain adds its own warning line).
// The first case and the keychain's warning run a real `usher` process; the other cases run the same
// bundle's main(argv) in this worker (runUsherInProcess): the same check and lines, without a Node start.
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runUsher, runUsherInProcess } from '../support/cli';
import { fixtures, qmcExport, tempFolder, toLegacyRc2Pfx } from '../support/cert-fixtures';

// Nothing listens on port 1: the checks that get past the files stop at the TCP step.
const SITE = ['--qps', 'https://localhost:1', '--qrs', 'https://localhost:2'];
// A keychain that cannot be reached: the vault says so and keeps secrets in memory (nothing on disk).
const NO_KEYCHAIN = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/usher-test-bus' };

async function add(args: string[], env: Record<string, string> = {}, run = runUsherInProcess) {
  // In process the worker's own D-Bus stays (runUsherInProcess cannot change it): these cases fail before
  // the vault is opened, so the keychain plays no part in them.
  const result = await run(['profile', 'add', 'T', ...args, ...SITE], { env: { ...(run === runUsher ? NO_KEYCHAIN : {}), ...env } });
  const failed = result.stdout.split('\n').find((l) => l.startsWith('FAIL'));
  const cause = result.stdout
    .split('\n')
    .find((l) => l.trim().startsWith('cause:'))
    ?.trim();
  return { ...result, failed, cause };
}

describe('usher profile add: bad certificates', () => {
  const ca = (): string => fixtures.ca().certPem;

  it('a truncated PEM', async () => {
    const cert = fixtures.client().certPem;
    const dir = tempFolder({ 'client.pem': cert.slice(0, cert.length / 2), 'client_key.pem': fixtures.client().keyPem, 'root.pem': ca() });
    const r = await add(['--from', dir], {}, runUsher);
    expect(r.code).toBe(2);
    expect(r.failed).toMatch(/^FAIL 1\. Certificate files found and parsed/);
    expect(r.cause).toMatch(/client\.pem.*(truncated|cut|incomplete)/i);
    expect(r.stderr).toMatch(/usher: not saved/);
  });

  it('the key of another certificate', async () => {
    const dir = tempFolder({ 'client.pem': fixtures.client().certPem, 'client_key.pem': fixtures.otherClient().keyPem, 'root.pem': ca() });
    const r = await add(['--from', dir]);
    expect(r.failed).toMatch(/^FAIL 2\. Certificate chain and validity/);
    expect(r.cause).toMatch(/key/i);
  });

  it('a certificate from another CA', async () => {
    const dir = tempFolder(qmcExport(fixtures.foreignClient(), ca()));
    const r = await add(['--from', dir]);
    expect(r.failed).toMatch(/^FAIL 2\./);
    expect(r.cause).toMatch(/root\.pem|site CA/i);
  });

  it('an expired certificate', async () => {
    const dir = tempFolder(qmcExport(fixtures.expiredClient(), ca()));
    const r = await add(['--from', dir]);
    expect(r.failed).toMatch(/^FAIL 2\./);
    expect(r.cause).toMatch(/expired/i);
  });

  it('a 50 MB file', async () => {
    const dir = tempFolder({ 'client_key.pem': fixtures.client().keyPem, 'root.pem': ca() });
    const big = join(dir, 'client.pem');
    writeFileSync(big, '');
    truncateSync(big, 50 * 1024 * 1024);
    const r = await add(['--cert', big, '--key', join(dir, 'client_key.pem'), '--ca', join(dir, 'root.pem')]);
    expect(r.failed).toMatch(/^FAIL 1\./);
    expect(r.cause).toMatch(/too large|MB|MiB/i);
  });

  it('a folder without certificates', async () => {
    const r = await add(['--from', tempFolder({ 'notes.txt': 'hello' })]);
    expect(r.failed).toMatch(/^FAIL 1\./);
    expect(r.cause).toMatch(/no certificates|found no/i);
  });

  it('a wrong passphrase for an encrypted PFX', async () => {
    const dir = tempFolder(qmcExport(fixtures.client(), ca(), 'right-one'));
    const r = await add(['--pfx', join(dir, 'client.pfx')], { USHER_PFX_PASSPHRASE: 'wrong-one' });
    expect(r.failed).toMatch(/^FAIL 1\./);
    expect(r.cause).toMatch(/passphrase/i);
  });

  it('a legacy RC2 PFX imports (and the check goes on to the network)', async () => {
    const dir = tempFolder({ 'client.pfx': toLegacyRc2Pfx(fixtures.client(), ca(), 'legacy-pass') });
    const r = await add(['--pfx', join(dir, 'client.pfx')], { USHER_PFX_PASSPHRASE: 'legacy-pass' });
    expect(r.stdout).toMatch(/^ok {3}1\. Certificate files found and parsed/m);
    expect(r.stdout).toMatch(/^ok {3}2\. Certificate chain and validity/m);
    expect(r.failed).toMatch(/^FAIL 3\. QPS reachable over TCP/);
  });

  it('a keychain that cannot be reached: said once, secrets kept in memory', async () => {
    const r = await runUsher(['vault', 'status'], { env: NO_KEYCHAIN });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^usher: no usable keychain \(.+\); certificates are kept in memory for this run only/);
    expect(r.stdout).toMatch(/no usable keychain/);
  });
});
