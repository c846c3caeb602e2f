// The browser partitions (cookie jars) of this console run: which exist, what they are for, which windows
// they have, where their downloads go, and which Qlik sessions their jars hold. Tickets and injected
// sessions open in a new isolated partition (in memory or persistent), in one that exists, or in the one
// deliberately shared partition of a site (to reproduce seed 003's clobbering on purpose).
//
// Persistent partitions are recorded in <data>/partitions.json before the host creates their storage, so
// a run that dies leaves nothing unrecorded; at start, storage the record does not name is deleted.
// Downloads go to <data>/partitions/<id>/downloads; an in-memory partition's folder goes when it is
// destroyed or the console quits, a persistent one's when it is destroyed.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Profile } from '../../shared/profile';
import { partitionWindowTitle } from '../../shared/partition-colour';
import { prefixLabel } from '../../shared/virtual-proxy';
import {
  isPartitionId,
  SHARED_PARTITION_LABEL,
  type PartitionChoice,
  type PartitionCookieRef,
  type PartitionInfo,
  type PartitionKind,
  type PartitionLogins,
} from '../../shared/partitions';
import { errorMessage } from '../core/error-text';
import { looksLikeQlikSessionCookie, matchSessionCookie, type VirtualProxyCookieConfig } from '../core/sessions/cookie-sessions';
import type { BrowserHost, PartitionCookie, PartitionDownload, PartitionPage } from '../hosts/browser-host';
import { isInside } from '../core/fs/is-inside';
import { BackendError } from './backend-error';
import { PartitionRecords, type PartitionRecord } from './partition-records';

/** Who opens a window: the site whose CA the partition must trust, and the label a new partition gets. */
export interface PartitionOwner {
  profileId: string;
  /** The site's name, for the window titles. */
  siteName: string;
  caPem: string;
  label: string;
  /** The profile's partitionClientCertificate: the one OS certificate its windows may present. */
  clientCertificateFingerprint256?: string;
}

/** The owner of windows for `profile`'s site. */
/**
 * An established login's result, its detail saying whose windows it took over when another user had
 * logged in through the same virtual proxy in that partition (one jar, one session cookie per proxy).
 */
export function withReplacedUser<R extends { established: boolean; partitionId: string; user?: string; detail: string }>(
  partitions: Pick<PartitionManager, 'noteLogin'>,
  result: R,
  prefix: string,
): R {
  if (!result.established || result.user === undefined) return result;
  const before = partitions.noteLogin(result.partitionId, prefix, result.user);
  if (before === undefined) return result;
  return {
    ...result,
    detail: `${result.detail}; ${before}'s windows in this partition now run as ${result.user}: the partition keeps one session cookie for ${prefixLabel(prefix)}, and this login replaced ${before}'s`,
  };
}

export function partitionOwner(profile: Pick<Profile, 'id' | 'name' | 'partitionClientCertificate'>, caPem: string, label: string): PartitionOwner {
  const owner: PartitionOwner = { profileId: profile.id, siteName: profile.name, caPem, label };
  if (profile.partitionClientCertificate !== undefined) owner.clientCertificateFingerprint256 = profile.partitionClientCertificate;
  return owner;
}

/** Where a session the console made lives: asked first when the list looks the session up in QPS. */
export interface SessionOrigin {
  nodeName: string;
  qps: string;
  prefix: string;
}

interface Entry {
  id: string;
  label: string;
  kind: PartitionKind;
  persistent: boolean;
  profileId: string;
  /** The site's name as last given by a window's owner (for the titles); the id until then. */
  siteName: string;
  /** The CA the partition was first opened with this run (absent for a persistent one not reopened yet). */
  caPem?: string;
  createdAt: string;
  downloadsDir: string;
  pages: PartitionPage[];
  /** The last downloads the host listed, kept for when no window is left to ask. */
  downloads: PartitionDownload[];
  /** Session id -> where the console created it (main process memory only). */
  origins: Map<string, SessionOrigin>;
}

/** One partition as the list needs it; cookies carry their values (this never crosses IPC as is). */
export interface PartitionSnapshot extends PartitionInfo {
  windows: string[];
  downloads: PartitionDownload[];
  cookies: PartitionCookie[];
  origins: ReadonlyMap<string, SessionOrigin>;
}

