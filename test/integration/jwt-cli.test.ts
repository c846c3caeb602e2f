// `usher jwt` on the built-in site, the administrator's whole path: make a signing pair, see the
// certificate to paste, mint a token for a user, verify it against the virtual proxy, and log in with it
// (curl with Authorization: Bearer gets the session cookie from `usher simulate`); then the checks hold
// the profile's pair against every JWT virtual proxy's certificate.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OsKeychain } from '../../electron/core/vault';
import type { VpFinding } from '../../shared/vp-findings';
import { expectOneLineError, runUsher, runUsherInProcess, startSimulate, TEST_DATA_DIR, type RunResult, type Simulate } from '../support/cli';
import { curlResponseHead } from '../support/curl';

// A vault sealed by a passphrase (or a keychain entry of this test's own): the key must outlive one command.
// Stubbed for this file only and put back after it: the integration files share one process
// (isolate: false), and the CLI processes of the next file would inherit this environment.
const KEYCHAIN_SERVICE = `usher-jwt-cli-test-${process.pid}`;
beforeAll(() => {
  vi.stubEnv('USHER_VAULT_PASSPHRASE', 'jwt cli test passphrase');
  vi.stubEnv('USHER_KEYCHAIN_SERVICE', KEYCHAIN_SERVICE);
});

let simulate: Simulate | undefined;
afterAll(async () => {
  simulate?.child.kill('SIGTERM');
  await new OsKeychain(KEYCHAIN_SERVICE).deleteKey().catch(() => undefined);
  vi.unstubAllEnvs();
});

