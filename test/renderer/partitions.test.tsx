// @vitest-environment happy-dom
// The partitions screen: partitions with windows, downloads and masked cookies, the user per session
// cookie (and the problem when QPS could not name one), Reveal / Hide on purpose, Clear / Close, Destroy
// behind a confirmation, the session-API login; and the Tickets screen's partition choice.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Partitions } from '../../renderer/src/screens/Partitions';
import { OpenPanel } from '../../renderer/src/screens/tickets/OpenPanel';
import { useAppStore } from '../../renderer/src/stores/app-store';
import { useTicketStore } from '../../renderer/src/stores/ticket-store';
import { partitionColour } from '../../shared/partition-colour';
import { fail, ok, partitionsView, ticketView } from './fake-usher';
import { expectCancelAndEscapeGiveFocusBack, openSectionByKeyboard, useFakeUsherPerTest } from './harness';

const usher = useFakeUsherPerTest();

async function renderPartitions() {
  await act(() => useAppStore.getState().load());
  render(<Partitions />);
  await screen.findByRole('button', { name: 'Details of DEMO\\alice on /ticket' });
}

/** Opens a partition's detail under its row (by keyboard) and gives it. */
async function details(user: ReturnType<typeof userEvent.setup>, label: string): Promise<HTMLElement> {
  const toggle = screen.getByRole('button', { name: `Details of ${label}` });
  expect(toggle.getAttribute('aria-expanded')).toBe('false');
  toggle.focus();
  await user.keyboard('{Enter}');
  expect(toggle.getAttribute('aria-expanded')).toBe('true');
  const region = screen.getByRole('region', { name: new RegExp(`^${label.replace(/[\\()/]/g, '\\$&')} —`) });
  expect(toggle.getAttribute('aria-controls')).toBe(region.id);
  return region;
}

function overviewRows(): string[][] {
  return within(screen.getByRole('table', { name: 'Partitions' }))
    .getAllByRole('row')
    .slice(1)
    .filter((r) => !r.classList.contains('details-row'))
    .map((r) =>
      within(r)
        .getAllByRole('cell')
        .slice(0, 5)
        .map((c) => c.textContent ?? ''),
    );
}

