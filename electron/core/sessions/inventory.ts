// Every concurrent session of a site: QRS says which proxy nodes exist and which virtual proxies each
// links; sessions live per node, so each node's QPS is asked once per linked virtual proxy, in parallel
// with a bound so a 300-virtual-proxy site does not open hundreds of sockets at once.
import { formatUser, type UserRef } from '../../../shared/user';
import type { ProxyServiceConfig, QlikConnection, QpsSession } from '../qlik';
import { proxyServiceUrls, QlikError } from '../qlik';

/** Where one node's QPS answers, and the virtual proxies (by prefix) its proxy links. */
export interface NodeTarget {
  nodeName: string;
  hostName: string;
  qpsBaseUrl: string;
  prefixes: string[];
}

export interface SessionEntry extends QpsSession {
  nodeName: string;
  hostName: string;
  qpsBaseUrl: string;
  prefix: string;
}

/** A node/virtual proxy pair that could not be listed; the rest of the inventory still stands. */
export interface InventoryFailure {
  nodeName: string;
  prefix: string;
  code: string;
  message: string;
}

export interface Inventory {
  nodes: NodeTarget[];
  sessions: SessionEntry[];
  failures: InventoryFailure[];
}

export interface InventoryOptions {
  /** Parallel QPS calls at most; the default suits a site of a few nodes. */
  concurrency?: number;
  /** Called after each node/virtual proxy pair, for progress display. */
  onProgress?: (done: number, total: number) => void;
}

/** The nodes and their linked virtual proxies, as the QRS proxy services describe them. */
export function nodeTargets(services: ProxyServiceConfig[]): NodeTarget[] {
  return services.map((service) => ({
    nodeName: service.serverNodeConfiguration.name,
    hostName: service.serverNodeConfiguration.hostName,
    qpsBaseUrl: proxyServiceUrls(service).qps,
    prefixes: [...new Set(service.settings.virtualProxies.map((vp) => vp.prefix))],
  }));
}

/** How many node/virtual proxy pairs an inventory asks: one QPS call each. */
export function pairCount(nodes: readonly NodeTarget[]): number {
  return nodes.reduce((n, node) => n + node.prefixes.length, 0);
}

export async function discoverNodes(connection: QlikConnection, qrsBaseUrl: string): Promise<NodeTarget[]> {
  return nodeTargets(await connection.qrs(qrsBaseUrl).proxyServices());
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function mapWithConcurrency<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  // Filled by index as the work finishes, in any order: results[i] belongs to items[i].
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

type PairQuery = (connection: QlikConnection, node: NodeTarget, prefix: string) => Promise<QpsSession[]>;

async function collect(connection: QlikConnection, nodes: NodeTarget[], query: PairQuery, options: InventoryOptions): Promise<Inventory> {
  const pairs = nodes.flatMap((node) => node.prefixes.map((prefix) => ({ node, prefix })));
  const sessions: SessionEntry[] = [];
  const failures: InventoryFailure[] = [];
  let done = 0;
  await mapWithConcurrency(pairs, options.concurrency ?? 16, async ({ node, prefix }) => {
    try {
      for (const session of await query(connection, node, prefix)) {
        sessions.push({ ...session, nodeName: node.nodeName, hostName: node.hostName, qpsBaseUrl: node.qpsBaseUrl, prefix });
      }
    } catch (err) {
      if (!(err instanceof QlikError)) throw err;
      failures.push({ nodeName: node.nodeName, prefix, code: err.code, message: err.message });
    } finally {
      options.onProgress?.(++done, pairs.length);
    }
  });
  const order = (s: SessionEntry): string => `${s.nodeName}\u0000${s.prefix}\u0000${formatUser(s)}\u0000${s.sessionId}`;
  sessions.sort((a, b) => order(a).localeCompare(order(b)));
  return { nodes, sessions, failures };
}

/** Every session on every node and virtual proxy. */
export function listAllSessions(connection: QlikConnection, nodes: NodeTarget[], options: InventoryOptions = {}): Promise<Inventory> {
  return collect(connection, nodes, (c, node, prefix) => c.qps(node.qpsBaseUrl, prefix).listSessions(), options);
}

/** One user's sessions on every node and virtual proxy. */
export function listUserSessions(connection: QlikConnection, nodes: NodeTarget[], user: UserRef, options: InventoryOptions = {}): Promise<Inventory> {
  return collect(connection, nodes, (c, node, prefix) => c.qps(node.qpsBaseUrl, prefix).userSessions(user.userDirectory, user.userId), options);
}

/** Ends one user's sessions everywhere; returns the sessions that were ended. */
export function endUserSessions(connection: QlikConnection, nodes: NodeTarget[], user: UserRef, options: InventoryOptions = {}): Promise<Inventory> {
  return collect(connection, nodes, (c, node, prefix) => c.qps(node.qpsBaseUrl, prefix).deleteUserSessions(user.userDirectory, user.userId), options);
}
