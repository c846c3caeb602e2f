// The authentication-module validator as a wizard: 1. the module (and how to log in), 2. Usher starts its
// own site and exports the certificates the module must call QPS with, 3. the graded run, live. The same
// run as `usher validate-module`; nothing here touches a real Qlik site.
import { useEffect, useRef, type FormEvent, type RefObject } from 'react';
import { ErrorNote } from '../components/ErrorNote';
import { Field } from '../components/Field';
import { FoldedSequenceDiagram } from '../components/SequenceDiagram';
import { useValidatorStore } from '../stores/validator-store';
import { ValidationSteps } from './validator/ValidationSteps';
import { useShallow } from 'zustand/react/shallow';

type HeadingRef = RefObject<HTMLHeadingElement | null>;

function ModuleForm({ heading }: { heading: HeadingRef }) {
  const { moduleUrl, loginScriptPath, moduleCaPath, phase, urlError, setField, start } = useValidatorStore(
    useShallow((s) => ({
      moduleUrl: s.moduleUrl,
      loginScriptPath: s.loginScriptPath,
      moduleCaPath: s.moduleCaPath,
      phase: s.phase,
      urlError: s.urlError,
      setField: s.setField,
      start: s.start,
    })),
  );
  const locked = phase === 'starting' || phase === 'ready' || phase === 'running';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void start();
  };
  return (
    <section aria-labelledby="validator-module">
      <h2 id="validator-module" tabIndex={-1} ref={heading}>
        1. The module
      </h2>
      <form onSubmit={submit} aria-busy={phase === 'starting'}>
        <Field
          label="Module login URL"
          type="url"
          inputMode="url"
          value={moduleUrl}
          onChange={(v) => setField('moduleUrl', v)}
          disabled={locked}
          placeholder="https://auth.example.com/login"
          hint="The address the virtual proxy sends people to (its authentication module redirect URI). It must be https."
          error={urlError}
        />
        <Field
          label="Login script (optional)"
          value={loginScriptPath}
          onChange={(v) => setField('loginScriptPath', v)}
          disabled={locked}
          placeholder="/home/me/module-login.js"
          hint="Full path of a .js file exporting async (browser, redirectUrl, { account, loginHint }) => response. Without one, Usher opens a window and you log in there yourself; the two probes that log in again then need a script and are skipped."
        />
        <Field
          label="Module CA certificate (optional)"
          value={moduleCaPath}
          onChange={(v) => setField('moduleCaPath', v)}
          disabled={locked}
          placeholder="/home/me/module-ca.pem"
          hint="PEM of the CA that issued the module's HTTPS certificate, when it is not a public one."
        />
        <div className="row">
          <button type="submit" className="primary" disabled={locked}>
            {phase === 'starting' ? 'Starting the validator site…' : 'Start the validator site'}
          </button>
        </div>
      </form>
    </section>
  );
}

function ConfigureModule({ heading }: { heading: HeadingRef }) {
  const { info, phase, run, cancel, copyPassphrase } = useValidatorStore(
    useShallow((s) => ({ info: s.info, phase: s.phase, run: s.run, cancel: s.cancel, copyPassphrase: s.copyPassphrase })),
  );
  if (!info || (phase !== 'ready' && phase !== 'running')) return null;
  return (
    <section aria-labelledby="validator-configure">
      <h2 id="validator-configure" tabIndex={-1} ref={heading}>
        2. Configure the module
      </h2>
      <p>
        Usher now plays the proxy: its ticket virtual proxy sends browsers to {info.moduleUrl}. Configure the module to call QPS with the certificates below,
        then run the validation.
      </p>
      <dl aria-label="Validator site">
        <dt>Certificates</dt>
        <dd className="mono break" data-testid="validator-certificates">
          {info.certificatesDir}
        </dd>
        <dt>Files</dt>
        <dd>client.pem, client_key.pem, root.pem, and client.pfx (its passphrase is copied on request, never shown)</dd>
        <dt>proxyRestUri</dt>
        <dd className="mono break">{info.proxyRestUri}</dd>
        <dt>Hub</dt>
        <dd className="mono break">{info.hubUrl}</dd>
        <dt>Login</dt>
        <dd>
          {info.login.kind === 'script' ? (
            <span className="mono break">script {info.login.path}</span>
          ) : (
            'you, in a window Usher opens when the run reaches the login'
          )}
        </dd>
      </dl>
      <p className="hint">
        The folder is private to this run and removed when the run ends or is cancelled: the module needs it only while it is being graded.
      </p>
      <div className="row">
        <button type="button" className="primary" onClick={() => void run()} disabled={phase !== 'ready'}>
          {phase === 'running' ? 'Validating…' : 'Run the validation'}
        </button>
        <button type="button" onClick={() => void copyPassphrase()} disabled={phase !== 'ready'}>
          Copy the client.pfx passphrase
        </button>
        <button type="button" onClick={() => void cancel()}>
          Cancel
        </button>
      </div>
    </section>
  );
}

