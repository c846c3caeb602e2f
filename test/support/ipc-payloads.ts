// Payloads for the IPC fuzz tests: a seeded PRNG, one valid request per channel, and generators of
// random, boundary-shaped and hostile values (wrong types, huge strings, control characters, pollution
// keys, NaN/Infinity, deep nesting, throwing proxies). Every address in them is loopback: the backend fuzz
// sends what passes the schema to the real handlers.
import type { Channel, RequestOf } from '../../shared/ipc/contract';

/** Small, fast, seedable PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const VALID: { [C in Channel]: RequestOf<C> } = {
  'app.state': {},
  'profiles.list': {},
  'profiles.select': { id: 'demo' },
  'profiles.removalPlan': { id: 'p-1' },
  'profiles.remove': { id: 'p-1' },
  'profiles.rename': { id: 'p-1', name: 'Prod EU' },
  'profiles.setAddresses': { id: 'p-1', qps: 'https://localhost:9', qrs: 'https://localhost:9' },
  'profiles.export': { id: 'p-1' },
  'profiles.import': { text: '{}' },
  'profiles.replaceCertificates': { id: 'p-1', runId: 'run-1' },
  'certs.inspect': { input: { kind: 'pfx', pfxPath: '/x/client.pfx', caPath: '/x/root.pem' }, passphrase: 'pw' },
  'demo.export': {},
  'trust.run': {
    input: { kind: 'pem', certPath: '/c.pem', keyPath: '/k.pem', caPath: '/r.pem' },
    qps: 'https://localhost:9',
    qrs: 'https://localhost:9/',
    ticketTest: { userDirectory: 'CORP', userId: 'alice', virtualProxy: 'hdr' },
  },
  'profiles.saveFromTrust': { runId: 'r1', name: 'Prod', defaultVirtualProxy: '', defaultUserDirectory: 'CORP' },
  'tickets.request': {
    profileId: 'demo',
    virtualProxy: '',
    userDirectory: 'CORP',
    userId: 'alice',
    attributes: [
      { key: 'group', value: 'sales' },
      { key: 'group', value: '' },
    ],
    targetId: 'abc',
    reason: 'support case 42',
  },
  'tickets.copy': { ticketId: 't1', format: 'curl' },
  'tickets.open': { ticketId: 't1', target: { kind: 'app', appId: '123' } },
  'requestLog.list': { filter: 'qps' },
  'requestLog.copy': { id: '12', format: 'powershell' },
  'audit.list': { limit: 100, profile: 'prod-eu' },
  'checks.run': { profileId: 'demo', origin: 'https://localhost:9', probe: true },
  'sessions.inspect': { profileId: 'demo' },
  'jwt.show': { profileId: 'demo' },
  'jwt.keygen': { profileId: 'demo', replace: false, algorithm: 'RS256', bits: '2048', commonName: 'Usher JWT signing' },
  'jwt.mint': {
    profileId: 'demo',
    virtualProxy: 'jwt',
    userDirectory: 'DEMO',
    userId: 'alice',
    groups: ['Sales'],
    attributes: [{ key: 'Email', value: 'alice@example.com' }],
    expiresInSeconds: 600,
  },
  'jwt.copy': { tokenId: 'jwt-1' },
  'jwt.verify': { profileId: 'demo', virtualProxy: 'jwt', token: 'a.b.c' },
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
  'login.as': {
    profileId: 'demo',
    virtualProxy: 'header',
    method: 'header',
    userDirectory: 'HEADER',
    userId: 'carol',
    attributes: [],
    target: { kind: 'hub' },
    partition: { kind: 'new' },
    reason: 'case 8',
  },
  'partitions.list': {},
  'partitions.copyCookie': { partitionId: 'p-1', name: 'X-Qlik-Session-ticket', domain: 'localhost', path: '/' },
  'partitions.clear': { partitionId: 'p-1' },
  'partitions.close': { partitionId: 'p-1' },
  'partitions.focus': { partitionId: 'p-1' },
  'files.choose': { what: 'folder' },
  'files.save': { what: { kind: 'audit' } },
  'partitions.destroy': { partitionId: 'shared-demo' },
  'sessions.end': { profileId: 'demo', scope: { kind: 'user', userDirectory: 'CORP', userId: 'alice' } },
  'validator.start': { moduleUrl: 'https://localhost:9/login', loginScriptPath: '/scripts/login.js', moduleCaPath: '/x/module-ca.pem' },
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
  'https://localhost:4243/path?x#y',
  'http://localhost:4243',
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

export interface Hostile {
  name: string;
  value: unknown;
  /** Legitimate as a whole payload where `{ id: 'demo' }` is: the handler still gets a fresh plain copy. */
  validAsIdPayload?: true;
}

export function hostile(): Hostile[] {
  const throwingGetter = Object.defineProperty({}, 'id', {
    enumerable: true,
    get: () => {
      throw new Error('getter');
    },
  });
  let reads = 0;
  const shapeShifter = Object.defineProperty({}, 'id', { enumerable: true, get: () => (reads++ === 0 ? 'demo' : '../../evil id') });
  const cyclic: Record<string, unknown> = { id: 'demo' };
  cyclic.self = cyclic;
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const trap = () => {
    throw new Error('trap');
  };
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

export function deep(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { input: value };
  return value;
}

export function randomValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * (depth > 3 ? 8 : 12));
  switch (pick) {
    case 0:
      return undefined;
    case 1:
      return null;
    case 2:
      return rand() < 0.5;
    case 3:
      return [0, -0, 1, -1, NaN, Infinity, -Infinity, 2 ** 53, 1e308, rand()][Math.floor(rand() * 10)];
    case 4:
    case 5:
      return NASTY_STRINGS[Math.floor(rand() * NASTY_STRINGS.length)];
    case 6:
      return String.fromCharCode(...Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 0xffff)));
    case 7: {
      const values = (hostileForRandom ??= hostile());
      return values[Math.floor(rand() * values.length)]!.value;
    }
    case 8:
      return Array.from({ length: Math.floor(rand() * 5) }, () => randomValue(rand, depth + 1));
    case 9:
    case 10: {
      const out: Record<string, unknown> = {};
      const keys = [
        ...Object.keys(VALID['tickets.request']),
        'input',
        'kind',
        'path',
        'target',
        'format',
        'id',
        'limit',
        'profile',
        'origin',
        'probe',
        '__proto__',
        'constructor',
        'x',
      ];
      for (let i = Math.floor(rand() * 5); i > 0; i--) {
        const key = keys[Math.floor(rand() * keys.length)]!;
        Object.defineProperty(out, key, { value: randomValue(rand, depth + 1), enumerable: true, configurable: true, writable: true });
      }
      return out;
    }
    default:
      return deep(1 + Math.floor(rand() * 5000));
  }
}

/** Every path (list of keys) into a plain value, for targeted mutations of a valid payload. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const inner = Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]));
  return [prefix, ...inner];
}

export function mutate(valid: unknown, rand: () => number): unknown {
  const copy = structuredClone(valid) as Record<string, unknown>;
  const all = paths(copy);
  const path = all[Math.floor(rand() * all.length)]!;
  if (path.length === 0) return randomValue(rand);
  let parent: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = path.at(-1)!;
  const action = Math.floor(rand() * 5);
  if (action === 0) delete parent[last];
  else if (action === 1)
    Object.defineProperty(parent, ['__proto__', 'constructor', 'extra', 'prototype'][Math.floor(rand() * 4)]!, {
      value: randomValue(rand),
      enumerable: true,
      configurable: true,
    });
  else parent[last] = randomValue(rand);
  return copy;
}
