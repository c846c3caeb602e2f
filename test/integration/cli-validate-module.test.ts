// `usher validate-module` as a terminal or CI runs it, against sample modules served by this test process.
// The refusals of a flag or file run the bundle's main(argv) in this worker (runUsherInProcess): the same
// check and line without a Node start. The validations themselves stay real `usher` processes, and so does
// the login script in the data folder: it is found from the process's own working directory (cwd).
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VALIDATION_STEP_ORDER, type ValidationReport } from '../../shared/module-validation';
import { expectOneLineError, runUsher, runUsherInProcess } from '../support/cli';
import { sampleModuleTls, startSampleModule, type SampleDefect, type SampleModule } from '../support/sample-modules';

const work = mkdtempSync(join(tmpdir(), 'usher-validate-cli-'));
const modules: SampleModule[] = [];
afterAll(async () => {
  await Promise.all(modules.map((m) => m.close()));
});

/** A sample module reading the export from `dir` at each login: the CLI writes it there (--out) before it runs. */
async function moduleWithExportAt(dir: string, defect?: SampleDefect): Promise<{ url: string; caFile: string }> {
  const tls = sampleModuleTls();
  const module = await startSampleModule({ defect, tls, certificatesDir: dir });
  modules.push(module);
  const caFile = join(work, 'module-ca.pem');
  writeFileSync(caFile, tls.caPem);
  return { url: module.url, caFile };
}

describe('usher validate-module', () => {
  it('grades the correct sample module green (--no-wait, JSON, a login script)', async () => {
    const out = join(work, 'certs-correct');
    const { url, caFile } = await moduleWithExportAt(out);
    const script = join(work, 'login.js');
    writeFileSync(script, "module.exports = async (browser, url, context) => browser.get(url + '&login_hint=' + context.loginHint + '-scripted');\n");
    const r = await runUsher(['validate-module', url, '--module-ca', caFile, '--out', out, '--no-wait', '--login-script', script, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    // Setup lines go to stderr with --format json, so stdout is the report alone.
    expect(r.stderr).toContain(`certificates:  ${out}`);
    expect(r.stderr).toMatch(/proxyRestUri:  https:\/\/localhost:\d+\/qps\/module\//);
    const report = JSON.parse(r.stdout) as ValidationReport;
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.status)).toEqual(Array(VALIDATION_STEP_ORDER.length).fill('pass'));
    expect(report.steps.find((s) => s.id === 'session-user')!.detail).toContain('SAMPLE\\validator-1-scripted');
  });

  it('names the defect of a broken module in the table and exits 1', async () => {
    const out = join(work, 'certs-mismatch');
    const { url, caFile } = await moduleWithExportAt(out, 'xrfkey-mismatch');
    const r = await runUsher(['validate-module', url, '--module-ca', caFile, '--out', out, '--wait-ms', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^3\s+The module's ticket request, as QPS saw it\s+FAIL\s+\d+ ms\s+xrfkey mismatch/m);
    expect(r.stdout).toContain("FAIL 3. The module's ticket request, as QPS saw it (ticket-request)");
    expect(r.stderr).toMatch(/^usher: the module failed \d step\(s\): .*ticket-request/m);
  });

  it('refuses a module URL that is not https, and a missing one, in one line', async () => {
    const plain = await runUsherInProcess(['validate-module', 'http://127.0.0.1:1/login', '--no-wait']);
    expect(plain.code).toBe(2);
    expect(expectOneLineError(plain)[0]).toMatch(/the module URL must use https/);
    const missing = await runUsherInProcess(['validate-module', '--no-wait']);
    expect(missing.code).toBe(2);
    expect(expectOneLineError(missing)[0]).toMatch(/the module URL is missing/);
  });

  // The console's rules for what the person points at, now the CLI's too (one loader in the core).
  it('refuses a TypeScript login script (the console loads .js/.cjs only), in one line, exit 2', async () => {
    const script = join(work, 'login.ts');
    writeFileSync(script, 'export default async (browser: unknown, url: string) => url;\n');
    const r = await runUsherInProcess(['validate-module', 'https://localhost:1/login', '--no-wait', '--login-script', script]);
    expect(r.code).toBe(2);
    const [line, hint] = expectOneLineError(r);
    expect(line).toBe(`usher: The login script ${script} is not a JavaScript file (.js or .cjs).`);
    expect(hint).toMatch(/module\.exports = async/);
  });

  it("never runs a login script kept in Usher's data folder, even by a relative path through a link", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'usher-validate-data-'));
    const ran = join(work, 'planted-ran');
    const planted = join(dataDir, 'partitions', 'p-1', 'downloads');
    mkdirSync(planted, { recursive: true });
    writeFileSync(join(planted, 'login.js'), `require('node:fs').writeFileSync(${JSON.stringify(ran)}, 'ran'); module.exports = async () => undefined;\n`);
    symlinkSync(join(planted, 'login.js'), join(work, 'innocent.js'));
    for (const [cwd, path] of [
      [work, 'innocent.js'],
      [planted, 'login.js'],
    ] as const) {
      const r = await runUsher(['validate-module', 'https://localhost:1/login', '--no-wait', '--login-script', path], {
        env: { USHER_DATA_DIR: dataDir },
        cwd,
      });
      expect(r.code, path).toBe(2);
      expect(expectOneLineError(r)[0]).toMatch(/^usher: The login script \S+\.js is inside Usher's data folder/);
    }
    expect(existsSync(ran)).toBe(false);
  });

  it('refuses a --module-ca file that holds no PEM certificate, naming the file and the fix, exit 2', async () => {
    const der = join(work, 'module-ca.der');
    writeFileSync(der, Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x82]));
    const r = await runUsherInProcess(['validate-module', 'https://localhost:1/login', '--no-wait', '--module-ca', der]);
    expect(r.code).toBe(2);
    const [line, hint] = expectOneLineError(r);
    expect(line).toBe(`usher: The module CA file ${der} holds no PEM certificate.`);
    expect(hint).toBe('  hint: Export the CA certificate as PEM (Base-64, "-----BEGIN CERTIFICATE-----").');
  });
});
