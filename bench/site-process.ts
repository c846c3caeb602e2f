// A simulated site in a process of its own, for the figures that must not share a process with their
// client: engine calls, held engine sessions (the site's RSS per session) and tickets per second.
// Prints one JSON line (addresses, and the in-memory PKI's CA and client certificate: a pipe, never a
// file), then answers lines on stdin: `memory` (after a full GC), `cpu` (ms used so far), `stats`, `exit`.
import { createInterface } from 'node:readline';
import { generateSite } from '../electron/simulator/demo-site';
import { Simulator } from '../electron/simulator/simulator';
import { createSitePki } from '../electron/simulator/site-pki';

async function run(): Promise<void> {
  const pki = createSitePki('usher-bench-engine-CA');
  // One node, the default virtual proxy, many users (no user near Qlik's five-session limit).
  const sim = await Simulator.start({ site: { ...generateSite({ nodes: 1, virtualProxies: 1, users: 1200 }), maxParallelSessionsPerUser: 5 }, pki });
  const node = sim.nodes[0]!;
  process.stdout.write(
    `${JSON.stringify({ hub: node.hub, qps: node.qps, engine: node.engine, ca: pki.ca.certPem, cert: pki.client.certPem, key: pki.client.keyPem })}\n`,
  );
  const gc = (globalThis as { gc?: () => void }).gc;
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'memory') {
      gc?.();
      gc?.();
      const m = process.memoryUsage();
      process.stdout.write(`${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, gc: Boolean(gc) })}\n`);
    } else if (line === 'cpu') {
      const c = process.cpuUsage();
      process.stdout.write(`${JSON.stringify({ cpuMs: (c.user + c.system) / 1000 })}\n`);
    } else if (line === 'stats') {
      process.stdout.write(`${JSON.stringify(sim.engine.stats())}\n`);
    } else if (line === 'exit') {
      break;
    }
  }
  await sim.stop();
}

run().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`site process: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
