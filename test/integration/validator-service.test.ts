// The console's module validator against the sample modules, over real TLS: the service's two phases,
// its live steps, one run at a time, cancel and cleanup; and the window login of the core (the person's
// browser played by a headless browser that follows the module's redirects, as a login without a form does).
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventTypes } from '../../shared/ipc/contract';
import { VALIDATION_STEP_ORDER, type ValidationReport } from '../../shared/module-validation';
import { BackendEvents } from '../../electron/app/backend-events';
import { ValidatorService } from '../../electron/app/validator-service';
import { BrowserClient, CookieJar } from '../../electron/core/browser';
import { startValidation, type LoginWindow } from '../../electron/core/validator';
import type { BrowserHost } from '../../electron/hosts/browser-host';
import { startValidationSite } from '../../electron/simulator/validation-site';
import { sampleModuleTls, startSampleModule, type SampleDefect, type SampleModule } from '../support/sample-modules';
import { testPki } from '../support/test-site';
import { openClientEngine } from '../../electron/core/browser/engine-socket';
import type { EngineAddress } from '../../electron/core/scenarios/engine-tab';

const work = mkdtempSync(join(tmpdir(), 'usher-validator-service-'));
const modules: SampleModule[] = [];
afterAll(async () => {
  await Promise.all(modules.map((m) => m.close()));
});

async function sampleModule(defect?: SampleDefect): Promise<SampleModule> {
  const module = await startSampleModule({ defect, tls: sampleModuleTls() });
  modules.push(module);
  return module;
}

/** The console's data folder: partition downloads land below it. */
const dataDir = join(work, 'data');
const caFile = join(work, 'module-ca.pem');
writeFileSync(caFile, sampleModuleTls().caPem);
const scriptFile = join(work, 'login.js');
writeFileSync(scriptFile, "module.exports = async (browser, url, context) => browser.get(url + '&login_hint=' + context.loginHint);\n");

/** A host that must not be asked for a window: runs with a login script never open one. */
const noWindows = {
  kind: 'chromium',
  openPartition: () => Promise.reject(new Error('a scripted run opened a window')),
} as unknown as BrowserHost;

function service(events: BackendEvents, host: BrowserHost = noWindows): ValidatorService {
  return new ValidatorService({
    host,
    events,
    clipboard: async () => undefined,
    startSite: (o) => startValidationSite({ ...o, pki: testPki() }),
    scriptTimeoutMs: 15_000,
    dataDir,
  });
}

function statuses(report: ValidationReport): Array<[string, string]> {
  return report.steps.map((s) => [s.id, s.status]);
}

