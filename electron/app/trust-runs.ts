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
    if (!run) {
      throw new BackendError('RUN_NOT_FOUND', 'This trust check is no longer held (runs are kept for 15 minutes).', 'Run the trust check again, then save.');
    }
    return run;
  }

  delete(id: string): void {
    this.runs.delete(id);
  }

  sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [id, run] of this.runs) if (run.finishedAt < cutoff) this.runs.delete(id);
  }

  clear(): void {
    this.runs.clear();
  }

  get size(): number {
    return this.runs.size;
  }
}
