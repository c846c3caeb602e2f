// Bad input is said as bad input: one line naming it (plus a hint), exit 2, never a stack trace, never a
// spin. Each row is a case a user or a script really typed; the message pins which check caught it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, runUsher, runUsherInProcess, type RunResult } from '../support/cli';
import { fixtures, qmcExport, tempFolder } from '../support/cert-fixtures';

// Nothing listens on port 1: a case that got past its check would fail later with exit 1, not 2.
const QPS = 'https://localhost:1';
// No keychain, a passphrase-sealed vault instead (in the throwaway data folder): no warning line either.
const NO_KEYCHAIN = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/usher-test-bus', USHER_VAULT_PASSPHRASE: 'bad-input-test-passphrase' };

const dir = tempFolder({
  ...qmcExport(fixtures.client(), fixtures.ca().certPem),
  'garbage.pem': '-----BEGIN PRIVATE KEY-----\nnot a key at all\n-----END PRIVATE KEY-----\n',
  'garbage.pfx': 'not a pfx',
  'existing-file': 'x',
});
const file = (name: string): string => join(dir, name);
const pem = (): string[] => ['--ca', file('root.pem'), '--cert', file('client.pem'), '--key', file('client_key.pem')];
const bigSite = file('big-site.json');
writeFileSync(bigSite, JSON.stringify({ nodes: Array.from({ length: 5000 }, (_, i) => ({ id: `n${i}`, name: `n${i}` })) }));