export interface PartitionManagerOptions {
  host: BrowserHost;
  dataDir: string;
  /** A site's virtual proxies as far as session cookies go ([] when unknown). */
  cookieConfig: (profileId: string) => Promise<VirtualProxyCookieConfig[]>;
  now?: () => number;
}

export class PartitionManager {
  private readonly entries = new Map<string, Entry>();
  private readonly records: PartitionRecords;
  /** Partition + virtual proxy -> the users who logged in there, last one last (no secret: user names). */
  private readonly loggedIn = new Map<string, string[]>();
  private readonly now: () => number;
  /** Record writes one after another, each with the registry as it then is. */
  private writing: Promise<void> = Promise.resolve();
  private started = false;
  /** Persistent partitions of an earlier run deleted at start, and why cleanup failed, if it did. */
  orphansRemoved: string[] = [];
  cleanupProblem: string | undefined;

  constructor(private readonly options: PartitionManagerOptions) {
    this.records = new PartitionRecords(options.dataDir);
    this.now = options.now ?? Date.now;
  }

  private get root(): string {
    return join(this.options.dataDir, 'partitions');
  }

  private folderOf(id: string): string {
    return join(this.root, id);
  }

  /**
   * Deletes partition `id`'s folder, and only ever a folder strictly inside <data>/partitions: an id that
   * is not a partition id (".", "..", a path) is refused rather than resolved to the data folder itself.
   */
  private async removeFolder(id: string): Promise<void> {
    const folder = this.folderOf(id);
    if (!isPartitionId(id) || !isInside(this.root, folder)) {
      throw new BackendError(
        'NOT_ALLOWED',
        `${JSON.stringify(id.slice(0, 120))} is not a partition id; nothing was deleted.`,
        'Refresh the partition list and pick a partition from it.',
      );
    }
    await rm(folder, { recursive: true, force: true });
  }

  /** A filesystem failure on a partition's folder or storage, as the person can act on it. */
  private storageError(action: string, folder: string, err: unknown): BackendError {
    return new BackendError(
      'STORAGE_FAILED',
      `Could not ${action} ${folder}: ${errorMessage(err)}.`,
      'Check that its parent is a folder you can write to, the disk is not full and no other program has files in it open; then try again.',
    );
  }

  /**
   * Loads the recorded persistent partitions (listed without windows until something opens in them) and
   * deletes what an earlier run left unrecorded: host storage and download folders. A failed cleanup is
   * reported in the list, never a reason not to start.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    let recorded: PartitionRecord[] = [];
    try {
      recorded = await this.records.read();
    } catch (err) {
      this.cleanupProblem = `${this.records.file} could not be read (${errorMessage(err)}); no partition storage was deleted.`;
      return;
    }
    if (this.records.rejected.length > 0) {
      this.cleanupProblem = this.records.rejectedProblem();
    }
    for (const r of recorded) {
      this.entries.set(r.id, {
        id: r.id,
        label: r.label,
        kind: r.kind,
        persistent: true,
        profileId: r.profileId,
        siteName: r.profileId,
        createdAt: r.createdAt,
        downloadsDir: join(this.folderOf(r.id), 'downloads'),
        pages: [],
        downloads: [],
        origins: new Map(),
      });
    }
    const keep = new Set(recorded.map((r) => r.id));
    try {
      this.orphansRemoved = await this.options.host.removeOrphanPartitions(keep);
      const folders = await readdir(this.root).catch(() => [] as string[]);
      // Only names that can be a partition's: anything else in the folder is not ours to judge.
      await Promise.all(folders.filter((name) => !keep.has(name) && isPartitionId(name)).map((name) => this.removeFolder(name)));
    } catch (err) {
      this.cleanupProblem = `${this.cleanupProblem ? `${this.cleanupProblem} ` : ''}Partitions left by an earlier run could not be deleted: ${errorMessage(err)}. Quit Usher and delete them from ${this.root} and the browser's storage.`;
    }
  }

  /**
   * Opens a window in the chosen partition for the owner's site. `created`: the partition was made for
   * this window (so `abandon` may remove it again).
   */
  async window(choice: PartitionChoice, owner: PartitionOwner): Promise<{ page: PartitionPage; created: boolean }> {
    const existed = choice.kind === 'existing' || (choice.kind === 'shared' && this.entries.has(`shared-${owner.profileId}`));
    const entry = await this.entryFor(choice, owner);
    if (entry.caPem !== undefined && entry.caPem !== owner.caPem) {
      throw new BackendError(
        'NOT_ALLOWED',
        `Partition "${entry.label}" was opened trusting another CA than the site's current one.`,
        'The site CA changed since: destroy the partition, or open in a new one.',
      );
    }
    let page: PartitionPage;
    try {
      try {
        await mkdir(entry.downloadsDir, { recursive: true, mode: 0o700 });
      } catch (err) {
        throw this.storageError('create the partition downloads folder', entry.downloadsDir, err);
      }
      page = await this.options.host.openPartition({
        partitionId: entry.id,
        caPem: owner.caPem,
        persistent: entry.persistent,
        downloadsDir: entry.downloadsDir,
        ...(owner.clientCertificateFingerprint256 === undefined ? {} : { clientCertificateFingerprint256: owner.clientCertificateFingerprint256 }),
      });
    } catch (err) {
      // A partition made for this window and never opened is not kept (nor recorded).
      if (entry.pages.length === 0 && choice.kind !== 'existing' && this.entries.get(entry.id) === entry) await this.forget(entry.id).catch(() => undefined);
      throw err;
    }
    if (this.entries.get(entry.id) !== entry) {
      // Destroyed while the window opened: a window the manager no longer tracks would be listed nowhere
      // and closed by nothing, so it goes, with whatever it put on disk if no partition of its id exists now.
      await page.close().catch(() => undefined);
      if (!this.entries.has(entry.id)) {
        await this.options.host.destroyPartition(entry.id).catch(() => undefined);
        await this.removeFolder(entry.id).catch(() => undefined);
      }
      throw new BackendError(
        'NOT_FOUND',
        `Partition "${entry.label}" was destroyed while the window opened.`,
        'Open it again: in a new partition, or pick one from the refreshed list.',
      );
    }
    entry.caPem = owner.caPem;
    entry.siteName = owner.siteName;
    entry.pages.push(page);
    this.retitle(entry);
    return { page, created: !existed };
  }

