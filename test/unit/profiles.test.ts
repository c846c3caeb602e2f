import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAtomicTempName, writeFileAtomic } from '../../electron/core/fs/atomic-write';
import { ProfileError, ProfileStore } from '../../electron/core/profiles';
import { createProfileWithCertificates, loadProfileCertificates, replaceProfileCertificates } from '../../electron/core/profiles/certificate-bundle';
import { MemoryKeychain, Vault } from '../../electron/core/vault';
import { fixtures } from '../support/cert-fixtures';
import type { Profile } from '../../shared/profile';
import { isHttpsBaseUrl, profileIdFromName, profileNameProblem, validateProfile } from '../../shared/profile';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');
const POSIX = process.platform !== 'win32';

function profile(name: string, overrides: Partial<Profile> = {}): Profile {
  return {
    id: profileIdFromName(name),
    name,
    qps: 'https://qlik1:4243',
    qrs: 'https://qlik1:4242',
    defaultVirtualProxy: 'ticket',
    defaultUserDirectory: 'DEMO',
    nodes: [
      { name: 'central', hostName: 'qlik1', qps: 'https://qlik1:4243', proxy: 'https://qlik1', virtualProxies: ['', 'ticket'] },
      { name: 'rim', hostName: '::1', qps: 'https://[::1]:4243', virtualProxies: ['ticket'] },
    ],
    virtualProxies: [
      {
        id: 'vp-0',
        prefix: '',
        description: 'Central Proxy (Default)',
        authenticationMethod: 0,
        sessionCookieHeaderName: 'X-Qlik-Session',
        authenticationModuleRedirectUri: '',
      },
      {
        id: 'vp-1',
        prefix: 'ticket',
        description: 'Ticket',
        authenticationMethod: 0,
        sessionCookieHeaderName: 'X-Qlik-Session-ticket',
        authenticationModuleRedirectUri: 'https://auth.example.com/login',
      },
    ],
    discoveredAt: '2025-01-31T12:00:00.000Z',
    certificates: {
      bundleId: 'bundle-0123456789abcdef',
      clientSubject: 'CN=QlikClient',
      clientFingerprint256: FINGERPRINT,
      rootSubject: 'CN=qlik1-CA',
      validTo: '2035-01-01T00:00:00.000Z',
      storage: 'keychain',
    },
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function demo(): Profile {
  return { ...profile('Demo site'), id: 'demo', certificates: undefined, builtIn: true } as Profile;
}

/** The ProfileError `promise` rejects with (Vitest's rejects checks it), for the fields a test looks at. */
async function rejection(promise: Promise<unknown>): Promise<ProfileError> {
  await expect(promise).rejects.toBeInstanceOf(ProfileError);
  return promise.then(
    () => expect.unreachable(),
    (err: unknown) => err as ProfileError,
  );
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'usher-profiles-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('profileIdFromName', () => {
  it.each([
    ['Prod (EU)', 'prod-eu'],
    ['  Ça  marche!  ', 'ca-marche'],
    ['Qlik__Test--2', 'qlik-test-2'],
    ['日本', 'profile'],
    ['', 'profile'],
  ])('%j -> %s', (name, id) => {
    expect(profileIdFromName(name)).toBe(id);
  });
  it('stays within 64 characters and never ends with a dash', () => {
    const id = profileIdFromName(`${'a'.repeat(63)} b`);
    expect(id).toBe('a'.repeat(63));
    expect(id).toMatch(/^[a-z0-9-]{1,64}$/);
  });
});

describe('validateProfile', () => {
  it('accepts a full profile and returns a clean copy', () => {
    const input = { ...profile('Prod'), qps: 'https://qlik1:4243/', extra: 'dropped' } as Profile;
    const result = validateProfile(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.profile.qps).toBe('https://qlik1:4243');
    expect(result.profile).not.toHaveProperty('extra');
    expect(result.profile).toEqual({ ...profile('Prod') });
  });

  it('names each bad field with its path', () => {
    const bad = profile('Prod');
    const value = JSON.parse(JSON.stringify(bad)) as Record<string, any>;
    value.id = 'Prod!';
    value.qrs = 'http://qlik1:4242';
    value.nodes[1].qps = 'https://qlik1:4243/qps/ticket';
    value.nodes[0].virtualProxies = ['Ticket'];
    value.virtualProxies[1].authenticationMethod = 1.5;
    value.certificates.storage = 'disk';
    value.updatedAt = 'yesterday';
    const result = validateProfile(value);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.errors.map((e) => e.split(':')[0]);
    expect(paths).toEqual([
      'id',
      'qrs',
      'nodes[0].virtualProxies[0]',
      'nodes[1].qps',
      'virtualProxies[1].authenticationMethod',
      'certificates.storage',
      'updatedAt',
    ]);
    expect(result.errors).toContain('nodes[1].qps: must be an https URL like https://host:4243 (no path), got "https://qlik1:4243/qps/ticket"');
  });

  it('refuses non-objects, missing fields, bad names and duplicate prefixes', () => {
    expect(validateProfile(null)).toEqual({ ok: false, errors: ['profile: must be an object, got null'] });
    const empty = validateProfile({});
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.errors).toContain('nodes: is missing');

    const dup = profile('Prod');
    dup.virtualProxies.push({ ...dup.virtualProxies[1]!, id: 'vp-2' });
    const r = validateProfile(dup);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual(['virtualProxies[2].prefix: duplicates virtualProxies[1] (prefix "ticket")']);

    const spaced = validateProfile(profile(' Prod'));
    expect(spaced.ok).toBe(false);
    if (!spaced.ok) expect(spaced.errors[0]).toMatch(/^name: must not start or end with white space/);
    expect(profileNameProblem('a\nb')).toBe('must not contain control characters');
    expect(profileNameProblem('Prod')).toBeUndefined();
  });

  it('checks the certificate summary: fingerprint, bundle id, ISO expiry', () => {
    const p = profile('Prod');
    const value = { ...p, certificates: { ...p.certificates!, clientFingerprint256: 'abc', bundleId: '../x', validTo: 'Mar 25 12:00:00 2026 GMT' } };
    const r = validateProfile(value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.split(':')[0])).toEqual(['certificates.bundleId', 'certificates.clientFingerprint256', 'certificates.validTo']);
  });

  it('keeps a partition client certificate only as a SHA-256 fingerprint', () => {
    const fingerprint = Array(32).fill('AB').join(':');
    const kept = validateProfile({ ...profile('Prod'), partitionClientCertificate: fingerprint });
    expect(kept.ok && kept.profile.partitionClientCertificate).toBe(fingerprint);
    const absent = validateProfile(profile('Prod'));
    expect(absent.ok && 'partitionClientCertificate' in absent.profile).toBe(false);
    for (const bad of ['', 'CN=QlikClient', 42, null]) {
      const r = validateProfile({ ...profile('Prod'), partitionClientCertificate: bad });
      expect(r.ok, String(bad)).toBe(false);
      if (!r.ok) expect(r.errors[0]).toMatch(/^partitionClientCertificate: must be/);
    }
  });

  it('knows an https base URL', () => {
    for (const good of ['https://qlik1:4243', 'https://qlik.example.com', 'https://[::1]:4242', 'https://10.0.0.1:443/'])
      expect(isHttpsBaseUrl(good), good).toBe(true);
    for (const bad of [
      'http://qlik1:4243',
      'https://qlik1:4243/qps',
      'https://qlik1:0',
      'https://qlik1:70000',
      'https://',
      'https://user@qlik1',
      'qlik1:4243',
      'https://qlik1:4243?x=1',
    ])
      expect(isHttpsBaseUrl(bad), bad).toBe(false);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file with mode 0600 and leaves no temporary file', async () => {
    const file = join(dir, 'a.json');
    await writeFile(file, 'old', { mode: 0o644 });
    if (POSIX) await chmod(file, 0o644);
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    if (POSIX) expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['a.json']);
  });
  it('cleans its temporary file when the rename fails', async () => {
    const target = join(dir, 'sub');
    await mkdir(join(target, 'blocker'), { recursive: true });
    // Renaming a file over a non-empty folder fails on every OS.
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect((await readdir(dir)).filter(isAtomicTempName)).toEqual([]);
    expect(await readdir(dir)).toEqual(['sub']);
  });
});