describe('ValidatorService with a login script', () => {
  it('grades the correct sample green, streams every step, and removes the export when done', async () => {
    const events = new BackendEvents();
    const seen: Array<EventTypes['validator.step']> = [];
    events.on('validator.step', (e) => seen.push(e));
    const validator = service(events);
    const module = await sampleModule();
    const info = await validator.start({ moduleUrl: module.url, loginScriptPath: scriptFile, moduleCaPath: caFile });
    expect(info.login).toEqual({ kind: 'script', path: scriptFile });
    expect(info.proxyRestUri).toMatch(/^https:\/\/localhost:\d+\/qps\/module\/$/);
    expect(existsSync(join(info.certificatesDir, 'client_key.pem'))).toBe(true);
    // The person configures the module with the export, then runs.
    module.configure({ certificatesDir: info.certificatesDir, hubUrl: info.hubUrl });
    const view = await validator.run({ runId: info.runId });
    expect(
      statuses(view.report).every(([, s]) => s === 'pass'),
      JSON.stringify(view.report, null, 1),
    ).toBe(true);
    expect(view.report.steps.find((s) => s.id === 'session-user')!.detail).toContain('SAMPLE\\validator-1');
    // Each step was announced running, then graded, under this run's id.
    expect(seen.every((e) => e.runId === info.runId)).toBe(true);
    expect(seen.filter((e) => e.step.status === 'running').map((e) => e.step.id)).toContain('ticket-request');
    expect(seen.filter((e) => e.step.status === 'pass')).toHaveLength(VALIDATION_STEP_ORDER.length);
    expect(view.certificatesDir).toBe(info.certificatesDir);
    expect(existsSync(info.certificatesDir)).toBe(false);
    // The run is over: its id is no longer known.
    await expect(validator.run({ runId: info.runId })).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
  });

  it('names the defect of a broken sample (xrfkey mismatch) at the ticket request', async () => {
    const validator = service(new BackendEvents());
    const module = await sampleModule('xrfkey-mismatch');
    const info = await validator.start({ moduleUrl: module.url, loginScriptPath: scriptFile, moduleCaPath: caFile });
    module.configure({ certificatesDir: info.certificatesDir });
    const { report } = await validator.run({ runId: info.runId });
    const step = report.steps.find((s) => s.id === 'ticket-request')!;
    expect(step.status).toBe('fail');
    expect(step.detail).toMatch(/xrfkey mismatch/);
    expect(report.ok).toBe(false);
  });

  it('runs one validation at a time, and cancel stops the site and removes the export', async () => {
    const validator = service(new BackendEvents());
    const module = await sampleModule();
    const first = await validator.start({ moduleUrl: module.url, loginScriptPath: scriptFile, moduleCaPath: caFile });
    await expect(validator.start({ moduleUrl: module.url, loginScriptPath: scriptFile })).rejects.toMatchObject({
      code: 'VALIDATION_BUSY',
      hint: expect.stringMatching(/cancel/),
    });
    expect(await validator.cancel({ runId: first.runId })).toEqual({ cancelled: true });
    expect(existsSync(first.certificatesDir)).toBe(false);
    await expect(fetch(first.hubUrl)).rejects.toThrow();
    // Free again.
    const second = await validator.start({ moduleUrl: module.url, loginScriptPath: scriptFile, moduleCaPath: caFile });
    await validator.close();
    expect(existsSync(second.certificatesDir)).toBe(false);
  });

  it('refuses a plain-http module, a script that is not a .js file, and a CA file without a certificate, saying what to do', async () => {
    const validator = service(new BackendEvents());
    await expect(validator.start({ moduleUrl: 'http://127.0.0.1:1/login' })).rejects.toMatchObject({ code: 'VALIDATION_SETUP', message: /must use https/ });
    await expect(validator.start({ moduleUrl: 'https://127.0.0.1:1/login', loginScriptPath: join(work, 'login.py') })).rejects.toMatchObject({
      code: 'LOGIN_SCRIPT_INVALID',
      hint: expect.stringMatching(/module\.exports/),
    });
    await expect(validator.start({ moduleUrl: 'https://127.0.0.1:1/login', moduleCaPath: scriptFile })).rejects.toMatchObject({
      message: /holds no PEM certificate/,
    });
    // None of these left a run behind.
    const module = await sampleModule();
    const info = await validator.start({ moduleUrl: module.url, loginScriptPath: scriptFile });
    await validator.cancel({ runId: info.runId });
  });

  it('never loads a login script from the data folder (a page could have downloaded it there), even through a link', async () => {
    const downloads = join(dataDir, 'partitions', 'p-1', 'downloads');
    mkdirSync(downloads, { recursive: true });
    const planted = join(downloads, 'login.js');
    const ran = join(work, 'planted-script-ran');
    writeFileSync(planted, `require('node:fs').writeFileSync(${JSON.stringify(ran)}, 'ran'); module.exports = async () => undefined;\n`);
    const link = join(work, 'innocent.js');
    symlinkSync(planted, link);
    const validator = service(new BackendEvents());
    for (const path of [planted, link, join(dataDir, 'partitions', 'p-1', 'downloads', '..', 'downloads', 'login.js')]) {
      await expect(validator.start({ moduleUrl: 'https://127.0.0.1:1/login', loginScriptPath: path }), path).rejects.toMatchObject({
        code: 'NOT_ALLOWED',
        message: expect.stringContaining("inside Usher's data folder"),
        hint: expect.stringMatching(/folder of your own/),
      });
    }
    expect(existsSync(ran)).toBe(false);
    // A folder named like a script, and a link named .js to a file that is not one, are refused as such.
    mkdirSync(join(work, 'folder.js'), { recursive: true });
    await expect(validator.start({ moduleUrl: 'https://127.0.0.1:1/login', loginScriptPath: join(work, 'folder.js') })).rejects.toMatchObject({
      code: 'LOGIN_SCRIPT_INVALID',
      message: /not a regular file/,
    });
    writeFileSync(join(work, 'notes.txt'), 'module.exports = 1;\n');
    symlinkSync(join(work, 'notes.txt'), join(work, 'notes.js'));
    await expect(validator.start({ moduleUrl: 'https://127.0.0.1:1/login', loginScriptPath: join(work, 'notes.js') })).rejects.toMatchObject({
      code: 'LOGIN_SCRIPT_INVALID',
      message: /not a JavaScript file/,
    });
    // The person's own script outside the data folder still runs.
    const module = await sampleModule();
    const info = await validator.start({ moduleUrl: module.url, loginScriptPath: scriptFile });
    await validator.cancel({ runId: info.runId });
  });
});

