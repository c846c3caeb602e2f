// Where each node of a simulated site listens. A real multi-node site has one machine per node, each with
// its own name and Qlik's standard ports, so a client that lists the nodes in QRS and calls each node's
// `hostName` on 4243 reaches that node. The simulator gives every node its own loopback address for that
// (node n of the site file on 127.0.0.(n+1), n counted from 1, leaving 127.0.0.1 to the machine's other
// services); in-process sites may instead share localhost on ephemeral ports.
import type { NodeDescription, SiteDescription } from './site';

/**
 * `per-node`: each node on its own loopback address, its host name that address unless the site file
 * names one (then map it in a hosts file). `localhost`: every node on 127.0.0.1 and ::1, called
 * `localhost` unless named.
 */
export type Addressing = 'per-node' | 'localhost';

/** `standard`: Qlik's ports; `ephemeral`: free ports picked at start (tests, in-process sites). */
export type PortPlan = 'standard' | 'ephemeral';

/** The services a node listens for, and Qlik's default port for each. */
export const STANDARD_PORTS = { proxy: 443, qps: 4243, qrs: 4242, engine: 4747 } as const;
export type NodeService = keyof typeof STANDARD_PORTS;

/** Where the proxy listens when 443 needs privileges the process lacks. */
export const PROXY_FALLBACK_PORT = 4443;

/** How many address ranges (127.0.R.x) a site tries before saying every one is taken. */
export const ADDRESS_RANGES = 16;

/** A node's address and port are held by something else (often another simulated site). */
export class AddressTakenError extends Error {
  override name = 'AddressTakenError';
  constructor(
    readonly address: string,
    readonly port: number,
    /** True when the address was picked from a range: the next range may be free. */
    readonly picked: boolean,
  ) {
    super(
      `${address}:${port} is already taken (another simulated site, or another server on this machine)` +
        (picked ? '' : ': stop it, or give the nodes other addresses or ports in the site file'),
    );
  }
}

/** A node's loopback address cannot be used on this machine (macOS has only 127.0.0.1 until aliased). */
export class AddressUnavailableError extends Error {
  override name = 'AddressUnavailableError';
  constructor(readonly address: string) {
    super(
      `${address} is not an address of this machine; on macOS add it with "sudo ifconfig lo0 alias ${address} up" ` +
        '(Linux and Windows answer on all of 127.0.0.0/8)',
    );
  }
}

/** Node `index` (from 0) in address range `range`: 127.0.{range}.{index + 2}. */
export function perNodeAddress(range: number, index: number): string {
  if (index > 252) throw new RangeError('a simulated site holds at most 253 nodes on its own addresses');
  return `127.0.${range}.${index + 2}`;
}

/**
 * A node with the address it listens on and the host name QRS and its certificate give it. An address
 * picked from a range may move to the next range when taken; one the site file gave is the user's to fix.
 */
export type PlacedNode = NodeDescription & { address: string; hostName: string; addressPicked: boolean };

export interface PlacedSite extends SiteDescription {
  nodes: PlacedNode[];
}

/** The site with every node placed: addresses and host names filled as `addressing` says. */
export function placeNodes(site: SiteDescription, addressing: Addressing, range: number): PlacedSite {
  const nodes = site.nodes.map((node, index): PlacedNode => {
    const named = node.hostName !== '' ? node.hostName : undefined;
    const address = node.address ?? (addressing === 'localhost' || named?.toLowerCase() === 'localhost' ? '127.0.0.1' : perNodeAddress(range, index));
    const addressPicked = node.address === undefined && address !== '127.0.0.1';
    return { ...node, address, addressPicked, hostName: named ?? (address === '127.0.0.1' ? 'localhost' : address) };
  });
  return { ...site, nodes };
}

/** The port `service` of `node` listens on: the site file's, else Qlik's standard or a free one. */
export function portFor(node: NodeDescription, service: NodeService, plan: PortPlan): number {
  const given = { proxy: node.proxyPort, qps: node.qpsPort, qrs: node.qrsPort, engine: node.enginePort }[service];
  return given ?? (plan === 'standard' ? STANDARD_PORTS[service] : 0);
}
