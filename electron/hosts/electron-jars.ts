// The Electron host's cookie jars: one Electron session per partition id (session.fromPartition), wired
// once with every permission denied, downloads kept to the partition's folder and the site's login
// headers, and pinned to the partition's site CA each time a jar is made for it. Also where a jar's
// storage lives on disk and how it is emptied or removed.
import { app, session as electronSession, type Cookie, type Session, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PartitionCookie, PartitionCookieInput, PartitionOptions, PartitionPage } from './browser-host';
import { createCertificateVerifier } from './electron-cert-verify';
import { saveDownload, type DownloadJar } from './electron-downloads';
import type { RejectionSlot } from './electron-page';
import { denyAllPermissions } from './electron-permissions';
import { httpsUrl } from './https-url';
import { checkPartitionId, checkSameJar, deletePartitionFolder, persistentPartitionFolder, removeOrphanFolders } from './partition-storage';
import { SiteHeaders } from './site-headers';

/** One partition id: its session and the windows that share it. */
export interface Jar extends DownloadJar, RejectionSlot {
  ses: Session;
  windows: Set<PartitionPage>;
  /** Login headers (header or JWT virtual proxies), per origin: see site-headers.ts. */
  headers: SiteHeaders;
}

/** Told when a partition refuses a server certificate (for the log). */
export type CertificateRejected = (partitionId: string, hostname: string, reason: string) => void;

export function toCookie(cookie: Cookie): PartitionCookie {
  const out: PartitionCookie = {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain ?? '',
    path: cookie.path ?? '/',
    secure: cookie.secure ?? false,
    httpOnly: cookie.httpOnly ?? false,
  };
  if (cookie.sameSite) out.sameSite = cookie.sameSite;
  return out;
}

const SAME_SITE = { None: 'no_restriction', Lax: 'lax', Strict: 'strict' } as const;

/** Electron's cookies.set details: no expiry (a browser-session cookie, as Qlik's), no domain = host-only. */
export function toElectronCookie(input: PartitionCookieInput): Electron.CookiesSetDetails {
  const details: Electron.CookiesSetDetails = {
    url: httpsUrl(input.url).href,
    name: input.name,
    value: input.value,
    path: input.path,
    secure: input.secure,
    httpOnly: input.httpOnly,
    sameSite: SAME_SITE[input.sameSite],
  };
  if (input.domain !== undefined) details.domain = input.domain;
  return details;
}

/** Where Electron keeps `persist:` sessions: `<sessionData>/Partitions/<case-folded name>`. */
function partitionsRoot(): string {
  return join(app.getPath('sessionData'), 'Partitions');
}

async function clearSession(ses: Session): Promise<void> {
  await ses.clearStorageData().catch(() => undefined);
  await ses.clearCache().catch(() => undefined);
}

export class ElectronJars {
  private readonly jars = new Map<string, Jar>();
  /** The jar of each partition window's WebContents. */
  private readonly jarOfContents = new WeakMap<WebContents, Jar>();
  /** Every session this run loaded, by id: Electron keeps them (and their files) until it quits. */
  private readonly loaded = new Map<string, Session>();
  private readonly wired = new WeakSet<Session>();

  constructor(private readonly onCertificateRejected?: CertificateRejected) {}

  /** The live jar of the partition (its options must match), or a new one. */
  open(partition: PartitionOptions): Jar {
    checkPartitionId(partition.partitionId, Boolean(partition.persistent));
    const live = this.jars.get(partition.partitionId);
    if (live) {
      checkSameJar(live.options, partition);
      return live;
    }
    const jar = this.newJar(partition);
    this.jars.set(partition.partitionId, jar);
    return jar;
  }

  all(): Jar[] {
    return [...this.jars.values()];
  }

  bindContents(contents: WebContents, jar: Jar): void {
    this.jarOfContents.set(contents, jar);
  }

  ofContents(contents: WebContents): Jar | undefined {
    return this.jarOfContents.get(contents);
  }

  /** The jar lost its last window: an in-memory one ends with it, so a reused id starts empty. */
  async end(jar: Jar): Promise<void> {
    if (this.jars.get(jar.options.partitionId) === jar) this.jars.delete(jar.options.partitionId);
    for (const waiter of jar.waiters.splice(0)) waiter.item?.cancel();
    if (!jar.options.persistent) await clearSession(jar.ses);
  }

  async clear(partitionId: string): Promise<void> {
    const ses = this.jars.get(partitionId)?.ses ?? this.loaded.get(partitionId);
    if (ses) return clearSession(ses);
    // Never loaded this run: its folder on disk is all there is, and nothing holds it open.
    const folder = this.storageFolder(partitionId);
    if (folder && existsSync(folder)) await deletePartitionFolder(folder);
  }

  async destroy(partitionId: string): Promise<void> {
    const jar = this.jars.get(partitionId);
    if (jar) await Promise.all([...jar.windows].map((page) => page.close()));
    const ses = this.loaded.get(partitionId);
    const folder = this.storageFolder(partitionId);
    if (ses) {
      await clearSession(ses);
      // Electron has no call to unload a session; written out now, its folder can go.
      await ses.flushStorageData();
    }
    if (folder) await deletePartitionFolder(folder);
  }

  removeOrphans(keep: ReadonlySet<string>): Promise<string[]> {
    // Sessions loaded this run keep their files open until Electron quits: never orphans.
    return removeOrphanFolders(partitionsRoot(), new Set([...keep, ...this.loaded.keys()]));
  }

  /** The folder of a persistent partition: Electron's own word when it loaded it, else where it would be. */
  private storageFolder(partitionId: string): string | undefined {
    const ses = this.loaded.get(partitionId);
    if (ses) return ses.storagePath ?? undefined;
    return persistentPartitionFolder(partitionsRoot(), partitionId);
  }

  private sessionFor(partition: PartitionOptions): Session {
    const { partitionId, persistent = false } = partition;
    const ses = electronSession.fromPartition(persistent ? `persist:${partitionId}` : partitionId, { cache: persistent });
    this.loaded.set(partitionId, ses);
    if (!this.wired.has(ses)) {
      // Once per session (Electron keeps it for the app's life): listeners look up the live jar.
      this.wired.add(ses);
      denyAllPermissions(ses);
      ses.on('will-download', (event, item) =>
        saveDownload(
          this.all().find((jar) => jar.ses === ses),
          event,
          item,
        ),
      );
      // Electron keeps one such listener per session: it reads the live jar's login headers, which only
      // a request to their own origin gets.
      ses.webRequest.onBeforeSendHeaders((details, callback) => {
        const headers = this.jars.get(partitionId)?.headers.apply(details.url, details.requestHeaders);
        callback(headers && headers !== details.requestHeaders ? { requestHeaders: headers as Record<string, string> } : {});
      });
    }
    return ses;
  }

  private newJar(partition: PartitionOptions): Jar {
    const ses = this.sessionFor(partition);
    const jar: Jar = { options: partition, ses, windows: new Set(), downloads: [], waiters: [], headers: new SiteHeaders() };
    // Set for each new jar: a reused id may come back for another site.
    ses.setCertificateVerifyProc(
      createCertificateVerifier(partition.caPem, (hostname, verdict) => {
        jar.lastRejection = verdict;
        this.onCertificateRejected?.(partition.partitionId, hostname, verdict.reason);
      }),
    );
    return jar;
  }
}
