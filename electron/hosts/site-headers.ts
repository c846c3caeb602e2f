// The request headers a partition adds for one site (a header virtual proxy's user header, a JWT's
// `Authorization: Bearer`), kept per origin: only a request whose origin is exactly that one (scheme, host
// and port) carries them. A login header sent to any other origin would hand the login to whoever runs it.
import { PartitionError } from './partition-error';

/** Names a browser sets itself or that would change what the request is: never added by hand. */
const FORBIDDEN = new Set(['cookie', 'host', 'origin', 'referer', 'content-length', 'connection', 'upgrade', 'transfer-encoding']);

export class SiteHeaders {
  private readonly byOrigin = new Map<string, Record<string, string>>();

  /**
   * From now on requests to `origin` carry `headers`, in place of any set before for it; an empty object
   * stops it. Refuses an origin that is not https, and names a browser keeps for itself.
   */
  set(origin: string, headers: Record<string, string>): void {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new PartitionError('BAD_HEADERS', `"${origin}" is not an origin.`, 'Give the site as https://host[:port].');
    }
    if (url.protocol !== 'https:' || url.origin !== origin.replace(/\/$/, '')) {
      throw new PartitionError(
        'BAD_HEADERS',
        `Login headers go to one https origin, not "${origin}".`,
        'Give the site as https://host[:port], without a path.',
      );
    }
    for (const [name, value] of Object.entries(headers)) {
      if (FORBIDDEN.has(name.toLowerCase()) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
        throw new PartitionError(
          'BAD_HEADERS',
          `The header "${name}" cannot be added to a partition's requests.`,
          'Use the header name the virtual proxy reads (QMC: Header authentication header name).',
        );
      }
      // CR, LF or NUL would split the request; anything outside printable US-ASCII Qlik does not take.
      if (!/^[\x20-\x7e]*$/.test(value)) {
        throw new PartitionError(
          'BAD_HEADERS',
          `The value of header "${name}" holds characters outside printable US-ASCII.`,
          'Qlik takes header values in US-ASCII only: use a plain user id.',
        );
      }
    }
    if (Object.keys(headers).length === 0) this.byOrigin.delete(url.origin);
    else this.byOrigin.set(url.origin, { ...headers });
  }

  /** The headers for a request to `url`, or undefined when its origin has none (or it is no URL). */
  for(url: string): Record<string, string> | undefined {
    if (this.byOrigin.size === 0) return undefined;
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      return undefined;
    }
    return this.byOrigin.get(origin);
  }

  /** `headers` with this site's added (an added name replaces one the request had, whatever its case). */
  apply<H extends Record<string, unknown>>(url: string, headers: H): H | Record<string, unknown> {
    const extra = this.for(url);
    if (!extra) return headers;
    const names = new Set(Object.keys(extra).map((n) => n.toLowerCase()));
    const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !names.has(name.toLowerCase())));
    return { ...kept, ...extra };
  }

  /** Whether any origin has headers. */
  any(): boolean {
    return this.byOrigin.size > 0;
  }
}
