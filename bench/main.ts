// The benchmark: (a) ticket round trips through the pooled client against one new TLS connection per
// request, (b) listing every session of a 300-virtual-proxy, 3-node site, (c) tickets per second the
// simulated site serves to a client in another process, (d-f) the console in Chromium, (g) many isolated
// partitions, (h) the `usher` command from start to exit, (i) the engine over WebSocket. Prints a table;
// `--json FILE` also writes the figures.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { QlikConnection, type ConnectionOptions } from '../electron/core/qlik';
import { discoverNodes, listAllSessions } from '../electron/core/sessions/inventory';
import { demoSite, generateSite } from '../electron/simulator/demo-site';
import { Simulator } from '../electron/simulator/simulator';
import { createSitePki } from '../electron/simulator/site-pki';
import { benchCli, cliRows } from './cli';
import { benchConsole, consoleRows } from './console';
import { benchEngine, engineRows } from './engine';
import { benchInspector } from './inspector';
import { benchPartitions, partitionRows } from './partitions';
import { pkiConnectionOptions } from './site';
import { median, round, summarise, type LatencySummary } from './stats';

const USER = { userDirectory: 'BENCH', userId: 'runner' };

async function ticketLoop(options: ConnectionOptions, qps: string, count: number): Promise<LatencySummary> {
  const connection = new QlikConnection(options);
  try {
    const client = connection.qps(qps, '');
    // Warm-up outside the measurement: module loading, JIT, the pooled connection's first handshake.
    for (let i = 0; i < 20; i++) await client.requestTicket(USER);
    const durations: number[] = [];
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      await client.requestTicket(USER);
      durations.push(performance.now() - t);
    }
    return summarise(durations, performance.now() - started);
  } finally {
    await connection.close();
  }
}

async function pooledVsPerConnection(rounds: number) {
  const sim = await Simulator.start({ site: demoSite() });
  try {
    const base = pkiConnectionOptions(sim.pki);
    const qps = sim.node('central').qps;
    const pooled = await ticketLoop({ ...base, pooled: true }, qps, rounds);
    const perConnection = await ticketLoop({ ...base, pooled: false }, qps, Math.max(50, Math.round(rounds / 5)));
    return { pooled, perConnection, ratio: pooled.ratePerSecond / perConnection.ratePerSecond };
  } finally {
    await sim.stop();
  }
}

async function inventory(runs: number, sessionsPerNode: number) {
  const pki = createSitePki('usher-bench-CA');
  const sim = await Simulator.start({ site: generateSite({ nodes: 3, virtualProxies: 300, users: 200 }), pki });
  try {
    for (const node of sim.nodes) sim.state.seedSessions(node.nodeId, sessionsPerNode);
    const times: number[] = [];
    let sessions = 0;
    let pairs = 0;
    for (let i = 0; i < runs; i++) {
      // A fresh connection each run: the figure includes discovery and the TLS handshakes a user waits for.
      const connection = new QlikConnection(pkiConnectionOptions(pki));
      const started = performance.now();
      const nodes = await discoverNodes(connection, sim.nodes[0]!.qrs);
      const result = await listAllSessions(connection, nodes);
      times.push(performance.now() - started);
      await connection.close();
      if (result.failures.length > 0) throw new Error(`inventory failed on ${result.failures.length} pairs: ${result.failures[0]!.message}`);
      sessions = result.sessions.length;
      pairs = nodes.reduce((n, node) => n + node.prefixes.length, 0);
    }
    return { ms: median(times), firstMs: times[0]!, sessions, pairs, runs };
  } finally {
    await sim.stop();
  }
}

interface Measured {
  a: Awaited<ReturnType<typeof pooledVsPerConnection>>;
  b: Awaited<ReturnType<typeof inventory>>;
  inspector: Awaited<ReturnType<typeof benchInspector>>;
  engine: Awaited<ReturnType<typeof benchEngine>>;
  d: Awaited<ReturnType<typeof benchConsole>>;
  g: Awaited<ReturnType<typeof benchPartitions>>;
  h: Awaited<ReturnType<typeof benchCli>>;
}

