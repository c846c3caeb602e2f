// One TLS handshake with the site CA pinned and no client certificate: does the node's server
// certificate chain to root.pem and carry the name we call it by? Kept apart from the client-certificate
// step so a trust check can tell "we do not trust the server" from "the server does not trust us".
import { connect as netConnect } from 'node:net';
import tls from 'node:tls';
import { classifyTransport, hostMismatch, transportError, untrustedServerCert, type CallContext } from '../qlik/errors';
import { describeCertificate, formatDistinguishedName, parseAltNames, readPeerCertificate, targetOf } from '../qlik/tls-diagnosis';

export interface ServerCertificateInfo {
  subject: string;
  issuer: string;
  altNames: string[];
  validTo: string;
  protocol: string;
}

function context(url: string, timeoutMs: number, service: 'qps' | 'qrs'): CallContext {
  return { service, url, timeoutMs, maxBodyBytes: 0 };
}

/** Resolves when something accepts TCP connections at the URL's host and port. */
export function checkTcpReach(url: string, timeoutMs: number, service: 'qps' | 'qrs' = 'qps'): Promise<void> {
  const { host, port } = targetOf(url);
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    const fail = (err: unknown): void => {
      socket.destroy();
      reject(transportError(context(url, timeoutMs, service), classifyTransport(err)));
    };
    const timer = setTimeout(() => fail(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
  });
}

/** Verifies the server certificate against `caPem` and the host name; throws a QlikError naming the cause. */
export function verifyServerCertificate(url: string, caPem: string, timeoutMs: number, service: 'qps' | 'qrs' = 'qps'): Promise<ServerCertificateInfo> {
  const { host, port, servername } = targetOf(url);
  const ctx = context(url, timeoutMs, service);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername, ca: caPem, rejectUnauthorized: true });
    let settled = false;
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      action();
    };
    const timer = setTimeout(() => finish(() => reject(transportError(ctx, { kind: 'timeout', message: 'handshake timed out' }))), timeoutMs);
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      const info: ServerCertificateInfo = {
        subject: formatDistinguishedName(peer.subject as unknown as Record<string, string>),
        issuer: formatDistinguishedName(peer.issuer as unknown as Record<string, string>),
        altNames: parseAltNames(peer.subjectaltname),
        validTo: peer.valid_to,
        protocol: socket.getProtocol() ?? 'TLS',
      };
      finish(() => resolve(info));
    });
    socket.once('error', (err) => {
      const failure = classifyTransport(err);
      finish(() => {
        if (failure.kind === 'untrusted' || failure.kind === 'altname') {
          void readPeerCertificate(url, timeoutMs).then((peer) => {
            const pinned = describeCertificate(caPem)?.subject;
            reject(failure.kind === 'altname' ? hostMismatch(ctx, failure, peer) : untrustedServerCert(ctx, failure, peer, pinned));
          });
        } else if (failure.kind === 'alert' || failure.kind === 'closed') {
          // OpenSSL checks the server's certificate as soon as it arrives, so an alert or close after
          // that is the server asking for the client certificate we did not send: its own one passed.
          void readPeerCertificate(url, timeoutMs).then((peer) =>
            resolve({
              subject: peer?.subject ?? '(not read)',
              issuer: peer?.issuer ?? '',
              altNames: peer?.altNames ?? [],
              validTo: peer?.validTo ?? '',
              protocol: 'TLS',
            }),
          );
        } else {
          reject(transportError(ctx, failure));
        }
      });
    });
  });
}
