// A minimal browser tab for Node: sends the jar's cookies, stores Set-Cookie, follows redirects and
// trusts only the pinned site CA. Tests, the CLI demo and the desktop app use it to walk the ticket
// flow the way a person's browser would. Every call is bounded in time and in body size.
import tls from 'node:tls';
import type { Agent } from 'undici';
import { undici } from '../undici';
import { errorMessage } from '../error-text';
import { classifyTransport, SERVER_AUTH_HINT, WRONG_PURPOSE_CODE, wrongPurposeText } from '../qlik/errors';
import { readLimited } from '../qlik/http';
import { CookieJar } from './cookie-jar';
import { BrowserRequestError } from './errors';

export { BrowserRequestError, type BrowserErrorCode } from './errors';

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

/** Turns a low-level failure into a BrowserRequestError a Qlik administrator can act on. */
export function classifyError(err: unknown, url: URL, timeoutMs: number, timedOut: boolean): BrowserRequestError {
  if (err instanceof BrowserRequestError) return err;
  const where = `${url.hostname}:${url.port || 443}`;
  // The same reading of error chains as the QPS/QRS client; only the wording is about a browser.
  const failure = classifyTransport(err);
  if (timedOut || failure.kind === 'timeout') {
    return new BrowserRequestError(
      'TIMEOUT',
      `No answer from ${where} within ${Math.round(timeoutMs / 100) / 10} s (${url.href})`,
      'Check that the Qlik Sense Proxy Service runs on that node and that a firewall lets the proxy port through; an overloaded node answers slowly.',
      { cause: err },
    );
  }
  if (failure.kind === 'refused') {
    // As the QPS/QRS client words it: an unreachable host or network (EHOSTUNREACH...) names its code.
    return new BrowserRequestError(
      'CONNECTION_REFUSED',
      `${where} refused the connection${failure.code && failure.code !== 'ECONNREFUSED' ? ` (${failure.code})` : ''}`,
      "Nothing listens on that port: check the proxy's listen port (443 by default, QMC > Proxies > Ports) and that the Qlik Sense Proxy Service is running.",
      { cause: err },
    );
  }
  if (failure.kind === 'altname') {
    return new BrowserRequestError(
      'HOST_MISMATCH',
      `The certificate of ${where} is not issued for "${url.hostname}"${failure.reason ? `: ${failure.reason}` : ''}`,
      'Call the node by the host name it is registered with in the QMC (Nodes > host name, the name in its certificate), not by an alias or IP address.',
      { cause: err },
    );
  }
  if (failure.kind === 'untrusted' && failure.code === WRONG_PURPOSE_CODE) {
    const text = wrongPurposeText(where);
    return new BrowserRequestError('UNTRUSTED_CERT', text.charAt(0).toUpperCase() + text.slice(1), SERVER_AUTH_HINT, { cause: err });
  }
  if (failure.kind === 'untrusted') {
    return new BrowserRequestError(
      'UNTRUSTED_CERT',
      `The certificate of ${where} is not trusted (${failure.code}): it is not signed by the site CA you pinned`,
      "Use this site's root.pem (QMC > Certificates > Export) as the trusted CA. Do not turn TLS verification off.",
      { cause: err },
    );
  }
  return new BrowserRequestError(
    'NETWORK',
    `Could not complete the request to ${url.href}: ${errorMessage(err)}`,
    failure.kind === 'dns'
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
    // Only the pinned CA: the system store would accept certificates no Qlik site issued. One context
    // for every connection of this client, rather than the CA parsed again on each.
    const secureContext = tls.createSecureContext({ ca: opts.ca });
    this.agent = new (undici().Agent)({ connect: { secureContext, timeout: this.timeoutMs }, keepAliveTimeout: 4_000 });
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
      throw new BrowserRequestError(
        'NETWORK',
        `Only https addresses are supported, not ${url}`,
        'Qlik Sense proxies serve browsers over HTTPS; use https:// and the proxy port.',
      );
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

    const data = await readLimited(response, this.maxBodyBytes, () => this.tooLarge(url));
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
