// What every step of a validation run shares: the site, the record of what it observed, and browsers that
// each carry their own user-agent (so the proxy's record says which browser - or which other client -
// presented a ticket) and keep a list of every request they made.
import { randomBytes } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { QpsObservation, QpsRequestObservation, SiteObserver, TicketRedemptionObservation } from '../../../shared/module-validation';
import { userRefOf, type UserRef } from '../../../shared/user';
import { BrowserClient, BrowserRequestError, CookieJar, type BrowserExchange, type BrowserResponse } from '../browser';
import { isTicketRequest } from './grade-ticket-request';
import type { LoginContext, LoginScript, ValidationSite } from './types';
import { openClientEngine } from '../browser/engine-socket';
import type { EngineTab } from '../qlik/engine-rpc';
import type { EngineAddress } from '../scenarios/engine-tab';
import { UsherError } from '../../../shared/errors';

/** Collects the site's observations; bounded, so a module in a redirect loop cannot grow it forever. */
export class Recorder implements SiteObserver {
  readonly qps: QpsObservation[] = [];
  readonly redemptions: TicketRedemptionObservation[] = [];
  private static readonly LIMIT = 5000;

  onQpsRequest(observation: QpsObservation): void {
    if (this.qps.length < Recorder.LIMIT) this.qps.push(observation);
  }

  onTicketRedemption(observation: TicketRedemptionObservation): void {
    if (this.redemptions.length < Recorder.LIMIT) this.redemptions.push(observation);
  }

  qpsBetween(from: number, to: number): QpsObservation[] {
    return this.qps.filter((o) => o.at >= from && o.at <= to);
  }

  /** The ticket requests among them. */
  ticketRequestsBetween(from: number, to: number): QpsRequestObservation[] {
    return this.qpsBetween(from, to).filter(isTicketRequest);
  }

  redemptionsBetween(from: number, to: number): TicketRedemptionObservation[] {
    return this.redemptions.filter((o) => o.at >= from && o.at <= to);
  }
}

export interface ValidatorBrowser {
  client: BrowserClient;
  /** Its user-agent: how the proxy's record tells this browser from the module. */
  agent: string;
  exchanges: BrowserExchange[];
}

/** Where the proxy sent a fresh browser: the module URL and what it carries. */
export interface HubRedirect {
  /** The URL the browser started at (its target). */
  hubUrl: string;
  status: number;
  location?: string;
  proxyRestUri?: string;
  targetId?: string;
}

/** How a login ended: the browser's last answer, or the error that stopped it. */
export interface LoginOutcome {
  startedAt: number;
  endedAt: number;
  response?: BrowserResponse;
  error?: unknown;
}

export class LoginTimeout extends Error {
  override name = 'LoginTimeout';
}

/**
 * A login failed because the module itself no longer answers (its process died or hangs). Said in those
 * words: the browser client's own wording for a refused connection would send the person to the proxy.
 */
export class ModuleStoppedAnswering extends UsherError<'MODULE_STOPPED_ANSWERING'> {
  override name = 'ModuleStoppedAnswering';
  declare readonly hint: string;
  constructor(moduleOrigin: string, reason: string, answeredBefore: boolean) {
    super(
      'MODULE_STOPPED_ANSWERING',
      `the authentication module ${answeredBefore ? 'stopped answering' : 'does not answer'} at ${moduleOrigin}: ${reason}`,
      "Check that the module's process is still running (its log says why it stopped), then run the validation again.",
    );
  }
}

/** How long the check that follows a failed login waits for the module to answer anything at all. */
const MODULE_CHECK_MS = 5_000;

export class RunContext {
  readonly recorder: Recorder;
  readonly hubOrigin: string;
  /** `https://host:port/<prefix>` */
  readonly vpBase: string;
  private readonly browsers: BrowserClient[] = [];
  private readonly runId = randomBytes(4).toString('hex');
  private readonly trusted: string[];
  /** A login through the module has worked in this run (so silence now means it stopped). */
  private moduleAnswered = false;
  /** Set when a login found the module silent: later probes are skipped, naming it. */
  moduleDown: ModuleStoppedAnswering | undefined;

  constructor(
    readonly site: ValidationSite,
    recorder: Recorder,
    readonly moduleUrl: string,
    readonly loginScript: LoginScript,
    readonly timeoutMs: number,
    moduleCaPem: string[],
  ) {
    this.recorder = recorder;
    this.hubOrigin = new URL(site.hubBase).origin;
    this.vpBase = `${site.hubBase}/${site.prefix}`;
    // The module's own HTTPS certificate is usually from a public or company CA, the proxy's from the site CA.
    this.trusted = [...rootCertificates, site.caPem, ...moduleCaPem];
  }

  /**
   * What a login window trusts, as one PEM bundle: the same as the headless browsers (system roots for a
   * module with a public certificate, the site CA for the proxy, the module's CA if given).
   */
  get windowCaPem(): string {
    return this.trusted.join('\n');
  }

