// `npx tsx bench/schema-libraries.ts`: why the IPC contract (and every other boundary) uses valibot.
// The same two realistic channel schemas (tickets.request with 20 attributes, trust.run) are written
// with valibot, zod and zod/mini (bench/schema-libraries/*.ts). For each: the size it adds to a
// minified browser bundle (esbuild, as the renderer ships; raw and gzip), and the time to parse a
// valid payload and to refuse an invalid one. Figures, never pass/fail.
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import * as valibot from './schema-libraries/valibot';
import * as zod from './schema-libraries/zod';
import * as zodMini from './schema-libraries/zod-mini';

const LIBRARIES = { valibot, zod, 'zod/mini': zodMini } as const;
const FILES: Record<keyof typeof LIBRARIES, string> = { valibot: 'valibot.ts', zod: 'zod.ts', 'zod/mini': 'zod-mini.ts' };

const attributes = Array.from({ length: 20 }, (_, i) => ({ key: i % 2 ? 'group' : 'email', value: `value-${i}@example.test` }));
const VALID_TICKET = { profileId: 'prod-eu', virtualProxy: 'ticket', userDirectory: 'CORP', userId: 'alice', attributes, reason: 'support case 42' };
const VALID_TRUST = {
  input: { kind: 'pem', certPath: '/c/client.pem', keyPath: '/c/client_key.pem', caPath: '/c/root.pem' },
  qps: 'https://qlik.example.test:4243',
  qrs: 'https://qlik.example.test:4242/',
};
const INVALID_TICKET = { ...VALID_TICKET, attributes: [...attributes.slice(0, 19), { key: 'group', value: 7 }] };

async function bundleSize(file: string): Promise<{ raw: number; gzip: number }> {
  const result = await esbuild.build({
    entryPoints: [join(__dirname, 'schema-libraries', file)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome130',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { raw: code.length, gzip: gzipSync(code).length };
}

function timePerCall(fn: () => void, iterations: number): number {
  for (let i = 0; i < 2000; i++) fn(); // warm-up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return ((performance.now() - start) * 1000) / iterations; // microseconds
}

function refuse(parse: (p: unknown) => unknown, payload: unknown): void {
  try {
    parse(payload);
  } catch {
    return;
  }
  throw new Error('the invalid payload was accepted');
}

export async function compareSchemaLibraries(iterations = 20_000): Promise<string[]> {
  const lines = ['library     bundle min  gzip     tickets.request ok  trust.run ok  refusal'];
  for (const [name, lib] of Object.entries(LIBRARIES) as Array<[keyof typeof LIBRARIES, typeof valibot]>) {
    const size = await bundleSize(FILES[name]);
    const ticket = timePerCall(() => lib.parseTicketsRequest(VALID_TICKET), iterations);
    const trust = timePerCall(() => lib.parseTrustRun(VALID_TRUST), iterations);
    const invalid = timePerCall(() => refuse(lib.parseTicketsRequest, INVALID_TICKET), iterations);
    lines.push(
      `${name.padEnd(11)} ${(size.raw / 1024).toFixed(1).padStart(7)} KiB ${(size.gzip / 1024).toFixed(1).padStart(5)} KiB ${ticket.toFixed(1).padStart(12)} µs ${trust.toFixed(1).padStart(10)} µs ${invalid.toFixed(1).padStart(6)} µs`,
    );
  }
  return lines;
}

if (require.main === module) {
  compareSchemaLibraries().then((lines) => console.log(lines.join('\n')));
}
