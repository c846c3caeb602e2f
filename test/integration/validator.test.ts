// The authentication-module validator against the sample modules: the correct one is graded green, each
// broken one fails at the step that names its defect. Real TLS throughout: the simulated site's proxy
// and QPS, and each sample module's own HTTPS server.
import { afterAll, describe, expect, it } from 'vitest';
import type { ValidationReport, ValidationStep, ValidationStepId } from '../../shared/module-validation';
import { startValidation, type ValidationOptions } from '../../electron/core/validator';
import { startValidationSite } from '../../electron/simulator/validation-site';
import { sampleModuleTls, startSampleModule, type SampleDefect, type SampleModule } from '../support/sample-modules';
import { testPki } from '../support/test-site';

const modules: SampleModule[] = [];
afterAll(async () => {
  await Promise.all(modules.map((m) => m.close()));
});

/** Starts a sample module, a validation run pointing at it, configures the module, executes, closes. */
async function grade(defect: SampleDefect | undefined, extra: Partial<ValidationOptions> = {}): Promise<ValidationReport> {
  const tls = sampleModuleTls();
  const module = await startSampleModule({ defect, tls });
  modules.push(module);
  const run = await startValidation({
    moduleUrl: module.url,
    startSite: (o) => startValidationSite({ ...o, pki: testPki() }),
    moduleCaPem: tls.caPem,
    timeoutMs: 15_000,
    ...extra,
  });
  try {
    module.configure({ certificatesDir: run.certificatesDir, hubUrl: run.hubUrl });
    return await run.execute();
  } finally {
    await run.close();
  }
}

function step(report: ValidationReport, id: ValidationStepId): ValidationStep {
  const found = report.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

function summary(report: ValidationReport): string {
  return report.steps.map((s) => `${s.id}: ${s.status} - ${s.detail}\n    ${s.evidence.join('\n    ')}`).join('\n');
}

describe('validator: the correct sample module', () => {
  it('passes every step and probe', async () => {
    const report = await grade(undefined);
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['redirect', 'pass'],
      ['login', 'pass'],
      ['ticket-request', 'pass'],
      ['redirect-back', 'pass'],
      ['session-user', 'pass'],
      ['engine-socket', 'pass'],
      ['replay', 'pass'],
      ['impostor-qps', 'pass'],
      ['stale-target', 'pass'],
      ['parallel', 'pass'],
    ]);
    expect(report.ok).toBe(true);
    // The main login as the sequence diagram draws it: every graded arrow with its step's measured time.
    const byId = new Map(report.steps.map((s) => [s.id, s.ms]));
    expect(report.flow!.map((f) => [`${f.from}>${f.to} ${f.label}`, f.ms, f.failed ?? false])).toEqual([
      ['browser>proxy GET /module/hub/ (no session)', byId.get('redirect'), false],
      ['proxy>browser 302 to the module with proxyRestUri, targetId', undefined, false],
      ['browser>module login at the module', byId.get('login'), false],
      ['module>qps POST /qps/module/ticket', byId.get('ticket-request'), false],
      ['module>browser redirect to TargetUri with ?qlikTicket=', byId.get('redirect-back'), false],
      ['browser>proxy GET /module/hub/?qlikTicket=…', undefined, false],
      ['proxy>qps validate the ticket (one use)', undefined, false],
      ['browser>proxy GET /module/qps/user', byId.get('session-user'), false],
      ['browser>proxy WebSocket /module/app/engineData', byId.get('engine-socket'), false],
    ]);
    expect(report.flow!.every((f) => f.ms === undefined || f.ms >= 0)).toBe(true);
  });
});

