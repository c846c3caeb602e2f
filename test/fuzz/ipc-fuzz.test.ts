// IPC fuzzing: thousands of random and malformed payloads on every channel (and on made-up channels).
// Each must come back as a typed failure (INVALID_REQUEST, or the handler's own typed error), never a
// throw; no handler may ever see anything but plain, schema-valid data; and the router must keep
// serving valid calls afterwards. A seeded generator makes any failure reproducible.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createRouter, type Handlers, type SenderInfo } from '../../electron/ipc/router';
import { CHANNELS, requestSchemas, type Channel, type IpcResult } from '../../shared/ipc/contract';
import { UsherError } from '../../shared/errors';
import { parse } from '../../shared/schema';
import { hostile, mutate, prng, randomValue, VALID } from '../support/ipc-payloads';

const SEED = Number(process.env.USHER_FUZZ_SEED ?? 0x5eed);
const CONSOLE: SenderInfo = { kind: 'chromium', pageId: 'console', url: 'app://console/index.html' };

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

class TypedFailure extends UsherError<'SIMULATED_FAILURE'> {
  constructor(message: string) {
    super('SIMULATED_FAILURE', message, 'A typed handler error, as the core throws them.');
  }
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

// What is wrong with one outcome, as sentences; empty when it is right. Plain checks rather than one
// `expect` each: this runs some 35,000 times per run, and Vitest's bookkeeping around every `expect`
// (assertion state, chai's proxies) cost more than the router's own work.
function problemsOf(result: IpcResult<unknown>, calls: number): string[] {
  if (result.ok) return calls === 1 ? [] : [`valid, but the handler was called ${calls} times`];
  const { code, message, hint } = result.error;
  if (code === 'SIMULATED_FAILURE') {
    const problems = calls === 1 ? [] : [`typed failure, but the handler was called ${calls} times`];
    if (message !== 'simulated' || typeof hint !== 'string' || Object.keys(result.error).length !== 3)
      problems.push(`typed failure changed on its way: ${JSON.stringify(result.error)}`);
    return problems;
  }
  const problems: string[] = [];
  if (code !== 'INVALID_REQUEST' && code !== 'UNKNOWN_CHANNEL') problems.push(`unexpected code ${code}`);
  if (typeof message !== 'string' || message.length >= 2200) problems.push(`message not a string under 2200 characters: ${String(message).slice(0, 200)}`);
  if (/\n\s+at /.test(JSON.stringify(result.error))) problems.push('a stack trace in the error');
  if (calls !== 0) problems.push(`refused, but the handler was called ${calls} times`);
  return problems;
}

async function check(router: ReturnType<typeof fuzzRouter>, channel: unknown, payload: unknown): Promise<Outcome> {
  const before = router.received.length;
  let result: IpcResult<unknown>;
  try {
    result = await router.router.dispatch(CONSOLE, channel, payload);
  } catch (err) {
    throw new Error(`dispatch threw on ${String(channel)}: ${String(err)}`);
  }
  // Structured-clone safe, always.
  structuredClone(result);
  const calls = router.received.slice(before);
  const problems = problemsOf(result, calls.length);
  if (problems.length > 0) expect.fail(`${String(channel)}: ${problems.join('; ')}`);
  if (!result.ok && result.error.code !== 'SIMULATED_FAILURE') return 'invalid';
  const { request } = calls[0]!;
  // The caller's objects are gathered only once a handler has been called: a refused payload (most of
  // them, some 5000 levels deep) reaches no handler, and walking it was two thirds of this file's time.
  assertPlain(request, collectObjects(payload, new Set()), String(channel));
  // What the handler got is itself valid for its channel (and parsing it again changes nothing).
  const reparsed = parse(requestSchemas[calls[0]!.channel], request);
  if (!isDeepStrictEqual(reparsed, request)) expect(reparsed).toEqual(request);
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
    // 400 payloads for each of 40-odd channels: CPU-bound, longer than the default on a loaded machine.
  }, 120_000);

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
        const idChannel = channel === 'profiles.select' || channel === 'profiles.remove' || channel === 'profiles.removalPlan' || channel === 'profiles.export';
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
    const names: unknown[] = [
      '',
      ' ',
      '__proto__',
      'constructor',
      'toString',
      'valueOf',
      'usher:app.state',
      'APP.STATE',
      'app.state ',
      'app.state\u0000',
      'x'.repeat(100_000),
      1,
      null,
      undefined,
      {},
      [],
      Symbol('app.state'),
      new String('app.state'),
    ];
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
