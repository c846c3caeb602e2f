// The trust wizard: certificates -> findings -> the live trust check -> discovery -> save as a site.
// Sections appear as the person gets there, so earlier answers stay visible while later ones arrive.
import { useEffect } from 'react';
import type { Profile } from '../../../shared/profile';
import { subscribe } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { useAppStore } from '../stores/app-store';
import { useTrustStore } from '../stores/trust-store';
import { Discovery } from './trust/Discovery';
import { Findings } from './trust/Findings';
import { ReplaceCertificates } from './trust/ReplaceCertificates';
import { SaveProfileForm } from './trust/SaveProfileForm';
import { SourceForm } from './trust/SourceForm';
import { StepList } from './trust/StepList';
import { useRevealWhenDone } from '../components/reveal-result';
import { useShallow } from 'zustand/react/shallow';

function TrustRun() {
  const { report, qps, qrs, running, steps, run, errors, start } = useTrustStore(
    useShallow((s) => ({ report: s.report, qps: s.qps, qrs: s.qrs, running: s.running, steps: s.steps, run: s.run, errors: s.errors, start: s.start })),
  );
  const result = useRevealWhenDone<HTMLDivElement>(running);
  if (!report) return null;
  const ready = qps.trim() !== '' && qrs.trim() !== '';
  return (
    <section aria-labelledby="trust-run" aria-busy={running}>
      <h2 id="trust-run">3. Trust check</h2>
      <div className="row">
        <button type="button" className="primary" onClick={() => void start()} disabled={running || !ready}>
          {running ? 'Checking…' : run ? 'Run the trust check again' : 'Run the trust check'}
        </button>
        {!ready ? <span className="muted">Fill in the QPS and QRS URLs first.</span> : null}
      </div>
      <ErrorNote error={errors.run} />
      <div ref={result}>
        {running || steps.length > 0 ? <StepList steps={steps} running={running} /> : null}
        {run ? <p role="status">{run.ok ? 'The site trusts these certificates.' : 'The trust check failed.'}</p> : null}
      </div>
    </section>
  );
}

export function TrustWizard() {
  const onStep = useTrustStore((s) => s.onStep);
  const report = useTrustStore((s) => s.report);
  const run = useTrustStore((s) => s.run);
  const replaceFor = useTrustStore((s) => s.replaceFor);

  useEffect(() => subscribe('trust.step', onStep), [onStep]);

  async function onSaved(profile: Profile) {
    // Read at the time of use: subscribing to the whole app store would re-render the wizard on every change.
    const { load, select } = useAppStore.getState();
    await load();
    await select(profile.id);
  }

  return (
    <div className="screen">
      <h1 tabIndex={-1}>Trust a site</h1>
      {replaceFor ? (
        <p className="lead">
          New certificates for <strong>{replaceFor.name}</strong>: check the QMC export against its QPS and QRS, then replace the ones in the vault.{' '}
          <button type="button" onClick={() => useTrustStore.getState().reset()}>
            Trust a new site instead
          </button>
        </p>
      ) : (
        <p className="lead">Check that a Qlik Sense site accepts the certificates exported from its QMC, then keep it as a site.</p>
      )}
      <SourceForm />
      {report ? <Findings report={report} /> : null}
      <TrustRun />
      {run ? <Discovery run={run} /> : null}
      {run && replaceFor ? <ReplaceCertificates onReplaced={() => void useAppStore.getState().load()} /> : null}
      {run && !replaceFor ? <SaveProfileForm onSaved={(p) => void onSaved(p)} /> : null}
    </div>
  );
}
