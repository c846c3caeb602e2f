#!/usr/bin/env node
// `npm run bench [-- --json FILE]`: the benchmark (figures, never pass/fail). Sources are TypeScript.
require('tsx/cjs');
const { main } = require('../bench/main.ts');

main(process.argv.slice(2)).then(
  (code) => {
    // Flushed, then exit: a browser or socket some section left open must not keep the bench running.
    process.stdout.write('', () => process.exit(code));
  },
  (err) => {
    console.error(`bench: ${err && err.message ? err.message : err}`);
    process.exit(1);
  },
);