/** The figures written with --json, rounded as they print. */
function figuresOf({ a, b, inspector, engine, d, g, h }: Measured) {
  return {
    ticketPooledVsPerConnection: {
      pooled: { ratePerSecond: round(a.pooled.ratePerSecond, 0), p50Ms: round(a.pooled.p50Ms), p99Ms: round(a.pooled.p99Ms), count: a.pooled.count },
      perConnection: {
        ratePerSecond: round(a.perConnection.ratePerSecond, 0),
        p50Ms: round(a.perConnection.p50Ms),
        p99Ms: round(a.perConnection.p99Ms),
        count: a.perConnection.count,
      },
      ratio: round(a.ratio),
    },
    inventory: { ms: round(b.ms, 0), firstRunMs: round(b.firstMs, 0), sessions: b.sessions, nodeVirtualProxyPairs: b.pairs, runs: b.runs },
    inspector: {
      ms: round(inspector.ms, 0),
      firstRunMs: round(inspector.firstRunMs, 0),
      modelMs: round(inspector.modelMs),
      rendererWindowMs: round(inspector.rendererWindowMs),
      sessions: inspector.sessions,
      users: inspector.users,
      nodeVirtualProxyPairs: inspector.nodeVirtualProxyPairs,
      runs: inspector.runs,
    },
    simulatorTicketsPerSecond: engine.ticketsPerSecondCrossProcess,
    simulatorThroughput: {
      served: engine.ticketsServed,
      concurrency: engine.ticketConcurrency,
      siteCpuUsPerTicket: engine.siteCpuUsPerTicket,
      client: 'separate process',
    },
    engine,
    console: d,
    partitions: g,
    cli: h,
  };
}
type Figures = ReturnType<typeof figuresOf>;

/** The rows of the protocol sections: (a) ticket round trips, (b) the inventory, (b2) the session inspector. */
function protocolRows(figures: Pick<Figures, 'ticketPooledVsPerConnection' | 'inventory' | 'inspector'>): Array<[string, string, string]> {
  return [
    [
      '(a) ticket, pooled client',
      `${figures.ticketPooledVsPerConnection.pooled.ratePerSecond}/s`,
      `p50 ${figures.ticketPooledVsPerConnection.pooled.p50Ms} ms, p99 ${figures.ticketPooledVsPerConnection.pooled.p99Ms} ms`,
    ],
    [
      '(a) ticket, new TLS connection each',
      `${figures.ticketPooledVsPerConnection.perConnection.ratePerSecond}/s`,
      `p50 ${figures.ticketPooledVsPerConnection.perConnection.p50Ms} ms, p99 ${figures.ticketPooledVsPerConnection.perConnection.p99Ms} ms`,
    ],
    ['(a) ratio pooled / per connection', `${figures.ticketPooledVsPerConnection.ratio}x`, 'aim >= 5'],
    [
      '(b) inventory, 3 nodes x 300 vps',
      `${figures.inventory.ms} ms`,
      `median of ${figures.inventory.runs}; ${figures.inventory.sessions} sessions, ${figures.inventory.nodeVirtualProxyPairs} QPS calls; aim < 1000 ms`,
    ],
    [
      '(b2) session inspector refresh to data',
      `${figures.inspector.ms} ms`,
      `median of ${figures.inspector.runs}; ${figures.inspector.sessions} sessions of ${figures.inspector.users} users, ${figures.inspector.nodeVirtualProxyPairs} QPS calls; model ${figures.inspector.modelMs} ms, table window ${figures.inspector.rendererWindowMs} ms; aim < 1000 ms`,
    ],
  ];
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'string' }, quick: { type: 'boolean' } } });
  const quick = values.quick ?? false;
  process.stderr.write('bench: (a) pooled vs per-connection ticket round trips...\n');
  const a = await pooledVsPerConnection(quick ? 200 : 1000);
  process.stderr.write('bench: (b) inventory of a 3-node, 300-virtual-proxy site...\n');
  const b = await inventory(quick ? 3 : 5, 3000);
  process.stderr.write('bench: (b2) session inspector refresh, 3 nodes x 300 vps, 2,000 sessions...\n');
  const inspector = await benchInspector(quick ? 3 : 5);
  process.stderr.write(`bench: (c, i) tickets and the engine, site in its own process (${quick ? 100 : 1000} engine sessions held)...\n`);
  const engine = await benchEngine(quick);
  // --- the desktop console (bench/console.ts): bundle size and the chromium host's timings ---
  process.stderr.write('bench: (d-f) the console in Chromium...\n');
  const d = await benchConsole(quick ? 2 : 5);
  process.stderr.write(`bench: (g) ${quick ? 4 : 20} isolated partitions, a ticket each...\n`);
  const g = await benchPartitions(quick ? 4 : 20);
  process.stderr.write('bench: (h) the usher command, start to exit...\n');
  const h = await benchCli(quick ? 3 : 10);

  const figures = figuresOf({ a, b, inspector, engine, d, g, h });

  const rows: Array<[string, string, string]> = [...protocolRows(figures), ...engineRows(engine), ...consoleRows(d), ...partitionRows(g), ...cliRows(h)];
  const width = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  process.stdout.write(rows.map((r) => `${r[0].padEnd(width[0]!)}  ${r[1].padStart(width[1]!)}  ${r[2]}`).join('\n') + '\n');
  if (values.json) {
    writeFileSync(values.json, JSON.stringify(figures, null, 2) + '\n');
    process.stdout.write(`figures written to ${values.json}\n`);
  }
  return 0;
}
