// electron-builder.yml: the targets, what goes into the package and the fuses. Packaging itself needs
// Electron's binary (not downloadable here), so this checks the configuration instead, including
// against electron-builder's own schema.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  files: string[];
  extraMetadata: { main: string };
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  mac: { target: string; hardenedRuntime: boolean };
  win: { target: string };
};

/** Does a minimatch-style pattern from `files` cover this path? (enough for the patterns used here) */
function covered(path: string): boolean {
  const toRegExp = (glob: string) =>
    new RegExp(
      `^${glob
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '\u0001')
        .replace(/\*\*/g, '\u0002')
        .replace(/\*/g, '[^/]*')
        .replace(/\u0001/g, '(?:.*/)?')
        .replace(/\u0002/g, '.*')}$`,
    );
  let included = false;
  for (const pattern of config.files) {
    if (pattern.startsWith('!')) {
      if (toRegExp(pattern.slice(1)).test(path)) included = false;
    } else if (toRegExp(pattern).test(path)) included = true;
  }
  return included;
}

describe('electron-builder.yml', () => {
  it('builds AppImage and deb, NSIS and dmg', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toBe('nsis');
    expect(config.mac.target).toBe('dmg');
    expect(config.mac.hardenedRuntime).toBe(true);
  });

  it('starts the compiled main process and packs it in an asar', () => {
    expect(config.extraMetadata.main).toBe('dist/electron/main/index.js');
    expect(config.asar).toBe(true);
    expect(covered(config.extraMetadata.main)).toBe(true);
  });

  it('packs the built app and nothing else', () => {
    for (const path of [
      'dist/electron/main/index.js',
      'dist/electron/preload/index.js',
      'dist/renderer/index.html',
      'dist/renderer/assets/index-abc.js',
      'package.json',
    ]) {
      expect(covered(path), path).toBe(true);
    }
    // The CLI bundle and the build's metafiles are not the app's (npm run package:check checks the real archive).
    const notTheApp = ['dist/cli/usher.js', 'dist/meta/main.json', 'bin/usher.js', 'scripts/build.mjs'];
    for (const path of [
      ...notTheApp,
      'electron/main/index.ts',
      'test/unit/vault.test.ts',
      'dist/electron/main/index.js.map',
      'dist/renderer/assets/index-abc.js.map',
      'README.md',
      '.env',
      'release/Usher.AppImage',
    ]) {
      expect(covered(path), path).toBe(false);
    }
  });

  it('sets the fuses: no Node mode, no NODE_OPTIONS, no inspector, asar integrity, asar only', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("is valid for electron-builder's own schema", async () => {
    const require = createRequire(join(ROOT, 'package.json'));
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
    };
    await expect(validateConfiguration(config, { isEnabled: false, add: () => undefined })).resolves.toBeUndefined();
    await expect(
      validateConfiguration({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } }, { isEnabled: false, add: () => undefined }),
    ).rejects.toThrow(/electronFuses/);
  });
});
