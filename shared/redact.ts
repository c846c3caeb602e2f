// Masking of secrets for anything a person sees (request log, UI, CLI): enough of a ticket or a session
// id to tell two apart, never enough to use one. Used by main and renderer alike.

/** Keeps the first 4 characters and hides the rest: `iokrVXS-IndQgEON` -> `iokr••••••••••••`. */
export function maskSecret(value: string): string {
  if (value.length <= 4) return '•'.repeat(value.length);
  return value.slice(0, 4) + '•'.repeat(Math.min(value.length - 4, 12));
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * `text` (a URL, an error message) with tickets masked: the given ticket wherever it appears, raw or
 * URL-encoded, and the value of every `qlikTicket` parameter in any casing.
 */
export function maskTickets(text: string, ticket?: string): string {
  let out = text;
  if (ticket) {
    const masked = maskSecret(ticket);
    out = out.split(encodeURIComponent(ticket)).join(masked).split(ticket).join(masked);
  }
  return out.replace(/(qlikticket=)([^&#\s]+)/gi, (_m, name: string, value: string) => name + maskSecret(safeDecode(value)));
}
