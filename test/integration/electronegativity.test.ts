// Security scan of the Electron code with @doyensec/electronegativity. The tool always exits 0, so this
// reads its SARIF output and fails on any finding not justified in test/electronegativity-allowlist.json,
// on allow-list entries that no longer match anything (so the list stays minimal), on files the scanner
// could not parse (it would silently skip them), and on inline `eng-disable` comments (which would hide
// findings from the report instead of justifying them here).
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../electron/bundle/csp';

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const SARIF = join(ARTIFACTS, 'electronegativity.sarif');
const requireFromRoot = createRequire(join(ROOT, 'package.json'));
const RUNNER = requireFromRoot.resolve('@doyensec/electronegativity');

/**
 * Not run: AvailableSecurityFixesGlobalCheck downloads Electron's release list and reports "a newer
 * Electron exists", which depends on the network and the date, not on this code. Keeping Electron
 * current is the dependency update's job; this scan must give the same answer offline and tomorrow.
 */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

interface AllowEntry {
  check: string;
  file: string;
  message?: string;
  justification: string;
}
interface Finding {
  check: string;
  file: string;
  line: number | undefined;
  message: string;
}

/** What is scanned: every file of electron/main and electron/preload, the electron host, the console page. */
function scanSources(): string[] {
  const files = (dir: string) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `${dir}/${f}`);
  return [
    ...files('electron/main'),
    ...files('electron/preload'),
    ...files('electron/hosts').filter((f) => /\/electron[^/]*\.ts$/.test(f)),
    'renderer/index.html',
    // Lets the scanner know the Electron version for its version-dependent checks.
    'package.json',
  ];
}

// A child process: the scanner registers globals (i18n's __) and a logger we do not want in the test
// worker. The programmatic entry writes the same SARIF as the CLI's `-o out.sarif` and also returns
// the parse errors that the CLI only prints when it is not writing a file (into a file of its own: the
// scanner's stdout carries its log lines).
const SCAN_SCRIPT = `
const run = require(process.argv[1]);
(run.default || run)({
  input: process.argv[2], output: process.argv[3], isSarif: true, isRelative: true, isVerbose: false,
  customScan: [], excludeFromScan: JSON.parse(process.argv[4]), parserPlugins: [],
}, false).then(
  (r) => require('node:fs').writeFileSync(process.argv[5], JSON.stringify({ errors: r.errors, checks: r.globalChecks + r.atomicChecks, issues: r.issues.length })),
  (e) => { console.error(e); process.exit(1); },
);`;

let workdir = '';
let summary: { errors: Array<{ file: string; message: string; tolerable: boolean }>; checks: number; issues: number };
let findings: Finding[] = [];
const allowlist = (JSON.parse(readFileSync(join(ROOT, 'test', 'electronegativity-allowlist.json'), 'utf8')) as { entries: AllowEntry[] }).entries;

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'usher-electronegativity-'));
  for (const file of scanSources()) {
    mkdirSync(dirname(join(workdir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(workdir, file));
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  rmSync(SARIF, { force: true });
  // LANG=C: the scanner words its messages in $LANG; C has no translation, so they stay the built-in English.
  const summaryFile = join(workdir, '..', `${workdir.split(/[\\/]/).pop()}-summary.json`);
  await promisify(execFile)(process.execPath, ['-e', SCAN_SCRIPT, RUNNER, workdir, SARIF, JSON.stringify(EXCLUDED_CHECKS), summaryFile], {
    cwd: workdir,
    env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as typeof summary;
  rmSync(summaryFile, { force: true });
  const sarif = JSON.parse(readFileSync(SARIF, 'utf8')) as {
    runs: Array<{
      results: Array<{
        ruleId: string;
        message: { text: string };
        locations?: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number } } }>;
      }>;
    }>;
  };
  findings = sarif.runs.flatMap((run) =>
    run.results.map((result) => ({
      check: result.ruleId,
      file: (result.locations?.[0]?.physicalLocation.artifactLocation.uri ?? 'N/A').replace(/\\/g, '/'),
      line: result.locations?.[0]?.physicalLocation.region?.startLine,
      message: result.message.text,
    })),
  );
}, 150_000);

afterAll(() => {
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

function allowedBy(finding: Finding): AllowEntry | undefined {
  return allowlist.find((e) => e.check === finding.check && e.file === finding.file && (e.message === undefined || e.message === finding.message));
}

describe('electronegativity scan', () => {
  it('ran its checks over every file, parsing all of them', () => {
    expect(summary.checks).toBeGreaterThan(30);
    expect(summary.errors).toEqual([]);
    expect(summary.issues).toBe(findings.length);
  });

  it('reports nothing that is not justified in the allow-list', () => {
    const unexplained = findings.filter((f) => !allowedBy(f)).map((f) => `${f.check} ${f.file}:${f.line ?? '?'} ${f.message}`);
    expect(unexplained).toEqual([]);
  });

  it('keeps the allow-list minimal and honest: every entry matches a finding and says why', () => {
    for (const entry of allowlist) {
      expect(entry.justification.length, `${entry.check} ${entry.file}`).toBeGreaterThan(40);
      expect(
        findings.some((f) => allowedBy(f) === entry),
        `stale allow-list entry ${entry.check} ${entry.file}`,
      ).toBe(true);
    }
  });

  it('is not silenced by inline eng-disable comments', () => {
    const silenced = scanSources().filter((file) => /eng-disable/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(silenced).toEqual([]);
  });

  it("the console CSP's only csp-evaluator remark is the allow-listed script-src 'self' note", () => {
    const requireFromScanner = createRequire(RUNNER);
    const csp = requireFromScanner('@doyensec/csp-evaluator') as {
      CspParser: new (policy: string) => { csp: unknown };
      CspEvaluator: new (policy: unknown, version: unknown) => { evaluate(): Array<{ severity: number; directive: string; value: string }> };
      Version: { CSP3: unknown };
      severities: Record<string, number>;
    };
    const remarks = new csp.CspEvaluator(new csp.CspParser(CONSOLE_CSP).csp, csp.Version.CSP3).evaluate();
    expect(remarks.map((r) => ({ severity: r.severity, directive: r.directive, value: r.value }))).toEqual([
      { severity: csp.severities.MEDIUM_MAYBE, directive: 'script-src', value: "'self'" },
    ]);
  });
});
