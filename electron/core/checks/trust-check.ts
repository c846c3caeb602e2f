// The trust check: a step-by-step diagnosis of a site's certificates and addresses, from the files to a
// real ticket. Each step reports as it runs (the UI shows it live, the CLI prints it), and a failed step
// names its cause and fix in a Qlik administrator's words; the steps after it are skipped, since they
// could only fail for the same reason.
import { prefixLabel, prefixPhrase, virtualProxyBase } from '../../../shared/virtual-proxy';
import { plural } from '../../../shared/plural';
import { OPTIONAL_TRUST_STEPS, TRUST_STEP_ORDER, TRUST_STEP_TITLES, type TrustStep, type TrustStepId } from '../../../shared/trust-check';
import { appendQlikTicket } from '../../../shared/ticket-url';
import { trustTicketFlow, type TrustTicketTimings } from '../../../shared/ticket-flow';
import { type UserRef, formatUser, sameUser } from '../../../shared/user';
import { diagnoseEngineSocket } from './socket-diagnosis';
import { socketFindingLine, type SocketDiagnosis } from '../../../shared/socket-diagnosis';
import { BrowserClient, BrowserRequestError } from '../browser';
import { CertImportError, loadCertificateSet, validateCertificateSet, type CertificateInput, type CertificateReport, type CertificateSet } from '../certs';
import { QlikConnection, QlikError, type ProxyServiceConfig, type RecordListener, type VirtualProxyConfig, proxyServiceUrls } from '../qlik';
import { nodeTargets, type NodeTarget } from '../sessions/inventory';
import { errorMessage } from '../error-text';
import { checkTcpReach, verifyServerCertificate } from './server-certificate';
import { identifyNonQpsService, wrongPortFailure } from './wrong-port';

export type TrustCertificates =
  | {
      from: 'files';
      input: CertificateInput;
      passphrase?: string;
      /**
       * Asked when the files turn out to need a passphrase none was given for (a terminal prompt): the
       * files are read once more with it. Without it, the step fails with PASSPHRASE_REQUIRED. When it
       * rejects (no terminal, cancelled), the check ends with that rejection: nobody gave an answer to grade.
       */
      askPassphrase?: (file: string | undefined) => Promise<string>;
    }
  /** Already imported (a profile's vault bundle): the files step reports where they came from. */
  | { from: 'set'; set: CertificateSet; origin: string };

export interface TrustCheckInput {
  certificates: TrustCertificates;
  qps: string;
  qrs: string;
  /** Optional last step: a real ticket for this user on this virtual proxy, redeemed, its session ended. */
  ticketTest?: { user: UserRef; virtualProxy: string };
  /**
   * Optional, after it: the engine WebSocket a mashup on `origin` would open for this user (logged in by a
   * ticket), each piece it needs named, the first missing one with its QMC fix (socket-diagnosis.ts).
   */
  socketTest?: { user: UserRef; virtualProxy: string; origin: string };
  timeoutMs?: number;
  /** Told about every ticket and session the check creates (the audit log). */
  onCreated?: (what: { action: 'ticket' | 'session-end'; user: UserRef; virtualProxy: string; node: string; value: string }) => Promise<void> | void;
  /**
   * Told about every QPS/QRS call the check makes (already redacted), as any QlikConnection reports them:
   * the check has a connection of its own, and the console's request log should show its calls too.
   */
  onRecord?: RecordListener;
}

export interface TrustCheckResult {
  ok: boolean;
  steps: TrustStep[];
  /** What the renderer may see of the certificates. */
  certificates?: CertificateReport;
  /** The loaded certificate set (main process only), for saving into the vault after a green check. */
  set?: CertificateSet;
  nodes?: NodeTarget[];
  proxyServices?: ProxyServiceConfig[];
  virtualProxies?: VirtualProxyConfig[];
}

/** A failed step: the cause and the fix, the core's error code when there is one, and a site fault. */
class StepFailed extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly code?: string,
    readonly fault?: string,
  ) {
    super(message);
  }
}

