// `npm run icons`: every icon electron-builder wants, from assets/icon.svg. Writes assets/icons/NxN.png
// (Linux), assets/icon.ico (Windows: 16 to 256) and assets/icon.icns (macOS), and they are committed:
// packaging then needs no image tools, and a changed SVG shows in review as changed images. A unit test
// (test/unit/icons.test.ts) checks that they are there, of the right sizes, and rendered from this SVG.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { Resvg } = require('@resvg/resvg-js');
const png2icons = require('png2icons');

const ASSETS = join(import.meta.dirname, '..', 'assets');
export const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

export function renderPng(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render().asPng();
}

export function writeIcons() {
  const svg = readFileSync(join(ASSETS, 'icon.svg'), 'utf8');
  mkdirSync(join(ASSETS, 'icons'), { recursive: true });
  for (const size of SIZES) writeFileSync(join(ASSETS, 'icons', `${size}x${size}.png`), renderPng(svg, size));
  // png2icons scales the largest image down itself; bicubic keeps the small sizes sharp enough.
  const largest = renderPng(svg, 1024);
  writeFileSync(join(ASSETS, 'icon.ico'), png2icons.createICO(largest, png2icons.BICUBIC2, 0, false, true));
  writeFileSync(join(ASSETS, 'icon.icns'), png2icons.createICNS(largest, png2icons.BICUBIC2, 0));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeIcons();
  process.stdout.write(`icons: assets/icons/{${SIZES.join(',')}}.png, assets/icon.ico, assets/icon.icns\n`);
}