  /**
   * Names the partition's windows: colour, who runs in them now (the last login per virtual proxy), site
   * and partition. Best effort: a window that closed meanwhile keeps no title to fix.
   */
  private retitle(entry: Entry): void {
    const users = [...new Set(this.loginsOf(entry.id).map((l) => l.users.at(-1)!))];
    const title = partitionWindowTitle({ partitionId: entry.id, label: entry.label, siteName: entry.siteName, users });
    for (const page of entry.pages) void page.setTitle?.(title).catch(() => undefined);
  }

  /** Brings the partition's newest open window to the front. */
  async bringToFront(partitionId: string): Promise<void> {
    const entry = this.get(partitionId);
    const page = entry.pages.at(-1);
    if (!page) {
      throw new BackendError(
        'NOT_FOUND',
        `Partition "${entry.label}" has no open window.`,
        'Open a ticket or a session in it (Log in as, partition: this one) to get a window.',
      );
    }
    if (!page.bringToFront) throw new BackendError('NOT_ALLOWED', 'This browser host cannot bring windows to the front.', 'Switch to the window yourself.');
    try {
      await page.bringToFront();
    } catch (err) {
      entry.pages = entry.pages.filter((p) => p !== page);
      throw new BackendError(
        'NOT_FOUND',
        `The window of partition "${entry.label}" did not answer: ${errorMessage(err)}.`,
        'It was probably closed: refresh the list.',
      );
    }
  }

  /** Undoes `window` when what was to happen in it could not start: the window closes, a partition made for it goes. */
  async abandon(page: PartitionPage, created: boolean): Promise<void> {
    const entry = this.entries.get(page.partitionId);
    if (!entry) return;
    if (created && entry.pages.length === 1 && entry.pages[0] === page) {
      await this.destroy(entry.id).catch(() => undefined);
      return;
    }
    entry.pages = entry.pages.filter((p) => p !== page);
    await page.close().catch(() => undefined);
  }

