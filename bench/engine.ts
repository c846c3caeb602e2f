// (i) The engine over WebSocket and (c) tickets, against a site in another process (bench/site-process.ts),
// so the client's own work never counts against the site: engine calls per second over one socket and
// over 50 (GetLayout of a hypercube with delta on, as enigma.js calls it, a fixed number in flight per
// socket), 1,000 engine sessions held at once (the site's RSS added per session, after a full GC), and
// tickets per second served to a pooled client.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import WebSocket from 'ws';
import { QlikConnection } from '../electron/core/qlik';
import { mapWithConcurrency } from '../electron/core/sessions/inventory';
import { round } from './stats';

interface SiteInfo {
  hub: string;
  qps: string;
  engine: string;
  ca: string;
  cert: string;
  key: string;
}

interface SiteProcess {
  info: SiteInfo;
  ask<T>(command: string): Promise<T>;
  stop(): Promise<void>;
}

const TIMEOUT_MS = 30_000;

function nextLine(lines: Interface, child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the site process did not answer within 30 s')), TIMEOUT_MS);
    const onExit = (code: number | null) => reject(new Error(`the site process exited (${code})`));
    child.once('exit', onExit);
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(line);
    });
  });
}

async function startSiteProcess(): Promise<SiteProcess> {
  const child = spawn(process.execPath, ['--expose-gc', '-r', 'tsx/cjs', join(__dirname, 'site-process.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const info = JSON.parse(await nextLine(lines, child)) as SiteInfo;
  return {
    info,
    async ask<T>(command: string): Promise<T> {
      const answer = nextLine(lines, child);
      child.stdin!.write(`${command}\n`);
      return JSON.parse(await answer) as T;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin!.write('exit\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A raw JSON-RPC client on one socket: many calls in flight, answered by id. */
class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
      if (message.id === undefined) return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
    ws.on('close', () => {
      for (const w of this.pending.values()) w.reject(new Error('socket closed'));
      this.pending.clear();
    });
  }

  static open(url: string, ca: string): Promise<EngineClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { ca, perMessageDeflate: false, handshakeTimeout: TIMEOUT_MS });
      ws.once('open', () => resolve(new EngineClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  call(handle: number, method: string, params: unknown = [], delta = false): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, handle, method, params, ...(delta ? { delta: true } : {}) }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

const HYPERCUBE = {
  qInfo: { qType: 'bench-table' },
  qHyperCubeDef: {
    qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
    qMeasures: [{ qDef: { qDef: 'Sum(Value)' } }],
    qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: 2, qHeight: 20 }],
  },
};

/** A socket with the app open and a hypercube object made: what a mashup holds. */
async function openEngineSession(site: SiteProcess, connection: QlikConnection, user: number): Promise<{ client: EngineClient; object: number }> {
  const { ticket } = await connection.qps(site.info.qps, '').requestTicket({ userDirectory: 'GEN', userId: `user${user}` });
  const client = await EngineClient.open(`${site.info.hub.replace('https://', 'wss://')}/app/app-1?qlikTicket=${ticket}`, site.info.ca);
  const doc = await client.call(-1, 'OpenDoc', ['app-1']);
  const object = await client.call(doc.qReturn.qHandle, 'CreateSessionObject', [HYPERCUBE]);
  return { client, object: object.qReturn.qHandle };
}

/**
 * Calls per second over `sessions`, each keeping `inFlight` GetLayout calls (delta on) going for `ms`,
 * and the site's CPU time per call (what the rate would be with a core to itself, whatever else the
 * machine runs).
 */
async function callRate(
  site: SiteProcess,
  sessions: Array<{ client: EngineClient; object: number }>,
  inFlight: number,
  ms: number,
): Promise<{ rate: number; siteCpuUsPerCall: number }> {
  // Warm-up: the first GetLayout of each socket sends the whole layout, later ones only the patches.
  await Promise.all(sessions.map((s) => s.client.call(s.object, 'GetLayout', [], true)));
  let calls = 0;
  const cpuBefore = await site.ask<{ cpuMs: number }>('cpu');
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    sessions.flatMap((s) =>
      Array.from({ length: inFlight }, async () => {
        while (performance.now() < deadline) {
          await s.client.call(s.object, 'GetLayout', [], true);
          calls++;
        }
      }),
    ),
  );
  const rate = (calls / (performance.now() - started)) * 1000;
  const cpuAfter = await site.ask<{ cpuMs: number }>('cpu');
  return { rate, siteCpuUsPerCall: ((cpuAfter.cpuMs - cpuBefore.cpuMs) * 1000) / calls };
}

async function ticketRate(
  site: SiteProcess,
  connection: QlikConnection,
  concurrency: number,
  ms: number,
): Promise<{ ticketsPerSecond: number; served: number; siteCpuUsPerTicket: number }> {
  const client = connection.qps(site.info.qps, '');
  const user = { userDirectory: 'GEN', userId: 'user1' };
  await mapWithConcurrency(Array.from({ length: concurrency * 4 }), concurrency, () => client.requestTicket(user));
  let served = 0;
  const cpuBefore = await site.ask<{ cpuMs: number }>('cpu');
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await client.requestTicket(user);
        served++;
      }
    }),
  );
  const ticketsPerSecond = (served / (performance.now() - started)) * 1000;
  const cpuAfter = await site.ask<{ cpuMs: number }>('cpu');
  return { ticketsPerSecond, served, siteCpuUsPerTicket: ((cpuAfter.cpuMs - cpuBefore.cpuMs) * 1000) / served };
}

