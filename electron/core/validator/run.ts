// The authentication-module validator: Usher plays the proxy. A run starts the built-in site with its
// ticket virtual proxy pointing at the module under test and exports the site's certificates; once the
// module uses them, `execute` walks a browser through the redirect flow and grades every step with what
// QPS and the proxy observed, then runs the negative probes. Two-phase because the module can only be
// configured with the certificates after the site exists.
import {
  VALIDATION_STEP_ORDER,
  VALIDATION_STEP_TITLES,
  validatorFlow,
  type ValidationReport,
  type ValidationStep,
  type TicketRedemptionObservation,
  type ValidationStepId,
} from '../../../shared/module-validation';
import { maskTickets } from '../../../shared/redact';
import { formatUser, sameUser, type UserRef } from '../../../shared/user';
import { BrowserRequestError } from '../browser';
import { errorReason } from '../error-text';
import { LoginTimeout, ModuleStoppedAnswering, Recorder, RunContext, describeExchanges, originOf, type ValidatorBrowser } from './context';
import { Findings, failGrade, skippedGrade, type Grade } from './grade';
import { gradeRedirectBack } from './grade-redirect-back';
import { gradeTicketRequest, type IssuedTicket } from './grade-ticket-request';
import { defaultLoginScript } from './login-script';
import { probeImpostorQps, probeParallel, probeReplay, probeStaleTarget } from './probes';
import { ValidationCancelled, ValidationSetupError, type LoginWindow, type ValidationOptions, type ValidationRun } from './types';
import { DEFAULT_INTERACTIVE_TIMEOUT_MS, gradeWindowLogin, loginInWindow, windowSession } from './window-login';
import { gradeEngineSocket } from './grade-engine';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_ACCOUNTS: [string, string] = ['validator-1', 'validator-2'];
/** Qlik's rule: a ticket is valid for one minute. The validator's site keeps the default. */
const TICKET_VALIDITY_MS = 60_000;

function checkModuleUrl(moduleUrl: string): URL {
  let url: URL;
  try {
    url = new URL(moduleUrl);
  } catch {
    throw new ValidationSetupError(`"${moduleUrl}" is not a URL`, 'give the module login address, e.g. https://auth.example.com/login');
  }
  if (url.protocol !== 'https:') {
    throw new ValidationSetupError(
      `the module URL must use https, not ${url.protocol}`,
      'the proxy sends browsers to the module over HTTPS; serve the module with a TLS certificate',
    );
  }
  return url;
}

/** Records steps in report order and tells the listener as each starts and ends. */
class StepLog {
  readonly steps: ValidationStep[] = [];
  constructor(
    private readonly onStep?: (step: ValidationStep) => void,
    private readonly signal?: AbortSignal,
  ) {}

  /** Cancelling takes effect here: between steps, so no step is reported half done. */
  start(id: ValidationStepId): void {
    if (this.signal?.aborted) throw new ValidationCancelled();
    this.emit({ id, title: VALIDATION_STEP_TITLES[id], status: 'running', detail: '', evidence: [] });
  }

  end(id: ValidationStepId, grade: Grade): ValidationStep {
    const step: ValidationStep = { id, title: VALIDATION_STEP_TITLES[id], ...grade };
    this.steps.push(step);
    this.emit(step);
    return step;
  }

  private emit(step: ValidationStep): void {
    try {
      this.onStep?.(step);
    } catch {
      // A listener's bug must not abort the run.
    }
  }
}

function gradeRedirect(ctx: RunContext, hub: Awaited<ReturnType<RunContext['openHub']>>, ms: number): Grade {
  const f = new Findings();
  f.note(`GET ${hub.hubUrl} in a fresh cookie jar -> HTTP ${hub.status}`);
  if (hub.status !== 302 || !hub.location) return failGrade(`the proxy answered HTTP ${hub.status}, not a redirect to the module`, f.evidence, ms);
  f.note(`Location: ${hub.location}`);
  const module = new URL(ctx.moduleUrl);
  const location = new URL(hub.location);
  if (location.origin !== module.origin || location.pathname !== module.pathname)
    f.fail(`redirected to ${location.origin}${location.pathname}, not the module ${module.origin}${module.pathname}`);
  if (hub.proxyRestUri !== ctx.site.proxyRestUri) f.fail(`proxyRestUri is ${hub.proxyRestUri ?? '(missing)'}, expected ${ctx.site.proxyRestUri}`);
  else f.note(`proxyRestUri=${hub.proxyRestUri}`);
  if (!hub.targetId) f.fail('no targetId in the redirect');
  else f.note(`targetId=${hub.targetId}`);
  return f.grade('302 to the module with proxyRestUri and targetId', ms);
}

