// Prints trust-check steps as they run: one line per step, and for a failure its cause and fix.
import type { TrustStep } from '../../shared/trust-check';

const MARK: Record<TrustStep['status'], string> = { running: '..  ', pass: 'ok  ', warn: 'warn', fail: 'FAIL', skipped: 'skip' };

function formatTrustStep(step: TrustStep, index: number): string {
  const head = `${MARK[step.status]} ${index + 1}. ${step.title}${step.ms !== undefined ? ` (${step.ms} ms)` : ''}`;
  const lines = [head];
  if (step.detail) lines.push(`       ${step.detail}`);
  if (step.fault) lines.push(`       stopped by a site fault (${step.fault}), not by what this step checks`);
  if (step.cause) lines.push(`       cause: ${step.cause}`);
  if (step.fix) lines.push(`       fix:   ${step.fix}`);
  for (const finding of step.findings ?? []) lines.push(`       ${finding}`);
  return lines.join('\n');
}

/** A progress printer: running steps are not printed (a CLI cannot redraw cheaply), finished ones are. */
export function trustStepPrinter(write: (text: string) => void): (step: TrustStep) => void {
  let index = 0;
  return (step) => {
    if (step.status === 'running') return;
    write(formatTrustStep(step, index++));
  };
}
