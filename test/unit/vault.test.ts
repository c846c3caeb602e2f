import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryKeychain, OsKeychain, Vault, VaultError, type Keychain, type KeyringEntryLike } from '../../electron/core/vault';
import { encryptBundle } from '../../electron/core/vault/bundle-file';
import { decodeKeyRing, encodeKeyRing, type KeyRing } from '../../electron/core/vault/key-ring';
import { FailingKeychain } from '../support/keychain';
import { fixtures } from '../support/cert-fixtures';
import { loadProfileCertificates, saveProfileCertificates } from '../../electron/core/profiles/certificate-bundle';
import type { Profile } from '../../shared/profile';

const posix = process.platform !== 'win32';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'usher-vault-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bundlePath = (id: string) => join(dir, 'vault', `${id}.bundle`);

/** Asserts `promise` rejects with a VaultError (Vitest's rejects) and hands it back for its fields. */
async function vaultError(promise: Promise<unknown>): Promise<VaultError> {
  await expect(promise).rejects.toBeInstanceOf(VaultError);
  return promise.then(
    () => undefined as never,
    (err: unknown) => err as VaultError,
  );
}

/** What a keychain holds now (a copy): the key ring blob. */
async function keyOf(keychain: Keychain): Promise<Buffer> {
  const key = await keychain.getKey();
  if (!key) throw new Error('no key');
  return key;
}

/** The key ring a keychain holds now. */
async function ringOf(keychain: Keychain): Promise<KeyRing> {
  const ring = decodeKeyRing(await keyOf(keychain));
  if ('problem' in ring) throw new Error(ring.problem);
  return ring;
}

/** A keychain holding just `key` as version `version`. */
function keychainWith(name: string, version: number, key: Buffer): MemoryKeychain {
  return new MemoryKeychain(name, encodeKeyRing({ current: version, keys: new Map([[version, key]]) }));
}

