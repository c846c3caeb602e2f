// The session inspector's full refresh on a 3-node, 300-virtual-proxy site holding 2,000 sessions: QRS
// discovery, 900 QPS listings and the model (grouping, counts, warnings), timed as a person waits for it
// (a fresh connection each run, so TLS handshakes count). Also the renderer's share of a refresh: the
// table's lines and the visible window over 2,000 sessions, which run on every scroll.
import { QlikConnection } from '../electron/core/qlik';
import { buildInspectorModel, gatherSessions, RowKeys } from '../electron/core/sessions/session-inspector';
import { generateSite } from '../electron/simulator/demo-site';
import { Simulator } from '../electron/simulator/simulator';
import { createSitePki } from '../electron/simulator/site-pki';
import { inspectorLines, visibleWindow } from '../shared/sessions';
import { pkiConnectionOptions } from './site';
import { median } from './stats';

export interface InspectorFigures {
  /** Median full refresh (gather + model), ms. */
  ms: number;
  firstRunMs: number;
  /** Median of the model alone, ms. */
  modelMs: number;
  /** Median of the renderer's lines + window for the whole table, ms. */
  rendererWindowMs: number;
  sessions: number;
  users: number;
  nodeVirtualProxyPairs: number;
  runs: number;
}

export async function benchInspector(runs: number, totalSessions = 2000): Promise<InspectorFigures> {
  const pki = createSitePki('usher-bench-inspector-CA');
  // 400 users: five sessions each, every user at the limit, so the model builds its warnings too.
  const sim = await Simulator.start({ site: generateSite({ nodes: 3, virtualProxies: 300, users: 400 }), pki });
  try {
    sim.nodes.forEach((node, i) =>
      sim.state.seedSessions(node.nodeId, Math.floor(totalSessions / sim.nodes.length) + (i < totalSessions % sim.nodes.length ? 1 : 0)),
    );
    const keys = new RowKeys();
    const totals: number[] = [];
    const models: number[] = [];
    const windows: number[] = [];
    let sessions = 0;
    let users = 0;
    let pairs = 0;
    for (let i = 0; i < runs; i++) {
      const connection = new QlikConnection(pkiConnectionOptions(pki));
      const started = performance.now();
      const gathered = await gatherSessions(connection, sim.nodes[0]!.qrs);
      const modelStarted = performance.now();
      const { view } = buildInspectorModel({
        profileId: 'bench',
        gathered,
        holders: new Map(),
        createdDigests: new Set(),
        rowKeys: keys,
        now: new Date(),
        durationMs: 0,
      });
      const done = performance.now();
      totals.push(done - started);
      models.push(done - modelStarted);
      await connection.close();
      if (view.failures.length > 0) throw new Error(`inspector refresh failed on ${view.failures.length} pairs: ${view.failures[0]!.message}`);
      sessions = view.totalSessions;
      users = view.groups.length;
      pairs = view.pairs;

      const w = performance.now();
      const lines = inspectorLines(view.groups);
      // One window per screenful down the table, as a scroll through it would compute.
      for (let top = 0; top < lines.length * 34; top += 34 * 16) visibleWindow(lines.length, 34, top, 34 * 16);
      windows.push(performance.now() - w);
    }
    return {
      ms: median(totals),
      firstRunMs: totals[0]!,
      modelMs: median(models),
      rendererWindowMs: median(windows),
      sessions,
      users,
      nodeVirtualProxyPairs: pairs,
      runs,
    };
  } finally {
    await sim.stop();
  }
}
