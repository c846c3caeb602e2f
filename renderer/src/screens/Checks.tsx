// Virtual proxy checks: the rules `usher check` applies, on the active site, as one findings table grouped
// by virtual proxy. An optional mashup origin adds the embedding rules; the probe asks each authentication
// module once (time-limited, in the main process). The run is the store's, so the window stays usable
// and the result waits while another section is shown.
import { useRevealWhenDone } from '../components/reveal-result';
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { SEVERITY_ORDER, type Severity, type VpFinding } from '../../../shared/vp-findings';
import { ErrorNote } from '../components/ErrorNote';
import { ExportButtons } from '../components/ExportButtons';
import { Field } from '../components/Field';
import { RadioChoices } from '../components/RadioChoices';
import { SeverityLabel, StatusWord } from '../components/StatusLabel';
import { FilterField } from '../components/FilterField';
import { matchesFilter, sortRows, useSort, type SortKey } from '../components/sorting';
import { Table } from '../components/Table';
import { formatDuration, prefixLabel } from '../format';
import { activeProfile, siteName, useAppStore } from '../stores/app-store';
import {
  countBySeverity,
  formatCounts,
  SEVERITY_FILTERS,
  useChecksStore,
  visibleFindings,
  type ChecksResult,
  type SeverityFilter,
} from '../stores/checks-store';
import { useShallow } from 'zustand/react/shallow';

/** `1 error, 2 warnings` (only what is there), or `no findings`. */
function shortCounts(findings: VpFinding[]): string {
  return formatCounts(countBySeverity(findings), { skipZero: true }) || 'no findings';
}

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(timer);
  }, []);
  return <span className="muted">{Math.max(0, Math.floor((now - since) / 1000))} s</span>;
}

const FILTER_NAMES: Record<Exclude<SeverityFilter, 'all'>, string> = { error: 'errors', warning: 'warnings', info: 'info' };

const SORT_KEYS: SortKey<VpFinding>[] = [
  { id: 'severity', value: (f) => SEVERITY_ORDER.indexOf(f.severity) },
  { id: 'field', value: (f) => f.field },
  { id: 'problem', value: (f) => f.problem },
  { id: 'fix', value: (f) => f.fix },
];

function summaryText(result: ChecksResult, counts: Record<Severity, number>, siteName: string, filter: SeverityFilter): string {
  const n = result.checked.length;
  const head = `${n} virtual prox${n === 1 ? 'y' : 'ies'} checked on ${siteName} in ${formatDuration(result.durationMs)}: ${formatCounts(counts)}.`;
  if (filter === 'all') return head;
  return `${head} Showing ${FILTER_NAMES[filter]} only: ${visibleFindings(result.findings, filter).length} of ${result.findings.length} findings.`;
}

/** What a group's header says when the filters hide all of its findings. */
function hiddenNote(findings: VpFinding[], filter: SeverityFilter, text: string): string {
  const what = text.trim() ? 'matches' : filter === 'all' ? 'findings' : FILTER_NAMES[filter];
  return `No ${what} here; ${findings.length} other finding${findings.length === 1 ? ' is' : 's are'} hidden by the filter.`;
}

/**
 * One virtual proxy's rows in the findings table: a header row naming it (with its counts, or that it is
 * clean, or what the filters hide), then its findings in the table's order.
 */
