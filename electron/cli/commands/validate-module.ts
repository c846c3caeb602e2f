// `usher validate-module URL`: Usher plays the proxy for an authentication module. Starts the built-in
// site with its ticket virtual proxy pointing at URL, prints where the certificate export is (the module
// must use it to call QPS), waits until the module is ready, then grades the login step by step.
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { VALIDATION_STEP_TIMING, type ValidationReport, type ValidationStep } from '../../../shared/module-validation';
import { usherDataDir } from '../../core/paths';
import { loadLoginScriptFile, readModuleCa, startValidation, ValidationSetupError, type ValidationRun } from '../../core/validator';
import { startValidationSite } from '../../simulator/validation-site';
import * as v from 'valibot';
import { parseFlags, type Command } from '../command';
import { flagInput, formatFlag, switchFlag, wholeNumberFlag } from '../flag-schema';
import { CommandFailed, UsageError } from '../errors';
import { formatTable, printJson, printLine, printNote } from '../output';
import { checkOutputFolder } from '../user-file';
import { keptSitePki } from '../site-certs';

const USAGE = `
usage: usher validate-module URL [--login-script FILE] [--module-ca FILE] [--out DIR]
                             [--wait-ms N | --no-wait] [--timeout-ms MS] [--format table|json]

Tests an external authentication module against the proxy's side of the ticket contract. Usher starts
its built-in site with a ticket virtual proxy whose authenticationModuleRedirectUri is URL, writes the
site's certificate export (client.pem, client_key.pem, root.pem, client.pfx) and prints its folder and
the proxyRestUri. Configure the module to call QPS with those certificates, press Enter, and the run
grades: the redirect to the module, the login, the ticket request as QPS saw it (client certificate,
xrfkey, body casing, TargetId, attributes), the redirect back with qlikTicket, the session's user, and
the probes (a replayed ticket, an unknown targetId, two logins in parallel). Exit 1 when a step fails.

  --login-script FILE  a CommonJS .js/.cjs file exporting async (browser, redirectUrl, {account, loginHint})
                       => response that logs in at the module (default: GET the URL and follow redirects);
                       never one inside Usher's data folder, where partition downloads land
  --module-ca FILE     PEM of the CA that issued the module's HTTPS certificate (besides system roots)
  --out DIR            write the certificate export here (default: a temp folder removed afterwards)
  --wait-ms N          wait N ms instead of for Enter; --no-wait starts at once (CI)
  --timeout-ms MS      per login (default 30000)
`;

