// The console window's remembered place: read back only when it describes a possible window.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZE, placementArgs, placementFromBounds, readWindowPlacement, writeWindowPlacement } from '../../electron/hosts/console-window-state';

const dir = mkdtempSync(join(tmpdir(), 'usher-window-state-'));
const placed = { left: 100, top: 50, width: 1100, height: 760, maximized: false };

describe('console window placement', () => {
  it('round-trips through its file', () => {
    const file = join(dir, 'ok.json');
    writeWindowPlacement(file, placed);
    expect(readWindowPlacement(file)).toEqual(placed);
  });

  it('ignores a missing, damaged or impossible file', () => {
    expect(readWindowPlacement(join(dir, 'missing.json'))).toBeUndefined();
    for (const [name, text] of [
      ['damaged', '{"left":1,'],
      ['tiny', JSON.stringify({ ...placed, width: 10 })],
      ['fraction', JSON.stringify({ ...placed, height: 700.5 })],
      ['far away', JSON.stringify({ ...placed, left: 1e9 })],
      ['text', JSON.stringify({ ...placed, top: '50' })],
      ['null', 'null'],
    ] as const) {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, text);
      expect(readWindowPlacement(file), name).toBeUndefined();
    }
  });

  it('opens at the default size without a placement, else where it was', () => {
    expect(placementArgs(undefined)).toEqual([`--window-size=${DEFAULT_WINDOW_SIZE.width},${DEFAULT_WINDOW_SIZE.height}`]);
    expect(placementArgs(placed)).toEqual(['--window-size=1100,760', '--window-position=100,50']);
    expect(placementArgs({ ...placed, maximized: true })).toContain('--start-maximized');
  });

  it("keeps a normal window's bounds, the size before maximizing, and nothing from a minimized one", () => {
    expect(placementFromBounds({ left: 1, top: 2, width: 900, height: 600, windowState: 'normal' }, undefined)).toEqual({
      left: 1,
      top: 2,
      width: 900,
      height: 600,
      maximized: false,
    });
    expect(placementFromBounds({ left: 0, top: 0, width: 1920, height: 1080, windowState: 'maximized' }, placed)).toEqual({ ...placed, maximized: true });
    expect(placementFromBounds({ windowState: 'minimized' }, placed)).toBe(placed);
  });
});
