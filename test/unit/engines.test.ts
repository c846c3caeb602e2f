// package.json `engines` says which Node the project runs on: every dependency must run there too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

// electron's npm package asks for Node 22.12 for its own install step, which downloads the binary: the
// project never runs it under Node (tests mock electron, `npm start` only reads its path.txt), and
// `npm run package` with a real download is the one step that needs Node 22.12 (README says so).
const NOT_RUN_UNDER_NODE = new Set(['electron']);

it('engines.node is within what every dependency declares', () => {
  const ours = pkg.engines.node;
  const outside: string[] = [];
  // npm installs every direct dependency at the top of node_modules (some do not export package.json).
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
    if (NOT_RUN_UNDER_NODE.has(name)) continue;
    const theirs = (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node;
    if (theirs && !semver.subset(ours, theirs)) outside.push(`${name} needs ${theirs}`);
  }
  expect(outside, `engines.node is "${ours}"`).toEqual([]);
  // and the Node running the tests is one of them
  expect(semver.satisfies(process.version, ours)).toBe(true);
});
