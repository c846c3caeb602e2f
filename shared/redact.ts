// Masking of secrets for anything a person sees (request log, UI, CLI): enough of a ticket or a session
// id to tell two apart, never enough to use one. Used by main and renderer alike.

/** Keeps the first 4 characters and hides the rest: `iokrVXS-IndQgEON` -> `iokr••••••••••••`. */
export function maskSecret(value: string): string {
  if (value.length <= 4) return '•'.repeat(value.length);
  return value.slice(0, 4) + '•'.repeat(Math.min(value.length - 4, 12));
}
