#!/usr/bin/env node
// `npm run bench [-- --json FILE]`: the benchmark (figures, never pass/fail). Sources are TypeScript.
require('tsx/cjs');
const { main } = require('../bench/main.ts');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 250);
  },
  (err) => {
    console.error(`bench: ${err && err.message ? err.message : err}`);
    process.exit(1);
  },
);
