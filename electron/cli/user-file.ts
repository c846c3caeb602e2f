// Files the user names on the command line (certificates, a site description, a profile export): a file
// that cannot be read is one UsageError saying which and why, never a stack trace.
import { readFileSync } from 'node:fs';
import { errorCode } from '../core/fs/error-code';
import { UsageError } from './errors';

const WHY: Record<string, string> = { ENOENT: 'no such file', ENOTDIR: 'no such file', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'it is a folder' };

/** The file's bytes, or `cannot read <label>: <why>` (label: `--ca root.pem`, `site file x.json`, ...). */
export function readUserFile(path: string, label: string, hint?: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = errorCode(err);
    throw new UsageError(`cannot read ${label}: ${(code && WHY[code]) ?? code ?? (err as Error).message}`, hint);
  }
}