  private async entryFor(choice: PartitionChoice, owner: PartitionOwner): Promise<Entry> {
    if (choice.kind === 'existing') {
      const entry = this.get(choice.partitionId);
      if (entry.profileId !== owner.profileId) {
        throw new BackendError(
          'NOT_ALLOWED',
          `Partition "${entry.label}" belongs to another site (${entry.profileId}).`,
          "A partition trusts only its own site's CA: pick a partition of this site, or open in a new one.",
        );
      }
      return entry;
    }
    if (choice.kind === 'shared') {
      const id = `shared-${owner.profileId}`;
      return (
        this.entries.get(id) ??
        this.add({ id, label: SHARED_PARTITION_LABEL, kind: 'shared', persistent: false, profileId: owner.profileId, siteName: owner.siteName })
      );
    }
    return this.add({
      id: `p-${randomUUID()}`,
      label: owner.label,
      kind: 'isolated',
      persistent: choice.persistent === true,
      profileId: owner.profileId,
      siteName: owner.siteName,
    });
  }

  private async add(fields: Pick<Entry, 'id' | 'label' | 'kind' | 'persistent' | 'profileId' | 'siteName'>): Promise<Entry> {
    const entry: Entry = {
      ...fields,
      createdAt: new Date(this.now()).toISOString(),
      downloadsDir: join(this.folderOf(fields.id), 'downloads'),
      pages: [],
      downloads: [],
      origins: new Map(),
    };
    this.entries.set(entry.id, entry);
    // Recorded before the host makes its storage: a crash in between leaves a record, not an orphan.
    if (entry.persistent) await this.saveRecords();
    return entry;
  }

  private get(partitionId: string): Entry {
    const entry = this.entries.get(partitionId);
    if (!entry) throw new BackendError('NOT_FOUND', `There is no partition ${partitionId}.`, 'Refresh the partition list: it may have been destroyed.');
    return entry;
  }

