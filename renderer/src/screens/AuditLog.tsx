// The audit log: every ticket and session Usher created or ended, newest first (or sorted by a column),
// narrowed to one site and by a text filter if wanted. Values are masked by the main process; what shows here is what `usher audit` prints.
import { useEffect, useId, useState } from 'react';
import type { AuditEntryView } from '../../../shared/audit';
import { formatUser } from '../../../shared/user';
import { ErrorNote } from '../components/ErrorNote';
import { ExportButtons } from '../components/ExportButtons';
import { Field } from '../components/Field';
import { matchesFilter, sortRows, useSort, type SortKey } from '../components/sorting';
import { Table } from '../components/Table';
import { UserName } from '../components/UserName';
import { formatDateTime, prefixLabel } from '../format';
import { siteName, useAppStore } from '../stores/app-store';
import { ACTION_LABELS, ALL_SITES, sitesInLog, useAuditStore, visibleEntries } from '../stores/audit-store';
import { useShallow } from 'zustand/react/shallow';

interface Row {
  entry: AuditEntryView;
  site: string;
}

const SORT_KEYS: SortKey<Row>[] = [
  { id: 'at', value: (r) => r.entry.at },
  { id: 'action', value: (r) => ACTION_LABELS[r.entry.action] },
  { id: 'site', value: (r) => r.site },
  { id: 'node', value: (r) => r.entry.node ?? '' },
  { id: 'vp', value: (r) => prefixLabel(r.entry.virtualProxy) },
  { id: 'user', value: (r) => formatUser(r.entry) },
];

/** The words a text filter looks in: everything the row shows. */
function rowWords({ entry, site }: Row): string[] {
  return [
    ACTION_LABELS[entry.action],
    site,
    entry.node ?? '',
    prefixLabel(entry.virtualProxy),
    formatUser(entry),
    entry.ticketMasked ?? entry.sessionIdMasked ?? '',
    entry.reason,
  ];
}

function EntryRow({ entry, site }: { entry: AuditEntryView; site: string }) {
  const value = entry.ticketMasked ?? entry.sessionIdMasked;
  return (
    <tr>
      {/* Values wrap only between words (a user only after its backslash or before an @: "DEMO\al / ice"
          misreads); the reason wraps anywhere but keeps a column of its own width (.audit-log .why). */}
      <td>
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      </td>
      <td>{ACTION_LABELS[entry.action]}</td>
      <td>{site}</td>
      <td>{entry.node ?? '—'}</td>
      <td className="nowrap">{prefixLabel(entry.virtualProxy)}</td>
      <td>
        <UserName user={entry} />
      </td>
      <td className="mono nowrap">{value ?? '—'}</td>
      <td className="break why">{entry.reason || '—'}</td>
    </tr>
  );
}

/** All sites, or the entries of one. */
function SiteField({ sites, value, nameOf, onChange }: { sites: string[]; value: string; nameOf: (id: string) => string; onChange: (site: string) => void }) {
  const siteId = useId();
  return (
    <div className="field">
      <label htmlFor={siteId}>Site</label>
      <select id={siteId} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value={ALL_SITES}>All sites</option>
        {sites.map((id) => (
          <option key={id} value={id}>
            {nameOf(id)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function AuditLog() {
  const profiles = useAppStore((s) => s.profiles);
  const { entries, skippedLines, site, loaded, loading, error, load, setSite } = useAuditStore(
    useShallow((s) => ({
      entries: s.entries,
      skippedLines: s.skippedLines,
      site: s.site,
      loaded: s.loaded,
      loading: s.loading,
      error: s.error,
      load: s.load,
      setSite: s.setSite,
    })),
  );
  const [text, setText] = useState('');
  const { sort, header } = useSort();
  const rows = visibleEntries({ entries, site })
    .map((entry) => ({ entry, site: siteName(profiles, entry.profile) }))
    .filter((row) => matchesFilter(text, rowWords(row)));
  const shown = sortRows(rows, SORT_KEYS, sort);
  const sites = sitesInLog(entries);
  // A site chosen earlier stays a choice even when a refresh no longer lists it, so the select never lies.
  if (site !== ALL_SITES && !sites.includes(site)) sites.push(site);

  // Read afresh each time the section is shown: tickets may have been issued from another section.
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="screen">
      <h1 tabIndex={-1}>Audit</h1>
      <p className="lead">Every ticket and session Usher created or ended, who it was for and why. Tickets and session ids are masked.</p>
      <div className="row">
        <SiteField sites={sites} value={site} nameOf={(id) => siteName(profiles, id)} onChange={setSite} />
        <Field label="Filter entries" type="search" value={text} onChange={setText} />
        <button type="button" onClick={() => void load()} disabled={loading}>
          Refresh
        </button>
        <ExportButtons
          label="Export the audit log"
          noun={['entry', 'entries']}
          choices={[{ label: 'Export CSV', what: { kind: 'audit', ...(site !== ALL_SITES ? { profile: site } : {}) } }]}
        />
      </div>
      <ErrorNote error={error} />
      {skippedLines > 0 ? (
        <p className="warn-text" role="note">
          {skippedLines} damaged line{skippedLines === 1 ? ' was' : 's were'} skipped in the audit log; the other entries are shown.
        </p>
      ) : null}
      <p className="muted" aria-live="polite">
        {!loaded
          ? loading
            ? 'Reading the audit log…'
            : ''
          : entries.length === 0
            ? 'No entries yet: tickets and sessions you create appear here.'
            : `${shown.length} of ${entries.length} entries`}
      </p>
      {shown.length > 0 ? (
        <Table
          className="audit-log dense"
          caption={sort ? 'Audit log' : 'Audit log, newest first'}
          hiddenCaption
          columns={[
            header('at', 'When'),
            header('action', 'Action'),
            header('site', 'Site'),
            header('node', 'Node'),
            header('vp', 'Virtual proxy'),
            header('user', 'User'),
            'Masked value',
            'Why',
          ]}
        >
          {shown.map(({ entry, site: name }, index) => (
            // Entries have no id of their own; the list only ever changes as a whole, on load.
            <EntryRow key={`${entry.at}-${index}`} entry={entry} site={name} />
          ))}
        </Table>
      ) : null}
    </div>
  );
}