/**
 * A QPS/QRS failure that says nothing about what a step checks (a certificate, a trust, a name): the site
 * was slow, broken or garbled. In words for the summary; undefined for the step's own findings.
 */
export function siteFault(err: QlikError): string | undefined {
  switch (err.code) {
    case 'TIMEOUT':
      return 'timeout';
    case 'NOT_JSON':
      return 'malformed answer';
    case 'BODY_TOO_LARGE':
      return 'answer too large';
    case 'CONNECTION_RESET':
      return 'connection reset';
    case 'HTTP_ERROR':
      if (err.status === undefined) return 'no answer';
      return err.status >= 500 ? `server error ${err.status}` : undefined;
    default:
      return undefined;
  }
}

function asStepFailure(err: unknown): StepFailed {
  if (err instanceof StepFailed) return err;
  if (err instanceof QlikError) return new StepFailed(err.message, err.hint, err.code, siteFault(err));
  if (err instanceof CertImportError || err instanceof BrowserRequestError) {
    return new StepFailed(err.message, err.hint, err.code);
  }
  return new StepFailed(errorMessage(err), 'This is unexpected: report it with the steps above.');
}

/** The caller's passphrase prompt failed: not a finding about the site, so it ends the check. */
class PassphraseNotGiven extends Error {
  constructor(readonly reason: unknown) {
    super('no passphrase');
  }
}

type StepOutcome = { status: 'pass' | 'warn'; detail: string };

