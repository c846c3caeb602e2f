// @vitest-environment happy-dom
// The checks screen: the form (origin, probe), the run with its busy state, the findings grouped per
// virtual proxy with counts, the severity filter, the summary as a status, errors, and the sidebar.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Checks } from '../../renderer/src/screens/Checks';
import { useAppStore } from '../../renderer/src/stores/app-store';
import { useChecksStore } from '../../renderer/src/stores/checks-store';
import type { ChecksRunView, IpcResult } from '../../shared/ipc/contract';
import { fail, ok } from './fake-usher';
import { openSectionByKeyboard, recordScrolls, useFakeUsherPerTest } from './harness';

const usher = useFakeUsherPerTest();

async function renderChecks() {
  await act(() => useAppStore.getState().load());
  render(<Checks />);
  await screen.findByRole('heading', { level: 1, name: 'Checks' });
}

/** The per-virtual-proxy header rows of the findings table, in order, without the notes beside them. */
function groupHeadings(): string[] {
  return [...document.querySelectorAll('tr.vp-row th')].map((th) => {
    const note = th.querySelector('.vp-note')?.textContent ?? '';
    return (th.textContent ?? '').replace(note, '');
  });
}

/** One virtual proxy's row group (named by its header row). */
function groupOf(prefixLabel: string): HTMLElement {
  const escaped = prefixLabel.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return screen.getByRole('rowgroup', { name: new RegExp(`^${escaped}( —|:)`) });
}

function rowsOf(prefixLabel: string): string[][] {
  return within(groupOf(prefixLabel))
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent ?? ''),
    );
}

