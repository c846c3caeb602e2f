#!/usr/bin/env node
// The `usher` command: runs the CLI bundle (dist/cli/usher.js, made by `npm run build`; `npm ci` builds it
// as `prepare`, and an installed package ships it). In a source checkout a bundle older than its sources
// is rebuilt first (esbuild, well under a second), so an edit never runs stale code.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const BUNDLE = join(__dirname, '..', 'dist', 'cli', 'usher.js');
const BUILD_STATE = join(__dirname, '..', 'scripts', 'build-state.cjs');

/** Exits once everything written to stdout and stderr has reached the pipe or file (no fixed wait). */
function exitWhenFlushed(code) {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  // A write's callback runs after every earlier write to that stream has been handed to the OS.
  process.stdout.write('', done);
  process.stderr.write('', done);
}

// A reader that stops early (`usher demo | head -2`) closes the pipe: that ends the command quietly, as it
// does for any Unix tool, instead of an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

function rebuildIfStale() {
  if (!existsSync(BUILD_STATE)) return; // an installed package: no sources, the bundle is what there is
  if (!require(BUILD_STATE).isStale('cli')) return;
  const { execFileSync } = require('node:child_process');
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build.mjs'), '--quiet', 'cli'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

try {
  rebuildIfStale();
} catch {
  process.stderr.write(
    'usher: could not build the CLI from the sources (dist/cli/usher.js)\n  hint: run npm ci (or npm run build) in the project folder and read its errors\n',
  );
  process.exit(1);
}
if (!existsSync(BUNDLE)) {
  process.stderr.write('usher: the CLI is not built (dist/cli/usher.js is missing)\n  hint: run npm run build in the project folder\n');
  process.exit(1);
}

// A command that is done is done: a keep-alive socket or an idle timer must not hold the terminal.
require(BUNDLE)
  .main(process.argv.slice(2))
  .then(exitWhenFlushed, (err) => {
    process.stderr.write(`usher: unexpected error: ${err && err.message ? err.message : String(err)}\n`);
    exitWhenFlushed(1);
  });