function gradeLogin(ctx: RunContext, browser: ValidatorBrowser, outcome: Awaited<ReturnType<RunContext['login']>>): Grade {
  const ms = outcome.endedAt - outcome.startedAt;
  const evidence = describeExchanges(browser.exchanges, maskTickets);
  const err = outcome.error;
  if (err) {
    if (err instanceof BrowserRequestError && err.code === 'TOO_MANY_REDIRECTS') {
      return failGrade('the login ended in a redirect loop between the proxy and the module (the cause is graded below)', evidence, ms);
    }
    if (err instanceof LoginTimeout) return failGrade(err.message, evidence, ms);
    if (err instanceof ModuleStoppedAnswering) return failGrade(errorReason(err), evidence, ms);
    return failGrade(`the login failed: ${errorReason(err)}`, evidence, ms);
  }
  const res = outcome.response!;
  const where = maskTickets(res.url);
  if (res.status < 200 || res.status >= 300) return failGrade(`the login ended with HTTP ${res.status} at ${where}`, evidence, ms);
  if (originOf(res.url) !== ctx.hubOrigin) return failGrade(`the login ended at ${where}, never back at the proxy`, evidence, ms);
  return { status: 'pass', detail: `the browser came back to the proxy: HTTP ${res.status} at ${where}`, evidence, ms };
}

async function gradeSessionUser(ctx: RunContext, sessionOf: () => Promise<UserRef | undefined>, issued: IssuedTicket, who = 'browser'): Promise<Grade> {
  const started = Date.now();
  const session = await sessionOf().catch(() => undefined);
  const ms = Date.now() - started;
  const evidence = [`GET ${ctx.vpBase}/qps/user with the ${who}'s cookies -> ${session ? formatUser(session) : 'no session'}`];
  if (!session) return failGrade(`the ${who} holds no session; the module claimed ${formatUser(issued.user)}`, evidence, ms);
  if (!sameUser(session, issued.user))
    return failGrade(`the session belongs to ${formatUser(session)}, the module claimed ${formatUser(issued.user)}`, evidence, ms);
  return { status: 'pass', detail: `the session is ${formatUser(session)}, the user the module claimed`, evidence, ms };
}

/**
 * The ticket URL the window presented, from the proxy's record. A window's own requests cannot be listed,
 * so the window is told apart by being last: whatever else presented the ticket (a module redeeming it
 * itself) did so before it sent the window back.
 */
function windowRedemption(redemptions: TicketRedemptionObservation[], ticket: string): TicketRedemptionObservation | undefined {
  return redemptions
    .filter((r) => r.ticket === ticket)
    .sort((a, b) => a.at - b.at)
    .at(-1);
}

function withTicket(r: TicketRedemptionObservation): string {
  const url = new URL(r.url);
  url.searchParams.set(r.parameterName, r.ticket);
  return url.href;
}

/** Races `work` with the abort signal, so a login script that hangs does not hold up a cancel. */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new ValidationCancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new ValidationCancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function execute(ctx: RunContext, options: ValidationOptions, accounts: [string, string]): Promise<ValidationReport> {
  const startedAt = new Date().toISOString();
  const log = new StepLog(options.onStep, options.signal);
  const interactive = options.interactive;
  let window: LoginWindow | undefined;
  try {
    return await executeSteps(
      ctx,
      options,
      accounts,
      log,
      startedAt,
      interactive
        ? async () => (window = await interactive.openWindow({ caPem: ctx.windowCaPem, origins: [new URL(options.moduleUrl).origin, ctx.hubOrigin] }))
        : undefined,
    );
  } finally {
    await window?.close().catch(() => undefined);
  }
}