describe('ProfileStore storage failures', () => {
  it('a profiles folder that is not a folder is STORAGE_FAILED naming it, for list and save alike', async () => {
    await writeFile(join(dir, 'profiles'), 'not a folder');
    const store = new ProfileStore(dir);
    for (const attempt of [() => store.list(), () => store.save(profile('Prod'))]) {
      const err = await rejection(attempt());
      expect(err.code).toBe('STORAGE_FAILED');
      expect(err.message).toContain(join(dir, 'profiles'));
    }
  });
});

describe('ProfileStore', () => {
  it('round-trips save, get, list and remove', async () => {
    const now = new Date('2025-02-01T10:00:00.000Z');
    const store = new ProfileStore(dir, { now: () => now });
    const saved = await store.save(profile('Prod EU'));
    expect(saved.updatedAt).toBe(now.toISOString());
    expect(saved.createdAt).toBe('2025-01-01T00:00:00.000Z');
    await store.save(profile('Acme'));

    expect(await store.get('prod-eu')).toEqual(saved);
    expect(await store.get('  PROD eu ')).toEqual(saved);
    const { profiles, problems } = await store.list();
    expect(problems).toEqual([]);
    expect(profiles.map((p) => p.id)).toEqual(['acme', 'prod-eu']);

    // A fresh store reads the same files.
    expect((await new ProfileStore(dir).get('prod-eu')).certificates?.bundleId).toBe('bundle-0123456789abcdef');

    const removed = await store.remove('Prod EU');
    expect(removed.id).toBe('prod-eu');
    expect((await store.list()).profiles.map((p) => p.id)).toEqual(['acme']);
    const missing = await rejection(store.get('prod-eu'));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.hint).toContain('Acme (acme)');
  });

  it('keeps createdAt of the stored profile and the id on rename', async () => {
    let clock = new Date('2025-02-01T10:00:00.000Z');
    const store = new ProfileStore(dir, { now: () => clock });
    await store.save(profile('Prod'));
    clock = new Date('2025-03-01T10:00:00.000Z');
    const renamed = await store.save({ ...profile('Prod'), name: 'Production', createdAt: '2030-01-01T00:00:00.000Z' });
    expect(renamed).toMatchObject({ id: 'prod', name: 'Production', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: clock.toISOString() });
    expect((await store.list()).profiles.map((p) => p.name)).toEqual(['Production']);
  });

  it('writes atomically: 0600 files in a 0700 folder, no temporary files left', async () => {
    const store = new ProfileStore(dir);
    await store.save(profile('Prod'));
    await store.save(profile('Prod'));
    const folder = join(dir, 'profiles');
    expect(await readdir(folder)).toEqual(['prod.json']);
    if (POSIX) {
      expect((await stat(join(folder, 'prod.json'))).mode & 0o777).toBe(0o600);
      expect((await stat(folder)).mode & 0o777).toBe(0o700);
    }
    const onDisk = JSON.parse(await readFile(join(folder, 'prod.json'), 'utf8'));
    expect(onDisk.schemaVersion).toBe(1);
    expect(onDisk.profile.id).toBe('prod');
  });

  it('keeps names unique case-insensitively', async () => {
    const store = new ProfileStore(dir);
    await store.save(profile('Prod'));
    const err = await rejection(store.save({ ...profile('PROD'), id: 'other' }));
    expect(err.code).toBe('NAME_TAKEN');
    expect((await store.list()).profiles).toHaveLength(1);
  });

  it('refuses an invalid profile with INVALID and the paths', async () => {
    const store = new ProfileStore(dir);
    const err = await rejection(store.save({ ...profile('Prod'), qps: 'http://qlik1:4243' }));
    expect(err.code).toBe('INVALID');
    expect(err.details).toEqual(['qps: must be an https URL like https://host:4243 (no path), got "http://qlik1:4243"']);
    expect(err.message).toContain('qps: must be an https URL');
  });

  it('moves corrupt and schema-invalid files aside, reports them, and still lists the good ones', async () => {
    const now = new Date('2025-02-01T10:00:00.000Z');
    const store = new ProfileStore(dir, { now: () => now });
    await store.save(profile('Good'));
    const folder = join(dir, 'profiles');
    await writeFile(join(folder, 'torn.json'), '{"schemaVersion":1,"profile":{"id":"to');
    await writeFile(join(folder, 'bad.json'), JSON.stringify({ schemaVersion: 1, profile: { ...profile('Bad'), qrs: 'ftp://x' } }));
    await writeFile(join(folder, 'renamed.json'), JSON.stringify({ schemaVersion: 1, profile: profile('Elsewhere') }));
    await writeFile(join(folder, 'future.json'), JSON.stringify({ schemaVersion: 2, profile: {} }));

    const { profiles, problems } = await store.list();
    expect(profiles.map((p) => p.id)).toEqual(['good']);
    const stamp = '2025-02-01T10-00-00-000Z';
    expect(problems).toEqual([
      { file: join(folder, 'bad.json'), movedTo: join(folder, 'corrupt', `bad.${stamp}.json`), reason: expect.stringContaining('qrs: must be an https URL') },
      { file: join(folder, 'future.json'), reason: expect.stringContaining('newer Usher') },
      { file: join(folder, 'renamed.json'), movedTo: join(folder, 'corrupt', `renamed.${stamp}.json`), reason: expect.stringContaining('"elsewhere"') },
      { file: join(folder, 'torn.json'), movedTo: join(folder, 'corrupt', `torn.${stamp}.json`), reason: 'the file is not valid JSON' },
    ]);
    expect((await readdir(join(folder, 'corrupt'))).sort()).toEqual([`bad.${stamp}.json`, `renamed.${stamp}.json`, `torn.${stamp}.json`]);
    expect(await readFile(join(folder, 'corrupt', `torn.${stamp}.json`), 'utf8')).toBe('{"schemaVersion":1,"profile":{"id":"to');

    // Moved once: the next listing only reports the file left in place.
    expect((await store.list()).problems.map((p) => p.file)).toEqual([join(folder, 'future.json')]);
    // A second corrupt file of the same name in the same millisecond does not overwrite the first.
    await writeFile(join(folder, 'torn.json'), 'garbage');
    const again = await store.list();
    expect(again.problems[1]?.movedTo).toBe(join(folder, 'corrupt', `torn.${stamp}-1.json`));
  });

  it('a lookup that meets a damaged file says so, rather than only that the profile is gone', async () => {
    const store = new ProfileStore(dir, { now: () => new Date('2025-02-01T10:00:00.000Z') });
    await store.save(profile('Good'));
    const folder = join(dir, 'profiles');
    await writeFile(join(folder, 'prod.json'), '{"schemaVersion":1,"profile":{"id":"pr');

    const err = await rejection(store.get('prod'));
    expect(err.code).toBe('NOT_FOUND');
    const movedTo = join(folder, 'corrupt', 'prod.2025-02-01T10-00-00-000Z.json');
    expect(err.message).toBe(`No profile "prod"; a profile file could not be used: prod.json: the file is not valid JSON (moved to ${movedTo}).`);
    expect(err.hint).toMatch(/^Add the profile again, or repair the file and put it back in .*profiles\. Known profiles: Good \(good\)\.$/);
    // Without a damaged file the answer stays the short one.
    expect((await rejection(store.get('prod'))).message).toBe('No profile "prod".');
  });

  it('exports without the bundle id or any PEM, and imports under a free id', async () => {
    const store = new ProfileStore(dir);
    await store.save(profile('Prod'));
    const text = await store.exportProfile('prod');
    expect(text).not.toContain('bundle-0123456789abcdef');
    expect(text).not.toContain('bundleId');
    expect(text).not.toMatch(/-----BEGIN/);
    const exported = JSON.parse(text);
    expect(exported).toMatchObject({ format: 'usher-profile', version: 1, profile: { id: 'prod', name: 'Prod' } });
    expect(exported.profile.certificates).toEqual({
      clientSubject: 'CN=QlikClient',
      clientFingerprint256: FINGERPRINT,
      rootSubject: 'CN=qlik1-CA',
      validTo: '2035-01-01T00:00:00.000Z',
      storage: 'keychain',
    });

    // Same name: refused.
    expect((await rejection(store.importProfile(text))).code).toBe('NAME_TAKEN');
    // Another name whose slug is taken: a new id. Certificates do not travel.
    const other = new ProfileStore(dir);
    await other.save({ ...profile('Prod copy'), id: 'prod-copy' });
    const imported = await store.importProfile(text, { name: 'Prod Copy!' });
    expect(imported).toMatchObject({ id: 'prod-copy-2', name: 'Prod Copy!' });
    const clash = await store.importProfile(text.replace('"name": "Prod"', '"name": "Prod (second)"'));
    expect(clash.id).toBe('prod-2');
    expect(clash.certificates).toBeUndefined();
    expect((await store.get('prod-2')).virtualProxies).toHaveLength(2);
  });

  it('imports into an empty store with the exported id and drops smuggled secrets', async () => {
    const text = await new ProfileStore(dir).save(profile('Prod')).then(() => new ProfileStore(dir).exportProfile('Prod'));
    const other = await mkdtemp(join(tmpdir(), 'usher-profiles-b-'));
    try {
      const target = new ProfileStore(other);
      const doc = JSON.parse(text);
      doc.profile.keyPem = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----';
      doc.profile.certificates.bundleId = 'stolen';
      const imported = await target.importProfile(JSON.stringify(doc));
      expect(imported.id).toBe('prod');
      const file = await readFile(join(other, 'profiles', 'prod.json'), 'utf8');
      expect(file).not.toContain('PRIVATE KEY');
      expect(file).not.toContain('stolen');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('refuses garbage imports with BAD_EXPORT and a one-line message', async () => {
    const store = new ProfileStore(dir);
    const cases: Array<[string, RegExp]> = [
      ['not json at all\n{', /not JSON/],
      ['[]', /format/],
      [JSON.stringify({ format: 'usher-profile', version: 1 }), /no "profile"/],
      [JSON.stringify({ format: 'usher-profile', version: 1, profile: { name: 'X', qps: 'http://a' } }), /profile\.qps: must be an https URL/],
      [JSON.stringify({ format: 'usher-profile', version: 9, profile: {} }), /newer Usher/],
      [JSON.stringify({ format: 'usher-profile', version: 9, profile: [] }), /newer Usher/],
      [JSON.stringify({ format: 'usher-profile', version: '1', profile: {} }), /"version" is missing or not a whole number/],
      [JSON.stringify({ format: 'usher-profile', version: 1.5, profile: {} }), /"version" is missing or not a whole number/],
      [JSON.stringify({ format: 'usher-profile', version: 1, profile: ['x'] }), /no "profile"/],
      [JSON.stringify({ format: 'other', version: 1, profile: {} }), /no "format": "usher-profile"/],
    ];
    for (const [text, pattern] of cases) {
      const err = await rejection(store.importProfile(text));
      expect(err.code, text).toBe('BAD_EXPORT');
      expect(err.message).toMatch(pattern);
      expect(err.message).not.toContain('\n');
    }
    expect((await store.list()).profiles).toEqual([]);
  });

  it('lists built-ins first and never overwrites or removes them', async () => {
    const store = new ProfileStore(dir, { builtIns: [demo()] });
    await store.save(profile('Acme'));
    expect((await store.list()).profiles.map((p) => [p.id, p.builtIn ?? false])).toEqual([
      ['demo', true],
      ['acme', false],
    ]);
    expect((await rejection(store.remove('demo'))).code).toBe('BUILT_IN');
    expect((await rejection(store.remove('Demo site'))).code).toBe('BUILT_IN');
    expect((await rejection(store.save({ ...demo(), builtIn: undefined } as Profile))).code).toBe('BUILT_IN');
    expect((await rejection(store.save({ ...profile('DEMO SITE'), id: 'fake-demo' }))).code).toBe('NAME_TAKEN');
    expect(await readdir(join(dir, 'profiles'))).toEqual(['acme.json']);
    // The export of a built-in does not claim to be built in.
    expect(JSON.parse(await store.exportProfile('demo')).profile.builtIn).toBeUndefined();
    // Mutating a returned profile does not change the built-in.
    (await store.get('demo')).name = 'Changed';
    expect((await store.get('demo')).name).toBe('Demo site');
  });

  it('serialises concurrent saves: the second of two same-named profiles loses', async () => {
    const store = new ProfileStore(dir);
    const results = await Promise.allSettled([store.save(profile('Prod')), store.save({ ...profile('prod'), id: 'prod-b' })]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(await readdir(join(dir, 'profiles'))).toEqual(['prod.json']);
  });
});

describe('ProfileStore.create: ids unique and stable', () => {
  it("gives names that share an id candidate ids of their own, never another profile's", async () => {
    const store = new ProfileStore(dir);
    const names = ['Prod EU', 'Prod/EU', 'prod_eu!', '..', '.', '🚀', '🚀🚀'];
    const made: Profile[] = [];
    for (const name of names) made.push(await store.create(profile(name)));
    expect(made.map((p) => p.id)).toEqual(['prod-eu', 'prod-eu-2', 'prod-eu-3', 'profile', 'profile-2', 'profile-3', 'profile-4']);
    // every one is still there under its own name, with its own id
    const { profiles } = await store.list();
    expect(profiles.map((p) => `${p.id}=${p.name}`).sort()).toEqual(made.map((p) => `${p.id}=${p.name}`).sort());
    expect((await store.get('Prod/EU')).id).toBe('prod-eu-2');
    expect((await store.get('Prod EU')).id).toBe('prod-eu');
  });

  it("refuses a name in use (any case) and a name that is another profile's id, writing nothing", async () => {
    const store = new ProfileStore(dir);
    await store.create(profile('Prod EU'));
    const same = await rejection(store.create(profile('PROD eu')));
    expect(same.code).toBe('NAME_TAKEN');
    expect(same.message).toContain('"Prod EU"');
    const asId = await rejection(store.create(profile('prod-eu')));
    expect(asId.code).toBe('NAME_TAKEN');
    expect(asId.message).toBe('"prod-eu" is the id of the profile "Prod EU".');
    expect(await readdir(join(dir, 'profiles'))).toEqual(['prod-eu.json']);
  });

  it('a rename keeps the id and the certificates; a new profile under the old name gets its own', async () => {
    const store = new ProfileStore(dir);
    const first = await store.create(profile('Prod'));
    const renamed = await store.save({ ...first, name: 'Production' });
    expect(renamed.id).toBe('prod');
    expect(renamed.certificates?.bundleId).toBe(first.certificates?.bundleId);
    const again = await store.create(profile('Prod', { certificates: { ...first.certificates!, bundleId: 'bundle-other' } }));
    expect(again.id).toBe('prod-2');
    expect((await store.get('Production')).certificates?.bundleId).toBe(first.certificates?.bundleId);
    expect((await store.get('Prod')).certificates?.bundleId).toBe('bundle-other');
  });
});

describe('profiles with certificates in the vault', () => {
  it('"Prod EU" and "Prod/EU" each keep their own certificates; replacing swaps the bundle and removes the old one', async () => {
    const vault = await Vault.open({ dir, keychain: new MemoryKeychain() });
    const store = new ProfileStore(dir);
    const set = (marker: string) => ({
      certPem: fixtures.client().certPem,
      keyPem: fixtures.client().keyPem,
      caPem: fixtures.ca().certPem,
      source: { kind: 'pem' as const, files: [marker] },
    });
    const bare = (name: string) => ({ ...profile(name), certificates: undefined });
    const a = await createProfileWithCertificates(store, vault, bare('Prod EU'), set('A'));
    const b = await createProfileWithCertificates(store, vault, bare('Prod/EU'), set('B'));
    expect([a.id, b.id]).toEqual(['prod-eu', 'prod-eu-2']);
    expect(a.certificates!.bundleId).not.toBe(b.certificates!.bundleId);
    const marker = async (name: string) => (await loadProfileCertificates(vault, await store.get(name), 'x')).source.files[0];
    expect([await marker('Prod EU'), await marker('Prod/EU')]).toEqual(['A', 'B']);

    // the same name again: refused, and its bundle is not left behind
    await expect(createProfileWithCertificates(store, vault, bare('prod eu'), set('C'))).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    expect((await vault.list()).sort()).toEqual([a.certificates!.bundleId, b.certificates!.bundleId].sort());

    const replaced = await replaceProfileCertificates(store, vault, a, set('A2'));
    expect(replaced.id).toBe('prod-eu');
    expect([await marker('Prod EU'), await marker('Prod/EU')]).toEqual(['A2', 'B']);
    expect((await vault.list()).sort()).toEqual([replaced.certificates!.bundleId, b.certificates!.bundleId].sort());
  });
});
