// The checks screen's state: the form (mashup origin, probe or not), the run in flight and the last
// result with the site it belongs to, and the severity filter. The run lives here, not in the screen,
// so it carries on (and its result waits) while another section is shown.
import { create } from 'zustand';
import type { ChecksRunView, IpcError } from '../../../shared/ipc/contract';
import { SEVERITY_ORDER, type Severity, type VpFinding } from '../../../shared/vp-findings';
import { call, toUiError } from '../api';

export type SeverityFilter = 'all' | Severity;

export const SEVERITY_FILTERS: ReadonlyArray<{ id: SeverityFilter; label: string }> = [
  { id: 'all', label: 'All' },
  { id: 'error', label: 'Errors' },
  { id: 'warning', label: 'Warnings' },
  { id: 'info', label: 'Info' },
];

export interface ChecksResult extends ChecksRunView {
  profileId: string;
  /** The origin the embedding rules used (normalised), when one was given. */
  origin?: string;
  probe: boolean;
}

interface ChecksStore {
  origin: string;
  probe: boolean;
  filter: SeverityFilter;
  /** The run in flight: the site it checks and performance.now() when it started (for the elapsed time). */
  inFlight?: { profileId: string; startedAt: number };
  result?: ChecksResult;
  /** The origin field's own problem, shown next to it. */
  originError?: string;
  error?: IpcError;
  setOrigin(origin: string): void;
  setProbe(probe: boolean): void;
  setFilter(filter: SeverityFilter): void;
  run(profileId: string): Promise<void>;
  reset(): void;
}

function initialState() {
  return {
    origin: '',
    probe: true,
    filter: 'all' as SeverityFilter,
    inFlight: undefined,
    result: undefined,
    originError: undefined,
    error: undefined,
  };
}

/** The origin of what was typed (`https://portal.example.com`), or why it is not one. */
function parseOrigin(text: string): { origin?: string; problem?: string } {
  const value = text.trim();
  if (value === '') return {};
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || !url.hostname) return { problem: 'Enter an https:// address, for example https://portal.example.com.' };
  return { origin: url.origin };
}

export function countBySeverity(findings: VpFinding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

const COUNT_WORDS = { error: ['error', 'errors'], warning: ['warning', 'warnings'], info: ['info', 'info'] } as const;

/** `1 error, 2 warnings, 0 info`; with `skipZero` only the severities that occur (`1 error, 2 warnings`, '' for none). */
export function formatCounts(counts: Record<Severity, number>, { skipZero = false } = {}): string {
  return SEVERITY_ORDER.filter((s) => !skipZero || counts[s] > 0)
    .map((s) => `${counts[s]} ${COUNT_WORDS[s][counts[s] === 1 ? 0 : 1]}`)
    .join(', ');
}

export function visibleFindings(findings: VpFinding[], filter: SeverityFilter): VpFinding[] {
  return filter === 'all' ? findings : findings.filter((f) => f.severity === filter);
}

let runSeq = 0;

export const useChecksStore = create<ChecksStore>()((set, get) => ({
  ...initialState(),

  setOrigin(origin) {
    set({ origin, originError: undefined });
  },

  setProbe(probe) {
    set({ probe });
  },

  setFilter(filter) {
    set({ filter });
  },

  async run(profileId) {
    if (get().inFlight) return;
    const { origin, problem } = parseOrigin(get().origin);
    if (problem) {
      set({ originError: problem });
      return;
    }
    const probe = get().probe;
    const seq = ++runSeq;
    set({ inFlight: { profileId, startedAt: performance.now() }, originError: undefined, error: undefined });
    try {
      const view = await call('checks.run', { profileId, probe, ...(origin !== undefined ? { origin } : {}) });
      if (seq !== runSeq) return;
      set({ result: { ...view, profileId, probe, ...(origin !== undefined ? { origin } : {}) }, inFlight: undefined });
    } catch (error) {
      if (seq !== runSeq) return;
      set({ error: toUiError(error), inFlight: undefined });
    }
  },

  reset() {
    runSeq++;
    set(initialState());
  },
}));
