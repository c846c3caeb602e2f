// @vitest-environment happy-dom
// The audit view: entries newest first with site names, the site filter, Refresh, the note about
// damaged lines, errors, and the way in from the sidebar.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../renderer/src/format';
import { AuditLog } from '../../renderer/src/screens/AuditLog';
import { useAppStore } from '../../renderer/src/stores/app-store';
import { auditEntries, fail, ok } from './fake-usher';
import { openSectionByKeyboard, useFakeUsherPerTest } from './harness';

const usher = useFakeUsherPerTest();

async function renderAudit() {
  // Site names come from the profiles the app store holds, as in the running console.
  await act(() => useAppStore.getState().load());
  render(<AuditLog />);
  await screen.findByText(/entries|No entries yet/);
}

function bodyRows(): HTMLElement[] {
  return within(screen.getByRole('table')).getAllByRole('row').slice(1);
}

function cells(row: HTMLElement): Array<string | null> {
  return within(row)
    .getAllByRole('cell')
    .map((c) => c.textContent);
}

describe('audit view', () => {
  it('lists when, action, site, node, virtual proxy, user, masked value and why, newest first', async () => {
    await renderAudit();
    expect(usher()['audit.list']).toHaveBeenCalledWith({});
    const headers = within(screen.getByRole('table'))
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['When', 'Action', 'Site', 'Node', 'Virtual proxy', 'User', 'Masked value', 'Why']);
    const rows = bodyRows();
    expect(rows).toHaveLength(4);
    expect(cells(rows[0]!)).toEqual([
      formatDateTime(auditEntries[0]!.at),
      'Session created',
      'Demo site',
      'Central',
      '/ticket',
      'DEMO\\alice',
      'a1b2••••••••••••',
      'opened in partition p-1',
    ]);
    expect(cells(rows[1]!)).toEqual([
      formatDateTime(auditEntries[1]!.at),
      'Ticket issued',
      'Demo site',
      'Central',
      '/ticket',
      'DEMO\\alice',
      'iokr••••••••••••',
      'support case 42',
    ]);
    // A known profile shows by name, an empty reason as a dash, the default virtual proxy by its name.
    expect(cells(rows[2]!).slice(1)).toEqual(['Ticket issued', 'Prod EU', 'Node A', '(default)', 'CORP\\bob', 'zzzz••••••••••••', '—']);
    // Work outside any profile (a trust check) shows its logged label; no node is a dash.
    expect(cells(rows[3]!).slice(1, 4)).toEqual(['Session ended', '(trust check localhost:4243)', '—']);
    expect(within(rows[0]!).getByText(formatDateTime(auditEntries[0]!.at)).getAttribute('datetime')).toBe(auditEntries[0]!.at);
    expect(screen.getByText('4 of 4 entries')).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('filters by site, by name, and back to all sites', async () => {
    const user = userEvent.setup();
    await renderAudit();
    const site = screen.getByLabelText('Site') as HTMLSelectElement;
    expect([...site.options].map((o) => o.textContent)).toEqual(['All sites', 'Demo site', 'Prod EU', '(trust check localhost:4243)']);
    await user.selectOptions(site, 'Prod EU');
    expect(bodyRows()).toHaveLength(1);
    expect(cells(bodyRows()[0]!)[5]).toBe('CORP\\bob');
    expect(screen.getByText('1 of 4 entries')).toBeTruthy();
    await user.selectOptions(site, 'All sites');
    expect(bodyRows()).toHaveLength(4);
  });

  it('filters by text over every column and sorts by a column header', async () => {
    const user = userEvent.setup();
    await renderAudit();
    await user.type(screen.getByRole('searchbox', { name: 'Filter entries' }), 'support 42');
    expect(bodyRows().map((r) => cells(r)[7])).toEqual(['support case 42']);
    expect(screen.getByText('1 of 4 entries')).toBeTruthy();
    await user.clear(screen.getByRole('searchbox', { name: 'Filter entries' }));
    const userHeader = screen.getByRole('columnheader', { name: /^User/ });
    await user.click(within(userHeader).getByRole('button'));
    expect(userHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(bodyRows().map((r) => cells(r)[5])).toEqual(['CORP\\bob', 'DEMO\\alice', 'DEMO\\alice', expect.any(String)]);
    expect(screen.getByRole('table', { name: 'Audit log' })).toBeTruthy();
  });

  it('reads the log again on Refresh and says when damaged lines were skipped', async () => {
    const user = userEvent.setup();
    await renderAudit();
    usher()['audit.list'].mockResolvedValueOnce(ok({ entries: auditEntries.slice(2), skippedLines: 2 }));
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByRole('note')).toBeTruthy();
    expect(screen.getByRole('note').textContent).toBe('2 damaged lines were skipped in the audit log; the other entries are shown.');
    expect(bodyRows()).toHaveLength(2);
    expect(usher()['audit.list']).toHaveBeenCalledTimes(2);
  });

  it('shows an empty log as such, and errors as message and hint', async () => {
    const user = userEvent.setup();
    usher()['audit.list'].mockResolvedValueOnce(ok({ entries: [], skippedLines: 0 }));
    await renderAudit();
    expect(screen.getByText('No entries yet: tickets and sessions you create appear here.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();

    usher()['audit.list'].mockResolvedValueOnce(fail('EACCES', 'The audit log could not be read.', 'Check the permissions of audit.log in the data folder.'));
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The audit log could not be read.');
    expect(alert.textContent).toContain('Check the permissions of audit.log');
  });

  it('is a section of the sidebar, reached by keyboard, its heading focused', async () => {
    const user = userEvent.setup();
    await openSectionByKeyboard(user, 'Audit');
    expect(await screen.findByText('4 of 4 entries')).toBeTruthy();
  });
});
