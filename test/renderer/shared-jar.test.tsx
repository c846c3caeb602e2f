// @vitest-environment happy-dom
// The "Seed 003" section: the demo pair prefilled, the run with its request, progress from events, the
// side-by-side table (outcome in words and icons, whether expected, the reason), input checks, errors.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SharedJar } from '../../renderer/src/screens/SharedJar';
import { useAppStore } from '../../renderer/src/stores/app-store';
import type { IpcResult, SharedJarRunView } from '../../shared/ipc/contract';
import { fail, ok, openResult } from './fake-usher';
import { expectStepBar, openSectionByKeyboard, recordScrolls, useFakeUsherPerTest } from './harness';
import { sharedJarRun } from './shared-jar-fixture';

const usher = useFakeUsherPerTest();
const loginAsAnswer = { ...openResult, method: 'ticket' as const };

/** What "Run side by side" sends for the prefilled demo pair (no image or export path given). */
const DEMO_PAIR_REQUEST = {
  profileId: 'demo',
  virtualProxy: 'ticket',
  a: { userDirectory: 'MASHUP', userId: 'a1-sales', appId: 'a1-sales' },
  b: { userDirectory: 'MASHUP', userId: 'a2-finance', appId: 'a2-finance' },
};

async function renderSection() {
  await act(() => useAppStore.getState().load());
  render(<SharedJar />);
  await screen.findByRole('heading', { level: 1, name: 'Two tabs, one cookie jar' });
}

/** The table's body as text: row header, request, and each case's cell. */
function tableRows(): string[][] {
  const table = screen.getByRole('table', { name: /one shared partition against two isolated ones/ });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [
      within(row).getByRole('rowheader').textContent ?? '',
      ...within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent ?? ''),
    ]);
}

