// A new file in a folder Usher writes into without asking (the person's Downloads folder: an export from
// the chromium host, a download from a partition window), never replacing one already there. The name is
// claimed by creating the file exclusively, so two saves at once, in one process or two, cannot both get
// it; the numbering is the one browsers give downloads, so Usher's files sit beside theirs in one style.
import { closeSync, openSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { errorCode } from './error-code';

/** More same-named files than anyone keeps in a folder: past this no name is claimed. */
const MAX_NUMBERED = 1000;

/**
 * Two-part extensions the number does not split. `.junit.xml` is Usher's own check report, which CI
 * test-report collectors find by `*.junit.xml` (`report.junit (1).xml` would drop out of that); the
 * compressed tarballs are the ones browsers keep whole. Every other name is numbered before its last
 * extension, so dots inside a name (`Sales v1.2.csv`) stay where they were.
 */
const DOUBLE_EXTENSION = /.(\.(?:junit\.xml|tar\.(?:gz|bz2|xz|zst)))$/i;

/** `name` as the `n`th copy: `a.csv` -> `a (1).csv`, `report.junit.xml` -> `report (1).junit.xml`; n 0 is `name`. */
export function numberedFileName(name: string, n: number): string {
  if (n < 1) return name;
  const ext = DOUBLE_EXTENSION.exec(name)?.[1] ?? extname(name);
  return `${name.slice(0, name.length - ext.length)} (${n})${ext}`;
}

/**
 * Creates `name`, or its first free numbered form, in `dir` (which must exist): empty, owner-only (0600),
 * opened exclusively so it never replaces a file. Answers its path, or undefined when every name up to
 * the thousandth copy is taken (the caller says what to do). Synchronous because Electron's will-download
 * needs the path before it returns. A name with folder parts is refused: nothing outside `dir` is created.
 */
export function claimFreeFile(dir: string, name: string): string | undefined {
  if (name !== basename(name) || name === '.' || name === '..' || name === '') throw new Error(`${JSON.stringify(name)} is not a file name`);
  for (let n = 0; n < MAX_NUMBERED; n++) {
    const path = join(dir, numberedFileName(name, n));
    try {
      closeSync(openSync(path, 'wx', 0o600));
      return path;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
    }
  }
  return undefined;
}