describe('Vault in keychain mode', () => {
  it('creates a key ring with one 32-byte data key (version 1) on first open and keeps it', async () => {
    const keychain = new MemoryKeychain();
    const vault = await Vault.open({ dir, keychain });
    expect(vault.mode).toEqual({ kind: 'keychain', keychain: 'memory keychain' });
    const ring = await ringOf(keychain);
    expect(ring.current).toBe(1);
    expect([...ring.keys.keys()]).toEqual([1]);
    expect(ring.keys.get(1)?.length).toBe(32);
    const blob = await keyOf(keychain);
    await Vault.open({ dir, keychain });
    expect((await keyOf(keychain)).equals(blob)).toBe(true);
  });

  it('reads what older versions wrote (a bare 32-byte key, format-1 bundles) and upgrades them on rotation', async () => {
    const legacyKey = randomBytes(32);
    // format 1: "USHV" | 1 | IV | tag | body, AAD = "USHV" | 1 | id
    const { createCipheriv } = await import('node:crypto');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', legacyKey, iv);
    cipher.setAAD(Buffer.concat([Buffer.from('USHV'), Buffer.from([1]), Buffer.from('old-one')]));
    const body = Buffer.concat([cipher.update('from before'), cipher.final()]);
    await mkdir(join(dir, 'vault'), { recursive: true });
    await writeFile(bundlePath('old-one'), Buffer.concat([Buffer.from('USHV'), Buffer.from([1]), iv, cipher.getAuthTag(), body]));
    const keychain = new MemoryKeychain('legacy', legacyKey);
    const vault = await Vault.open({ dir, keychain });
    expect((await vault.load('old-one')).toString()).toBe('from before');
    expect((await keyOf(keychain)).equals(legacyKey)).toBe(true); // opening never rewrites the entry
    expect(await vault.rotateKey()).toEqual({ rotated: 1, failed: [], keyVersion: 2, retired: [1] });
    expect((await readFile(bundlePath('old-one')))[4]).toBe(2);
    expect((await (await Vault.open({ dir, keychain })).load('old-one')).toString()).toBe('from before');
  });

  it('round-trips a secret, also through a fresh open', async () => {
    const keychain = new MemoryKeychain();
    const secret = randomBytes(3000);
    const vault = await Vault.open({ dir, keychain });
    await vault.save('profile-1', secret);
    expect((await vault.load('profile-1')).equals(secret)).toBe(true);
    const again = await Vault.open({ dir, keychain });
    expect((await again.load('profile-1')).equals(secret)).toBe(true);
    expect(await again.list()).toEqual(['profile-1']);
    // replacing works
    await again.save('profile-1', Buffer.from('second'));
    expect((await vault.load('profile-1')).toString()).toBe('second');
  });

  it('writes mode 0600 files in a 0700 folder, with the USHV header and no temporary files left', async () => {
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain() });
    await vault.save('abc', Buffer.from('hello'));
    const file = await readFile(bundlePath('abc'));
    expect(file.subarray(0, 4).toString('ascii')).toBe('USHV');
    expect(file[4]).toBe(2); // format
    expect(file.readUInt32BE(5)).toBe(1); // the key version that sealed it
    expect(file.length).toBe(4 + 1 + 4 + 12 + 16 + 5);
    expect(await readdir(join(dir, 'vault'))).toEqual(['abc.bundle']);
    if (posix) {
      expect((await stat(bundlePath('abc'))).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'vault'))).mode & 0o777).toBe(0o700);
    }
  });

  it('never writes the secret or its base64 to disk, and uses a fresh IV each time', async () => {
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain() });
    const secret = Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n');
    await vault.save('key', secret);
    const first = await readFile(bundlePath('key'));
    expect(first.includes(secret)).toBe(false);
    expect(first.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
    expect(first.toString('latin1').includes(secret.toString('base64'))).toBe(false);
    expect(first.toString('base64').includes(secret.toString('base64'))).toBe(false);
    await vault.save('key', secret);
    const second = await readFile(bundlePath('key'));
    expect(second.subarray(5, 17).equals(first.subarray(5, 17))).toBe(false);
  });

  it.each([
    ['the version byte', 4],
    ['the IV', 8],
    ['the tag', 20],
    ['the ciphertext', 40],
  ])('a changed byte in %s makes the bundle unreadable, not a crash', async (_what, offset) => {
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain() });
    await vault.save('tamper', randomBytes(64));
    const file = await readFile(bundlePath('tamper'));
    file[offset] = (file[offset] ?? 0) ^ 0x01;
    await writeFile(bundlePath('tamper'), file);
    const err = await vaultError(vault.load('tamper'));
    expect(err.code).toBe('BUNDLE_UNREADABLE');
    expect(err.message).toMatch(/the stored certificates for this profile can no longer be decrypted/);
    expect(err.hint).toMatch(/re-import the certificates/);
    expect(err.bundleId).toBe('tamper');
  });

  it('a truncated or foreign file is unreadable', async () => {
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain() });
    await vault.save('short', Buffer.from('x'));
    await writeFile(bundlePath('short'), Buffer.from('USHV'));
    expect((await vaultError(vault.load('short'))).code).toBe('BUNDLE_UNREADABLE');
    await writeFile(bundlePath('short'), Buffer.alloc(100, 0x41));
    expect((await vaultError(vault.load('short'))).code).toBe('BUNDLE_UNREADABLE');
  });

  it('a bundle copied to another id does not open (the id is authenticated)', async () => {
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain() });
    await vault.save('alice', Buffer.from('alice-secret'));
    await copyFile(bundlePath('alice'), bundlePath('mallory'));
    const err = await vaultError(vault.load('mallory'));
    expect(err.code).toBe('BUNDLE_UNREADABLE');
    expect((await vault.load('alice')).toString()).toBe('alice-secret');
  });

  it('when the data key is gone, stored bundles are unreadable with a re-import hint', async () => {
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain() });
    await vault.save('profile', Buffer.from('secret'));
    const other = await Vault.open({ dir, keychain: new MemoryKeychain() }); // new key made, file kept
    expect(other.mode.kind).toBe('keychain');
    const err = await vaultError(other.load('profile'));
    expect(err.code).toBe('BUNDLE_UNREADABLE');
    expect(err.message).toMatch(/can no longer be decrypted/);
    expect(err.hint).toMatch(/re-import/);
    expect(existsSync(bundlePath('profile'))).toBe(true);
  });

  it('remove deletes the file; a missing bundle is BUNDLE_NOT_FOUND; removing twice is fine', async () => {
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain() });
    await vault.save('gone', Buffer.from('x'));
    await vault.remove('gone');
    expect(existsSync(bundlePath('gone'))).toBe(false);
    await vault.remove('gone');
    const err = await vaultError(vault.load('gone'));
    expect(err.code).toBe('BUNDLE_NOT_FOUND');
    expect(await vault.list()).toEqual([]);
  });

  it('a data folder where the write lock cannot be made is BUNDLE_UNWRITABLE naming it, not a raw fs error', async () => {
    await writeFile(join(dir, 'file'), 'not a folder');
    const data = join(dir, 'file', 'usher');
    const vault = await Vault.open({ dir: data, keychain: keychainWith('k', 1, randomBytes(32)) });
    expect(vault.mode.kind).toBe('keychain');
    const err = await vaultError(vault.save('blocked', Buffer.from('secret')));
    expect(err.code).toBe('BUNDLE_UNWRITABLE');
    expect(err.message).toContain(`the Usher data folder ${data} cannot be written`);
  });

  it('a vault folder that cannot be written is BUNDLE_UNWRITABLE naming the folder, not a raw fs error', async () => {
    await writeFile(join(dir, 'vault'), 'not a folder');
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain() });
    const err = await vaultError(vault.save('blocked', Buffer.from('secret')));
    expect(err.code).toBe('BUNDLE_UNWRITABLE');
    expect(err.bundleId).toBe('blocked');
    expect(err.hint).toContain(join(dir, 'vault'));
  });

  it('refuses bad ids before touching anything', async () => {
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain() });
    for (const id of ['', 'Upper', '../escape', 'a/b', 'a.b', 'a b', 'x'.repeat(65), 'é']) {
      await expect(vault.save(id, Buffer.from('x'))).rejects.toThrow(VaultError);
      for (const call of [() => vault.save(id, Buffer.from('x')), () => vault.load(id), () => vault.remove(id)]) {
        await expect(call(), id).rejects.toMatchObject({ code: 'BAD_BUNDLE_ID' });
      }
    }
    await vault.save('x'.repeat(64), Buffer.from('ok'));
    expect(existsSync(join(dir, 'escape.bundle'))).toBe(false);
    expect(await vault.list()).toEqual(['x'.repeat(64)]);
  });

  it('list ignores foreign files and sorts', async () => {
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain() });
    await vault.save('b', Buffer.from('1'));
    await vault.save('a', Buffer.from('2'));
    await writeFile(join(dir, 'vault', 'notes.txt'), 'x');
    await writeFile(join(dir, 'vault', 'UPPER.bundle'), 'x');
    expect(await vault.list()).toEqual(['a', 'b']);
  });

  it('two processes opening for the first time at once converge on one key', async () => {
    const keychain = new MemoryKeychain();
    const [a, b] = await Promise.all([Vault.open({ dir, keychain }), Vault.open({ dir, keychain })]);
    await a.save('from-a', Buffer.from('A'));
    expect((await b.load('from-a')).toString()).toBe('A');
  });

  it('a wrong-length key in the keychain is never overwritten: memory mode with the reason', async () => {
    const odd = Buffer.alloc(16, 7);
    const keychain = new MemoryKeychain('test keychain', odd);
    const vault = await Vault.open({ dir, keychain });
    expect(vault.mode.kind).toBe('memory');
    if (vault.mode.kind === 'memory')
      expect(vault.mode.reason).toMatch(/16 bytes that are neither a 32-byte Usher data key nor a Usher key ring.*left untouched/);
    expect((await keyOf(keychain)).equals(odd)).toBe(true);
    await vault.save('p', Buffer.from('x'));
    expect(existsSync(join(dir, 'vault'))).toBe(false);
  });
});

