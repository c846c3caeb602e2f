#!/usr/bin/env node
// A bad-input sweep of the real `usher` command: hostile values (empty, blank, terminal escapes, bidi
// overrides, 10,000 characters, numbers Node takes as Infinity, kernel paths, URLs with passwords, ...)
// in every flag of every command, each with otherwise valid arguments against a simulated site on
// loopback. Each outcome is sorted into: a clean bad-input error (one `usher:` line, an optional hint,
// exit 2), a clean failure (the same shape, exit 1: the input was well-formed and the site said no),
// accepted (exit 0), or anything else (more lines, a stack trace, a raw control character on the
// terminal, a hang, a signal). Prints the figures and every case that was not a clean error.
//
//   node scripts/bad-input-sweep.mjs [--concurrency N] [--json]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const USHER = join(import.meta.dirname, '..', 'bin', 'usher.js');
const args = process.argv.slice(2);
const CONCURRENCY = Number(args[args.indexOf('--concurrency') + 1]) || 3;
const AS_JSON = args.includes('--json');
const CASE_TIMEOUT_MS = 25_000;

const work = mkdtempSync(join(tmpdir(), 'usher-sweep-'));
const dataDir = join(work, 'data');
const env = {
  ...process.env,
  USHER_DATA_DIR: dataDir,
  // No keychain here: a passphrase vault in the throwaway data folder, so nothing touches a real one.
  DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/usher-sweep-bus',
  USHER_VAULT_PASSPHRASE: 'sweep-passphrase-not-secret',
  USHER_PFX_PASSPHRASE: 'x',
  USHER_KEY_PASSPHRASE: 'x',
};