  private saveRecords(): Promise<void> {
    const next = this.writing.then(() =>
      this.records.write(
        [...this.entries.values()]
          .filter((e) => e.persistent)
          .map((e) => ({ id: e.id, label: e.label, profileId: e.profileId, kind: e.kind, createdAt: e.createdAt })),
      ),
    );
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async forget(partitionId: string): Promise<void> {
    const entry = this.entries.get(partitionId);
    if (!entry) return;
    this.entries.delete(partitionId);
    // A shared partition made again later (same id) starts with nobody logged in.
    for (const key of [...this.loggedIn.keys()]) if (key.startsWith(`${partitionId}\n`)) this.loggedIn.delete(key);
    try {
      await this.removeFolder(partitionId);
    } finally {
      if (entry.persistent) await this.saveRecords();
    }
  }

  /** Remembers where a session held by this partition was made (the QPS to ask about it first). */
  noteSession(partitionId: string, sessionId: string, origin: SessionOrigin): void {
    this.entries.get(partitionId)?.origins.set(sessionId, origin);
  }

  /**
   * Notes who now logs in through `prefix` in the partition and returns who did before, when that was
   * someone else: one jar keeps one session cookie per virtual proxy, so the earlier user's windows now
   * run as the new one (seed 003), and the person must be told.
   */
  noteLogin(partitionId: string, prefix: string, user: string): string | undefined {
    const key = `${partitionId}\n${prefix}`;
    const users = this.loggedIn.get(key) ?? [];
    const before = users.at(-1);
    this.loggedIn.set(key, [...users.filter((u) => u !== user), user]);
    const entry = this.entries.get(partitionId);
    if (entry) this.retitle(entry);
    return before !== undefined && before !== user ? before : undefined;
  }

  /** Who logged in through each virtual proxy of the partition, oldest first (the partition map draws it). */
  loginsOf(partitionId: string): PartitionLogins[] {
    const out: PartitionLogins[] = [];
    for (const [key, users] of this.loggedIn) {
      const [id, virtualProxy] = key.split('\n') as [string, string];
      if (id === partitionId) out.push({ virtualProxy, users: [...users] });
    }
    return out.sort((a, b) => a.virtualProxy.localeCompare(b.virtualProxy));
  }

  /** The partition's jar, read through whichever of its windows still answers (closed ones are dropped). */
  private async cookiesOf(entry: Entry): Promise<{ cookies: PartitionCookie[]; note?: string }> {
    let lastError: unknown;
    for (const page of [...entry.pages]) {
      try {
        const cookies = await page.cookies();
        entry.downloads = page.downloads();
        return { cookies };
      } catch (err) {
        lastError = err;
        entry.pages = entry.pages.filter((p) => p !== page);
      }
    }
    if (lastError !== undefined)
      return { cookies: [], note: `The partition's windows did not answer (${errorMessage(lastError)}); they were probably closed.` };
    return {
      cookies: [],
      note: entry.persistent
        ? 'No window is open: open a ticket or a session in this partition to read its cookies.'
        : 'Closed: an in-memory jar ends with its last window.',
    };
  }

  async snapshot(): Promise<PartitionSnapshot[]> {
    const entries = [...this.entries.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.label.localeCompare(b.label));
    return Promise.all(
      entries.map(async (entry) => {
        const { cookies, note } = await this.cookiesOf(entry);
        const snapshot: PartitionSnapshot = {
          partitionId: entry.id,
          label: entry.label,
          kind: entry.kind,
          persistent: entry.persistent,
          profileId: entry.profileId,
          createdAt: entry.createdAt,
          windows: entry.pages.map((p) => p.url()),
          downloadsDir: entry.downloadsDir,
          downloads: [...entry.downloads],
          cookies,
          origins: new Map(entry.origins),
        };
        if (note !== undefined) snapshot.cookiesNote = note;
        return snapshot;
      }),
    );
  }

  /** One cookie of a partition, value included: for the explicit reveal only. */
  async cookie(ref: PartitionCookieRef): Promise<{ cookie: PartitionCookie; snapshot: PartitionSnapshot }> {
    const entry = this.get(ref.partitionId);
    const { cookies } = await this.cookiesOf(entry);
    const cookie = cookies.find((c) => c.name === ref.name && c.domain === ref.domain && c.path === ref.path);
    if (!cookie) {
      throw new BackendError(
        'NOT_FOUND',
        `Partition "${entry.label}" holds no cookie ${ref.name} for ${ref.domain}${ref.path}.`,
        'Refresh the partition list: the cookie may have been replaced or cleared.',
      );
    }
    const snapshot = (await this.snapshot()).find((s) => s.partitionId === entry.id)!;
    return { cookie, snapshot };
  }

  /** Empties the jar and storage; windows stay open (and now run without a session). */
  async clear(partitionId: string): Promise<void> {
    const entry = this.get(partitionId);
    await this.options.host.clearPartition(partitionId);
    entry.origins.clear();
  }

  /** Closes the partition's windows; a persistent partition keeps its storage, an in-memory one's jar ends. */
  async close(partitionId: string): Promise<void> {
    const entry = this.get(partitionId);
    const pages = entry.pages.splice(0);
    await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
    if (!entry.persistent) entry.origins.clear();
  }

  /** Closes its windows, deletes its storage and downloads, and forgets it. */
  async destroy(partitionId: string): Promise<void> {
    const entry = this.get(partitionId);
    try {
      await this.options.host.destroyPartition(partitionId);
    } catch (err) {
      if (typeof (err as { hint?: unknown }).hint === 'string') throw err;
      throw this.storageError('delete the browser storage of partition', `"${entry.label}"`, err);
    }
    entry.pages = [];
    try {
      await this.forget(partitionId);
    } catch (err) {
      if (err instanceof BackendError) throw err;
      throw this.storageError('delete the partition folder', this.folderOf(partitionId), err);
    }
  }

  /**
   * Each Qlik session id (session cookie value) held in an open partition -> the partition holding it.
   * For the session inspector: "this session is the one in window X".
   */
  async sessionHolders(): Promise<Map<string, { partitionId: string; label: string }>> {
    const holders = new Map<string, { partitionId: string; label: string }>();
    for (const entry of this.entries.values()) {
      if (entry.pages.length === 0) continue;
      const { cookies } = await this.cookiesOf(entry);
      const vps = await this.options.cookieConfig(entry.profileId).catch(() => [] as VirtualProxyCookieConfig[]);
      for (const c of cookies) {
        if (c.value === '') continue;
        const isSession = vps.length > 0 ? matchSessionCookie(c.name, vps) !== undefined : looksLikeQlikSessionCookie(c.name);
        if (isSession) holders.set(c.value, { partitionId: entry.id, label: entry.label });
      }
    }
    return holders;
  }

  /** At quit: windows closed, in-memory partitions' download folders deleted; persistent ones stay recorded. */
  async closeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    await Promise.all(entries.flatMap((e) => e.pages.splice(0).map((p) => p.close().catch(() => undefined))));
    await Promise.all(entries.filter((e) => !e.persistent).map((e) => this.removeFolder(e.id).catch(() => undefined)));
    await this.writing;
  }
}