// Over 80 lines on purpose: its steps run in the order a trust check reports them, each a short block with its own
// early return; split up, that order would have to be read across functions.
export async function runTrustCheck(input: TrustCheckInput, onProgress: (step: TrustStep) => void = () => undefined): Promise<TrustCheckResult> {
  const timeoutMs = input.timeoutMs ?? 10_000;
  const steps = new Map<TrustStepId, TrustStep>();
  const result: TrustCheckResult = { ok: false, steps: [] };
  let connection: QlikConnection | undefined;
  let failedAt: TrustStepId | undefined;
  let socketFindings: string[] | undefined;
  /** The test ticket's stages as they were timed: the step's sequence diagram, pass or fail. */
  let ticketTimings: TrustTicketTimings | undefined;

  const run = async (id: TrustStepId, body: () => Promise<StepOutcome>): Promise<void> => {
    const title = TRUST_STEP_TITLES[id];
    if (failedAt) {
      const skipped: TrustStep = { id, title, status: 'skipped', detail: `not run: "${TRUST_STEP_TITLES[failedAt]}" failed` };
      steps.set(id, skipped);
      onProgress(skipped);
      return;
    }
    onProgress({ id, title, status: 'running' });
    const started = performance.now();
    let step: TrustStep;
    try {
      const outcome = await body();
      step = { id, title, status: outcome.status, detail: outcome.detail, ms: Math.round(performance.now() - started) };
    } catch (err) {
      if (err instanceof PassphraseNotGiven) throw err.reason;
      const failure = asStepFailure(err);
      step = { id, title, status: 'fail', cause: failure.message, fix: failure.fix, ms: Math.round(performance.now() - started) };
      if (failure.code) step.code = failure.code;
      if (failure.fault) step.fault = failure.fault;
      failedAt = id;
    }
    steps.set(id, step);
    onProgress(step);
  };

  try {
    await run('files', async () => {
      if (input.certificates.from === 'set') {
        result.set = input.certificates.set;
        return { status: 'pass', detail: `loaded from ${input.certificates.origin}` };
      }
      result.set = await loadFiles(input.certificates);
      return { status: 'pass', detail: `${result.set.source.kind}: ${result.set.source.files.join(', ')}` };
    });

    await run('chain', async () => {
      const report = validateCertificateSet(result.set!);
      result.certificates = report;
      const failed = report.findings.find((f) => f.status === 'fail');
      if (failed) throw new StepFailed(`${failed.title}: ${failed.detail}`, failed.fix ?? 'Export the certificates again from the QMC.', failed.id);
      const warnings = report.findings.filter((f) => f.status === 'warn');
      const summary = `client ${report.client.subject} issued by ${report.root.subject}, valid until ${report.client.validTo}`;
      return warnings.length
        ? { status: 'warn', detail: `${summary}; ${warnings.map((w) => `${w.title}: ${w.detail}`).join('; ')}` }
        : { status: 'pass', detail: summary };
    });

    await run('tcp', async () => {
      await checkTcpReach(input.qps, timeoutMs, 'qps');
      return { status: 'pass', detail: `${new URL(input.qps).host} accepts connections` };
    });

    await run('server-cert', async () => {
      const info = await verifyServerCertificate(input.qps, result.set!.caPem, timeoutMs, 'qps');
      const names = info.altNames.length ? `, names ${info.altNames.join(', ')}` : '';
      return { status: 'pass', detail: `${info.subject} issued by ${info.issuer}${names}` };
    });

    await run('client-cert', async () => {
      const set = result.set!;
      connection = new QlikConnection({
        ca: set.caPem,
        client: { certPem: set.certPem, keyPem: set.keyPem },
        timeoutMs,
        ...(input.onRecord ? { onRecord: input.onRecord } : {}),
      });
      // Read-only: the sessions of a user that does not exist. Nothing is minted, nothing changes.
      try {
        await connection.qps(input.qps, '').userSessions('USHER', 'trust-check');
      } catch (err) {
        // An HTTP answer that is not the QPS's: ask the address what it is before blaming the certificate.
        if (!(err instanceof QlikError) || (err.code !== 'HTTP_ERROR' && err.code !== 'NOT_FOUND') || err.status === undefined) throw err;
        const other = await identifyNonQpsService(connection, input.qps, set.caPem, timeoutMs);
        if (!other) throw err;
        const { cause, fix } = wrongPortFailure(other, input.qps);
        throw new StepFailed(cause, fix, 'WRONG_PORT');
      }
      return {
        status: 'pass',
        detail: `${new URL(input.qps).host} accepted ${result.certificates?.client.subject ?? 'the client certificate'} (a read-only QPS call)`,
      };
    });

    await run('qrs', async () => {
      const about = await connection!.qrs(input.qrs).about();
      return { status: 'pass', detail: `QRS ${about.buildVersion} at ${new URL(input.qrs).host} answered as INTERNAL\\sa_repository` };
    });

    await run('discovery', async () => {
      const qrs = connection!.qrs(input.qrs);
      const [services, virtualProxies] = await Promise.all([qrs.proxyServices(), qrs.virtualProxies()]);
      result.proxyServices = services;
      result.virtualProxies = virtualProxies;
      result.nodes = nodeTargets(services);
      const linked = new Set(services.flatMap((s) => s.settings.virtualProxies.map((l) => l.id)));
      const unlinked = virtualProxies.filter((vp) => !linked.has(vp.id));
      // Node names, as the QMC lists them: on a one-machine site every host name would read "localhost".
      const detail = `${plural(services.length, 'proxy node')} (${result.nodes.map((n) => n.nodeName).join(', ')}), ${plural(virtualProxies.length, 'virtual proxy', 'virtual proxies')}`;
      if (services.length === 0) throw new StepFailed('QRS lists no proxy service', 'Check in the QMC that a proxy is configured and its service runs.');
      return unlinked.length
        ? { status: 'warn', detail: `${detail}; not linked to any proxy (unusable): ${unlinked.map((vp) => prefixLabel(vp.prefix)).join(', ')}` }
        : { status: 'pass', detail };
    });

    if (input.ticketTest) {
      const test = input.ticketTest;
      await run('ticket', () => redeemTestTicket(connection!, input, result, test, timeoutMs, (timings) => (ticketTimings = timings)));
      if (ticketTimings) steps.get('ticket')!.flow = trustTicketFlow(ticketTimings);
    } else {
      steps.set('ticket', {
        id: 'ticket',
        title: TRUST_STEP_TITLES.ticket,
        status: 'skipped',
        detail: 'not asked for (give a test user to mint a real ticket)',
      });
      onProgress(steps.get('ticket')!);
    }
    if (input.socketTest) {
      const test = input.socketTest;
      await run('socket', () => diagnoseSocket(connection!, input, result, test, timeoutMs, (findings) => (socketFindings = findings)));
      if (socketFindings) steps.get('socket')!.findings = socketFindings;
    }
  } finally {
    await connection?.close();
  }

  result.steps = [...TRUST_STEP_ORDER, ...OPTIONAL_TRUST_STEPS].map((id) => steps.get(id)).filter((s): s is TrustStep => s !== undefined);
  result.ok = result.steps.every((s) => s.status === 'pass' || s.status === 'warn' || (s.status === 'skipped' && s.id === 'ticket' && !input.ticketTest));
  return result;
}