const FLAGS = {
  'login-script': { type: 'string' },
  'module-ca': { type: 'string' },
  out: { type: 'string' },
  'wait-ms': { type: 'string' },
  'no-wait': { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  format: { type: 'string' },
} as const;

const FORMATS = ['table', 'json'] as const;

/** Until Enter (a terminal), a line or the end of stdin (a pipe), or `ms`. */
function waitForGo(ms: number | undefined, write: (text: string) => void): Promise<void> {
  if (ms !== undefined) {
    write(`Starting in ${ms} ms...`);
    return new Promise((r) => setTimeout(r, ms));
  }
  write('Configure the module with these certificates, then press Enter to start.');
  return new Promise((r) => {
    const rl = createInterface({ input: process.stdin });
    const done = (): void => {
      rl.close();
      r();
    };
    rl.once('line', done);
    rl.once('close', r);
  });
}

const MARK: Record<ValidationStep['status'], string> = { pass: 'pass', warn: 'WARN', fail: 'FAIL', skipped: 'skip', running: '...' };

function renderReport(report: ValidationReport): string {
  const table = formatTable(report.steps, [
    { header: '#', value: (s) => String(report.steps.indexOf(s) + 1) },
    { header: 'Step', value: (s) => s.title },
    { header: 'Result', value: (s) => MARK[s.status] },
    { header: 'Time', value: (s) => (s.ms === undefined ? '' : `${s.ms} ms`) },
    { header: 'Verdict', value: (s) => s.detail },
  ]);
  const details = report.steps
    .filter((s) => s.status === 'fail' || s.status === 'warn')
    .map((s) => [`${MARK[s.status]} ${report.steps.indexOf(s) + 1}. ${s.title} (${s.id})`, ...s.evidence.map((e) => `     ${e}`)].join('\n'));
  const failed = report.steps.filter((s) => s.status === 'fail').length;
  const warned = report.steps.filter((s) => s.status === 'warn').length;
  const verdict = failed ? `${failed} step(s) failed, ${warned} warning(s)` : warned ? `no failures, ${warned} warning(s)` : 'every step passed';
  const legend = report.steps
    .filter((s) => s.ms !== undefined)
    .map((s) => `${report.steps.indexOf(s) + 1}: ${VALIDATION_STEP_TIMING[s.id]}`)
    .join('; ');
  return [table, '', ...(details.length ? ['Evidence:', ...details, ''] : []), `Time: ${legend}`, `Module ${report.moduleUrl}: ${verdict}.`].join('\n');
}

/** The flags of `usher validate-module` read into the run's options (the module URL is the positional). */
const VALIDATE_INPUT = v.object({
  format: formatFlag(FORMATS),
  'no-wait': switchFlag,
  'wait-ms': wholeNumberFlag('wait-ms', 0, 3_600_000),
  'timeout-ms': wholeNumberFlag('timeout-ms', 0, 600_000),
  'login-script': v.optional(v.string()),
  'module-ca': v.optional(v.string()),
  out: v.optional(v.string()),
});

export const validateModuleCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const { values: words, positionals } = parseFlags(argv, FLAGS, 'validate-module', true);
    const [url, extra] = positionals;
    if (extra !== undefined) throw new UsageError(`one module URL only, got also "${extra}"`);
    if (!url) throw new UsageError('the module URL is missing', 'usher validate-module https://auth.example.com/login');
    const values = flagInput(VALIDATE_INPUT, words, 'validate-module');
    const { format, 'timeout-ms': timeoutMs } = values;
    const waitMs = values['no-wait'] ? 0 : values['wait-ms'];
    // The console's loader and reader: a relative path is the person's, from where they stand.
    const loginScript = values['login-script'] ? loadLoginScriptFile(resolve(values['login-script']), usherDataDir()) : undefined;
    const moduleCaPem = values['module-ca'] ? readModuleCa(resolve(values['module-ca'])) : undefined;
    // With --format json, stdout carries only the report; the setup lines go to stderr.
    const say = (text: string): void => {
      (format === 'json' ? printNote : printLine)(text);
    };

    let run: ValidationRun;
    try {
      run = await startValidation({
        moduleUrl: url,
        startSite: (options) => startValidationSite({ ...options, ...keptSitePki() }),
        ...(loginScript ? { loginScript } : {}),
        ...(moduleCaPem ? { moduleCaPem } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(values.out !== undefined ? { certificatesDir: checkOutputFolder('out', values.out) } : {}),
        onStep: (step) => {
          if (format === 'table' && step.status === 'running') say(`  ... ${step.title}`);
        },
      });
    } catch (err) {
      if (err instanceof ValidationSetupError) throw new UsageError(err.message, err.hint);
      throw err;
    }
    try {
      say(`Usher plays the proxy for ${url}`);
      say(`  certificates:  ${run.certificatesDir}  (client.pem, client_key.pem, root.pem; client.pfx passphrase ${run.pfxPassphrase})`);
      say(`  proxyRestUri:  ${run.proxyRestUri}  (the module also receives it with every login)`);
      say(`  hub:           ${run.hubUrl}`);
      if (waitMs !== 0) await waitForGo(waitMs, say);
      const report = await run.execute();
      if (format === 'json') printJson(report);
      else printLine(`\n${renderReport(report)}`);
      const failed = report.steps.filter((s) => s.status === 'fail');
      if (failed.length) throw new CommandFailed(`the module failed ${failed.length} step(s): ${failed.map((s) => s.id).join(', ')}`);
    } finally {
      await run.close();
    }
  },
};
