// The authentication-module probe: one deadline for the whole GET, the TLS handshake included, and no
// socket left behind when it passes.
import { once } from 'node:events';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModuleProbe, type ModuleProbe } from '../../electron/core/checks/module-probe';
import { demoSite } from '../../electron/simulator/demo-site';
import { startModuleStandIn } from '../support/module-stand-in';
import { testPki } from '../support/test-site';

// Long enough that a live answer beats it on a loaded machine (CI shares two cores with parallel test
// files), short enough that the two dead-server cases stay quick.
const LIMIT_MS = 2_000;
const SIDE_BY_SIDE_LIMIT_MS = 8_000;
const pki = testPki();
const serverCert = pki.serverFor('localhost');
const servers: net.Server[] = [];
/** Server-side sockets by server, so a test can see the probe drop them. */
const accepted = new Map<net.Server, net.Socket[]>();

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  accepted.set(server, []);
  server.on(server instanceof tls.Server ? 'secureConnection' : 'connection', (socket: net.Socket) => {
    accepted.get(server)!.push(socket);
    // Read (and ignore) what the client sends, so its hang-up is seen as 'end' then 'close'.
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

let stalledHandshake: net.Server;
let silentAfterHandshake: tls.Server;
let ports: { stalled: number; silent: number; redirecting: number; failing: number; closed: number };

beforeAll(async () => {
  // Accepts TCP and never says a word: the client's ClientHello goes unanswered.
  stalledHandshake = net.createServer(() => undefined);
  // Completes the TLS handshake, then never answers the request.
  silentAfterHandshake = tls.createServer({ cert: serverCert.certPem, key: serverCert.keyPem }, () => undefined);
  const redirecting = https.createServer({ cert: serverCert.certPem, key: serverCert.keyPem }, (_req, res) => {
    res.writeHead(302, { Location: '/login/form' }).end();
  });
  const failing = https.createServer({ cert: serverCert.certPem, key: serverCert.keyPem }, (_req, res) => {
    res.writeHead(502).end('bad gateway');
  });
  const closedServer = net.createServer();
  ports = {
    stalled: await listen(stalledHandshake),
    silent: await listen(silentAfterHandshake),
    redirecting: await listen(redirecting),
    failing: await listen(failing),
    closed: await listen(closedServer),
  };
  await new Promise<void>((resolve) => closedServer.close(() => resolve()));
});

afterAll(async () => {
  for (const sockets of accepted.values()) for (const s of sockets) s.destroy();
  await Promise.all(servers.filter((s) => s.listening).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** Resolves when every socket `server` accepted so far has been closed by the other side. */
async function allClosed(server: net.Server): Promise<void> {
  await Promise.all(accepted.get(server)!.map((s) => (s.destroyed || s.closed ? undefined : once(s, 'close'))));
}

/** Runs `body` with a fresh probe and closes it afterwards, whatever happens. */
async function withProbe(options: Parameters<typeof createModuleProbe>[0], body: (probe: ModuleProbe) => Promise<void>): Promise<void> {
  const probe = createModuleProbe(options);
  try {
    await body(probe);
  } finally {
    await probe.close();
  }
}

describe('module probe', () => {
  // Before the fix the stalled handshake came back as undici's UND_ERR_CONNECT_TIMEOUT: the abort did not cover it.
  it.each([
    ['never completes the TLS handshake', () => stalledHandshake, () => ports.stalled],
    ['completes the handshake but never answers', () => silentAfterHandshake, () => ports.silent],
  ])('reports a server that %s as not answering within the limit, and drops the socket', (_what, server, port) =>
    withProbe({ caPem: pki.ca.certPem, timeoutMs: LIMIT_MS }, async (probe) => {
      expect(await probe.probe(`https://localhost:${port()}/usher-auth/login`)).toBe(`no answer within ${LIMIT_MS} ms`);
      expect(accepted.get(server())!.length).toBeGreaterThan(0);
      // The probe's own socket is gone once it has answered: nothing keeps the caller waiting afterwards.
      await allClosed(server());
    }),
  );

  it('runs probes side by side: a dead module does not spoil the answer of a live one', () =>
    // A longer limit: the live answers must come in before it even when the machine is at its busiest.
    withProbe({ caPem: pki.ca.certPem, timeoutMs: SIDE_BY_SIDE_LIMIT_MS }, async (probe) => {
      const [dead, live, failing, refused] = await Promise.all([
        probe.probe(`https://localhost:${ports.stalled}/login`),
        probe.probe(`https://localhost:${ports.redirecting}/login`),
        probe.probe(`https://localhost:${ports.failing}/login`),
        probe.probe(`https://127.0.0.1:${ports.closed}/login`),
      ]);
      expect(dead).toBe(`no answer within ${SIDE_BY_SIDE_LIMIT_MS} ms`);
      // A redirect to the module's login form is an answer; it is not followed.
      expect(live).toBeUndefined();
      expect(failing).toBe('HTTP 502');
      expect(refused).toBe('connection refused');
    }));

  it('checks the module certificate: without the site CA a site-issued certificate is not trusted', () =>
    withProbe({ timeoutMs: 5_000 }, async (probe) => {
      expect(await probe.probe(`https://localhost:${ports.redirecting}/login`)).toMatch(/^its certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/);
    }));
});

// Files of every project run at the same time and share one site CA (USHER_SITE_CERTS), so a module
// stand-in on the demo module's own address answered, trusted, for the checks of the demo site running
// beside it (console.e2e, cli-check, console-backend): /ticket's module-unreachable went missing, "17 errors".
describe('the module stand-in of the tests that follow the proxy to the module', () => {
  it("answers at an address of its own: the demo site's module still does not answer beside it", async () => {
    const standIn = await startModuleStandIn(pki);
    const demoModule = demoSite().virtualProxies.find((vp) => vp.prefix === 'ticket')!.authenticationModuleRedirectUri;
    try {
      await withProbe({ caPem: pki.ca.certPem, timeoutMs: LIMIT_MS }, async (probe) => {
        expect(await probe.probe(standIn.uri)).toBeUndefined();
        expect(await probe.probe(demoModule)).toEqual(expect.any(String));
      });
    } finally {
      await standIn.close();
    }
  });
});
