// TLS pinning for partition windows: a server chain is accepted only if it leads, signature by
// signature, to the site's CA (root.pem) and the leaf names the host. Chromium's own verdict (and so
// the OS trust store) plays no part: a site CA is trusted for its partitions and nothing else is.
// Every certificate on the path must allow serving TLS (serverAuth in its extended key usage, or no EKU
// at all), as OpenSSL demands of the same chain when the QPS client calls it.
// Pure Node (no 'electron' import), so the rules are tested with real certificates.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { BrowserRequestError } from '../core/browser/browser-client';
import { allowsServerAuth } from '../core/certs/summary';
import { SERVER_AUTH_HINT } from '../core/qlik/errors';
import { navigationError } from './navigation-error';

/** The part of Electron's Certificate this needs: PEM data and the presented issuer chain. */
export interface CertificateLike {
  data: string;
  issuerCert?: CertificateLike | null;
}

export interface VerifyRequestLike {
  hostname: string;
  certificate: CertificateLike;
}

/** setCertificateVerifyProc results: 0 accepts, -2 rejects (-3, "use Chromium's verdict", is never used). */
export const CERT_ACCEPT = 0;
export const CERT_REJECT = -2;

const MAX_CHAIN = 8;

/** `host`: the chain is fine but names another host; `purpose`: a certificate is not for TLS servers; `untrusted`: everything else. */
export type Verdict = { ok: true } | { ok: false; kind: 'host' | 'purpose' | 'untrusted'; reason: string };

export function parseCaBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const cas = blocks.map((block) => new X509Certificate(block));
  if (cas.length === 0) throw new Error('the site CA (root.pem) holds no certificate');
  return cas;
}

function inValidity(cert: X509Certificate, now: number): boolean {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  return Number.isFinite(from) && Number.isFinite(to) && from <= now && now <= to;
}

function signedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  // checkIssued compares names and key identifiers; verify checks the signature itself. Both must hold.
  return child.checkIssued(issuer) && child.verify(issuer.publicKey);
}

function oneLine(name: string): string {
  return name.replace(/\n/g, ', ');
}

/** A refusal when `cert` names purposes and serving TLS is not one of them (a clientAuth-only certificate). */
function purposeRefusal(cert: X509Certificate, role: string): Verdict | undefined {
  if (allowsServerAuth(cert)) return undefined;
  return { ok: false, kind: 'purpose', reason: `the ${role} (${oneLine(cert.subject)}) is not for TLS servers: its extended key usage lacks serverAuth` };
}

function presentedChain(cert: CertificateLike): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: CertificateLike | null | undefined = cert;
  while (current && out.length < MAX_CHAIN && !seen.has(current.data)) {
    seen.add(current.data);
    out.push(new X509Certificate(current.data));
    current = current.issuerCert;
  }
  return out;
}

export function verifyAgainstCa(request: VerifyRequestLike, cas: X509Certificate[], now = Date.now()): Verdict {
  let chain: X509Certificate[];
  try {
    chain = presentedChain(request.certificate);
  } catch {
    return { ok: false, kind: 'untrusted', reason: 'the server sent a certificate that cannot be read' };
  }
  const [leaf, ...intermediates] = chain;
  if (!leaf) return { ok: false, kind: 'untrusted', reason: 'the server sent no certificate' };

  const host = request.hostname.replace(/^\[(.*)\]$/, '$1');
  const named = isIP(host) ? leaf.checkIP(host) : leaf.checkHost(host);
  if (!named) return { ok: false, kind: 'host', reason: `the certificate does not name ${host} (it is for ${leaf.subjectAltName ?? leaf.subject})` };

  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (!inValidity(current, now))
      return { ok: false, kind: 'untrusted', reason: `a certificate in the chain is outside its validity (${oneLine(current.subject)})` };
    const wrongPurpose = purposeRefusal(current, depth === 0 ? 'server certificate' : 'intermediate certificate');
    if (wrongPurpose) return wrongPurpose;
    const anchor = cas.find((ca) => signedBy(current, ca));
    if (anchor) {
      if (!inValidity(anchor, now)) return { ok: false, kind: 'untrusted', reason: 'the site CA certificate is outside its validity' };
      return purposeRefusal(anchor, 'site CA certificate') ?? { ok: true };
    }
    // Only CA certificates may sit in the middle of a chain.
    const next = intermediates.find((candidate) => candidate !== current && candidate.ca && signedBy(current, candidate));
    if (!next) return { ok: false, kind: 'untrusted', reason: 'the certificate was not issued by the site CA of this profile' };
    current = next;
  }
  return { ok: false, kind: 'untrusted', reason: 'the certificate chain is too long' };
}

/** A setCertificateVerifyProc callback pinned to `caPem`. Throws now if the CA cannot be read. */
export function createCertificateVerifier(
  caPem: string,
  onReject?: (hostname: string, verdict: Rejection) => void,
): (request: VerifyRequestLike, callback: (result: number) => void) => void {
  const cas = parseCaBundle(caPem);
  return (request, callback) => {
    let verdict: Verdict;
    try {
      verdict = verifyAgainstCa(request, cas);
    } catch {
      verdict = { ok: false, kind: 'untrusted', reason: 'the certificate could not be checked' };
    }
    if (!verdict.ok) {
      try {
        onReject?.(request.hostname, verdict);
      } catch {
        // Reporting is best effort; the verdict stands.
      }
    }
    callback(verdict.ok ? CERT_ACCEPT : CERT_REJECT);
  };
}

/** A refused certificate: why, as the partition's verifier saw it. */
export type Rejection = Exclude<Verdict, { ok: true }>;

/**
 * Chromium's load errors ("ERR_CONNECTION_REFUSED (-102) loading ...") in a Qlik admin's terms; a
 * refusal by the verifier above (Chromium says only ERR_FAILED then) names its reason and its fix.
 */
export function loadError(err: unknown, url: string, rejected: Rejection | undefined): BrowserRequestError {
  if (rejected?.kind === 'host') {
    return new BrowserRequestError(
      'HOST_MISMATCH',
      `Refused ${url}: ${rejected.reason}`,
      'Open the site by a host name its certificate carries, or reissue the proxy certificate for this name.',
    );
  }
  if (rejected?.kind === 'purpose') {
    return new BrowserRequestError('UNTRUSTED_CERT', `Refused ${url}: ${rejected.reason}`, SERVER_AUTH_HINT);
  }
  if (rejected) {
    return new BrowserRequestError(
      'UNTRUSTED_CERT',
      `Refused ${url}: ${rejected.reason}`,
      "The proxy's certificate must be issued by the site CA (root.pem) of this profile; re-export the certificates from the QMC.",
    );
  }
  return navigationError(err, url);
}
