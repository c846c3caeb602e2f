// An impostor of a node's QPS for the module validator: same host name and address, a certificate from
// another CA that carries the site CA's very name. It asks for a client certificate (a module that does
// not verify the server hands it the site's QlikClient certificate too) and records what reaches it; it
// never issues a ticket.
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ImpostorQps, ImpostorRequest } from '../core/validator/types';
import { CertificateAuthority, type KeyAndCert } from './pki';

const MAX_BODY = 64 * 1024;
const MAX_RECORDED = 100;

export interface ImpostorTarget {
  hostName: string;
  /** The address QPS listens on; 127.0.0.1 also means ::1 (a `localhost` node answers on both). */
  address: string;
  /** The site CA, whose name the impostor's CA copies. */
  siteCaPem: string;
  prefix: string;
}

function commonName(name: string): string {
  return name.split('\n').find((part) => part.startsWith('CN=')) ?? name.replace(/\n/g, ', ');
}

function userOf(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const dir = json.UserDirectory ?? json.userDirectory;
    const id = json.UserId ?? json.userId;
    return typeof dir === 'string' && typeof id === 'string' ? `${dir}\\${id}` : undefined;
  } catch {
    return undefined;
  }
}

function listen(server: https.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

const PORT_ATTEMPTS = 5;

/**
 * Listens where QPS does: its address, and for a `localhost` node ::1 too on the same port, since a module
 * may resolve `localhost` to either. A port free on one and taken on the other is given up for another.
 */
async function listenLikeQps(make: () => https.Server, address: string): Promise<{ servers: https.Server[]; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const v4 = make();
    await listen(v4, 0, address);
    const port = (v4.address() as AddressInfo).port;
    if (address !== '127.0.0.1') return { servers: [v4], port };
    const v6 = make();
    if (
      await listen(v6, port, '::1').then(
        () => true,
        () => false,
      )
    )
      return { servers: [v4, v6], port };
    // No ::1 on this machine at all, or the port is taken there: after a few tries, IPv4 alone.
    if (attempt >= PORT_ATTEMPTS) return { servers: [v4], port };
    await new Promise<void>((resolve) => v4.close(() => resolve()));
  }
}

/**
 * The impostor's look-alike CA and server certificate, made once per process for each site CA name and
 * set of names (the host name first, which is also the certificate's common name): two RSA keys cost a
 * second of CPU on a small machine, and every validator run starts an impostor. What the probe shows
 * needs another key under the site CA's name, not a new key each run; the certificates are valid for
 * 825 days, longer than any process runs.
 */
const impostors = new Map<string, KeyAndCert>();

function impostorCertificate(siteCaName: string, altNames: string[]): KeyAndCert {
  const key = JSON.stringify([siteCaName, altNames]);
  let made = impostors.get(key);
  if (!made) {
    made = CertificateAuthority.create({ commonName: siteCaName }).issueServer({ commonName: altNames[0]!, altNames });
    impostors.set(key, made);
  }
  return made;
}

export async function startImpostorQps(target: ImpostorTarget): Promise<ImpostorQps> {
  const siteCaName = commonName(new X509Certificate(target.siteCaPem).subject).replace(/^CN=/, '');
  const altNames = target.address === target.hostName ? [target.hostName] : [target.hostName, target.address];
  const server = impostorCertificate(siteCaName, altNames);
  const requests: ImpostorRequest[] = [];
  let connections = 0;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (body.length < MAX_BODY) body += chunk;
    });
    req.on('end', () => {
      const record: ImpostorRequest = { at: Date.now(), method: req.method ?? '?', path: new URL(req.url ?? '/', 'https://impostor.invalid').pathname };
      const user = userOf(body);
      if (user) record.user = user;
      if (peer && peer.subject)
        record.clientCertificate = Object.entries(peer.subject)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ');
      if (requests.length < MAX_RECORDED) requests.push(record);
      res.writeHead(403, { 'Content-Type': 'text/plain' });
      res.end('not a Qlik Sense proxy');
    });
  };
  const options = { cert: server.certPem, key: server.keyPem, requestCert: true, rejectUnauthorized: false };
  const { servers, port } = await listenLikeQps(() => https.createServer(options, onRequest), target.address);
  for (const s of servers) s.on('connection', () => connections++);

  const cert = new X509Certificate(server.certPem);
  return {
    proxyRestUri: `${new URL(`https://${target.hostName}:${port}`).origin}/qps/${target.prefix}/`,
    certificate: { subject: commonName(cert.subject), issuer: commonName(cert.issuer) },
    seen: () => ({ connections, requests: [...requests] }),
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      ).then(() => undefined),
  };
}
