// Step 3: the trust check, step by step as the main process reports it. Steps not reached yet are shown
// as waiting so the whole path is visible; a failed step says why and what to do.
import { TRUST_STEP_ORDER, TRUST_STEP_TITLES, type TrustStep } from '../../../../shared/trust-check';
import { FoldedSequenceDiagram } from '../../components/SequenceDiagram';
import { StatusLabel } from '../../components/StatusLabel';
import { StepProgress } from '../../components/StepProgress';
import { formatDuration } from '../../format';

function StepItem({ step }: { step: TrustStep }) {
  const explain = step.status === 'fail' || step.status === 'warn';
  return (
    <li className={`step step-${step.status}`}>
      <div className="step-head">
        <StatusLabel status={step.status} />
        <span className="step-title">
          {step.title}
          {/* On the title's line where it fits: a step is a line or two, not a card. */}
          {step.detail ? <span className="step-detail"> {step.detail}</span> : null}
        </span>
        <span className="muted">{formatDuration(step.ms)}</span>
      </div>
      {explain && step.cause ? (
        <p className="step-cause">
          <strong>Cause:</strong> {step.cause}
        </p>
      ) : null}
      {explain && step.fix ? (
        <p className="step-fix">
          <strong>Fix:</strong> {step.fix}
        </p>
      ) : null}
      {step.flow ? <FoldedSequenceDiagram title="Test ticket flow" steps={step.flow} /> : null}
    </li>
  );
}

export function StepList({ steps, running }: { steps: TrustStep[]; running: boolean }) {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const latest = steps[steps.length - 1];
  // Steps the core reports that this build does not know yet still show, after the known ones.
  const extra = steps.filter((s) => !TRUST_STEP_ORDER.includes(s.id));
  const total = TRUST_STEP_ORDER.length + extra.length;
  const done = steps.filter((s) => s.status !== 'running').length;
  const current = steps.find((s) => s.status === 'running');
  return (
    <>
      {running ? <StepProgress label="Trust check progress" current={done + 1} total={total} {...(current ? { title: current.title } : {})} /> : null}
      <ol className="steps" aria-label="Trust check steps">
        {TRUST_STEP_ORDER.map((id) => {
          const step = byId.get(id);
          if (step) return <StepItem key={id} step={step} />;
          return (
            <li key={id} className="step step-waiting">
              <div className="step-head">
                <StatusLabel status={running ? 'waiting' : 'skipped'} />
                <span className="step-title">{TRUST_STEP_TITLES[id]}</span>
              </div>
            </li>
          );
        })}
        {extra.map((step) => (
          <StepItem key={step.id} step={step} />
        ))}
      </ol>
      {/* One short announcement per update instead of re-reading the whole list. */}
      <p className="visually-hidden" aria-live="polite">
        {latest ? `${latest.title}: ${latest.status}` : ''}
      </p>
    </>
  );
}
