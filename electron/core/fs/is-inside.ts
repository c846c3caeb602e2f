// Whether a path lies under a folder, by path alone: the partition folders of the console and the login
// scripts Usher refuses to load from its own data folder both ask it.
import { resolve, sep } from 'node:path';

/** `child` resolved lies strictly inside `dir`. */
export function isInside(dir: string, child: string): boolean {
  const root = resolve(dir);
  const target = resolve(child);
  return target.startsWith(root.endsWith(sep) ? root : root + sep);
}