function runUsher(argv, timeoutMs = CASE_TIMEOUT_MS) {
  return new Promise((resolve) => {
    // In the throwaway folder: a relative --out that is accepted is created there, not in the checkout.
    const child = spawn(process.execPath, [USHER, ...argv], { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

async function startSite() {
  const out = join(work, 'export');
  const child = spawn(process.execPath, [USHER, 'simulate', '--localhost', '--out', out], { env, cwd: work, stdio: ['pipe', 'pipe', 'pipe'] });
  const line = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('usher simulate printed no ready line')), 60_000);
    createInterface({ input: child.stdout }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`usher simulate exited with ${code}`)));
  });
  return { child, ready: JSON.parse(line) };
}

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function classify(r) {
  if (r.timedOut) return 'hang';
  if (r.signal) return `signal ${r.signal}`;
  if (RAW_CONTROL.test(r.stdout.replace(/\r\u001b\[2K/g, '')) || RAW_CONTROL.test(r.stderr)) return 'raw control character';
  if (/\n\s+at .+:\d+:\d+/.test(r.stderr)) return 'stack trace';
  if (r.code === 0) return 'accepted';
  const lines = r.stderr.trim().split('\n');
  // Notes a command prints before its error (a warning, an example failure) are allowed once each.
  const errorAt = lines.findLastIndex((l) => l.startsWith('usher: '));
  if (errorAt < 0) return 'no usher: line';
  const after = lines.slice(errorAt + 1);
  if (after.length > 1 || (after.length === 1 && !/^ {2}hint: /.test(after[0]))) return 'more than a line and a hint';
  if (/unexpected error/.test(lines[errorAt])) return 'unexpected error';
  if (r.code === 2) return errorAt === 0 ? 'clean bad input (exit 2)' : 'clean bad input (exit 2) after a note';
  if (r.code === 1) return errorAt === 0 ? 'clean failure (exit 1)' : 'clean failure (exit 1) after a note';
  return `exit ${r.code}`;
}

const HOSTILE = {
  empty: '',
  blank: '   ',
  escape: 'x\u001b]0;owned\u0007\u001b[2J',
  c1: 'x\u009b31my',
  bidi: 'admin\u202etxt.exe',
  newline: 'a\nb',
  nul: 'a\u0000b'.replace('\u0000', '\\0'), // a NUL cannot be passed in argv; its text form instead
  long: 'u'.repeat(10_000),
  infinity: 'Infinity',
  huge: '1e309',
  tiny: '1e-9',
  negative: '-5',
  nan: 'NaN',
  hex: '0x10',
  dashes: '--',
  traversal: '../../../../etc/passwd',
  proc: '/proc/self/mem',
  devzero: '/dev/zero',
  folder: '/tmp',
  userinfo: 'https://user:pass@localhost:1',
  http: 'http://localhost:1',
  js: 'javascript:alert(1)',
  emoji: '🙂🙂',
};

function buildCases(ready) {
  const export_ = ready.certificates;
  const ca = join(export_, 'root.pem');
  const cert = join(export_, 'client.pem');
  const key = join(export_, 'client_key.pem');
  const pem = ['--ca', ca, '--cert', cert, '--key', key];
  const central = ready.nodes.find((n) => n.name === 'central') ?? ready.nodes[0];
  const bigSite = join(work, 'big-site.json');
  writeFileSync(bigSite, JSON.stringify({ nodes: Array.from({ length: 5000 }, (_, i) => ({ id: `n${i}` })) }));
  const notJson = join(work, 'not-json.json');
  writeFileSync(notJson, '{"nodes": [');
  const existingFile = join(work, 'existing-file');
  writeFileSync(existingFile, 'x');
  const extraValues = { bigSite, notJson, existingFile };

  // [command prefix, flag, base args]; the hostile value goes into the flag.
  const slots = [
    ['ticket', '--user', ['--qps', central.qps, ...pem]],
    ['ticket', '--attr', ['--qps', central.qps, ...pem, '--user', 'DEMO\\alice']],
    ['ticket', '--target-id', ['--qps', central.qps, ...pem, '--user', 'DEMO\\alice']],
    ['ticket', '--virtual-proxy', ['--qps', central.qps, ...pem, '--user', 'DEMO\\alice']],
    ['ticket', '--qps', [...pem, '--user', 'DEMO\\alice']],
    ['ticket', '--hub', ['--qps', central.qps, ...pem, '--user', 'DEMO\\alice']],
    ['ticket', '--timeout-ms', ['--qps', central.qps, ...pem, '--user', 'DEMO\\alice']],
    ['ticket', '--key', ['--qps', central.qps, '--ca', ca, '--cert', cert, '--user', 'DEMO\\alice']],
    ['ticket', '--pfx', ['--qps', central.qps, '--ca', ca, '--user', 'DEMO\\alice']],
    ['ticket', '--ca', ['--qps', central.qps, '--cert', cert, '--key', key, '--user', 'DEMO\\alice']],
    ['sessions', '--kill', ['--qrs', central.qrs, ...pem]],
    ['sessions', '--user', ['--qrs', central.qrs, ...pem]],
    ['sessions', '--kill-user', ['--qrs', central.qrs, ...pem]],
    ['sessions', '--qrs', [...pem]],
    ['sessions', '--timeout-ms', ['--qrs', central.qrs, ...pem]],
    ['proxies', '--qrs', [...pem]],
    ['simulate', '--out', []],
    ['simulate', '--site', []],
    ['simulate', '--nodes', []],
    ['simulate', '--error-rate', []],
    ['validate-module', '--out', ['https://localhost:1/login', '--no-wait']],
    ['validate-module', '--timeout-ms', ['https://localhost:1/login', '--no-wait']],
    ['validate-module', '--login-script', ['https://localhost:1/login', '--no-wait']],
    ['validate-module', '--format', ['https://localhost:1/login', '--no-wait']],
    ['audit', '--limit', []],
    ['check', '--origin', ['--qrs', central.qrs, ...pem, '--no-probe']],
    ['check', '--format', ['--qrs', central.qrs, ...pem, '--no-probe']],
    ['profile show', null, []],
    ['profile import', null, []],
    ['profile add', null, ['--from', export_, '--qps', central.qps, '--qrs', central.qrs]],
  ];
  // A hostile value per slot, except where it would be valid input that starts a long-running server.
  const cases = [];
  for (const [command, flag, base] of slots) {
    for (const [name, value] of Object.entries(HOSTILE)) {
      // Values that are valid there (a folder may be called "Infinity"; 1e-9 is a rate) would start a site.
      if (command === 'simulate' && flag === '--out' && !['empty', 'blank', 'long', 'proc', 'devzero'].includes(name)) continue;
      if (command === 'simulate' && flag === '--error-rate' && name === 'tiny') continue;
      if (command === 'profile add' && name !== 'empty' && name !== 'blank' && name !== 'long' && name !== 'escape' && name !== 'newline' && name !== 'bidi')
        continue;
      const argv = [...command.split(' '), ...(flag ? [...base, flag, value] : [value, ...base])];
      cases.push({ name: `${command} ${flag ?? '<arg>'} ${name}`, argv });
    }
  }
  cases.push({ name: 'simulate --site (5,000 nodes)', argv: ['simulate', '--site', extraValues.bigSite] });
  cases.push({ name: 'simulate --site (not JSON)', argv: ['simulate', '--site', extraValues.notJson] });
  cases.push({ name: 'simulate --out (an existing file)', argv: ['simulate', '--out', extraValues.existingFile] });
  cases.push({
    name: 'validate-module --out (an existing file)',
    argv: ['validate-module', 'https://localhost:1/login', '--no-wait', '--out', extraValues.existingFile],
  });
  cases.push({ name: 'unknown command with an escape', argv: [HOSTILE.escape] });
  cases.push({ name: 'vault with an escape', argv: ['vault', HOSTILE.escape] });
  return cases;
}

async function main() {
  const site = await startSite();
  let results;
  try {
    const cases = buildCases(site.ready);
    results = []; // filled by index as the workers finish: results[i] is cases[i]'s
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        const started = Date.now();
        const r = await runUsher(cases[i].argv);
        results[i] = {
          name: cases[i].name,
          outcome: classify(r),
          code: r.code,
          ms: Date.now() - started,
          firstLine: r.stderr.trim().split('\n').at(-1)?.slice(0, 160) ?? '',
        };
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    site.child.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
  const counts = {};
  for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  const notClean = results.filter((r) => !r.outcome.startsWith('clean'));
  if (AS_JSON) {
    process.stdout.write(JSON.stringify({ tried: results.length, counts, notClean, results }, null, 2) + '\n');
  } else {
    process.stdout.write(`inputs tried: ${results.length}\n`);
    for (const [outcome, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${String(n).padStart(4)}  ${outcome}\n`);
    if (notClean.length) {
      process.stdout.write('\nnot a clean one-line error:\n');
      for (const r of notClean)
        process.stdout.write(`  ${r.outcome.padEnd(28)} ${JSON.stringify(r.name).slice(0, 70)}  ${JSON.stringify(r.firstLine).slice(0, 120)}\n`);
    }
  }
  process.exitCode = results.some((r) => !r.outcome.startsWith('clean') && r.outcome !== 'accepted') ? 1 : 0;
}

await main();
