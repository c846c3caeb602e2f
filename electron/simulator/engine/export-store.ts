// Files an engine's ExportData wrote, waiting under /tempcontent/{id}/{file} for the browser to fetch them
// over HTTP through the proxy. The proxy hands a file only to the user whose engine session made it
// (seed 003: a download in a jar whose cookie now belongs to someone else is refused).
import { randomUUID } from 'node:crypto';
import { sameUser, type UserRef } from '../../../shared/user';

export interface ExportFile {
  id: string;
  fileName: string;
  nodeId: string;
  owner: UserRef;
  contentType: string;
  body: Buffer;
  /** qServeOnce: the file goes after its first download. */
  serveOnce: boolean;
}

export type ExportLookup = { kind: 'file'; file: ExportFile } | { kind: 'forbidden' } | { kind: 'missing' };

/** Bounded: a long-running site forgets the oldest exports first. */
const MAX_EXPORTS = 500;

export class ExportStore {
  private readonly files = new Map<string, ExportFile>();

  add(file: Omit<ExportFile, 'id'>): ExportFile {
    const stored = { ...file, id: randomUUID() };
    this.files.set(stored.id, stored);
    if (this.files.size > MAX_EXPORTS) this.files.delete(this.files.keys().next().value!);
    return stored;
  }

  /** The file `id`/`fileName` for `user`: theirs, someone else's, or none. */
  take(id: string, fileName: string, user: UserRef): ExportLookup {
    const file = this.files.get(id);
    if (!file || file.fileName !== fileName) return { kind: 'missing' };
    if (!sameUser(file.owner, user)) return { kind: 'forbidden' };
    if (file.serveOnce) this.files.delete(id);
    return { kind: 'file', file };
  }

  has(id: string): boolean {
    return this.files.has(id);
  }
}
