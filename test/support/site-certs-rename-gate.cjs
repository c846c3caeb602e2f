// Preloaded with NODE_OPTIONS=--require by test/integration/cli-site-certs.test.ts: holds the rename that
// puts a new kept certificate set in place (USHER_SITE_CERTS) until the test says go, so that two
// `usher simulate` processes both reach it, each with a set of its own made for a folder that was empty,
// and race for it. Each one announces itself with a file `arrived-PID` in USHER_TEST_RENAME_GATE, then
// waits for a file `go` there (60 s at most). Every other rename passes straight through.
'use strict';
const fs = require('node:fs');
const { join } = require('node:path');

const target = process.env.USHER_SITE_CERTS;
const gate = process.env.USHER_TEST_RENAME_GATE;
if (target && gate) {
  const rename = fs.renameSync;
  fs.renameSync = function gatedRename(from, to) {
    if (to === target) {
      fs.writeFileSync(join(gate, `arrived-${process.pid}`), '');
      const pause = new Int32Array(new SharedArrayBuffer(4));
      const deadline = Date.now() + 60_000;
      while (!fs.existsSync(join(gate, 'go'))) {
        if (Date.now() > deadline) throw new Error('the rename gate got no go within 60 s');
        Atomics.wait(pause, 0, 0, 20); // a blocking pause: the rename it holds is synchronous
      }
    }
    return rename(from, to);
  };
}
