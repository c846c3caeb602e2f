// The local, append-only record of every ticket and session the console created or ended: who asked, for
// whom, on which virtual proxy, when and why. One JSON object per line in <data>/audit.log (mode 0600).
// Tickets and session ids are stored masked only; a torn or garbled line is skipped and counted on read.
import { appendFile, chmod, mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AUDIT_ACTIONS, auditEntrySchema, type AuditAction, type AuditEntry } from '../../../shared/audit';
import { firstProblem } from '../../../shared/schema';
import { errorCode } from '../fs/error-code';

// The entry type is pure data the console shows too, so it lives in shared/; re-exported for the core.
export { AUDIT_ACTIONS, type AuditAction, type AuditEntry };

export type AuditInput = Omit<AuditEntry, 'at'> & { at?: string };

export interface AuditReadOptions {
  /** The newest `limit` entries (after filtering). */
  limit?: number;
  /** Only this profile id. */
  profile?: string;
  /** Only entries at or after this moment. */
  since?: Date;
}

/** The entry as the log keeps it, or undefined when `value` is not one (see auditEntrySchema). */
function toEntry(value: unknown): AuditEntry | undefined {
  const checked = firstProblem(auditEntrySchema, value);
  return checked.ok ? checked.value : undefined;
}

export class AuditLog {
  readonly file: string;
  private readonly dir: string;
  private queue: Promise<unknown> = Promise.resolve();
  private modeChecked = false;

  constructor(dir: string) {
    this.dir = dir;
    this.file = join(dir, 'audit.log');
  }

  /** Appends one entry (`at` defaults to now). Throws a TypeError for an entry missing required fields. */
  append(input: AuditInput): Promise<void> {
    const checked = firstProblem(auditEntrySchema, { ...input, at: input.at ?? new Date().toISOString() }, 'entry');
    if (!checked.ok) return Promise.reject(new TypeError(`Audit entry is malformed: ${checked.error.message}`));
    const entry = checked.value;
    const line = `${JSON.stringify(entry)}\n`;
    const run = this.queue.then(() => this.write(line));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Entries oldest first (newest last), filtered, then the last `limit`. A missing log is empty. */
  async read(options: AuditReadOptions = {}): Promise<{ entries: AuditEntry[]; skippedLines: number }> {
    await this.queue;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return { entries: [], skippedLines: 0 };
      throw err;
    }
    const since = options.since?.getTime();
    let entries: AuditEntry[] = [];
    let skippedLines = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        skippedLines++;
        continue;
      }
      const entry = toEntry(parsed);
      if (!entry) {
        skippedLines++;
        continue;
      }
      if (options.profile !== undefined && entry.profile !== options.profile) continue;
      if (since !== undefined && Date.parse(entry.at) < since) continue;
      entries.push(entry);
    }
    if (options.limit !== undefined) entries = options.limit > 0 ? entries.slice(-options.limit) : [];
    return { entries, skippedLines };
  }

  private async write(line: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    // A crash mid-append can leave a line without its newline; start on a fresh line so the torn one
    // stays the only casualty instead of swallowing this entry too.
    const prefix = (await this.endsTorn()) ? '\n' : '';
    await appendFile(this.file, prefix + line, { flag: 'a', mode: 0o600 });
    if (!this.modeChecked) {
      this.modeChecked = true;
      // `mode` applies only when the file is created; tighten a log that an older run left readable.
      if (process.platform !== 'win32') await chmod(this.file, 0o600).catch(() => undefined);
    }
  }

  private async endsTorn(): Promise<boolean> {
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return false;
      throw err;
    }
    try {
      const { size } = await handle.stat();
      if (size === 0) return false;
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      return last[0] !== 0x0a;
    } finally {
      await handle.close();
    }
  }
}