/** The person's browser, played by a headless one: follows redirects like a window with no login form. */
function clientWindow(caPem: string): LoginWindow & { closed: boolean } {
  const client = new BrowserClient({
    ca: caPem.split(/(?=-----BEGIN CERTIFICATE-----)/),
    jar: new CookieJar(),
    userAgent: 'Mozilla/5.0 (a person)',
    maxRedirects: 8,
    timeoutMs: 10_000,
  });
  let at = '';
  const window = {
    closed: false,
    async goto(url: string) {
      const res = await client.get(url);
      at = res.url;
      return { status: res.status, url: res.url };
    },
    url: () => (window.closed ? '' : at),
    async fetchJson(url: string) {
      const res = await client.get(url, { followRedirects: false });
      let body: unknown = res.text();
      try {
        body = JSON.parse(res.text());
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body };
    },
    // As the page would: the token from its own origin, the window's cookies and the page's Origin.
    openEngine: (address: EngineAddress) => openClientEngine(client, address, { ca: caPem, origin: new URL(at).origin, timeoutMs: 10_000 }),
    async close() {
      window.closed = true;
      await client.close();
    },
  };
  return window;
}

async function gradeInWindow(
  defect: SampleDefect | undefined,
): Promise<{ report: ValidationReport; window: ReturnType<typeof clientWindow>; waited: boolean }> {
  const module = await sampleModule(defect);
  let window: ReturnType<typeof clientWindow> | undefined;
  let waited = false;
  const run = await startValidation({
    moduleUrl: module.url,
    startSite: (o) => startValidationSite({ ...o, pki: testPki() }),
    moduleCaPem: sampleModuleTls().caPem,
    interactive: {
      timeoutMs: 15_000,
      openWindow: async ({ caPem, origins }) => {
        expect(origins).toEqual([new URL(module.url).origin, new URL(run.hubUrl).origin]);
        return (window = clientWindow(caPem));
      },
      onWaiting: () => {
        waited = true;
      },
    },
  });
  try {
    module.configure({ certificatesDir: run.certificatesDir, hubUrl: run.hubUrl });
    const report = await run.execute();
    return { report, window: window!, waited };
  } finally {
    await run.close();
  }
}

describe('the core validator with a login window', () => {
  it('grades the correct sample through the window; the probes that need a script are skipped, saying so', async () => {
    const { report, window, waited } = await gradeInWindow(undefined);
    expect(statuses(report)).toEqual([
      ['redirect', 'pass'],
      ['login', 'pass'],
      ['ticket-request', 'pass'],
      ['redirect-back', 'pass'],
      ['session-user', 'pass'],
      ['engine-socket', 'pass'],
      ['replay', 'pass'],
      ['impostor-qps', 'skipped'],
      ['stale-target', 'skipped'],
      ['parallel', 'skipped'],
    ]);
    expect(waited).toBe(true);
    expect(report.steps.find((s) => s.id === 'session-user')!.detail).toContain('SAMPLE\\alice');
    expect(report.steps.find((s) => s.id === 'parallel')!.detail).toMatch(/give a login script/);
    expect(window.closed).toBe(true);
  });

  it('names a module that redeems the ticket itself, although the window cannot list its own requests', async () => {
    const { report } = await gradeInWindow('redeems-ticket-itself');
    const back = report.steps.find((s) => s.id === 'redirect-back')!;
    expect(back.status).toBe('fail');
    expect(back.detail).toMatch(/redeemed the ticket itself/);
    expect(report.steps.find((s) => s.id === 'login')!.detail).toMatch(/redirect loop/);
  });
});
