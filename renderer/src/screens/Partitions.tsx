// The console's browser partitions: one table to compare the cookie jars (kind, site, windows, the Qlik
// users their sessions belong to), each row opening its detail: windows, downloads and cookies (values masked
// by the main process; Copy puts one value on the clipboard from the main process, audited, never here), the Qlik session and user
// each session cookie carries as QPS reports it; Clear, Close and Destroy (confirmed). Below, a login
// through the session API into the partition of one's choice.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { partitionColour } from '../../../shared/partition-colour';
import { partitionKindLabel, type PartitionCookieView, type PartitionView } from '../../../shared/partitions';
import { ConfirmBar, useFocusLater } from '../components/ConfirmBar';
import { ErrorNote } from '../components/ErrorNote';
import { Field } from '../components/Field';
import { OpenOutcome } from '../components/OpenOutcome';
import { PartitionChoiceFields } from '../components/PartitionChoiceFields';
import { PartitionMap } from '../components/PartitionMap';
import { PartitionSwatch } from '../components/PartitionSwatch';
import { FilterField } from '../components/FilterField';
import { matchesFilter, sortRows, useSort, type SortKey } from '../components/sorting';
import { Table } from '../components/Table';
import { formatDateTime, prefixLabel } from '../format';
import { activeProfile, siteName, useAppStore } from '../stores/app-store';
import { cookieKey, usePartitionsStore } from '../stores/partitions-store';
import { useShallow } from 'zustand/react/shallow';

const COOKIE_COLUMNS = ['Name', 'Domain and path', 'Flags', 'Value', 'Qlik session'];

function flags(c: PartitionCookieView): string {
  return [c.secure ? 'Secure' : '', c.httpOnly ? 'HttpOnly' : '', c.sameSite ? `SameSite=${c.sameSite}` : ''].filter(Boolean).join(', ') || '—';
}

function SessionCell({ cookie }: { cookie: PartitionCookieView }) {
  const s = cookie.session;
  if (!s) return <span className="muted">not a session cookie</span>;
  const where = `${prefixLabel(s.virtualProxy)}${s.suffix ? ` (${s.suffix} name)` : ''}${s.node ? ` on ${s.node}` : ''}`;
  return (
    <div>
      {s.user ? (
        <p>
          <strong>{s.user}</strong>
          {s.userName ? ` (${s.userName})` : ''}
        </p>
      ) : null}
      <p className="muted">{where}</p>
      {s.otherVirtualProxies.length > 0 ? (
        <p className="warn-text">The name is also {s.otherVirtualProxies.map(prefixLabel).join(', ')}&rsquo;s: logins there replace this cookie.</p>
      ) : null}
      {s.problem ? <p className="warn-text">{s.problem}</p> : null}
    </div>
  );
}

function CookieRow({ partition, cookie }: { partition: PartitionView; cookie: PartitionCookieView }) {
  const ref = { partitionId: partition.partitionId, name: cookie.name, domain: cookie.domain, path: cookie.path };
  const key = cookieKey(ref);
  const { copied, copyCookie } = usePartitionsStore(useShallow((s) => ({ copied: s.copied[key] === true, copyCookie: s.copyCookie })));
  return (
    <tr>
      <td className="mono break">{cookie.name}</td>
      <td className="mono">
        {cookie.domain}
        {cookie.path}
      </td>
      <td>{flags(cookie)}</td>
      <td>
        <span className="mono break">{cookie.valueMasked}</span>{' '}
        {/* The main process writes the clipboard: a session cookie is a live login, so its value never comes here. */}
        <button type="button" onClick={() => void copyCookie(ref)} aria-label={`Copy the value of ${cookie.name} in ${partition.label}`}>
          Copy
        </button>
        {copied ? <span className="muted"> copied</span> : null}
      </td>
      <td>
        <SessionCell cookie={cookie} />
      </td>
    </tr>
  );
}

