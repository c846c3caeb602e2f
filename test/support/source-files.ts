// The project's own source files, walked once for every test that reads the sources (the boundary rules,
// the renderer's store selectors). Paths are repo-relative with '/' separators.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');

/** Folders that hold no source of ours: dependencies, build output, git, test output. */
const NOT_SOURCE = new Set(['node_modules', 'dist', '.git', 'test-artifacts', 'coverage']);

const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

/** Every top-level folder that holds source files of ours. */
export function sourceFolders(): string[] {
  return readdirSync(REPO_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !NOT_SOURCE.has(entry.name) && sourceFiles(entry.name).length > 0)
    .map((entry) => entry.name)
    .sort();
}

/** Every source file below `dir` (repo-relative), depth first, in name order. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (NOT_SOURCE.has(entry.name)) continue;
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (SOURCE_FILE.test(entry.name)) out.push(path);
  }
  return out;
}
