// What opening a window answered (a ticket redeemed, a session-API login): whether the proxy established a
// session, for whom, where it landed, and the main process's explanation; for a ticket, the flow it took as a
// sequence diagram with the time of each step. Shared by Tickets and Partitions.
import type { OpenResult } from '../../../shared/ipc/contract';
import { SequenceDiagram } from './SequenceDiagram';

export function OpenOutcome({ result }: { result: OpenResult }) {
  return (
    <>
      <div className="card" role="status">
        <h3>{result.established ? 'Session established' : 'No session'}</h3>
        <dl>
          <dt>Established</dt>
          <dd>{result.established ? 'Yes' : 'No'}</dd>
          <dt>User</dt>
          <dd>{result.user ?? '—'}</dd>
          <dt>Status</dt>
          <dd>{result.status}</dd>
          <dt>Partition</dt>
          <dd className="mono">{result.partitionId}</dd>
          <dt>Page</dt>
          <dd className="mono break">{result.finalUrl}</dd>
        </dl>
        {result.detail ? <p>{result.detail}</p> : null}
      </div>
      {result.flow ? <SequenceDiagram title={`Ticket flow for ${result.user ?? 'the ticket'}`} steps={result.flow} /> : null}
    </>
  );
}
