// IPC fuzzing: thousands of random and malformed payloads on every channel (and on made-up channels).
// Each must come back as a typed failure (INVALID_REQUEST, or the handler's own typed error), never a
// throw; no handler may ever see anything but plain, schema-valid data; and the router must keep
// serving valid calls afterwards. A seeded generator makes any failure reproducible.
import { describe, expect, it } from 'vitest';
import { createRouter, type Handlers, type SenderInfo } from '../../electron/ipc/router';
import { CHANNELS, requestSchemas, type Channel, type RequestOf } from '../../shared/ipc/contract';

const SEED = Number(process.env.USHER_FUZZ_SEED ?? 0x5eed);
const CONSOLE: SenderInfo = { kind: 'chromium', pageId: 'console', url: 'app://console/index.html' };

/** Small, fast, seedable PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID: { [C in Channel]: RequestOf<C> } = {
  'app.state': {},
  'profiles.list': {},
  'profiles.select': { id: 'demo' },
  'profiles.remove': { id: 'p-1' },
  'certs.inspect': { input: { kind: 'pfx', pfxPath: '/x/client.pfx', caPath: '/x/root.pem' }, passphrase: 'pw' },
  'demo.export': {},
  'trust.run': {
    input: { kind: 'pem', certPath: '/c.pem', keyPath: '/k.pem', caPath: '/r.pem' },
    qps: 'https://qlik:4243',
    qrs: 'https://qlik:4242/',
    ticketTest: { userDirectory: 'CORP', userId: 'alice', virtualProxy: 'hdr' },
  },
  'profiles.saveFromTrust': { runId: 'r1', name: 'Prod', defaultVirtualProxy: '', defaultUserDirectory: 'CORP' },
  'tickets.request': {
    profileId: 'demo',
    virtualProxy: '',
    userDirectory: 'CORP',
    userId: 'alice',
    attributes: [{ key: 'group', value: 'sales' }, { key: 'group', value: '' }],
    targetId: 'abc',
    reason: 'support case 42',
  },
  'tickets.copy': { ticketId: 't1', format: 'curl' },
  'tickets.open': { ticketId: 't1', target: { kind: 'app', appId: '123' } },
  'requestLog.list': { filter: 'qps' },
  'requestLog.copy': { id: '12', format: 'powershell' },
  'audit.list': { limit: 100, profile: 'prod-eu' },
  'checks.run': { profileId: 'demo', origin: 'https://portal.example.com', probe: true },
  'sessions.inspect': { profileId: 'demo' },
  'scenario.sharedJar': {
    profileId: 'demo',
    virtualProxy: 'ticket',
    a: { userDirectory: 'MASHUP', userId: 'a1-sales', appId: 'a1-sales', image: 'appcontent/a1-sales/logo.png' },
    b: { userDirectory: 'MASHUP', userId: 'a2-finance', appId: 'a2-finance', export: 'tempcontent/x/y.csv' },
  },
  'sessions.inject': {
    profileId: 'demo',
    virtualProxy: 'ticket',
    userDirectory: 'DEMO',
    userId: 'alice',
    attributes: [{ key: 'group', value: 'sales' }],
    target: { kind: 'hub' },
    partition: { kind: 'new', persistent: true },
    reason: 'case 7',
  },
  'partitions.list': {},
  'partitions.revealCookie': { partitionId: 'p-1', name: 'X-Qlik-Session-ticket', domain: 'localhost', path: '/' },
  'partitions.clear': { partitionId: 'p-1' },
  'partitions.close': { partitionId: 'p-1' },
  'partitions.destroy': { partitionId: 'shared-demo' },
  'sessions.end': { profileId: 'demo', scope: { kind: 'user', userDirectory: 'CORP', userId: 'alice' } },
  'validator.start': { moduleUrl: 'https://auth.example.com/login', loginScriptPath: '/scripts/login.js', moduleCaPath: '/x/module-ca.pem' },
  'validator.run': { runId: 'r1' },
  'validator.cancel': { runId: 'r1' },
  'validator.copyPassphrase': { runId: 'r1' },
};

// ---------------------------------------------------------------------------------------------------
// Generators

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'prototype',
  'https://',
  'https://qlik:4243/path?x#y',
  'http://qlik:4243',
  'javascript:alert(1)',
  '<script>alert(1)</script>',
  "'; DROP TABLE users; --",
  '\uD800',
  '😀'.repeat(100),
  'a'.repeat(129),
  'a'.repeat(65 * 1024),
  'url',
  'hub',
  'folder',
  'pem',
  'pfx',
  '12',
  '-1',
  'NaN',
];

class Weird {
  id = 'demo';
}

interface Hostile {
  name: string;
  value: unknown;
  /** Legitimate as a whole payload where `{ id: 'demo' }` is: the handler still gets a fresh plain copy. */
  validAsIdPayload?: true;
}

