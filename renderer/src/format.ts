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
export function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

/** A virtual proxy prefix as people read it: '' is the default virtual proxy. */
export function prefixLabel(prefix: string): string {
  return prefix === '' ? '(default)' : `/${prefix}`;
}
