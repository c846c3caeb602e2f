// The Sessions screen's toolbar: refresh now, refresh on an interval, end everything Usher created, and
// the progress of a refresh (node/virtual proxy pairs asked so far).
import { useEffect, useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { StepProgress } from '../../components/StepProgress';
import { REFRESH_INTERVALS, useSessionsStore, type RefreshInterval } from '../../stores/sessions-store';

/** Refreshes the site's sessions every `intervalSeconds` while auto-refresh is on. */
function useAutoRefresh(profileId: string, autoRefresh: boolean, intervalSeconds: number): void {
  useEffect(() => {
    if (!autoRefresh || !profileId) return;
    const timer = setInterval(() => void useSessionsStore.getState().refresh(profileId), intervalSeconds * 1000);
    return () => clearInterval(timer);
  }, [autoRefresh, intervalSeconds, profileId]);
}

export function RefreshControls({
  profileId,
  busy,
  canEndCreated,
  onEndCreated,
}: {
  profileId: string;
  busy: boolean;
  canEndCreated: boolean;
  onEndCreated: () => void;
}) {
  const autoId = useId();
  const intervalId = useId();
  const { inFlight, progress, autoRefresh, intervalSeconds, refresh, setAutoRefresh, setRefreshInterval } = useSessionsStore(
    useShallow((s) => ({
      inFlight: s.inFlight,
      progress: s.progress,
      autoRefresh: s.autoRefresh,
      intervalSeconds: s.intervalSeconds,
      refresh: s.refresh,
      setAutoRefresh: s.setAutoRefresh,
      setRefreshInterval: s.setInterval,
    })),
  );
  useAutoRefresh(profileId, autoRefresh, intervalSeconds);
  return (
    <div className="row inspector-controls" aria-busy={inFlight !== undefined}>
      <button type="button" className="primary" disabled={busy || !profileId} onClick={() => void refresh(profileId)}>
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
      <button type="button" className="danger" disabled={busy || !canEndCreated} onClick={onEndCreated}>
        End all created by Usher
      </button>
      {inFlight && progress && progress.total > 0 ? (
        // Each step is one node/virtual proxy pair asked for its sessions (events come throttled).
        <StepProgress label="Session inspector progress" current={progress.done + 1} total={progress.total} title="asking each node's QPS per virtual proxy" />
      ) : inFlight ? (
        // Before QRS has said how many nodes and virtual proxies there are, the bar has no length yet.
        <span className="inspector-progress">
          <progress aria-label="Session inspector progress" aria-valuetext="Asking QRS for the nodes and virtual proxies" />{' '}
          <span className="muted">asking QRS…</span>
        </span>
      ) : null}
    </div>
  );
}
