// `npm run build`: everything that runs outside a source checkout, into dist/.
//   main      electron/main/index.ts -> dist/electron/main/index.js (one file; electron and npm packages stay require()s)
//   preload   electron/preload/index.ts -> dist/electron/preload/index.js (one file: a sandboxed preload cannot require)
//   cli       electron/cli/main.ts -> dist/cli/usher.js, run by bin/usher.js
//   renderer  renderer/ -> dist/renderer/ (Vite)
//
//   node scripts/build.mjs [--if-stale] [--quiet] [target ...]    (no target: all four)
//
// Plain JavaScript so that `npm ci` (which runs it as `prepare`) and bin/usher.js need no TypeScript
// runner. Types are checked by `npm run typecheck`, not here: a build never waits on tsc.
// Each esbuild target writes its metafile to dist/meta/TARGET.json: the packages main loads are read from
// there by the packaging check (scripts/check-package.mjs), so that list is never written by hand.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { ROOT, DIST, TARGETS, isStale } = require('./build-state.cjs');

// Electron 45 runs Node 22; the CLI runs on the Node `engines` allows.
const NODE_FOR = { main: 'node22', preload: 'node22', cli: 'node20' };

const ENTRIES = {
  main: 'electron/main/index.ts',
  preload: 'electron/preload/index.ts',
  cli: 'electron/cli/main.ts',
};

async function buildWithEsbuild(target) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRIES[target]],
    outfile: TARGETS[target].output,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: NODE_FOR[target],
    // The preload runs sandboxed: it may require only 'electron', so everything else goes in the file.
    // Main and the CLI load npm packages from node_modules (the runtime dependencies in package.json).
    packages: target === 'preload' ? undefined : 'external',
    external: ['electron'],
    metafile: true,
    logLevel: 'warning',
    // The code base is read in stack traces (USHER_DEBUG=1, main's log): keep names as written.
    minify: false,
    keepNames: true,
    legalComments: 'none',
  });
  mkdirSync(join(DIST, 'meta'), { recursive: true });
  writeFileSync(join(DIST, 'meta', `${target}.json`), JSON.stringify(result.metafile));
}

async function buildRenderer() {
  // Always the production bundle: a build started from a test run would otherwise inherit NODE_ENV=test,
  // and Vite would bundle React's development build (twice the size).
  process.env.NODE_ENV = 'production';
  const vite = await import('vite');
  await vite.build({ configFile: join(ROOT, 'renderer', 'vite.config.mts'), logLevel: 'warn', mode: 'production' });
}

export async function build(targets, options = {}) {
  const wanted = targets.length > 0 ? targets : Object.keys(TARGETS);
  for (const target of wanted) if (!(target in TARGETS)) throw new Error(`unknown build target "${target}" (targets: ${Object.keys(TARGETS).join(', ')})`);
  const todo = options.ifStale ? wanted.filter((target) => isStale(target)) : wanted;
  const started = performance.now();
  await Promise.all(todo.map((target) => (target === 'renderer' ? buildRenderer() : buildWithEsbuild(target))));
  if (todo.length > 0 && !options.quiet) process.stdout.write(`built ${todo.join(', ')} into dist/ in ${Math.round(performance.now() - started)} ms\n`);
  return todo;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({ options: { 'if-stale': { type: 'boolean' }, quiet: { type: 'boolean' } }, allowPositionals: true });
  build(positionals, { ifStale: values['if-stale'], quiet: values.quiet }).catch((err) => {
    // esbuild has printed its errors with file and line already; this names the step that failed.
    process.stderr.write(`build: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
