// The build (scripts/build.mjs) for TypeScript callers: `npm start`, the bench and the tests' global
// setup. One place decides how each part is built and when it is stale, so they never disagree.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = join(__dirname, '..');
export const RENDERER_DIST = join(ROOT, 'dist', 'renderer');
/** The CLI bundle bin/usher.js runs. */
export const CLI_BUNDLE = join(ROOT, 'dist', 'cli', 'usher.js');

export type BuildTarget = 'main' | 'preload' | 'cli' | 'renderer';
type Build = (targets: BuildTarget[], options: { ifStale?: boolean; quiet?: boolean }) => Promise<BuildTarget[]>;

/** Builds those of `targets` whose output is missing or older than their sources; returns what it built. */
export async function buildIfStale(targets: BuildTarget[], options: { quiet?: boolean } = {}): Promise<BuildTarget[]> {
  const { build } = (await import(pathToFileURL(join(ROOT, 'scripts', 'build.mjs')).href)) as { build: Build };
  return build(targets, { ifStale: true, quiet: options.quiet });
}
