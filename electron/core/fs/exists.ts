// Whether a path exists. Only "no such file" means no: a folder that cannot be read is a failure the
// caller must hear about, not a missing file (callers that want to treat it as missing say so).
import { stat } from 'node:fs/promises';
import { errorCode } from './error-code';

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return false;
    throw err;
  }
}
