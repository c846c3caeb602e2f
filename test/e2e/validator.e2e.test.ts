// The module validator end to end in a real Chromium, through the chromium host: the console as built,
// the binding and router, the backend's validator service and its site, and sample modules over real TLS.
// The person's part is played by the test: it types into the wizard, reads the certificate folder the
// console shows and configures the module with it, as a person would. Screens are saved under
// test-artifacts/screenshots/ (git-ignored).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VALIDATION_STEP_ORDER } from '../../shared/module-validation';
import { startValidationSite } from '../../electron/simulator/validation-site';
import { sampleModuleTls, startSampleModule, type SampleDefect, type SampleModule } from '../support/sample-modules';
import { testPki } from '../support/test-site';
import { openConsoleHarness, type ConsoleHarness } from './console-harness';

let harness: ConsoleHarness;
let page: Page;
const modules: SampleModule[] = [];
let scriptFile: string;
let caFile: string;
/** The person's own files: outside the app data folder, where the validator refuses to load scripts from. */
let ownFiles: string;

beforeAll(async () => {
  harness = await openConsoleHarness({
    tempPrefix: 'usher-e2e-validator-',
    backend: { validator: { startSite: (o) => startValidationSite({ ...o, pki: testPki() }), scriptTimeoutMs: 15_000, windowTimeoutMs: 30_000 } },
    timeoutMs: 20_000,
  });
  page = harness.page;
  ownFiles = mkdtempSync(join(tmpdir(), 'usher-e2e-validator-files-'));
  scriptFile = join(ownFiles, 'module-login.js');
  writeFileSync(scriptFile, "module.exports = async (browser, url, context) => browser.get(url + '&login_hint=' + context.loginHint + '-scripted');\n");
  caFile = join(ownFiles, 'module-ca.pem');
  writeFileSync(caFile, sampleModuleTls().caPem);
  await harness.showSection('Validate module');
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await Promise.all(modules.map((m) => m.close()));
  if (ownFiles) rmSync(ownFiles, { recursive: true, force: true });
});

/** Fills the wizard, starts the site, configures the module with the folder the console shows, runs. */
async function validate(
  defect: SampleDefect | undefined,
  options: { script: boolean; shots?: [string, string] },
): Promise<{ verdict: string; statuses: string[]; certificates: string }> {
  const module = await startSampleModule({ defect, tls: sampleModuleTls() });
  modules.push(module);
  if (await page.getByRole('button', { name: 'Validate again' }).isVisible()) await page.getByRole('button', { name: 'Validate again' }).click();
  await page.getByLabel('Module login URL').fill(module.url);
  await page.getByLabel('Login script (optional)').fill(options.script ? scriptFile : '');
  await page.getByLabel('Module CA certificate (optional)').fill(caFile);
  await page.getByRole('button', { name: 'Start the validator site' }).click();
  const certificates = (await page.getByTestId('validator-certificates').textContent())!.trim();
  expect(certificates).toMatch(/usher-validator-.*certificates$/);
  module.configure({ certificatesDir: certificates });
  if (options.shots) await harness.shot(options.shots[0]);
  await page.getByRole('button', { name: 'Run the validation' }).click();
  const verdict = page.getByTestId('validator-verdict');
  await verdict.waitFor({ timeout: 60_000 });
  const statuses = await page
    .getByRole('list', { name: 'Validation steps' })
    .locator('li.step')
    .evaluateAll((items: Array<{ className: string }>) => items.map((li) => li.className.replace('step step-', '')));
  if (options.shots) await harness.shot(options.shots[1]);
  return { verdict: (await verdict.textContent())!, statuses, certificates };
}

describe('the module validator in the console, in Chromium', () => {
  it('grades the correct sample module green with a login script', async () => {
    const { verdict, statuses } = await validate(undefined, { script: true, shots: ['20-validator-configure', '21-validator-correct'] });
    expect(verdict).toBe('The module passed every step that ran.');
    expect(statuses).toEqual(Array(VALIDATION_STEP_ORDER.length).fill('pass'));
    await page.getByText('the session is SAMPLE\\validator-1-scripted, the user the module claimed').waitFor();
    await page.getByText(/that folder is removed now that the run is over/).waitFor();
    // The run's login as a sequence diagram: every graded arrow with the time the core measured for it.
    await page.getByText("The module's login flow as a sequence diagram", { exact: true }).click();
    const diagram = page.getByRole('img', { name: /^The module's login flow/ });
    const arrows = await diagram.locator('.flow-step').allTextContents();
    expect(arrows).toHaveLength(9);
    for (const i of [0, 2, 3, 4, 7, 8]) expect(arrows[i]).toMatch(/ · \d+(\.\d)? m?s$/);
    expect(arrows[3]).toMatch(/^4\. POST \/qps\/module\/ticket · /);
    expect(await diagram.locator('.flow-step.flow-failed').count()).toBe(0);
    await harness.shot('21b-validator-flow');
  });

  it('names the defect of a broken sample module (it redeems the ticket itself)', async () => {
    const { verdict, statuses } = await validate('redeems-ticket-itself', { script: true, shots: ['22-validator-configure-broken', '23-validator-broken'] });
    expect(verdict).toMatch(/^The module failed \d steps?: .*Redirect back to TargetUri with qlikTicket/);
    expect(statuses[3]).toBe('fail');
    const step = page.getByRole('listitem', { name: 'Step 4: Redirect back to TargetUri with qlikTicket' });
    expect(await step.textContent()).toMatch(/the module redeemed the ticket itself first/);
    // Its evidence is open: the failure is explained without a click.
    expect(await step.locator('details').getAttribute('open')).not.toBeNull();
    // This run's diagram draws the redirect back as where it broke.
    await page.getByText("The module's login flow as a sequence diagram (where it broke)", { exact: true }).click();
    const arrows = page.getByRole('img', { name: /^The module's login flow/ }).locator('.flow-step.flow-failed');
    expect(await arrows.allTextContents()).toContainEqual(expect.stringMatching(/^5\. redirect to TargetUri with \?qlikTicket= · /));
  });

  it('logs in through a real partition window when there is no script', async () => {
    const { verdict, statuses } = await validate(undefined, { script: false, shots: ['24-validator-window-configure', '25-validator-window'] });
    expect(statuses).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'skipped', 'skipped', 'skipped']);
    expect(verdict).toBe('The module passed every step that ran. 3 steps were skipped.');
    await page.getByText('the session is SAMPLE\\alice, the user the module claimed').waitFor();
    // The window's own WebSocket (Chromium's, with its cookie and the proxy's csrf token) after the redirect back.
    await page.getByText("the login window's WebSocket works as SAMPLE\\alice: the engine opened an app for that user").waitFor();
  });
});