async function loadFiles(certificates: Extract<TrustCertificates, { from: 'files' }>): Promise<CertificateSet> {
  try {
    return await loadCertificateSet(certificates.input, { passphrase: certificates.passphrase });
  } catch (err) {
    if (!(err instanceof CertImportError) || err.code !== 'PASSPHRASE_REQUIRED' || !certificates.askPassphrase) throw err;
    const passphrase = await certificates.askPassphrase(err.file).catch((reason: unknown) => {
      throw new PassphraseNotGiven(reason);
    });
    return loadCertificateSet(certificates.input, { passphrase });
  }
}

async function redeemTestTicket(
  connection: QlikConnection,
  input: TrustCheckInput,
  result: TrustCheckResult,
  test: { user: UserRef; virtualProxy: string },
  timeoutMs: number,
  onTimings: (timings: TrustTicketTimings) => void,
): Promise<StepOutcome> {
  const prefix = test.virtualProxy;
  const { service, vp } = proxyLinking(input, result, prefix);
  const node = service.serverNodeConfiguration.name;
  const timings: TrustTicketTimings = { prefix, cookieName: vp.sessionCookieHeaderName };
  onTimings(timings);
  // Each stage timed where it runs; a stage that throws is the one the flow is drawn as broken at.
  const stage = async <T>(name: NonNullable<TrustTicketTimings['failedAt']>, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const done = await work();
      timings[`${name}Ms`] = Math.round(performance.now() - started);
      return done;
    } catch (err) {
      timings.failedAt = name;
      throw err;
    }
  };
  const ticket = await stage('issue', () => connection.qps(input.qps, prefix).requestTicket(test.user));
  await input.onCreated?.({ action: 'ticket', user: test.user, virtualProxy: prefix, node, value: ticket.ticket });

  const hub = `${virtualProxyBase(proxyServiceUrls(service).proxy, prefix)}hub/`;
  const browser = new BrowserClient({ ca: result.set!.caPem, timeoutMs });
  try {
    const origin = new URL(hub).origin;
    const page = await stage('redeem', () => browser.get(appendQlikTicket(hub, ticket.ticket), { stopAt: (url) => new URL(url).origin !== origin }));
    const cookie = browser.jar.list().find((c) => c.name === vp.sessionCookieHeaderName);
    timings.status = page.status;
    timings.cookieSet = cookie !== undefined;
    if (!cookie) {
      throw new StepFailed(
        `the proxy did not set the session cookie ${vp.sessionCookieHeaderName} for the ticket (answer ${page.status} at ${page.url})`,
        'The ticket was not accepted: check that the virtual proxy uses ticket authentication and that the ticket was used within its minute.',
      );
    }
    const session = await stage('lookup', () => connection.qps(input.qps, prefix).getSession(cookie.value));
    timings.user = formatUser(session);
    if (!sameUser(session, test.user)) {
      timings.failedAt = 'lookup';
      throw new StepFailed(
        `the session belongs to ${formatUser(session)}, not ${formatUser(test.user)}`,
        'Report this: the proxy mapped the ticket to another user.',
      );
    }
    await stage('end', () => connection.qps(input.qps, prefix).deleteSession(cookie.value));
    await input.onCreated?.({ action: 'session-end', user: test.user, virtualProxy: prefix, node, value: cookie.value });
    return {
      status: 'pass',
      detail: `ticket for ${formatUser(test.user)} on ${prefixPhrase(prefix)} redeemed at ${new URL(hub).host} (page ${page.status}), session verified and ended`,
    };
  } finally {
    await browser.close();
  }
}