const CASES: Array<[string, string[], RegExp]> = [
  [
    '--timeout-ms Infinity',
    ['ticket', '--qps', QPS, ...pem(), '--user', 'D\\u', '--timeout-ms', 'Infinity'],
    /--timeout-ms must be a whole number from 1 to 600000, got "Infinity"/,
  ],
  ['--timeout-ms 1e309', ['ticket', '--qps', QPS, ...pem(), '--user', 'D\\u', '--timeout-ms', '1e309'], /--timeout-ms must be a whole number/],
  ['--timeout-ms 1e-9', ['sessions', '--qps', QPS, ...pem(), '--timeout-ms', '1e-9'], /--timeout-ms must be a whole number/],
  ['sessions --kill ""', ['sessions', '--qps', QPS, ...pem(), '--kill', ''], /--kill is empty/],
  ['sessions --user ""', ['sessions', '--qps', QPS, ...pem(), '--user', ''], /--user is empty/],
  [
    'validate-module --out <existing file>',
    ['validate-module', 'https://localhost:1/login', '--no-wait', '--out', file('existing-file')],
    /--out .* is a file, not a folder/,
  ],
  ['simulate --out ""', ['simulate', '--out', ''], /--out is empty/],
  [
    "login-as --method jwt (the signing pair is the console's)",
    ['login-as', '--qps', QPS, '--qrs', QPS, ...pem(), '--hub', QPS, '--user', 'D\\u', '--method', 'jwt'],
    /--method "jwt" is not a login method usher login-as makes/,
  ],
  ['login-as without a proxy', ['login-as', '--qps', QPS, '--qrs', QPS, ...pem(), '--user', 'D\\u'], /--hub is required \(or --profile NAME\)/],
  [
    'login-as --app and --url',
    ['login-as', '--qps', QPS, '--qrs', QPS, ...pem(), '--hub', QPS, '--user', 'D\\u', '--app', 'a', '--url', 'https://x'],
    /--app and --url name two targets/,
  ],
  [
    'ticket --open without a proxy to open it on',
    ['ticket', '--qps', QPS, ...pem(), '--user', 'D\\u', '--open'],
    /--open needs the proxy to open the ticket on/,
  ],
  ['simulate --out /proc/x', ['simulate', '--out', '/proc/usher-x/certs'], /kernel file system \(\/proc\)/],
  ['simulate --out /sys/x', ['simulate', '--out', '/sys/usher-x'], /kernel file system \(\/sys\)/],
  ['validate-module --out /dev/x', ['validate-module', 'https://localhost:1/login', '--no-wait', '--out', '/dev/usher-x'], /kernel file system \(\/dev\)/],
  ['a site file of 5,000 nodes', ['simulate', '--site', bigSite], /nodes: holds 5000 items; at most 64 are allowed/],
  ['--attr K without =', ['ticket', '--qps', QPS, ...pem(), '--user', 'D\\u', '--attr', 'K'], /--attr "K" has no "="/],
  ['--target-id ""', ['ticket', '--qps', QPS, ...pem(), '--user', 'D\\u', '--target-id', ''], /--target-id is empty/],
  ['https://user:pass@host', ['ticket', '--qps', 'https://user:pass@localhost:1', ...pem(), '--user', 'D\\u'], /--qps must not hold a user name or password/],
  ['--qrs with a password', ['proxies', '--qrs', 'https://:secret@localhost:1', ...pem()], /--qrs must not hold a user name or password/],
  [
    'ticket --key garbage',
    ['ticket', '--qps', QPS, '--ca', file('root.pem'), '--cert', file('client.pem'), '--key', file('garbage.pfx'), '--user', 'D\\u'],
    /--key .* holds no PEM private key/,
  ],
  ['ticket --pfx garbage', ['ticket', '--qps', QPS, '--ca', file('root.pem'), '--pfx', file('garbage.pfx'), '--user', 'D\\u'], /garbage\.pfx/],
  [
    'profile add --key garbage',
    ['profile', 'add', 'T', '--cert', file('client.pem'), '--key', file('garbage.pem'), '--ca', file('root.pem'), '--qps', QPS, '--qrs', QPS],
    /not saved: .*garbage\.pem/,
  ],
  [
    'profile add --key non-PEM',
    ['profile', 'add', 'T', '--cert', file('client.pem'), '--key', file('garbage.pfx'), '--ca', file('root.pem'), '--qps', QPS, '--qrs', QPS],
    /not saved: .*garbage\.pfx/,
  ],
  [
    'profile add --pfx garbage',
    ['profile', 'add', 'T', '--pfx', file('garbage.pfx'), '--ca', file('root.pem'), '--qps', QPS, '--qrs', QPS],
    /not saved: .*garbage\.pfx/,
  ],
  // Found by scripts/bad-input-sweep.mjs:
  [
    '--key /dev/zero (read forever before)',
    ['ticket', '--qps', QPS, '--ca', file('root.pem'), '--cert', file('client.pem'), '--key', '/dev/zero', '--user', 'D\\u'],
    /cannot read --key \/dev\/zero: not a regular file/,
  ],
  ['--site /dev/zero', ['simulate', '--site', '/dev/zero'], /cannot read site file \/dev\/zero: not a regular file/],
  ['--site ""', ['simulate', '--site', ''], /--site is empty/],
  [
    '--login-script /dev/zero',
    ['validate-module', 'https://localhost:1/login', '--no-wait', '--login-script', '/dev/zero'],
    /The login script \/dev\/zero is not a JavaScript file/,
  ],
  ['--error-rate "" (taken as 0 before)', ['simulate', '--error-rate', ''], /--error-rate must be a number from 0 to 1/],
  ['--limit 0x10', ['audit', '--limit', '0x10'], /--limit must be a whole number from 1 to 1000000, got "0x10"/],
  [
    'check --origin javascript:',
    ['check', '--qrs', QPS, ...pem(), '--origin', 'javascript:alert(1)'],
    /--origin javascript:alert\(1\) is not an https:\/\/ origin/,
  ],
  // The console's rule (console defect 14.10): an embedding page must be https, so http and ftp are refused too.
  ['check --origin http:', ['check', '--qrs', QPS, ...pem(), '--origin', 'http://x'], /--origin http:\/\/x is not an https:\/\/ origin/],
  [
    'check --origin ftp:',
    ['check', '--qrs', QPS, ...pem(), '--origin', 'ftp://portal.example.com'],
    /--origin ftp:\/\/portal\.example\.com is not an https:\/\/ origin/,
  ],
  [
    'validate-module --out of 10,000 characters',
    ['validate-module', 'https://localhost:1/login', '--no-wait', '--out', 'o'.repeat(10_000)],
    /--out is too long a path/,
  ],
  [
    '--hub with a newline (dropped by the URL parser before)',
    ['ticket', '--qps', QPS, ...pem(), '--user', 'D\\u', '--hub', 'https://a\nb'],
    /--hub holds white space or control characters/,
  ],
  [
    '--target-id with a terminal escape',
    ['ticket', '--qps', QPS, ...pem(), '--user', 'D\\u', '--target-id', '\u001b[2J'],
    /--target-id holds control characters/,
  ],
  [
    'a user id holding a terminal escape',
    ['ticket', '--qps', QPS, ...pem(), '--user', 'D\\x\u001b]0;x\u0007\u001b[2J'],
    /--user: the user id holds control characters \(x\\e\]0;x\\x07\\e\[2J\)/,
  ],
  [
    'a 10,000-character user id',
    ['ticket', '--qps', QPS, ...pem(), '--user', `D\\${'u'.repeat(10_000)}`],
    /the user id has 10000 characters; Qlik keeps at most 255/,
  ],
  // usher jwt: each flag's reading (electron/cli/commands/jwt.ts, by valibot schemas), before any site or vault.
  ['jwt mint without --profile', ['jwt', 'mint', '--user', 'D\\u'], /^usher: usher jwt mint needs --profile NAME$/],
  ['jwt show without --profile', ['jwt', 'show'], /^usher: usher jwt show needs --profile NAME$/],
  ['jwt keygen --alg HS256', ['jwt', 'keygen', '--profile', 'demo', '--alg', 'HS256'], /--alg "HS256" is not an algorithm Qlik verifies/],
  ['jwt keygen --bits 1024', ['jwt', 'keygen', '--profile', 'demo', '--bits', '1024'], /--bits must be a whole number from 2048 to 4096, got "1024"/],
  ['jwt keygen --bits 3000', ['jwt', 'keygen', '--profile', 'demo', '--bits', '3000'], /--bits must be one of 2048, 3072, 4096/],
  ['jwt keygen --days 0', ['jwt', 'keygen', '--profile', 'demo', '--days', '0'], /--days must be a whole number from 1 to 3650, got "0"/],
  ['jwt keygen --certificate without --key', ['jwt', 'keygen', '--profile', 'demo', '--certificate', file('client.pem')], /--certificate goes with --key/],
  ['jwt mint without --user', ['jwt', 'mint', '--profile', 'demo'], /^usher: --user is required$/],
  ['jwt mint --user without a directory', ['jwt', 'mint', '--profile', 'demo', '--user', 'alice'], /--user "alice" is not DIRECTORY\\ID/],
  [
    'jwt mint --expires-in 0',
    ['jwt', 'mint', '--profile', 'demo', '--user', 'D\\u', '--expires-in', '0'],
    /--expires-in must be a whole number from 1 to 2592000/,
  ],
  ['jwt mint --attr K', ['jwt', 'mint', '--profile', 'demo', '--user', 'D\\u', '--attr', 'K'], /--attr "K" has no "="/],
  ['jwt verify without the token', ['jwt', 'verify', '--profile', 'demo', '--vp', 'jwt'], /needs the token \(or - to read it from stdin\)/],
  ['jwt verify without --profile', ['jwt', 'verify', 'x.y.z'], /^usher: usher jwt verify needs --profile NAME$/],
  ['jwt verify without --vp', ['jwt', 'verify', '--profile', 'demo', 'x.y.z'], /usher jwt verify needs --vp PREFIX/],
  [
    'jwt verify --certificate with --profile',
    ['jwt', 'verify', '--certificate', file('client.pem'), '--profile', 'demo', 'x.y.z'],
    /--certificate verifies offline: drop --profile and --vp/,
  ],
  ['jwt verify --certificate alone', ['jwt', 'verify', '--certificate', file('client.pem'), 'x.y.z'], /--certificate needs --user-id-claim NAME/],
  [
    'jwt verify --certificate without a directory',
    ['jwt', 'verify', '--certificate', file('client.pem'), '--user-id-claim', 'sub', 'x.y.z'],
    /--certificate needs --directory-claim NAME or --directory DIR/,
  ],
  // usher profile: each action's flags (electron/cli/commands/profile.ts, by valibot schemas), before any site or profile.
  ['profile add without certificates', ['profile', 'add', 'T', '--qps', QPS, '--qrs', QPS], /certificates are required: --from DIR/],
  ['profile add --from and --cert', ['profile', 'add', 'T', '--from', dir, ...pem(), '--qps', QPS, '--qrs', QPS], /give --from DIR, or the files, not both/],
  [
    'profile add --pfx and --cert',
    ['profile', 'add', 'T', '--pfx', file('garbage.pfx'), '--cert', file('client.pem'), '--qps', QPS, '--qrs', QPS],
    /give either --pfx or --cert with --key, not both/,
  ],
  ['profile add without --qps', ['profile', 'add', 'T', '--from', dir, '--qrs', QPS], /^usher: --qps is required$/],
  ['profile add --qrs ftp:', ['profile', 'add', 'T', '--from', dir, '--qps', QPS, '--qrs', 'ftp://x'], /--qrs must use https/],
  [
    'profile add --timeout-ms 0',
    ['profile', 'add', 'T', '--from', dir, '--qps', QPS, '--qrs', QPS, '--timeout-ms', '0'],
    /--timeout-ms must be a whole number/,
  ],
  ['profile check --ticket-user alice', ['profile', 'check', 'nope', '--ticket-user', 'alice'], /--ticket-user "alice" is not DIRECTORY\\ID/],
  ['profile check --socket-origin alone', ['profile', 'check', 'nope', '--socket-origin', 'https://m.example'], /--socket-origin needs --ticket-user/],
  [
    'profile check --socket-origin http:',
    ['profile', 'check', 'nope', '--ticket-user', 'D\\u', '--socket-origin', 'http://m.example'],
    /--socket-origin "http:\/\/m\.example" is not https/,
  ],
  ['profile check --timeout-ms 1e3', ['profile', 'check', 'nope', '--timeout-ms', '1e3'], /--timeout-ms must be a whole number from 1 to 600000, got "1e3"/],
  ['profile rename without --name', ['profile', 'rename', 'nope'], /usher profile rename needs the new name/],
  ['profile set-addresses without --qrs', ['profile', 'set-addresses', 'nope', '--qps', QPS], /usher profile set-addresses needs --qps URL and --qrs URL/],
  ['profile without an action', ['profile'], /usher profile needs an action/],
  ['profile show without a name', ['profile', 'show'], /usher profile show needs a profile name/],
];

