// @vitest-environment jsdom
// The "Seed 003" section: the demo pair prefilled, the run with its request, progress from events, the
// side-by-side table (outcome in words and icons, whether expected, the reason), input checks, errors.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SharedJar } from '../../renderer/src/screens/SharedJar';
import { useAppStore } from '../../renderer/src/stores/app-store';
import type { IpcResult, SharedJarRunView } from '../../shared/ipc/contract';
import { fail, ok } from './fake-usher';
import { openSectionByKeyboard, useFakeUsherPerTest } from './harness';
import { sharedJarRun } from './shared-jar-fixture';

const usher = useFakeUsherPerTest();

async function renderSection() {
  await act(() => useAppStore.getState().load());
  render(<SharedJar />);
  await screen.findByRole('heading', { level: 1, name: 'Seed 003' });
}

/** The table's body as text: row header, request, and each case's cell. */
function tableRows(): string[][] {
  const table = screen.getByRole('table', { name: /one shared partition against two isolated ones/ });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [within(row).getByRole('rowheader').textContent ?? '', ...within(row).getAllByRole('cell').map((c) => c.textContent ?? '')]);
}

describe('seed 003 section', () => {
  it('is in the sidebar and opens by keyboard', async () => {
    await openSectionByKeyboard(userEvent.setup(), 'Seed 003');
  });

  it('runs the demo pair and shows shared against isolated per tab and request, in words', async () => {
    const user = userEvent.setup();
    await renderSection();
    expect((screen.getByLabelText('User of tab 1') as HTMLInputElement).value).toBe('MASHUP\\a1-sales');
    expect((screen.getByLabelText('App of tab 2') as HTMLInputElement).value).toBe('a2-finance');
    expect((screen.getByLabelText('Virtual proxy') as HTMLSelectElement).value).toBe('ticket');

    // The answer waits until the test has pushed progress, as the main process would while it runs.
    let answer!: (value: IpcResult<SharedJarRunView>) => void;
    usher()['scenario.sharedJar'].mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    await user.click(screen.getByRole('button', { name: 'Run side by side' }));
    expect(usher()['scenario.sharedJar']).toHaveBeenCalledWith({
      profileId: 'demo',
      virtualProxy: 'ticket',
      a: { userDirectory: 'MASHUP', userId: 'a1-sales', appId: 'a1-sales' },
      b: { userDirectory: 'MASHUP', userId: 'a2-finance', appId: 'a2-finance' },
    });
    expect(screen.getByRole('button', { name: 'Running…' }).hasAttribute('disabled')).toBe(true);
    act(() => {
      usher().emit('scenario.sharedJar.progress', { profileId: 'demo', progress: { case: 'shared', step: 1, of: 5, title: 'Ticket for MASHUP\\a1-sales', ok: true, detail: 'app page 200' } });
      // Another site's run is not this one.
      usher().emit('scenario.sharedJar.progress', { profileId: 'prod-eu', progress: { case: 'shared', step: 2, of: 5, title: 'elsewhere', ok: false, detail: 'x' } });
    });
    const steps = screen.getByRole('list', { name: 'Scenario steps' });
    expect(within(steps).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['✓ As expected One shared partition, step 1 of 5: Ticket for MASHUP\\a1-sales — app page 200']);
    expect(screen.getByRole('status').textContent).toBe('Running seed 003 on Demo site: 1 of 10 steps done…');

    await act(async () => answer(ok(sharedJarRun)));
    expect(screen.getByRole('status').textContent).toBe(`✓ ${sharedJarRun.verdict}`);
    const rows = tableRows();
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ['Tab 1 MASHUP\\a1-sales, app a1-sales', 'App page'],
      ['Tab 1 MASHUP\\a1-sales, app a1-sales', 'Content-library image'],
      ['Tab 1 MASHUP\\a1-sales, app a1-sales', 'Export download'],
      ['Tab 2 MASHUP\\a2-finance, app a2-finance', 'App page'],
      ['Tab 2 MASHUP\\a2-finance, app a2-finance', 'Content-library image'],
      ['Tab 2 MASHUP\\a2-finance, app a2-finance', 'Export download'],
    ]);
    // Shared: tab 1 fails, with the reason; isolated: all succeed. Words and icons, not colour alone.
    expect(rows[1]![2]).toBe('✗ Failed (403) — as expected403: the jar\'s session cookie now belongs to MASHUP\\a2-finance, who may not open app "a1-sales"');
    expect(rows[1]![3]).toBe('✓ Succeeded (200) — as expected200: served to MASHUP\\a1-sales');
    expect(rows.slice(3).every((r) => r[2]!.startsWith('✓ Succeeded (200)'))).toBe(true);
    expect(screen.getByRole('heading', { level: 2, name: 'One shared partition: as seed 003 predicts' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Two isolated partitions: as seed 003 predicts' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Run side by side again' })).toBeTruthy();
  });

  it('marks outcomes the seed does not predict', async () => {
    const user = userEvent.setup();
    await renderSection();
    const shared = sharedJarRun.cases[0]!;
    const surprising: SharedJarRunView = {
      ...sharedJarRun,
      asExpected: false,
      verdict: 'The site did not behave as seed 003 describes: shared case - tab 1 image succeeded.',
      cases: [
        { ...shared, asExpected: false, tabs: [{ ...shared.tabs[0]!, probes: shared.tabs[0]!.probes.map((p) => ({ ...p, ok: true, status: 200, reason: '200: served to DEMO\\bob' })) }, shared.tabs[1]!] },
        sharedJarRun.cases[1]!,
      ],
    };
    usher()['scenario.sharedJar'].mockResolvedValueOnce(ok(surprising));
    await user.click(screen.getByRole('button', { name: 'Run side by side' }));
    await screen.findByRole('heading', { level: 2, name: 'One shared partition: not as seed 003 predicts' });
    expect(screen.getByRole('status').textContent).toBe(`✗ ${surprising.verdict}`);
    expect(tableRows()[0]![2]).toBe('✓ Succeeded (200) — not as expected200: served to DEMO\\bob');
  });

  it('checks the users and apps before asking, and shows a failed run with its fix', async () => {
    const user = userEvent.setup();
    await renderSection();
    const tab1User = screen.getByLabelText('User of tab 1');
    await user.clear(tab1User);
    await user.type(tab1User, 'nobackslash');
    await user.clear(screen.getByLabelText('App of tab 2'));
    await user.click(screen.getByRole('button', { name: 'Run side by side' }));
    expect(usher()['scenario.sharedJar']).not.toHaveBeenCalled();
    expect(tab1User.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Write the user as DIRECTORY\\id, for example MASHUP\\a1-sales.').id).toBe(tab1User.getAttribute('aria-describedby'));
    expect(screen.getByText('Give the id of the app this user may open.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Use the demo pair' }));
    usher()['scenario.sharedJar'].mockResolvedValueOnce(fail('NOT_ALLOWED', 'The seed-003 scenario is already running.', 'Wait for it to finish.'));
    await user.click(screen.getByRole('button', { name: 'Run side by side' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The seed-003 scenario is already running.Wait for it to finish.');
    expect(screen.queryByRole('table')).toBeNull();
  });
});
