// The authentication-module validator against the sample modules: the correct one is graded green, each
// broken one fails at the step that names its defect (validator-defects.test.ts). Real TLS throughout: the simulated site's proxy
// and QPS, and each sample module's own HTTPS server.
import { afterAll, describe, expect, it } from 'vitest';
import { startValidation } from '../../electron/core/validator';
import { startValidationSite } from '../../electron/simulator/validation-site';
import { sampleModuleTls, startSampleModule } from '../support/sample-modules';
import { testPki } from '../support/test-site';
import { closeSampleModules, grade, step, summary } from '../support/validator-runs';

afterAll(closeSampleModules);

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