  get hubUrl(): string {
    return `${this.vpBase}/hub/`;
  }

  newBrowser(label: string): ValidatorBrowser {
    const agent = `Usher module validator (${label}; run ${this.runId})`;
    const exchanges: BrowserExchange[] = [];
    const client = new BrowserClient({
      ca: this.trusted,
      jar: new CookieJar(),
      userAgent: agent,
      onExchange: (e) => {
        if (exchanges.length < 500) exchanges.push(e);
      },
      // A ticket that does not work makes proxy and module bounce the browser; stop that early.
      maxRedirects: 8,
      timeoutMs: Math.min(this.timeoutMs, 15_000),
    });
    this.browsers.push(client);
    return { client, agent, exchanges };
  }

  /** Opens the ticket virtual proxy's hub (plus `query`) and stops where the proxy sends the browser away. */
  async openHub(browser: ValidatorBrowser, query = ''): Promise<HubRedirect> {
    const hubUrl = `${this.hubUrl}${query}`;
    const res = await browser.client.get(hubUrl, { stopAt: (u) => originOf(u) !== this.hubOrigin });
    const location = res.headers.location ? new URL(res.headers.location, hubUrl).href : undefined;
    const params = location ? new URL(location).searchParams : undefined;
    return {
      hubUrl,
      status: res.status,
      location,
      proxyRestUri: params?.get('proxyRestUri') ?? undefined,
      targetId: params?.get('targetId') ?? undefined,
    };
  }

  /** Runs the login script, bounded in time; never throws. */
  async login(browser: ValidatorBrowser, redirectUrl: string, context: LoginContext): Promise<LoginOutcome> {
    const startedAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LoginTimeout(`the login did not finish within ${Math.round(this.timeoutMs / 1000)} s`)), this.timeoutMs);
    });
    try {
      const response = await Promise.race([this.loginScript(browser.client, redirectUrl, context), timeout]);
      this.moduleAnswered = true;
      return { startedAt, endedAt: Date.now(), response };
    } catch (error) {
      clearTimeout(timer);
      const silence = await this.moduleSilence();
      if (silence === undefined) return { startedAt, endedAt: Date.now(), error };
      this.moduleDown = new ModuleStoppedAnswering(new URL(this.moduleUrl).origin, silence, this.moduleAnswered);
      return { startedAt, endedAt: Date.now(), error: this.moduleDown };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * After a failed login: why the module does not answer at all, or undefined when it answers anything
   * (any HTTP status: then the login failed for a reason of its own, which the step grades).
   */
  private async moduleSilence(): Promise<string | undefined> {
    const ms = Math.min(this.timeoutMs, MODULE_CHECK_MS);
    const client = new BrowserClient({ ca: this.trusted, timeoutMs: ms, userAgent: `Usher module validator (liveness; run ${this.runId})` });
    try {
      await client.get(this.moduleUrl, { followRedirects: false });
      return undefined;
    } catch (err) {
      if (!(err instanceof BrowserRequestError)) return undefined;
      if (err.code === 'CONNECTION_REFUSED') return 'nothing accepts connections there (connection refused), so its process is not running';
      if (err.code === 'TIMEOUT') return `it accepts connections but sent no answer within ${Math.round(ms / 100) / 10} s, so its process hangs`;
      if (err.code === 'NETWORK') return 'the connection was cut before any answer';
      return undefined;
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  /** Where a page of the ticket virtual proxy opens the engine socket, and gets the csrf token for it. */
  get engineAddress(): EngineAddress {
    return { socketUrl: `${this.vpBase.replace(/^https:/, 'wss:')}/app/engineData`, csrfTokenUrl: `${this.vpBase}/qps/csrftoken` };
  }

  /** The engine socket as a page on the proxy would open it: this browser's cookies, the hub's origin, the token. */
  openEngine(browser: ValidatorBrowser): Promise<EngineTab> {
    return openClientEngine(browser.client, this.engineAddress, {
      ca: this.trusted,
      origin: this.hubOrigin,
      userAgent: browser.agent,
      timeoutMs: Math.min(this.timeoutMs, 15_000),
    });
  }

  /** The user of the session this browser holds on the ticket virtual proxy (personal API), if any. */
  async sessionOf(browser: ValidatorBrowser): Promise<UserRef | undefined> {
    const res = await browser.client.get(`${this.vpBase}/qps/user`, { followRedirects: false });
    if (res.status !== 200) return undefined;
    try {
      return userRefOf(JSON.parse(res.text()));
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.browsers.map((b) => b.close()));
  }
}

export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** One line per request of a login, tickets masked, for evidence. */
export function describeExchanges(exchanges: BrowserExchange[], mask: (url: string) => string, limit = 10): string[] {
  const lines = exchanges.slice(0, limit).map((e) => `${e.method} ${mask(e.url)} -> ${e.status}${e.location ? ` (Location ${mask(e.location)})` : ''}`);
  if (exchanges.length > limit) lines.push(`... ${exchanges.length - limit} more request(s)`);
  return lines;
}