describe('partitions screen', () => {
  it('is reached from the sidebar by keyboard', async () => {
    const user = userEvent.setup();
    await openSectionByKeyboard(user, 'Partitions');
    expect(usher()['partitions.list']).toHaveBeenCalled();
  });

  it('compares the partitions in one table, sortable and filtered, each row opening its detail', async () => {
    const user = userEvent.setup();
    await renderPartitions();
    expect(overviewRows()).toEqual([
      ['▸ DEMO\\alice on /ticket', 'isolated, in memory', 'Demo site', '1', 'DEMO\\alice'],
      ['▸ shared (seed 003)', expect.stringMatching(/^shared/), 'Demo site', '0', 'none'],
    ]);
    const windows = screen.getByRole('columnheader', { name: /^Windows/ });
    await user.click(within(windows).getByRole('button'));
    expect(windows.getAttribute('aria-sort')).toBe('ascending');
    expect(overviewRows().map((r) => r[3])).toEqual(['0', '1']);
    await user.type(screen.getByRole('searchbox', { name: 'Filter partitions' }), 'alice');
    expect(overviewRows().map((r) => r[0])).toEqual(['▸ DEMO\\alice on /ticket']);
    expect(screen.getByText('1 of 2 partitions')).toBeTruthy();
    // Collapsed rows hold no detail; opening one shows it under the row.
    expect(screen.queryByRole('region', { name: /^DEMO\\alice on \/ticket —/ })).toBeNull();
    await details(user, 'DEMO\\alice on /ticket');
    await user.click(screen.getByRole('button', { name: 'Details of DEMO\\alice on /ticket' }));
    expect(screen.queryByRole('region', { name: /^DEMO\\alice on \/ticket —/ })).toBeNull();
  });

  it('lists each partition with its kind, windows, downloads and masked cookies, and whose session each cookie holds', async () => {
    const user = userEvent.setup();
    await renderPartitions();
    const alice = await details(user, 'DEMO\\alice on /ticket');
    expect(within(alice).getByRole('heading', { level: 2 }).textContent).toBe(`DEMO\\alice on /ticket — isolated, in memory, colour ${partitionColour('p-1')}`);
    expect(within(alice).getByText('https://localhost:8443/ticket/hub/')).toBeTruthy();
    expect(within(alice).getByText('/data/partitions/p-1/downloads/export.csv')).toBeTruthy();
    const rows = within(within(alice).getByRole('table', { name: 'Cookies of DEMO\\alice on /ticket' }))
      .getAllByRole('row')
      .slice(1);
    const first = within(rows[0]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(first[0]).toBe('X-Qlik-Session-ticket');
    expect(first[2]).toBe('Secure, HttpOnly, SameSite=None');
    expect(first[3]).toContain('a1b2••••••••••••');
    expect(first[4]).toContain('DEMO\\alice (Alice Analyst)');
    expect(first[4]).toContain('/ticket on central');
    const second = within(rows[1]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(second[4]).toContain('(default) (-HTTP name)');
    expect(second[4]).toContain('No node knows this session any more');

    const shared = await details(user, 'shared (seed 003)');
    expect(within(shared).getByText('Closed: an in-memory jar ends with its last window.')).toBeTruthy();
    // The actions stay in the row, beside the detail.
    expect((screen.getByRole('button', { name: 'Clear shared (seed 003)' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/storage left by an earlier run was deleted/).textContent).toContain('p-old');
    expect(screen.getByRole('status').textContent).toBe('2 partitions.');
  });

  it('copies one cookie value through the main process when asked, and says so with the value masked', async () => {
    const user = userEvent.setup();
    await renderPartitions();
    await details(user, 'DEMO\\alice on /ticket');
    await user.click(screen.getByRole('button', { name: 'Copy the value of X-Qlik-Session-ticket in DEMO\\alice on /ticket' }));
    expect(usher()['partitions.copyCookie']).toHaveBeenCalledWith({ partitionId: 'p-1', name: 'X-Qlik-Session-ticket', domain: 'localhost', path: '/' });
    expect(await screen.findByText('copied')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Copied the value of X-Qlik-Session-ticket (a1b2••••••••••••••••••••••••••••••••) to the clipboard.');
    // No Reveal any more: the page has no way to ask for a value.
    expect(screen.queryByRole('button', { name: /^Reveal/ })).toBeNull();
  });

  it('clears and closes at once, destroys only after confirming, and refreshes after each', async () => {
    const user = userEvent.setup();
    await renderPartitions();
    await user.click(screen.getByRole('button', { name: 'Clear DEMO\\alice on /ticket' }));
    expect(usher()['partitions.clear']).toHaveBeenCalledWith({ partitionId: 'p-1' });
    expect(await screen.findByText('Cleared “DEMO\\alice on /ticket”.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Destroy DEMO\\alice on /ticket' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Destroy DEMO\\alice on /ticket?' });
    expect(usher()['partitions.destroy']).not.toHaveBeenCalled();
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Destroy DEMO\\alice on /ticket' }));
    within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Destroy' }).focus();
    usher()['partitions.list'].mockResolvedValue(ok({ ...partitionsView, partitions: partitionsView.partitions.slice(1) }));
    await user.keyboard('{Enter}');
    expect(usher()['partitions.destroy']).toHaveBeenCalledWith({ partitionId: 'p-1' });
    expect(await screen.findByText('Destroyed “DEMO\\alice on /ticket”.')).toBeTruthy();
    expect(usher()['partitions.list'].mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(screen.queryByRole('button', { name: 'Details of DEMO\\alice on /ticket' })).toBeNull();
    // The card went with the partition; focus is on the status line that says so.
    expect(document.activeElement).toBe(screen.getByRole('status'));
  });

  it('asks before Destroy with focus on Cancel; Cancel and Escape give focus back to Destroy…', async () => {
    const user = userEvent.setup();
    await renderPartitions();
    const destroy = () => screen.getByRole('button', { name: 'Destroy DEMO\\alice on /ticket' });
    destroy().focus();
    await user.keyboard('{Enter}');
    const confirm = screen.getByRole('alertdialog', { name: 'Destroy DEMO\\alice on /ticket?' });
    expect(confirm.getAttribute('aria-describedby')).toBe(within(confirm).getByText(/^Destroy “DEMO\\alice on \/ticket”\? Its windows close/).id);
    await expectCancelAndEscapeGiveFocusBack(user, confirm, destroy);
    expect(usher()['partitions.destroy']).not.toHaveBeenCalled();
  });

  it('shows why an action failed, with the fix', async () => {
    const user = userEvent.setup();
    usher()['partitions.close'].mockResolvedValueOnce(
      fail('NOT_FOUND', 'There is no partition p-1.', 'Refresh the partition list: it may have been destroyed.'),
    );
    await renderPartitions();
    await user.click(screen.getByRole('button', { name: 'Close DEMO\\alice on /ticket' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Refresh the partition list');
  });

  it('logs in through the session API into the chosen partition', async () => {
    const user = userEvent.setup();
    await renderPartitions();
    await user.selectOptions(screen.getByLabelText('Virtual proxy'), 'ticket');
    await user.type(screen.getByLabelText('Session user id'), 'bob');
    await user.click(screen.getByLabelText('Existing partition'));
    await user.click(screen.getByRole('button', { name: 'Log in and open the hub' }));
    expect(await screen.findByText('Pick the partition to open in.')).toBeTruthy();
    expect(usher()['sessions.inject']).not.toHaveBeenCalled();
    await user.selectOptions(screen.getByLabelText('Open in'), 'p-1');
    await user.click(screen.getByRole('button', { name: 'Log in and open the hub' }));
    expect(usher()['sessions.inject']).toHaveBeenCalledWith({
      profileId: 'demo',
      virtualProxy: 'ticket',
      userDirectory: 'DEMO',
      userId: 'bob',
      attributes: [],
      target: { kind: 'hub' },
      partition: { kind: 'existing', partitionId: 'p-1' },
    });
    const outcome = (await screen.findByRole('heading', { level: 3, name: 'Session established' })).closest('[role="status"]')!;
    expect(outcome.textContent).toContain('DEMO\\bob');
  });
});

/** The open panel of a ticket just issued on the demo site. */
async function renderOpenPanel() {
  await act(() => useAppStore.getState().load());
  useTicketStore.setState({ ticket: ticketView() });
  render(<OpenPanel expired={false} />);
}

describe('the ticket open panel', () => {
  it('opens in a new isolated partition by default (no choice sent) and sends the shared or persistent choice', async () => {
    const user = userEvent.setup();
    await renderOpenPanel();
    await user.click(screen.getByRole('button', { name: 'Open' }));
    expect(usher()['tickets.open']).toHaveBeenLastCalledWith({ ticketId: 't-1', target: { kind: 'hub' } });
    await user.click(screen.getByLabelText('The shared partition (seed 003)'));
    await user.click(screen.getByRole('button', { name: 'Open' }));
    expect(usher()['tickets.open']).toHaveBeenLastCalledWith({ ticketId: 't-1', target: { kind: 'hub' }, partition: { kind: 'shared' } });
    await user.click(screen.getByLabelText('New isolated, persistent'));
    await user.click(screen.getByRole('button', { name: 'Open' }));
    expect(usher()['tickets.open']).toHaveBeenLastCalledWith({ ticketId: 't-1', target: { kind: 'hub' }, partition: { kind: 'new', persistent: true } });
  });

  it('says so in plain text when the site has no partition to open in (no label without its list)', async () => {
    const user = userEvent.setup();
    usher()['partitions.list'].mockResolvedValue(ok({ ...partitionsView, partitions: [] }));
    await renderOpenPanel();
    await user.click(screen.getByLabelText('Existing partition'));
    const fieldset = screen.getByRole('group', { name: 'Partition' });
    expect(await within(fieldset).findByText('This site has no partition yet: open in a new one first.')).toBeTruthy();
    expect(within(fieldset).queryByText('Open in')).toBeNull();
    // Every label in the choice names a form control (one label per mode at least, so the loop runs).
    const labels = Array.from(fieldset.querySelectorAll('label'));
    expect(labels.length).toBeGreaterThanOrEqual(4);
    for (const label of labels) {
      expect(['INPUT', 'SELECT']).toContain(label.control?.tagName);
    }
  });

  it('says why the partitions could not be read instead of claiming there are none', async () => {
    const user = userEvent.setup();
    usher()['partitions.list'].mockResolvedValue(fail('INTERNAL', 'The partition list could not be read.', 'Restart Usher if this keeps happening.'));
    await renderOpenPanel();
    await user.click(screen.getByLabelText('Existing partition'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The partition list could not be read.Restart Usher if this keeps happening.');
    // Back to a new partition: the list is not needed, nor its error.
    await user.click(screen.getByLabelText('New isolated (in memory)'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("offers this site's partitions when opening in an existing one", async () => {
    const user = userEvent.setup();
    await renderOpenPanel();
    await user.click(screen.getByLabelText('Existing partition'));
    const select = await screen.findByLabelText('Open in');
    const options = within(select)
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(options).toEqual(['Choose a partition…', `${partitionsView.partitions[0]!.label} (1 window)`, 'shared (seed 003) (0 windows)']);
    await user.selectOptions(select, 'shared-demo');
    await user.click(screen.getByRole('button', { name: 'Open' }));
    expect(usher()['tickets.open']).toHaveBeenLastCalledWith({
      ticketId: 't-1',
      target: { kind: 'hub' },
      partition: { kind: 'existing', partitionId: 'shared-demo' },
    });
  });
});

describe('partition colours and bringing a window to the front', () => {
  it('marks each partition with its colour in the table and its detail (named there), and brings its window to the front', async () => {
    const user = userEvent.setup();
    await renderPartitions();
    const table = screen.getByRole('table', { name: 'Partitions' });
    const colour = partitionColour('p-1');
    const row = within(table).getByRole('button', { name: 'Details of DEMO\\alice on /ticket' }).closest('tr')!;
    expect(row.querySelector(`.partition-swatch.partition-colour-${colour}`)).toBeTruthy();
    const region = await details(user, 'DEMO\\alice on /ticket');
    expect(within(region).getByRole('heading', { level: 2 }).textContent).toContain(`colour ${colour}`);
    expect(region.querySelector(`.partition-swatch.partition-colour-${colour}`)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Bring to front the window of DEMO\\alice on /ticket' }));
    expect(usher()['partitions.focus']).toHaveBeenCalledWith({ partitionId: 'p-1' });
    expect(await screen.findByText('The window of “DEMO\\alice on /ticket” is in front.')).toBeTruthy();
    // A partition with no window has nothing to bring forward.
    expect((screen.getByRole('button', { name: 'Bring to front the window of shared (seed 003)' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('says why a window could not be brought to the front', async () => {
    const user = userEvent.setup();
    await renderPartitions();
    usher()['partitions.focus'].mockResolvedValueOnce(
      fail('NOT_FOUND', 'Partition "DEMO\\alice on /ticket" has no open window.', 'Open a ticket or a session in it.'),
    );
    await user.click(screen.getByRole('button', { name: 'Bring to front the window of DEMO\\alice on /ticket' }));
    expect((await screen.findByRole('alert')).textContent).toContain('has no open window');
  });
});
