// IPC fuzzing of the REAL console backend behind the REAL router: every channel of the contract gets
// random, boundary-shaped and hostile payloads (wrong types, huge strings, control characters, pollution
// keys, NaN/Infinity, deep nesting) plus mutations of a valid request, and whatever passes the schema runs
// the real handler against the in-process demo site. Every answer must be a typed result or a typed error
// (never INTERNAL: that is a handler throwing something untyped), serialisable, without a stack; no call
// may hang; and the backend must still serve valid calls afterwards. The seed is printed: set
// USHER_FUZZ_SEED to replay a failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleBackend, type ConsoleBackend } from '../../electron/app/console-backend';
import { MemoryKeychain } from '../../electron/core/vault';
import { createRouter, type Router, type SenderInfo } from '../../electron/ipc/router';
import { startValidationSite } from '../../electron/simulator/validation-site';
import { CHANNELS, requestSchemas, type Channel, type IpcResult } from '../../shared/ipc/contract';
import { is } from '../../shared/schema';
import { hostile, mutate, prng, randomValue, VALID } from '../support/ipc-payloads';
import { JarHost } from '../support/jar-host';
import { testPki } from '../support/test-site';

const SEED = Number(process.env.USHER_FUZZ_SEED ?? Date.now() % 2 ** 31);
const CONSOLE: SenderInfo = { kind: 'chromium', pageId: 'console', url: 'app://console/index.html' };
/** Per channel: random payloads and mutations of its valid request. */
const RANDOM_PER_CHANNEL = 60;
const MUTATIONS_PER_CHANNEL = 60;
/**
 * Per channel, how many payloads that pass the schema run the real handler (the valid one first, then a
 * seeded pick): a handler call can cost a whole scenario on the demo site, the schema check microseconds.
 * USHER_FUZZ_FULL=1 runs them all (minutes).
 */
const HANDLER_CALLS_PER_CHANNEL = process.env.USHER_FUZZ_FULL === '1' ? Infinity : 6;
/** A call that takes longer than this is a hang, whatever it was asked. */
const CALL_LIMIT_MS = 15_000;
const CODE_FORM = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Values that sit on a boundary of what a field may hold, each put in every field of a valid request. */
const BOUNDARY: unknown[] = [
  '',
  ' ',
  '\u0000',
  '\u001b]0;owned\u0007\u001b[2J',
  '\r\nX-Injected: 1',
  '\uD800',
  '\u202Egnp.exe',
  'a'.repeat(2049),
  'a'.repeat(100_000),
  '../../../../etc/passwd',
  'https://localhost:1/',
  '__proto__',
  0,
  -1,
  2 ** 53,
  NaN,
  Infinity,
  -Infinity,
  true,
  null,
  [],
  {},
  JSON.parse('{"__proto__":{"polluted":true}}'),
];

function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => fieldPaths(v, [...prefix, k]))].filter((p) => p.length > 0);
}

function withField(valid: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(valid) as Record<string, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  parent[path.at(-1)!] = value;
  return copy;
}

function passesSchema(channel: Channel, payload: unknown): boolean {
  return is(requestSchemas[channel], payload);
}

/**
 * What a channel gets, in a fixed order for one seed: every payload the schema refuses (cheap, all of
 * them go through the router), and of those it accepts, the valid request and a seeded pick.
 */
function payloadsFor(channel: Channel, valid: unknown, rand: () => number): { payloads: unknown[]; skipped: number } {
  const all: unknown[] = [];
  for (const path of fieldPaths(valid)) for (const value of BOUNDARY) all.push(withField(valid, path, value));
  for (const { value } of hostile()) all.push(value);
  for (let i = 0; i < RANDOM_PER_CHANNEL; i++) all.push(randomValue(rand));
  for (let i = 0; i < MUTATIONS_PER_CHANNEL; i++) all.push(mutate(valid, rand));
  const passes = all.map((p) => passesSchema(channel, p));
  expect(passesSchema(channel, valid), channel).toBe(true);
  const accepted = all.filter((_, i) => passes[i]);
  for (let i = accepted.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [accepted[i], accepted[j]] = [accepted[j], accepted[i]];
  }
  const keep = new Set(accepted.slice(0, HANDLER_CALLS_PER_CHANNEL - 1));
  const payloads = [valid, ...all.filter((p, i) => !passes[i] || keep.has(p))];
  return { payloads, skipped: accepted.filter((p) => !keep.has(p)).length };
}

