// @vitest-environment happy-dom
// The module validator wizard: the URL check before anything leaves the window, the run's setup (where
// the certificates are, no passphrase), the steps as they stream in (announced politely), the graded
// report with evidence and timing, the verdict, cancel, errors, and the sidebar entry by keyboard.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ValidateModule } from '../../renderer/src/screens/ValidateModule';
import type { IpcResult, ValidatorRunView } from '../../shared/ipc/contract';
import { VALIDATION_STEP_ORDER } from '../../shared/module-validation';
import { fail, ok } from './fake-usher';
import { expectStepBar, openSectionByKeyboard, useFakeUsherPerTest } from './harness';
import { VALIDATOR_CERTS_DIR, VALIDATOR_RUN_ID, validatorRunView, validatorStep } from './validator-fixtures';

const usher = useFakeUsherPerTest();

async function startWith(user: ReturnType<typeof userEvent.setup>, url: string, script = ''): Promise<void> {
  render(<ValidateModule />);
  await user.type(screen.getByLabelText('Module login URL'), url);
  if (script) await user.type(screen.getByLabelText('Login script (optional)'), script);
  await user.click(screen.getByRole('button', { name: 'Start the validator site' }));
}

function stepItems(): HTMLElement[] {
  return within(screen.getByRole('list', { name: 'Validation steps' }))
    .getAllByRole('listitem')
    .filter((li) => li.classList.contains('step'));
}

