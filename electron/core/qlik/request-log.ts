// The connection's memory of its last calls (a ring buffer) and the hand-off to a listener. Records are
// redacted before they are stored: nothing that reaches the log, the UI or a copied command can be used
// to log in as anyone.
import { redactBody, redactHeaders, redactUrl, type RequestRecord } from '../../../shared/request-log';

export { toCurl, toPowerShell, redactBody, redactUrl, type HeaderLine, type RequestRecord } from '../../../shared/request-log';

/** Bodies longer than this are cut in the log: a session list of a big site must not pin megabytes. */
export const LOGGED_BODY_CHARS = 32 * 1024;

function clipBody(body: string): string {
  if (body.length <= LOGGED_BODY_CHARS) return body;
  return `${body.slice(0, LOGGED_BODY_CHARS)}… (${body.length - LOGGED_BODY_CHARS} more characters)`;
}

type UnredactedRecord = Omit<RequestRecord, 'id'>;

/**
 * The call as it was made (real session ids in the URL and body), handed to the listener beside the
 * redacted record so a console can rebuild a command that runs. It must stay in the main process: it goes
 * to the clipboard at a person's request, never to the renderer, a file or the log.
 */
export interface RecordReplay {
  url: string;
  requestBody?: string;
}

export type RecordListener = (record: RequestRecord, replay: RecordReplay) => void;

export class RequestLog {
  private readonly ring: RequestRecord[] = [];
  private next = 0;
  private nextId = 1;

  constructor(
    private readonly capacity: number,
    private readonly listener?: RecordListener,
  ) {
    if (!(capacity >= 1)) throw new RangeError(`logSize must be at least 1, got ${capacity}`);
  }

  /** Redacts, numbers, stores and announces a record; returns what was stored. */
  add(raw: UnredactedRecord): RequestRecord {
    const record: RequestRecord = {
      ...raw,
      id: this.nextId++,
      url: redactUrl(raw.url),
      ...(raw.requestBody !== undefined ? { requestBody: clipBody(redactBody(raw.requestBody)) } : {}),
      ...(raw.responseBody !== undefined ? { responseBody: clipBody(redactBody(raw.responseBody)) } : {}),
      ...(raw.sentHeaders !== undefined ? { sentHeaders: redactHeaders(raw.sentHeaders) } : {}),
      ...(raw.responseHeaders !== undefined ? { responseHeaders: redactHeaders(raw.responseHeaders) } : {}),
    };
    if (this.ring.length < this.capacity) this.ring.push(record);
    else this.ring[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
    try {
      this.listener?.(record, { url: raw.url, ...(raw.requestBody !== undefined ? { requestBody: clipBody(raw.requestBody) } : {}) });
    } catch {
      // A faulty listener (UI, audit) must not turn a successful Qlik call into a failure.
    }
    return record;
  }

  /** Oldest first. */
  get entries(): readonly RequestRecord[] {
    if (this.ring.length < this.capacity) return [...this.ring];
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}
