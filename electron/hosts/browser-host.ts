/**
 * The one interface both browser hosts implement: `electron` (BrowserWindow +
 * session.fromPartition) and `chromium` (playwright-core, a BrowserContext per
 * partition). The backend only ever talks to this, so the same code redeems
 * tickets whichever host is running.
 */
import type { EngineTab } from '../core/qlik/engine-rpc';
import type { EngineAddress } from '../core/scenarios/engine-tab';

export interface PartitionOptions {
  /**
   * The cookie jar. Windows opened with the same id share one jar (tabs of one browser); a new id is a
   * new, isolated jar. Every window of one id must be opened with the same caPem and persistence.
   */
  partitionId: string;
  /** The site's CA (root.pem). Partition TLS is pinned to it; nothing else is trusted. */
  caPem: string;
  /** Keep cookies on disk across restarts (electron: `persist:` partition). Default false. */
  persistent?: boolean;
  /** Where this partition's downloads are saved. Without it downloads are refused. */
  downloadsDir?: string;
  /**
   * SHA-256 fingerprint of the one OS certificate the site's profile lets this partition present when the
   * site asks for a client certificate. Absent: none is ever presented.
   */
  clientCertificateFingerprint256?: string;
}

/** A cookie to set in a partition (session API injection). */
export interface PartitionCookieInput {
  /** The page address the cookie is for (its scheme and host); domain and path narrow it. */
  url: string;
  name: string;
  value: string;
  /** Omitted: a host-only cookie for the url's host. */
  domain?: string;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'None' | 'Lax' | 'Strict';
}

/** What a same-origin request made by the page itself answered (its bytes stay in the page). */
export interface PageResponse {
  status: number;
  contentType: string;
  bytes: number;
}

/** A download the partition saved into its downloads folder. */
export interface PartitionDownload {
  /** The address it came from, as the page requested it. Callers mask tickets before showing it. */
  url: string;
  /** Absolute path of the saved file; absent when the download failed. */
  path?: string;
  bytes: number;
  /** Why it failed (the host's words), when it did. */
  error?: string;
}

export interface PartitionCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: string;
}

export interface PartitionPage {
  readonly partitionId: string;
  /** Navigate the partition's page; resolves with the final status and URL after redirects. */
  goto(url: string): Promise<{ status: number; url: string }>;
  /**
   * A same-origin request made by the page itself, with its cookies, e.g. the
   * personal API `/{prefix}/qps/user` to confirm which user the session belongs to.
   */
  fetchJson(url: string): Promise<{ status: number; body: unknown }>;
  /**
   * Any same-origin request made by the page with its cookies (an image, an export), answering status,
   * content type and size: what a person's tab would get. A redirect is not followed (it would leave
   * the site for the authentication module): it answers status 0.
   */
  fetchStatus(url: string): Promise<PageResponse>;
  /** The window's current address ('' before the first goto). */
  url(): string;
  /** The cookies of the partition's jar (all windows of the partition share them). */
  cookies(): Promise<PartitionCookie[]>;
  setCookie(cookie: PartitionCookieInput): Promise<void>;
  /**
   * Has the page download `url` (same origin) into the partition's downloads folder, the way a click on
   * an export link would; resolves when the file is saved or the download failed.
   */
  download(url: string): Promise<PartitionDownload>;
  /**
   * Opens the engine WebSocket from the page (same origin), as a mashup does: csrf token from the proxy,
   * the partition's cookies and the page's Origin on the upgrade. The socket lives until the window closes.
   */
  openEngine(address: EngineAddress): Promise<EngineTab>;
  /** Downloads of this partition so far (all its windows), oldest first. */
  downloads(): PartitionDownload[];
  /**
   * From now on every request of this partition (all its windows, sockets included) to exactly `origin`
   * (https://host[:port]) carries `headers`, in place of any set before for that origin; requests to any
   * other origin never do. An empty object stops it. The headers end with the partition's jar.
   */
  sendHeaders(origin: string, headers: Record<string, string>): Promise<void>;
  /**
   * Names the window (its title bar, the task bar, the window switcher) as `title`, over whatever title the
   * site's pages give themselves, until called again. Optional: hosts whose windows have a title.
   */
  setTitle?(title: string): Promise<void>;
  /** Brings the window in front of the others and gives it focus (restored if minimised). */
  bringToFront?(): Promise<void>;
  /** Optional: hosts that can capture the page write a PNG to `path`. */
  screenshot?(path: string): Promise<void>;
  /** Closes this window; the partition's jar lives on while it has other windows. */
  close(): Promise<void>;
}

export interface BrowserHost {
  readonly kind: 'electron' | 'chromium';
  /** A new window in the partition `options.partitionId` (a new jar if none of that id is open). */
  openPartition(options: PartitionOptions): Promise<PartitionPage>;
  /** Empties the partition's cookie jar and storage; its windows stay open. */
  clearPartition(partitionId: string): Promise<void>;
  /** Closes every window of the partition and deletes its persistent storage from disk, if any. */
  destroyPartition(partitionId: string): Promise<void>;
  /**
   * Deletes the persistent storage of partitions not in `keep` (left by an earlier run that ended
   * abruptly); answers the ids removed.
   */
  removeOrphanPartitions(keep: ReadonlySet<string>): Promise<string[]>;
  writeClipboard(text: string): Promise<void>;
  /**
   * Optional, for hosts whose partitions accept only the keys known when their browser starts (chromium):
   * verifies `origins` (https://host:port) against `caPem` now, so that a partition of this CA opened
   * afterwards accepts every one of them. Best effort, never rejects: an origin that fails here fails
   * again, with its diagnosis, when a window goes there. Hosts that verify each connection (electron)
   * leave it out.
   */
  trustOrigins?(caPem: string, origins: string[]): Promise<void>;
  close(): Promise<void>;
}
