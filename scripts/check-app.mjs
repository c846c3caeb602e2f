// `npm run package:check` (CI): builds the unpacked Linux app with electron-builder and checks that its
// app.asar holds exactly what the main process loads: main, the preload, the renderer, package.json and
// the npm packages main requires (read from esbuild's metafile, dist/meta/main.json) with what they
// depend on. Anything else inside fails the check, and so does anything main loads that is missing.
//
// Electron's binary cannot be downloaded here, so electron-builder is pointed (`electronDist`) at a
// stand-in folder holding an `electron` file: the check is about what Usher puts into the app, not
// about Electron. The fuses are flipped inside the real binary, so they are left out of this build;
// test/unit/electron-builder-config.test.ts checks their configuration.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname, '..');
const { parse } = require('yaml');
const { build, Platform } = require('electron-builder');
// @electron/asar comes with electron-builder; its own copy reads the archive electron-builder wrote.
const asar = createRequire(require.resolve('app-builder-lib'))('@electron/asar');

/** Packages main requires at run time: the bare imports esbuild left external, less electron itself. */
function packagesMainLoads() {
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'meta', 'main.json'), 'utf8'));
  const names = new Set();
  for (const input of Object.values(meta.inputs)) {
    for (const imported of input.imports) {
      if (!imported.external || imported.path.startsWith('.') || imported.path.startsWith('node:') || imported.path === '<runtime>') continue;
      const parts = imported.path.split('/');
      names.add(imported.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  names.delete('electron');
  return names;
}

/**
 * The manifest of package `name` as Node would find it from the package in `fromDir`: node_modules of
 * that folder, then of each folder above. Read from disk, not through require.resolve, because a package
 * whose "exports" leaves out ./package.json (valibot) cannot be resolved that way.
 */
function manifestOf(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The packages `names` need at run time: themselves and their dependencies, as installed here. */
function closure(names) {
  const found = new Map(); // name -> folder
  const visit = (name, fromDir, optional) => {
    const manifest = manifestOf(name, fromDir);
    if (manifest === undefined) {
      if (optional) return; // an optional dependency for another platform (a prebuilt binary) is not installed
      throw new Error(`${name} (needed from ${relative(ROOT, fromDir) || '.'}) is not installed: run npm ci`);
    }
    if (found.has(name)) return;
    const dir = dirname(manifest);
    found.set(name, dir);
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, false);
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(dep, dir, true);
  };
  for (const name of names) visit(name, ROOT, false);
  return found;
}

function filesUnder(dir, prefix) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(prefix, relative(dir, join(entry.parentPath, entry.name)))
        .split(sep)
        .join('/'),
    );
}

async function buildUnpacked(out) {
  const standIn = join(out, 'electron-stand-in');
  mkdirSync(standIn, { recursive: true });
  writeFileSync(join(standIn, 'electron'), '#!/bin/sh\necho "a stand-in for Electron: the real binary cannot be downloaded here" >&2\nexit 1\n', {
    mode: 0o755,
  });
  // The project's configuration as written, less the fuses, plus the stand-in: as a file of its own, since
  // electron-builder merges an object given in code over electron-builder.yml (fuses included).
  const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));
  delete config.electronFuses;
  const configFile = join(out, 'electron-builder.json');
  writeFileSync(configFile, JSON.stringify({ ...config, electronDist: standIn, directories: { ...config.directories, output: join(out, 'release') } }));
  await build({ projectDir: ROOT, targets: Platform.LINUX.createTarget('dir'), config: configFile, publish: 'never' });
  return join(out, 'release', 'linux-unpacked', 'resources');
}

async function main() {
  for (const built of ['dist/meta/main.json', 'dist/electron/main/index.js', 'dist/electron/preload/index.js', 'dist/renderer/index.html']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run npm run build first`);
  }
  const out = mkdtempSync(join(tmpdir(), 'usher-app-'));
  try {
    const resources = await buildUnpacked(out);
    const archive = join(resources, 'app.asar');
    const inAsar = asar
      .listPackage(archive, { isPack: false })
      .map((p) =>
        p
          .replace(/^[\\/]/, '')
          .split('\\')
          .join('/'),
      )
      .filter((p) => {
        try {
          return !asar.statFile(archive, p).files; // files only, not folders
        } catch {
          return false;
        }
      });
    // Native modules (.node) are unpacked next to the archive; they count as inside the app.
    const unpackedDir = join(resources, 'app.asar.unpacked');
    const unpacked = existsSync(unpackedDir) ? filesUnder(unpackedDir, '') : [];
    const inApp = new Set([...inAsar, ...unpacked]);

    const needed = closure(packagesMainLoads());
    const expectedOwn = new Set([
      'package.json',
      'dist/electron/main/index.js',
      'dist/electron/preload/index.js',
      ...filesUnder(join(ROOT, 'dist', 'renderer'), 'dist/renderer'),
    ]);
    const problems = [];
    for (const file of expectedOwn) if (!inApp.has(file)) problems.push(`missing: ${file}`);
    const packagesInside = new Set();
    for (const file of inApp) {
      if (expectedOwn.has(file)) continue;
      const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
      // A nested copy (node_modules/a/node_modules/b) belongs to the outer package's needs too.
      const name = m?.[1];
      if (!name) {
        problems.push(`not loaded by main: ${file}`);
        continue;
      }
      packagesInside.add(name);
      if (!needed.has(name)) problems.push(`not loaded by main: ${file}`);
    }
    for (const name of needed.keys()) if (!packagesInside.has(name)) problems.push(`missing package main loads: ${name}`);

    const own = expectedOwn.size;
    process.stdout.write(
      `app.asar: ${inAsar.length} files (${unpacked.length} unpacked beside it): ${own} of Usher's own, packages ${[...packagesInside].sort().join(', ')}\n`,
    );
    if (problems.length > 0) {
      process.stderr.write(`package:check: the app does not hold exactly what main loads:\n${[...new Set(problems)].map((p) => `  ${p}`).join('\n')}\n`);
      return 1;
    }
    process.stdout.write(`package:check: ok, main loads ${[...needed.keys()].sort().join(', ')} and the app holds those and its own files only\n`);
    return 0;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`package:check: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
