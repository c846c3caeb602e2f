// What `npm run build` produces and from which sources, and whether an output is older than its sources.
// CommonJS and free of dependencies: bin/usher.js loads it in a source checkout to rebuild a stale CLI
// bundle before running it, and that check must cost a few milliseconds, not a TypeScript compiler.
'use strict';
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');

/** Each build target: the file whose age stands for the whole output, and the folders it is built from. */
const TARGETS = {
  main: { output: join(DIST, 'electron', 'main', 'index.js'), sources: ['electron', 'shared', 'package.json'] },
  preload: { output: join(DIST, 'electron', 'preload', 'index.js'), sources: ['electron/preload', 'shared'] },
  cli: { output: join(DIST, 'cli', 'usher.js'), sources: ['electron', 'shared', 'package.json'] },
  renderer: { output: join(DIST, 'renderer', 'index.html'), sources: ['renderer', 'shared'] },
};

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows only as a newer folder
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

/** True when the target's output is missing or older than any of its sources. */
function isStale(target) {
  const { output, sources } = TARGETS[target];
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((source) => {
    const path = join(ROOT, source);
    return existsSync(path) && newestMtime(path) > built;
  });
}

module.exports = { ROOT, DIST, TARGETS, isStale };
