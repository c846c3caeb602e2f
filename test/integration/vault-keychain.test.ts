// The vault against the REAL Secret Service (gnome-keyring on Linux), through OsKeychain and
// @napi-rs/keyring. Each run uses its own service name and deletes what it stored.
//
// Needs a reachable, unlocked Secret Service. Without one the tests are skipped (with a warning saying
// why) on a developer machine, and FAIL under CI (process.env.CI) with the recipe, so CI cannot go green
// without having exercised the real keychain. Recipe: test/support/with-keychain.sh <command>.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OsKeychain, Vault } from '../../electron/core/vault';
import { decodeKeyRing } from '../../electron/core/vault/key-ring';
import { SECRET_SERVICE_RECIPE, probeSecretService } from '../support/keychain';

const probe = probeSecretService();
const available = probe.ok;
const inCi = Boolean(process.env.CI);
if (!probe.ok && !inCi) {
  console.warn(`[vault-keychain] SKIPPED: ${probe.reason}. To run it: ${SECRET_SERVICE_RECIPE}.`);
}

const service = `Usher-test-${process.pid}-${randomBytes(3).toString('hex')}`;
const made: OsKeychain[] = [];
function keychain(account: string): OsKeychain {
  const k = new OsKeychain(service, account);
  made.push(k);
  return k;
}

describe('vault with the real Secret Service', () => {
  afterAll(async () => {
    if (!available) return;
    for (const k of made) await k.deleteKey().catch(() => undefined);
  });

  if (!probe.ok && inCi) {
    const reason = probe.reason;
    it('needs a reachable Secret Service under CI', () => {
      expect.fail(`no usable Secret Service: ${reason}. The keychain test must run in CI: ${SECRET_SERVICE_RECIPE}.`);
    });
  }

  it.skipIf(!available)('stores, reads back and deletes a key', async () => {
    const k = keychain('set-get-delete');
    expect(k.name).toBe('Secret Service');
    expect(await k.getKey()).toBeUndefined();
    const key = randomBytes(32);
    await k.setKey(key);
    expect((await k.getKey())?.equals(key)).toBe(true);
    // another instance (another process, in real life) sees the same entry
    expect((await new OsKeychain(service, 'set-get-delete').getKey())?.equals(key)).toBe(true);
    await k.deleteKey();
    expect(await k.getKey()).toBeUndefined();
    await k.deleteKey(); // deleting nothing is fine
  });

  it.skipIf(!available)('runs a full vault round trip in keychain mode, rotation included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'usher-vault-it-'));
    try {
      const k = keychain('vault-data-key');
      const vault = await Vault.open({ dir, keychain: k });
      expect(vault.mode).toEqual({ kind: 'keychain', keychain: 'Secret Service' });
      const ring = decodeKeyRing((await k.getKey())!);
      if ('problem' in ring) throw new Error(ring.problem);
      expect(ring.keys.get(1)?.length).toBe(32);

      const secret = randomBytes(4096);
      await vault.save('profile-it', secret);
      const file = await readFile(join(dir, 'vault', 'profile-it.bundle'));
      expect(file.subarray(0, 4).toString()).toBe('USHV');
      expect(file.includes(secret.subarray(0, 64))).toBe(false);
      expect((await stat(join(dir, 'vault', 'profile-it.bundle'))).mode & 0o777).toBe(0o600);

      // a second open (as the CLI would) finds the key in the keychain and reads the bundle
      const again = await Vault.open({ dir, keychain: new OsKeychain(service, 'vault-data-key') });
      expect(again.mode.kind).toBe('keychain');
      expect((await again.load('profile-it')).equals(secret)).toBe(true);

      expect(await again.rotateKey()).toEqual({ rotated: 1, failed: [], keyVersion: 2, retired: [1] });
      const rotated = decodeKeyRing((await k.getKey())!);
      if ('problem' in rotated) throw new Error(rotated.problem);
      expect([...rotated.keys.keys()]).toEqual([2]);
      expect(rotated.keys.get(2)?.equals(ring.keys.get(1)!)).toBe(false);
      const third = await Vault.open({ dir, keychain: new OsKeychain(service, 'vault-data-key') });
      expect((await third.load('profile-it')).equals(secret)).toBe(true);

      await third.remove('profile-it');
      expect(await third.list()).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
