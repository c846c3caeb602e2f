// Preloaded with `node -r` by test/integration/cli-startup.test.ts: at exit, writes every file the
// process required (as JSON on the last line of stderr), so a test can see what a command loaded.
'use strict';
process.on('exit', () => {
  require('node:fs').writeSync(2, `\nLOADED ${JSON.stringify(Object.keys(require.cache))}\n`);
});
