// (g) Many isolated partitions at once: the console backend with the chromium host (headless) opens N
// new in-memory partitions one after another, each redeeming its own ticket through `tickets.open` (what
// the console's "Open" calls), and every one must end in an established session. Reported: the total
// time for the N (ticket requests included), the time of each open (median, p95, and the first, which
// also launches the partition browser), and memory: the Chromium process tree (the partition browser
// and all its descendants, from /proc) and the Node process's own heap and RSS.
//
// Memory of the tree is the sum of Pss (smaps_rollup) when readable, else VmRSS; both sums are kept.
// Pss splits each shared page among the processes mapping it, so it does not count Chromium's shared
// code N times as RSS does; but it also splits with any other Chromium running on the machine (the file
// pages of the binary), so under a concurrent Chromium it reads lower. The partition browser only starts
// with the first partition, so "before" is zero: per partition is reported both as the marginal cost
// ((after N - after the first) / (N - 1)) and amortised (after N / N, the browser's base included).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createConsoleBackend } from '../electron/app/console-backend';
import { DEMO_PROFILE_ID } from '../electron/core/profiles/demo-profile';
import { MemoryKeychain } from '../electron/core/vault';
import { ChromiumHost } from '../electron/hosts/chromium-host';
import { findChromium } from '../electron/hosts/chromium-launch';
import { median, percentile, round } from './stats';

/** The demo site's users. Qlik allows five parallel sessions per user: the bench opens at most 4 each. */
const USERS = [
  { userDirectory: 'MASHUP', userId: 'a1-sales' },
  { userDirectory: 'MASHUP', userId: 'a2-finance' },
  { userDirectory: 'MASHUP', userId: 'a3-hr' },
  { userDirectory: 'DEMO', userId: 'alice' },
  { userDirectory: 'DEMO', userId: 'bob' },
] as const;
const MAX_PER_USER = 4;

export interface TreeMemory {
  processes: number;
  rssKb: number;
  /** Absent when smaps_rollup cannot be read (another user's processes, or not Linux). */
  pssKb?: number;
}

export interface PartitionFigures {
  /** Absent when no Chrome/Chromium/Edge is installed, or not on Linux (/proc). */
  partitions?: number;
  totalMs?: number;
  openMedianMs?: number;
  openP95Ms?: number;
  openFirstMs?: number;
  ticketMedianMs?: number;
  /** 'pss' or 'rss': which sum the per-partition figures use. */
  memoryMeasure?: 'pss' | 'rss';
  chromiumAfterFirst?: TreeMemory;
  chromiumAfterAll?: TreeMemory;
  perPartitionMarginalKb?: number;
  perPartitionAmortisedKb?: number;
  /** The same two figures from the RSS sums (shared pages counted in every process). */
  perPartitionMarginalRssKb?: number;
  perPartitionAmortisedRssKb?: number;
  nodeHeapDeltaKb?: number;
  nodeRssDeltaKb?: number;
  /** /proc/loadavg's 1-minute figure when the run ended: the machine may be shared. */
  loadAverage1m?: number;
  skipped?: string;
}

