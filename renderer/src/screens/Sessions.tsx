// The session inspector: every live session of the active site (all nodes x linked virtual proxies),
// grouped by user with each user's count against Qlik's five parallel sessions, the partition holding
// each session and whether Usher created it; warnings on top (seed 003's shared jar, users at the limit,
// refused logins, duplicate cookie names). End one session, all of a user's, or all Usher created (bulk
// ends ask first). Refresh by hand or on an interval, with progress while the proxies are asked.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { SessionRowView, SessionUserGroup } from '../../../shared/sessions';
import { plural } from '../../../shared/plural';
import { formatUser } from '../../../shared/user';
import { ConfirmBar, useFocusLater } from '../components/ConfirmBar';
import { ErrorNote } from '../components/ErrorNote';
import { SeverityLabel } from '../components/StatusLabel';
import { formatDuration, formatTime, prefixLabel } from '../format';
import { activeProfile, siteName, useAppStore } from '../stores/app-store';
import { REFRESH_INTERVALS, useSessionsStore, type EndScope, type RefreshInterval } from '../stores/sessions-store';
import { SessionGridPicture } from '../components/SessionGridPicture';
import { SessionTable } from './sessions/SessionTable';
import { useShallow } from 'zustand/react/shallow';

interface Confirm {
  scope: EndScope;
  question: string;
  action: string;
}