describe('Vault.rotateKey', () => {
  it('re-encrypts every bundle: the old key no longer opens them, the new one does', async () => {
    const keychain = new MemoryKeychain();
    const vault = await Vault.open({ dir, keychain });
    const secrets = new Map([
      ['one', randomBytes(100)],
      ['two', randomBytes(5000)],
      ['three', Buffer.alloc(0)],
    ]);
    for (const [id, s] of secrets) await vault.save(id, s);
    const oldKey = (await ringOf(keychain)).keys.get(1)!;
    const before = await readFile(bundlePath('one'));

    expect(await vault.rotateKey()).toEqual({ rotated: 3, failed: [], keyVersion: 2, retired: [1] });

    // the old key is retired: the ring holds only the new one
    const ring = await ringOf(keychain);
    expect(ring.current).toBe(2);
    expect([...ring.keys.keys()]).toEqual([2]);
    const newKey = ring.keys.get(2)!;
    expect(newKey.equals(oldKey)).toBe(false);
    expect((await readFile(bundlePath('one'))).readUInt32BE(5)).toBe(2);
    expect((await readFile(bundlePath('one'))).equals(before)).toBe(false);
    expect((await readdir(join(dir, 'vault'))).sort()).toEqual(['one.bundle', 'three.bundle', 'two.bundle']);
    if (posix) expect((await stat(bundlePath('two'))).mode & 0o777).toBe(0o600);

    // the same instance keeps working with the new key
    for (const [id, s] of secrets) expect((await vault.load(id)).equals(s)).toBe(true);
    // a fresh open with the new key reads everything
    const fresh = await Vault.open({ dir, keychain: keychainWith('new', 2, newKey) });
    for (const [id, s] of secrets) expect((await fresh.load(id)).equals(s)).toBe(true);
    // the old key no longer opens them
    const stale = await Vault.open({ dir, keychain: keychainWith('old', 1, oldKey) });
    for (const id of secrets.keys()) expect((await vaultError(stale.load(id))).code).toBe('BUNDLE_UNREADABLE');
  });

  it('lists bundles that were already unreadable as failed and leaves them untouched', async () => {
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain() });
    await vault.save('good', Buffer.from('g'));
    await vault.save('bad', Buffer.from('b'));
    const file = await readFile(bundlePath('bad'));
    file[40 - 7] = (file[40 - 7] ?? 0) ^ 0xff;
    await writeFile(bundlePath('bad'), file);
    const keychain = (vault as unknown as { keychain: Keychain }).keychain;
    // 'bad' still names key 1: that key is kept (it is the only one that could ever open it)
    expect(await vault.rotateKey()).toEqual({ rotated: 1, failed: ['bad'], keyVersion: 2, retired: [] });
    expect([...(await ringOf(keychain)).keys.keys()]).toEqual([1, 2]);
    expect((await readFile(bundlePath('bad'))).equals(file)).toBe(true);
    expect((await vault.load('good')).toString()).toBe('g');
  });

  it('when the new key cannot be stored, nothing changes and the staging files are gone', async () => {
    const inner = new MemoryKeychain();
    let refuse = false;
    const keychain: Keychain = {
      name: 'flaky',
      getKey: () => inner.getKey(),
      setKey: async (k) => {
        if (refuse) throw new Error("Couldn't access platform storage: locked");
        await inner.setKey(k);
      },
      deleteKey: () => inner.deleteKey(),
    };
    const vault = await Vault.open({ dir, keychain });
    await vault.save('p', Buffer.from('keep me'));
    const oldKey = await keyOf(inner);
    refuse = true;
    await expect(vault.rotateKey()).rejects.toThrow(/locked/);
    expect((await keyOf(inner)).equals(oldKey)).toBe(true);
    expect(await readdir(join(dir, 'vault'))).toEqual(['p.bundle']);
    expect((await vault.load('p')).toString()).toBe('keep me');
  });

  it('a crash after the new key was stored is finished by the next open', async () => {
    const keychain = new MemoryKeychain();
    const vault = await Vault.open({ dir, keychain });
    await vault.save('a', Buffer.from('AAA'));
    await vault.save('b', Buffer.from('BBB'));
    const oldFiles = { a: await readFile(bundlePath('a')), b: await readFile(bundlePath('b')) };
    await vault.rotateKey();
    // rebuild the state "key stored, staging files not yet renamed": old bundles + new ones as .next
    for (const id of ['a', 'b'] as const) {
      await copyFile(bundlePath(id), `${bundlePath(id)}.next`);
      await writeFile(bundlePath(id), oldFiles[id]);
    }
    const reopened = await Vault.open({ dir, keychain });
    expect((await reopened.load('a')).toString()).toBe('AAA');
    expect((await reopened.load('b')).toString()).toBe('BBB');
    expect((await readdir(join(dir, 'vault'))).sort()).toEqual(['a.bundle', 'b.bundle']);
  });

  it('a crash before the new key was stored leaves the old bundles; stale staging files are cleared', async () => {
    const keychain = new MemoryKeychain();
    const vault = await Vault.open({ dir, keychain });
    await vault.save('a', Buffer.from('AAA'));
    await vault.save('b', Buffer.from('BBB'));
    const lostKey = randomBytes(32);
    await writeFile(`${bundlePath('a')}.next`, encryptBundle(lostKey, 1, 'a', Buffer.from('AAA')));
    await writeFile(`${bundlePath('b')}.next`, encryptBundle(lostKey, 1, 'b', Buffer.from('BBB')));
    const old = new Date(Date.now() - 60 * 60_000);
    await utimes(`${bundlePath('a')}.next`, old, old); // a dead rotation
    await writeFile(join(dir, 'vault', '.a.bundle.999.0123456789ab.tmp'), 'partial');
    await utimes(join(dir, 'vault', '.a.bundle.999.0123456789ab.tmp'), old, old);
    const reopened = await Vault.open({ dir, keychain });
    expect((await reopened.load('a')).toString()).toBe('AAA');
    expect((await reopened.load('b')).toString()).toBe('BBB');
    // b's staging file is young (might be another process mid-rotation): left alone
    expect((await readdir(join(dir, 'vault'))).sort()).toEqual(['a.bundle', 'b.bundle', 'b.bundle.next']);
    expect(await reopened.list()).toEqual(['a', 'b']);
  });

  it('a rotation interrupted after the new key was stored: every bundle still reads, the next rotation retires both old keys', async () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    // the state a crash leaves mid-way: the ring holds both keys, 'a' rewritten already, 'b' not yet
    const keychain = new MemoryKeychain(
      'k',
      encodeKeyRing({
        current: 2,
        keys: new Map([
          [1, k1],
          [2, k2],
        ]),
      }),
    );
    await mkdir(join(dir, 'vault'), { recursive: true });
    await writeFile(bundlePath('a'), encryptBundle(k2, 2, 'a', Buffer.from('AAA')));
    await writeFile(bundlePath('b'), encryptBundle(k1, 1, 'b', Buffer.from('BBB')));
    const vault = await Vault.open({ dir, keychain });
    expect((await vault.load('a')).toString()).toBe('AAA');
    expect((await vault.load('b')).toString()).toBe('BBB');
    expect(await vault.keyVersions()).toEqual({ current: 2, versions: [1, 2] });
    expect(await vault.rotateKey()).toEqual({ rotated: 2, failed: [], keyVersion: 3, retired: [1, 2] });
    expect(await vault.keyVersions()).toEqual({ current: 3, versions: [3] });
    expect((await vault.load('b')).toString()).toBe('BBB');
  });

  it('rotations that keep failing before they retire never grow the ring: keys no bundle names go at the next one', async () => {
    const inner = new MemoryKeychain();
    let calls = 0;
    // Every rotation stores its new key, then fails to store the retirement (a keychain that flickers).
    const keychain: Keychain = {
      name: 'flickering',
      getKey: () => inner.getKey(),
      setKey: async (k) => {
        calls += 1;
        if (calls > 1 && calls % 2 === 1) throw new Error('Platform failure: gone for a moment');
        await inner.setKey(k);
      },
      deleteKey: () => inner.deleteKey(),
    };
    const vault = await Vault.open({ dir, keychain });
    await vault.save('a', Buffer.from('AAA'));
    for (let i = 0; i < 20; i++) await expect(vault.rotateKey()).rejects.toThrow(/gone for a moment/);
    const ring = await ringOf(inner);
    expect(ring.current).toBe(21);
    expect([...ring.keys.keys()]).toEqual([20, 21]); // the previous key (its bundle's) and the new one
    expect((await (await Vault.open({ dir, keychain: inner })).load('a')).toString()).toBe('AAA');
  });

  it('a vault opened before another one rotated re-reads the ring before it writes and after a miss', async () => {
    const keychain = new MemoryKeychain();
    const held = await Vault.open({ dir, keychain }); // the console, say
    await held.save('old', Buffer.from('O'));
    const other = await Vault.open({ dir, keychain }); // a CLI run
    await other.rotateKey();
    await other.rotateKey(); // key 1, which `held` knew, is retired now
    await held.save('new', Buffer.from('N'));
    expect((await readFile(bundlePath('new'))).readUInt32BE(5)).toBe(3);
    const fresh = await Vault.open({ dir, keychain });
    expect((await fresh.load('new')).toString()).toBe('N');
    expect((await fresh.load('old')).toString()).toBe('O');
    // and a read of a bundle sealed by a key `other` made after `fresh` opened
    await other.rotateKey();
    expect((await fresh.load('old')).toString()).toBe('O');
  });

  it('runs one operation at a time within a process', async () => {
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain() });
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) ops.push(vault.save(`p${i}`, Buffer.from(`v${i}`)));
    ops.push(vault.rotateKey());
    for (let i = 10; i < 15; i++) ops.push(vault.save(`p${i}`, Buffer.from(`v${i}`)));
    await Promise.all(ops);
    for (let i = 0; i < 15; i++) expect((await vault.load(`p${i}`)).toString()).toBe(`v${i}`);
  });
});