function hostile(): Hostile[] {
  const throwingGetter = Object.defineProperty({}, 'id', { enumerable: true, get: () => { throw new Error('getter'); } });
  let reads = 0;
  const shapeShifter = Object.defineProperty({}, 'id', { enumerable: true, get: () => (reads++ === 0 ? 'demo' : '../../evil id') });
  const cyclic: Record<string, unknown> = { id: 'demo' };
  cyclic.self = cyclic;
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const trap = () => { throw new Error('trap'); };
  return [
    { name: 'throwing getter', value: throwingGetter },
    { name: 'value-changing getter', value: shapeShifter, validAsIdPayload: true },
    { name: 'null prototype', value: Object.assign(Object.create(null) as object, { id: 'demo' }), validAsIdPayload: true },
    { name: 'own __proto__ key', value: JSON.parse('{"id":"demo","__proto__":{"polluted":true}}') },
    { name: 'own constructor key', value: JSON.parse('{"id":"demo","constructor":{"prototype":{"polluted":true}}}') },
    { name: 'cycle', value: cyclic },
    { name: 'revoked proxy', value: revoked.proxy },
    { name: 'throwing proxy', value: new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap, has: trap }) },
    { name: 'proxy lying about its prototype', value: new Proxy({ id: 'demo' }, { getPrototypeOf: () => Array.prototype }) },
    { name: 'class instance', value: new Weird() },
    { name: 'Date', value: new Date() },
    { name: 'Map', value: new Map([['id', 'demo']]) },
    { name: 'Set', value: new Set(['demo']) },
    { name: 'RegExp', value: /demo/ },
    { name: 'Error', value: new Error('demo') },
    { name: 'Buffer', value: Buffer.from('demo') },
    { name: 'Uint8Array', value: new Uint8Array(4) },
    { name: 'String object', value: new String('demo') },
    { name: 'Promise', value: Promise.resolve({ id: 'demo' }) },
    { name: 'function', value: () => ({ id: 'demo' }) },
    { name: 'symbol', value: Symbol('demo') },
    { name: 'bigint', value: 10n },
    { name: 'sparse array', value: new Array(5) },
    { name: 'array with its own map', value: Object.assign([{ key: 'k', value: 'v' }], { map: () => ['injected'] }) },
    { name: 'million-slot array', value: new Array(1_000_000) },
    { name: 'frozen with extra key', value: Object.freeze({ id: 'demo', extra: 1 }) },
  ];
}

// Made once for the random generator (some allocate a lot); the hostile-values test makes fresh ones.
let hostileForRandom: Hostile[] | undefined;

function deep(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { input: value };
  return value;
}

function randomValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * (depth > 3 ? 8 : 12));
  switch (pick) {
    case 0: return undefined;
    case 1: return null;
    case 2: return rand() < 0.5;
    case 3: return [0, -0, 1, -1, NaN, Infinity, -Infinity, 2 ** 53, 1e308, rand()][Math.floor(rand() * 10)];
    case 4:
    case 5: return NASTY_STRINGS[Math.floor(rand() * NASTY_STRINGS.length)];
    case 6: return String.fromCharCode(...Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 0xffff)));
    case 7: { const values = (hostileForRandom ??= hostile()); return values[Math.floor(rand() * values.length)]!.value; }
    case 8: return Array.from({ length: Math.floor(rand() * 5) }, () => randomValue(rand, depth + 1));
    case 9:
    case 10: {
      const out: Record<string, unknown> = {};
      const keys = [...Object.keys(VALID['tickets.request']), 'input', 'kind', 'path', 'target', 'format', 'id', 'limit', 'profile', 'origin', 'probe', '__proto__', 'constructor', 'x'];
      for (let i = Math.floor(rand() * 5); i > 0; i--) {
        const key = keys[Math.floor(rand() * keys.length)]!;
        Object.defineProperty(out, key, { value: randomValue(rand, depth + 1), enumerable: true, configurable: true, writable: true });
      }
      return out;
    }
    default: return deep(1 + Math.floor(rand() * 5000));
  }
}

