// The audit log: every ticket and session Usher created or ended, newest first, narrowed to one site if
// wanted. Values are masked by the main process; what shows here is what `usher audit` prints.
import { useEffect, useId } from 'react';
import type { AuditEntryView } from '../../../shared/audit';
import { formatUser } from '../../../shared/user';
import { ErrorNote } from '../components/ErrorNote';
import { Table } from '../components/Table';
import { formatDateTime, prefixLabel } from '../format';
import { siteName, useAppStore } from '../stores/app-store';
import { ACTION_LABELS, ALL_SITES, sitesInLog, useAuditStore, visibleEntries } from '../stores/audit-store';
import { useShallow } from 'zustand/react/shallow';

const AUDIT_COLUMNS = ['When', 'Action', 'Site', 'Node', 'Virtual proxy', 'User', 'Masked value', 'Why'];

function EntryRow({ entry, site }: { entry: AuditEntryView; site: string }) {
  const value = entry.ticketMasked ?? entry.sessionIdMasked;
  return (
    <tr>
      {/* Short values stay on one line (a user split as "DEMO\al / ice" misreads); the reason takes the rest. */}
      <td className="nowrap">
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
      </td>
      <td className="nowrap">{ACTION_LABELS[entry.action]}</td>
      <td>{site}</td>
      <td>{entry.node ?? '—'}</td>
      <td className="nowrap">{prefixLabel(entry.virtualProxy)}</td>
      <td className="nowrap">{formatUser(entry)}</td>
      <td className="mono nowrap">{value ?? '—'}</td>
      <td className="break">{entry.reason || '—'}</td>
    </tr>
  );
}

export function AuditLog() {
  const siteId = useId();
  const profiles = useAppStore((s) => s.profiles);
  const { entries, skippedLines, site, loaded, loading, error, load, setSite } = useAuditStore(useShallow((s) => ({ entries: s.entries, skippedLines: s.skippedLines, site: s.site, loaded: s.loaded, loading: s.loading, error: s.error, load: s.load, setSite: s.setSite })));
  const shown = visibleEntries({ entries, site });
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
        <div className="field">
          <label htmlFor={siteId}>Site</label>
          <select id={siteId} value={site} onChange={(e) => setSite(e.target.value)}>
            <option value={ALL_SITES}>All sites</option>
            {sites.map((id) => (
              <option key={id} value={id}>
                {siteName(profiles, id)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" onClick={() => void load()} disabled={loading}>
          Refresh
        </button>
      </div>
      <ErrorNote error={error} />
      {skippedLines > 0 ? (
        <p className="warn-text" role="note">
          {skippedLines} damaged line{skippedLines === 1 ? ' was' : 's were'} skipped in the audit log; the other entries are shown.
        </p>
      ) : null}
      <p className="muted" aria-live="polite">
        {!loaded ? (loading ? 'Reading the audit log…' : '') : entries.length === 0 ? 'No entries yet: tickets and sessions you create appear here.' : `${shown.length} of ${entries.length} entries`}
      </p>
      {shown.length > 0 ? (
        <Table className="audit-log" caption="Audit log, newest first" hiddenCaption columns={AUDIT_COLUMNS}>
          {shown.map((entry, index) => (
            // Entries have no id of their own; the list only ever changes as a whole, on load.
            <EntryRow key={`${entry.at}-${index}`} entry={entry} site={siteName(profiles, entry.profile)} />
          ))}
        </Table>
      ) : null}
    </div>
  );
}
