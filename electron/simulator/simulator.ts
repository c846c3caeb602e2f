// Starts a simulated Qlik Sense site: per node, a proxy front end (HTTPS, browsers), a QPS (mutual TLS)
// and a QRS (mutual TLS + X-Qlik-User), all on loopback (where: node-addresses.ts), sharing one SiteState.
import https from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SiteObserver } from '../../shared/module-validation';
import { demoSite } from './demo-site';
import { FaultInjector, type FaultSettings } from './faults';
import { createEnginePort } from './engine/engine-port';
import { EngineRoom } from './engine/engine-room';
import type { UpgradeHandler } from './engine/upgrade-util';
import type { Handler } from './http-util';
import { createProxyAuth } from './proxy-auth';
import { createProxyHandler } from './proxy-frontend';
import { createProxyUpgrade } from './proxy-upgrade';
import { createQpsHandler } from './qps';
import { createQrsHandler } from './qrs';
import {
  ADDRESS_RANGES,
  AddressTakenError,
  AddressUnavailableError,
  PROXY_FALLBACK_PORT,
  STANDARD_PORTS,
  placeNodes,
  portFor,
  type Addressing,
  type PlacedNode,
  type PortPlan,
} from './node-addresses';
import type { NodeContext, NodeEndpoints } from './node-context';
import type { SiteDescription } from './site';
import { createSitePki, type SitePki } from './site-pki';
import { SiteState, systemClock, type Clock } from './state';

export interface SimulatorOptions {
  site?: SiteDescription;
  /** An already loaded PKI (several simulators in one test run can share one). */
  pki?: SitePki;
  clock?: Clock;
  faults?: Partial<FaultSettings>;
  /** Instrumentation (the module validator): told what QPS and the proxy saw. Absent = no cost. */
  observer?: SiteObserver;
  /** Default `localhost` (in-process sites); `usher simulate` puts each node on its own address. */
  addressing?: Addressing;
  /** Default `ephemeral`; `standard` is Qlik's 443, 4243, 4242 (a site file's ports win). */
  ports?: PortPlan;
  /** With `per-node` addressing, the range tried first: nodes on 127.0.{range}.x (default 0). */
  addressRange?: number;
}

export type { NodeContext, NodeEndpoints } from './node-context';

const LOOPBACK_V6 = '::1';

type ServerOptions = https.ServerOptions;

