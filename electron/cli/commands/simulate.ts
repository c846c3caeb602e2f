// `usher simulate`: the built-in Qlik Sense site as a standalone server for third-party clients, with
// the certificate export written where they can pick it up.
import { createInterface } from 'node:readline';
import { DEMO_MASHUP_ORIGIN, generateSite } from '../../simulator/demo-site';
import { builtInSite } from '../site-connection';
import type { FaultSettings } from '../../simulator/faults';
import { AddressTakenError, AddressUnavailableError } from '../../simulator/node-addresses';
import { Simulator } from '../../simulator/simulator';
import { parseSiteDescription, SITE_LIMITS, type SiteDescription } from '../../simulator/site';
import { writeQmcExport } from '../../simulator/site-pki';
import * as v from 'valibot';
import { parseCommand, type Command } from '../command';
import { readFlag, switchFlag, wholeNumberFlag } from '../flag-schema';
import { CommandFailed, UsageError } from '../errors';
import { cannotWrite, checkOutputFolder, readUserFile } from '../user-file';
import { printJsonText, printNote } from '../output';
import { keptSitePki } from '../site-certs';
import { startDemoMashup, type DemoMashup } from '../../simulator/demo-mashup';

const USAGE = `
usage: usher simulate [--site FILE | --nodes N --virtual-proxies N] [--out DIR] [--localhost] [fault flags]

Starts a simulated Qlik Sense site on loopback (proxy with the engine's WebSocket, QPS, QRS and the
engine port per node), writes the certificate export (client.pem, client_key.pem, root.pem,
client.pfx) to DIR and prints one JSON line when ready:
  {"nodes":[{"name","hostName","address","hub","qps","qrs","engine"}],"certificates":DIR,"pfxPassphrase":"...","mashup":URL}
Each node listens on its own loopback address (127.0.0.2, 127.0.0.3, ...; the next range 127.0.1.x
when those are taken) with Qlik's ports: 443 (4443 where 443 needs privileges), 4243, 4242, 4747.
The demo site also serves seed 003's mashup ("mashup": https://localhost:8443/mashup/<app id>, e.g.
a1-sales): a website that mints its dummy user's ticket and uses the engine over the WebSocket.
Runs until SIGINT or SIGTERM.

  --site FILE              a site description (JSON: nodes, virtualProxies, users, apps, rules)
  --nodes N                a generated site of N nodes ...
  --virtual-proxies N      ... each linking N virtual proxies (the default one included)
  --out DIR                where to write the certificate export (default: ./usher-certificates)
  --localhost              every node on localhost at free ports (macOS without loopback aliases)
  --latency-ms MS          faults at start: added latency on QPS/QRS answers
  --error-rate R           share (0..1) of QPS/QRS requests answered 503
  --reset-rate R           share (0..1) of connections reset without an answer
  --malformed-rate R       share (0..1) of JSON answers cut short
  --trickle-bytes N        send bodies N bytes at a time (with --trickle-interval-ms, default 100)

A fresh site CA per run, in memory; USHER_SITE_CERTS=DIR keeps one in DIR (made on first use) instead.

While it runs, a line on stdin changes the faults: 'faults {"latencyMs":500}' or 'faults clear'.
Each is answered on stdout once in force: {"faults":{...}} (the settings now) or {"error":"..."}.
`;

const FLAGS = {
  site: { type: 'string' },
  nodes: { type: 'string' },
  'virtual-proxies': { type: 'string' },
  out: { type: 'string' },
  localhost: { type: 'boolean' },
  'latency-ms': { type: 'string' },
  'error-rate': { type: 'string' },
  'reset-rate': { type: 'string' },
  'malformed-rate': { type: 'string' },
  'trickle-bytes': { type: 'string' },
  'trickle-interval-ms': { type: 'string' },
} as const;

/** A fault rate flag: a number from 0 to 1 (an empty one is no 0). */
function rateFlag(flag: string) {
  return readFlag((text) => {
    const n = /^\s*$/.test(text) ? NaN : Number(text);
    if (!(n >= 0 && n <= 1)) throw new UsageError(`--${flag} must be a number from 0 to 1, got "${text}"`);
    return n;
  });
}

function readSiteFile(path: string): SiteDescription {
  const text = readUserFile(path, `site file ${path}`).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`site file ${path} is not valid JSON: ${(err as Error).message}`, 'check for a missing comma or quote near that position');
  }
  return parseSiteDescription(json);
}

/** The flags of `usher simulate` read into the site's size and the faults' settings. */
const SIMULATE_INPUT = v.object({
  site: v.optional(v.string()),
  nodes: wholeNumberFlag('nodes', 1, SITE_LIMITS.nodes),
  'virtual-proxies': wholeNumberFlag('virtual-proxies', 1, SITE_LIMITS.virtualProxies),
  'latency-ms': wholeNumberFlag('latency-ms', 0, 600_000),
  'error-rate': rateFlag('error-rate'),
  'reset-rate': rateFlag('reset-rate'),
  'malformed-rate': rateFlag('malformed-rate'),
  'trickle-bytes': wholeNumberFlag('trickle-bytes', 0, 1 << 20),
  'trickle-interval-ms': wholeNumberFlag('trickle-interval-ms', 1, 60_000),
  out: v.optional(v.string()),
  localhost: switchFlag,
});

