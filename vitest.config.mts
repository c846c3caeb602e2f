import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One project per kind of test: `npm run test:unit` runs the unit tests (no network, no build, no
// browser, no DOM) as the inner loop; `npm test` runs those, renderer (happy-dom), integration and e2e. The bench's smoke test
// (`npm run test:bench`: the whole benchmark, quick, about a minute) is out of `npm test`; CI runs it
// on its own. `vitest run --project NAME` runs one project.
// Also one kept site certificate folder per run (USHER_SITE_CERTS) that test files and CLI processes load.
const BUILT = ['test/support/build-once.ts', 'test/support/site-certs-once.ts'];
// Unit tests that replace modules (vi.mock('electron'), the console backend) and drive module-level
// state: each needs a module registry of its own.
const MOCKING = [
  'test/unit/main-entry.test.ts',
  'test/unit/kept-site-certificates-rename.test.ts',
  'test/unit/main-window.test.ts',
  'test/unit/electron-host-partitions.test.ts',
  'test/unit/preload.test.ts',
];

export default defineConfig({
  // Renderer component tests (test/renderer/*.test.tsx) use React's automatic JSX runtime, as the build does.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    // `electron` must never be loaded by the test run (its binary cannot be downloaded here).
    alias: { electron: new URL('./test/electron-forbidden.ts', import.meta.url).pathname },
    // The machines are 2 cores shared with others: CPU-bound tests (RSA keys, IPC fuzzing) and real TLS
    // handshakes need room beyond Vitest's 5 s default when the load is high.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Vitest's default in run mode is one worker less than the cores: one worker on a 2-core machine, so
    // every file ran after the other while most of them wait on child processes, sockets and Chromium.
    // One worker more than the cores keeps both cores busy during those waits.
    maxWorkers: availableParallelism() + 1,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: MOCKING,
          // One module registry per worker instead of one per file: a third less CPU for the inner loop.
          // These tests share no module state; the ones that replace modules (vi.mock) run isolated below.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'unit-mocks', include: MOCKING } },
      // Seeded fuzzing of the IPC router (thousands of payloads per channel): pure but CPU-heavy, so out
      // of the inner loop and in `npm test`.
      { extends: true, test: { name: 'fuzz', include: ['test/fuzz/**/*.test.ts'], isolate: false } },
      {
        extends: true,
        // A DOM once per worker rather than once per file (less than half the CPU); the harness resets the
        // stores and the fake window.usher around every test (test/renderer/harness.tsx). The DOM is
        // happy-dom, not jsdom: the same 158 tests passed on both, in two thirds of jsdom's CPU.
        test: { name: 'renderer', include: ['test/renderer/**/*.test.{ts,tsx}'], isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // The CLI tests run the built CLI (bin/usher.js on dist/cli/usher.js), built once per run.
          globalSetup: BUILT,
          // One module registry per worker instead of a fork and a fresh import of the app per file (a
          // third of the project's CPU went on those). No file replaces a module; the ones that change
          // process state (env, Server.prototype.listen) put it back in their own hooks, and each file
          // gets an empty CLI data folder of its own.
          isolate: false,
          setupFiles: ['test/support/fresh-data-dir.ts'],
        },
      },
      {
        extends: true,
        // The console in Debian's Chromium on the built renderer (dist/renderer), built once per run. One
        // module registry per worker: the files replace no module, the app's modules load once per worker
        // instead of once per file, and so does the shared test PKI (three RSA keys) of test/support/test-site.ts.
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: BUILT, isolate: false },
      },
      {
        extends: true,
        // `npm run shots`: the e2e tests again, saving their pictures of the console under test-artifacts/
        // for a person to look at (test/e2e/console-harness.ts SAVE_SHOTS). Out of `npm test`: no test
        // reads the pictures, and taking them costs a tenth of the e2e CPU.
        test: { name: 'shots', include: ['test/e2e/**/*.test.ts'], globalSetup: BUILT, isolate: false, env: { USHER_SHOTS: '1' } },
      },
      { extends: true, test: { name: 'bench', include: ['test/bench/**/*.test.ts'], globalSetup: BUILT } },
    ],
  },
});
