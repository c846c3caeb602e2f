// Site profiles on disk: one JSON file per profile in <data>/profiles/<id>.json, written atomically with
// mode 0600. A file that cannot be read as a profile is moved aside to profiles/corrupt/ and reported,
// never a crash: the other profiles still list. Built-in profiles (the demo site) live in memory only.
// Secrets never live here: a profile holds a reference to its vault bundle and a non-secret summary.
//
// Ids: derived from the name ("Prod EU" -> prod-eu), made unique when a new profile is created
// ("Prod/EU" -> prod-eu-2; names without a-z/0-9 -> profile, profile-2, ...) and never changed after, so
// a rename keeps the id and the certificates that go with it. Creating, saving, importing and removing
// hold the data folder's write lock (core/fs/write-lock): two processes never pick the same id or name.
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Profile, ProfileExport } from '../../../shared/profile';
import {
  PROFILE_EXPORT_FORMAT,
  PROFILE_EXPORT_VERSION,
  PROFILE_ID_PATTERN,
  PROFILE_SCHEMA_VERSION,
  profileIdFromName,
  profileNameProblem,
  validateProfile,
} from '../../../shared/profile';
import { errorMessage } from '../error-text';
import { writeFileAtomic } from '../fs/atomic-write';
import { errorCode } from '../fs/error-code';
import { exists } from '../fs/exists';
import * as v from 'valibot';
import { firstProblem, is, literal, looseRecord, number, optional, plainObject } from '../../../shared/schema';
import { LockBusyError, withWriteLock } from '../fs/write-lock';
import { dataWriteLockPath } from '../paths';
import { ProfileError, summarise } from './errors';

/** A profile file that could not be used. `movedTo` is absent when the file was left where it is. */
export interface ProfileProblem {
  file: string;
  movedTo?: string;
  reason: string;
}

export interface ProfileStoreOptions {
  /** Profiles the app supplies (the demo site): listed first, never written, never removed. */
  builtIns?: Profile[];
  /** The clock, for tests. */
  now?: () => Date;
}

/** What a profile file holds. */
interface StoredFile {
  schemaVersion: number;
  profile: Profile;
}

function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

function label(profile: Profile): string {
  return profile.name === profile.id ? profile.name : `${profile.name} (${profile.id})`;
}

type Verdict = { ok: true; profile: Profile } | { ok: false; reason: string; leaveInPlace?: boolean };

/**
 * The envelope of a profile export, read before the profile inside it: its format and version (a newer
 * Usher's export is said as such, whatever else it holds), then the profile object, checked on its own
 * by validateProfile.
 */
const exportEnvelopeSchema = looseRecord({
  format: literal(PROFILE_EXPORT_FORMAT),
  version: number({ integer: true, min: 1 }),
  profile: optional(v.unknown()),
});

/** The envelope of a stored profile file: its schema version decides how (and whether) the profile is read. */
const storedFileSchema = looseRecord({ schemaVersion: number({ integer: true }), profile: optional(v.unknown()) });

