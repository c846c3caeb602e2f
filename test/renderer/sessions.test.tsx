// @vitest-environment happy-dom
// The session inspector screen: warnings on top, users with their count against the limit (at-limit
// marked in words, not colour only), rows with node, virtual proxy, masked id, partition and Usher's mark;
// ending a row (by row key), a user's or Usher's sessions (bulk ends ask first), progress while the
// proxies are asked, auto-refresh, and a virtual table that keeps a window of 2,000 sessions in the DOM.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Sessions } from '../../renderer/src/screens/Sessions';
import { useAppStore } from '../../renderer/src/stores/app-store';
import { useSessionsStore } from '../../renderer/src/stores/sessions-store';
import type { IpcResult } from '../../shared/ipc/contract';
import type { SessionInspectorView, SessionsEndView } from '../../shared/sessions';
import { partitionColour } from '../../shared/partition-colour';
import { fail, inspectorView, ok } from './fake-usher';
import { expectCancelAndEscapeGiveFocusBack, expectStepBar, openSectionByKeyboard, useFakeUsherPerTest } from './harness';

const usher = useFakeUsherPerTest();

async function renderSessions() {
  await act(() => useAppStore.getState().load());
  render(<Sessions />);
  await screen.findByRole('heading', { level: 1, name: 'Sessions' });
  await screen.findByText(/sessions? of \d+ users?/);
}

function table(): HTMLElement {
  return screen.getByRole('table', { name: /^Sessions by user/ });
}

function bodyRows(): HTMLElement[] {
  return within(table())
    .getAllByRole('row')
    .filter((r) => r.getAttribute('aria-rowindex') !== '1');
}

