// When the QPS address refuses a QPS call, the address may be another service of the same site: the QRS
// (4242) or the proxy's browser front end, the hub (443). Their answers say nothing about certificates or
// sessions, so the client-certificate step asks the address what it is before blaming either.
import { BrowserClient } from '../browser';
import type { QlikConnection } from '../qlik';

export type WrongPortService = 'qrs' | 'hub';

/** The service that answered at `qpsUrl` when it is not the QPS, or undefined when it looks like none. */
export async function identifyNonQpsService(
  connection: QlikConnection,
  qpsUrl: string,
  caPem: string,
  timeoutMs: number,
): Promise<WrongPortService | undefined> {
  // The QRS answers /qrs/about to the site's client certificate; a QPS answers it 404.
  const about = await connection
    .qrs(qpsUrl)
    .about()
    .catch(() => undefined);
  if (about) return 'qrs';
  // The hub is a browser page: HTML, or a redirect to the login (an authentication module).
  const browser = new BrowserClient({ ca: caPem, timeoutMs });
  const page = await browser.get(new URL('/hub/', qpsUrl).href, { followRedirects: false }).catch(() => undefined);
  if (!page) return undefined;
  const html = (page.headers['content-type'] ?? '').includes('text/html');
  if (page.headers.location || html) return 'hub';
  return undefined;
}

/** The step's cause and fix for a QPS address that answered like another service. */
export function wrongPortFailure(service: WrongPortService, qpsUrl: string): { cause: string; fix: string } {
  const host = new URL(qpsUrl).host;
  const like =
    service === 'qrs'
      ? `${host} answered like the Qlik Sense Repository Service (QRS: /qrs/about answered), not like the QPS`
      : `${host} answered like the hub (the proxy's browser front end: an HTML page or a login redirect), not like the QPS`;
  const usual = service === 'qrs' ? 'the QRS listens on 4242' : 'the hub listens on 443';
  return {
    cause: like,
    fix: `This is not the QPS port (4243): set the QPS address to https://${new URL(qpsUrl).hostname}:4243 (${usual}).`,
  };
}
