// `usher profile add` without an OS keychain, as on CI runners and headless Linux: never a success that
// is gone at the next command. Without a passphrase it refuses (exit 1) unless --memory-only says so;
// with USHER_VAULT_PASSPHRASE the vault is sealed by it and survives restarts (every command is a new
// process). Names that share an id candidate get ids of their own; a name in use is refused (exit 2).
import { readFileSync, readdirSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUsher, startSimulate, type ReadyLine } from '../support/cli';

// A Secret Service that cannot be reached: the OS keychain is unusable for every command here.
const NO_KEYCHAIN = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/usher-test-bus', USHER_VAULT_PASSPHRASE: '' };

describe('usher profile add without a keychain', () => {
  let child: ChildProcess;
  let ready: ReadyLine;
  let out: string;
  let site: string[];

  beforeAll(async () => {
    out = join(mkdtempSync(join(tmpdir(), 'usher-export-')), 'export');
    ({ child, ready } = await startSimulate(['--out', out]));
    site = ['--from', out, '--qps', ready.nodes[0]!.qps, '--qrs', ready.nodes[0]!.qrs];
  });
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  const usherIn =
    (dataDir: string, extra: Record<string, string> = {}) =>
    (args: string[]) =>
      runUsher(args, { env: { ...NO_KEYCHAIN, USHER_DATA_DIR: dataDir, ...extra } });

  it('refuses to claim a save it cannot keep (exit 1, nothing saved); --memory-only saves and says the truth', async () => {
    const usher = usherIn(mkdtempSync(join(tmpdir(), 'usher-nokc-')));
    const refused = await usher(['profile', 'add', 'Lab', ...site]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^usher: not saved: with no usable keychain the certificates would be kept in memory only and be gone when this command ends/m,
    );
    expect(refused.stderr).toMatch(/hint: set USHER_VAULT_PASSPHRASE .* or add --memory-only/);
    expect(refused.stdout).not.toMatch(/Saved profile/);
    const list = await usher(['profile', 'list', '--json']);
    expect((JSON.parse(list.stdout) as Array<{ name: string }>).map((p) => p.name)).toEqual(['demo']);

    const kept = await usher(['profile', 'add', 'Lab', ...site, '--memory-only']);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toMatch(/Saved profile "Lab" .*certificates in memory only: they are gone when this command ends/);
    const next = await usher(['profile', 'show', 'Lab']);
    expect(next.code).toBe(1);
    expect(next.stderr).toMatch(/certificates of profile "Lab" are gone: they were kept in memory only/);
  });

  it('with USHER_VAULT_PASSPHRASE: sealed by the passphrase, readable after a restart, never under another', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'usher-pass-'));
    const usher = usherIn(dataDir, { USHER_VAULT_PASSPHRASE: 'correct horse battery staple' });
    const add = await usher(['profile', 'add', 'Prod EU', ...site]);
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/Saved profile "Prod EU" .*certificates encrypted in the vault \(key in the passphrase-sealed key file\)/);

    // Same id candidate, another profile: an id of its own, the first one untouched.
    const second = await usher(['profile', 'add', 'Prod/EU', ...site]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Saved profile "Prod\/EU" as id prod-eu-2 \(another profile has prod-eu\)/);
    const taken = await usher(['profile', 'add', 'prod eu', ...site]);
    expect(taken.code).toBe(2);

    // Every command is a new process: this is the restart.
    for (const name of ['Prod EU', 'Prod/EU']) {
      const show = await usher(['profile', 'show', name, '--json']);
      expect(show.code).toBe(0);
      expect((JSON.parse(show.stdout) as { certificates: { client: { subject: string } } }).certificates.client.subject).toContain('QlikClient');
    }
    const rotated = await usher(['vault', 'rotate-key']);
    expect(rotated.code).toBe(0);
    expect((await usher(['profile', 'show', 'Prod EU'])).code).toBe(0);

    // The key file is sealed: no key material in the clear, and another passphrase opens nothing.
    const sealed = readFileSync(join(dataDir, 'vault', 'keyring.sealed'), 'utf8');
    expect(JSON.parse(sealed)).toMatchObject({ format: 'usher-sealed-keyring', kdf: { name: 'scrypt' } });
    const wrong = await usherIn(dataDir, { USHER_VAULT_PASSPHRASE: 'not it' })(['profile', 'show', 'Prod EU']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/the passphrase does not open the vault's key file/);
    const none = await usherIn(dataDir)(['profile', 'show', 'Prod EU']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/the vault is sealed by a passphrase .* and none was given/);
    expect(readdirSync(join(dataDir, 'vault')).filter((f) => f.endsWith('.bundle'))).toHaveLength(2);
    expect(existsSync(join(dataDir, 'usher-write.lock'))).toBe(false);
  });
});
