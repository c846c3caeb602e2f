// Every QPS/QRS call the console made: newest first, filterable, each row opening onto its redacted
// bodies and a command to re-run it (with the export's file names in place of key material). One click
// copies it: the main process writes the clipboard with the real ids, this page sees the masked preview.
import { Fragment, useId } from 'react';
import type { HeaderLine, RequestRecord } from '../../../shared/request-log';
import { ErrorNote } from '../components/ErrorNote';
import { ExportButtons } from '../components/ExportButtons';
import { sortRows, useSort, type SortKey } from '../components/sorting';
import { Table } from '../components/Table';
import { formatDuration, formatTime, readablePath } from '../format';
import { useRequestLogStore, visibleRecords } from '../stores/request-log-store';
import { useShallow } from 'zustand/react/shallow';

const DETAILS_COLUMN = (
  <span key="details" className="visually-hidden">
    Details
  </span>
);

/** The sortable columns, ordered by what each shows (the Time column by id: ids grow in the order calls start). */
const SORT_KEYS: SortKey<RequestRecord>[] = [
  { id: 'time', value: (r) => r.id },
  { id: 'service', value: (r) => r.service.toUpperCase() },
  { id: 'method', value: (r) => r.method.toUpperCase() },
  { id: 'path', value: (r) => readablePath(r.url) },
  { id: 'status', value: (r) => r.status ?? r.errorCode ?? '' },
  { id: 'duration', value: (r) => r.durationMs },
];
/** Every column: the sortable ones and the Details button's. */
const COLUMN_COUNT = SORT_KEYS.length + 1;

function Body({ title, text }: { title: string; text: string | undefined }) {
  if (text === undefined || text === '') return null;
  return (
    <div>
      <h3>{title}</h3>
      <pre className="body">{text}</pre>
    </div>
  );
}

/** Headers one per line, as they travel: `Name: value`. */
function headerText(lines: readonly HeaderLine[]): string {
  return lines.map(({ name, value }) => `${name}: ${value}`).join('\n');
}

function RecordDetails({ record }: { record: RequestRecord }) {
  const copy = useRequestLogStore((s) => s.copy);
  const copied = useRequestLogStore((s) => s.copies[record.id]);
  return (
    <div className="record-details" id={`record-${record.id}`}>
      <p className="mono break">
        {record.method.toUpperCase()} {record.url}
      </p>
      {record.site ? <p>Site: {record.site}</p> : null}
      {record.errorCode ? <p className="warn-text">Error: {record.errorCode}</p> : null}
      {record.headers && Object.keys(record.headers).length > 0 ? (
        <Body title="Headers" text={headerText(Object.entries(record.headers).map(([name, value]) => ({ name, value })))} />
      ) : null}
      <Body title="Request body" text={record.requestBody} />
      {/* Set-Cookie and the like, masked in the main process: what a proxy answered, beside its body. */}
      <Body title="Response headers" text={record.responseHeaders && headerText(record.responseHeaders)} />
      <Body title="Response body" text={record.responseBody} />
      <div className="row">
        <button type="button" onClick={() => void copy(record.id, 'curl')}>
          Copy as curl
        </button>
        <button type="button" onClick={() => void copy(record.id, 'powershell')}>
          Copy as PowerShell
        </button>
      </div>
      {copied ? (
        <div role="status">
          <p>Copied the {copied.format === 'curl' ? 'curl' : 'PowerShell'} command to the clipboard, with the real ids where this page shows masked ones.</p>
          <pre className="preview">{copied.preview}</pre>
        </div>
      ) : null}
    </div>
  );
}

function RecordRow({ record }: { record: RequestRecord }) {
  const open = useRequestLogStore((s) => Boolean(s.expanded[record.id]));
  const toggle = useRequestLogStore((s) => s.toggle);
  const failed = record.errorCode !== undefined || (record.status !== undefined && record.status >= 400);
  return (
    <Fragment>
      <tr className={failed ? 'failed' : undefined}>
        <td>{formatTime(record.startedAt)}</td>
        <td>{record.service.toUpperCase()}</td>
        <td>{record.method.toUpperCase()}</td>
        <td className="mono break">{readablePath(record.url)}</td>
        <td>{record.status ?? record.errorCode ?? '—'}</td>
        <td>{formatDuration(record.durationMs)}</td>
        <td>
          <button
            type="button"
            aria-expanded={open}
            aria-controls={open ? `record-${record.id}` : undefined}
            // The visible word alone would make every row's button sound the same to a screen reader.
            aria-label={`${open ? 'Hide' : 'Details'} of request ${record.id}`}
            onClick={() => toggle(record.id)}
          >
            {open ? 'Hide' : 'Details'}
          </button>
        </td>
      </tr>
      {open ? (
        <tr className="details-row">
          <td colSpan={COLUMN_COUNT}>
            <RecordDetails record={record} />
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

export function RequestLog() {
  const filterId = useId();
  const { records, filter, loading, error, setFilter, load } = useRequestLogStore(
    useShallow((s) => ({ records: s.records, filter: s.filter, loading: s.loading, error: s.error, setFilter: s.setFilter, load: s.load })),
  );
  const { sort, header } = useSort();
  const shown = sortRows(visibleRecords({ records, filter }), SORT_KEYS, sort);
  return (
    <div className="screen">
      <h1 tabIndex={-1}>Request log</h1>
      <div className="row">
        <div className="field grow">
          <label htmlFor={filterId}>Filter</label>
          <input id={filterId} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="qrs 403 /session" spellCheck={false} />
        </div>
        <button type="button" onClick={() => void load()} disabled={loading}>
          Refresh
        </button>
        <ExportButtons
          label="Export the request log"
          noun={['call', 'calls']}
          choices={[{ label: 'Export HAR', what: { kind: 'requestLog', ...(filter.trim() ? { filter: filter.trim() } : {}) } }]}
        />
      </div>
      <ErrorNote error={error} />
      <p className="muted" aria-live="polite">
        {records.length === 0 ? 'No requests yet.' : `${shown.length} of ${records.length} requests`}
      </p>
      {shown.length > 0 ? (
        <Table
          className="request-log"
          caption={sort ? 'QPS and QRS requests' : 'QPS and QRS requests, newest first'}
          hiddenCaption
          columns={[
            header('time', 'Time'),
            header('service', 'Service'),
            header('method', 'Method'),
            header('path', 'Path'),
            header('status', 'Status'),
            header('duration', 'Duration'),
            DETAILS_COLUMN,
          ]}
        >
          {shown.map((record) => (
            <RecordRow key={record.id} record={record} />
          ))}
        </Table>
      ) : null}
    </div>
  );
}
