// Where the chromium host's console window was, and how big, kept in the data folder between runs. A
// file that is missing, damaged or describes an impossible window is ignored: the default size it is.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WindowPlacement {
  left: number;
  top: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** Big enough for the sidebar, a section's table and the status bar side by side on a laptop screen. */
export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 860 } as const;

const within = (value: unknown, min: number, max: number): value is number => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

export function readWindowPlacement(file: string): WindowPlacement | undefined {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { left, top, width, height, maximized } = data ?? {};
  if (!within(width, 400, 20_000) || !within(height, 300, 20_000) || !within(left, -20_000, 20_000) || !within(top, -20_000, 20_000)) return undefined;
  return { left, top, width, height, maximized: maximized === true };
}

/** Written whole to a temporary file, then renamed over the old one: a crash never leaves half a file. */
export function writeWindowPlacement(file: string, placement: WindowPlacement): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(placement)}\n`);
  renameSync(temporary, file);
}

/** Chromium flags that open the window where it was (or at the default size). */
export function placementArgs(placement: WindowPlacement | undefined): string[] {
  if (!placement) return [`--window-size=${DEFAULT_WINDOW_SIZE.width},${DEFAULT_WINDOW_SIZE.height}`];
  return [
    `--window-size=${placement.width},${placement.height}`,
    `--window-position=${placement.left},${placement.top}`,
    ...(placement.maximized ? ['--start-maximized'] : []),
  ];
}

/** What Chromium reports for a window (CDP Browser.getWindowBounds) as a placement to keep, if any. */
export function placementFromBounds(
  bounds: { left?: number; top?: number; width?: number; height?: number; windowState?: string },
  previous: WindowPlacement | undefined,
): WindowPlacement | undefined {
  // Maximized: keep the size it had before, so that un-maximizing next time lands somewhere sensible.
  if (bounds.windowState === 'maximized') return previous ? { ...previous, maximized: true } : undefined;
  if (bounds.windowState !== 'normal') return previous; // minimized or full screen says nothing about where it belongs
  const { left, top, width, height } = bounds;
  if (left === undefined || top === undefined || width === undefined || height === undefined) return previous;
  return { left, top, width, height, maximized: false };
}