export class ProfileStore {
  /** The folder holding the profile files: `<dir>/profiles`. */
  readonly folder: string;
  private readonly dir: string;
  private readonly builtIns: Profile[];
  private readonly now: () => Date;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string, options: ProfileStoreOptions = {}) {
    this.dir = dir;
    this.folder = join(dir, 'profiles');
    this.now = options.now ?? (() => new Date());
    this.builtIns = (options.builtIns ?? []).map((candidate) => {
      const result = validateProfile(candidate);
      if (!result.ok) {
        throw new ProfileError('INVALID', `The built-in profile is invalid: ${summarise(result.errors)}`, 'This is a bug in Usher.', result.errors);
      }
      return { ...result.profile, builtIn: true };
    });
    const ids = new Set<string>();
    const names = new Set<string>();
    for (const p of this.builtIns) {
      if (ids.has(p.id) || names.has(nameKey(p.name))) {
        throw new ProfileError('INVALID', `Two built-in profiles share the id or name "${p.id}"`, 'This is a bug in Usher.');
      }
      ids.add(p.id);
      names.add(nameKey(p.name));
    }
  }

  /** Built-ins first (in the order given), then the stored profiles by name. */
  list(): Promise<{ profiles: Profile[]; problems: ProfileProblem[] }> {
    return this.exclusive(async () => {
      const { stored, problems } = await this.load();
      return { profiles: [...this.builtIns.map(copy), ...stored], problems };
    });
  }

  /** By id, else by name (case-insensitive). NOT_FOUND lists the known profiles. */
  get(idOrName: string): Promise<Profile> {
    return this.exclusive(async () => copy(await this.findStored(idOrName)));
  }

  /**
   * Stores a NEW profile and returns it with its id: `profile.id` is only a wish (usually
   * profileIdFromName), replaced by a free one (`prod-eu-2`) when another profile has it, so a new
   * profile never replaces another. NAME_TAKEN when another profile has the name, or has it as its id
   * (lookups go by id first: such a name could never be found).
   */
  create(profile: Profile): Promise<Profile> {
    const candidate = this.checked(profile);
    if (candidate instanceof ProfileError) return Promise.reject(candidate);
    return this.exclusive(() =>
      this.locked('saving a new profile', async () => {
        const { stored } = await this.load();
        const everyone = [...this.builtIns, ...stored];
        this.assertNameFree(everyone, { ...candidate, id: '' }, 'Choose another name.');
        const byId = everyone.find((p) => p.id === candidate.name.trim());
        if (byId) {
          throw new ProfileError(
            'NAME_TAKEN',
            `${JSON.stringify(candidate.name)} is the id of the profile ${JSON.stringify(byId.name)}.`,
            'Choose another name.',
          );
        }
        const now = this.now().toISOString();
        const saved: Profile = { ...candidate, id: freeId(candidate.id, new Set(everyone.map((p) => p.id))), createdAt: now, updatedAt: now };
        await this.write(saved);
        return copy(saved);
      }),
    );
  }

  /**
   * Validates and writes the profile under its id (atomic, 0600) and returns what was stored:
   * `updatedAt` is now, `createdAt` stays the stored one when the profile existed. Renaming keeps the
   * id. For changes to a profile; a new one goes through `create`, which never takes another's id.
   */
  save(profile: Profile): Promise<Profile> {
    const candidate = this.checked(profile);
    if (candidate instanceof ProfileError) return Promise.reject(candidate);
    return this.exclusive(() =>
      this.locked('saving a profile', async () => {
        const builtIn = this.builtIns.find((p) => p.id === candidate.id);
        if (builtIn) {
          throw new ProfileError(
            'BUILT_IN',
            `"${builtIn.name}" is a built-in profile and cannot be changed.`,
            'Save your changes as a new profile with another name.',
          );
        }
        const { stored } = await this.load();
        this.assertNameFree([...this.builtIns, ...stored], candidate, 'Choose another name.');
        const existing = stored.find((p) => p.id === candidate.id);
        const saved: Profile = { ...candidate, createdAt: existing?.createdAt ?? candidate.createdAt, updatedAt: this.now().toISOString() };
        await this.write(saved);
        return copy(saved);
      }),
    );
  }

  /** Deletes the profile file and returns the profile (the caller removes its vault bundle). */
  remove(idOrName: string): Promise<Profile> {
    return this.exclusive(() =>
      this.locked('removing a profile', async () => {
        const profile = await this.findStored(idOrName);
        if (profile.builtIn) {
          throw new ProfileError('BUILT_IN', `"${profile.name}" is a built-in profile and cannot be removed.`, 'Only profiles you added can be removed.');
        }
        await rm(this.fileOf(profile.id), { force: true });
        return copy(profile);
      }),
    );
  }

  /**
   * The profile as portable JSON: `{format: 'usher-profile', version: 1, profile}`. No secrets travel, and
   * not the vault bundle reference either: only the certificate summary (subjects, fingerprint, expiry).
   */
  exportProfile(idOrName: string): Promise<string> {
    return this.exclusive(async () => {
      const profile = await this.findStored(idOrName);
      const { certificates, builtIn: _builtIn, ...rest } = profile;
      const exported: ProfileExport = {
        format: PROFILE_EXPORT_FORMAT,
        version: PROFILE_EXPORT_VERSION,
        exportedAt: this.now().toISOString(),
        profile: { ...rest },
      };
      if (certificates) {
        const { bundleId: _bundleId, ...summary } = certificates;
        exported.profile.certificates = summary;
      }
      return `${JSON.stringify(exported, null, 2)}\n`;
    });
  }

  /**
   * Reads an export, validates it and stores it as a new profile (never over an existing one). The
   * certificate summary is dropped: certificates must be added again on this machine. The exported id is
   * kept when free, else a free one is derived (`prod-2`); a name already in use is NAME_TAKEN.
   */
  importProfile(json: string, options: { name?: string } = {}): Promise<Profile> {
    const badExport = (reason: string, details: string[] = []): ProfileError =>
      new ProfileError(
        'BAD_EXPORT',
        `This is not a usable Usher profile export: ${reason}.`,
        'Export the profile again with Usher and import that file unchanged.',
        details,
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return Promise.reject(badExport('the text is not JSON'));
    }
    const envelope = firstProblem(exportEnvelopeSchema, parsed, 'the export');
    if (!envelope.ok) {
      const reason = envelope.error.path === 'version' ? 'its "version" is missing or not a whole number' : `it has no "format": "${PROFILE_EXPORT_FORMAT}"`;
      return Promise.reject(badExport(reason));
    }
    const { version, profile: exported } = envelope.value;
    if (version > PROFILE_EXPORT_VERSION) {
      return Promise.reject(
        new ProfileError('BAD_EXPORT', `This profile export was made by a newer Usher (export version ${version}).`, 'Update Usher, then import it again.'),
      );
    }
    if (!is(plainObject, exported)) return Promise.reject(badExport('it holds no "profile" object'));
    if (options.name !== undefined) {
      const problem = profileNameProblem(options.name);
      if (problem)
        return Promise.reject(new ProfileError('INVALID', `The name ${JSON.stringify(options.name)} cannot be used: it ${problem}.`, 'Choose another name.'));
    }

    const { certificates: _certificates, builtIn: _builtIn, ...raw } = exported;
    const stamp = this.now().toISOString();
    const name = options.name ?? raw.name;
    const preferredId =
      options.name !== undefined
        ? profileIdFromName(options.name)
        : typeof raw.id === 'string' && PROFILE_ID_PATTERN.test(raw.id)
          ? raw.id
          : profileIdFromName(typeof name === 'string' ? name : '');
    const result = validateProfile({ ...raw, id: preferredId, name, createdAt: stamp, updatedAt: stamp });
    if (!result.ok) {
      const errors = result.errors.map((e) => `profile.${e}`);
      return Promise.reject(badExport(summarise(errors), errors));
    }
    const incoming = result.profile;
    return this.exclusive(() =>
      this.locked('importing a profile', async () => {
        const { stored } = await this.load();
        const everyone = [...this.builtIns, ...stored];
        // An import is always a new profile: its name must differ from every profile, its own id included.
        this.assertNameFree(everyone, { ...incoming, id: '' }, options.name === undefined ? 'Import it under another name.' : 'Choose another name.');
        const taken = new Set(everyone.map((p) => p.id));
        const profile: Profile = { ...incoming, id: freeId(incoming.id, taken) };
        await this.write(profile);
        return copy(profile);
      }),
    );
  }

  // --- internals -------------------------------------------------------------------------------------

  /** One operation at a time per store: a list that moves files aside never races a save. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Across processes: the data folder's write lock, for everything that writes or picks an id. */
  private async locked<T>(purpose: string, work: () => Promise<T>): Promise<T> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      return await withWriteLock(dataWriteLockPath(this.dir), { purpose }, work);
    } catch (err) {
      if (err instanceof LockBusyError) throw new ProfileError('BUSY', err.message, err.hint);
      if (errorCode(err) !== undefined && !(err instanceof ProfileError)) throw this.storageFailed('written', err);
      throw err;
    }
  }

  /** The validated profile without its built-in mark, or the INVALID error. */
  private checked(profile: Profile): Profile | ProfileError {
    const result = validateProfile(profile);
    if (!result.ok) {
      return new ProfileError('INVALID', `The profile is invalid: ${summarise(result.errors)}`, 'Correct the fields named and save again.', result.errors);
    }
    const candidate = result.profile;
    delete candidate.builtIn;
    return candidate;
  }

  /** The file a stored profile lives in (said before removing it). */
  fileOf(id: string): string {
    return join(this.folder, `${id}.json`);
  }

  /**
   * By id, else by name. A profile file this very load found damaged is named in NOT_FOUND: the file was
   * just moved aside, so without it the person would only learn that their profile is gone.
   */
  private async findStored(idOrName: string): Promise<Profile> {
    const { stored, problems } = await this.load();
    const profiles = [...this.builtIns, ...stored];
    const key = idOrName.trim();
    const found = profiles.find((p) => p.id === key) ?? profiles.find((p) => nameKey(p.name) === nameKey(key));
    if (found) return found;
    const known = profiles.length === 0 ? 'There are no profiles yet: add one first.' : `Known profiles: ${profiles.map(label).join(', ')}.`;
    const damaged = problems.map((p) => `${basename(p.file)}: ${p.reason}${p.movedTo ? ` (moved to ${p.movedTo})` : ''}`);
    if (damaged.length === 0) throw new ProfileError('NOT_FOUND', `No profile ${JSON.stringify(key)}.`, known);
    throw new ProfileError(
      'NOT_FOUND',
      `No profile ${JSON.stringify(key)}; a profile file could not be used: ${damaged.join('; ')}.`,
      `Add the profile again, or repair the file and put it back in ${this.folder}. ${known}`,
    );
  }

  private assertNameFree(profiles: Profile[], candidate: Profile, hint: string): void {
    const clash = profiles.find((p) => p.id !== candidate.id && nameKey(p.name) === nameKey(candidate.name));
    if (clash) throw new ProfileError('NAME_TAKEN', `A profile named ${JSON.stringify(clash.name)} already exists.`, hint);
  }

  private async write(profile: Profile): Promise<void> {
    const file: StoredFile = { schemaVersion: PROFILE_SCHEMA_VERSION, profile };
    try {
      await mkdir(this.folder, { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.fileOf(profile.id), `${JSON.stringify(file, null, 2)}\n`, 0o600);
    } catch (err) {
      throw this.storageFailed('written', err);
    }
  }

  /** A folder problem (permissions, a file in its place, a full disk) in words, instead of a bare fs error. */
  private storageFailed(what: 'read' | 'written', err: unknown): ProfileError {
    return new ProfileError(
      'STORAGE_FAILED',
      `The profiles folder ${this.folder} cannot be ${what}: ${errorMessage(err)}.`,
      'Check that it is a folder your account may read and write, and that the disk has space.',
    );
  }

  /** Every stored profile, sorted by name; unusable files are moved aside and reported. */
  private async load(): Promise<{ stored: Profile[]; problems: ProfileProblem[] }> {
    let entries;
    try {
      entries = await readdir(this.folder, { withFileTypes: true });
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return { stored: [], problems: [] };
      throw this.storageFailed('read', err);
    }
    const stored: Profile[] = [];
    const problems: ProfileProblem[] = [];
    const names = entries
      .filter((e) => e.isFile() && e.name.endsWith('.json') && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
    for (const name of names) {
      const file = join(this.folder, name);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if (errorCode(err) === 'ENOENT') continue;
        problems.push({ file, reason: `cannot be read: ${errorMessage(err)}` });
        continue;
      }
      const verdict = this.judge(text, name.slice(0, -'.json'.length));
      if (verdict.ok) {
        stored.push(verdict.profile);
      } else if (verdict.leaveInPlace) {
        problems.push({ file, reason: verdict.reason });
      } else {
        problems.push(await this.moveAside(file, name, verdict.reason));
      }
    }
    stored.sort((a, b) => nameKey(a.name).localeCompare(nameKey(b.name)) || a.id.localeCompare(b.id));
    return { stored, problems };
  }

  private judge(text: string, fileId: string): Verdict {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, reason: text.trim() === '' ? 'the file is empty' : 'the file is not valid JSON' };
    }
    const file = firstProblem(storedFileSchema, parsed, 'the file');
    if (!file.ok) return { ok: false, reason: 'not an Usher profile file (no schemaVersion)' };
    const { schemaVersion } = file.value;
    if (schemaVersion > PROFILE_SCHEMA_VERSION) {
      return { ok: false, leaveInPlace: true, reason: `written by a newer Usher (schema ${schemaVersion}); left in place, update Usher to use it` };
    }
    if (schemaVersion !== PROFILE_SCHEMA_VERSION) return { ok: false, reason: `unknown schemaVersion ${schemaVersion}` };
    const result = validateProfile(file.value.profile);
    if (!result.ok) return { ok: false, reason: `invalid profile: ${summarise(result.errors)}` };
    const profile = result.profile;
    if (profile.id !== fileId) return { ok: false, reason: `holds the profile id "${profile.id}" but the file is named ${fileId}.json` };
    const builtIn = this.builtIns.find((p) => p.id === profile.id);
    if (builtIn) return { ok: false, reason: `uses the id of the built-in profile "${builtIn.name}"` };
    delete profile.builtIn;
    return { ok: true, profile };
  }

  private async moveAside(file: string, name: string, reason: string): Promise<ProfileProblem> {
    const corrupt = join(this.folder, 'corrupt');
    const base = name.slice(0, -'.json'.length);
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    try {
      await mkdir(corrupt, { recursive: true, mode: 0o700 });
      for (let n = 0; ; n++) {
        const target = join(corrupt, `${base}.${stamp}${n === 0 ? '' : `-${n}`}.json`);
        if (await exists(target)) continue;
        await rename(file, target);
        return { file, movedTo: target, reason };
      }
    } catch (err) {
      return { file, reason: `${reason} (could not be moved aside: ${errorMessage(err)})` };
    }
  }
}

/** `base`, else `base-2`, `base-3`, ... kept within 64 characters. */
function freeId(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const id = `${base.slice(0, 64 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(id)) return id;
  }
}

/** Callers get their own copy: nobody mutates the store's built-ins through a returned object. */
function copy(profile: Profile): Profile {
  return structuredClone(profile);
}