// Over 80 lines on purpose: its steps run in the order the validator grades them, each a short block with its own
// early return; split up, that order would have to be read across functions.
async function executeSteps(
  ctx: RunContext,
  options: ValidationOptions,
  accounts: [string, string],
  log: StepLog,
  startedAt: string,
  openWindow: (() => Promise<LoginWindow>) | undefined,
): Promise<ValidationReport> {
  const finish = (): ValidationReport => {
    // Whatever did not run is listed as skipped, so every report has every step.
    for (const id of VALIDATION_STEP_ORDER) if (!log.steps.some((s) => s.id === id)) log.end(id, skippedGrade('not run: an earlier step failed'));
    const steps = VALIDATION_STEP_ORDER.map((id) => log.steps.find((s) => s.id === id)!);
    return { ok: !steps.some((s) => s.status === 'fail'), moduleUrl: options.moduleUrl, startedAt, steps, flow: validatorFlow(steps, ctx.site.prefix) };
  };

  // 1. A fresh jar opens the hub: the proxy sends it to the module.
  log.start('redirect');
  const primary = ctx.newBrowser('primary');
  let t = Date.now();
  let hub: Awaited<ReturnType<RunContext['openHub']>>;
  try {
    hub = await ctx.openHub(primary);
  } catch (err) {
    log.end('redirect', failGrade(`the proxy did not answer: ${errorReason(err)}`, [], Date.now() - t));
    return finish();
  }
  const redirect = log.end('redirect', gradeRedirect(ctx, hub, Date.now() - t));
  if (redirect.status === 'fail' || !hub.location || !hub.targetId) return finish();

  // 2. The login script drives the module, or the person logs in in a window.
  log.start('login');
  let outcome: { startedAt: number; endedAt: number };
  let window: LoginWindow | undefined;
  if (openWindow) {
    const opened = Date.now();
    try {
      window = await openWindow();
    } catch (err) {
      log.end('login', failGrade(`the login window did not open: ${errorReason(err)}`, [], Date.now() - opened));
      return finish();
    }
    const won = await loginInWindow(ctx, window, hub.location, {
      timeoutMs: options.interactive?.timeoutMs ?? DEFAULT_INTERACTIVE_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
      onWaiting: () => options.interactive?.onWaiting?.({ moduleUrl: options.moduleUrl }),
    });
    outcome = won;
    log.end('login', gradeWindowLogin(ctx, won));
  } else {
    const scripted = await unlessAborted(ctx.login(primary, hub.location, { account: 1, loginHint: accounts[0] }), options.signal);
    outcome = scripted;
    log.end('login', gradeLogin(ctx, primary, scripted));
  }

  // 3. What QPS saw.
  log.start('ticket-request');
  const { grade: ticketGrade, issued } = gradeTicketRequest({
    observations: ctx.recorder.qpsBetween(outcome.startedAt, outcome.endedAt),
    proxyRestUri: ctx.site.proxyRestUri,
    targetId: hub.targetId,
    redirectedAt: outcome.startedAt,
  });
  log.end('ticket-request', ticketGrade);

  // 4. How the ticket came back.
  log.start('redirect-back');
  let ticketUrl: string | undefined;
  if (!issued) log.end('redirect-back', skippedGrade('no ticket was issued (see the ticket request)'));
  else {
    const redemptions = ctx.recorder.redemptionsBetween(outcome.startedAt, outcome.endedAt);
    const fromWindow = window ? windowRedemption(redemptions, issued.ticket) : undefined;
    const back = gradeRedirectBack({
      issued,
      redemptions,
      exchanges: window
        ? fromWindow
          ? [{ at: fromWindow.at, method: 'GET', url: withTicket(fromWindow), status: fromWindow.accepted ? 200 : 302 }]
          : []
        : primary.exchanges,
      // A window's user-agent is the browser's own; the one that presented the ticket last is the window.
      browserAgent: window ? (fromWindow?.userAgent ?? '(the login window)') : primary.agent,
      hubOrigin: ctx.hubOrigin,
      validityMs: TICKET_VALIDITY_MS,
    });
    ticketUrl = back.ticketUrl;
    log.end('redirect-back', back.grade);
  }

  // 5. Whose session the browser holds.
  log.start('session-user');
  const loginWindow = window;
  const sessionOf = loginWindow ? () => windowSession(ctx, loginWindow) : () => ctx.sessionOf(primary);
  const sessionGrade = log.end(
    'session-user',
    issued ? await gradeSessionUser(ctx, sessionOf, issued, loginWindow ? 'login window' : 'browser') : skippedGrade('no ticket was issued'),
  );

  // 6. What the page does next: the engine WebSocket, through this proxy, as the session's user.
  log.start('engine-socket');
  if (!issued || sessionGrade.status === 'fail' || sessionGrade.status === 'skipped')
    log.end('engine-socket', skippedGrade('skipped: the browser holds no session of the claimed user'));
  else {
    const openSocket = loginWindow ? () => loginWindow.openEngine(ctx.engineAddress) : () => ctx.openEngine(primary);
    log.end(
      'engine-socket',
      await gradeEngineSocket(openSocket, issued.user, loginWindow ? 'login window' : 'browser', new URL(ctx.engineAddress.socketUrl).pathname),
    );
  }

  // Probes only make sense once the main flow works; otherwise they repeat its failure.
  const mainFlowWorks = log.steps
    .filter((s) => ['ticket-request', 'redirect-back', 'session-user'].includes(s.id))
    .every((s) => s.status === 'pass' || s.status === 'warn');
  const probe = async (id: ValidationStepId, run: () => Promise<Grade>, needsLogin = false): Promise<void> => {
    if (!mainFlowWorks) {
      log.end(id, skippedGrade('skipped: the main flow failed; fix it first'));
      return;
    }
    if (needsLogin && window) {
      log.end(id, skippedGrade('skipped: this probe logs in again without a person; give a login script to run it'));
      return;
    }
    if (needsLogin && ctx.moduleDown) {
      log.end(id, skippedGrade(`skipped: ${ctx.moduleDown.message}`));
      return;
    }
    log.start(id);
    t = Date.now();
    const downBefore = ctx.moduleDown;
    try {
      const grade = await run();
      // The module went silent during this probe: that is the finding, whatever the probe made of it.
      const down = ctx.moduleDown !== downBefore ? ctx.moduleDown : undefined;
      log.end(id, down ? failGrade(errorReason(down), grade.evidence, grade.ms) : grade);
    } catch (err) {
      if (err instanceof ValidationCancelled) throw err;
      log.end(id, failGrade(`the probe could not run: ${errorReason(err)}`, [], Date.now() - t));
    }
  };
  await probe('replay', () => probeReplay(ctx, ticketUrl));
  // After the replay: the replayed ticket must still be within its minute, so a refusal means something.
  await probe('impostor-qps', () => unlessAborted(probeImpostorQps(ctx, hub.location!, accounts[0]), options.signal), true);
  await probe('stale-target', () => unlessAborted(probeStaleTarget(ctx, hub.location!, accounts[0]), options.signal), true);
  await probe('parallel', () => unlessAborted(probeParallel(ctx, accounts), options.signal), true);
  return finish();
}

