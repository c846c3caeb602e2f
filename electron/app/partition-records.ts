// The persistent partitions the console knows of, in <data>/partitions.json: id, label and site only (no
// cookie, no session id). At start every persistent partition on disk that is not listed here is an
// orphan of a run that ended abruptly, and is deleted. Written atomically, so a crash leaves the old list
// or the new one; a damaged file is set aside and reads as empty (its partitions then count as orphans,
// which is the safe side: storage holding sessions nobody can see is what this file exists to prevent).
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { PartitionKind } from '../../shared/partitions';
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
    typeof r.id === 'string' &&
    /^[A-Za-z0-9._:-]{1,128}$/.test(r.id) &&
    typeof r.label === 'string' &&
    typeof r.profileId === 'string' &&
    (r.kind === 'isolated' || r.kind === 'shared') &&
    typeof r.createdAt === 'string'
  );
}

export class PartitionRecords {
  readonly file: string;

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
      return parsed.partitions.filter(isRecord);
    } catch {
      await rename(this.file, `${this.file}.damaged-${Date.now()}`).catch(() => undefined);
      return [];
    }
  }

  async write(records: readonly PartitionRecord[]): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify({ version: VERSION, partitions: records }, null, 2)}\n`);
  }
}
