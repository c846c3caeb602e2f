// Tabs for the seed-003 scenario in Node (the CLI and `usher demo`): a BrowserClient per tab over a
// CookieJar per jar name, so two tabs of the shared case really share one cookie store, as two tabs of
// one browser do. TLS is pinned to the site CA; every request is bounded by the client's timeout.
import { BrowserClient, CookieJar, type BrowserResponse } from '../browser';
import type { JarCase } from '../../../shared/shared-jar';
import { openClientEngine } from '../browser/engine-socket';
import type { EngineTab } from '../qlik/engine-rpc';
import type { EngineAddress } from './engine-tab';
import type { CookiePage } from '../operations/open-login';
import type { SessionCookieSpec } from '../sessions/session-injection';
import type { ScenarioTab, TabDownload, TabFactory, TabRequest, TabResponse } from './shared-jar';

const DEFAULT_TIMEOUT_MS = 10_000;

export interface NodeTabOptions {
  /** The site CA (root.pem). */
  ca: string;
  /** The proxy's origin: redirects elsewhere (the authentication module) are not followed. */
  proxy: string;
  timeoutMs?: number;
}

/** A tab in Node: a scenario's tab, and the page a CLI login (core/operations/open-login.ts) happens in. */
export class NodeTab implements ScenarioTab, CookiePage {
  /** Headers every request to the proxy's origin carries (a header or JWT login); none by default. */
  private loginHeaders: Record<string, string> = {};

  constructor(
    private readonly client: BrowserClient,
    private readonly origin: string,
    private readonly ca: string,
    private readonly timeoutMs: number,
    readonly partitionId = 'node-tab',
  ) {}

  /** A browser would follow to the module; stopping there keeps the answer on the proxy (302 + Location). */
  private get(url: string, accept = '*/*'): Promise<BrowserResponse> {
    const headers = new URL(url).origin === this.origin ? { ...this.loginHeaders, accept } : { accept };
    return this.client.get(url, { stopAt: (next) => new URL(next).origin !== this.origin, headers });
  }

  /** A cookie set from outside (the session API's), stored by the jar's own rules as if the proxy had set it. */
  async setCookie(cookie: SessionCookieSpec): Promise<void> {
    const attributes = [`Path=${cookie.path}`, 'Secure', 'HttpOnly', `SameSite=${cookie.sameSite}`, ...(cookie.domain ? [`Domain=${cookie.domain}`] : [])];
    this.client.jar.setFromResponse(cookie.url, [`${cookie.name}=${cookie.value}; ${attributes.join('; ')}`]);
    if (!this.client.jar.matching(cookie.url).some((c) => c.name === cookie.name && c.value === cookie.value)) {
      throw new Error(`the jar refused the cookie ${cookie.name} for ${cookie.url}`);
    }
  }

  /** Only the proxy's own origin gets them: the tab never leaves it (redirects elsewhere are not followed). */
  async sendHeaders(origin: string, headers: Record<string, string>): Promise<void> {
    if (new URL(origin).origin !== this.origin) throw new Error(`this tab only reaches ${this.origin}, not ${origin}`);
    this.loginHeaders = { ...headers };
  }

  async goto(url: string): Promise<{ status: number; url: string }> {
    const response = await this.get(url, 'text/html');
    return { status: response.status, url: response.url };
  }

  async fetchStatus(url: string): Promise<TabResponse> {
    const response = await this.get(url);
    return { status: response.status, contentType: response.headers['content-type'] ?? '', bytes: response.body.length };
  }

  async fetchJson(url: string): Promise<{ status: number; body: unknown }> {
    const response = await this.get(url, 'application/json');
    let body: unknown = response.text();
    try {
      body = JSON.parse(response.text());
    } catch {
      // not JSON: the text is the answer (an error page)
    }
    return { status: response.status, body };
  }

  async download(url: string): Promise<TabDownload> {
    const response = await this.get(url);
    if (response.status >= 200 && response.status <= 299) return { status: response.status, bytes: response.body.length };
    // Like a browser: a refused export saves no file, whatever error page came with it.
    return { status: response.status, bytes: 0, error: `the proxy answered ${response.status} instead of the file` };
  }

  /** As a page on the proxy's origin opens it: the jar's cookie, that Origin, and the csrf token of the session. */
  openEngine(address: EngineAddress): Promise<EngineTab> {
    return openClientEngine(this.client, address, { ca: this.ca, origin: this.origin, timeoutMs: this.timeoutMs });
  }

  async cookies(): Promise<Array<{ name: string; value: string }>> {
    return this.client.jar.list().map((c) => ({ name: c.name, value: c.value }));
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** One tab with a fresh jar on the proxy, named `partitionId` in what it reports (a CLI login). */
export function openNodeTab(options: NodeTabOptions & { partitionId: string }): NodeTab {
  const client = new BrowserClient({ ca: options.ca, maxRedirects: 5, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
  return new NodeTab(client, new URL(options.proxy).origin, options.ca, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.partitionId);
}

export function createNodeTabs(options: NodeTabOptions): TabFactory {
  const origin = new URL(options.proxy).origin;
  const jars = new Map<string, CookieJar>();
  const key = (jarCase: JarCase, jar: string): string => `${jarCase}\u0000${jar}`;
  return {
    async open(request: TabRequest) {
      let jar = jars.get(key(request.case, request.jar));
      if (!jar) jars.set(key(request.case, request.jar), (jar = new CookieJar()));
      const client = new BrowserClient({ ca: options.ca, jar, maxRedirects: 5, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
      return new NodeTab(client, origin, options.ca, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    },
    async endCase(jarCase) {
      for (const k of [...jars.keys()]) if (k.startsWith(`${jarCase}\u0000`)) jars.delete(k);
    },
  };
}
