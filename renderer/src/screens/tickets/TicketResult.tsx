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

/** `spent`: expired or redeemed. Only the URL carries the ticket; curl and PowerShell ask for a new one. */
function CopyActions({ spent }: { spent: boolean }) {
  const { copied, errors, copy } = useTicketStore(useShallow((s) => ({ copied: s.copied, errors: s.errors, copy: s.copy })));
  const done = COPIES.find((c) => c.format === copied?.format);
  return (
    <div>
      <div className="row">
        {COPIES.map(({ format, label }) => (
          <button key={format} type="button" disabled={spent && format === 'url'} onClick={() => void copy(format)}>
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
  const redeemed = useTicketStore((s) => s.redeemed);
  const spent = left === 0 || redeemed;
  return (
    <section className="card ticket-result" aria-labelledby="ticket-result">
      <h2 id="ticket-result">Ticket for {ticket.user}</h2>
      <Countdown left={left} redeemed={redeemed} />
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
      {spent && !redeemed ? <p className="warn-text">The ticket can no longer be redeemed. Request a new one.</p> : null}
      {redeemed ? <p className="muted">To open another window, request a new ticket.</p> : null}
      <CopyActions spent={spent} />
      <OpenPanel expired={spent} />
    </section>
  );
}
