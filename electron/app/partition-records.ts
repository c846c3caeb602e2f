// The persistent partitions the console knows of, in <data>/partitions.json: id, label and site only (no
// cookie, no session id). At start every persistent partition on disk that is not listed here is an
// orphan of a run that ended abruptly, and is deleted. Written atomically, so a crash leaves the old list
// or the new one; a damaged file is set aside and reads as empty (its partitions then count as orphans,
// which is the safe side: storage holding sessions nobody can see is what this file exists to prevent).
// An entry whose id is not a persistent partition id ("..", ".", a path) is ignored, the file as read is
// kept aside, and the person is told: the id names a folder that gets deleted, so it must be a plain name.
import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { isPartitionId, type PartitionKind } from '../../shared/partitions';
import { errorCode } from '../core/fs/error-code';
import { writeFileAtomic } from '../core/fs/atomic-write';

export interface PartitionRecord {
  id: string;
  label: string;
  profileId: string;
  kind: PartitionKind;
  /** ISO 8601. */
  createdAt: string;
}

const FILE = 'partitions.json';
const VERSION = 1;

function isRecord(value: unknown): value is PartitionRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    // Only what the hosts accept as a persistent partition id: the id names <data>/partitions/<id>, so
    // "..", "." or a path would point the folder's deletion at the data folder itself.
    isPartitionId(r.id, true) &&
    typeof r.label === 'string' &&
    typeof r.profileId === 'string' &&
    (r.kind === 'isolated' || r.kind === 'shared') &&
    typeof r.createdAt === 'string'
  );
}

export class PartitionRecords {
  readonly file: string;
  /** The ids (as JSON text) of entries the last read ignored, and where a copy of that file was kept. */
  rejected: string[] = [];
  rejectedCopy: string | undefined;

  constructor(private readonly dataDir: string) {
    this.file = join(dataDir, FILE);
  }

  async read(): Promise<PartitionRecord[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return [];
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as { version?: unknown; partitions?: unknown };
      if (parsed.version !== VERSION || !Array.isArray(parsed.partitions)) throw new Error('not a partition list');
      const records = parsed.partitions.filter(isRecord);
      this.rejected = parsed.partitions
        .filter((p) => !isRecord(p))
        .map((p) => JSON.stringify(String((p as { id?: unknown } | null)?.id ?? '(no id)').slice(0, 120)));
      if (this.rejected.length > 0) {
        // The next write drops them; the file as it was is kept for whoever wants to know how it got there.
        const copy = `${this.file}.rejected-${Date.now()}`;
        this.rejectedCopy = await copyFile(this.file, copy).then(
          () => copy,
          () => undefined,
        );
      }
      return records;
    } catch {
      await rename(this.file, `${this.file}.damaged-${Date.now()}`).catch(() => undefined);
      return [];
    }
  }

  /** What the person is told about ignored entries (the last read's). */
  rejectedProblem(): string {
    const n = this.rejected.length;
    return (
      `${this.file} listed ${n} ${n === 1 ? 'entry' : 'entries'} that ${n === 1 ? 'is' : 'are'} not a partition record (id ${this.rejected.join(', ')}): ignored, nothing was deleted for ${n === 1 ? 'it' : 'them'}` +
      `${this.rejectedCopy ? `, and the file as it was is kept as ${this.rejectedCopy}` : ''}. ` +
      'The file was changed outside Usher: check who can write to the data folder.'
    );
  }

  async write(records: readonly PartitionRecord[]): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify({ version: VERSION, partitions: records }, null, 2)}\n`);
  }
}