/** The proxy node of the profile's QPS (or the first one) and its link to the virtual proxy `prefix`. */
function proxyLinking(input: TrustCheckInput, result: TrustCheckResult, prefix: string): { service: ProxyServiceConfig; vp: VirtualProxyConfig } {
  const qpsPort = new URL(input.qps).port;
  const service =
    result.proxyServices?.find((s) => String(s.settings.restListenPort) === qpsPort && new URL(input.qps).hostname === s.serverNodeConfiguration.hostName) ??
    result.proxyServices?.[0];
  if (!service) throw new StepFailed('no proxy node to redeem the ticket on', 'Run the check with QRS reachable.');
  const vp = service.settings.virtualProxies.find((v) => v.prefix === prefix);
  if (!vp) {
    throw new StepFailed(
      `the proxy on ${service.serverNodeConfiguration.hostName} does not link ${prefixPhrase(prefix)}`,
      `Pick a prefix the node links: ${service.settings.virtualProxies.map((v) => prefixLabel(v.prefix)).join(', ')}.`,
    );
  }
  return { service, vp };
}

/**
 * The WebSocket diagnosis as a step: a missing piece is a warning (the site's trust is fine; a mashup's
 * setup is not), its line and fix in the detail, every piece in `findings`. The ticket and the session
 * are reported like the ticket step's, and the session is ended.
 */
async function diagnoseSocket(
  connection: QlikConnection,
  input: TrustCheckInput,
  result: TrustCheckResult,
  test: { user: UserRef; virtualProxy: string; origin: string },
  timeoutMs: number,
  report: (findings: string[]) => void,
): Promise<StepOutcome> {
  const prefix = test.virtualProxy;
  const { service, vp } = proxyLinking(input, result, prefix);
  const node = service.serverNodeConfiguration.name;
  const qps = connection.qps(input.qps, prefix);
  const ticket = await qps.requestTicket(test.user);
  await input.onCreated?.({ action: 'ticket', user: test.user, virtualProxy: prefix, node, value: ticket.ticket });
  const made: string[] = [];
  let diagnosis: SocketDiagnosis;
  try {
    diagnosis = await diagnoseEngineSocket({
      proxy: proxyServiceUrls(service).proxy,
      prefix,
      sessionCookieName: vp.sessionCookieHeaderName,
      origin: test.origin,
      ca: result.set!.caPem,
      login: { kind: 'ticket', ticket: ticket.ticket },
      timeoutMs,
      onSession: async (sessionId) => {
        made.push(sessionId);
      },
    });
  } finally {
    for (const sessionId of made) {
      await qps.deleteSession(sessionId).catch(() => undefined);
      await input.onCreated?.({ action: 'session-end', user: test.user, virtualProxy: prefix, node, value: sessionId });
    }
  }
  report(diagnosis.findings.map(socketFindingLine));
  const missing = diagnosis.findings.find((f) => f.status === 'missing');
  if (!missing)
    return {
      status: 'pass',
      detail: `a mashup on ${test.origin} opens the engine socket on ${prefixPhrase(prefix)} (${diagnosis.user ?? formatUser(test.user)})`,
    };
  return { status: 'warn', detail: `a mashup on ${test.origin} cannot open the engine socket: ${socketFindingLine(missing)}` };
}