// Over 80 lines: one screen's store selections, handlers and layout in one component, as React reads
// it; the parts that stand alone are components of their own. The next cut is its layout's sections.
export function Sessions() {
  const autoId = useId();
  const intervalId = useId();
  const warningId = useId();
  const { profiles, activeProfileId } = useAppStore(useShallow((s) => ({ profiles: s.profiles, activeProfileId: s.activeProfileId })));
  const profile = activeProfile({ profiles, activeProfileId });
  const {
    view,
    inFlight,
    progress,
    autoRefresh,
    intervalSeconds,
    collapsed,
    ending,
    lastEnded,
    error,
    refresh,
    end,
    setAutoRefresh,
    setInterval: setRefreshInterval,
    toggleUser,
  } = useSessionsStore(
    useShallow((s) => ({
      view: s.view,
      inFlight: s.inFlight,
      progress: s.progress,
      autoRefresh: s.autoRefresh,
      intervalSeconds: s.intervalSeconds,
      collapsed: s.collapsed,
      ending: s.ending,
      lastEnded: s.lastEnded,
      error: s.error,
      refresh: s.refresh,
      end: s.end,
      setAutoRefresh: s.setAutoRefresh,
      setInterval: s.setInterval,
      toggleUser: s.toggleUser,
    })),
  );
  const [confirm, setConfirm] = useState<Confirm>();
  const region = useRef<HTMLDivElement>(null);
  const statusLine = useRef<HTMLParagraphElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  /** The button that asked the open question: Cancel gives focus back to it. */
  const opener = useRef<HTMLElement | null>(null);
  const focusLater = useFocusLater();

  // A fresh look each time the section opens and when the site changes: sessions come and go while
  // other sections are shown (a ticket opened, a sixth login refused), and a stale table would mislead.
  useEffect(() => {
    if (activeProfileId) void useSessionsStore.getState().opened(activeProfileId);
  }, [activeProfileId]);

  useEffect(() => {
    if (!autoRefresh || !activeProfileId) return;
    const timer = setInterval(() => void useSessionsStore.getState().refresh(activeProfileId), intervalSeconds * 1000);
    return () => clearInterval(timer);
  }, [autoRefresh, intervalSeconds, activeProfileId]);

  const current = view && view.profileId === activeProfileId ? view : undefined;
  // Row key -> the ids of the warnings about it (each row says so in words and points at them).
  const warned = useMemo(() => {
    const map = new Map<string, string[]>();
    current?.warnings.forEach((w, i) => {
      for (const key of w.rowKeys) map.set(key, [...(map.get(key) ?? []), `${warningId}-${i}`]);
    });
    return map as ReadonlyMap<string, readonly string[]>;
  }, [current, warningId]);
  const busy = ending || inFlight !== undefined;

  const ask = (next: Confirm) => {
    opener.current = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    setConfirm(next);
  };
  const cancel = () => {
    setConfirm(undefined);
    focusLater(
      () => opener.current,
      () => region.current,
      () => heading.current,
    );
  };
  const doEnd = (scope: EndScope) => {
    setConfirm(undefined);
    // The row's End (or the bar's button) is disabled or gone while the end runs: focus waits on the listing
    // (the table, or the status line when there is none).
    focusLater(
      () => region.current,
      () => statusLine.current,
    );
    // Once the new listing shows, and only if focus went with the old one (the last session ended took the
    // table away): focus the person moved elsewhere meanwhile stays there.
    const lost = () => !document.activeElement || document.activeElement === document.body;
    void end(activeProfileId, scope).then(() => focusLater(() => (lost() ? (region.current ?? statusLine.current) : null)));
  };
  // Ending one session logs a person out as surely as ending all of them: it asks too.
  const onEndRow = (row: SessionRowView) =>
    ask({
      scope: { kind: 'one', rowKey: row.rowKey },
      question: `End the session ${row.sessionIdMasked} of ${formatUser(row)} on ${row.nodeName} ${prefixLabel(row.virtualProxy)}? Its open tab will be sent back to log in.`,
      action: 'End this session',
    });
  const onEndUser = (group: SessionUserGroup) =>
    ask({
      scope: { kind: 'user', userDirectory: group.userDirectory, userId: group.userId },
      question: `End ${group.count === 1 ? 'the only session' : `all ${group.count} sessions`} of ${formatUser(group)} on every node and virtual proxy? Their open tabs will be sent back to log in.`,
      action: `End ${formatUser(group)}'s sessions`,
    });
  const onEndCreated = () =>
    ask({
      scope: { kind: 'created' },
      question: `End every session Usher created on ${profile?.name ?? 'this site'} (${current?.createdByUsher ?? 0} in the last refresh)? Sessions others made stay.`,
      action: 'End sessions Usher created',
    });

  const users = current?.groups.length ?? 0;
  const status = ending
    ? 'Ending sessions…'
    : inFlight
      ? `Refreshing the sessions of ${siteName(profiles, inFlight.profileId)}…`
      : current
        ? `${plural(current.totalSessions, 'session')} of ${plural(users, 'user')} on ${plural(current.nodes, 'node')} (${plural(current.pairs, 'node/virtual proxy pair')}), ${current.createdByUsher} created by Usher; refreshed at ${formatTime(current.refreshedAt)} in ${formatDuration(current.durationMs)}.`
        : '';

  return (
    <div className="screen">
      <h1 tabIndex={-1} ref={heading}>
        Sessions
      </h1>
      <p className="lead">
        Every live session on {profile ? profile.name : 'the site'}: all nodes and virtual proxies, grouped by user, with each user’s count against Qlik’s limit
        of {current?.limit ?? 5} parallel sessions (counted across the whole site).
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
      <p className="check-summary" role="status" aria-live="polite" ref={statusLine} tabIndex={-1}>
        {status}
      </p>
      {lastEnded ? (
        <p role="status" className="status status-pass">
          Ended {plural(lastEnded.ended.length, 'session')}
          {lastEnded.failures.length > 0 ? `; ${plural(lastEnded.failures.length, 'node/virtual proxy pair')} could not be asked` : ''}.
        </p>
      ) : null}
      <ErrorNote error={error} />
      {confirm ? <ConfirmBar question={confirm.question} action={confirm.action} onConfirm={() => doEnd(confirm.scope)} onCancel={cancel} /> : null}
      {current && current.warnings.length > 0 ? (
        <section aria-labelledby="inspector-warnings" className="inspector-warnings">
          <h2 id="inspector-warnings">Warnings ({current.warnings.length})</h2>
          <ul>
            {current.warnings.map((w, i) => (
              <li key={`${w.kind}-${i}`} id={`${warningId}-${i}`} className={`finding-${w.severity}`}>
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
              Node {f.nodeName} {prefixLabel(f.virtualProxy)}: {f.message}
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
            <SessionGridPicture groups={current.groups} limit={current.limit} />
            <SessionTable
              groups={current.groups}
              collapsed={collapsed}
              warned={warned}
              busy={busy}
              onToggle={toggleUser}
              onEndRow={onEndRow}
              onEndUser={onEndUser}
            />
          </div>
        )
      ) : null}
    </div>
  );
}
