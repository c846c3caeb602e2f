// Writing an export to disk. A path the person chose in a save dialog is written whole (the dialog has
// asked before replacing a file); a file saved into a folder without asking (the chromium host's
// downloads folder) never replaces anything: it takes the first free name the way browsers name
// downloads, `name (1).ext` and on (core/fs/free-file-name.ts, which partition downloads use too).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { claimFreeFile } from '../fs/free-file-name';
import { writeFileAtomic } from '../fs/atomic-write';

/** Exports hold nothing secret, but they are the person's: readable by them, not by other accounts. */
const FILE_MODE = 0o600;

/** Writes `text` to a new file in `dir` under `fileName` or its first free numbered form; the path written. */
export async function saveNewFile(dir: string, fileName: string, text: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = claimFreeFile(dir, fileName);
  if (!path) throw new Error(`${dir} already holds a thousand files named like ${fileName}`);
  try {
    await writeFile(path, text); // the file claimed (created empty, 0600) is ours to fill
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
  return path;
}

/** Writes `text` to the path a save dialog returned (replacing what was there, as the person agreed). */
export async function saveChosenFile(path: string, text: string): Promise<string> {
  await writeFileAtomic(path, text, FILE_MODE);
  return path;
}