/** `onDestroying`: the card goes away with the partition, so the screen takes focus before it does. */
function PartitionActions({ partition, onDestroying }: { partition: PartitionView; onDestroying(): void }) {
  const { busy, confirming, act, askDestroy } = usePartitionsStore(
    useShallow((s) => ({ busy: s.busy, confirming: s.confirming, act: s.act, askDestroy: s.askDestroy })),
  );
  const destroyButton = useRef<HTMLButtonElement>(null);
  const focusLater = useFocusLater();
  const running = busy?.partitionId === partition.partitionId;
  if (confirming === partition.partitionId) {
    return (
      <ConfirmBar
        label={`Destroy ${partition.label}?`}
        question={`Destroy “${partition.label}”? Its windows close${partition.persistent ? ', its storage on disk is deleted' : ''} and its downloads folder is deleted.`}
        action="Destroy"
        onConfirm={() => {
          onDestroying();
          void act(partition.partitionId, 'destroy');
        }}
        onCancel={() => {
          askDestroy(undefined);
          // Back to the button that asked (rendered again in the bar's place).
          focusLater(() => destroyButton.current);
        }}
      />
    );
  }
  return (
    <div className="row">
      <button
        type="button"
        className="nowrap"
        disabled={running || partition.windows.length === 0}
        onClick={() => void act(partition.partitionId, 'focus')}
        aria-label={`Bring to front the window of ${partition.label}`}
      >
        Bring to front
      </button>
      <button
        type="button"
        disabled={running || partition.windows.length === 0}
        onClick={() => void act(partition.partitionId, 'clear')}
        aria-label={`Clear ${partition.label}`}
      >
        {running && busy?.action === 'clear' ? 'Clearing…' : 'Clear'}
      </button>
      <button
        type="button"
        disabled={running || partition.windows.length === 0}
        onClick={() => void act(partition.partitionId, 'close')}
        aria-label={`Close ${partition.label}`}
      >
        {running && busy?.action === 'close' ? 'Closing…' : 'Close'}
      </button>
      <button
        ref={destroyButton}
        type="button"
        className="danger"
        disabled={running}
        onClick={() => askDestroy(partition.partitionId)}
        aria-label={`Destroy ${partition.label}`}
      >
        Destroy…
      </button>
    </div>
  );
}

/** A partition's detail, shown under its row when asked: windows, downloads, cookies with their sessions. */
function PartitionDetails({ partition, site, id }: { partition: PartitionView; site: string; id: string }) {
  const headingId = useId();
  return (
    <section id={id} className="partition-details" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <PartitionSwatch partitionId={partition.partitionId} />
        {partition.label}{' '}
        <span className="muted">
          — {partitionKindLabel(partition)}, colour {partitionColour(partition.partitionId)}
        </span>
      </h2>
      <p className="muted">
        {site}; since {formatDateTime(partition.createdAt)}; id <span className="mono">{partition.partitionId}</span>
      </p>
      <h3>Windows</h3>
      {partition.windows.length === 0 ? (
        <p className="muted">No window open.</p>
      ) : (
        <ul>
          {partition.windows.map((w, i) => (
            <li key={i} className="mono break">
              {w.url || '(blank)'}
            </li>
          ))}
        </ul>
      )}
      <h3>Downloads</h3>
      <p className="muted">
        Saved to <span className="mono break">{partition.downloadsDir}</span>
        {partition.downloads.length === 0 ? '; none yet.' : null}
      </p>
      {partition.downloads.length === 0 ? null : (
        <ul>
          {partition.downloads.map((d, i) => (
            <li key={i}>
              <span className="mono break">{d.path ?? d.url}</span> — {d.error ? <span className="warn-text">failed: {d.error}</span> : `${d.bytes} bytes`}
            </li>
          ))}
        </ul>
      )}
      <h3>Cookies</h3>
      {partition.cookiesNote ? <p className="muted">{partition.cookiesNote}</p> : null}
      {partition.cookies.length === 0 ? (
        partition.cookiesNote ? null : (
          <p className="muted">The jar is empty.</p>
        )
      ) : (
        <Table className="cookies dense" caption={`Cookies of ${partition.label}`} hiddenCaption columns={COOKIE_COLUMNS}>
          {partition.cookies.map((c) => (
            <CookieRow key={`${c.name}\u0000${c.domain}\u0000${c.path}`} partition={partition} cookie={c} />
          ))}
        </Table>
      )}
    </section>
  );
}

/** The Qlik users the partition's session cookies belong to, as QPS named them. */
function sessionUsers(partition: PartitionView): string[] {
  return [...new Set(partition.cookies.flatMap((c) => (c.session?.user ? [c.session.user] : [])))];
}

