// "Open": the main process redeems the ticket in a fresh, isolated partition window on the chosen target
// and reports whether the proxy established a session, and for whom.
import type { OpenResult } from '../../../../shared/ipc/contract';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { RadioChoices } from '../../components/RadioChoices';
import { useTicketStore, type TargetKind } from '../../stores/ticket-store';

const TARGETS: Array<{ value: TargetKind; label: string }> = [
  { value: 'hub', label: 'Hub' },
  { value: 'app', label: 'An app' },
  { value: 'url', label: 'A URL on the site' },
];

function OpenOutcome({ result }: { result: OpenResult }) {
  return (
    <div className="card" role="status">
      <h3>{result.established ? 'Session established' : 'No session'}</h3>
      <dl>
        <dt>Established</dt>
        <dd>{result.established ? 'Yes' : 'No'}</dd>
        <dt>User</dt>
        <dd>{result.user ?? '—'}</dd>
        <dt>Status</dt>
        <dd>{result.status}</dd>
        <dt>Page</dt>
        <dd className="mono break">{result.finalUrl}</dd>
      </dl>
      {result.detail ? <p>{result.detail}</p> : null}
    </div>
  );
}

export function OpenPanel({ expired }: { expired: boolean }) {
  const { target, opening, opened, errors, setTarget, open } = useTicketStore();
  const incomplete = (target.kind === 'app' && target.appId.trim() === '') || (target.kind === 'url' && target.url.trim() === '');
  return (
    <form
      className="open-panel"
      onSubmit={(e) => {
        e.preventDefault();
        void open();
      }}
    >
      <fieldset>
        <legend>Open in a new isolated window</legend>
        <div className="radio-row">
          <RadioChoices name="open-target" options={TARGETS} value={target.kind} onChange={(kind) => setTarget({ kind })} />
        </div>
        {target.kind === 'app' ? <Field label="App id" value={target.appId} onChange={(appId) => setTarget({ appId })} /> : null}
        {target.kind === 'url' ? <Field label="URL" value={target.url} onChange={(url) => setTarget({ url })} placeholder="https://qlik.example.com/sense/app/…" inputMode="url" /> : null}
        <div className="row">
          <button type="submit" className="primary" disabled={expired || opening || incomplete}>
            {opening ? 'Opening…' : 'Open'}
          </button>
        </div>
      </fieldset>
      <ErrorNote error={errors.open} />
      {opened ? <OpenOutcome result={opened} /> : null}
    </form>
  );
}
