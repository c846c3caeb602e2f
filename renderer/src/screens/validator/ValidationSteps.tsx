// The validator's eight steps as they are graded: each with its verdict, what its time measures, and the
// evidence behind the verdict (what QPS and the proxy saw, tickets masked in the main process). Steps not
// reached yet show as waiting so the whole path is visible from the start.
import { VALIDATION_STEP_ORDER, VALIDATION_STEP_TIMING, VALIDATION_STEP_TITLES, type ValidationStep } from '../../../../shared/module-validation';
import { StatusLabel } from '../../components/StatusLabel';
import { StepProgress } from '../../components/StepProgress';
import { formatDuration } from '../../format';

function StepItem({ step, index }: { step: ValidationStep; index: number }) {
  const open = step.status === 'fail' || step.status === 'warn';
  return (
    <li className={`step step-${step.status}`} aria-label={`Step ${index}: ${step.title}`}>
      <div className="step-head">
        <StatusLabel status={step.status} />
        <span className="step-title">
          {index}. {step.title}
        </span>
        {step.ms !== undefined ? (
          <span className="muted" title={VALIDATION_STEP_TIMING[step.id]}>
            {formatDuration(step.ms)}
          </span>
        ) : null}
      </div>
      {step.detail ? <p className="step-detail">{step.detail}</p> : null}
      {step.ms !== undefined ? <p className="hint">Time: {VALIDATION_STEP_TIMING[step.id]}.</p> : null}
      {step.evidence.length > 0 ? (
        // Failures and warnings open with their evidence; a pass keeps it one click away.
        <details className="evidence" open={open}>
          <summary>Evidence ({step.evidence.length})</summary>
          <ul className="mono break">
            {step.evidence.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  );
}

export function ValidationSteps({ steps, running, waitingForLogin }: { steps: ValidationStep[]; running: boolean; waitingForLogin: boolean }) {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const latest = steps[steps.length - 1];
  const announcement = waitingForLogin
    ? 'Waiting for you to log in at the module in the window Usher opened.'
    : latest
      ? `${latest.title}: ${latest.status === 'running' ? 'running' : latest.status}`
      : '';
  const done = steps.filter((s) => s.status !== 'running').length;
  const current = steps.find((s) => s.status === 'running');
  return (
    <>
      {running ? (
        <StepProgress
          label="Validation progress"
          current={done + 1}
          total={VALIDATION_STEP_ORDER.length}
          {...(waitingForLogin ? { title: 'waiting for you to log in' } : current ? { title: current.title } : {})}
        />
      ) : null}
      <ol className="steps" aria-label="Validation steps">
        {VALIDATION_STEP_ORDER.map((id, i) => {
          const step = byId.get(id);
          if (step) return <StepItem key={id} step={step} index={i + 1} />;
          return (
            <li key={id} className="step step-waiting" aria-label={`Step ${i + 1}: ${VALIDATION_STEP_TITLES[id]}`}>
              <div className="step-head">
                <StatusLabel status={running ? 'waiting' : 'skipped'} />
                <span className="step-title">
                  {i + 1}. {VALIDATION_STEP_TITLES[id]}
                </span>
              </div>
            </li>
          );
        })}
      </ol>
      {/* One short announcement per update instead of re-reading the whole list. */}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}