interface Row {
  partition: PartitionView;
  site: string;
  kind: string;
  users: string[];
}

const SORT_KEYS: SortKey<Row>[] = [
  { id: 'label', value: (r) => r.partition.label },
  { id: 'kind', value: (r) => r.kind },
  { id: 'site', value: (r) => r.site },
  { id: 'windows', value: (r) => r.partition.windows.length },
  { id: 'users', value: (r) => r.users.join(', ') },
  { id: 'since', value: (r) => r.partition.createdAt },
];

function PartitionRow({ row, expanded, onToggle, onDestroying }: { row: Row; expanded: boolean; onToggle(): void; onDestroying(): void }) {
  const detailsId = useId();
  const { partition, site, kind, users } = row;
  return (
    <>
      <tr>
        <td>
          <button
            type="button"
            className="disclosure"
            aria-expanded={expanded}
            aria-controls={expanded ? detailsId : undefined}
            aria-label={`Details of ${partition.label}`}
            onClick={onToggle}
          >
            <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
          </button>{' '}
          <PartitionSwatch partitionId={partition.partitionId} />
          {partition.label}
        </td>
        <td>{kind}</td>
        <td>{site}</td>
        <td>{partition.windows.length}</td>
        <td>
          {users.length === 0 ? <span className="muted">none</span> : users.join(', ')}
          {users.length > 1 ? <p className="warn-text">{users.length} users in one jar: the last login wins in every window.</p> : null}
        </td>
        <td className="nowrap">{formatDateTime(partition.createdAt)}</td>
        <td>
          <PartitionActions partition={partition} onDestroying={onDestroying} />
        </td>
      </tr>
      {expanded ? (
        <tr className="details-row">
          <td colSpan={7}>
            <PartitionDetails partition={partition} site={site} id={detailsId} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** Every partition in one table to compare them; a row's detail opens under it. Sortable and filtered. */
function PartitionsTable({ partitions, siteOf, onDestroying }: { partitions: PartitionView[]; siteOf(profileId: string): string; onDestroying(): void }) {
  const [text, setText] = useState('');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const { sort, header } = useSort();
  const rows: Row[] = partitions.map((partition) => ({
    partition,
    site: siteOf(partition.profileId),
    kind: partitionKindLabel(partition),
    users: sessionUsers(partition),
  }));
  const shown = sortRows(
    rows.filter((r) => matchesFilter(text, [r.partition.label, r.kind, r.site, r.partition.partitionId, ...r.users, ...r.partition.windows.map((w) => w.url)])),
    SORT_KEYS,
    sort,
  );
  const toggle = (id: string) =>
    setExpanded((open) => {
      const next = new Set(open);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <>
      <FilterField label="Filter partitions" value={text} onChange={setText} shown={shown.length} total={rows.length} noun="partitions" />
      <Table
        className="partitions dense"
        caption="Partitions"
        hiddenCaption
        columns={[
          header('label', 'Partition'),
          header('kind', 'Kind'),
          header('site', 'Site'),
          header('windows', 'Windows'),
          header('users', 'Qlik users'),
          header('since', 'Since'),
          'Actions',
        ]}
      >
        {shown.map((row) => (
          <PartitionRow
            key={row.partition.partitionId}
            row={row}
            expanded={expanded.has(row.partition.partitionId)}
            onToggle={() => toggle(row.partition.partitionId)}
            onDestroying={onDestroying}
          />
        ))}
      </Table>
    </>
  );
}

function InjectForm({ partitions }: { partitions: PartitionView[] }) {
  const vpId = useId();
  const { profiles, activeProfileId } = useAppStore(useShallow((s) => ({ profiles: s.profiles, activeProfileId: s.activeProfileId })));
  const profile = activeProfile({ profiles, activeProfileId });
  const { inject, injecting, injected, injectError, setInject, setInjectPartition, runInject } = usePartitionsStore(
    useShallow((s) => ({
      inject: s.inject,
      injecting: s.injecting,
      injected: s.injected,
      injectError: s.injectError,
      setInject: s.setInject,
      setInjectPartition: s.setInjectPartition,
      runInject: s.runInject,
    })),
  );
  const incomplete = !profile || inject.userDirectory.trim() === '' || inject.userId.trim() === '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (profile) void runInject(profile.id);
  };
  return (
    <section aria-labelledby={`${vpId}-heading`}>
      <h2 id={`${vpId}-heading`}>Log in through the session API</h2>
      <p className="lead">
        Usher creates a session with a fresh id on the QPS (<code>POST /qps/{'{prefix}'}/session</code>), sets the virtual proxy&rsquo;s session cookie in the
        partition as the proxy would, and opens the hub. Audited like a ticket.
      </p>
      <form onSubmit={submit} aria-busy={injecting}>
        <div className="field">
          <label htmlFor={vpId}>Virtual proxy</label>
          <select id={vpId} value={inject.virtualProxy} onChange={(e) => setInject({ virtualProxy: e.target.value })}>
            {(profile?.virtualProxies ?? []).map((vp) => (
              <option key={vp.prefix} value={vp.prefix}>
                {prefixLabel(vp.prefix)} — {vp.sessionCookieHeaderName}
              </option>
            ))}
          </select>
        </div>
        <Field label="Session user directory" value={inject.userDirectory} onChange={(userDirectory) => setInject({ userDirectory })} />
        <Field label="Session user id" value={inject.userId} onChange={(userId) => setInject({ userId })} />
        <Field label="Reason (audit log)" value={inject.reason} onChange={(reason) => setInject({ reason })} />
        <PartitionChoiceFields name="inject-partition" value={inject.partition} partitions={partitions} onChange={setInjectPartition} />
        <div className="row">
          <button type="submit" className="primary" disabled={injecting || incomplete}>
            {injecting ? 'Logging in…' : 'Log in and open the hub'}
          </button>
        </div>
      </form>
      <ErrorNote error={injectError} />
      {injected ? <OpenOutcome result={injected} /> : null}
    </section>
  );
}

export function Partitions() {
  const { profiles, activeProfileId } = useAppStore(useShallow((s) => ({ profiles: s.profiles, activeProfileId: s.activeProfileId })));
  const profile = activeProfile({ profiles, activeProfileId });
  const { view, loading, error, notice, load, applyProfile } = usePartitionsStore(
    useShallow((s) => ({ view: s.view, loading: s.loading, error: s.error, notice: s.notice, load: s.load, applyProfile: s.applyProfile })),
  );
  const statusLine = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    void load();
  }, [load]);

  // The form follows the active site: its default virtual proxy and user directory.
  useEffect(() => {
    if (profile) applyProfile(profile);
  }, [profile, applyProfile]);

  const partitions = view?.partitions ?? [];
  const status = loading
    ? 'Reading the partitions and asking QPS whose sessions they hold…'
    : notice || (view ? `${partitions.length} partition${partitions.length === 1 ? '' : 's'}.` : '');

  return (
    <div className="screen">
      <h1 tabIndex={-1}>Partitions</h1>
      <p className="lead">
        Each partition is one cookie jar. Isolated partitions keep logins apart; the shared one reproduces seed 003 on purpose. Each partition trusts only its
        site&rsquo;s CA.
      </p>
      <div className="row">
        <button type="button" onClick={() => void load()} disabled={loading}>
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <p role="status" ref={statusLine} tabIndex={-1}>
        {status}
      </p>
      <ErrorNote error={error} />
      {view?.cleanupProblem ? (
        <p className="warn-text" role="note">
          {view.cleanupProblem}
        </p>
      ) : null}
      {view && view.orphansRemoved.length > 0 ? (
        <p className="muted">
          At start, storage left by an earlier run was deleted: <span className="mono">{view.orphansRemoved.join(', ')}</span>.
        </p>
      ) : null}
      {view && partitions.length === 0 ? <p className="muted">No partition yet: open a ticket (Tickets) or log in through the session API below.</p> : null}
      {partitions.length > 0 ? (
        <PartitionsTable partitions={partitions} siteOf={(id) => siteName(profiles, id)} onDestroying={() => statusLine.current?.focus()} />
      ) : null}
      <PartitionMap partitions={partitions} />
      <InjectForm partitions={partitions.filter((p) => p.profileId === activeProfileId)} />
    </div>
  );
}
