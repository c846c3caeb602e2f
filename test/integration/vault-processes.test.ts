// The vault with many writers as separate OS processes (the console and `usher` commands side by side):
// concurrent profile adds (names that collide on purpose) and key rotations lose nothing and overwrite
// nothing, and a vault held open across another process's rotation keeps writing bundles every process
// can read.
//
// The keychain is the real Secret Service when one is reachable (test/support/with-keychain.sh, as in
// CI), else the passphrase-sealed key file (the vault's keychain-less mode): both are shared between
// processes the same way. The writers are a small bundled worker (test/support/vault-worker.ts).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileStore } from '../../electron/core/profiles';
import { loadProfileCertificates } from '../../electron/core/profiles/certificate-bundle';
import { OsKeychain, VAULT_PASSPHRASE_ENV, Vault } from '../../electron/core/vault';
import { probeSecretService } from '../support/keychain';
import { testPki } from '../support/test-site';
import { removeWorkerScript, runWorker, runWorkersAtOnce } from '../support/vault-processes';

const secretService = probeSecretService().ok;
const backend = secretService ? 'the Secret Service' : 'a passphrase-sealed key file';
const PASSPHRASE = 'correct horse battery staple';
const services: string[] = [];
const dirs: string[] = [];
let setFile: string;

/** 20 names in groups that share one id candidate: prod-eu-N (two spellings each), and `profile`. */
const NAMES = [...Array.from({ length: 8 }, (_, i) => [`Prod EU ${i}`, `Prod/EU ${i}`]).flat(), '..', '.', '🚀', '🚀🚀'];

beforeAll(async () => {
  const { ca, client } = testPki();
  const dir = await mkdtemp(join(tmpdir(), 'usher-vault-set-'));
  dirs.push(dir);
  setFile = join(dir, 'set.json');
  await writeFile(setFile, JSON.stringify({ certPem: client.certPem, keyPem: client.keyPem, caPem: ca.certPem }));
});

/** A fresh data folder and keychain entry, and the environment a worker needs to use them. */
async function site(): Promise<{ dir: string; env: Record<string, string>; open: () => Promise<Vault> }> {
  const dir = await mkdtemp(join(tmpdir(), 'usher-vault-proc-'));
  dirs.push(dir);
  const service = `Usher-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  services.push(service);
  // Without a Secret Service the OS keychain fails and the passphrase seals the vault instead.
  const env: Record<string, string> = { USHER_KEYCHAIN_SERVICE: service, USHER_TEST_SET: setFile };
  if (!secretService) env[VAULT_PASSPHRASE_ENV] = PASSPHRASE;
  const open = () => Vault.open({ dir, keychain: new OsKeychain(service), passphrase: async () => (secretService ? undefined : PASSPHRASE) });
  return { dir, env, open };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

afterAll(async () => {
  if (secretService) for (const s of services) await new OsKeychain(s).deleteKey().catch(() => undefined);
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  removeWorkerScript();
});

describe(`vault writers as separate processes (${backend})`, () => {
  // Each trial releases its 25 processes into the lock at one moment (runWorkersAtOnce): every operation
  // meets every other, where processes started one after another met only their neighbours. Three trials
  // (three orders) against the Secret Service; the passphrase file costs each process a 0.1 s scrypt
  // derivation, so a machine without a Secret Service runs two.
  const trials = secretService ? 3 : 2;
  it(`20 profile adds with colliding names and 5 key rotations at once, ${trials} trials: nothing lost or overwritten`, async () => {
    let lost = 0;
    for (let trial = 0; trial < trials; trial++) {
      const { dir, env, open } = await site();
      const jobs = shuffle([...NAMES.map((name) => ['profile', dir, name]), ...Array.from({ length: 5 }, () => ['rotate', dir])]);
      const results = await runWorkersAtOnce(jobs, env);
      expect(results.filter((r) => r.code !== 0)).toEqual([]);

      const vault = await open();
      expect(vault.mode.kind).toBe('keychain');
      const { profiles, problems } = await new ProfileStore(dir).list();
      expect(problems).toEqual([]);
      expect(profiles.map((p) => p.name).sort()).toEqual([...NAMES].sort());
      expect(new Set(profiles.map((p) => p.id)).size).toBe(NAMES.length);
      const bundles = profiles.map((p) => p.certificates!.bundleId);
      expect(new Set(bundles).size).toBe(NAMES.length);
      expect(await vault.list()).toEqual([...bundles].sort()); // no orphan, none missing
      for (const profile of profiles) {
        // each profile opens its own certificates, not another's
        const made = await loadProfileCertificates(vault, profile, 're-import').then(
          (set) => set.source.files[0],
          (err: unknown) => String(err),
        );
        if (made !== `made for ${profile.name}`) lost += 1;
      }
      // Every rotation made its own key version and the last one retired all others.
      expect(await vault.keyVersions()).toEqual({ current: 6, versions: [6] });
    }
    expect(lost).toBe(0);
    // About 2 s a trial on two idle cores (25 node starts); a loaded CI machine takes several times that.
  }, 180_000);

  it('rotations killed (SIGKILL) at random moments leave every bundle readable and the lock free', async () => {
    const { dir, env, open } = await site();
    expect(await runWorker(['fill', dir, '60'], env)).toMatchObject({ code: 0 });
    const ids = Array.from({ length: 60 }, (_, i) => `f${i}`);
    let killed = 0;
    for (let round = 0; round < 6; round++) {
      // Killed somewhere between its start and the end of its work: before, during or after the rewrite.
      const result = await runWorker(['rotate', dir], env, 60 + Math.floor(Math.random() * 400));
      if (result.code === null) killed += 1;
      // A restart mid-way (a fresh process) reads every bundle, and can write: the dead holder's lock is taken over.
      expect(await runWorker(['read', dir, ...ids], env)).toMatchObject({ code: 0, stderr: '' });
    }
    expect(killed).toBeGreaterThan(0);
    expect(await runWorker(['rotate', dir], env)).toMatchObject({ code: 0 });
    const versions = await (await open()).keyVersions();
    expect(versions?.versions).toEqual([versions?.current]);
  });

  it('a vault held open across rotations in another process writes bundles a fresh process reads', async () => {
    const { dir, env, open } = await site();
    const held = await open(); // the console's long-lived vault
    await held.save('before', Buffer.from('secret of before'));

    for (let i = 0; i < 2; i++) expect(await runWorker(['rotate', dir], env)).toMatchObject({ code: 0 });

    await held.save('after', Buffer.from('secret of after'));
    await held.save('before', Buffer.from('secret of before'));
    expect((await held.load('after')).toString()).toBe('secret of after');
    expect(await runWorker(['read', dir, 'before', 'after'], env)).toMatchObject({ code: 0, stderr: '' });
    expect(await (await open()).keyVersions()).toEqual({ current: 3, versions: [3] });
  });
});
