// The one check both hosts make before a partition goes anywhere: a full https:// address. Partitions
// never load plain http (a session cookie marked Secure would not go, and TLS pinning would not apply).
import { BrowserRequestError } from '../core/browser/browser-client';

export function httpsUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BrowserRequestError('NETWORK', `Not a valid address: ${url.slice(0, 200)}`, 'Use a full https:// address on the Qlik Sense site.');
  }
  if (parsed.protocol !== 'https:')
    throw new BrowserRequestError(
      'NETWORK',
      `Only https addresses are supported, not ${parsed.protocol}`,
      'Qlik Sense proxies serve browsers over HTTPS; use https:// and the proxy port.',
    );
  return parsed;
}

export function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
