// The ticket just issued, as far as the renderer may know it (masked), its remaining life, and what to do
// with it. Copying happens in the main process: the clipboard gets the real ticket, this page never does.
import type { TicketView } from '../../../../shared/ipc/contract';
import { ErrorNote } from '../../components/ErrorNote';
import { prefixLabel } from '../../format';
import { useTicketStore, type CopyFormat } from '../../stores/ticket-store';
import { Countdown, useSecondsLeft } from './Countdown';
import { OpenPanel } from './OpenPanel';
import { useShallow } from 'zustand/react/shallow';

const COPIES: Array<{ format: CopyFormat; label: string; done: string }> = [
  { format: 'url', label: 'Copy URL', done: 'URL' },
  { format: 'curl', label: 'Copy as curl', done: 'curl command' },
  { format: 'powershell', label: 'Copy as PowerShell', done: 'PowerShell command' },
];

function CopyActions({ expired }: { expired: boolean }) {
  const { copied, errors, copy } = useTicketStore(useShallow((s) => ({ copied: s.copied, errors: s.errors, copy: s.copy })));
  const done = COPIES.find((c) => c.format === copied?.format);
  return (
    <div>
      <div className="row">
        {COPIES.map(({ format, label }) => (
          <button key={format} type="button" disabled={expired} onClick={() => void copy(format)}>
            {label}
          </button>
        ))}
      </div>
      <ErrorNote error={errors.copy} />
      {copied && done ? (
        <div role="status">
          <p>Copied the {done.done} to the clipboard.</p>
          <pre className="preview">{copied.preview}</pre>
        </div>
      ) : null}
    </div>
  );
}

export function TicketResult({ ticket }: { ticket: TicketView }) {
  const left = useSecondsLeft(ticket.expiresAt);
  const expired = left === 0;
  return (
    <section className="card ticket-result" aria-labelledby="ticket-result">
      <h2 id="ticket-result">Ticket for {ticket.user}</h2>
      <Countdown left={left} />
      <dl>
        <dt>Ticket</dt>
        <dd className="mono">{ticket.ticketMasked}</dd>
        <dt>Virtual proxy</dt>
        <dd className="mono">{prefixLabel(ticket.virtualProxy)}</dd>
        <dt>TargetUri</dt>
        <dd className="mono break">{ticket.targetUri ?? '— (the proxy default)'}</dd>
        <dt>Redirect URL</dt>
        <dd className="mono break">{ticket.redirectUrlMasked}</dd>
      </dl>
      {expired ? <p className="warn-text">The ticket can no longer be redeemed. Request a new one.</p> : null}
      <CopyActions expired={expired} />
      <OpenPanel expired={expired} />
    </section>
  );
}
