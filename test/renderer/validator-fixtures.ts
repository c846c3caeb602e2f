// What the fake main process answers for the module validator: a run's setup and a graded report with
// one failing step, one warning, one skipped probe and the rest passing (so every grade shows once).
import type { RequestOf, ValidatorRunInfo, ValidatorRunView } from '../../shared/ipc/contract';
import { VALIDATION_STEP_TITLES, validatorFlow, type ValidationReport, type ValidationStep, type ValidationStepId } from '../../shared/module-validation';

export const VALIDATOR_RUN_ID = 'run-7';
export const VALIDATOR_CERTS_DIR = '/tmp/usher-validator-x1/certificates';

export function validatorRunInfo(request: RequestOf<'validator.start'>): ValidatorRunInfo {
  return {
    runId: VALIDATOR_RUN_ID,
    moduleUrl: request.moduleUrl,
    certificatesDir: VALIDATOR_CERTS_DIR,
    proxyRestUri: 'https://localhost:4243/qps/module/',
    hubUrl: 'https://localhost:443/module/hub/',
    login: request.loginScriptPath ? { kind: 'script', path: request.loginScriptPath } : { kind: 'window' },
  };
}

export function validatorStep(id: ValidationStepId, status: ValidationStep['status'], detail: string, evidence: string[] = [], ms?: number): ValidationStep {
  return { id, title: VALIDATION_STEP_TITLES[id], status, detail, evidence, ...(ms !== undefined ? { ms } : {}) };
}

export const validatorReport: ValidationReport = {
  ok: false,
  moduleUrl: 'https://auth.example.com/login',
  startedAt: '2026-03-01T10:00:00.000Z',
  steps: [
    validatorStep(
      'redirect',
      'pass',
      '302 to the module with proxyRestUri and targetId',
      ['GET https://localhost/module/hub/ in a fresh cookie jar -> HTTP 302'],
      12,
    ),
    validatorStep('login', 'pass', 'the browser came back to the proxy: HTTP 200 at https://localhost/module/hub/', [], 80),
    validatorStep(
      'ticket-request',
      'fail',
      'xrfkey mismatch: the query says abcd, the header says efgh',
      ['POST /qps/module/ticket?xrfkey=abcd -> HTTP 403', 'FAIL: xrfkey mismatch'],
      40,
    ),
    validatorStep('redirect-back', 'warn', 'the module sent the browser to another page than TargetUri', ['WARN: not TargetUri'], 5),
    validatorStep('session-user', 'pass', 'the session is SAMPLE\\alice, the user the module claimed', [], 3),
    validatorStep('engine-socket', 'pass', "the browser's WebSocket works as SAMPLE\\alice: the engine opened an app for that user", [], 25),
    validatorStep('replay', 'pass', 'the replayed ticket was refused: a ticket works once', [], 9),
    validatorStep('impostor-qps', 'pass', "the module refused the impostor's certificate and sent it nothing", [], 30),
    validatorStep('stale-target', 'skipped', 'skipped: this probe logs in again without a person; give a login script to run it'),
    validatorStep('parallel', 'pass', 'both browsers ended as their own user, at their own target', [], 600),
  ],
};
// As the core builds it from the graded steps (electron/core/validator/run.ts).
validatorReport.flow = validatorFlow(validatorReport.steps, 'module');

export function validatorRunView(runId: string): ValidatorRunView {
  return { runId, report: validatorReport, certificatesDir: VALIDATOR_CERTS_DIR, certificatesRemoved: true };
}