/** Every path (list of keys) into a plain value, for targeted mutations of a valid payload. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const inner = Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]));
  return [prefix, ...inner];
}

function mutate(valid: unknown, rand: () => number): unknown {
  const copy = structuredClone(valid) as Record<string, unknown>;
  const all = paths(copy);
  const path = all[Math.floor(rand() * all.length)]!;
  if (path.length === 0) return randomValue(rand);
  let parent: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = path.at(-1)!;
  const action = Math.floor(rand() * 5);
  if (action === 0) delete parent[last];
  else if (action === 1) Object.defineProperty(parent, ['__proto__', 'constructor', 'extra', 'prototype'][Math.floor(rand() * 4)]!, { value: randomValue(rand), enumerable: true, configurable: true });
  else parent[last] = randomValue(rand);
  return copy;
}

// ---------------------------------------------------------------------------------------------------
// What a handler may receive: plain objects (Object.prototype), dense arrays, string, finite number and
// boolean leaves only (the contract has no other leaf type: audit.list's limit is its one number,
// checks.run's probe its one boolean), nothing shared with the caller, and schema-valid.

function assertPlain(value: unknown, seen: Set<unknown>, where: string): void {
  if (typeof value === 'string') return;
  if (typeof value === 'number' && Number.isFinite(value)) return;
  if (typeof value === 'boolean') return;
  if (typeof value !== 'object' || value === null) throw new Error(`${where}: non-string, non-finite-number, non-boolean leaf ${typeof value}`);
  if (seen.has(value)) throw new Error(`${where}: caller object reached the handler`);
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw new Error(`${where}: exotic array`);
    if (Object.keys(value).length !== value.length) throw new Error(`${where}: sparse or decorated array`);
    value.forEach((v, i) => assertPlain(v, seen, `${where}[${i}]`));
    return;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) throw new Error(`${where}: not a plain object`);
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key !== 'string' || key === '__proto__' || key === 'constructor' || key === 'prototype') throw new Error(`${where}: key ${String(key)}`);
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    if (!('value' in descriptor)) throw new Error(`${where}.${key}: accessor`);
    assertPlain(descriptor.value, seen, `${where}.${key}`);
  }
}

function collectObjects(value: unknown, into: Set<unknown>, budget = { n: 10_000 }): Set<unknown> {
  if (typeof value !== 'object' || value === null || into.has(value) || budget.n-- <= 0) return into;
  into.add(value);
  try {
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor) collectObjects(descriptor.value, into, budget);
    }
  } catch {
    // Proxies that throw: nothing to collect.
  }
  return into;
}

class TypedFailure extends Error {
  readonly code = 'SIMULATED_FAILURE';
  readonly hint = 'A typed handler error, as the core throws them.';
}

function fuzzRouter() {
  const received: Array<{ channel: Channel; request: unknown }> = [];
  let throwTyped = false;
  const handlers = Object.fromEntries(
    CHANNELS.map((channel) => [
      channel,
      async (request: unknown) => {
        received.push({ channel, request });
        if (throwTyped) throw new TypedFailure('simulated');
        return { channel };
      },
    ]),
  ) as unknown as Handlers;
  const router = createRouter({ handlers, isTrustedSender: (s) => s.kind === 'chromium' && s.pageId === 'console' });
  return { router, received, setThrowTyped: (v: boolean) => (throwTyped = v) };
}

type Outcome = 'valid' | 'invalid' | 'typed';

async function check(router: ReturnType<typeof fuzzRouter>, channel: unknown, payload: unknown): Promise<Outcome> {
  const callerObjects = collectObjects(payload, new Set());
  const before = router.received.length;
  let result: Awaited<ReturnType<typeof router.router.dispatch>>;
  try {
    result = await router.router.dispatch(CONSOLE, channel, payload);
  } catch (err) {
    throw new Error(`dispatch threw on ${String(channel)}: ${String(err)}`);
  }
  // Structured-clone safe, always.
  structuredClone(result);
  const calls = router.received.slice(before);
  if (result.ok) {
    expect(calls).toHaveLength(1);
  } else if (result.error.code === 'SIMULATED_FAILURE') {
    expect(calls).toHaveLength(1);
    expect(result.error).toEqual({ code: 'SIMULATED_FAILURE', message: 'simulated', hint: expect.any(String) });
  } else {
    expect(['INVALID_REQUEST', 'UNKNOWN_CHANNEL']).toContain(result.error.code);
    expect(result.error.message).toEqual(expect.any(String));
    expect(result.error.message.length).toBeLessThan(2200);
    expect(JSON.stringify(result.error)).not.toMatch(/\n\s+at /);
    expect(calls).toHaveLength(0);
    return 'invalid';
  }
  const { request } = calls[0]!;
  assertPlain(request, callerObjects, String(channel));
  // What the handler got is itself valid for its channel (and parsing it again changes nothing).
  expect(requestSchemas[calls[0]!.channel].parse(request)).toEqual(request);
  return result.ok ? 'valid' : 'typed';
}

describe('IPC fuzzing', () => {
  it('accepts the valid sample of every channel (the base the mutations start from)', async () => {
    const r = fuzzRouter();
    for (const channel of CHANNELS) expect(await check(r, channel, VALID[channel])).toBe('valid');
  });

  it('survives random payloads on every channel', async () => {
    const rand = prng(SEED);
    const r = fuzzRouter();
    const tally: Record<Outcome, number> = { valid: 0, invalid: 0, typed: 0 };
    for (const channel of CHANNELS) {
      for (let i = 0; i < 400; i++) tally[await check(r, channel, randomValue(rand))]++;
    }
    expect(tally.invalid).toBeGreaterThan(CHANNELS.length * 300);
    expect(await check(r, 'profiles.select', { id: 'still-serving' })).toBe('valid');
  });

  it('survives mutations of valid payloads (wrong types, missing and extra keys, pollution keys)', async () => {
    const rand = prng(SEED + 1);
    const r = fuzzRouter();
    const tally: Record<Outcome, number> = { valid: 0, invalid: 0, typed: 0 };
    for (const channel of CHANNELS) {
      for (let i = 0; i < 400; i++) {
        r.setThrowTyped(i % 7 === 0);
        tally[await check(r, channel, mutate(VALID[channel], rand))]++;
      }
    }
    // Both sides are exercised: most mutations are refused, some (dropping an optional key) are fine.
    expect(tally.invalid).toBeGreaterThan(1000);
    expect(tally.valid + tally.typed).toBeGreaterThan(50);
    r.setThrowTyped(false);
    expect(await check(r, 'tickets.request', VALID['tickets.request'])).toBe('valid');
  });

  it('refuses every hostile value on every channel without a throw', async () => {
    const r = fuzzRouter();
    for (const channel of CHANNELS) {
      for (const { name, value, validAsIdPayload } of hostile()) {
        const outcome = await check(r, channel, value);
        const idChannel = channel === 'profiles.select' || channel === 'profiles.remove';
        expect(outcome, `${channel}: ${name}`).toBe(validAsIdPayload && idChannel ? 'valid' : 'invalid');
        // The same value one level down, where a field is expected.
        const payload = { ...(VALID[channel] as object), [Object.keys(VALID[channel])[0] ?? 'x']: value };
        await check(r, channel, payload);
      }
    }
    expect(r.received.every(({ request }) => JSON.stringify(request).length < 100_000)).toBe(true);
  });

  it('refuses made-up channels, whatever the payload', async () => {
    const rand = prng(SEED + 2);
    const r = fuzzRouter();
    const names: unknown[] = ['', ' ', '__proto__', 'constructor', 'toString', 'valueOf', 'usher:app.state', 'APP.STATE', 'app.state ', 'app.state\u0000', 'x'.repeat(100_000), 1, null, undefined, {}, [], Symbol('app.state'), new String('app.state')];
    for (let i = 0; i < 500; i++) names.push(randomValue(rand));
    for (const name of names) {
      if (typeof name === 'string' && Object.hasOwn(requestSchemas, name)) continue;
      const result = await r.router.dispatch(CONSOLE, name, VALID['app.state']);
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
      expect(JSON.stringify(result).length).toBeLessThan(400);
    }
    expect(r.received).toHaveLength(0);
  });

  it('checks every slot of an array: holes and an own `map` do not slip through', async () => {
    const r = fuzzRouter();
    const base = VALID['tickets.request'];
    expect(await check(r, 'tickets.request', { ...base, attributes: new Array(3) })).toBe('invalid');
    expect(await check(r, 'tickets.request', { ...base, attributes: [base.attributes[0], , base.attributes[1]] })).toBe('invalid');
    const decorated = Object.assign([{ key: 'k', value: 1 }], { map: () => [{ key: 'k', value: 'v' }] });
    expect(await check(r, 'tickets.request', { ...base, attributes: decorated })).toBe('invalid');
  });

  it('takes only a whole number from 1 to 5000 as the audit limit', async () => {
    const r = fuzzRouter();
    for (const limit of [1, 5000, 250]) expect(await check(r, 'audit.list', { limit }), String(limit)).toBe('valid');
    expect(await check(r, 'audit.list', {})).toBe('valid');
    for (const limit of [0, -0, -1, 5001, 1.5, NaN, Infinity, -Infinity, 2 ** 53, '10', 10n, null, [10], { valueOf: () => 10 }, new Number(10)]) {
      expect(await check(r, 'audit.list', { limit }), String(limit)).toBe('invalid');
    }
    expect(await check(r, 'audit.list', { profile: 'x'.repeat(201) })).toBe('invalid');
  });

  it('does not let pollution keys reach Object.prototype', async () => {
    const r = fuzzRouter();
    await check(r, 'tickets.request', JSON.parse('{"__proto__":{"polluted":"yes"},"profileId":"demo"}'));
    await check(r, 'tickets.request', { ...VALID['tickets.request'], attributes: [JSON.parse('{"key":"k","value":"v","__proto__":{"polluted":"yes"}}')] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stays fast on huge inputs (length limits come before patterns)', async () => {
    const r = fuzzRouter();
    const huge = 'a'.repeat(5_000_000);
    const attributes = new Array(1_000_000).fill({ key: huge, value: huge });
    let slowest = 0;
    for (const channel of CHANNELS) {
      const start = performance.now();
      const result = await r.router.dispatch(CONSOLE, channel, { id: huge, input: { kind: 'folder', path: huge }, qps: `https://${huge}`, attributes });
      slowest = Math.max(slowest, performance.now() - start);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    expect(slowest).toBeLessThan(200);
    expect(r.received).toHaveLength(0);
  });
});
