/**
 * The one interface both browser hosts implement: `electron` (BrowserWindow +
 * session.fromPartition) and `chromium` (playwright-core, a BrowserContext per
 * partition). The backend only ever talks to this, so the same code redeems
 * tickets whichever host is running.
 */

export interface PartitionOptions {
  /** Stable id of the isolated browser profile (one per opened ticket / user). */
  partitionId: string;
  /** The site's CA (root.pem). Partition TLS is pinned to it; nothing else is trusted. */
  caPem: string;
  /** Keep cookies on disk across restarts (electron: `persist:` partition). Default false. */
  persistent?: boolean;
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
  cookies(): Promise<PartitionCookie[]>;
  /** Optional: hosts that can capture the page write a PNG to `path`. */
  screenshot?(path: string): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserHost {
  readonly kind: 'electron' | 'chromium';
  openPartition(options: PartitionOptions): Promise<PartitionPage>;
  writeClipboard(text: string): Promise<void>;
  close(): Promise<void>;
}