function VirtualProxyGroup({
  prefix,
  description,
  findings,
  shown,
  filter,
  text,
}: {
  prefix: string;
  description: string;
  findings: VpFinding[];
  shown: VpFinding[];
  filter: SeverityFilter;
  text: string;
}) {
  const headingId = useId();
  const name = prefixLabel(prefix);
  return (
    <tbody className="vp-group" aria-labelledby={headingId}>
      <tr className="vp-row">
        <th id={headingId} scope="rowgroup" colSpan={4}>
          <span className="vp-name">{name}</span>
          {description ? (
            <>
              {' — '}
              <span className="vp-description">{description}</span>
            </>
          ) : null}
          <span className="vp-counts">: {shortCounts(findings)}</span>
          {findings.length === 0 ? (
            <StatusWord icon="✓" text="No problems found." className="status-pass vp-note" />
          ) : shown.length === 0 ? (
            <span className="muted vp-note">{hiddenNote(findings, filter, text)}</span>
          ) : null}
        </th>
      </tr>
      {shown.map((f, index) => (
        <tr key={`${f.rule}-${f.field}-${index}`} className={`finding-${f.severity}`}>
          <td className="nowrap">
            <SeverityLabel severity={f.severity} />
          </td>
          <td className="mono">{f.field}</td>
          <td className="break">{f.problem}</td>
          <td className="break">{f.fix}</td>
        </tr>
      ))}
    </tbody>
  );
}

/** Every checked virtual proxy in one table, grouped, sortable within the groups and filtered by text. */
function FindingsTable({ result, filter, severityFilter }: { result: ChecksResult; filter: SeverityFilter; severityFilter: ReactNode }) {
  const [text, setText] = useState('');
  const { sort, header } = useSort();
  const groups = result.checked.map((vp) => {
    const findings = result.findings.filter((f) => f.virtualProxy === vp.prefix);
    const matching = visibleFindings(findings, filter).filter((f) =>
      matchesFilter(text, [prefixLabel(vp.prefix), vp.description, f.severity, f.field, f.problem, f.fix]),
    );
    return { vp, findings, shown: sortRows(matching, SORT_KEYS, sort) };
  });
  // A text filter hides the groups it does not match at all; the severity filter alone keeps every group.
  const listed = text.trim() ? groups.filter((g) => g.shown.length > 0 || matchesFilter(text, [prefixLabel(g.vp.prefix), g.vp.description])) : groups;
  const shown = groups.reduce((n, g) => n + g.shown.length, 0);
  return (
    <>
      <div className="table-tools">
        {severityFilter}
        <FilterField label="Filter findings" value={text} onChange={setText} shown={shown} total={result.findings.length} noun="findings" />
        <ExportButtons
          // A new run starts without the last run's "Saved … to" line.
          key={result.runId}
          label="Export the check results"
          noun={['finding', 'findings']}
          choices={[
            { label: 'Export Markdown', what: { kind: 'checks', runId: result.runId, format: 'markdown' } },
            { label: 'Export JUnit', what: { kind: 'checks', runId: result.runId, format: 'junit' } },
          ]}
        />
      </div>
      <Table
        className="findings dense"
        caption="Findings by virtual proxy"
        hiddenCaption
        groups
        columns={[header('severity', 'Severity'), header('field', 'Field'), header('problem', 'Problem'), header('fix', 'Fix')]}
      >
        {listed.map(({ vp, findings, shown: rows }) => (
          <VirtualProxyGroup key={vp.prefix} prefix={vp.prefix} description={vp.description} findings={findings} shown={rows} filter={filter} text={text} />
        ))}
      </Table>
    </>
  );
}

