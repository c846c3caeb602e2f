// Second looks at a failed TLS connection, to tell an administrator exactly what is wrong: which
// certificate the server presented (subject, issuer, names), and whether a closed connection was the
// server refusing our client certificate. Only ever run after a call failed; neither probe sends data.
import tls from 'node:tls';
import { isIP } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { classifyTransport, type PeerCertificateInfo } from './errors';

export interface Target {
  host: string;
  port: number;
  servername?: string;
}

export function targetOf(url: string): Target {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  // SNI carries names only; Node warns about (and servers ignore) an IP address there.
  return { host, port: Number(u.port || 443), servername: isIP(host) ? undefined : host };
}

type NameFields = Record<string, string | string[] | undefined>;

/** `{CN: 'x', O: 'y'}` -> `CN=x, O=y`, the way certificate viewers print a distinguished name. */
export function formatDistinguishedName(name: NameFields | undefined): string {
  if (!name) return '(none)';
  const parts: string[] = [];
  for (const [field, value] of Object.entries(name)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) parts.push(`${field}=${v}`);
  }
  return parts.length ? parts.join(', ') : '(empty)';
}

/** `DNS:a, DNS:b, IP Address:127.0.0.1` -> `['a', 'b', '127.0.0.1']`. */
export function parseAltNames(subjectaltname: string | undefined): string[] {
  if (!subjectaltname) return [];
  return subjectaltname
    .split(/,\s*/)
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry.trim())?.[1])
    .filter((name): name is string => name !== undefined);
}

/** Subject and issuer of a PEM certificate, for messages. */
export function describeCertificate(certPem: string): { subject: string; issuer: string } | undefined {
  try {
    const cert = new X509Certificate(certPem);
    return { subject: cert.subject.split('\n').join(', '), issuer: cert.issuer.split('\n').join(', ') };
  } catch {
    return undefined;
  }
}

/**
 * Reads the certificate a server presents. Verification is off on this one socket ONLY so that an
 * untrusted or misnamed certificate can be read and described; the socket is destroyed as soon as the
 * handshake ends, before anything is written, and no answer from it is ever used.
 */
export function readPeerCertificate(url: string, timeoutMs: number): Promise<PeerCertificateInfo | undefined> {
  let target: Target;
  try {
    target = targetOf(url);
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const socket = tls.connect({ host: target.host, port: target.port, servername: target.servername, rejectUnauthorized: false });
    const done = (info: PeerCertificateInfo | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(info);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      if (!cert || Object.keys(cert).length === 0) return done(undefined);
      done({
        subject: formatDistinguishedName(cert.subject as unknown as NameFields),
        issuer: formatDistinguishedName(cert.issuer as unknown as NameFields),
        altNames: parseAltNames(cert.subjectaltname),
        validFrom: cert.valid_from,
        validTo: cert.valid_to,
      });
    });
    socket.once('error', () => done(undefined));
    socket.once('close', () => done(undefined));
  });
}

export interface ClientCertVerdict {
  verdict: 'accepted' | 'refused' | 'unknown';
  /** The certificate we presented, as the TLS stack saw it (names a PFX's certificate too). */
  presented?: { subject: string; issuer: string };
}

/** How long a TLS 1.3 server gets to refuse our certificate after the handshake before we call it accepted. */
const TLS13_VERDICT_MS = 1500;

/**
 * Repeats just the handshake with the connection's own TLS settings and watches what the server does with
 * the client certificate. Under TLS 1.2 a refusal fails the handshake; under TLS 1.3 the client finishes
 * first and the server's refusal arrives afterwards as an alert or a bare close, while acceptance shows
 * as a session ticket. Nothing is written to the socket.
 */
export function probeClientCertificate(url: string, secureContext: tls.SecureContext, timeoutMs: number): Promise<ClientCertVerdict> {
  let target: Target;
  try {
    target = targetOf(url);
  } catch {
    return Promise.resolve({ verdict: 'unknown' });
  }
  return new Promise((resolve) => {
    const socket = tls.connect({ host: target.host, port: target.port, servername: target.servername, secureContext });
    let presented: ClientCertVerdict['presented'];
    let handshakeDone = false;
    const done = (verdict: ClientCertVerdict['verdict']): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ verdict, presented });
    };
    let timer = setTimeout(() => done('unknown'), timeoutMs);
    socket.once('secureConnect', () => {
      handshakeDone = true;
      const local = socket.getCertificate();
      if (local && 'subject' in local) {
        presented = {
          subject: formatDistinguishedName(local.subject as unknown as NameFields),
          issuer: formatDistinguishedName(local.issuer as unknown as NameFields),
        };
      }
      if (socket.getProtocol() !== 'TLSv1.3') return done('accepted');
      clearTimeout(timer);
      timer = setTimeout(() => done('accepted'), Math.min(timeoutMs, TLS13_VERDICT_MS));
    });
    socket.once('session', () => done('accepted'));
    socket.once('error', (err) => {
      if (handshakeDone || classifyTransport(err).kind === 'alert') return done('refused');
      done('unknown');
    });
    socket.once('close', () => done(handshakeDone ? 'refused' : 'unknown'));
  });
}
