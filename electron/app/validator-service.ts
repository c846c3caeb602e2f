// The console's authentication-module validator: the same two-phase run as `usher validate-module`.
// `start` brings up the validator's own site and its certificate export (the module must be configured
// with it), `run` grades every step and streams them as `validator.step` events, `cancel` stops either.
// One run per console: the site, its export folder (which holds the site's client key) and any login
// window are released when the run ends, is cancelled, or the backend closes.
import { randomUUID } from 'node:crypto';
import type { RequestOf, ValidatorRunInfo, ValidatorRunView } from '../../shared/ipc/contract';
import type { ValidationStep } from '../../shared/module-validation';
import {
  loadLoginScriptFile,
  readModuleCa,
  startValidation,
  ValidationCancelled,
  type InteractiveLogin,
  type LoginWindow,
  type ValidationRun,
  type ValidationSiteFactory,
} from '../core/validator';
import type { BrowserHost, PartitionPage } from '../hosts/browser-host';
import { BackendError } from './backend-error';
import type { BackendEvents } from './backend-events';

export interface ValidatorServiceOptions {
  host: BrowserHost;
  events: BackendEvents;
  clipboard: (text: string) => Promise<void>;
  /** The validator's site (startValidationSite; tests hand in one sharing a test PKI). */
  startSite: ValidationSiteFactory;
  /**
   * The app data folder: no login script is loaded from inside it (partition downloads land there, so a
   * page of the site could otherwise plant the code the main process runs).
   */
  dataDir: string;
  /** Per scripted login. Default: the core's 30 s. */
  scriptTimeoutMs?: number;
  /** How long a person has to log in in the window. Default: the core's 5 minutes. */
  windowTimeoutMs?: number;
}

interface ActiveRun {
  id: string;
  run: ValidationRun;
  abort: AbortController;
  state: 'ready' | 'running';
}

export class ValidatorService {
  private active: ActiveRun | undefined;
  /** Set while `start` is setting up, so a second start cannot slip in before `active` exists. */
  private starting = false;

  constructor(private readonly options: ValidatorServiceOptions) {}

  async start(req: RequestOf<'validator.start'>): Promise<ValidatorRunInfo> {
    if (this.active || this.starting) {
      throw new BackendError(
        'VALIDATION_BUSY',
        `A module validation is already ${this.active?.state === 'running' ? 'running' : 'set up'} in this console.`,
        'Wait for it to finish or cancel it, then start again: one validator site runs at a time.',
      );
    }
    this.starting = true;
    try {
      const loginScript = req.loginScriptPath ? loadLoginScriptFile(req.loginScriptPath, this.options.dataDir) : undefined;
      const moduleCaPem = req.moduleCaPath ? readModuleCa(req.moduleCaPath) : undefined;
      const id = randomUUID();
      const abort = new AbortController();
      const run = await startValidation({
        moduleUrl: req.moduleUrl,
        startSite: this.options.startSite,
        ...(loginScript ? { loginScript } : { interactive: this.interactive(id) }),
        ...(moduleCaPem ? { moduleCaPem } : {}),
        ...(this.options.scriptTimeoutMs !== undefined ? { timeoutMs: this.options.scriptTimeoutMs } : {}),
        signal: abort.signal,
        onStep: (step) => this.emit(id, abort.signal, step),
      });
      this.active = { id, run, abort, state: 'ready' };
      return {
        runId: id,
        moduleUrl: run.moduleUrl,
        certificatesDir: run.certificatesDir,
        proxyRestUri: run.proxyRestUri,
        hubUrl: run.hubUrl,
        login: req.loginScriptPath ? { kind: 'script', path: req.loginScriptPath } : { kind: 'window' },
      };
    } finally {
      this.starting = false;
    }
  }

  async run(req: RequestOf<'validator.run'>): Promise<ValidatorRunView> {
    const active = this.require(req.runId);
    if (active.state === 'running')
      throw new BackendError('VALIDATION_BUSY', 'This validation is already running.', 'Wait for its steps to finish, or cancel it.');
    active.state = 'running';
    try {
      const report = await active.run.execute();
      return { runId: active.id, report, certificatesDir: active.run.certificatesDir, certificatesRemoved: true };
    } catch (err) {
      if (err instanceof ValidationCancelled)
        throw new BackendError('RUN_NOT_FOUND', 'The validation was cancelled before it finished.', 'Start a new validation when the module is ready.');
      throw err;
    } finally {
      await this.release(active);
    }
  }

  async cancel(req: RequestOf<'validator.cancel'>): Promise<{ cancelled: boolean }> {
    const active = this.active;
    if (!active || active.id !== req.runId) return { cancelled: false };
    active.abort.abort();
    // Closing stops the site and the browsers, so whatever step is in flight fails fast and `run` returns.
    await this.release(active);
    return { cancelled: true };
  }

  async copyPassphrase(req: RequestOf<'validator.copyPassphrase'>): Promise<{ copied: true }> {
    await this.options.clipboard(this.require(req.runId).run.pfxPassphrase);
    return { copied: true };
  }

  async close(): Promise<void> {
    const active = this.active;
    if (!active) return;
    active.abort.abort();
    await this.release(active);
  }

  private require(runId: string): ActiveRun {
    const active = this.active;
    if (!active || active.id !== runId) {
      throw new BackendError('RUN_NOT_FOUND', 'This validation run has ended (finished, cancelled, or the console restarted).', 'Start a new validation.');
    }
    return active;
  }

  private async release(active: ActiveRun): Promise<void> {
    if (this.active === active) this.active = undefined;
    await active.run.close();
  }

  private emit(runId: string, signal: AbortSignal, step: ValidationStep, waitingForLogin?: boolean): void {
    // After a cancel the steps still in flight fail on the closed site: they are not news to anyone.
    if (signal.aborted) return;
    this.options.events.emit('validator.step', { runId, step, ...(waitingForLogin ? { waitingForLogin } : {}) });
  }

  /** The person logs in in a partition window of the console's browser host. */
  private interactive(runId: string): InteractiveLogin {
    const { host } = this.options;
    return {
      ...(this.options.windowTimeoutMs !== undefined ? { timeoutMs: this.options.windowTimeoutMs } : {}),
      openWindow: (window) => openLoginWindow(host, runId, window),
      onWaiting: () => {
        const active = this.active;
        if (active?.id !== runId) return;
        this.emit(
          runId,
          active.abort.signal,
          { id: 'login', title: 'Login at the module', status: 'running', detail: 'Log in at the module in the window Usher opened.', evidence: [] },
          true,
        );
      },
    };
  }
}

/** The partition page as the core's LoginWindow: a fresh jar, closed with the run. */
export async function openLoginWindow(host: BrowserHost, runId: string, window: { caPem: string; origins: string[] }): Promise<LoginWindow> {
  const { caPem, origins } = window;
  // The login crosses from the module to the proxy: a host whose partitions cannot widen their trust
  // later (chromium) verifies every origin before the window's first visit.
  if (origins.length > 1) await host.trustOrigins?.(caPem, origins);
  const page: PartitionPage = await host.openPartition({ partitionId: `validator-${runId}-${randomUUID().slice(0, 8)}`, caPem });
  return {
    goto: (url) => page.goto(url),
    url: () => page.url(),
    fetchJson: (url) => page.fetchJson(url),
    openEngine: (address) => page.openEngine(address),
    close: () => page.close(),
  };
}