/**
 * The cases run as a real `usher` process: one per command, and every case about a spin (a read of
 * /dev/zero that never ends would hang a worker, not only fail). The others run the same bundle's
 * main(argv) in this worker (runUsherInProcess): the same reading of the flags and the same message,
 * without a Node start each.
 */
const REAL_PROCESS = new Set([
  '--key /dev/zero (read forever before)', // ticket
  '--site /dev/zero', // simulate
  '--login-script /dev/zero', // validate-module
  'sessions --kill ""',
  'login-as without a proxy',
  '--qrs with a password', // proxies
  'profile add --key garbage',
  '--limit 0x10', // audit
  'check --origin ftp:',
  'jwt keygen --bits 1024',
]);
const unknown = [...REAL_PROCESS].filter((name) => !CASES.some(([each]) => each === name));
if (unknown.length > 0) throw new Error(`REAL_PROCESS names no case: ${unknown.join(', ')}`);
const ENV = { ...NO_KEYCHAIN, USHER_PFX_PASSPHRASE: 'x' };

function expectBadInput(result: RunResult, message: RegExp): void {
  const [line] = expectOneLineError(result);
  expect(line).toMatch(message);
  expect(result.code).toBe(2);
  // No raw control character reaches the terminal, whatever the input held.
  expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
}

describe('bad input: one line, exit 2', () => {
  it.concurrent.each(CASES.filter(([name]) => REAL_PROCESS.has(name)))('%s', async (_name, args, message) => {
    expectBadInput(await runUsher(args, { env: ENV, timeoutMs: 30_000 }), message);
  });
});

describe('bad input: one line, exit 2 (main in process)', () => {
  it.each(CASES.filter(([name]) => !REAL_PROCESS.has(name)))('%s', async (_name, args, message) => {
    // The worker's own D-Bus stays (runUsherInProcess cannot change it); the passphrase still seals a vault.
    const { DBUS_SESSION_BUS_ADDRESS: _bus, ...env } = ENV;
    expectBadInput(await runUsherInProcess(args, { env }), message);
  });
});
