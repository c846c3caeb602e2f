import { defineConfig } from 'vitest/config';

// One project per kind of test: `npm run test:unit` runs unit and renderer (no network, no build, no
// browser) as the inner loop; `npm test` runs those and integration and e2e. The bench's smoke test
// (`npm run test:bench`: the whole benchmark, quick, about a minute) is out of `npm test`; CI runs it
// on its own. `vitest run --project NAME` runs one project.
const BUILT = ['test/support/build-once.ts'];

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
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'renderer', include: ['test/renderer/**/*.test.{ts,tsx}'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // The CLI tests run the built CLI (bin/usher.js on dist/cli/usher.js), built once per run.
          globalSetup: BUILT,
        },
      },
      {
        extends: true,
        // The console in Debian's Chromium on the built renderer (dist/renderer), built once per run.
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: BUILT },
      },
      { extends: true, test: { name: 'bench', include: ['test/bench/**/*.test.ts'], globalSetup: BUILT } },
    ],
  },
});