describe('sessions screen', () => {
  it('asks for the active site and shows warnings, users with counts, and each session', async () => {
    await renderSessions();
    expect(usher()['sessions.inspect']).toHaveBeenCalledWith({ profileId: 'demo' });
    expect(screen.getByRole('status', { name: '' }).textContent ?? '').toMatch(
      /^6 sessions of 2 users on 2 nodes \(5 node\/virtual proxy pairs\), 2 created by Usher; refreshed at .* in 120 ms\.$/,
    );

    const warnings = screen.getByRole('region', { name: 'Warnings (2)' });
    const items = within(warnings)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items[0]).toMatch(/^✗ Error Partition Tab 1 holds sessions of MASHUP\\a1-sales and MASHUP\\a2-finance/);
    expect(items[1]).toMatch(/^! Warning MASHUP\\a1-sales holds 5 of 5/);

    expect(table().getAttribute('aria-rowcount')).toBe('9');
    const headers = within(table())
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['User', 'Sessions', 'Node', 'Virtual proxy', 'Session', 'Partition', 'Created by', 'Action']);
    const rows = bodyRows();
    expect(rows.map((r) => r.getAttribute('aria-rowindex'))).toEqual(['2', '3', '4', '5', '6', '7', '8', '9']);
    // The user line: the count in words for screen readers, the at-limit state marked.
    expect(within(rows[0]!).getByLabelText('5 of 5 sessions, at the limit').textContent).toBe('! 5/5');
    expect(rows[0]!.className).toContain('limit-at-limit');
    expect(within(rows[0]!).getByRole('rowheader').textContent).toContain('MASHUP\\a1-sales');
    const cells = within(rows[1]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells).toEqual(['MASHUP\\a1-sales: ⚠ see 2 warnings', '', 'central', '/ticket', '0000••••••••••••', 'Tab 1', '✓ Usher', 'End']);
    // The partition's colour, as the Partitions section and its window's title show it.
    expect(rows[1]!.querySelector(`.partition-swatch.partition-colour-${partitionColour('ticket-1')}`)).toBeTruthy();
    expect(rows[1]!.className).toContain('warned');
    // Not by the stripe's colour alone: the row says so in words, and its End is described by the warnings.
    const described = (row: HTMLElement) =>
      (
        within(row)
          .getByRole('button', { name: /^End session/ })
          .getAttribute('aria-describedby') ?? ''
      )
        .split(' ')
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent ?? `missing ${id}`);
    expect(described(rows[1]!)).toEqual([items[0], items[1]]);
    expect(within(rows[2]!).getAllByRole('cell')[0]!.textContent).toBe('MASHUP\\a1-sales: ⚠ see warning');
    expect(described(rows[2]!)).toEqual([items[1]]);
    expect(within(rows[6]!).queryByText(/see warning/)).toBeNull();
    expect(
      within(rows[2]!)
        .getAllByRole('cell')
        .map((c) => c.textContent)
        .slice(2),
    ).toEqual(['rim1', '/ticket', '0001••••••••••••', '—', 'other', 'End']);
    expect(within(rows[6]!).getByLabelText('1 of 5 sessions').textContent).toBe('1/5');
  });

  it('looks afresh each time the section is shown again', async () => {
    await renderSessions();
    expect(usher()['sessions.inspect']).toHaveBeenCalledTimes(1);
    await act(() => useSessionsStore.getState().end('demo', { kind: 'created' }));
    expect(screen.getByText(/^Ended \d+ sessions?/)).toBeTruthy();
    cleanup();
    render(<Sessions />);
    await screen.findByRole('heading', { level: 1, name: 'Sessions' });
    await vi.waitFor(() => expect(usher()['sessions.inspect']).toHaveBeenCalledTimes(3));
    // What was ended on the last visit is not news on this one.
    expect(screen.queryByText(/^Ended \d+ sessions?/)).toBeNull();
  });

  it('ends one session by its row key after asking, then refreshes and says what ended', async () => {
    const user = userEvent.setup();
    await renderSessions();
    const endOne = () => screen.getByRole('button', { name: 'End session 0001•••••••••••• of MASHUP\\a1-sales on rim1 /ticket' });
    endOne().focus();
    await user.keyboard('{Enter}');
    const dialog = screen.getByRole('alertdialog', { name: /End the session 0001•+ of MASHUP\\a1-sales on rim1 \/ticket\?/ });
    await expectCancelAndEscapeGiveFocusBack(user, dialog, endOne);
    expect(usher()['sessions.end']).not.toHaveBeenCalled();
    await user.click(endOne());
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'End this session' }));
    expect(usher()['sessions.end']).toHaveBeenCalledWith({ profileId: 'demo', scope: { kind: 'one', rowKey: 's-a1-sales-1' } });
    expect(await screen.findByText('Ended 1 session.')).toBeTruthy();
    expect(usher()['sessions.inspect']).toHaveBeenCalledTimes(2);
  });

  it("asks before ending all of a user's sessions; Cancel and Escape end nothing and give focus back", async () => {
    const user = userEvent.setup();
    await renderSessions();
    const endAll = () => screen.getByRole('button', { name: 'End all 5 sessions of MASHUP\\a1-sales' });
    endAll().focus();
    await user.keyboard('{Enter}');
    const dialog = screen.getByRole('alertdialog', { name: /End all 5 sessions of MASHUP\\a1-sales on every node/ });
    await expectCancelAndEscapeGiveFocusBack(user, dialog, endAll);
    expect(usher()['sessions.end']).not.toHaveBeenCalled();

    await user.keyboard('{Enter}');
    await user.keyboard('{Shift>}{Tab}{/Shift}');
    expect(document.activeElement?.textContent).toBe("End MASHUP\\a1-sales's sessions");
    await user.keyboard('{Enter}');
    expect(usher()['sessions.end']).toHaveBeenCalledWith({ profileId: 'demo', scope: { kind: 'user', userDirectory: 'MASHUP', userId: 'a1-sales' } });
    expect(await screen.findByText('Ended 1 session.')).toBeTruthy();
    // The table is still there: focus is on it, not lost with the bar.
    expect(document.activeElement).toBe(screen.getByRole('table', { name: /^Sessions by user/ }).closest('[tabindex="-1"]'));
  });

  it('names a user\'s only session as one, not "End all 1 sessions"', async () => {
    const user = userEvent.setup();
    await renderSessions();
    const endUser = screen.getByRole('button', { name: 'End the session of MASHUP\\a2-finance' });
    expect(endUser.textContent).toBe('End');
    await user.click(endUser);
    expect(screen.getByRole('alertdialog', { name: /^End the only session of MASHUP\\a2-finance on every node/ })).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/all 1 session/);
  });

  it('after the last session ends, focus is on the status line, not lost with the table', async () => {
    const user = userEvent.setup();
    const last = inspectorView();
    last.groups = [last.groups[1]!];
    last.totalSessions = 1;
    last.warnings = [];
    const none: SessionInspectorView = { ...last, groups: [], totalSessions: 0, createdByUsher: 0 };
    usher()['sessions.inspect'].mockResolvedValueOnce(ok(last)).mockResolvedValueOnce(ok(none));
    await renderSessions();
    await user.click(screen.getByRole('button', { name: /^End session 0000•+ of MASHUP\\a2-finance/ }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'End this session' }));
    expect(await screen.findByText('No live sessions on this site.')).toBeTruthy();
    const status = screen.getByText(/^0 sessions of 0 users/);
    await vi.waitFor(() => expect(document.activeElement).toBe(status));
  });

  it('starts no refresh while an end runs, and the refresh after the end replaces one in flight', async () => {
    await renderSessions();
    const store = () => useSessionsStore.getState();
    const inspect = usher()['sessions.inspect'];
    // An auto-refresh tick before the end: still asking the proxies when the end starts.
    let stale!: (value: IpcResult<SessionInspectorView>) => void;
    inspect.mockReturnValueOnce(new Promise((resolve) => (stale = resolve)));
    act(() => {
      void store().refresh('demo');
    });
    expect(inspect).toHaveBeenCalledTimes(2);
    let ended!: (value: IpcResult<SessionsEndView>) => void;
    usher()['sessions.end'].mockReturnValueOnce(new Promise((resolve) => (ended = resolve)));
    let ending!: Promise<void>;
    act(() => {
      ending = store().end('demo', { kind: 'one', rowKey: 's-a1-sales-1' });
    });
    // Another tick while ending starts nothing.
    await act(() => store().refresh('demo'));
    expect(inspect).toHaveBeenCalledTimes(2);

    const after = inspectorView();
    after.groups[0] = { ...after.groups[0]!, count: 4, state: 'ok', rows: after.groups[0]!.rows.filter((r) => r.rowKey !== 's-a1-sales-1') };
    after.totalSessions = 5;
    inspect.mockResolvedValueOnce(ok(after));
    await act(async () => {
      ended(ok({ ended: [{ nodeName: 'rim1', virtualProxy: 'ticket', user: 'MASHUP\\a1-sales', sessionIdMasked: '0001••••••••••••' }], failures: [] }));
      await ending;
    });
    // The refresh after the end ran although the tick's was still in flight, and its listing shows.
    expect(inspect).toHaveBeenCalledTimes(3);
    expect(screen.queryByRole('button', { name: /^End session 0001•+ of MASHUP\\a1-sales/ })).toBeNull();
    expect(screen.getByText(/^5 sessions of 2 users/)).toBeTruthy();
    // The tick's answer, older than the end, comes last and is dropped.
    await act(async () => stale(ok(inspectorView())));
    expect(screen.queryByRole('button', { name: /^End session 0001•+ of MASHUP\\a1-sales/ })).toBeNull();
    expect(store().inFlight).toBeUndefined();
  });

  it('ends every session Usher created after asking, and shows a refusal as an error with its fix', async () => {
    const user = userEvent.setup();
    usher()['sessions.end'].mockResolvedValueOnce(fail('QPS_UNREACHABLE', 'rim1 did not answer.', 'Check that the proxy service runs.') as IpcResult<never>);
    await renderSessions();
    await user.click(screen.getByRole('button', { name: 'End all created by Usher' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('(2 in the last refresh)');
    await user.click(within(dialog).getByRole('button', { name: 'End sessions Usher created' }));
    expect(usher()['sessions.end']).toHaveBeenCalledWith({ profileId: 'demo', scope: { kind: 'created' } });
    expect(await screen.findByText('rim1 did not answer.')).toBeTruthy();
    expect(screen.getByText('Check that the proxy service runs.')).toBeTruthy();
  });

  it('shows progress while the proxies are asked, and folds a user away', async () => {
    const user = userEvent.setup();
    let answer!: (value: IpcResult<SessionInspectorView>) => void;
    usher()['sessions.inspect'].mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    await act(() => useAppStore.getState().load());
    render(<Sessions />);
    expect(await screen.findByText('Refreshing the sessions of Demo site…')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Refreshing…' }).hasAttribute('disabled')).toBe(true);
    // The App subscribes to sessions.progress in the running console; here the store is fed as it would be.
    // Before QRS has answered, the bar has no length: it says what it waits for.
    expect(screen.getByRole('progressbar', { name: 'Session inspector progress' }).getAttribute('aria-valuetext')).toBe(
      'Asking QRS for the nodes and virtual proxies',
    );
    act(() => useSessionsStore.getState().applyProgress({ profileId: 'demo', done: 300, total: 900 }));
    // Each step is one node/virtual proxy pair: step 301 of 900 is under way.
    const text = "Step 301 of 900: asking each node's QPS per virtual proxy";
    expectStepBar('Session inspector progress', { done: 300, total: 900, text });
    // Progress of another site's refresh is not this one's.
    act(() => useSessionsStore.getState().applyProgress({ profileId: 'prod-eu', done: 10, total: 20 }));
    expectStepBar('Session inspector progress', { done: 300, total: 900, text });
    await act(async () => answer(ok(inspectorView())));
    expect(screen.queryByRole('progressbar')).toBeNull();

    const fold = screen.getByRole('button', { name: /MASHUP\\a1-sales/, expanded: true });
    await user.click(fold);
    expect(fold.getAttribute('aria-expanded')).toBe('false');
    expect(bodyRows()).toHaveLength(3);
    expect(table().getAttribute('aria-rowcount')).toBe('4');
  });

  it('refreshes on the chosen interval while auto-refresh is on', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    await renderSessions();
    expect(usher()['sessions.inspect']).toHaveBeenCalledTimes(1);
    await user.click(screen.getByLabelText('Auto-refresh'));
    await user.selectOptions(screen.getByLabelText('Auto-refresh interval'), 'every 5 s');
    await act(() => vi.advanceTimersByTimeAsync(5_100));
    expect(usher()['sessions.inspect']).toHaveBeenCalledTimes(2);
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    expect(usher()['sessions.inspect']).toHaveBeenCalledTimes(3);
    await user.click(screen.getByLabelText('Auto-refresh'));
    await act(() => vi.advanceTimersByTimeAsync(20_000));
    expect(usher()['sessions.inspect']).toHaveBeenCalledTimes(3);
  });

  it('keeps only a window of 2,000 sessions in the DOM and moves it with the keyboard', async () => {
    usher()['sessions.inspect'].mockResolvedValue(ok(inspectorView({ extraUsers: 997, perUser: 2 })));
    await renderSessions();
    const t = table();
    // 2 + 997 user lines and 6 + 1994 sessions.
    expect(t.getAttribute('aria-rowcount')).toBe(String(1 + 999 + 2000));
    const first = bodyRows();
    expect(first.length).toBeGreaterThan(10);
    expect(first.length).toBeLessThan(60);
    expect(first[0]!.getAttribute('aria-rowindex')).toBe('2');

    const region = screen.getByRole('region', { name: /^Sessions by user: 999 users, 2000 sessions/ });
    region.focus();
    await userEvent.setup().keyboard('{End}');
    const last = bodyRows();
    expect(last.length).toBeLessThan(60);
    expect(last.at(-1)!.getAttribute('aria-rowindex')).toBe(String(1 + 999 + 2000));
    expect(within(last.at(-1)!).getAllByRole('cell')[0]!.textContent).toBe('GEN\\user997');

    region.scrollTop = 34 * 1500;
    fireEvent.scroll(region);
    const middle = bodyRows().map((r) => Number(r.getAttribute('aria-rowindex')));
    expect(middle[0]).toBeLessThanOrEqual(1502);
    expect(middle.at(-1)).toBeGreaterThan(1502);
    expect(middle.length).toBeLessThan(60);
  });

  it('is in the sidebar and opens by keyboard', async () => {
    const user = userEvent.setup();
    await openSectionByKeyboard(user, 'Sessions');
    expect(await screen.findByRole('table', { name: /^Sessions by user/ })).toBeTruthy();
  });
});
