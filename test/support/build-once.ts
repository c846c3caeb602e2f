// Vitest global setup: builds the renderer and the CLI bundle once per test run, before any worker
// starts, when their sources changed since the last build. The e2e tests open dist/renderer and the CLI
// tests run bin/usher.js on dist/cli/usher.js; no test file builds anything itself.
import { buildIfStale } from '../../scripts/build-api';

export default async function setup(): Promise<void> {
  await buildIfStale(['renderer', 'cli'], { quiet: true });
}
