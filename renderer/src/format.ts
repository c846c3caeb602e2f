// Small display helpers shared by the screens.

/** `12 ms`, `1.4 s`: step and request durations. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Local wall-clock time with seconds, as a log reads. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(undefined, { hour12: false });
}

/** The path and query of a URL (the request log's "path" column); the URL itself when it does not parse. */
/** The path as a person reads it: a masked id's dots, not `%E2%80%A2` twelve times. */
export function readablePath(url: string): string {
  const path = pathOf(url);
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

export function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

// The prefix wording is shared with the CLI.
export { prefixLabel } from '../../shared/virtual-proxy';

/** `2025-01-31 13:00:05` in local time: audit entries span days, so the date is part of "when". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** Text cut to `chars` with an ellipsis: a picture's label in its box (its table says it whole). */
export function fitText(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}