describe('checks screen', () => {
  it('runs the checks on the active site with the origin and the probe, and groups the findings per virtual proxy', async () => {
    const user = userEvent.setup();
    await renderChecks();
    expect(screen.getByRole('status').textContent).toBe('');
    expect((screen.getByLabelText('Probe authentication modules') as HTMLInputElement).checked).toBe(true);
    await user.type(screen.getByLabelText('Mashup origin (optional)'), 'https://portal.example.com/app/sales.html');
    await user.click(screen.getByRole('button', { name: 'Run the checks' }));
    // The page address is cut to its origin before it leaves the window.
    expect(usher()['checks.run']).toHaveBeenCalledWith({ profileId: 'demo', probe: true, origin: 'https://portal.example.com' });

    const summary = await screen.findByText(/virtual proxies checked/);
    expect(summary.getAttribute('role')).toBe('status');
    expect(summary.textContent).toBe('3 virtual proxies checked on Demo site in 1.2 s: 2 errors, 1 warning, 1 info.');
    expect(screen.getByText('Embedding checked for https://portal.example.com; authentication modules probed.')).toBeTruthy();

    expect(groupHeadings()).toEqual([
      '(default) — Central Proxy (Default): 1 error, 1 info',
      '/ticket — Ticket module: 1 error, 1 warning',
      '/header — Header: no findings',
    ]);
    // One table for all of them, its header once.
    expect(screen.getAllByRole('table')).toHaveLength(1);
    const headers = within(screen.getByRole('table', { name: 'Findings by virtual proxy' }))
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['Severity', 'Field', 'Problem', 'Fix']);
    expect(rowsOf('/ticket')).toEqual([
      ['✗ Error', 'authenticationModuleRedirectUri', 'the module does not answer (connection refused)', 'fix for module-unreachable'],
      ['! Warning', 'sessionInactivityTimeout', 'problem of extreme-timeout', 'fix for extreme-timeout'],
    ]);
    expect(rowsOf('(default)').map((r) => r[0])).toEqual(['✗ Error', 'i Info']);
    // A clean virtual proxy says so in its header row, with no rows under it.
    expect(rowsOf('/header')).toEqual([]);
    expect(within(groupOf('/header')).getByText(/No problems found/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Run the checks again' })).toBeTruthy();
  });

  it('filters by severity, keeping every virtual proxy heading and saying what is hidden', async () => {
    const user = userEvent.setup();
    await renderChecks();
    await user.click(screen.getByRole('button', { name: 'Run the checks' }));
    await screen.findByText(/virtual proxies checked/);
    const filter = screen.getByRole('group', { name: 'Show' });
    expect(
      within(filter)
        .getAllByRole('radio')
        .map((r) => r.parentElement?.textContent),
    ).toEqual(['All (4)', 'Errors (2)', 'Warnings (1)', 'Info (1)']);
    expect((within(filter).getByRole('radio', { name: 'All (4)' }) as HTMLInputElement).checked).toBe(true);

    await user.click(within(filter).getByRole('radio', { name: 'Errors (2)' }));
    expect(rowsOf('/ticket').map((r) => r[0])).toEqual(['✗ Error']);
    expect(rowsOf('(default)').map((r) => r[0])).toEqual(['✗ Error']);
    expect(screen.getByRole('status').textContent).toMatch(/Showing errors only: 2 of 4 findings\.$/);

    await user.click(within(filter).getByRole('radio', { name: 'Warnings (1)' }));
    expect(rowsOf('/ticket').map((r) => r[1])).toEqual(['sessionInactivityTimeout']);
    expect(rowsOf('(default)')).toEqual([]);
    expect(screen.getByText('No warnings here; 2 other findings are hidden by the filter.')).toBeTruthy();
    // Headings still carry the full counts: the filter narrows the tables, not the picture.
    expect(groupHeadings()).toHaveLength(3);

    // Keyboard: a focused choice is taken with Space (arrow keys are the browser's own, checked in e2e).
    within(filter).getByRole('radio', { name: 'Info (1)' }).focus();
    await user.keyboard(' ');
    expect((within(filter).getByRole('radio', { name: 'Info (1)' }) as HTMLInputElement).checked).toBe(true);
    expect(rowsOf('(default)').map((r) => r[1])).toEqual(['anonymousAccessMode']);

    await user.click(within(filter).getByRole('radio', { name: 'All (4)' }));
    expect(rowsOf('/ticket')).toHaveLength(2);
    expect(screen.getByRole('status').textContent).not.toContain('Showing');
  });

  it('sorts within each virtual proxy by a column header, by keyboard, and says the order with aria-sort', async () => {
    const user = userEvent.setup();
    await renderChecks();
    await user.click(screen.getByRole('button', { name: 'Run the checks' }));
    await screen.findByText(/virtual proxies checked/);
    const field = screen.getByRole('columnheader', { name: /^Field/ });
    expect(field.getAttribute('aria-sort')).toBe('none');
    within(field).getByRole('button').focus();
    await user.keyboard('{Enter}');
    expect(field.getAttribute('aria-sort')).toBe('ascending');
    expect(rowsOf('/ticket').map((r) => r[1])).toEqual(['authenticationModuleRedirectUri', 'sessionInactivityTimeout']);
    await user.keyboard('{Enter}');
    expect(field.getAttribute('aria-sort')).toBe('descending');
    expect(rowsOf('/ticket').map((r) => r[1])).toEqual(['sessionInactivityTimeout', 'authenticationModuleRedirectUri']);
    // Sorting orders rows inside their group: the groups keep the order the site lists them in.
    expect(groupHeadings().map((h) => h.split(' ')[0])).toEqual(['(default)', '/ticket', '/header']);
  });

  it('filters the findings by text across virtual proxy, field, problem and fix', async () => {
    const user = userEvent.setup();
    await renderChecks();
    await user.click(screen.getByRole('button', { name: 'Run the checks' }));
    await screen.findByText(/virtual proxies checked/);
    const box = screen.getByRole('searchbox', { name: 'Filter findings' });
    await user.type(box, 'timeout');
    expect(groupHeadings().map((h) => h.split(' ')[0])).toEqual(['/ticket']);
    expect(rowsOf('/ticket').map((r) => r[1])).toEqual(['sessionInactivityTimeout']);
    expect(screen.getByText('1 of 4 findings')).toBeTruthy();
    await user.clear(box);
    await user.type(box, 'ticket module');
    // The group's own name matches: all of its findings show.
    expect(rowsOf('/ticket')).toHaveLength(2);
    await user.clear(box);
    expect(groupHeadings()).toHaveLength(3);
  });

  it('shows a busy state while the main process works, and runs without the probe or an origin when asked', async () => {
    const user = userEvent.setup();
    let answer!: (result: IpcResult<ChecksRunView>) => void;
    usher()['checks.run'].mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    await renderChecks();
    await user.click(screen.getByLabelText('Probe authentication modules'));
    await user.click(screen.getByRole('button', { name: 'Run the checks' }));
    expect(usher()['checks.run']).toHaveBeenCalledWith({ profileId: 'demo', probe: false });

    const busy = screen.getByRole('button', { name: 'Checking…' }) as HTMLButtonElement;
    expect(busy.disabled).toBe(true);
    expect(screen.getByRole('progressbar', { name: 'Checking' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Checking the virtual proxies of Demo site…');
    expect(busy.closest('form')?.getAttribute('aria-busy')).toBe('true');
    // Enter in the field does not start a second run while one is in flight.
    await user.type(screen.getByLabelText('Mashup origin (optional)'), '{Enter}');
    expect(usher()['checks.run']).toHaveBeenCalledTimes(1);

    await act(async () => answer(ok({ runId: 'run-2', checked: [{ prefix: '', description: 'Central Proxy (Default)' }], findings: [], durationMs: 40 })));
    expect(screen.getByRole('status').textContent).toBe('1 virtual proxy checked on Demo site in 40 ms: 0 errors, 0 warnings, 0 info.');
    expect(screen.getByText('Embedding not checked (no mashup origin); authentication modules not probed.')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(groupHeadings()).toEqual(['(default) — Central Proxy (Default): no findings']);
  });

  it('refuses an origin that is not https in the form, and shows the main process errors as message and hint', async () => {
    const user = userEvent.setup();
    await renderChecks();
    const origin = screen.getByLabelText('Mashup origin (optional)');
    await user.type(origin, 'http://portal.example.com{Enter}');
    expect(usher()['checks.run']).not.toHaveBeenCalled();
    expect(origin.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Enter an https:// address, for example https://portal.example.com.')).toBeTruthy();
    expect(origin.getAttribute('aria-describedby')).toContain(screen.getByText(/^Enter an https/).id);

    await user.clear(origin);
    expect(origin.getAttribute('aria-invalid')).toBeNull();
    usher()['checks.run'].mockResolvedValueOnce(
      fail('QRS_UNREACHABLE', 'QRS did not answer at https://localhost:4242.', 'Check that the repository service runs.'),
    );
    await user.click(screen.getByRole('button', { name: 'Run the checks' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('QRS did not answer');
    expect(alert.textContent).toContain('Check that the repository service runs.');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('keeps a run going across sections and labels results with the site they belong to', async () => {
    const user = userEvent.setup();
    const nav = await openSectionByKeyboard(user, 'Checks');

    await user.click(screen.getByRole('button', { name: 'Run the checks' }));
    await screen.findByText(/virtual proxies checked on Demo site/);
    await user.click(within(nav).getByRole('button', { name: 'Audit' }));
    await user.click(within(nav).getByRole('button', { name: 'Checks' }));
    // Still there after a trip elsewhere, and still labelled with its site once another is selected.
    expect(await screen.findByRole('table', { name: 'Findings by virtual proxy' })).toBeTruthy();
    expect(rowsOf('/ticket')).toHaveLength(2);
    await user.click(within(nav).getByRole('button', { name: 'Prod EU' }));
    expect(await screen.findByText('These results are for Demo site; run the checks again for Prod EU.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Run the checks again' }));
    expect(usher()['checks.run']).toHaveBeenLastCalledWith({ profileId: 'prod-eu', probe: true });
    await screen.findByText(/virtual proxies checked on Prod EU/);
    expect(screen.queryByText(/These results are for/)).toBeNull();
    expect(useChecksStore.getState().result?.profileId).toBe('prod-eu');
  });
  it('scrolls the result into view when a run finishes, and not before', async () => {
    const user = userEvent.setup();
    await recordScrolls(async (scrolled) => {
      let answer!: (result: IpcResult<ChecksRunView>) => void;
      usher()['checks.run'].mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
      await renderChecks();
      await user.click(screen.getByRole('button', { name: 'Run the checks' }));
      expect(scrolled).toEqual([]);
      await act(async () => answer(ok({ runId: 'run-2', checked: [{ prefix: '', description: 'Central Proxy (Default)' }], findings: [], durationMs: 40 })));
      expect(scrolled).toEqual([screen.getByRole('status')]);
    });
  });
});