/** Each defect: the step that must name it, its status, and a word its verdict must contain. */
const DEFECTS: Array<{ defect: SampleDefect; step: ValidationStepId; status: 'fail' | 'warn'; word: RegExp }> = [
  { defect: 'no-xrfkey-header', step: 'ticket-request', status: 'fail', word: /no X-Qlik-Xrfkey header/ },
  { defect: 'xrfkey-mismatch', step: 'ticket-request', status: 'fail', word: /xrfkey mismatch/ },
  { defect: 'no-client-certificate', step: 'ticket-request', status: 'fail', word: /no client certificate/ },
  { defect: 'forgets-target-id', step: 'ticket-request', status: 'fail', word: /no TargetId/ },
  { defect: 'camelcase-body', step: 'ticket-request', status: 'warn', word: /camelCase body/ },
  { defect: 'redirects-without-ticket', step: 'redirect-back', status: 'fail', word: /without the ticket/ },
  { defect: 'redeems-ticket-itself', step: 'redirect-back', status: 'fail', word: /redeemed the ticket itself/ },
  { defect: 'global-target-id', step: 'parallel', status: 'fail', word: /targetId in a global/ },
  { defect: 'skips-tls-verification', step: 'impostor-qps', status: 'fail', word: /does not verify the proxy's certificate/ },
];

describe('validator: a module that stops answering', () => {
  it.each([
    { defect: 'dies-after-first-login' as const, why: /connection refused/ },
    { defect: 'hangs-after-first-login' as const, why: /sent no answer within 3 s/ },
  ])('$defect: the next step names the module, not the proxy', async ({ defect, why }) => {
    const report = await grade(defect, { timeoutMs: 3_000 });
    const text = summary(report);
    // The main flow and the replay (which does not touch the module) pass; the first probe that logs in
    // through the module finds it silent and says so, and no step sends the person to the proxy.
    expect(
      report.steps.slice(0, 7).every((s) => s.status === 'pass'),
      text,
    ).toBe(true);
    const first = step(report, 'impostor-qps');
    expect(first.status, text).toBe('fail');
    expect(first.detail, text).toMatch(/^the authentication module stopped answering at https:\/\/127\.0\.0\.1:\d+: /);
    expect(first.detail, text).toMatch(why);
    expect(first.detail, text).toMatch(/process is still running/);
    for (const id of ['stale-target', 'parallel'] as const) {
      expect(step(report, id), text).toMatchObject({
        status: 'skipped',
        detail: expect.stringMatching(/^skipped: the authentication module stopped answering/),
      });
    }
    expect(text).not.toMatch(/proxy's listen port|Proxy Service/);
  });
});

describe('validator: a module that is not running', () => {
  it('fails the login naming the module, and runs no probe', async () => {
    const tls = sampleModuleTls();
    const module = await startSampleModule({ tls });
    await module.close();
    const run = await startValidation({
      moduleUrl: module.url,
      startSite: (o) => startValidationSite({ ...o, pki: testPki() }),
      moduleCaPem: tls.caPem,
      timeoutMs: 3_000,
    });
    const report = await run.execute().finally(() => run.close());
    const text = summary(report);
    expect(step(report, 'redirect').status, text).toBe('pass');
    expect(step(report, 'login'), text).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(
        /^the authentication module does not answer at https:\/\/127\.0\.0\.1:\d+: nothing accepts connections there \(connection refused\)/,
      ),
    });
    for (const id of ['replay', 'impostor-qps', 'stale-target', 'parallel'] as const) expect(step(report, id).status, text).toBe('skipped');
    // The flow breaks at the login and the ticket request QPS never saw; nothing after them ran.
    expect(report.flow!.map((f) => [f.label, f.failed ?? false])).toEqual([
      ['GET /module/hub/ (no session)', false],
      ['302 to the module with proxyRestUri, targetId', false],
      ['login at the module', true],
      ['POST /qps/module/ticket', true],
    ]);
    expect(text).not.toMatch(/proxy's listen port|Proxy Service/);
  });
});

describe('validator: each broken sample module', () => {
  it.each(DEFECTS)('$defect: $step $status, naming the defect', async ({ defect, step: id, status, word }) => {
    const report = await grade(defect);
    const graded = step(report, id);
    expect(graded.status, summary(report)).toBe(status);
    expect(graded.detail, summary(report)).toMatch(word);
    expect(report.ok).toBe(status !== 'fail');
    // The steps before the defect's own step are not blamed for it.
    const before = report.steps.slice(0, report.steps.indexOf(graded)).filter((s) => s.id !== 'login');
    expect(
      before.every((s) => s.status === 'pass'),
      summary(report),
    ).toBe(true);
  });
});