function Verdict() {
  const result = useValidatorStore((s) => s.result);
  if (!result) return null;
  const steps = result.report.steps;
  const failed = steps.filter((s) => s.status === 'fail');
  const warned = steps.filter((s) => s.status === 'warn');
  const skipped = steps.filter((s) => s.status === 'skipped');
  const text = failed.length
    ? `The module failed ${failed.length} step${failed.length === 1 ? '' : 's'}: ${failed.map((s) => s.title).join('; ')}.`
    : warned.length
      ? `The module passed with ${warned.length} warning${warned.length === 1 ? '' : 's'}.`
      : 'The module passed every step that ran.';
  return (
    <div className={`card verdict ${failed.length ? 'verdict-fail' : 'verdict-pass'}`}>
      <p className="check-summary" data-testid="validator-verdict">
        {text}
        {skipped.length ? ` ${skipped.length} step${skipped.length === 1 ? ' was' : 's were'} skipped.` : ''}
      </p>
      <p className="muted">
        The certificates were exported to <span className="mono break">{result.certificatesDir}</span>
        {result.certificatesRemoved ? '; that folder is removed now that the run is over (each run exports a new set).' : '.'}
      </p>
      {result.report.flow && result.report.flow.length > 0 ? <FoldedSequenceDiagram title="The module's login flow" steps={result.report.flow} /> : null}
    </div>
  );
}

export function ValidateModule() {
  const { phase, steps, waitingForLogin, error, note, again } = useValidatorStore(
    useShallow((s) => ({ phase: s.phase, steps: s.steps, waitingForLogin: s.waitingForLogin, error: s.error, note: s.note, again: s.again })),
  );
  const running = phase === 'running';
  const formHeading = useRef<HTMLHeadingElement>(null);
  const configureHeading = useRef<HTMLHeadingElement>(null);
  const runHeading = useRef<HTMLHeadingElement>(null);
  // As each phase begins, focus goes to its heading: the button that moved it on is disabled or gone
  // (Start locks the form, Run disables itself, Cancel and Validate again take their section away).
  // Only changes seen on this screen move focus: coming back to the section leaves it on the h1.
  const shownPhase = useRef(phase);
  useEffect(() => {
    const from = shownPhase.current;
    shownPhase.current = phase;
    if (from === phase) return;
    if (phase === 'ready') configureHeading.current?.focus();
    else if (phase === 'running') runHeading.current?.focus();
    else if (phase === 'idle') formHeading.current?.focus();
    // The verdict arrives in the section already focused; only if step 2 took focus away with it.
    else if (phase === 'done' && (!document.activeElement || document.activeElement === document.body)) runHeading.current?.focus();
  }, [phase]);
  return (
    <div className="screen">
      <h1 tabIndex={-1}>Validate module</h1>
      <p className="lead">
        Usher plays the Qlik proxy for your external authentication module and grades the whole login: the redirect to the module, the ticket request as QPS
        sees it, the redirect back, whose session it is, and three probes (a replayed ticket, an unknown targetId, two logins at once). The same run as{' '}
        <code>usher validate-module</code>.
      </p>
      <ModuleForm heading={formHeading} />
      <ConfigureModule heading={configureHeading} />
      <ErrorNote error={error} />
      <p role="status" className="muted">
        {note ?? ''}
      </p>
      {running || phase === 'done' ? (
        <section aria-labelledby="validator-run" aria-busy={running}>
          <h2 id="validator-run" tabIndex={-1} ref={runHeading}>
            {/* Step 2 (configure) folds away once the run is over: the numbering does not jump from 1 to 3. */}
            {phase === 'done' ? '2' : '3'}. Validation
          </h2>
          {waitingForLogin ? (
            <p className="card" role="note">
              Log in at the module in the window Usher opened. The run continues once the window is back at the hub with a session (5 minutes at most).
            </p>
          ) : null}
          <Verdict />
          <ValidationSteps steps={steps} running={running} waitingForLogin={waitingForLogin} />
          {phase === 'done' ? (
            <div className="row">
              <button type="button" onClick={again}>
                Validate again
              </button>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
