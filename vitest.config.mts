import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Renderer component tests (test/renderer/*.test.tsx) use React's automatic JSX runtime, as the build does.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Every integration test talks real TLS to an in-process site; give handshakes room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // `electron` must never be loaded by the test run (its binary cannot be downloaded here).
    alias: { electron: new URL('./test/electron-forbidden.ts', import.meta.url).pathname },
  },
});
