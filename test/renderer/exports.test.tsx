// @vitest-environment happy-dom
// The export buttons of Checks (Markdown, JUnit), Audit (CSV) and the Request log (HAR): each asks main to
// save what it shows (a run by id, a site, a filter, never the file's text), and a polite live region
// says where the file went, that it was not saved, or why it could not be.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../renderer/src/screens/AuditLog';
import { Checks } from '../../renderer/src/screens/Checks';
import { RequestLog } from '../../renderer/src/screens/RequestLog';
import { useAppStore } from '../../renderer/src/stores/app-store';
import { useRequestLogStore } from '../../renderer/src/stores/request-log-store';
import { checksRun, fail, ok } from './fake-usher';
import { useFakeUsherPerTest } from './harness';

const usher = useFakeUsherPerTest();

function exportGroup(name: string): HTMLElement {
  return screen.getByRole('group', { name });
}

/** The live region the buttons are described by. */
function exportStatus(button: HTMLElement): string {
  const region = document.getElementById(button.getAttribute('aria-describedby') ?? '');
  expect(region?.getAttribute('aria-live')).toBe('polite');
  return region?.textContent ?? '';
}

describe('checks export', () => {
  it('saves the shown run as Markdown and as JUnit, saying where each went', async () => {
    const user = userEvent.setup();
    await act(() => useAppStore.getState().load());
    render(<Checks />);
    expect(screen.queryByRole('group', { name: 'Export the check results' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Run the checks' }));
    const markdown = await within(await screen.findByRole('group', { name: 'Export the check results' })).findByRole('button', { name: 'Export Markdown' });
    await user.click(markdown);
    expect(usher()['files.save']).toHaveBeenLastCalledWith({ what: { kind: 'checks', runId: 'checks-run-1', format: 'markdown' } });
    expect(exportStatus(markdown)).toBe('Saved 3 findings to /home/ann/Downloads/usher-checks.md');

    const junit = within(exportGroup('Export the check results')).getByRole('button', { name: 'Export JUnit' });
    await user.click(junit);
    expect(usher()['files.save']).toHaveBeenLastCalledWith({ what: { kind: 'checks', runId: 'checks-run-1', format: 'junit' } });
    expect(exportStatus(junit)).toBe('Saved 3 findings to /home/ann/Downloads/usher-checks.junit.xml');

    // A new run's results have not been saved yet: the line about the last run's file goes.
    usher()['checks.run'].mockResolvedValueOnce(ok({ ...checksRun, runId: 'checks-run-2' }));
    await user.click(screen.getByRole('button', { name: 'Run the checks again' }));
    await screen.findByText(/^3 virtual proxies checked/);
    const again = screen.getByRole('button', { name: 'Export Markdown' });
    expect(exportStatus(again)).toBe('');
    await user.click(again);
    expect(usher()['files.save']).toHaveBeenLastCalledWith({ what: { kind: 'checks', runId: 'checks-run-2', format: 'markdown' } });
  });

  it('says a run main no longer holds cannot be saved, and what to do', async () => {
    const user = userEvent.setup();
    await act(() => useAppStore.getState().load());
    render(<Checks />);
    await user.click(screen.getByRole('button', { name: 'Run the checks' }));
    usher()['files.save'].mockResolvedValueOnce(fail('RUN_NOT_FOUND', 'Those check results are no longer held.', 'Run the checks again, then export.'));
    await user.click(await screen.findByRole('button', { name: 'Export JUnit' }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('Those check results are no longer held.Run the checks again, then export.');
  });
});

describe('audit export', () => {
  it('saves the chosen site as CSV from the toolbar, and says when the save was cancelled', async () => {
    const user = userEvent.setup();
    await act(() => useAppStore.getState().load());
    render(<AuditLog />);
    await screen.findByText(/of 4 entries/);
    const csv = within(exportGroup('Export the audit log')).getByRole('button', { name: 'Export CSV' });
    await user.click(csv);
    expect(usher()['files.save']).toHaveBeenLastCalledWith({ what: { kind: 'audit' } });
    expect(exportStatus(csv)).toBe('Saved 3 entries to /home/ann/Downloads/usher-audit.csv');

    await user.selectOptions(screen.getByLabelText('Site'), 'Prod EU');
    usher()['files.save'].mockResolvedValueOnce(ok({ fileName: 'usher-audit.csv', bytes: 10, items: 1 }));
    await user.click(csv);
    expect(usher()['files.save']).toHaveBeenLastCalledWith({ what: { kind: 'audit', profile: 'prod-eu' } });
    expect(exportStatus(csv)).toBe('usher-audit.csv was not saved: the save was cancelled.');
  });
});

describe('request log export', () => {
  it('saves the calls the filter shows as HAR, by keyboard', async () => {
    const user = userEvent.setup();
    await act(() => useRequestLogStore.getState().load());
    render(<RequestLog />);
    await user.type(screen.getByLabelText('Filter'), ' qps ');
    const har = within(exportGroup('Export the request log')).getByRole('button', { name: 'Export HAR' });
    har.focus();
    await user.keyboard('{Enter}');
    expect(usher()['files.save']).toHaveBeenLastCalledWith({ what: { kind: 'requestLog', filter: 'qps' } });
    expect(exportStatus(har)).toBe('Saved 3 calls to /home/ann/Downloads/usher-requests.har');
    expect(document.activeElement).toBe(har);
  });
});