function listenOnce(server: Server, port: number, address: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Listens on `address` (loopback only: the simulated site is never reachable from another machine) and,
 * for 127.0.0.1 where the machine has IPv6, on ::1 at the same port, so that `localhost` works whichever
 * address a client's resolver returns first. Failures name the address: taken, or not on this machine.
 */
async function listenLoopback(
  options: ServerOptions,
  handler: Handler,
  address: string,
  port: number,
  picked: boolean,
  upgrade?: UpgradeHandler,
): Promise<{ servers: Server[]; port: number }> {
  const listener = (req: Parameters<Handler>[0], res: Parameters<Handler>[1]): void => {
    void handler(req, res);
  };
  const v4 = https.createServer(options, listener);
  try {
    await listenOnce(v4, port, address);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new AddressTakenError(address, port, picked);
    if (code === 'EADDRNOTAVAIL') throw new AddressUnavailableError(address);
    throw err;
  }
  const actual = (v4.address() as AddressInfo).port;
  const servers = [v4];
  if (address === '127.0.0.1') {
    const v6 = https.createServer(options, listener);
    if (
      await listenOnce(v6, actual, LOOPBACK_V6).then(
        () => true,
        () => false,
      )
    )
      servers.push(v6);
  }
  for (const server of servers) {
    if (upgrade) server.on('upgrade', upgrade);
    // A QPS under load keeps connections open for pooled clients, as IIS-fronted Qlik nodes do.
    server.keepAliveTimeout = 30_000;
    server.headersTimeout = 20_000;
  }
  return { servers, port: actual };
}

export class Simulator {
  private readonly servers: Server[] = [];
  private readonly endpointList: NodeEndpoints[] = [];
  private sweepTimer?: NodeJS.Timeout;
  private readonly closers: Array<() => void> = [];
  readonly engine: EngineRoom;

  private constructor(
    readonly site: SiteDescription,
    readonly state: SiteState,
    readonly faults: FaultInjector,
    readonly pki: SitePki,
    private readonly observer?: SiteObserver,
  ) {
    this.engine = new EngineRoom(site, state);
  }

  /** Lines worth telling whoever started the site (a port that had to move). */
  readonly notes: string[] = [];

  /**
   * Starts every node. With `per-node` addressing, nodes whose addresses the site file leaves out take
   * 127.0.0.x; when one of those is taken (another simulated site), the whole site moves to the next
   * range (127.0.1.x, ...) and says so in `notes`, rather than colliding silently.
   */
  static async start(options: SimulatorOptions = {}): Promise<Simulator> {
    const addressing = options.addressing ?? 'localhost';
    const pki = options.pki ?? createSitePki();
    const first = options.addressRange ?? 0;
    for (let range = first; ; range++) {
      const site = placeNodes(options.site ?? demoSite(), addressing, range);
      const sim = new Simulator(site, new SiteState(site, options.clock ?? systemClock), new FaultInjector(options.faults), pki, options.observer);
      try {
        for (const node of site.nodes) await sim.startNode(node, options.ports ?? 'ephemeral');
      } catch (err) {
        await sim.stop();
        if (err instanceof AddressTakenError && err.picked && range + 1 < first + ADDRESS_RANGES && range < 255) continue;
        throw err;
      }
      if (range > first) sim.notes.push(`the addresses 127.0.${first}.x were taken; this site's nodes listen on 127.0.${range}.x`);
      sim.sweepTimer = setInterval(() => sim.state.expireInactive(), 60_000);
      sim.sweepTimer.unref();
      return sim;
    }
  }

  /** The proxy on Qlik's 443 where the process may bind it, else on PROXY_FALLBACK_PORT (said in `notes`). */
  private async listenProxy(
    node: PlacedNode,
    options: ServerOptions,
    handler: Handler,
    plan: PortPlan,
    picked: boolean,
    upgrade: UpgradeHandler,
  ): Promise<{ servers: Server[]; port: number }> {
    const port = portFor(node, 'proxy', plan);
    try {
      return await listenLoopback(options, handler, node.address, port, picked, upgrade);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EACCES' || port !== STANDARD_PORTS.proxy || node.proxyPort !== undefined) throw err;
      const note = `port ${port} needs privileges this process lacks; the proxies listen on ${PROXY_FALLBACK_PORT} instead`;
      if (!this.notes.includes(note)) this.notes.push(note);
      return listenLoopback(options, handler, node.address, PROXY_FALLBACK_PORT, picked, upgrade);
    }
  }

  private async startNode(node: PlacedNode, plan: PortPlan): Promise<void> {
    // A node on its own address is named by its host name and that address. A localhost node's certificate
    // names `localhost` only, so calling it as 127.0.0.1 shows the host-name mismatch a real site gives.
    const server = this.pki.serverFor(node.hostName, node.address === '127.0.0.1' ? undefined : node.address);
    const endpoints: NodeEndpoints = {
      nodeId: node.id,
      name: node.name,
      hostName: node.hostName,
      address: node.address,
      hub: '',
      qps: '',
      qrs: '',
      engine: '',
      proxyPort: 0,
      qpsPort: 0,
      qrsPort: 0,
      enginePort: 0,
    };
    const ctx: NodeContext = {
      state: this.state,
      faults: this.faults,
      engine: this.engine,
      node,
      observer: this.observer,
      endpoints: () => endpoints,
      allEndpoints: () => this.endpointList,
    };
    const tlsBase: ServerOptions = { cert: server.certPem, key: server.keyPem };
    // QPS and QRS demand a client certificate signed by the site CA: anything else fails the handshake.
    const mutual: ServerOptions = { ...tlsBase, ca: this.pki.ca.certPem, requestCert: true, rejectUnauthorized: true };
    const picked = node.addressPicked;

    const proxyUpgrade = createProxyUpgrade(ctx, createProxyAuth(ctx));
    const enginePort = createEnginePort(ctx);
    this.closers.push(proxyUpgrade.close, enginePort.close);
    // The node's listen set: one server per service, each on the node's address (STANDARD_PORTS).
    const proxy = await this.listenProxy(node, tlsBase, createProxyHandler(ctx), plan, picked, proxyUpgrade.upgrade);
    this.servers.push(...proxy.servers);
    const qps = await listenLoopback(mutual, createQpsHandler(ctx), node.address, portFor(node, 'qps', plan), picked);
    this.servers.push(...qps.servers);
    const qrs = await listenLoopback(mutual, createQrsHandler(ctx), node.address, portFor(node, 'qrs', plan), picked);
    this.servers.push(...qrs.servers);
    const engine = await listenLoopback(mutual, enginePort.request, node.address, portFor(node, 'engine', plan), picked, enginePort.upgrade);
    this.servers.push(...engine.servers);
    const observer = this.observer;
    if (observer?.onQpsRequest) {
      // A client without a trusted certificate never reaches the handler: only the handshake failure
      // tells the validator that a module called QPS without (or with the wrong) client certificate.
      for (const s of qps.servers) {
        s.on('tlsClientError', (err: Error & { code?: string; reason?: string }) => {
          observer.onQpsRequest?.({ kind: 'handshake-failed', at: Date.now(), code: err.code ?? 'TLS_ERROR', reason: err.reason ?? err.message });
        });
      }
    }
    // As a URL parser writes them: `https://host` on 443, `https://host:port` elsewhere.
    const base = (port: number): string => new URL(`https://${node.hostName}:${port}`).origin;
    Object.assign(endpoints, {
      hub: base(proxy.port),
      qps: base(qps.port),
      qrs: base(qrs.port),
      engine: `wss://${node.hostName}:${engine.port}`,
      proxyPort: proxy.port,
      qpsPort: qps.port,
      qrsPort: qrs.port,
      enginePort: engine.port,
    });
    this.endpointList.push(endpoints);
  }

  get nodes(): NodeEndpoints[] {
    return [...this.endpointList];
  }

  /** A node by id or name. */
  node(idOrName: string): NodeEndpoints {
    const found = this.endpointList.find((n) => n.nodeId === idOrName || n.name === idOrName);
    if (!found) throw new Error(`the simulated site has no node "${idOrName}"`);
    return found;
  }

  async stop(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.engine.stop();
    for (const close of this.closers.splice(0)) close();
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
    this.servers.length = 0;
  }
}