describe('Vault in memory mode (no usable keychain)', () => {
  it('a keychain whose calls throw gives memory mode with the reason, and nothing on disk', async () => {
    const keychain = new FailingKeychain();
    const vault = await Vault.open({ dir, keychain });
    expect(vault.mode.kind).toBe('memory');
    if (vault.mode.kind === 'memory') expect(vault.mode.reason).toMatch(/no keychain here/);
    const secret = Buffer.from('in memory only');
    await vault.save('p', secret);
    secret.fill(0); // the vault keeps its own copy
    expect((await vault.load('p')).toString()).toBe('in memory only');
    expect(await vault.list()).toEqual(['p']);
    expect(existsSync(join(dir, 'vault'))).toBe(false);
    expect(await readdir(dir)).toEqual([]);
    await vault.remove('p');
    expect((await vaultError(vault.load('p'))).code).toBe('BUNDLE_NOT_FOUND');
    expect((await vaultError(vault.rotateKey())).code).toBe('KEYCHAIN_UNAVAILABLE');
  });

  it("a profile's certificates kept in memory by an earlier run: the error names the profile and why", async () => {
    const set = {
      certPem: fixtures.client().certPem,
      keyPem: fixtures.client().keyPem,
      caPem: fixtures.ca().certPem,
      source: { kind: 'pem' as const, files: [] },
    };
    const first = await Vault.open({ dir, keychain: new FailingKeychain() });
    const certificates = await saveProfileCertificates(first, 'lab', set);
    expect(certificates.storage).toBe('memory');
    const profile = { id: 'lab', name: 'Lab', certificates } as Profile;
    expect((await loadProfileCertificates(first, profile, 'import them again')).keyPem).toBe(set.keyPem);

    const nextRun = await Vault.open({ dir, keychain: new FailingKeychain() });
    const err = await vaultError(loadProfileCertificates(nextRun, profile, 'import them again'));
    expect(err.code).toBe('BUNDLE_NOT_FOUND');
    expect(err.message).toMatch(/^the certificates of profile "Lab" are gone: they were kept in memory only/);
    expect(err.hint).toBe('import them again');
  });

  it('a keychain that has no key and refuses to store one gives memory mode', async () => {
    const keychain: Keychain = {
      name: 'read-only',
      getKey: async () => undefined,
      setKey: async () => {
        throw new VaultError('KEYCHAIN_REFUSED', 'the read-only refused to store the data key', 'unlock it');
      },
      deleteKey: async () => undefined,
    };
    const vault = await Vault.open({ dir, keychain });
    expect(vault.mode).toEqual({ kind: 'memory', reason: 'the read-only refused to store the data key', hint: 'unlock it' });
  });

  it('a bundle stored on disk by an earlier run is reported unreadable for this run, not missing', async () => {
    const first = await Vault.open({ dir, keychain: new MemoryKeychain() });
    await first.save('p', Buffer.from('x'));
    const vault = await Vault.open({ dir, keychain: new FailingKeychain() });
    const err = await vaultError(vault.load('p'));
    expect(err.code).toBe('BUNDLE_UNREADABLE');
    expect(err.message).toMatch(/no usable keychain/);
    expect(existsSync(bundlePath('p'))).toBe(true);
  });
});