/**
 * Phase one: starts the site and exports its certificates. Configure the module with `certificatesDir`
 * (and, if it asks, the hub URL), then call `execute()`; `close()` in every case.
 */
export async function startValidation(options: ValidationOptions): Promise<ValidationRun> {
  checkModuleUrl(options.moduleUrl);
  if (options.loginScript && options.interactive) {
    throw new ValidationSetupError('a run logs in with a script or in a window, not both', 'leave out the login script to log in in the window yourself');
  }
  const recorder = new Recorder();
  const site = await options.startSite({
    moduleUrl: options.moduleUrl,
    observer: recorder,
    ...(options.certificatesDir !== undefined ? { certificatesDir: options.certificatesDir } : {}),
  });
  const moduleCa = options.moduleCaPem === undefined ? [] : Array.isArray(options.moduleCaPem) ? options.moduleCaPem : [options.moduleCaPem];
  const ctx = new RunContext(site, recorder, options.moduleUrl, options.loginScript ?? defaultLoginScript, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, moduleCa);
  const accounts = options.accounts ?? DEFAULT_ACCOUNTS;
  let executed = false;
  let closed = false;
  return {
    moduleUrl: options.moduleUrl,
    certificatesDir: site.certificatesDir,
    pfxPassphrase: site.pfxPassphrase,
    proxyRestUri: site.proxyRestUri,
    hubUrl: ctx.hubUrl,
    async execute() {
      if (closed) throw new Error('this validation run is closed');
      if (executed) throw new Error('a validation run executes once; start another');
      executed = true;
      return execute(ctx, options, accounts);
    },
    async close() {
      if (closed) return;
      closed = true;
      await ctx.close();
      await site.close();
    },
  };
}
