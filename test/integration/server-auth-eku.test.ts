// A site-CA certificate whose extended key usage is clientAuth only must never be accepted as a server's:
// OpenSSL refuses it (so Node and curl do), and every Usher path that pins the site CA must agree and say
// why. Real certificates made at test time, real handshakes against a TLS server on loopback.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserClient } from '../../electron/core/browser/browser-client';
import { verifyServerCertificate } from '../../electron/core/checks/server-certificate';
import { pinOrigin } from '../../electron/hosts/chromium-pinning';
import { fixtures, issueCustom, type KeyAndCert } from '../support/cert-fixtures';

const servers: Server[] = [];

async function serve(cert: KeyAndCert): Promise<string> {
  const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (_req, res) => res.end('ok'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('a server certificate without serverAuth', () => {
  const ca = fixtures.ca();
  let clientOnlyUrl: string;
  let serverAuthUrl: string;

  beforeAll(async () => {
    clientOnlyUrl = await serve(issueCustom(ca, { commonName: 'qlik-central', altNames: ['127.0.0.1'], eku: { clientAuth: true } }));
    serverAuthUrl = await serve(issueCustom(ca, { commonName: 'qlik-central', altNames: ['127.0.0.1'], eku: { serverAuth: true } }));
  });

  const wrongPurpose = {
    message: expect.stringMatching(/not for TLS servers: its extended key usage lacks serverAuth/),
    hint: expect.stringMatching(/serverAuth/),
  };

  it('is refused by the trust check, naming the purpose', async () => {
    await expect(verifyServerCertificate(serverAuthUrl, ca.certPem, 5_000)).resolves.toMatchObject({ subject: 'CN=qlik-central' });
    await expect(verifyServerCertificate(clientOnlyUrl, ca.certPem, 5_000)).rejects.toMatchObject({ code: 'UNTRUSTED_SERVER_CERT', ...wrongPurpose });
  });

  it('is refused by the chromium host pinning, so Chromium is never told to trust its key', async () => {
    await expect(pinOrigin(serverAuthUrl, ca.certPem, 5_000)).resolves.toMatchObject({ origin: new URL(serverAuthUrl).origin });
    await expect(pinOrigin(clientOnlyUrl, ca.certPem, 5_000)).rejects.toMatchObject({ code: 'UNTRUSTED_SERVER_CERT', ...wrongPurpose });
  });

  it('is refused by the browser client (login and module probes)', async () => {
    const client = new BrowserClient({ ca: ca.certPem, timeoutMs: 5_000 });
    await expect(client.get(serverAuthUrl)).resolves.toMatchObject({ status: 200 });
    await expect(client.get(clientOnlyUrl)).rejects.toMatchObject({ code: 'UNTRUSTED_CERT', ...wrongPurpose });
  });
});