export interface EngineFigures {
  oneSocketCallsPerSecond: number;
  /** The site process's CPU time per call, µs (1e6 / this = calls per second on one free core). */
  oneSocketSiteCpuUsPerCall: number;
  fiftySocketsCallsPerSecond: number;
  fiftySocketsSiteCpuUsPerCall: number;
  inFlightPerSocket: number;
  heldSessions: number;
  heldSessionsOpenMs: number;
  siteRssAddedMb: number;
  siteRssPerSessionKb: number;
  siteHeapPerSessionKb: number;
  engineSessionsCounted: number;
  ticketsPerSecondCrossProcess: number;
  ticketsServed: number;
  siteCpuUsPerTicket: number;
  ticketConcurrency: number;
}

export async function benchEngine(quick: boolean): Promise<EngineFigures> {
  const site = await startSiteProcess();
  const connection = new QlikConnection({ ca: site.info.ca, client: { certPem: site.info.cert, keyPem: site.info.key } });
  const opened: Array<{ client: EngineClient; object: number }> = [];
  try {
    const ms = quick ? 1000 : 4000;
    const inFlight = 16;
    const one = await openEngineSession(site, connection, 1);
    opened.push(one);
    const oneRate = await callRate(site, [one], inFlight, ms);
    const fifty = [one];
    for (let i = 2; i <= 50; i++) fifty.push(await openEngineSession(site, connection, i));
    opened.push(...fifty.slice(1));
    const fiftyRate = await callRate(site, fifty, inFlight, ms);
    for (const s of opened.splice(0)) s.client.close();
    await new Promise((r) => setTimeout(r, 500));

    const held = quick ? 100 : 1000;
    const before = await site.ask<{ rss: number; heapUsed: number }>('memory');
    const started = performance.now();
    const users = Array.from({ length: held }, (_, i) => i + 100);
    opened.push(...(await mapWithConcurrency(users, 25, (user) => openEngineSession(site, connection, user))));
    // Each holds a computed layout, as a mashup's open objects do.
    await mapWithConcurrency(opened, 50, (s) => s.client.call(s.object, 'GetLayout', [], true));
    const openMs = performance.now() - started;
    const stats = await site.ask<{ sessions: number; sockets: number }>('stats');
    const after = await site.ask<{ rss: number; heapUsed: number }>('memory');
    const tickets = await ticketRate(site, connection, 32, quick ? 1500 : 5000);
    return {
      oneSocketCallsPerSecond: round(oneRate.rate, 0),
      oneSocketSiteCpuUsPerCall: round(oneRate.siteCpuUsPerCall, 1),
      fiftySocketsCallsPerSecond: round(fiftyRate.rate, 0),
      fiftySocketsSiteCpuUsPerCall: round(fiftyRate.siteCpuUsPerCall, 1),
      inFlightPerSocket: inFlight,
      heldSessions: held,
      heldSessionsOpenMs: round(openMs, 0),
      siteRssAddedMb: round((after.rss - before.rss) / 1024 / 1024, 1),
      siteRssPerSessionKb: round((after.rss - before.rss) / 1024 / held, 1),
      siteHeapPerSessionKb: round((after.heapUsed - before.heapUsed) / 1024 / held, 1),
      engineSessionsCounted: stats.sessions,
      ticketsPerSecondCrossProcess: round(tickets.ticketsPerSecond, 0),
      ticketsServed: tickets.served,
      siteCpuUsPerTicket: round(tickets.siteCpuUsPerTicket, 1),
      ticketConcurrency: 32,
    };
  } finally {
    for (const s of opened) s.client.close();
    await connection.close();
    await site.stop();
  }
}

export function engineRows(e: EngineFigures): Array<[string, string, string]> {
  return [
    [
      '(i) engine calls, one socket',
      `${e.oneSocketCallsPerSecond}/s`,
      `GetLayout of a hypercube, delta on, ${e.inFlightPerSocket} in flight; site in its own process, ${e.oneSocketSiteCpuUsPerCall} µs CPU per call there; aim >= 10000`,
    ],
    [
      '(i) engine calls, 50 sockets',
      `${e.fiftySocketsCallsPerSecond}/s`,
      `${e.inFlightPerSocket} in flight per socket; ${e.fiftySocketsSiteCpuUsPerCall} µs site CPU per call; aim >= 10000`,
    ],
    [
      `(i) ${e.heldSessions} engine sessions held`,
      `${e.siteRssAddedMb} MB`,
      `site RSS added (${e.siteRssPerSessionKb} KB per session, heap ${e.siteHeapPerSessionKb} KB); each a ticket, a socket, an open app and a hypercube; opened in ${e.heldSessionsOpenMs} ms; aim < 200 MB`,
    ],
    [
      '(c) tickets per second, client in another process',
      `${e.ticketsPerSecondCrossProcess}/s`,
      `${e.ticketConcurrency} in flight, pooled client; ${e.siteCpuUsPerTicket} µs site CPU per ticket; aim >= 3000`,
    ],
  ];
}
