// The validator against each broken sample module: it fails (or warns) at the step that names the
// defect, and blames no step before it. Real TLS throughout (see validator.test.ts).
import { afterAll, describe, expect, it } from 'vitest';
import type { ValidationStepId } from '../../shared/module-validation';
import type { SampleDefect } from '../support/sample-modules';
import { closeSampleModules, grade, step, summary } from '../support/validator-runs';

afterAll(closeSampleModules);

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