const dataDir = mkdtempSync(join(tmpdir(), 'usher-backend-fuzz-'));
const host = new JarHost(join(dataDir, 'browser-storage'));
const unexpected: Array<{ channel: Channel; err: unknown }> = [];
let backend: ConsoleBackend;
let router: Router;
const startedRuns: string[] = [];

beforeAll(async () => {
  backend = await createConsoleBackend({
    dataDir: join(dataDir, 'data'),
    host,
    hostKind: 'chromium',
    keychain: new MemoryKeychain(),
    demoPki: testPki(),
    moduleProbeTimeoutMs: 1_000,
    // files.save writes its exports here, never into the account's Downloads folder.
    exportsDir: join(dataDir, 'exports'),
    validator: { startSite: (o) => startValidationSite({ ...o, pki: testPki() }), scriptTimeoutMs: 2_000, windowTimeoutMs: 2_000 },
  });
  router = createRouter({
    handlers: backend.handlers,
    isTrustedSender: (s) => s.kind === 'chromium' && s.pageId === 'console',
    onError: (channel, err) => unexpected.push({ channel, err }),
  });
});

afterAll(async () => {
  await backend?.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let liveUsers = 0;
/** A fresh ticket, each for a user of its own: the fuzz's logins must not meet Qlik's five-session limit. */
async function ticketId(): Promise<string> {
  const userId = `fuzz-${++liveUsers}`;
  const ticket = await backend.handlers['tickets.request']({ profileId: 'demo', virtualProxy: 'ticket', userDirectory: 'DEMO', userId, attributes: [] });
  return ticket.ticketId;
}

/**
 * A channel's valid request, naming things that exist now (a fresh ticket, an open partition and one of its
 * cookies, a request-log record, a started validator run), so payloads reach past "not found".
 */
async function liveRequest(channel: Channel): Promise<unknown> {
  const base = VALID[channel] as Record<string, unknown>;
  switch (channel) {
    case 'tickets.copy':
    case 'tickets.open':
      return { ...base, ticketId: await ticketId() };
    case 'partitions.copyCookie':
    case 'partitions.clear':
    case 'partitions.close':
    case 'partitions.destroy': {
      const { partitionId } = await backend.handlers['tickets.open']({ ticketId: await ticketId(), target: { kind: 'hub' } });
      if (channel !== 'partitions.copyCookie') return { ...base, partitionId };
      const { partitions } = await backend.handlers['partitions.list']({});
      const cookie = partitions.find((p) => p.partitionId === partitionId)?.cookies[0];
      if (!cookie) throw new Error(`the partition ${partitionId} the fuzz opened holds no cookie`);
      return { partitionId, name: cookie.name, domain: cookie.domain, path: cookie.path };
    }
    case 'requestLog.copy': {
      const { records } = await backend.handlers['requestLog.list']({});
      return { ...base, id: String(records.at(-1)!.id) };
    }
    case 'validator.run':
    case 'validator.cancel':
    case 'validator.copyPassphrase': {
      // The one run slot: a run another channel's fuzz left started is cancelled first.
      const { runId } = await backend.handlers['validator.start']({ moduleUrl: 'https://localhost:9/login' });
      startedRuns.push(runId);
      return { runId };
    }
    default:
      return base;
  }
}

/** What is wrong with an answer, or undefined when it is a typed result or error as the console expects. */
function answerProblem(result: IpcResult<unknown>): string | undefined {
  let json: string;
  try {
    // Serialisable both ways the console receives it.
    structuredClone(result);
    json = JSON.stringify(result);
  } catch (err) {
    return `not serialisable: ${String(err)}`;
  }
  // Whatever it was asked, key material never crosses to the console.
  if (/PRIVATE KEY/.test(json)) return 'carries a private key';
  if (result.ok) return Object.keys(result).sort().join() === 'ok,value' ? undefined : `unexpected keys ${Object.keys(result).join()}`;
  const { code, message, hint } = result.error;
  if (typeof code !== 'string' || !CODE_FORM.test(code)) return `untyped error code ${String(code)}`;
  if (typeof message !== 'string' || message === '') return `${code} without a message`;
  if (hint !== undefined && typeof hint !== 'string') return `${code} with a hint that is not text`;
  if (/\n\s+at |\bat .*\.(?:ts|js):\d+/.test(json)) return `${code} carries a stack trace`;
  return undefined;
}

const problems: string[] = [];

/** One call through the router, bounded in time; a bad answer is kept in `problems` (one expect at the end keeps thousands of calls fast). */
async function call(channel: Channel, payload: unknown): Promise<IpcResult<unknown>> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${channel} did not answer within ${CALL_LIMIT_MS} ms (seed ${SEED})`)), CALL_LIMIT_MS);
  });
  const result = await Promise.race([router.dispatch(CONSOLE, channel, payload), hang]).finally(() => clearTimeout(timer));
  const problem = answerProblem(result);
  if (problem && problems.length < 20) problems.push(`${channel}: ${problem}: ${JSON.stringify(result).slice(0, 500)}`);
  return result;
}

describe('IPC fuzzing of the real console backend', () => {
  it('the answer check catches what it is there to catch', () => {
    expect(answerProblem({ ok: true, value: { fine: 1 } })).toBeUndefined();
    expect(answerProblem({ ok: false, error: { code: 'NOT_FOUND', message: 'No such ticket.', hint: 'Request a new one.' } })).toBeUndefined();
    expect(answerProblem({ ok: true, value: { f: () => 1 } })).toMatch(/not serialisable/);
    expect(answerProblem({ ok: true, value: '-----BEGIN RSA PRIVATE KEY-----' })).toMatch(/private key/);
    expect(answerProblem({ ok: false, error: { code: 'ERR_x', message: 'm' } })).toMatch(/untyped error code/);
    expect(answerProblem({ ok: false, error: { code: 'X', message: '' } })).toMatch(/without a message/);
    expect(answerProblem({ ok: false, error: { code: 'X', message: 'boom\n    at f (/app/x.js:1:2)' } })).toMatch(/stack trace/);
  });

  it('answers every payload on every channel with a typed result or error, and stays healthy', async () => {
    console.log(`console backend fuzz: seed ${SEED} (USHER_FUZZ_SEED=${SEED} replays it)`);
    const rand = prng(SEED);
    const reachedHandler = new Map<Channel, number>();
    const codes = new Map<string, number>();
    let total = 0;
    let skipped = 0;
    for (const channel of CHANNELS) {
      const planned = payloadsFor(channel, await liveRequest(channel), rand);
      skipped += planned.skipped;
      for (const payload of planned.payloads) {
        const result = await call(channel, payload);
        total++;
        const code = result.ok ? 'ok' : result.error.code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (code !== 'INVALID_REQUEST') reachedHandler.set(channel, (reachedHandler.get(channel) ?? 0) + 1);
        // A validator run started by the fuzz would hold the one run slot: cancel it as the console would.
        if (channel === 'validator.start' && result.ok) await call('validator.cancel', { runId: (result.value as { runId: string }).runId });
      }
      for (const runId of startedRuns.splice(0)) await call('validator.cancel', { runId });
    }
    console.log(`console backend fuzz: ${total} calls (${skipped} more schema-valid payloads left out), answers ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(problems, `seed ${SEED}`).toEqual([]);
    // An INTERNAL answer is a handler that threw something untyped: a defect, named with its cause.
    expect(
      unexpected.map(({ channel, err }) => `${channel}: ${err instanceof Error ? err.stack : String(err)}`),
      `seed ${SEED}`,
    ).toEqual([]);
    expect(codes.get('INTERNAL') ?? 0).toBe(0);
    expect(total).toBeGreaterThan(CHANNELS.length * 100);
    // Every channel's real handler ran, not only its schema.
    expect(CHANNELS.filter((c) => !reachedHandler.has(c))).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // Healthy afterwards: the state, the profiles and a ticket on the demo site.
    expect(await call('app.state', {})).toMatchObject({ ok: true, value: { demo: { running: true } } });
    expect(await call('profiles.list', {})).toMatchObject({ ok: true });
    expect(await call('tickets.request', { profileId: 'demo', virtualProxy: 'ticket', userDirectory: 'DEMO', userId: 'alice', attributes: [] })).toMatchObject({
      ok: true,
    });
  });
});
