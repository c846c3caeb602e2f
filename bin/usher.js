#!/usr/bin/env node
// The `usher` command. The sources are TypeScript; tsx compiles them on the fly (and caches them), so a
// fresh clone needs no build step before `npx usher`.
require('tsx/cjs');
const { main } = require('../electron/cli/main.ts');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // A command that is done is done: do not let a lingering keep-alive socket hold the terminal.
  setTimeout(() => process.exit(code), 250);
});
