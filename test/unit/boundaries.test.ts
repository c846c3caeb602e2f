// The process boundaries of architecture.md, checked on the sources: code that runs in tests, the CLI or
// the renderer must never pull in `electron` (its binary cannot be downloaded on every machine), and
// shared/ must stay free of Node and DOM specifics.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sources(path));
    else if (/\.(ts|tsx|js)$/.test(name)) out.push(path);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('process boundaries', () => {
  it('core, simulator, cli, shared, bench and tests never import electron', () => {
    const offenders = ['electron/core', 'electron/simulator', 'electron/cli', 'shared', 'bench', 'test']
      .flatMap(sources)
      .filter((f) => !f.endsWith('boundaries.test.ts'))
      .filter((f) => imports(f).some((i) => i === 'electron' || i.startsWith('electron/')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('shared/ imports nothing from Node or the other layers', () => {
    const insideShared = (file: string, spec: string): boolean =>
      spec.startsWith('.') && !relative(join(ROOT, 'shared'), join(ROOT, dirname(file), spec)).startsWith('..');
    // The one schema library runs in Node and the renderer alike: the only package shared/ may import.
    const portable = (spec: string): boolean => spec === 'valibot';
    const offenders = sources('shared').flatMap((f) => imports(f).filter((i) => !insideShared(f, i) && !portable(i)).map((i) => `${f}: ${i}`));
    expect(offenders).toEqual([]);
  });

  it('core does not reach into the CLI or the simulator', () => {
    const offenders = sources('electron/core').flatMap((f) => imports(f).filter((i) => /\/(cli|simulator)\//.test(i)).map((i) => `${f}: ${i}`));
    expect(offenders).toEqual([]);
  });

  it('loading electron in a test fails loudly', async () => {
    await expect(import('electron')).rejects.toThrow(/electron/i);
  });
});
