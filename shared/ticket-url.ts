// Where an authentication module sends the browser once it holds a ticket: the target URI plus
// `qlikTicket=<ticket>`. Real proxies match the parameter name in any casing; every working client
// emits `qlikTicket`, so this does too.

export const TICKET_PARAMETER = 'qlikTicket';

/** `uri` with the ticket appended (`?` or `&` as the URI needs; any fragment stays at the end). */
export function appendQlikTicket(uri: string, ticket: string): string {
  const hashAt = uri.indexOf('#');
  const base = hashAt < 0 ? uri : uri.slice(0, hashAt);
  const fragment = hashAt < 0 ? '' : uri.slice(hashAt);
  const separator = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${separator}${TICKET_PARAMETER}=${encodeURIComponent(ticket)}${fragment}`;
}
