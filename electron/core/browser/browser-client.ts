// A minimal browser tab for Node: sends the jar's cookies, stores Set-Cookie, follows redirects and
// trusts only the pinned site CA. Tests, the CLI demo and the desktop app use it to walk the ticket
// flow the way a person's browser would. Every call is bounded in time and in body size.
import { Agent } from 'undici';
import { CookieJar } from './cookie-jar';

export type BrowserErrorCode = 'TIMEOUT' | 'CONNECTION_REFUSED' | 'UNTRUSTED_CERT' | 'HOST_MISMATCH' | 'TOO_MANY_REDIRECTS' | 'BODY_TOO_LARGE' | 'NETWORK';

export class BrowserRequestError extends Error {
  override name = 'BrowserRequestError';
  constructor(
    readonly code: BrowserErrorCode,
    message: string,
    /** What to check or change, in a Qlik administrator's terms. */
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface BrowserClientOptions {
  /** PEM of the CA(s) to trust: the site's root.pem. Nothing else is trusted. */
  ca: string | string[];
  jar?: CookieJar;
  /** For one whole call, redirects included. Default 10 s. */
  timeoutMs?: number;
  /** Default 10. */
  maxRedirects?: number;
  /** Default 8 MiB. */
  maxBodyBytes?: number;
  /** Default "Usher browser client". The module validator gives each of its browsers its own, to tell them apart at the proxy. */
  userAgent?: string;
  /** Told about every single request/answer, redirect hops included (the validator's record of where a browser went). */
  onExchange?: (exchange: BrowserExchange) => void;
}

/** One request and its answer's status, as `onExchange` reports it. */
export interface BrowserExchange {
  at: number;
  method: string;
  url: string;
  status: number;
  /** The Location header of a redirect, resolved against `url`. */
  location?: string;
}

export interface RequestOptions {
  /** Default true. */
  followRedirects?: boolean;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Return the 3xx instead of following it when this says the next URL is out of reach (an auth module). */
  stopAt?: (url: string) => boolean;
}

export interface RedirectHop {
  status: number;
  url: string;
  location: string;
  /** The Set-Cookie values this hop answered with (already stored in the jar). */
  setCookie: string[];
}

export interface BrowserResponse {
  status: number;
  /** The URL that gave this answer, after any redirects. */
  url: string;
  /** Lowercase names; repeated headers joined with ", " (use `setCookie` for cookies). */
  headers: Record<string, string>;
  setCookie: string[];
  body: Buffer;
  text(): string;
  redirects: RedirectHop[];
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_REDIRECTS = 10;
const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** TLS verification codes that mean "this certificate does not chain to the CA you pinned". */
const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
]);

/** The errors undici wraps (cause chains, AggregateErrors of happy-eyeballs attempts), flattened. */
function errorChain(err: unknown): Array<Error & { code?: string; reason?: string }> {
  const out: Array<Error & { code?: string; reason?: string }> = [];
  const queue: unknown[] = [err];
  while (queue.length && out.length < 20) {
    const next = queue.shift();
    if (!(next instanceof Error)) continue;
    out.push(next);
    if (next.cause) queue.push(next.cause);
    if (next instanceof AggregateError) queue.push(...(next.errors as unknown[]));
  }
  return out;
}

/** Turns a low-level failure into a BrowserRequestError a Qlik administrator can act on. */
export function classifyError(err: unknown, url: URL, timeoutMs: number, timedOut: boolean): BrowserRequestError {
  if (err instanceof BrowserRequestError) return err;
  const where = `${url.hostname}:${url.port || 443}`;
  const chain = errorChain(err);
  const codes = chain.map((e) => e.code ?? '');
  if (timedOut || codes.some((c) => c === 'UND_ERR_CONNECT_TIMEOUT' || c === 'UND_ERR_HEADERS_TIMEOUT' || c === 'UND_ERR_BODY_TIMEOUT' || c === 'ETIMEDOUT')) {
    return new BrowserRequestError(
      'TIMEOUT',
      `No answer from ${where} within ${Math.round(timeoutMs / 100) / 10} s (${url.href})`,
      'Check that the Qlik Sense Proxy Service runs on that node and that a firewall lets the proxy port through; an overloaded node answers slowly.',
      { cause: err },
    );
  }
  if (codes.includes('ECONNREFUSED')) {
    return new BrowserRequestError(
      'CONNECTION_REFUSED',
      `${where} refused the connection`,
      "Nothing listens on that port: check the proxy's listen port (443 by default, QMC > Proxies > Ports) and that the Qlik Sense Proxy Service is running.",
      { cause: err },
    );
  }
  const altName = chain.find((e) => e.code === 'ERR_TLS_CERT_ALTNAME_INVALID');
  if (altName) {
    return new BrowserRequestError(
      'HOST_MISMATCH',
      `The certificate of ${where} is not issued for "${url.hostname}"${altName.reason ? `: ${altName.reason}` : ''}`,
      "Call the node by the host name it is registered with in the QMC (Nodes > host name, the name in its certificate), not by an alias or IP address.",
      { cause: err },
    );
  }
  const untrusted = codes.find((c) => UNTRUSTED_CODES.has(c));
  if (untrusted) {
    return new BrowserRequestError(
      'UNTRUSTED_CERT',
      `The certificate of ${where} is not trusted (${untrusted}): it is not signed by the site CA you pinned`,
      "Use this site's root.pem (QMC > Certificates > Export) as the trusted CA. Do not turn TLS verification off.",
      { cause: err },
    );
  }
  const message = chain[0]?.message ?? String(err);
  const notFound = codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN');
  return new BrowserRequestError(
    'NETWORK',
    `Could not complete the request to ${url.href}: ${message}`,
    notFound
      ? `The name "${url.hostname}" does not resolve: check the node's host name and DNS (or the hosts file).`
      : 'The connection failed or was cut: check the node is reachable and that the proxy uses HTTPS on that port.',
    { cause: err },
  );
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): { headers: Record<string, string>; setCookie: string[] } {
  const headers: Record<string, string> = {};
  let setCookie: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const name = key.toLowerCase();
    const values = Array.isArray(value) ? value : [value];
    if (name === 'set-cookie') setCookie = values;
    headers[name] = values.join(', ');
  }
  return { headers, setCookie };
}

