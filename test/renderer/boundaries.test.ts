// The renderer's rule from architecture.md, checked on its sources: it imports only shared/, its own
// files and its UI libraries; never Node, Electron or the main process's code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const SRC = join(ROOT, 'renderer', 'src');
const PACKAGES = new Set(['react', 'react-dom', 'react-dom/client', 'zustand', 'zustand/react/shallow']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe('renderer boundaries', () => {
  it('imports only shared/, its own files, react, react-dom and zustand', () => {
    const offenders: string[] = [];
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)) {
        if (spec!.startsWith('.')) {
          const target = resolve(dirname(file), spec!);
          const inside = [SRC, join(ROOT, 'shared')].some((dir) => target === dir || target.startsWith(dir + '/'));
          if (!inside) offenders.push(`${relative(ROOT, file)}: ${spec}`);
        } else if (!PACKAGES.has(spec!)) offenders.push(`${relative(ROOT, file)}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  // Selectors, not whole stores: a `useXStore()` call re-renders its screen on every change to the store.
  it('never calls a store hook without a selector', () => {
    const offenders = sources(SRC).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\buse\w+Store\(\s*\)/g)].map((m) => `${relative(ROOT, file)}: ${m[0]}`),
    );
    expect(offenders).toEqual([]);
  });
});
