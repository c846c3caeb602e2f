// Every node on its own address, as a third-party client sees a real multi-node site: it reads the proxy
// services from QRS, then calls each node's hostName on the QPS port with the exported certificates
// (plain node:https here, not Usher's client), and must reach that node - its sessions, its certificate.
import { X509Certificate, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runTrustCheck } from '../../electron/core/checks/trust-check';
import { QlikConnection } from '../../electron/core/qlik';
import { discoverNodes, listAllSessions } from '../../electron/core/sessions/inventory';
import { generateSite } from '../../electron/simulator/demo-site';
import { AddressTakenError, AddressUnavailableError, PROXY_FALLBACK_PORT, STANDARD_PORTS } from '../../electron/simulator/node-addresses';
import { parseSiteDescription } from '../../electron/simulator/site';
import { writeQmcExport } from '../../electron/simulator/site-pki';
import type { Simulator } from '../../electron/simulator/simulator';
import { randomAlphanumeric } from '../../electron/simulator/state';
import { startTestSite } from '../support/test-site';

interface Exported {
  cert: string;
  key: string;
  ca: string;
}

interface Answer {
  status: number;
  json: unknown;
  peer: X509Certificate;
}

/** One call as any Qlik client makes it: xrfkey in query and header, the QMC export's certificates. */
function qlikCall(files: Exported, url: string, init: { method?: string; body?: unknown; qrs?: boolean } = {}): Promise<Answer> {
  const key = randomAlphanumeric(16);
  const target = new URL(url);
  target.searchParams.set('xrfkey', key);
  const headers: Record<string, string> = { 'X-Qlik-Xrfkey': key };
  if (init.qrs) headers['X-Qlik-User'] = 'UserDirectory=INTERNAL; UserId=sa_repository';
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
  if (payload) headers['Content-Type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = https.request(
      target,
      { method: init.method ?? 'GET', headers, ca: files.ca, cert: files.cert, key: files.key, agent: false, timeout: 10_000 },
      (res) => {
        const peer = new X509Certificate((res.socket as TLSSocket).getPeerCertificate().raw);
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        const isJson = (res.headers['content-type'] ?? '').startsWith('application/json');
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: isJson ? (JSON.parse(text) as unknown) : text, peer }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('three nodes, each on its own loopback address with Qlik ports', () => {
  let sim: Simulator;
  let files: Exported;
  const sessionByNode = new Map<string, string>();

  beforeAll(async () => {
    sim = await startTestSite({ site: generateSite({ nodes: 3, virtualProxies: 1 }), addressing: 'per-node', ports: 'standard' });
    const dir = join(mkdtempSync(join(tmpdir(), 'usher-multinode-')), 'export');
    writeQmcExport(sim.pki, dir);
    files = {
      cert: readFileSync(join(dir, 'client.pem'), 'utf8'),
      key: readFileSync(join(dir, 'client_key.pem'), 'utf8'),
      ca: readFileSync(join(dir, 'root.pem'), 'utf8'),
    };
    // A session on each node, made through that node's own QPS.
    for (const node of sim.nodes) {
      const sessionId = randomUUID();
      const made = await qlikCall(files, `https://${node.address}:${STANDARD_PORTS.qps}/qps/session`, {
        method: 'POST',
        body: { UserDirectory: 'GEN', UserId: `user-on-${node.name}`, SessionId: sessionId },
      });
      // Set-up, not a test: a refused session stops the suite here with what QPS said.
      if (made.status !== 201) throw new Error(`QPS of ${node.name} refused the session: ${made.status} ${JSON.stringify(made.json)}`);
      sessionByNode.set(node.name, sessionId);
    }
  });

  it('puts every node on its own 127.x address, with the QPS on 4243 and the QRS on 4242', () => {
    const addresses = sim.nodes.map((n) => n.address);
    expect(new Set(addresses).size).toBe(3);
    for (const node of sim.nodes) {
      expect(node.address).toMatch(/^127\.0\.\d+\.\d+$/);
      expect(node.address).not.toBe('127.0.0.1');
      expect(node.hostName).toBe(node.address);
      expect([node.qpsPort, node.qrsPort]).toEqual([4243, 4242]);
      expect(node.qps).toBe(`https://${node.hostName}:4243`);
    }
  });

  it("lists each node's own sessions when asked at each hostName:4243 found in QRS", async () => {
    const services = await qlikCall(files, `${sim.nodes[0]!.qrs}/qrs/proxyservice/full`, { qrs: true });
    expect(services.status).toBe(200);
    const list = services.json as Array<{ serverNodeConfiguration: { name: string; hostName: string }; settings: { restListenPort: number } }>;
    expect(list).toHaveLength(3);
    const seen = new Map<string, string[]>();
    for (const service of list) {
      const { hostName, name } = service.serverNodeConfiguration;
      expect(service.settings.restListenPort).toBe(4243);
      const answer = await qlikCall(files, `https://${hostName}:${service.settings.restListenPort}/qps/session`);
      expect(answer.status).toBe(200);
      seen.set(
        name,
        (answer.json as Array<{ SessionId: string }>).map((s) => s.SessionId),
      );
      // The node's certificate names its QRS hostName (and address), so host verification passed above.
      expect(answer.peer.subjectAltName).toContain(`IP Address:${hostName}`);
    }
    for (const node of sim.nodes) expect(seen.get(node.name), node.name).toEqual([sessionByNode.get(node.name)]);
  });

  it("Usher's own inventory finds each session on its node by the same route", async () => {
    const connection = new QlikConnection({ ca: files.ca, client: { certPem: files.cert, keyPem: files.key } });
    try {
      const nodes = await discoverNodes(connection, sim.nodes[0]!.qrs);
      expect(nodes.map((n) => n.qpsBaseUrl)).toEqual(sim.nodes.map((n) => `https://${n.address}:4243`));
      const inventory = await listAllSessions(connection, nodes);
      expect(inventory.failures).toEqual([]);
      const byNode = Object.fromEntries(sim.nodes.map((n) => [n.name, inventory.sessions.filter((e) => e.nodeName === n.name).map((e) => e.sessionId)]));
      expect(byNode).toEqual(Object.fromEntries(sim.nodes.map((n) => [n.name, [sessionByNode.get(n.name)]])));
    } finally {
      await connection.close();
    }
  });

  it('ends a session on the node that holds it, and only there', async () => {
    const [first, second] = sim.nodes;
    const id = sessionByNode.get(first!.name)!;
    expect((await qlikCall(files, `${second!.qps}/qps/session/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await qlikCall(files, `${first!.qps}/qps/session/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect(sim.state.listSessions(first!.nodeId)).toEqual([]);
  });
});

describe("Usher's trust check on the demo site laid out as usher simulate lays it out", () => {
  it('walks every step green, the ticket redeemed on the node found in QRS', async () => {
    const sim = await startTestSite({ addressing: 'per-node', ports: 'standard' });
    const central = sim.node('central');
    const set = { certPem: sim.pki.client.certPem, keyPem: sim.pki.client.keyPem, caPem: sim.pki.ca.certPem, source: { kind: 'pem' as const, files: [] } };
    const result = await runTrustCheck({
      certificates: { from: 'set', set, origin: 'the test' },
      qps: central.qps,
      qrs: central.qrs,
      timeoutMs: 5000,
      ticketTest: { user: { userDirectory: 'DEMO', userId: 'alice' }, virtualProxy: 'ticket' },
    });
    expect(result.steps.map((step) => `${step.id}:${step.status}`)).toEqual([
      'files:pass',
      'chain:pass',
      'tcp:pass',
      'server-cert:pass',
      'client-cert:pass',
      'qrs:pass',
      'discovery:warn',
      'ticket:pass',
    ]);
    expect(result.nodes?.map((n) => n.hostName)).toEqual(sim.nodes.map((n) => n.address));
  });
});

/** Makes `listen` fail with `code` where `matches`, as the operating system would; every other listen works. */
function failListen(matches: (port: unknown, address: unknown) => boolean, code: string): void {
  const listen = Server.prototype.listen;
  vi.spyOn(Server.prototype, 'listen').mockImplementation(function (this: Server, ...args: unknown[]) {
    if (matches(args[0], args[1])) {
      process.nextTick(() => this.emit('error', Object.assign(new Error(`listen ${code}`), { code })));
      return this;
    }
    return (listen as (...a: unknown[]) => Server).apply(this, args);
  });
}

describe('where 443 needs privileges', () => {
  afterEach(() => vi.restoreAllMocks());

  it('puts the proxies on 4443 and says so in one line', async () => {
    // As a process without the right to bind 443 sees it (this suite may run as root).
    failListen((port) => port === 443, 'EACCES');
    const sim = await startTestSite({ site: generateSite({ nodes: 2, virtualProxies: 1 }), addressing: 'per-node', ports: 'standard' });
    expect(sim.nodes.map((n) => n.proxyPort)).toEqual([PROXY_FALLBACK_PORT, PROXY_FALLBACK_PORT]);
    expect(sim.nodes.map((n) => n.qpsPort)).toEqual([4243, 4243]);
    // Said once for the site (a second line says so when the site moved to another address range).
    expect(sim.notes.filter((note) => note.startsWith('port 443'))).toEqual([
      `port 443 needs privileges this process lacks; the proxies listen on ${PROXY_FALLBACK_PORT} instead`,
    ]);
  });
});

describe('where a loopback address is not on this machine (macOS without aliases)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('refuses, naming the address and how to add it', async () => {
    failListen((_port, address) => address === '127.0.250.2', 'EADDRNOTAVAIL');
    const err = await startTestSite({ site: parseSiteDescription({ nodes: [{ id: 'n1', address: '127.0.250.2' }] }), addressing: 'per-node' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AddressUnavailableError);
    expect((err as Error).message).toBe(
      '127.0.250.2 is not an address of this machine; on macOS add it with "sudo ifconfig lo0 alias 127.0.250.2 up" (Linux and Windows answer on all of 127.0.0.0/8)',
    );
  });
});

describe('two sites on one machine', () => {
  let blocker: Server;
  afterAll(() => blocker?.close());

  it('moves a second site to the next free address range and says so', async () => {
    // A range of their own (200), so that sites of other test files running meanwhile cannot interfere.
    const options = { site: generateSite({ nodes: 2, virtualProxies: 1 }), addressing: 'per-node', ports: 'standard', addressRange: 200 } as const;
    const first = await startTestSite(options);
    const second = await startTestSite(options);
    expect(first.nodes.map((n) => n.address)).toEqual(['127.0.200.2', '127.0.200.3']);
    expect(second.nodes.map((n) => n.address)).toEqual(['127.0.201.2', '127.0.201.3']);
    expect(first.notes).toEqual([]);
    expect(second.notes).toEqual(["the addresses 127.0.200.x were taken; this site's nodes listen on 127.0.201.x"]);
  });

  it('refuses, naming the address, when an address the site file gave is taken', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.9.2', resolve));
    const port = (blocker.address() as { port: number }).port;
    const site = parseSiteDescription({ nodes: [{ id: 'n1', address: '127.0.9.2', proxyPort: port }] });
    const err = await startTestSite({ site }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AddressTakenError);
    expect((err as Error).message).toContain(`127.0.9.2:${port} is already taken`);
    expect((err as Error).message).toContain('give the nodes other addresses or ports in the site file');
  });
});
