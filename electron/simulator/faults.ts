// Fault injection for the simulated site: what a flaky network or an overloaded Qlik node does to a
// client. Settable at start and while running; applies to the QPS and QRS APIs.

export interface FaultSettings {
  /** Added to every response before it starts, in milliseconds. */
  latencyMs: number;
  /** Share of requests answered 503 (0..1). */
  errorRate: number;
  /** Share of requests whose connection is reset without an answer (0..1). */
  resetRate: number;
  /** Share of JSON answers whose body is cut into invalid JSON (0..1). */
  malformedJsonRate: number;
  /** When > 0, bodies are sent this many bytes at a time, one chunk every `trickleIntervalMs`. */
  trickleBytes: number;
  trickleIntervalMs: number;
}

export const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  errorRate: 0,
  resetRate: 0,
  malformedJsonRate: 0,
  trickleBytes: 0,
  trickleIntervalMs: 100,
};

export class FaultInjector {
  private settings: FaultSettings;

  constructor(
    initial: Partial<FaultSettings> = {},
    private readonly random: () => number = Math.random,
  ) {
    this.settings = validateFaults({ ...NO_FAULTS, ...initial });
  }

  get current(): FaultSettings {
    return { ...this.settings };
  }

  /** Changes some settings while the site runs; the rest stay as they are. */
  set(change: Partial<FaultSettings>): void {
    this.settings = validateFaults({ ...this.settings, ...change });
  }

  clear(): void {
    this.settings = { ...NO_FAULTS };
  }

  /** Draws what happens to one request. */
  draw(): { latencyMs: number; action: 'none' | 'error' | 'reset'; malformed: boolean } {
    const s = this.settings;
    const roll = this.random();
    const action = roll < s.resetRate ? 'reset' : roll < s.resetRate + s.errorRate ? 'error' : 'none';
    return { latencyMs: s.latencyMs, action, malformed: this.random() < s.malformedJsonRate };
  }

  get trickle(): { bytes: number; intervalMs: number } | undefined {
    return this.settings.trickleBytes > 0 ? { bytes: this.settings.trickleBytes, intervalMs: this.settings.trickleIntervalMs } : undefined;
  }
}

function validateFaults(s: FaultSettings): FaultSettings {
  for (const key of ['errorRate', 'resetRate', 'malformedJsonRate'] as const) {
    if (!(s[key] >= 0 && s[key] <= 1)) throw new RangeError(`fault ${key} must be between 0 and 1, got ${s[key]}`);
  }
  for (const key of ['latencyMs', 'trickleBytes', 'trickleIntervalMs'] as const) {
    if (!(s[key] >= 0)) throw new RangeError(`fault ${key} must be 0 or more, got ${s[key]}`);
  }
  if (s.errorRate + s.resetRate > 1) throw new RangeError('fault errorRate + resetRate must not exceed 1');
  return s;
}
