// The session inspector: every live session of the active site (all nodes x linked virtual proxies),
// grouped by user with each user's count against Qlik's five parallel sessions, the partition holding
// each session and whether Usher created it; warnings on top (seed 003's shared jar, users at the limit,
// refused logins, duplicate cookie names). End one session, all of a user's, or all Usher created (bulk
// ends ask first). Refresh by hand or on an interval, with progress while the proxies are asked.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { SessionRowView, SessionUserGroup } from '../../../shared/sessions';
import { formatUser } from '../../../shared/user';
import { ErrorNote } from '../components/ErrorNote';
import { SeverityLabel } from '../components/StatusLabel';
import { formatDuration, formatTime } from '../format';
import { activeProfile, siteName, useAppStore } from '../stores/app-store';
import { REFRESH_INTERVALS, useSessionsStore, type EndScope, type RefreshInterval } from '../stores/sessions-store';
import { SessionTable } from './sessions/SessionTable';

interface Confirm {
  scope: EndScope;
  question: string;
  action: string;
}

function ConfirmEnd({ confirm, onYes, onNo }: { confirm: Confirm; onYes(): void; onNo(): void }) {
  const id = useId();
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => yes.current?.focus(), []);
  return (
    <div className="confirm-bar" role="alertdialog" aria-labelledby={id} onKeyDown={(e) => e.key === 'Escape' && onNo()}>
      <p id={id}>{confirm.question}</p>
      <button ref={yes} type="button" className="danger" onClick={onYes}>
        {confirm.action}
      </button>
      <button type="button" onClick={onNo}>
        Cancel
      </button>
    </div>
  );
}

