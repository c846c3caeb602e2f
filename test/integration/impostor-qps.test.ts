// The validator's impostor QPS: on QPS's own host name, with a certificate that names that host and is
// issued by another CA carrying the site CA's name. Only a client that checks the signature against
// root.pem tells it apart; one that checks names (host, issuer) alone is fooled, as the probe intends.
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImpostorQps, ValidationSite } from '../../electron/core/validator/types';
import { startValidationSite } from '../../electron/simulator/validation-site';
import { testPki } from '../support/test-site';

let site: ValidationSite;
let impostor: ImpostorQps;

beforeAll(async () => {
  site = await startValidationSite({ moduleUrl: 'https://127.0.0.1:9/login', observer: {}, pki: testPki() });
  impostor = await site.startImpostorQps();
});

afterAll(async () => {
  await impostor?.close();
  await site?.close();
});

/** The certificate the impostor presents, and whether a handshake trusting `ca` got through. */
function handshake(ca: string | undefined): Promise<{ cert: X509Certificate; error?: string }> {
  const url = new URL(impostor.proxyRestUri);
  return new Promise((resolve) => {
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), servername: url.hostname, ...(ca ? { ca } : { rejectUnauthorized: false }) });
    socket.once('secureConnect', () => {
      resolve({ cert: socket.getPeerX509Certificate()! });
      socket.destroy();
    });
    socket.once('error', (err: Error & { code?: string }) => resolve({ cert: undefined as never, error: err.code ?? err.message }));
  });
}

describe('the impostor QPS', () => {
  it("sits on QPS's host name with a certificate for it, issued by a look-alike of the site CA", async () => {
    const qps = new URL(site.proxyRestUri);
    const fake = new URL(impostor.proxyRestUri);
    expect(fake.hostname).toBe(qps.hostname);
    expect(fake.port).not.toBe(qps.port);
    expect(fake.pathname).toBe(qps.pathname);
    const { cert } = await handshake(undefined);
    expect(cert.checkHost(qps.hostname)).toBe(qps.hostname);
    const siteCa = new X509Certificate(site.caPem);
    expect(cert.issuer).toBe(siteCa.subject);
    expect(cert.verify(siteCa.publicKey)).toBe(false);
    expect(impostor.certificate).toEqual({ subject: `CN=${qps.hostname}`, issuer: siteCa.subject });
  });

  it('is refused by a client that trusts root.pem, and records nothing of it but the connection', async () => {
    const before = impostor.seen();
    expect((await handshake(site.caPem)).error).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const after = impostor.seen();
    expect(after.connections).toBeGreaterThan(before.connections);
    expect(after.requests).toEqual([]);
  });
});
