// The layer rules of docs/architecture.md, checked on every source file: the test reads the table from
// the doc, so the doc is the rule and cannot drift from it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCircles, layerOf, parseLayerTable, violations, type PackageLists } from '../support/boundary-rules';
import { REPO_ROOT, sourceFiles, sourceFolders } from '../support/source-files';

const rules = parseLayerTable(readFileSync(join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: object; devDependencies: object };
const packages: PackageLists = { dependencies: new Set(Object.keys(pkg.dependencies)), devDependencies: new Set(Object.keys(pkg.devDependencies)) };

describe('layer boundaries (the table of docs/architecture.md)', () => {
  it('reads a row for every layer the house names', () => {
    const layers = rules.map((rule) => rule.layer);
    for (const layer of ['shared', 'core', 'simulator', 'ipc', 'hosts', 'app', 'cli', 'main', 'preload', 'renderer', 'tests']) expect(layers).toContain(layer);
    // Each word of a "may import" cell is a layer, a package list or an installed package: a typo
    // would otherwise silently allow nothing.
    const tokens = new Set([...layers, 'node', 'dependencies', 'devDependencies']);
    const unknown = rules.flatMap((rule) =>
      [...rule.mayImport].filter((word) => !tokens.has(word) && !existsSync(join(REPO_ROOT, 'node_modules', word, 'package.json'))),
    );
    expect(unknown).toEqual([]);
  });

  it('no source file imports what its layer may not', () => {
    const files = sourceFolders().flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(300);
    const offenders = files.flatMap((file) => violations(rules, packages, file, readFileSync(join(REPO_ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('refuses the arrows the house forbids', () => {
    const refused = (file: string, spec: string): boolean => violations(rules, packages, file, `import { x } from '${spec}';\n`).length > 0;
    expect(refused('electron/hosts/console-server.ts', '../main/origin')).toBe(true);
    expect(refused('electron/hosts/chromium-host.ts', 'electron')).toBe(true);
    expect(refused('electron/hosts/electron-host.ts', 'electron')).toBe(false);
    expect(refused('electron/core/qlik/qps.ts', '../../app/backend-context')).toBe(true);
    expect(refused('electron/core/qlik/qps.ts', '../../simulator/site')).toBe(true);
    expect(refused('electron/core/qlik/qps.ts', 'electron')).toBe(true);
    expect(refused('electron/core/qlik/qps.ts', 'node:tls')).toBe(false);
    expect(refused('electron/simulator/site.ts', '../app/backend-context')).toBe(true);
    expect(refused('electron/simulator/site.ts', '../cli/output')).toBe(true);
    expect(refused('electron/cli/main.ts', '../app/console-backend')).toBe(true);
    expect(refused('renderer/src/api.ts', 'node:fs')).toBe(true);
    expect(refused('renderer/src/api.ts', '../../electron/core/qlik/qps')).toBe(true);
    expect(refused('renderer/src/api.ts', '../../shared/ipc/contract')).toBe(false);
    expect(refused('shared/user.ts', 'node:crypto')).toBe(true);
    expect(refused('shared/user.ts', 'undici')).toBe(true);
    expect(refused('test/unit/x.test.ts', 'electron')).toBe(true);
    // Dynamic imports and requires count, comments do not.
    expect(violations(rules, packages, 'electron/core/a.ts', "const m = await import('electron');").length).toBe(1);
    expect(violations(rules, packages, 'electron/core/a.ts', "// import x from 'electron'\n").length).toBe(0);
    expect(layerOf(rules, 'renderer/src/App.tsx')?.layer).toBe('renderer');
  });

  it('no module imports itself back through others (no circles)', () => {
    const files = sourceFolders().flatMap(sourceFiles);
    expect(importCircles(files, (file) => readFileSync(join(REPO_ROOT, file), 'utf8'))).toEqual([]);
  });

  it('finds a circle however it is tied: type-only, through index files, or a file importing itself', () => {
    const texts: Record<string, string> = {
      'a/one.ts': "import type { B } from './two';\n",
      'a/two.ts': "import { c } from '../b';\n",
      'b/index.ts': "export { one } from '../a/one';\n",
      'c/self.ts': "import { me } from './self';\n",
      'c/leaf.ts': "import { one } from '../a/one';\n",
    };
    expect(importCircles(Object.keys(texts), (file) => texts[file]!)).toEqual([['a/one.ts', 'a/two.ts', 'b/index.ts'], ['c/self.ts']]);
  });

  it('loading electron in a test fails loudly', async () => {
    // Named through a variable so that this one deliberate attempt is no import of the tests layer.
    const electron = 'electron';
    await expect(import(electron)).rejects.toThrow(/electron/i);
  });
});