export class BrowserClient {
  readonly jar: CookieJar;
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;
  private readonly maxBodyBytes: number;
  private readonly userAgent: string;
  private readonly onExchange?: (exchange: BrowserExchange) => void;

  constructor(opts: BrowserClientOptions) {
    this.jar = opts.jar ?? new CookieJar();
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    this.maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.userAgent = opts.userAgent ?? 'Usher browser client';
    this.onExchange = opts.onExchange;
    // Only the pinned CA: the system store would accept certificates no Qlik site issued.
    this.agent = new Agent({ connect: { ca: opts.ca, timeout: this.timeoutMs }, keepAliveTimeout: 4_000 });
  }

  get(url: string, opts: Omit<RequestOptions, 'body'> = {}): Promise<BrowserResponse> {
    return this.request('GET', url, opts);
  }

  async request(method: string, url: string, opts: RequestOptions = {}): Promise<BrowserResponse> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const redirects: RedirectHop[] = [];
    let current = new URL(url);
    if (current.protocol !== 'https:') {
      clearTimeout(timer);
      throw new BrowserRequestError('NETWORK', `Only https addresses are supported, not ${url}`, 'Qlik Sense proxies serve browsers over HTTPS; use https:// and the proxy port.');
    }
    let currentMethod = method.toUpperCase();
    let body = opts.body;
    try {
      for (;;) {
        const answer = await this.once(currentMethod, current, opts.headers ?? {}, body, controller.signal);
        const location = answer.headers.location;
        if (!(opts.followRedirects ?? true) || !REDIRECT_STATUSES.has(answer.status) || !location) return { ...answer, redirects };
        const next = new URL(location, current);
        // A browser would follow, but this client can only reach https; a module elsewhere ends the walk.
        if (next.protocol !== 'https:' || opts.stopAt?.(next.href)) return { ...answer, redirects };
        if (redirects.length >= this.maxRedirects) {
          throw new BrowserRequestError(
            'TOO_MANY_REDIRECTS',
            `More than ${this.maxRedirects} redirects, starting at ${url} (last: ${next.href})`,
            'A redirect loop: usually a ticket that was already used or is older than one minute, so the proxy sends the browser back to the authentication module again and again.',
          );
        }
        redirects.push({ status: answer.status, url: current.href, location: next.href, setCookie: answer.setCookie });
        // 303, and 301/302 after a POST, turn into a GET without body, as browsers do.
        if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && currentMethod === 'POST')) {
          currentMethod = 'GET';
          body = undefined;
        }
        current = next;
      }
    } catch (err) {
      throw classifyError(err, current, this.timeoutMs, timedOut);
    } finally {
      clearTimeout(timer);
    }
  }

  private async once(
    method: string,
    url: URL,
    extraHeaders: Record<string, string>,
    body: string | Buffer | undefined,
    signal: AbortSignal,
  ): Promise<Omit<BrowserResponse, 'redirects'>> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent, accept: '*/*' };
    const cookie = this.jar.cookieHeader(url.href);
    if (cookie) headers.cookie = cookie;
    for (const [name, value] of Object.entries(extraHeaders)) headers[name.toLowerCase()] = value;

    const response = await this.agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: method as 'GET',
      headers,
      body: body ?? null,
      signal,
    });
    const { headers: flat, setCookie } = flattenHeaders(response.headers);
    if (this.onExchange) {
      let location: string | undefined;
      try {
        location = flat.location ? new URL(flat.location, url).href : undefined;
      } catch {
        location = flat.location;
      }
      this.onExchange({ at: Date.now(), method, url: url.href, status: response.statusCode, location });
    }
    // Cookies count even when the body is refused: the browser has already received the headers.
    if (setCookie.length) this.jar.setFromResponse(url.href, setCookie);

    const declared = Number(flat['content-length']);
    if (declared > this.maxBodyBytes) {
      // Without a listener, undici reports the abort of a destroyed body as an uncaught error.
      response.body.on('error', () => undefined);
      response.body.destroy();
      throw this.tooLarge(url);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      const data = chunk as Buffer;
      size += data.length;
      // Leaving the loop by throwing makes the iterator destroy the body.
      if (size > this.maxBodyBytes) throw this.tooLarge(url);
      chunks.push(data);
    }
    const data = Buffer.concat(chunks);
    return { status: response.statusCode, url: url.href, headers: flat, setCookie, body: data, text: () => data.toString('utf8') };
  }

  private tooLarge(url: URL): BrowserRequestError {
    return new BrowserRequestError(
      'BODY_TOO_LARGE',
      `The answer from ${url.href} is larger than ${this.maxBodyBytes} bytes`,
      'This client reads pages, images and small exports; download large exports with a tool meant for it, or raise maxBodyBytes.',
    );
  }

  /** Closes pooled connections; the client cannot be used afterwards. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}
