// Writing an export to disk. A path the person chose in a save dialog is written whole (the dialog has
// asked before replacing a file); a file saved into a folder without asking (the chromium host's
// downloads folder) never replaces anything: it takes the first free name, `name (2).ext` and on, the
// way browsers name downloads, and creates it exclusively so two saves at once cannot collide.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../fs/error-code';
import { writeFileAtomic } from '../fs/atomic-write';

/** Exports hold nothing secret, but they are the person's: readable by them, not by other accounts. */
const FILE_MODE = 0o600;
/** More same-named files than anyone keeps in a folder: past this the save fails with a clear error. */
const MAX_NUMBERED = 999;

/** `report.junit.xml` -> `report (2).junit.xml`: the number goes before the whole extension. */
export function numberedName(fileName: string, n: number): string {
  if (n <= 1) return fileName;
  const dot = fileName.indexOf('.', 1);
  return dot < 0 ? `${fileName} (${n})` : `${fileName.slice(0, dot)} (${n})${fileName.slice(dot)}`;
}

/** Writes `text` to a new file in `dir` under `fileName` or its first free numbered form; the path written. */
export async function saveNewFile(dir: string, fileName: string, text: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (let n = 1; n <= MAX_NUMBERED; n++) {
    const path = join(dir, numberedName(fileName, n));
    try {
      await writeFile(path, text, { flag: 'wx', mode: FILE_MODE });
      return path;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
    }
  }
  throw new Error(`${dir} already holds ${MAX_NUMBERED} files named like ${fileName}`);
}

/** Writes `text` to the path a save dialog returned (replacing what was there, as the person agreed). */
export async function saveChosenFile(path: string, text: string): Promise<string> {
  await writeFileAtomic(path, text, FILE_MODE);
  return path;
}
