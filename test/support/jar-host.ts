// A BrowserHost without a browser, for tests of what runs above the host: each partition id is one of the
// core's CookieJars behind a BrowserClient pinned to the partition's CA; windows of one id share the jar,
// persistent partitions get a folder under `storageDir` (what removeOrphanPartitions and destroyPartition
// delete), downloads are written to the partition's downloads folder. Cookie domains are listed the way
// Chromium lists them (a leading dot on domain cookies).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BrowserClient, CookieJar } from '../../electron/core/browser';
import { openClientEngine } from '../../electron/core/browser/engine-socket';
import type { BrowserHost, PartitionCookie, PartitionCookieInput, PartitionDownload, PartitionOptions, PartitionPage } from '../../electron/hosts/browser-host';
import { checkPartitionId, isInside } from '../../electron/hosts/partition-storage';
import { SiteHeaders } from '../../electron/hosts/site-headers';

interface Jar {
  options: PartitionOptions;
  jar: CookieJar;
  client: BrowserClient;
  downloads: PartitionDownload[];
  pages: Set<PartitionPage>;
  headers: SiteHeaders;
}

function serialize(c: PartitionCookieInput): string {
  let header = `${c.name}=${c.value}; Path=${c.path}`;
  if (c.domain) header += `; Domain=${c.domain}`;
  if (c.secure) header += '; Secure';
  if (c.httpOnly) header += '; HttpOnly';
  return `${header}; SameSite=${c.sameSite}`;
}

export class JarHost implements BrowserHost {
  readonly kind = 'chromium' as const;
  readonly jars = new Map<string, Jar>();
  /** Every URL any page was sent to, in order (tests find tickets here). */
  readonly visited: string[] = [];
  readonly clipboard: string[] = [];

  constructor(readonly storageDir: string) {
    mkdirSync(storageDir, { recursive: true });
  }

  /** Set by a test: the proxy's personal API (`.../qps/user`) does not answer (a timeout, say). */
  personalApiDown = false;

  /** The storage folder of partition `id`, never anything outside storageDir (".." would be its parent). */
  private storageOf(id: string): string | undefined {
    const folder = join(this.storageDir, id);
    return isInside(this.storageDir, folder) && !/[\\/]/.test(id) ? folder : undefined;
  }

  async openPartition(options: PartitionOptions): Promise<PartitionPage> {
    // As the real hosts do: the id names a folder.
    checkPartitionId(options.partitionId, Boolean(options.persistent));
    let jar = this.jars.get(options.partitionId);
    if (jar && (jar.options.caPem !== options.caPem || Boolean(jar.options.persistent) !== Boolean(options.persistent))) {
      throw new Error(`partition ${options.partitionId} reopened with another CA or persistence`);
    }
    if (!jar) {
      const cookies = new CookieJar();
      jar = {
        options,
        jar: cookies,
        client: new BrowserClient({ ca: options.caPem, jar: cookies, timeoutMs: 5_000 }),
        downloads: [],
        pages: new Set(),
        headers: new SiteHeaders(),
      };
      this.jars.set(options.partitionId, jar);
      if (options.persistent) mkdirSync(join(this.storageDir, options.partitionId), { recursive: true });
    }
    return this.page(jar);
  }

  private page(j: Jar): PartitionPage {
    let current = '';
    const visited = this.visited;
    // Read when a page asks, not when it opens: a test switches the personal API off mid-way.
    const personalApiDown = (): boolean => this.personalApiDown;
    const jars = this.jars;
    const drop = (partitionId: string): Promise<void> => this.drop(partitionId);
    const page: PartitionPage = {
      partitionId: j.options.partitionId,
      async goto(url) {
        visited.push(url);
        const origin = new URL(url).origin;
        // Redirects stop at another origin, so the login headers of this one never travel there.
        const res = await j.client.get(url, { stopAt: (next) => new URL(next).origin !== origin, headers: j.headers.for(url) ?? {} });
        current = res.url;
        return { status: res.status, url: res.url };
      },
      async fetchJson(url) {
        if (personalApiDown() && new URL(url).pathname.endsWith('/qps/user')) throw new Error(`${url} did not answer within 5 s`);
        const res = await j.client.get(url, { headers: { accept: 'application/json', ...j.headers.for(url) } });
        return { status: res.status, body: JSON.parse(res.text()) as unknown };
      },
      async fetchStatus(url) {
        const res = await j.client.get(url, { headers: j.headers.for(url) ?? {} });
        return { status: res.status, contentType: res.headers['content-type'] ?? '', bytes: res.body.length };
      },
      url: () => current,
      async cookies(): Promise<PartitionCookie[]> {
        if (!jars.has(j.options.partitionId)) throw new Error('the partition is gone');
        return j.jar.list().map((c) => ({
          name: c.name,
          value: c.value,
          domain: c.hostOnly ? c.domain : `.${c.domain}`,
          path: c.path,
          secure: c.secure,
          httpOnly: c.httpOnly,
          ...(c.sameSite ? { sameSite: c.sameSite } : {}),
        }));
      },
      async setCookie(cookie) {
        j.jar.setFromResponse(cookie.url, [serialize(cookie)]);
      },
      // As the page would: the csrf token from its own origin, the jar's cookies and the page's Origin.
      openEngine: (address) => openClientEngine(j.client, address, { ca: j.options.caPem, origin: new URL(current).origin, timeoutMs: 5_000 }),
      async download(url) {
        if (!j.options.downloadsDir) return { url, bytes: 0, error: 'downloads are refused in this partition' };
        const res = await j.client.get(url);
        // Like a browser: a refused download saves no file, whatever error page came with it.
        if (res.status < 200 || res.status > 299) return { url, bytes: 0, error: `the server answered ${res.status}` };
        const path = join(j.options.downloadsDir, basename(new URL(url).pathname) || 'download');
        mkdirSync(j.options.downloadsDir, { recursive: true });
        writeFileSync(path, res.body);
        const d: PartitionDownload = { url, path, bytes: res.body.length };
        j.downloads.push(d);
        return d;
      },
      downloads: () => [...j.downloads],
      async sendHeaders(origin, headers) {
        j.headers.set(origin, headers);
      },
      async close() {
        j.pages.delete(page);
        // An in-memory jar ends with its last window, as in a browser.
        if (j.pages.size === 0 && !j.options.persistent) await drop(j.options.partitionId);
      },
    };
    j.pages.add(page);
    return page;
  }

  private async drop(partitionId: string): Promise<void> {
    const j = this.jars.get(partitionId);
    if (!j) return;
    this.jars.delete(partitionId);
    await j.client.close();
  }

  async clearPartition(partitionId: string): Promise<void> {
    this.jars.get(partitionId)?.jar.clear();
  }

  async destroyPartition(partitionId: string): Promise<void> {
    await this.drop(partitionId);
    const folder = this.storageOf(partitionId);
    if (folder) rmSync(folder, { recursive: true, force: true });
  }

  async removeOrphanPartitions(keep: ReadonlySet<string>): Promise<string[]> {
    const removed = readdirSync(this.storageDir).filter((id) => !keep.has(id));
    for (const id of removed) {
      const folder = this.storageOf(id);
      if (folder) rmSync(folder, { recursive: true, force: true });
    }
    return removed;
  }

  async writeClipboard(text: string): Promise<void> {
    this.clipboard.push(text);
  }

  async close(): Promise<void> {
    await Promise.all([...this.jars.keys()].map((id) => this.drop(id)));
  }
}