function parentOf(pid: number): number | undefined {
  try {
    // The command name may hold spaces and parentheses: fields resume after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** `roots` and every process descending from them (zygotes, renderers, GPU and utility processes). */
function processTree(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const ppid = parentOf(pid);
    if (ppid === undefined) continue;
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const seen = new Set<number>();
  const queue = [...roots];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...seen];
}

function kbField(text: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

function treeMemory(roots: number[]): TreeMemory {
  let rssKb = 0;
  let pssKb = 0;
  let pssReadable = true;
  let processes = 0;
  for (const pid of processTree(roots)) {
    let pss: number | undefined;
    try {
      pss = kbField(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EPERM') continue; // exited meanwhile
      pssReadable = false;
    }
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // A zombie (or kernel thread) has no memory map: no VmRSS line, an empty rollup.
    const rss = kbField(status, 'VmRSS');
    if (rss === undefined) continue;
    processes++;
    rssKb += rss;
    if (pss === undefined) pssReadable = false;
    else pssKb += pss;
  }
  return pssReadable ? { processes, rssKb, pssKb } : { processes, rssKb };
}

/** The browser's own pid: playwright-core's Browser has no process() (only BrowserServer does), CDP tells it. */
async function browserPid(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
    const own = info.processInfo.find((p) => p.type === 'browser');
    if (!own) throw new Error('SystemInfo.getProcessInfo listed no browser process');
    return own.id;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

async function chromiumMemory(host: ChromiumHost): Promise<TreeMemory> {
  const pids = await Promise.all(host.siteBrowsers().map((b) => browserPid(b)));
  return treeMemory(pids);
}

function loadAverage(): number | undefined {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchPartitions(count: number): Promise<PartitionFigures> {
  if (!findChromium()) return { skipped: 'no Chrome/Chromium/Edge installed (USHER_CHROMIUM)' };
  if (process.platform !== 'linux') return { skipped: 'memory is read from /proc (Linux only)' };
  if (count < 2 || count > USERS.length * MAX_PER_USER) throw new Error(`partitions: 2..${USERS.length * MAX_PER_USER}, not ${count}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'usher-bench-partitions-'));
  const host = new ChromiumHost({ headless: true });
  const backend = await createConsoleBackend({ dataDir, host, hostKind: 'chromium', keychain: new MemoryKeychain() });
  try {
    const opens: number[] = [];
    const tickets: number[] = [];
    const partitionIds = new Set<string>();
    let afterFirst: TreeMemory | undefined;
    const nodeBefore = process.memoryUsage();
    let pausedMs = 0;
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const user = USERS[i % USERS.length]!;
      // Each ticket just before its open: a ticket lives 60 s, and a slow machine could outlast that.
      let t = performance.now();
      const ticket = await backend.handlers['tickets.request']({ profileId: DEMO_PROFILE_ID, virtualProxy: 'ticket', ...user, attributes: [] });
      tickets.push(performance.now() - t);
      t = performance.now();
      const result = await backend.handlers['tickets.open']({ ticketId: ticket.ticketId, target: { kind: 'hub' }, partition: { kind: 'new' } });
      opens.push(performance.now() - t);
      if (!result.established) throw new Error(`partition ${i + 1} (${user.userDirectory}\\${user.userId}): no session: ${result.detail}`);
      partitionIds.add(result.partitionId);
      // Outside the total: the settling wait, reading /proc and asking CDP for the pid are the bench's own.
      if (i === 0) {
        const paused = performance.now();
        await settle(1000);
        afterFirst = await chromiumMemory(host);
        pausedMs += performance.now() - paused;
      }
    }
    const totalMs = performance.now() - started - pausedMs;
    if (partitionIds.size !== count) throw new Error(`expected ${count} distinct partitions, got ${partitionIds.size}`);
    const nodeAfter = process.memoryUsage();
    // Let the renderers finish what the last load started before reading the tree.
    await settle(1000);
    const afterAll = await chromiumMemory(host);

    const usePss = afterFirst!.pssKb !== undefined && afterAll.pssKb !== undefined;
    const first = usePss ? afterFirst!.pssKb! : afterFirst!.rssKb;
    const all = usePss ? afterAll.pssKb! : afterAll.rssKb;
    const sorted = [...opens].sort((a, b) => a - b);
    const figures: PartitionFigures = {
      partitions: count,
      totalMs: round(totalMs, 0),
      openMedianMs: round(median(opens), 0),
      openP95Ms: round(percentile(sorted, 95), 0),
      openFirstMs: round(opens[0]!, 0),
      ticketMedianMs: round(median(tickets), 1),
      memoryMeasure: usePss ? 'pss' : 'rss',
      chromiumAfterFirst: afterFirst!,
      chromiumAfterAll: afterAll,
      perPartitionMarginalKb: round((all - first) / (count - 1), 0),
      perPartitionAmortisedKb: round(all / count, 0),
      perPartitionMarginalRssKb: round((afterAll.rssKb - afterFirst!.rssKb) / (count - 1), 0),
      perPartitionAmortisedRssKb: round(afterAll.rssKb / count, 0),
      nodeHeapDeltaKb: round((nodeAfter.heapUsed - nodeBefore.heapUsed) / 1024, 0),
      nodeRssDeltaKb: round((nodeAfter.rss - nodeBefore.rss) / 1024, 0),
    };
    const load = loadAverage();
    if (load !== undefined) figures.loadAverage1m = load;
    return figures;
  } finally {
    await backend.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const mb = (kb: number | undefined) => `${round((kb ?? 0) / 1024, 1)} MB`;

/** Table rows in bench/main.ts's format: [what, figure, note]. */
export function partitionRows(f: PartitionFigures): Array<[string, string, string]> {
  if (f.partitions === undefined) return [['(g) isolated partitions', 'skipped', f.skipped ?? '']];
  const n = f.partitions;
  const measure = f.memoryMeasure === 'pss' ? 'Pss' : 'RSS';
  const load = f.loadAverage1m !== undefined ? `; load average ${f.loadAverage1m}` : '';
  return [
    [`(g) ${n} isolated partitions, ticket each`, `${f.totalMs} ms`, `total, sequential: ticket request + Open -> session each${load}`],
    [
      '(g) Open -> session, per partition',
      `${f.openMedianMs} ms`,
      `median of ${n}; p95 ${f.openP95Ms} ms; first (launches the browser) ${f.openFirstMs} ms; ticket request ${f.ticketMedianMs} ms`,
    ],
    [
      `(g) Chromium memory per partition (${measure})`,
      mb(f.perPartitionMarginalKb),
      `marginal, (after ${n} - after 1) / ${n - 1}; amortised (browser included) ${mb(f.perPartitionAmortisedKb)}; tree ${mb(f.memoryMeasure === 'pss' ? f.chromiumAfterAll?.pssKb : f.chromiumAfterAll?.rssKb)} in ${f.chromiumAfterAll?.processes} processes; RSS sum marginal ${mb(f.perPartitionMarginalRssKb)}`,
    ],
    [`(g) Node memory, ${n} partitions`, `${mb(f.nodeRssDeltaKb)} RSS`, `heap ${mb(f.nodeHeapDeltaKb)} (deltas over the ${n} opens, no forced GC)`],
  ];
}