export function Sessions() {
  const autoId = useId();
  const intervalId = useId();
  const { profiles, activeProfileId } = useAppStore();
  const profile = activeProfile({ profiles, activeProfileId });
  const { view, inFlight, progress, autoRefresh, intervalSeconds, collapsed, ending, lastEnded, error, refresh, end, setAutoRefresh, setInterval: setRefreshInterval, toggleUser } =
    useSessionsStore();
  const [confirm, setConfirm] = useState<Confirm>();
  const region = useRef<HTMLDivElement>(null);

  // A first look when the section opens (or the site changed since the last one).
  useEffect(() => {
    if (activeProfileId && view?.profileId !== activeProfileId) void useSessionsStore.getState().refresh(activeProfileId);
  }, [activeProfileId, view?.profileId]);

  useEffect(() => {
    if (!autoRefresh || !activeProfileId) return;
    const timer = setInterval(() => void useSessionsStore.getState().refresh(activeProfileId), intervalSeconds * 1000);
    return () => clearInterval(timer);
  }, [autoRefresh, intervalSeconds, activeProfileId]);

  const current = view && view.profileId === activeProfileId ? view : undefined;
  const warned = useMemo(() => new Set(current?.warnings.flatMap((w) => w.rowKeys) ?? []), [current]);
  const busy = ending || inFlight !== undefined;

  const ask = (next: Confirm) => setConfirm(next);
  const doEnd = (scope: EndScope) => {
    setConfirm(undefined);
    void end(activeProfileId, scope).then(() => region.current?.focus());
  };
  const onEndRow = (row: SessionRowView) => doEnd({ kind: 'one', rowKey: row.rowKey });
  const onEndUser = (group: SessionUserGroup) =>
    ask({
      scope: { kind: 'user', userDirectory: group.userDirectory, userId: group.userId },
      question: `End all ${group.count} session${group.count === 1 ? '' : 's'} of ${formatUser(group)} on every node and virtual proxy? Their open tabs will be sent back to log in.`,
      action: `End ${formatUser(group)}'s sessions`,
    });
  const onEndCreated = () =>
    ask({
      scope: { kind: 'created' },
      question: `End every session Usher created on ${profile?.name ?? 'this site'} (${current?.createdByUsher ?? 0} in the last refresh)? Sessions others made stay.`,
      action: 'End sessions Usher created',
    });

  const users = current?.groups.length ?? 0;
  const status = inFlight
    ? `Refreshing the sessions of ${siteName(profiles, inFlight.profileId)}…`
    : current
      ? `${current.totalSessions} session${current.totalSessions === 1 ? '' : 's'} of ${users} user${users === 1 ? '' : 's'} on ${current.nodes} node${current.nodes === 1 ? '' : 's'} (${current.pairs} node/virtual proxy pairs), ${current.createdByUsher} created by Usher; refreshed at ${formatTime(current.refreshedAt)} in ${formatDuration(current.durationMs)}.`
      : '';

  return (
    <div className="screen">
      <h1 tabIndex={-1}>Sessions</h1>
      <p className="lead">
        Every live session on {profile ? profile.name : 'the site'}: all nodes and virtual proxies, grouped by user, with each user’s count against Qlik’s limit of{' '}
        {current?.limit ?? 5} parallel sessions (counted across the whole site).
      </p>
      <div className="row inspector-controls" aria-busy={inFlight !== undefined}>
        <button type="button" className="primary" disabled={busy || !activeProfileId} onClick={() => void refresh(activeProfileId)}>
          {inFlight ? 'Refreshing…' : 'Refresh'}
        </button>
        <span className="check">
          <input id={autoId} type="checkbox" checked={autoRefresh} onChange={(e) => setAutoRefresh(e.target.checked)} />
          <label htmlFor={autoId}>Auto-refresh</label>
        </span>
        <label htmlFor={intervalId} className="visually-hidden">
          Auto-refresh interval
        </label>
        <select id={intervalId} value={intervalSeconds} disabled={!autoRefresh} onChange={(e) => setRefreshInterval(Number(e.target.value) as RefreshInterval)}>
          {REFRESH_INTERVALS.map((s) => (
            <option key={s} value={s}>
              every {s} s
            </option>
          ))}
        </select>
        <button type="button" className="danger" disabled={busy || !current || current.createdByUsher === 0} onClick={onEndCreated}>
          End all created by Usher
        </button>
        {inFlight ? (
          <span className="inspector-progress">
            <progress aria-label="Node/virtual proxy pairs asked" value={progress?.done} max={progress && progress.total > 0 ? progress.total : undefined} />{' '}
            <span className="muted">{progress ? `${progress.done} of ${progress.total}` : 'asking QRS…'}</span>
          </span>
        ) : null}
      </div>
      <p className="check-summary" role="status" aria-live="polite">
        {status}
      </p>
      {lastEnded ? (
        <p role="status" className="status status-pass">
          Ended {lastEnded.ended.length} session{lastEnded.ended.length === 1 ? '' : 's'}
          {lastEnded.failures.length > 0 ? `; ${lastEnded.failures.length} node/virtual proxy pair(s) could not be asked` : ''}.
        </p>
      ) : null}
      <ErrorNote error={error} />
      {confirm ? <ConfirmEnd confirm={confirm} onYes={() => doEnd(confirm.scope)} onNo={() => setConfirm(undefined)} /> : null}
      {current && current.warnings.length > 0 ? (
        <section aria-labelledby="inspector-warnings" className="inspector-warnings">
          <h2 id="inspector-warnings">Warnings ({current.warnings.length})</h2>
          <ul>
            {current.warnings.map((w, i) => (
              <li key={`${w.kind}-${i}`} className={`finding-${w.severity}`}>
                <SeverityLabel severity={w.severity} /> {w.message} <span className="muted">Fix: {w.fix}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {current && current.failures.length > 0 ? (
        <ul className="warn-text" aria-label="Pairs that could not be asked">
          {current.failures.slice(0, 10).map((f, i) => (
            <li key={i}>
              Node {f.nodeName} {f.virtualProxy ? `/${f.virtualProxy}` : '(default)'}: {f.message}
            </li>
          ))}
          {current.failures.length > 10 ? <li>and {current.failures.length - 10} more</li> : null}
        </ul>
      ) : null}
      {current ? (
        current.groups.length === 0 ? (
          <p className="muted">No live sessions on this site.</p>
        ) : (
          <div ref={region} tabIndex={-1}>
            <SessionTable groups={current.groups} collapsed={collapsed} warned={warned} busy={busy} onToggle={toggleUser} onEndRow={onEndRow} onEndUser={onEndUser} />
          </div>
        )
      ) : null}
    </div>
  );
}