describe('seed 003 section', () => {
  it('is in the sidebar and opens by keyboard', async () => {
    await openSectionByKeyboard(userEvent.setup(), 'Two tabs, one cookie jar');
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
    expect(usher()['scenario.sharedJar']).toHaveBeenCalledWith(DEMO_PAIR_REQUEST);
    expect(screen.getByRole('button', { name: 'Running…' }).hasAttribute('disabled')).toBe(true);
    act(() => {
      usher().emit('scenario.sharedJar.progress', {
        profileId: 'demo',
        progress: { case: 'shared', step: 1, of: 5, title: 'Ticket for MASHUP\\a1-sales', ok: true, detail: 'app page 200' },
      });
      // Another site's run is not this one.
      usher().emit('scenario.sharedJar.progress', {
        profileId: 'prod-eu',
        progress: { case: 'shared', step: 2, of: 5, title: 'elsewhere', ok: false, detail: 'x' },
      });
    });
    const steps = screen.getByRole('list', { name: 'Scenario steps' });
    expect(
      within(steps)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['✓ As expected One shared partition, step 1 of 5: Ticket for MASHUP\\a1-sales — app page 200']);
    expect(screen.getByRole('status').textContent).toBe('Running seed 003 on Demo site: 1 of 10 steps done…');
    expectStepBar('Scenario progress', { done: 1, total: 10, text: 'Step 2 of 10: One shared partition' });
    // The sixth step is the isolated case's first.
    act(() => {
      for (let step = 2; step <= 5; step++) {
        usher().emit('scenario.sharedJar.progress', {
          profileId: 'demo',
          progress: { case: 'shared', step, of: 5, title: `step ${step}`, ok: true, detail: '' },
        });
      }
    });
    expectStepBar('Scenario progress', { done: 5, total: 10, text: 'Step 6 of 10: Two isolated partitions' });

    await act(async () => answer(ok(sharedJarRun)));
    expect(screen.getByRole('status').textContent).toBe(`✓ ${sharedJarRun.verdict}`);
    expect(screen.queryByRole('progressbar')).toBeNull();
    const rows = tableRows();
    const requests = [
      'App page',
      'App opened and selections made over the WebSocket',
      'Content-library image',
      'Export started over the WebSocket',
      'Export file downloaded',
    ];
    expect(rows.map((r) => r.slice(0, 2))).toEqual([
      ...requests.map((r) => ['Tab 1 MASHUP\\a1-sales, app a1-sales', r]),
      ...requests.map((r) => ['Tab 2 MASHUP\\a2-finance, app a2-finance', r]),
    ]);
    // Shared: tab 1's HTTP requests fail, with the reason, its WebSocket works; isolated: all succeed.
    // Words and icons, not colour alone.
    expect(rows[2]![2]).toBe('✗ Failed (403) — as expected403: the jar\'s session cookie now belongs to MASHUP\\a2-finance, who may not open app "a1-sales"');
    expect(rows[2]![3]).toBe('✓ Succeeded (200) — as expected200: served to MASHUP\\a1-sales');
    expect(rows[1]![2]).toBe('✓ Succeeded (WebSocket) — as expectedapp open, "North" selected in Region over the WebSocket');
    expect(rows.slice(5).every((r) => r[2]!.startsWith('✓ Succeeded ('))).toBe(true);
    expect(screen.getByRole('heading', { level: 2, name: 'One shared partition: as seed 003 predicts' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'Two isolated partitions: as seed 003 predicts' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Run side by side again' })).toBeTruthy();
  });

  it('scrolls the verdict into view when the run finishes', async () => {
    await recordScrolls(async (scrolled) => {
      const user = userEvent.setup();
      await renderSection();
      let answer!: (value: IpcResult<SharedJarRunView>) => void;
      usher()['scenario.sharedJar'].mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
      await user.click(screen.getByRole('button', { name: 'Run side by side' }));
      expect(scrolled).toEqual([]);
      await act(async () => answer(ok(sharedJarRun)));
      expect(scrolled).toEqual([screen.getByRole('status')]);
    });
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
        {
          ...shared,
          asExpected: false,
          tabs: [
            { ...shared.tabs[0]!, probes: shared.tabs[0]!.probes.map((p) => ({ ...p, ok: true, status: 200, reason: '200: served to DEMO\\bob' })) },
            shared.tabs[1]!,
          ],
        },
        sharedJarRun.cases[1]!,
      ],
    };
    usher()['scenario.sharedJar'].mockResolvedValueOnce(ok(surprising));
    await user.click(screen.getByRole('button', { name: 'Run side by side' }));
    await screen.findByRole('heading', { level: 2, name: 'One shared partition: not as seed 003 predicts' });
    expect(screen.getByRole('status').textContent).toBe(`✗ ${surprising.verdict}`);
    expect(tableRows()[0]![2]).toBe('✓ Succeeded (200) — not as expected200: served to DEMO\\bob');
  });

  it("sends the image and export paths only when given, and the demo pair writes out the demo site's", async () => {
    const user = userEvent.setup();
    await renderSection();
    const image1 = screen.getByLabelText('Content-library image path of tab 1') as HTMLInputElement;
    const export2 = screen.getByLabelText('Export download path of tab 2') as HTMLInputElement;
    // Empty at first, with a hint on what a real site needs (the path below the virtual proxy) and what empty means.
    expect([image1.value, export2.value]).toEqual(['', '']);
    const hint = document.getElementById(image1.getAttribute('aria-describedby')!)!;
    expect(hint.textContent).toBe(
      "Needed on a real site: the image's path below /ticket/, without that prefix (spaces as %20): appcontent/<app id>/<file> for an image in the app, " +
        'content/<library>/<file> for one in a content library. Empty: appcontent/a1-sales/logo.png, which only the demo site has.',
    );
    expect(document.getElementById(export2.getAttribute('aria-describedby')!)!.textContent).toBe(
      "Empty (works on any site): the file this tab's own export over the WebSocket writes, as a mashup's export button does. " +
        "Or the download link's path of an export made in the app, below /ticket/, without that prefix and without its ?… part, e.g. tempcontent/<id>/<file>.xlsx.",
    );

    // None given: none sent.
    usher()['scenario.sharedJar'].mockResolvedValue(ok(sharedJarRun));
    await user.click(screen.getByRole('button', { name: 'Run side by side' }));
    expect(usher()['scenario.sharedJar']).toHaveBeenLastCalledWith(DEMO_PAIR_REQUEST);
    await screen.findByRole('button', { name: 'Run side by side again' });

    // Given for one tab each: sent trimmed, for that tab only.
    await user.type(image1, ' content/Default/logo%20big.png ');
    await user.type(export2, '/tempcontent/a2-finance/sales.xlsx');
    await user.click(screen.getByRole('button', { name: 'Run side by side again' }));
    expect(usher()['scenario.sharedJar']).toHaveBeenLastCalledWith({
      profileId: 'demo',
      virtualProxy: 'ticket',
      a: { userDirectory: 'MASHUP', userId: 'a1-sales', appId: 'a1-sales', image: 'content/Default/logo%20big.png' },
      b: { userDirectory: 'MASHUP', userId: 'a2-finance', appId: 'a2-finance', export: '/tempcontent/a2-finance/sales.xlsx' },
    });
    await screen.findByRole('button', { name: 'Run side by side again' });

    // The demo pair replaces them with the demo site's image path; the exports stay empty (each tab's own).
    await user.click(screen.getByRole('button', { name: 'Use the demo pair' }));
    expect(image1.value).toBe('appcontent/a1-sales/logo.png');
    expect((screen.getByLabelText('Export download path of tab 1') as HTMLInputElement).value).toBe('');
    expect(export2.value).toBe('');
    // Another app: the demo's paths named the old one, so they go; a path written by hand stays.
    await user.type(export2, 'tempcontent/mine.csv');
    const app1 = screen.getByLabelText('App of tab 1');
    await user.clear(app1);
    await user.type(app1, 'real-app');
    const app2 = screen.getByLabelText('App of tab 2');
    await user.type(app2, '-2');
    expect(image1.value).toBe('');
    expect((screen.getByLabelText('Export download path of tab 1') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Content-library image path of tab 2') as HTMLInputElement).value).toBe('');
    expect(export2.value).toBe('tempcontent/mine.csv');
  });

  it('refuses a path that is not a plain path below the virtual proxy, with a message on the field', async () => {
    const user = userEvent.setup();
    await renderSection();
    const image1 = screen.getByLabelText('Content-library image path of tab 1');
    const export1 = screen.getByLabelText('Export download path of tab 1');
    const image2 = screen.getByLabelText('Content-library image path of tab 2');
    const export2 = screen.getByLabelText('Export download path of tab 2');
    await user.type(image1, 'https://qlik.example.com/ticket/appcontent/a1-sales/logo.png');
    await user.type(export1, 'tempcontent/a1-sales/a.xlsx?serverNodeId=1');
    await user.type(image2, 'ticket/appcontent/a2-finance/logo.png');
    await user.type(export2, 'C:\\Users\\me\\Downloads\\a.xlsx');
    await user.click(screen.getByRole('button', { name: 'Run side by side' }));
    expect(usher()['scenario.sharedJar']).not.toHaveBeenCalled();

    const expectRefused = (input: HTMLElement, message: string) => {
      expect(input.getAttribute('aria-invalid')).toBe('true');
      // The error is read first, then the hint.
      const [errorId, hintId] = input.getAttribute('aria-describedby')!.split(' ');
      expect(document.getElementById(errorId!)!.textContent).toBe(message);
      expect(document.getElementById(hintId!)!.textContent).toMatch(/^(Needed on a real site|Empty \(works on any site\))/);
    };
    expectRefused(image1, 'Give only the path below /ticket/, not a whole address: for example appcontent/<app id>/logo.png.');
    expectRefused(export1, 'Leave out the ?… part (and any #…): give only the path, for example tempcontent/<app id>/<file>.xlsx.');
    expectRefused(image2, "Leave out the virtual proxy's prefix: give the path below /ticket/, for example appcontent/<app id>/logo.png.");
    expectRefused(export2, 'Write the path with / between its parts: it is an address on the site below /ticket/, not a file on this computer.');

    // Spaces, and a way out of the virtual proxy, too.
    for (const input of [image1, export1, image2, export2]) await user.clear(input);
    await user.type(image1, 'content/Default/my logo.png');
    await user.type(export2, 'tempcontent/../hub/');
    await user.click(screen.getByRole('button', { name: 'Run side by side' }));
    expect(usher()['scenario.sharedJar']).not.toHaveBeenCalled();
    expectRefused(image1, 'Write spaces in the path as %20: it is part of an address.');
    expectRefused(export2, 'Give the path without . or .. parts: it must stay below /ticket/.');
    expect(export1.getAttribute('aria-invalid')).toBeNull();

    // Fixed: asked, with the path as written.
    await user.clear(image1);
    await user.type(image1, 'content/Default/my%20logo.png');
    await user.clear(export2);
    usher()['scenario.sharedJar'].mockResolvedValueOnce(ok(sharedJarRun));
    await user.click(screen.getByRole('button', { name: 'Run side by side' }));
    expect(usher()['scenario.sharedJar']).toHaveBeenCalledWith(
      expect.objectContaining({ a: expect.objectContaining({ image: 'content/Default/my%20logo.png' }) }),
    );
    expect(image1.getAttribute('aria-invalid')).toBeNull();
  });

  it('opens both tabs side by side in windows that stay open: one shared partition, or a partition each', async () => {
    const user = userEvent.setup();
    await renderSection();
    const opened = (user: string, partitionId: string) => ok({ ...loginAsAnswer, partitionId, user, detail: `session established for ${user}` });
    usher()['login.as'].mockResolvedValueOnce(opened('MASHUP\\a1-sales', 'shared-demo')).mockResolvedValueOnce(opened('MASHUP\\a2-finance', 'shared-demo'));
    await user.click(screen.getByRole('button', { name: 'Open side by side in one partition' }));
    const tab = (n: 1 | 2, appId: string, partition: object) => ({
      profileId: 'demo',
      virtualProxy: 'ticket',
      userDirectory: 'MASHUP',
      userId: appId,
      attributes: [],
      target: { kind: 'app', appId },
      partition,
      method: 'ticket',
      reason: `seed 003 side by side, tab ${n}`,
    });
    // App A as user A first, then app B as user B, as a person opens two tabs.
    expect(usher()['login.as'].mock.calls.map((c) => c[0])).toEqual([tab(1, 'a1-sales', { kind: 'shared' }), tab(2, 'a2-finance', { kind: 'shared' })]);
    const outcome = screen.getByText(/^Opened app A and then app B in the site's shared partition; the windows stay open/).parentElement!;
    expect(
      within(outcome)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Tab 1, MASHUP\\a1-sales with app a1-sales: ✓ window in partition shared-demo. session established for MASHUP\\a1-sales',
      'Tab 2, MASHUP\\a2-finance with app a2-finance: ✓ window in partition shared-demo. session established for MASHUP\\a2-finance',
    ]);

    // A partition each: a new one per window; a refused open says why and what to do, the other still opens.
    usher()
      ['login.as'].mockResolvedValueOnce(fail('NOT_ALLOWED', 'The virtual proxy does not take tickets.', 'Pick a ticket virtual proxy.'))
      .mockResolvedValueOnce(opened('MASHUP\\a2-finance', 'p-9'));
    await user.click(screen.getByRole('button', { name: 'Open side by side, a partition each' }));
    expect(
      usher()
        ['login.as'].mock.calls.slice(2)
        .map((c) => c[0]),
    ).toEqual([tab(1, 'a1-sales', { kind: 'new' }), tab(2, 'a2-finance', { kind: 'new' })]);
    expect(
      within(outcome)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Tab 1, MASHUP\\a1-sales with app a1-sales: ✗ The virtual proxy does not take tickets. Pick a ticket virtual proxy.',
      'Tab 2, MASHUP\\a2-finance with app a2-finance: ✓ window in partition p-9. session established for MASHUP\\a2-finance',
    ]);
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
    // Run does not seem to do nothing: focus is on the first field in error, whose message it reads.
    expect(document.activeElement).toBe(tab1User);
    // A second refused Run takes focus there again.
    screen.getByRole('button', { name: 'Run side by side' }).focus();
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(tab1User);

    await user.click(screen.getByRole('button', { name: 'Use the demo pair' }));
    usher()['scenario.sharedJar'].mockResolvedValueOnce(fail('NOT_ALLOWED', 'The seed-003 scenario is already running.', 'Wait for it to finish.'));
    await user.click(screen.getByRole('button', { name: 'Run side by side' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The seed-003 scenario is already running.Wait for it to finish.');
    expect(screen.queryByRole('table')).toBeNull();
  });
});
