// Selectors, not whole stores, checked on the sources: a `useXStore()` call re-renders its screen on
// every change to the store (store-selectors.test.tsx shows the effect on a screen). Node-typed, so it
// is left out of renderer/tsconfig.json and type-checked with the main tsconfig.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, sourceFiles } from '../support/source-files';

describe('store hooks', () => {
  it('are never called without a selector', () => {
    const files = sourceFiles('renderer/src');
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.flatMap((file) =>
      [...readFileSync(join(REPO_ROOT, file), 'utf8').matchAll(/\buse\w+Store\(\s*\)/g)].map((m) => `${file}: ${m[0]}`),
    );
    expect(offenders).toEqual([]);
  });
});
