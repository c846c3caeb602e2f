// The packaged app's icons (electron-builder.yml names them): every size there, each rendered from
// assets/icon.svg as it is now. After changing the SVG, `npm run icons` writes them again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ASSETS = join(__dirname, '..', '..', 'assets');

interface IconsScript {
  SIZES: number[];
  renderPng(svg: string, size: number): Buffer;
}
const icons = (): Promise<IconsScript> => import(pathToFileURL(join(__dirname, '..', '..', 'scripts', 'icons.mjs')).href) as Promise<IconsScript>;

function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('icons', () => {
  it('has a PNG of every size for Linux, each the SVG rendered at that size', async () => {
    const { SIZES, renderPng } = await icons();
    const svg = readFileSync(join(ASSETS, 'icon.svg'), 'utf8');
    expect(SIZES).toEqual(expect.arrayContaining([16, 32, 48, 256, 512, 1024]));
    for (const size of SIZES) {
      const png = readFileSync(join(ASSETS, 'icons', `${size}x${size}.png`));
      expect(pngSize(png), `${size}`).toEqual([size, size]);
      expect(png.equals(renderPng(svg, size)), `${size}x${size}.png is not the current SVG: run npm run icons`).toBe(true);
    }
  });

  it('has a Windows .ico from 16 to 256 pixels and a macOS .icns', () => {
    const ico = readFileSync(join(ASSETS, 'icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1); // type 1: icon
    const count = ico.readUInt16LE(4);
    // Each directory entry's width byte (0 means 256).
    const widths = Array.from({ length: count }, (_, i) => ico[6 + i * 16]! || 256);
    expect(widths).toEqual(expect.arrayContaining([16, 32, 48, 256]));
    const icns = readFileSync(join(ASSETS, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
  });
});
