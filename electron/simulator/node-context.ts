// What each node's handlers (proxy front end, QPS, QRS, engine port) are given about the site they
// belong to, apart from simulator.ts, which builds it and imports every handler.
import type { SiteObserver } from '../../shared/module-validation';
import type { EngineRoom } from './engine/engine-room';
import type { FaultInjector } from './faults';
import type { NodeDescription } from './site';
import type { SiteState } from './state';

export interface NodeEndpoints {
  nodeId: string;
  name: string;
  hostName: string;
  /** The loopback address its services listen on. */
  address: string;
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