describe('OsKeychain (with fake entries)', () => {
  function fakeEntry(overrides: Partial<KeyringEntryLike> = {}): { entry: KeyringEntryLike; stored: { value: string | null } } {
    const stored = { value: null as string | null };
    const entry: KeyringEntryLike = {
      getPassword: async () => stored.value,
      setPassword: async (p) => {
        stored.value = p;
      },
      deletePassword: async () => {
        const had = stored.value !== null;
        stored.value = null;
        return had;
      },
      ...overrides,
    };
    return { entry, stored };
  }

  it('stores the key as base64 and reads it back', async () => {
    const { entry, stored } = fakeEntry();
    const keychain = new OsKeychain('Usher-unit', 'k', { createEntry: () => entry });
    expect(await keychain.getKey()).toBeUndefined();
    const key = randomBytes(32);
    await keychain.setKey(key);
    expect(stored.value).toBe(key.toString('base64'));
    expect((await keychain.getKey())?.equals(key)).toBe(true);
    await keychain.deleteKey();
    expect(await keychain.getKey()).toBeUndefined();
  });

  it('times out a hanging keychain as KEYCHAIN_UNAVAILABLE and aborts the call', async () => {
    let aborted = false;
    const { entry } = fakeEntry({
      getPassword: (signal) =>
        new Promise((_, reject) => {
          signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
    });
    const keychain = new OsKeychain('Usher-unit', 'k', { timeoutMs: 50, createEntry: () => entry });
    const err = await vaultError(keychain.getKey());
    expect(err.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(err.message).toMatch(/did not answer within 0.05 s/);
    expect(aborted).toBe(true);
    const vault = await Vault.open({ dir, keychain });
    expect(vault.mode.kind).toBe('memory');
  });

  it('maps failures: no storage access -> REFUSED, platform failure or no store -> UNAVAILABLE', async () => {
    const refused = new OsKeychain('s', 'a', {
      createEntry: () =>
        fakeEntry({ getPassword: async () => Promise.reject(new Error("Couldn't access platform storage: Secret Service: no result found")) }).entry,
    });
    const err1 = await vaultError(refused.getKey());
    expect(err1.code).toBe('KEYCHAIN_REFUSED');
    expect(err1.message).toMatch(/no result found/);
    expect(err1.cause).toBeInstanceOf(Error);

    const unavailable = new OsKeychain('s', 'a', {
      createEntry: () => {
        throw new Error('Platform failure: DBus error: set your DBUS_SESSION_BUS_ADDRESS instead');
      },
    });
    const err2 = await vaultError(unavailable.setKey(randomBytes(32)));
    expect(err2.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(err2.message).toMatch(/DBUS_SESSION_BUS_ADDRESS/);
    expect(err2.hint.length).toBeGreaterThan(10);
  });

  it('an entry that is not base64 is reported and left alone', async () => {
    const { entry, stored } = fakeEntry();
    stored.value = 'not a key!';
    const keychain = new OsKeychain('s', 'a', { createEntry: () => entry });
    const vault = await Vault.open({ dir, keychain });
    expect(vault.mode.kind).toBe('memory');
    if (vault.mode.kind === 'memory') expect(vault.mode.reason).toMatch(/not base64/);
    expect(stored.value).toBe('not a key!');
  });
});
