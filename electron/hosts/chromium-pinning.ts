// Per-site TLS trust for partitions in a stock Chromium, without switching verification off.
//
// Chromium cannot be given a CA per BrowserContext, and adding root.pem to the OS store would make every
// browser on the machine trust it. So trust is decided in Node instead: each origin a partition goes to is
// verified here against the site's root.pem (chain AND host name, rejectUnauthorized: true), and only the
// SubjectPublicKeyInfo hash of the certificate that passed is handed to Chromium through
// `--ignore-certificate-errors-spki-list`. Chromium then accepts that key only, nothing else; any other
// certificate still fails with its normal error.
//
// A limit of the flag, read in Chromium's IgnoreErrorsCertVerifier: it matches the hash against every
// certificate the server *presents*, intermediates included, and a presented intermediate proves nothing.
// A machine in the middle that has seen the node's public certificate could append it to its own chain.
// `checkServedLeaf` (chromium-partition.ts, with chromium-served-certificate.ts) closes that gap after
// each navigation: it compares the leaf Chromium actually received (DevTools `Network.getCertificate`)
// with the one Node verified, and the partition is refused otherwise.
import { createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { BrowserRequestError } from '../core/browser/browser-client';
import { verifyServerCertificate } from '../core/checks/server-certificate';
import { httpsUrl } from './https-url';

export interface PinnedOrigin {
  origin: string;
  /** base64(sha256(SubjectPublicKeyInfo DER)): the form `--ignore-certificate-errors-spki-list` takes. */
  spki: string;
  /** sha256 of the leaf certificate DER, hex, for the after-navigation check. */
  leafFingerprint: string;
}

export function spkiHash(certDer: Buffer): string {
  const spki = new X509Certificate(certDer).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

export function certFingerprint(certDer: Buffer): string {
  return createHash('sha256').update(certDer).digest('hex');
}

/** A short, stable key for "the site whose CA is this PEM". */
export function caFingerprint(caPem: string): string {
  try {
    return new X509Certificate(caPem).fingerprint256;
  } catch {
    return createHash('sha256').update(caPem).digest('hex');
  }
}

/**
 * One handshake with root.pem as the only trust anchor. On failure the core's diagnosis runs, so the
 * error names the cause (untrusted CA, the host name the certificate does carry, refused, timeout).
 */
export function pinOrigin(url: string, caPem: string, timeoutMs = 10_000): Promise<PinnedOrigin> {
  let u: URL;
  try {
    u = httpsUrl(url);
  } catch (err) {
    return Promise.reject(err);
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || 443);
  return new Promise<PinnedOrigin>((resolve, reject) => {
    const socket = tls.connect({ host, port, servername: isIP(host) ? undefined : host, ca: caPem, rejectUnauthorized: true });
    const timer = setTimeout(() => socket.destroy(new Error('handshake timed out')), timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const raw = socket.getPeerCertificate().raw;
      socket.end();
      resolve({ origin: u.origin, spki: spkiHash(raw), leafFingerprint: certFingerprint(raw) });
    });
    socket.once('error', () => {
      clearTimeout(timer);
      socket.destroy();
      // Let the core say why, in a Qlik administrator's terms; if its own handshake passes, say that.
      verifyServerCertificate(url, caPem, timeoutMs).then(
        () =>
          reject(
            new BrowserRequestError(
              'NETWORK',
              `The TLS handshake with ${u.host} failed, though its certificate checks out against the site CA.`,
              'Open the ticket again; if it keeps failing, check that the proxy does not ask browsers for a client certificate, then run the trust check on this site.',
            ),
          ),
        reject,
      );
    });
  });
}
