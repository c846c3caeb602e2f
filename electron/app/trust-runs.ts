// Finished trust checks, kept in the main process so that "save as profile" can store the certificate
// set the check loaded without asking for the files (and passphrase) again. The set never goes to the
// renderer, and a run left unsaved is dropped after 15 minutes rather than held for the whole session.
import { randomUUID } from 'node:crypto';
import type { TrustCheckResult } from '../core/checks/trust-check';
import { BackendError } from './backend-error';

export const TRUST_RUN_TTL_MS = 15 * 60_000;

export interface TrustRun {
  id: string;
  qps: string;
  qrs: string;
  result: TrustCheckResult;
  /** Epoch milliseconds. */
  finishedAt: number;
}

export class TrustRuns {
  private readonly runs = new Map<string, TrustRun>();
  /** Runs already saved, by id: the site's name and when (no certificates), so a second save says so. */
  private readonly savedRuns = new Map<string, { name: string; at: number }>();
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(options: { now?: () => number; ttlMs?: number } = {}) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? TRUST_RUN_TTL_MS;
  }

  /** An id for a run about to start (its progress events carry it before the result exists). */
  newId(): string {
    return randomUUID();
  }

  put(id: string, run: Omit<TrustRun, 'id' | 'finishedAt'>): TrustRun {
    this.sweep();
    const stored: TrustRun = { ...run, id, finishedAt: this.now() };
    this.runs.set(id, stored);
    return stored;
  }

  get(id: string): TrustRun {
    this.sweep();
    const run = this.runs.get(id);
    const saved = this.savedRuns.get(id);
    if (!run && saved) {
      throw new BackendError(
        'RUN_SAVED',
        `This trust check is already saved, as the site “${saved.name}”; its certificates now live there only.`,
        'To keep the site under another name, rename it; to save the certificates as a second site, run the trust check again.',
      );
    }
    if (!run) {
      throw new BackendError('RUN_NOT_FOUND', 'This trust check is no longer held (runs are kept for 15 minutes).', 'Run the trust check again, then save.');
    }
    return run;
  }

  delete(id: string): void {
    this.runs.delete(id);
  }

  /** The run became the site `name`: its certificate set is dropped, the name kept for the next question. */
  markSaved(id: string, name: string): void {
    this.runs.delete(id);
    this.savedRuns.set(id, { name, at: this.now() });
  }

  sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [id, run] of this.runs) if (run.finishedAt < cutoff) this.runs.delete(id);
    for (const [id, saved] of this.savedRuns) if (saved.at < cutoff) this.savedRuns.delete(id);
  }

  clear(): void {
    this.runs.clear();
    this.savedRuns.clear();
  }

  get size(): number {
    return this.runs.size;
  }
}