type Values = v.InferOutput<typeof SIMULATE_INPUT>;

/** No --site, --nodes or --virtual-proxies: the built-in demo site. */
function isDemo(values: Values): boolean {
  return values.site === undefined && values.nodes === undefined && values['virtual-proxies'] === undefined;
}

async function siteFromFlags(values: Values): Promise<SiteDescription> {
  const { nodes, 'virtual-proxies': vps } = values;
  if (values.site !== undefined) {
    if (values.site.trim() === '') throw new UsageError('--site is empty', 'name a site file, or leave the flag out for the demo site');
    if (nodes !== undefined || vps !== undefined) throw new UsageError('--site describes the whole site; drop --nodes and --virtual-proxies');
    return readSiteFile(values.site);
  }
  if (nodes !== undefined || vps !== undefined) return generateSite({ nodes: nodes ?? 1, virtualProxies: vps ?? 1 });
  return builtInSite();
}

function faultsFromFlags(values: Values): Partial<FaultSettings> {
  const faults: Partial<FaultSettings> = {
    latencyMs: values['latency-ms'],
    errorRate: values['error-rate'],
    resetRate: values['reset-rate'],
    malformedJsonRate: values['malformed-rate'],
    trickleBytes: values['trickle-bytes'],
    trickleIntervalMs: values['trickle-interval-ms'],
  };
  return Object.fromEntries(Object.entries(faults).filter(([, v]) => v !== undefined));
}

/**
 * `faults {...}` / `faults clear` lines on stdin change the running site's faults. Each line is answered
 * on stdout once it is in force, `{"faults":{...}}` (the settings now) or `{"error":"..."}`, so a script
 * knows when its next request meets the new faults instead of guessing with a sleep.
 */
function listenForFaultCommands(sim: Simulator): () => void {
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const text = line.trim();
    if (!text) return;
    try {
      if (text === 'faults clear') sim.faults.clear();
      else if (text.startsWith('faults ')) sim.faults.set(JSON.parse(text.slice(7)) as Partial<FaultSettings>);
      else throw new Error(`unknown command "${text}" (expected 'faults {...}' or 'faults clear')`);
      printJsonText(JSON.stringify({ faults: sim.faults.current }));
    } catch (err) {
      printNote(`usher simulate: ${(err as Error).message}`);
      printJsonText(JSON.stringify({ error: (err as Error).message }));
    }
  });
  return () => rl.close();
}

export const simulateCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const values = parseCommand(argv, FLAGS, SIMULATE_INPUT, 'simulate');
    const site = await siteFromFlags(values);
    const faults = faultsFromFlags(values);
    const out = checkOutputFolder('out', values.out ?? 'usher-certificates');
    // A fresh CA per run, kept in memory, unless USHER_SITE_CERTS names a folder that keeps one: the only
    // key material on disk is what the user asked for.
    const pki = keptSitePki();
    let sim: Simulator;
    try {
      sim = await Simulator.start({ site, faults, ...pki, ...(values.localhost ? {} : { addressing: 'per-node', ports: 'standard' }) });
    } catch (err) {
      // The fault injector checks the flags together (--error-rate + --reset-rate at most 1).
      if (err instanceof RangeError) throw new UsageError(err.message, 'see: usher help simulate');
      if (err instanceof AddressTakenError || err instanceof AddressUnavailableError) throw new CommandFailed(`${err.message}; or run with --localhost`);
      throw err;
    }
    for (const note of sim.notes) printNote(`usher simulate: ${note}`);
    try {
      writeQmcExport(sim.pki, out);
    } catch (err) {
      await sim.stop();
      throw cannotWrite(`the certificate export to ${out}`, err);
    }
    // The demo site's mashup (seed 003), on the origin its virtual proxies are set up to embed for.
    let mashup: DemoMashup | undefined;
    if (isDemo(values)) {
      try {
        mashup = await startDemoMashup(sim, { port: Number(new URL(DEMO_MASHUP_ORIGIN).port) });
      } catch (err) {
        printNote(`usher simulate: the demo mashup could not listen at ${DEMO_MASHUP_ORIGIN} (${(err as Error).message}); the site runs without it`);
      }
    }
    const ready = {
      nodes: sim.nodes.map((n) => ({ name: n.name, hostName: n.hostName, address: n.address, hub: n.hub, qps: n.qps, qrs: n.qrs, engine: n.engine })),
      certificates: out,
      pfxPassphrase: sim.pki.pfxPassphrase,
      ...(mashup ? { mashup: `${mashup.origin}/mashup/` } : {}),
    };
    printJsonText(JSON.stringify(ready));
    const stopListening = listenForFaultCommands(sim);
    const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
      process.once('SIGINT', () => resolveSignal('SIGINT'));
      process.once('SIGTERM', () => resolveSignal('SIGTERM'));
    });
    stopListening();
    await mashup?.stop();
    await sim.stop();
    printNote(`usher simulate: stopped (${signal})`);
  },
};
