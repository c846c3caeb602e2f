// Grading a sample authentication module with the validator, as the validator tests do: a validation run
// on the built-in validation site (the test PKI) against a sample module on its own HTTPS certificate.
import type { ValidationReport, ValidationStep, ValidationStepId } from '../../shared/module-validation';
import { startValidation, type ValidationOptions } from '../../electron/core/validator';
import { startValidationSite } from '../../electron/simulator/validation-site';
import { sampleModuleTls, startSampleModule, type SampleDefect, type SampleModule } from './sample-modules';
import { testPki } from './test-site';

const modules: SampleModule[] = [];

/** Closes the sample modules `grade` started (a test file's afterAll). */
export async function closeSampleModules(): Promise<void> {
  await Promise.all(modules.splice(0).map((m) => m.close()));
}

/** Starts a sample module, a validation run pointing at it, configures the module, executes, closes. */
export async function grade(defect: SampleDefect | undefined, extra: Partial<ValidationOptions> = {}): Promise<ValidationReport> {
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

export function step(report: ValidationReport, id: ValidationStepId): ValidationStep {
  const found = report.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

export function summary(report: ValidationReport): string {
  return report.steps.map((s) => `${s.id}: ${s.status} - ${s.detail}\n    ${s.evidence.join('\n    ')}`).join('\n');
}
