// The console's request log: the last calls of every site connection in one ring buffer. Each
// QlikConnection numbers its records from 1, so the store gives them ids of its own; records arrive
// already redacted by the core (tickets and session ids masked) and are kept as they are. Beside each
// record the store keeps the call as made (its replay), so a copied command runs: the replay goes to
// the clipboard and nowhere else.
import { matchesRequestFilter, toCurl, toPowerShell, type RequestRecord } from '../../shared/request-log';
import type { RecordReplay } from '../core/qlik';

export const REQUEST_LOG_CAPACITY = 500;

export class RequestLogStore {
  private readonly ring: RequestRecord[] = [];
  private readonly replays = new Map<number, RecordReplay>();
  private nextId = 1;

  constructor(
    private readonly onAdd: (record: RequestRecord) => void = () => undefined,
    private readonly capacity = REQUEST_LOG_CAPACITY,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, got ${capacity}`);
  }

  /** The id the next record will get: lets a caller find the records its own call produced. */
  get nextRecordId(): number {
    return this.nextId;
  }

  add(record: RequestRecord, replay?: RecordReplay): RequestRecord {
    const stored: RequestRecord = { ...record, id: this.nextId++ };
    this.ring.push(stored);
    if (replay) this.replays.set(stored.id, replay);
    // Dropping from the front is O(n) but n is 500: simpler than an index ring and fast enough.
    if (this.ring.length > this.capacity) this.replays.delete(this.ring.shift()!.id);
    this.onAdd(stored);
    return stored;
  }

  /** Oldest first; `filter` as the console applies it (shared/request-log.ts matchesRequestFilter). */
  list(filter?: string): RequestRecord[] {
    return filter ? this.ring.filter((r) => matchesRequestFilter(r, filter)) : [...this.ring];
  }

  get(id: number): RequestRecord | undefined {
    return this.ring.find((r) => r.id === id);
  }

  /**
   * A command re-running the call: `text` with the real ids (for the clipboard), `preview` as the log
   * shows it (masked, for the screen). Without a replay both are the masked command.
   */
  command(id: number, format: 'curl' | 'powershell'): { text: string; preview: string } | undefined {
    const record = this.get(id);
    if (!record) return undefined;
    const render = format === 'curl' ? toCurl : toPowerShell;
    const replay = this.replays.get(id);
    const preview = render(record);
    return { text: replay ? render({ ...record, ...replay }) : preview, preview };
  }

  /** The newest record from `fromId` on that satisfies `match`. */
  findSince(fromId: number, match: (record: RequestRecord) => boolean): RequestRecord | undefined {
    for (let i = this.ring.length - 1; i >= 0; i--) {
      const record = this.ring[i]!;
      if (record.id < fromId) return undefined;
      if (match(record)) return record;
    }
    return undefined;
  }
}
