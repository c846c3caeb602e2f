// The one reading of a Qlik service address (`--qps`, a profile's QRS, a proxyRestUri, a typed address in
// the console): https only, a scheme added when left out, the service's own port when none is given, no
// credentials, and `https://host:port` out, whatever path followed. Every face and the QPS/QRS clients
// go through it, so one address means one site everywhere.
import { UsherError } from '../../../shared/errors';
import { hasControlCharacters } from '../../../shared/terminal-text';

/** The port each Qlik service listens on out of the box; an address without a port means this one. */
export const QLIK_DEFAULT_PORTS = { qps: 4243, qrs: 4242, hub: 443 } as const;
export type QlikService = keyof typeof QLIK_DEFAULT_PORTS;

/** An address a person gave that cannot be a Qlik service's: bad input (the CLI exits 2). */
export class AddressError extends UsherError<'INVALID_ADDRESS'> {
  override name = 'AddressError';
  override readonly badInput = true;
  constructor(message: string, hint?: string) {
    super('INVALID_ADDRESS', message, hint);
  }
}

export interface BaseUrl {
  /** `https://host:port`, the port always written out. */
  baseUrl: string;
  /** The parsed address as given (with the scheme added), for callers that read its path. */
  url: URL;
}

/**
 * Reads `value` as the address of `service`. `label` names it in errors the way the person knows it
 * (`--qps` in the CLI, "The QPS address" in the console).
 */
export function parseServiceAddress(value: string | undefined, service: QlikService, label: string = `The ${service.toUpperCase()} address`): BaseUrl {
  const example = `for example https://qlik.example.com:${QLIK_DEFAULT_PORTS[service]}`;
  if (!value) throw new AddressError(`${label} is required`, example);
  // The URL parser drops tabs and newlines silently: refuse them, and spaces, rather than guess.
  if (/\s/.test(value) || hasControlCharacters(value)) throw new AddressError(`${label} holds white space or control characters`, example);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AddressError(`${label} ${value.slice(0, 200)} is not a URL`, example);
  }
  if (url.protocol !== 'https:') throw new AddressError(`${label} must use https (Qlik's services only speak TLS)`, example);
  // QPS and QRS authenticate by client certificate; a password in a URL would only end up in logs.
  if (url.username || url.password)
    throw new AddressError(
      `${label} must not hold a user name or password`,
      `drop the "user:password@" part: Qlik's APIs authenticate by the client certificate`,
    );
  if (url.hostname.split('.').some((part) => part === '') && !url.hostname.startsWith('[')) {
    throw new AddressError(`${label} ${value.slice(0, 200)} has no valid host name`, example);
  }
  // URL drops https' own port 443 from `port`: an address that wrote it out still means 443, not the
  // service's default.
  const explicit443 = /^https:\/\/[^/?#]*:443(?:[/?#]|$)/i.test(withScheme);
  const port = url.port || (explicit443 ? '443' : String(QLIK_DEFAULT_PORTS[service]));
  // URL.hostname keeps an IPv6 address in its brackets already.
  return { baseUrl: `https://${url.hostname}:${port}`, url };
}

/** `https://host:port` of a service address (see parseServiceAddress). */
export function serviceBaseUrl(value: string | undefined, service: QlikService, label?: string): string {
  return parseServiceAddress(value, service, label).baseUrl;
}
