// The session inspector: every live session of the active site (all nodes x linked virtual proxies),
// grouped by user with each user's count against Qlik's five parallel sessions, the partition holding
// each session and whether Usher created it; warnings on top (seed 003's shared jar, users at the limit,
// refused logins, duplicate cookie names). End one session, all of a user's, or all Usher created (bulk
// ends ask first). Refresh by hand or on an interval, with progress while the proxies are asked.
import { useEffect, useId, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SessionInspectorView } from '../../../shared/sessions';
import { plural } from '../../../shared/plural';
import { ConfirmBar } from '../components/ConfirmBar';
import { ErrorNote } from '../components/ErrorNote';
import { SessionGridPicture } from '../components/SessionGridPicture';
import { formatDuration, formatTime } from '../format';
import { activeProfile, siteName, useAppStore } from '../stores/app-store';
import { useSessionsStore } from '../stores/sessions-store';
import { useEndSessions } from './sessions/end-sessions';
import { InspectorWarnings, PairFailures, warningElementId } from './sessions/InspectorNotes';
import { RefreshControls } from './sessions/RefreshControls';
import { SessionTable } from './sessions/SessionTable';

/** The status line: what is running, or what the last refresh found. */
function statusText(ending: boolean, refreshingSite: string | undefined, current: SessionInspectorView | undefined): string {
  if (ending) return 'Ending sessions…';
  if (refreshingSite !== undefined) return `Refreshing the sessions of ${refreshingSite}…`;
  if (!current) return '';
  return (
    `${plural(current.totalSessions, 'session')} of ${plural(current.groups.length, 'user')} on ${plural(current.nodes, 'node')} ` +
    `(${plural(current.pairs, 'node/virtual proxy pair')}), ${current.createdByUsher} created by Usher; ` +
    `refreshed at ${formatTime(current.refreshedAt)} in ${formatDuration(current.durationMs)}.`
  );
}

/** Row key -> the element ids of the warnings about it (each row says so in words and points at them). */
function useWarnedRows(current: SessionInspectorView | undefined, warningId: string): ReadonlyMap<string, readonly string[]> {
  return useMemo(() => {
    const map = new Map<string, string[]>();
    current?.warnings.forEach((w, i) => {
      for (const key of w.rowKeys) map.set(key, [...(map.get(key) ?? []), warningElementId(warningId, i)]);
    });
    return map;
  }, [current, warningId]);
}

export function Sessions() {
  const warningId = useId();
  const { profiles, activeProfileId } = useAppStore(useShallow((s) => ({ profiles: s.profiles, activeProfileId: s.activeProfileId })));
  const profile = activeProfile({ profiles, activeProfileId });
  const { view, inFlight, collapsed, ending, lastEnded, error, end, toggleUser } = useSessionsStore(
    useShallow((s) => ({
      view: s.view,
      inFlight: s.inFlight,
      collapsed: s.collapsed,
      ending: s.ending,
      lastEnded: s.lastEnded,
      error: s.error,
      end: s.end,
      toggleUser: s.toggleUser,
    })),
  );

  // A fresh look each time the section opens and when the site changes: sessions come and go while
  // other sections are shown (a ticket opened, a sixth login refused), and a stale table would mislead.
  useEffect(() => {
    if (activeProfileId) void useSessionsStore.getState().opened(activeProfileId);
  }, [activeProfileId]);

  const current = view && view.profileId === activeProfileId ? view : undefined;
  const warned = useWarnedRows(current, warningId);
  const busy = ending || inFlight !== undefined;
  const ends = useEndSessions({ profileId: activeProfileId, siteName: profile?.name, createdByUsher: current?.createdByUsher ?? 0, end });
  const { confirm, refs } = ends;
  const { region, statusLine, heading } = refs;
  const status = statusText(ending, inFlight ? siteName(profiles, inFlight.profileId) : undefined, current);

  return (
    <div className="screen">
      <h1 tabIndex={-1} ref={heading}>
        Sessions
      </h1>
      <p className="lead">
        Every live session on {profile ? profile.name : 'the site'}: all nodes and virtual proxies, grouped by user, with each user’s count against Qlik’s limit
        of {current?.limit ?? 5} parallel sessions (counted across the whole site).
      </p>
      <RefreshControls profileId={activeProfileId} busy={busy} canEndCreated={(current?.createdByUsher ?? 0) > 0} onEndCreated={ends.onEndCreated} />
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
      {confirm ? (
        <ConfirmBar question={confirm.question} action={confirm.action} onConfirm={() => ends.confirmEnd(confirm.scope)} onCancel={ends.cancel} />
      ) : null}
      {current ? <InspectorWarnings warnings={current.warnings} warningId={warningId} /> : null}
      {current ? <PairFailures failures={current.failures} /> : null}
      {current ? (
        current.groups.length === 0 ? (
          <p className="muted">No live sessions on this site.</p>
        ) : (
          <div ref={region} tabIndex={-1}>
            <SessionGridPicture groups={current.groups} limit={current.limit} pairs={current.pairs} />
            <SessionTable
              groups={current.groups}
              collapsed={collapsed}
              warned={warned}
              busy={busy}
              onToggle={toggleUser}
              onEndRow={ends.onEndRow}
              onEndUser={ends.onEndUser}
            />
          </div>
        )
      ) : null}
    </div>
  );
}
