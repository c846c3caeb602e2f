// A failed page load in a partition, in words a Qlik administrator can act on. Both hosts drive a
// Chromium, whose failures carry net::ERR_* codes (Playwright adds its own timeout text); neither the
// raw code nor a driver's call log is something to show a person.
import { BrowserRequestError } from '../core/browser';

export function navigationError(err: unknown, url: string): BrowserRequestError {
  const text = err instanceof Error ? err.message : String(err);
  const code = /ERR_[A-Z_]+/.exec(text)?.[0] ?? (/Timeout \d+ms exceeded/i.test(text) ? 'ERR_TIMED_OUT' : 'ERR_FAILED');
  if (code === 'ERR_CONNECTION_REFUSED')
    return new BrowserRequestError(
      'CONNECTION_REFUSED',
      `Nothing answered at ${url}`,
      'Check that the Qlik Sense proxy service is running and the port is right.',
    );
  if (code === 'ERR_TIMED_OUT' || code === 'ERR_CONNECTION_TIMED_OUT')
    return new BrowserRequestError('TIMEOUT', `${url} did not answer in time`, 'Check the network path (firewall, proxy, DNS) to the Qlik Sense node.');
  if (code === 'ERR_CERT_COMMON_NAME_INVALID')
    return new BrowserRequestError(
      'HOST_MISMATCH',
      `The certificate of ${url} does not name its host`,
      'Open the site by a host name its certificate carries.',
    );
  if (code.startsWith('ERR_CERT_'))
    return new BrowserRequestError(
      'UNTRUSTED_CERT',
      `The certificate of ${url} was refused (${code})`,
      'The proxy certificate must be issued by the site CA of this profile.',
    );
  return new BrowserRequestError('NETWORK', `Could not load ${url} (${code})`, 'Check that the address is on the Qlik Sense site and the proxy is reachable.');
}