/** The run's settings (mashup origin, module probe) and its button, with the elapsed time while it runs. */
function ChecksForm({ profileId }: { profileId: string }) {
  const probeId = useId();
  const { origin, probe, inFlight, hasResult, originError, setOrigin, setProbe, run } = useChecksStore(
    useShallow((s) => ({
      origin: s.origin,
      probe: s.probe,
      inFlight: s.inFlight,
      hasResult: s.result !== undefined,
      originError: s.originError,
      setOrigin: s.setOrigin,
      setProbe: s.setProbe,
      run: s.run,
    })),
  );
  const running = inFlight !== undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (profileId) void run(profileId);
  };
  return (
    <form className="checks-form" onSubmit={submit} aria-busy={running}>
      <Field
        className="grow"
        label="Mashup origin (optional)"
        type="url"
        inputMode="url"
        value={origin}
        onChange={setOrigin}
        placeholder="https://portal.example.com"
        hint="Where a mashup embeds the site. Adds the embedding checks: host allow list, SameSite=None with Secure, the CSRF response headers."
        error={originError}
      />
      <div className="probe-choice">
        <div className="check">
          <input id={probeId} type="checkbox" checked={probe} onChange={(e) => setProbe(e.target.checked)} aria-describedby={`${probeId}-hint`} />
          <label htmlFor={probeId}>Probe authentication modules</label>
        </div>
        <p id={`${probeId}-hint`} className="hint">
          One request to each module URI, all at once, 5 s at most each.
        </p>
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={running || !profileId}>
          {running ? 'Checking…' : hasResult ? 'Run the checks again' : 'Run the checks'}
        </button>
        {inFlight ? (
          <span className="checks-progress">
            <progress aria-label="Checking" /> <Elapsed since={inFlight.startedAt} />
          </span>
        ) : null}
      </div>
    </form>
  );
}

/** Show all findings or one severity, each choice with its count. */
function SeverityChoice({ findings, filter, onChange }: { findings: VpFinding[]; filter: SeverityFilter; onChange: (filter: SeverityFilter) => void }) {
  const counts = countBySeverity(findings);
  return (
    <fieldset className="severity-filter">
      <legend>Show</legend>
      <RadioChoices
        name="severity"
        options={SEVERITY_FILTERS.map(({ id, label }) => ({ value: id, label: `${label} (${id === 'all' ? findings.length : counts[id]})` }))}
        value={filter}
        onChange={onChange}
      />
    </fieldset>
  );
}

export function Checks() {
  const { profiles, activeProfileId } = useAppStore(useShallow((s) => ({ profiles: s.profiles, activeProfileId: s.activeProfileId })));
  const profile = activeProfile({ profiles, activeProfileId });
  const { probe, filter, inFlight, result, error, setFilter } = useChecksStore(
    useShallow((s) => ({ probe: s.probe, filter: s.filter, inFlight: s.inFlight, result: s.result, error: s.error, setFilter: s.setFilter })),
  );
  const running = inFlight !== undefined;
  const summary = useRevealWhenDone<HTMLParagraphElement>(running);
  const nameOf = (id: string) => siteName(profiles, id);
  const status = inFlight
    ? `Checking the virtual proxies of ${nameOf(inFlight.profileId)}${probe ? ' and probing their authentication modules' : ''}…`
    : result
      ? summaryText(result, countBySeverity(result.findings), nameOf(result.profileId), filter)
      : '';

  return (
    <div className="screen">
      <h1 tabIndex={-1}>Checks</h1>
      <p className="lead">
        What is wrong in {profile ? `${profile.name}'s` : 'the site’s'} virtual proxy setup before users hit it: cookie names, proxy links, load balancing,
        prefixes, authentication modules, timeouts, anonymous access, cookie domains, and embedding from a mashup. The same rules as <code>usher check</code>.
      </p>
      <ChecksForm profileId={activeProfileId} />
      <ErrorNote error={error} />
      <p className="check-summary" role="status" ref={summary}>
        {status}
      </p>
      {result && !running && result.profileId !== activeProfileId ? (
        <p className="warn-text" role="note">
          These results are for {nameOf(result.profileId)}; run the checks again for {profile?.name ?? 'the selected site'}.
        </p>
      ) : null}
      {result ? (
        <>
          <p className="muted">
            {result.origin ? `Embedding checked for ${result.origin}` : 'Embedding not checked (no mashup origin)'}; authentication modules{' '}
            {result.probe ? 'probed' : 'not probed'}.
          </p>
          <FindingsTable result={result} filter={filter} severityFilter={<SeverityChoice findings={result.findings} filter={filter} onChange={setFilter} />} />
        </>
      ) : null}
    </div>
  );
}
