// Starts a simulated Qlik Sense site: per node, a proxy front end (HTTPS, browsers), a QPS (mutual TLS)
// and a QRS (mutual TLS + X-Qlik-User), all on loopback, all sharing one SiteState.
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
import type { NodeDescription, SiteDescription } from './site';
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
}

export interface NodeEndpoints {
  nodeId: string;
  name: string;
  hostName: string;
  /** Base URLs, `https://host:port`. */
  hub: string;
  qps: string;
  qrs: string;
  /** The engine port (`wss://host:port/app/...`, client certificate + X-Qlik-User). */
  engine: string;
  proxyPort: number;
  qpsPort: number;
  qrsPort: number;
  enginePort: number;
}

/** What each node's handlers know about the site they belong to. */
export interface NodeContext {
  state: SiteState;
  faults: FaultInjector;
  /** The site's engines: sessions over WebSocket, and the files their exports wrote. */
  engine: EngineRoom;
  node: NodeDescription;
  observer?: SiteObserver;
  /** This node's addresses (known once the site listens). */
  endpoints(): NodeEndpoints;
  /** Every node's addresses, for the QRS proxy-service list. */
  allEndpoints(): NodeEndpoints[];
}

/** Loopback only: the simulated site is never reachable from another machine. */
const LOOPBACK_V4 = '127.0.0.1';
const LOOPBACK_V6 = '::1';

type ServerOptions = https.ServerOptions;

/**
 * Listens on 127.0.0.1 and, where the machine has IPv6, on ::1 at the same port, so that `localhost`
 * works whichever address a client's resolver returns first.
 */
async function listenLoopback(options: ServerOptions, handler: Handler, port: number, upgrade?: UpgradeHandler): Promise<{ servers: Server[]; port: number }> {
  const listener = (req: Parameters<Handler>[0], res: Parameters<Handler>[1]): void => {
    void handler(req, res);
  };
  const v4 = https.createServer(options, listener);
  await new Promise<void>((resolve, reject) => {
    v4.once('error', reject);
    v4.listen(port, LOOPBACK_V4, () => {
      v4.off('error', reject);
      resolve();
    });
  });
  const actual = (v4.address() as AddressInfo).port;
  const servers = [v4];
  const v6 = https.createServer(options, listener);
  const v6Ok = await new Promise<boolean>((resolve) => {
    v6.once('error', () => resolve(false));
    v6.listen(actual, LOOPBACK_V6, () => resolve(true));
  });
  if (v6Ok) servers.push(v6);
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

  static async start(options: SimulatorOptions = {}): Promise<Simulator> {
    const site = options.site ?? demoSite();
    const pki = options.pki ?? createSitePki();
    const sim = new Simulator(site, new SiteState(site, options.clock ?? systemClock), new FaultInjector(options.faults), pki, options.observer);
    try {
      for (const node of site.nodes) await sim.startNode(node);
    } catch (err) {
      await sim.stop();
      throw err;
    }
    sim.sweepTimer = setInterval(() => sim.state.expireInactive(), 60_000);
    sim.sweepTimer.unref();
    return sim;
  }

  private async startNode(node: NodeDescription): Promise<void> {
    const server = this.pki.serverFor(node.hostName);
    const endpoints: NodeEndpoints = {
      nodeId: node.id,
      name: node.name,
      hostName: node.hostName,
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

    const proxyUpgrade = createProxyUpgrade(ctx, createProxyAuth(ctx));
    const enginePort = createEnginePort(ctx);
    this.closers.push(proxyUpgrade.close, enginePort.close);
    const proxy = await listenLoopback(tlsBase, createProxyHandler(ctx), node.proxyPort ?? 0, proxyUpgrade.upgrade);
    const qps = await listenLoopback(mutual, createQpsHandler(ctx), node.qpsPort ?? 0);
    const qrs = await listenLoopback(mutual, createQrsHandler(ctx), node.qrsPort ?? 0);
    const engine = await listenLoopback(mutual, enginePort.request, node.enginePort ?? 0, enginePort.upgrade);
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
    this.servers.push(...proxy.servers, ...qps.servers, ...qrs.servers, ...engine.servers);
    Object.assign(endpoints, {
      hub: `https://${node.hostName}:${proxy.port}`,
      qps: `https://${node.hostName}:${qps.port}`,
      qrs: `https://${node.hostName}:${qrs.port}`,
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
