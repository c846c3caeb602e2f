// How the bench reaches a simulated site: its CA pinned, its exported client certificate.
import type { ConnectionOptions } from '../electron/core/qlik';
import type { SitePki } from '../electron/simulator/site-pki';

export function pkiConnectionOptions(pki: SitePki): ConnectionOptions {
  return { ca: pki.ca.certPem, client: { certPem: pki.client.certPem, keyPem: pki.client.keyPem } };
}
