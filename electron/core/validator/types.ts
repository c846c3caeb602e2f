// The validator's inputs: the login script a user provides for headless runs, and the simulated site it
// plays the proxy with. The site is handed in (core never imports the simulator), so the CLI, the console
// and tests all wire the same built-in site: `startSite: startValidationSite`.
import type { SiteObserver, ValidationReport, ValidationStep } from '../../../shared/module-validation';
import type { BrowserClient, BrowserResponse } from '../browser';
import type { EngineTab } from '../qlik/engine-rpc';
import type { EngineAddress } from '../scenarios/engine-tab';
import { UsherError } from '../../../shared/errors';

/** Which of the two test accounts a login is for (the parallel probe logs both in at once). */
export interface LoginContext {
  account: 1 | 2;
  /** A user name hint; the default script passes it to the module as `login_hint` (the OIDC name for it). */
  loginHint: string;
}

/**
 * Drives one login at the module in headless mode: starts at `redirectUrl` (the module, with proxyRestUri
 * and targetId) and returns the browser's last answer once the module sent it back to the proxy.
 */
export type LoginScript = (browser: BrowserClient, redirectUrl: string, context: LoginContext) => Promise<BrowserResponse>;

/** A running site whose ticket virtual proxy points at the module under test. */
export interface ValidationSite {
  /** `https://host:port` of the proxy front end. */
  hubBase: string;
  /** The ticket virtual proxy's prefix. */
  prefix: string;
  /** What the proxy gives the module: `https://host:port/qps/<prefix>/`. */
  proxyRestUri: string;
  /** The site CA (root.pem): the browsers trust it. */
  caPem: string;
  /** The QMC-style export (client.pem, client_key.pem, root.pem, client.pfx) the module must use. */
  certificatesDir: string;
  pfxPassphrase: string;
  /** Starts an impostor of this site's QPS (see ImpostorQps); the caller closes it. */
  startImpostorQps(): Promise<ImpostorQps>;
  close(): Promise<void>;
}

/**
 * A TLS server on QPS's host name whose certificate another CA issued (one that even carries the site
 * CA's name): what a machine in the middle presents. A module that verifies QPS's certificate against
 * root.pem refuses the handshake; one that does not sends it the ticket request, user and all.
 */
export interface ImpostorQps {
  /** A proxyRestUri pointing at the impostor: `https://<QPS host name>:<port>/qps/<prefix>/`. */
  proxyRestUri: string;
  /** Its certificate, for evidence: `CN=...` of subject and issuer. */
  certificate: { subject: string; issuer: string };
  /** TCP connections it accepted, and the HTTP requests that got past the TLS handshake. */
  seen(): { connections: number; requests: ImpostorRequest[] };
  close(): Promise<void>;
}

export interface ImpostorRequest {
  at: number;
  method: string;
  /** The path without the query (the xrfkey stays out of reports). */
  path: string;
  /** `UserDirectory\UserId` when the body was a ticket request. */
  user?: string;
  /** The subject of the client certificate the caller presented, if any. */
  clientCertificate?: string;
}

export type ValidationSiteFactory = (options: { moduleUrl: string; observer: SiteObserver; certificatesDir?: string }) => Promise<ValidationSite>;

/**
 * A real browser window a person logs in with (the console's partition window). Core drives it through
 * this narrow shape only, so it stays free of any browser host.
 */
export interface LoginWindow {
  /** Navigates; resolves with the answer after redirects (a login form stops it there). */
  goto(url: string): Promise<{ status: number; url: string }>;
  /** The window's current address: it moves on as the person logs in. */
  url(): string;
  /** A same-origin GET made by the page, with the window's cookies. */
  fetchJson(url: string): Promise<{ status: number; body: unknown }>;
  /** The engine WebSocket opened by the page itself (its cookies, origin and the proxy's csrf token). */
  openEngine(address: EngineAddress): Promise<EngineTab>;
  close(): Promise<void>;
}

/** Instead of a login script: the person logs in in a browser window. */
export interface InteractiveLogin {
  /**
   * A fresh window (its own cookie jar) whose TLS trusts `caPem` (the site CA, the module's CA, system
   * roots). `origins`: where the login goes (the module's, then the proxy's), for hosts that must know
   * every origin a window will visit before it opens.
   */
  openWindow(options: { caPem: string; origins: string[] }): Promise<LoginWindow>;
  /** How long the person has to log in (default 5 minutes). */
  timeoutMs?: number;
  /** Told once the window shows the module and the run waits for the person. */
  onWaiting?(info: { moduleUrl: string }): void;
}

export interface ValidationOptions {
  /** The module's login URL: where the proxy sends browsers (authenticationModuleRedirectUri). HTTPS. */
  moduleUrl: string;
  startSite: ValidationSiteFactory;
  /** Default: GET the module URL (with login_hint) and follow redirects. */
  loginScript?: LoginScript;
  /**
   * The person logs in in a window instead (exclusive with loginScript). The probes that need more
   * logins (unknown targetId, two in parallel) are then skipped: they need a script.
   */
  interactive?: InteractiveLogin;
  /** Aborting stops the run at the next step (a waiting login stops at once); execute() rejects with ValidationCancelled. */
  signal?: AbortSignal;
  /** Per login; default 30 s. */
  timeoutMs?: number;
  /** CA(s) of the module's own HTTPS certificate, trusted besides the system roots and the site CA. */
  moduleCaPem?: string | string[];
  /** Where the certificate export goes (default: a temp folder removed on close). */
  certificatesDir?: string;
  /** Login hints for the two test accounts. */
  accounts?: [string, string];
  /** Every step as it starts (`running`) and as it ends. */
  onStep?: (step: ValidationStep) => void;
}

/** What the module must be configured with before the run starts. */
export interface ValidationRunInfo {
  moduleUrl: string;
  certificatesDir: string;
  pfxPassphrase: string;
  proxyRestUri: string;
  /** The hub of the ticket virtual proxy: where a browser starts. */
  hubUrl: string;
}

export interface ValidationRun extends ValidationRunInfo {
  /** Walks every step and the probes; call once the module uses `certificatesDir`. */
  execute(): Promise<ValidationReport>;
  /** Stops the site (and removes the export Usher made). */
  close(): Promise<void>;
}

/** The run was cancelled through `signal`. */
export class ValidationCancelled extends UsherError<'VALIDATION_CANCELLED'> {
  override name = 'ValidationCancelled';
  constructor() {
    super('VALIDATION_CANCELLED', 'The module validation was cancelled.', 'Start the validation again when you are ready.');
  }
}

export class ValidationSetupError extends UsherError<'VALIDATION_SETUP'> {
  override name = 'ValidationSetupError';
  declare readonly hint: string;
  constructor(message: string, hint: string) {
    super('VALIDATION_SETUP', message, hint);
  }
}