/** Every file under the data folder, for the "no plaintext key on disk" check. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// Each real command starts the built-in site in its own process: seconds apiece on a loaded machine.
describe('usher jwt on the built-in site', { timeout: 180_000 }, () => {
  let keygen: RunResult;
  let minted: RunResult;
  let certificate = '';
  let token = '';
  // One pair and one token for every test (each test also runs alone: -t). keygen and mint stay real
  // `usher` processes: the sealed key has to outlive the process that made it (the vault and keychain
  // read afresh by another process). The later commands run the bundle's main(argv) in this worker
  // (runUsherInProcess): the same flags, lines and exit codes, without a Node start apiece.
  beforeAll(async () => {
    keygen = await runUsher(['jwt', 'keygen', '--profile', 'demo']);
    certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(keygen.stdout)?.[0] ?? '';
    minted = await runUsher(['jwt', 'mint', '--profile', 'demo', '--user', 'MASHUP\\a1-sales', '--vp', 'jwt', '--group', 'Sales']);
    token = minted.stdout.trim();
  }, 120_000);

  it('keygen makes the demo profile a pair, prints the certificate to paste, and keeps no plaintext key on disk', async () => {
    const r = keygen;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Made the JWT signing pair of profile "demo"/);
    expect(r.stdout).toContain('Paste this into the QMC: Virtual proxies > (the JWT virtual proxy) > Authentication > JWT certificate');
    expect(certificate).not.toBe('');
    expect(r.stdout).not.toContain('PRIVATE KEY');
    for (const file of filesUnder(TEST_DATA_DIR)) expect(readFileSync(file, 'utf8'), file).not.toContain('PRIVATE KEY');
  });

  it('keygen refuses to replace the pair without --replace; show prints the same certificate as JSON', async () => {
    const again = await runUsherInProcess(['jwt', 'keygen', '--profile', 'demo']);
    expect(again.code).toBe(2);
    expect(expectOneLineError(again)[0]).toMatch(/already has a JWT signing pair/);
    const show = await runUsherInProcess(['jwt', 'show', '--profile', 'demo', '--json']);
    expect(show.code).toBe(0);
    const held = JSON.parse(show.stdout) as Record<string, unknown>;
    expect(held).toMatchObject({ profileId: 'demo', algorithm: 'RS256', keyBits: 2048 });
    expect(String(held.certificatePem).trim()).toBe(certificate.trim());
    expect(show.stdout).not.toContain('PRIVATE KEY');
  });

  it('mint prints a token named the way /jwt reads it, and verify says /jwt logs the user in with the group', async () => {
    expect(minted.code).toBe(0);
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(minted.stderr).toMatch(/^usher: token for MASHUP\\a1-sales, expires /);
    const verified = await runUsherInProcess(['jwt', 'verify', '--profile', 'demo', '--vp', 'jwt', token]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^\/jwt logs in MASHUP\\a1-sales/);
    expect(verified.stdout).toContain('attributes: Group=Sales');
    const json = await runUsherInProcess(['jwt', 'verify', '--profile', 'demo', '--vp', 'jwt', token, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, userDirectory: 'MASHUP', userId: 'a1-sales', attributes: [{ Group: 'Sales' }] });
  });

  it('verify names the reason a token is refused (exit 1), and a virtual proxy that is not JWT (exit 2)', async () => {
    const [h, p] = token.split('.');
    const tampered = `${h}.${p}.${'A'.repeat(342)}`;
    const refused = await runUsherInProcess(['jwt', 'verify', '--profile', 'demo', '--vp', 'jwt', tampered]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^\/jwt refuses the token \(bad-signature\): the signature does not verify/);
    expect(refused.stderr).toMatch(/^usher: the token is refused: bad-signature/);
    const noDirectory = await runUsherInProcess(['jwt', 'verify', '--profile', 'demo', '--vp', 'jwt-no-directory', token]);
    expect(noDirectory.code).toBe(1);
    expect(noDirectory.stdout).toMatch(/\(no-directory-mapping\)/);
    const ticket = await runUsherInProcess(['jwt', 'verify', '--profile', 'demo', '--vp', 'ticket', token]);
    expect(ticket.code).toBe(2);
    expect(expectOneLineError(ticket)[0]).toMatch(/\/ticket does not use JWT authentication/);
  });

  it('verify offline against a certificate file and a static directory', async () => {
    const show = JSON.parse((await runUsherInProcess(['jwt', 'show', '--profile', 'demo', '--json'])).stdout) as { certificatePem: string };
    const file = join(TEST_DATA_DIR, 'jwt-cert.pem');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, show.certificatePem));
    const r = await runUsherInProcess(['jwt', 'verify', '--certificate', file, '--user-id-claim', 'userId', '--directory', 'PORTAL', token, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, userDirectory: 'PORTAL', userId: 'a1-sales', userDirectorySource: 'static' });
  });

  it('curl with Authorization: Bearer logs in on usher simulate, whose /jwt carries the pasted certificate', async () => {
    simulate = await startSimulate(['--localhost', '--out', join(TEST_DATA_DIR, 'sim-certs')]);
    const central = simulate.ready.nodes.find((n) => n.name === 'central')!;
    const ca = join(simulate.ready.certificates, 'root.pem');
    const stdout = await curlResponseHead(`${central.hub}/jwt/sense/app/a1-sales`, { caFile: ca, header: `Authorization: Bearer ${token}` });
    expect(stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(stdout).toMatch(/^set-cookie: X-Qlik-Session-jwt=[0-9a-f-]{36};/im);
  });

  it('check holds the pair against each JWT virtual proxy: the one with another key shows jwt-key-mismatch', async () => {
    const r = await runUsherInProcess(['check', '--profile', 'demo', '--no-probe', '--format', 'json']);
    expect(r.code).toBe(1);
    const { findings } = JSON.parse(r.stdout) as { findings: VpFinding[] };
    // Every demo JWT virtual proxy carries the held certificate but the expired one, issued for a key nobody holds.
    expect(findings.filter((f) => f.rule === 'jwt-key-mismatch').map((f) => f.virtualProxy)).toEqual(['jwt-expired-certificate']);
    expect(findings.filter((f) => f.virtualProxy === 'jwt')).toEqual([]);
  });

  it('one-line errors for bad input', async () => {
    const noProfile = await runUsherInProcess(['jwt', 'mint', '--user', 'DEMO\\alice']);
    expect(noProfile.code).toBe(2);
    expect(expectOneLineError(noProfile)[0]).toMatch(/needs --profile NAME/);
    const badAlg = await runUsherInProcess(['jwt', 'keygen', '--profile', 'demo', '--alg', 'HS256', '--replace']);
    expect(badAlg.code).toBe(2);
    expect(expectOneLineError(badAlg)[0]).toMatch(/--alg "HS256" is not an algorithm Qlik verifies/);
    const unknown = await runUsherInProcess(['jwt', 'sign']);
    expect(unknown.code).toBe(2);
    expect(expectOneLineError(unknown)[0]).toMatch(/unknown jwt action "sign"/);
  });
});
