// The console's request log: the last calls of every site connection in one ring buffer. Each
// QlikConnection numbers its records from 1, so the store gives them ids of its own; records arrive
// already redacted by the core (tickets and session ids masked) and are kept as they are.
import type { RequestRecord } from '../../shared/request-log';

export const REQUEST_LOG_CAPACITY = 500;

export class RequestLogStore {
  private readonly ring: RequestRecord[] = [];
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

  add(record: RequestRecord): RequestRecord {
    const stored: RequestRecord = { ...record, id: this.nextId++ };
    this.ring.push(stored);
    // Dropping from the front is O(n) but n is 500: simpler than an index ring and fast enough.
    if (this.ring.length > this.capacity) this.ring.shift();
    this.onAdd(stored);
    return stored;
  }

  /**
   * Oldest first; `filter` is a case-insensitive substring of method, URL, status or service.
   * The URL is searched without its xrfkey value: that value is 16 random letters, and a filter
   * such as "qrs" would otherwise match a QPS call now and then.
   */
  list(filter?: string): RequestRecord[] {
    const needle = filter?.trim().toLowerCase();
    if (!needle) return [...this.ring];
    return this.ring.filter((r) =>
      [r.method, withoutXrfkeyValue(r.url), r.status === undefined ? '' : String(r.status), r.service].some((field) => field.toLowerCase().includes(needle)),
    );
  }

  get(id: number): RequestRecord | undefined {
    return this.ring.find((r) => r.id === id);
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

function withoutXrfkeyValue(url: string): string {
  return url.replace(/([?&]xrfkey=)[^&#]*/i, '$1');
}