describe('validate module screen', () => {
  it('refuses a URL that is not https before asking the main process', async () => {
    const user = userEvent.setup();
    await startWith(user, 'http://auth.example.com/login');
    const input = screen.getByLabelText('Module login URL');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/must be served over https/)).toBeTruthy();
    expect(usher()['validator.start']).not.toHaveBeenCalled();
  });

  it('starts the site, shows where the certificates are, streams the steps live, then shows the graded report', async () => {
    const user = userEvent.setup();
    let finish: (value: IpcResult<ValidatorRunView>) => void = () => undefined;
    usher()['validator.run'].mockImplementation(() => new Promise((resolve) => (finish = resolve)));
    await startWith(user, 'https://auth.example.com/login', '/home/me/login.js');
    expect(usher()['validator.start']).toHaveBeenCalledWith({ moduleUrl: 'https://auth.example.com/login', loginScriptPath: '/home/me/login.js' });

    const setup = await screen.findByTestId('validator-certificates');
    expect(setup.textContent).toBe(VALIDATOR_CERTS_DIR);
    // Step 2 begins: focus moves to its heading, not left on the locked Start button.
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: '2. Configure the module' }));
    expect(screen.getByText('https://localhost:4243/qps/module/')).toBeTruthy();
    expect(screen.getByText('script /home/me/login.js')).toBeTruthy();
    // The form is locked while a run holds the site.
    expect((screen.getByLabelText('Module login URL') as HTMLInputElement).disabled).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Run the validation' }));
    expect(usher()['validator.run']).toHaveBeenCalledWith({ runId: VALIDATOR_RUN_ID });
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: '3. Validation' }));
    // Steps arrive as events: the first graded, the second running; the rest wait.
    act(() => {
      usher().emit('validator.step', {
        runId: VALIDATOR_RUN_ID,
        step: validatorStep('redirect', 'pass', '302 to the module with proxyRestUri and targetId', [], 12),
      });
      usher().emit('validator.step', { runId: VALIDATOR_RUN_ID, step: validatorStep('login', 'running', '') });
      // Another run's step is not ours.
      usher().emit('validator.step', { runId: 'other', step: validatorStep('parallel', 'fail', 'not this run') });
    });
    const live = stepItems();
    expect(live.map((li) => li.className)).toEqual([
      'step step-pass',
      'step step-running',
      ...Array(VALIDATION_STEP_ORDER.length - 2).fill('step step-waiting'),
    ]);
    expect(live[0]!.textContent).toContain('12 ms');
    expect(live[0]!.textContent).toContain('Time: hub request to the 302.');
    const announcer = document.querySelector('[aria-live="polite"]')!;
    expect(announcer.textContent).toBe('Login at the module: running');
    expectStepBar('Validation progress', {
      done: 1,
      total: VALIDATION_STEP_ORDER.length,
      text: `Step 2 of ${VALIDATION_STEP_ORDER.length}: Login at the module`,
    });

    await act(async () => finish(ok(validatorRunView(VALIDATOR_RUN_ID))));
    const verdict = await screen.findByTestId('validator-verdict');
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(verdict.textContent).toBe("The module failed 1 step: The module's ticket request, as QPS saw it. 1 step was skipped.");
    const graded = stepItems();
    expect(graded.map((li) => li.className.replace('step step-', ''))).toEqual([
      'pass',
      'pass',
      'fail',
      'warn',
      'pass',
      'pass',
      'pass',
      'pass',
      'skipped',
      'pass',
    ]);
    // A failure opens with its evidence; a pass keeps it folded.
    const failed = within(graded[2]!).getByText('Evidence (2)').closest('details')!;
    expect(failed.open).toBe(true);
    expect(within(failed).getByText('FAIL: xrfkey mismatch')).toBeTruthy();
    expect(within(graded[0]!).getByText('Evidence (1)').closest('details')!.open).toBe(false);
    expect(graded[VALIDATION_STEP_ORDER.indexOf('stale-target')]!.textContent).toContain('give a login script');
    expect(screen.getByText(/that folder is removed now that the run is over/)).toBeTruthy();
    // The login as a sequence diagram, folded in the verdict: each arrow with its step's time, the failed
    // ticket request drawn as failed, the warned redirect back not.
    const flow = screen.getByText("The module's login flow as a sequence diagram (where it broke)").closest('details')!;
    expect(flow.open).toBe(false);
    const arrows = [
      ...within(flow)
        .getByRole('img', { name: /^The module's login flow/ })
        .querySelectorAll('.flow-step'),
    ];
    expect(arrows.map((a) => a.textContent)).toEqual([
      '1. GET /module/hub/ (no session) · 12 ms',
      '2. 302 to the module with proxyRestUri, targetId',
      '3. login at the module · 80 ms',
      '4. POST /qps/module/ticket · 40 ms',
      '5. redirect to TargetUri with ?qlikTicket= · 5 ms',
      '6. GET /module/hub/?qlikTicket=…',
      '7. validate the ticket (one use)',
      '8. GET /module/qps/user · 3 ms',
      '9. WebSocket /module/app/engineData · 25 ms',
    ]);
    expect(arrows.map((a) => a.classList.contains('flow-failed'))).toEqual([false, false, false, true, false, false, false, false, false]);
    // Another run can start from the same form.
    // The verdict comes into the section that has focus already.
    // With step 2 folded away the run is step 2: the headings count 1, 2 without a gap.
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual(['1. The module', '2. Validation']);
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: '2. Validation' }));
    await user.click(screen.getByRole('button', { name: 'Validate again' }));
    expect((screen.getByLabelText('Module login URL') as HTMLInputElement).disabled).toBe(false);
    // The section with the button is gone: focus is on the form's heading.
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: '1. The module' }));
  });

  it('says when the person must log in in the window, and cancel stops the run', async () => {
    const user = userEvent.setup();
    usher()['validator.run'].mockImplementation(() => new Promise(() => undefined));
    await startWith(user, 'https://auth.example.com/login');
    expect(await screen.findByText('you, in a window Usher opens when the run reaches the login')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Run the validation' }));
    act(() => {
      usher().emit('validator.step', {
        runId: VALIDATOR_RUN_ID,
        step: validatorStep('login', 'running', 'Log in at the module in the window Usher opened.'),
        waitingForLogin: true,
      });
    });
    expect(screen.getByRole('note').textContent).toMatch(/Log in at the module in the window Usher opened/);
    expect(document.querySelector('[aria-live="polite"]')!.textContent).toMatch(/Waiting for you to log in/);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(usher()['validator.cancel']).toHaveBeenCalledWith({ runId: VALIDATOR_RUN_ID });
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: '1. The module' }));
    expect(screen.getByRole('status').textContent).toMatch(/cancelled; its site stopped and its certificate export was removed/);
    expect(screen.queryByRole('list', { name: 'Validation steps' })).toBeNull();
  });

  it('copies the PFX passphrase in the main process and never shows it', async () => {
    const user = userEvent.setup();
    await startWith(user, 'https://auth.example.com/login');
    await user.click(await screen.findByRole('button', { name: 'Copy the client.pfx passphrase' }));
    expect(usher()['validator.copyPassphrase']).toHaveBeenCalledWith({ runId: VALIDATOR_RUN_ID });
    expect(screen.getByRole('status').textContent).toBe('The client.pfx passphrase is on the clipboard.');
  });

  it('shows the error and its fix when the site cannot start (one run at a time)', async () => {
    const user = userEvent.setup();
    usher()['validator.start'].mockResolvedValue(
      fail('VALIDATION_BUSY', 'A module validation is already set up in this console.', 'Wait for it to finish or cancel it, then start again.'),
    );
    await startWith(user, 'https://auth.example.com/login');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('already set up');
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: '1. The module' }));
    expect(alert.textContent).toContain('cancel it, then start again');
    expect((screen.getByLabelText('Module login URL') as HTMLInputElement).disabled).toBe(false);
  });

  it('is a sidebar section reachable by keyboard', async () => {
    const user = userEvent.setup();
    await openSectionByKeyboard(user, 'Validate module');
    expect(screen.getByLabelText('Module login URL')).toBeTruthy();
  });
});
