// @vitest-environment happy-dom
// The request log: rows, filter, expanding to redacted bodies, and copy as curl / PowerShell.
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { RequestLog } from '../../renderer/src/screens/RequestLog';
import { useRequestLogStore } from '../../renderer/src/stores/request-log-store';
import { fail, ok, records } from './fake-usher';
import { useFakeUsherPerTest } from './harness';

const usher = useFakeUsherPerTest();

async function renderLog() {
  await act(() => useRequestLogStore.getState().load());
  render(<RequestLog />);
}

function bodyRows(): HTMLElement[] {
  return within(screen.getByRole('table')).getAllByRole('row').slice(1);
}

describe('request log', () => {
  it('lists service, method, path, status and duration, newest first', async () => {
    await renderLog();
    const rows = bodyRows();
    expect(rows).toHaveLength(2);
    const cells = within(rows[0]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells.slice(1, 6)).toEqual(['QPS', 'POST', '/qps/ticket/ticket?xrfkey=abcdefghijklmnop', '201', '40 ms']);
    expect(within(rows[1]!).getAllByRole('cell')[1]!.textContent).toBe('QRS');
  });

  it('filters as the filter is typed', async () => {
    const user = userEvent.setup();
    await renderLog();
    await user.type(screen.getByLabelText('Filter'), 'qrs about');
    expect(bodyRows()).toHaveLength(1);
    expect(screen.getByText('1 of 2 requests')).toBeTruthy();
    await user.clear(screen.getByLabelText('Filter'));
    await user.type(screen.getByLabelText('Filter'), 'nothing-like-this');
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText('0 of 2 requests')).toBeTruthy();
  });

  it('sorts by a column header, by click and by keyboard, saying the order in aria-sort', async () => {
    const user = userEvent.setup();
    await renderLog();
    const firstCells = (column: number) => bodyRows().map((row) => within(row).getAllByRole('cell')[column]!.textContent);
    const duration = screen.getByRole('columnheader', { name: /^Duration/ });
    expect(duration.getAttribute('aria-sort')).toBe('none');
    await user.click(within(duration).getByRole('button'));
    expect(duration.getAttribute('aria-sort')).toBe('ascending');
    expect(firstCells(5)).toEqual(['12 ms', '40 ms']);
    expect(screen.getByRole('table', { name: 'QPS and QRS requests' })).toBeTruthy();
    // Enter on the focused header turns the order round.
    within(duration).getByRole('button').focus();
    await user.keyboard('{Enter}');
    expect(duration.getAttribute('aria-sort')).toBe('descending');
    expect(firstCells(5)).toEqual(['40 ms', '12 ms']);
    // Space on another header sorts by that one instead.
    const service = screen.getByRole('columnheader', { name: /^Service/ });
    within(service).getByRole('button').focus();
    await user.keyboard(' ');
    expect([service.getAttribute('aria-sort'), duration.getAttribute('aria-sort')]).toEqual(['ascending', 'none']);
    expect(firstCells(1)).toEqual(['QPS', 'QRS']);
    // Time sorts oldest first, by the order the calls started.
    await user.click(within(screen.getByRole('columnheader', { name: /^Time/ })).getByRole('button'));
    expect(firstCells(1)).toEqual(['QRS', 'QPS']);
    // An expanded row stays under its request when the order changes.
    await user.click(screen.getByRole('button', { name: 'Details of request 1' }));
    await user.click(within(service).getByRole('button'));
    const rows = bodyRows();
    expect(within(rows[1]!).getAllByRole('cell')[1]!.textContent).toBe('QRS');
    expect(rows[2]!.textContent).toContain('GET https://localhost:4242/qrs/about');
  });

  it('expands a row to its redacted bodies and headers, and collapses it again', async () => {
    const user = userEvent.setup();
    await renderLog();
    const details = screen.getByRole('button', { name: 'Details of request 2' });
    expect(details.getAttribute('aria-expanded')).toBe('false');
    await user.click(details);
    expect(details.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('heading', { name: 'Request body' })).toBeTruthy();
    expect(screen.getByText('{"Ticket":"iokr••••••••••••"}')).toBeTruthy();
    expect(screen.getByText('{"UserDirectory":"DEMO","UserId":"alice"}')).toBeTruthy();
    // What the proxy answered besides its body, and for which site the call was made.
    expect(screen.getByRole('heading', { name: 'Response headers' })).toBeTruthy();
    expect(screen.getByText(/set-cookie: X-Qlik-Session=a1b2••••••••••••; Path=\/; HttpOnly; Secure/)).toBeTruthy();
    expect(screen.getByText('Site: demo')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Hide of request 2' }));
    expect(screen.queryByRole('heading', { name: 'Request body' })).toBeNull();
  });

  it('copies curl and PowerShell in one click through the main process, showing the masked preview', async () => {
    const writeText = vi.fn(async (_text: string) => undefined);
    const user = userEvent.setup();
    // The page's own clipboard must stay unused: only the main process knows the real ids.
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await renderLog();
    await user.click(screen.getByRole('button', { name: 'Details of request 1' }));
    await user.click(screen.getByRole('button', { name: 'Copy as curl' }));
    expect(usher()['requestLog.copy']).toHaveBeenCalledWith({ id: '1', format: 'curl' });
    const status = await screen.findByRole('status');
    expect(status.textContent).toContain('Copied the curl command to the clipboard');
    expect(within(status).getByText('curl for 1')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Copy' })).toBeNull();
    expect(writeText).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Copy as PowerShell' }));
    expect((await screen.findByRole('status')).textContent).toContain('Copied the PowerShell command');
  });

  it('shows a masked id in a path as dots, not percent-encoded', async () => {
    usher()['requestLog.list'].mockResolvedValueOnce(
      ok({ records: [{ ...records[0]!, id: 7, method: 'DELETE', url: 'https://localhost:4243/qps/ticket/session/a1b2••••••••••••?xrfkey=abcdefghijklmnop' }] }),
    );
    await renderLog();
    expect(within(bodyRows()[0]!).getAllByRole('cell')[3]!.textContent).toBe('/qps/ticket/session/a1b2••••••••••••?xrfkey=abcdefghijklmnop');
  });

  it('shows new records as they arrive and errors as message and hint', async () => {
    await renderLog();
    act(() => useRequestLogStore.getState().add({ ...records[0]!, id: 3, url: 'https://localhost:4242/qrs/app', status: 403, errorCode: 'XRFKEY_REJECTED' }));
    expect(bodyRows()).toHaveLength(3);
    expect(within(bodyRows()[0]!).getAllByRole('cell')[4]!.textContent).toBe('403');

    usher()['requestLog.list'].mockResolvedValueOnce(fail('INTERNAL', 'The request log could not be read.', 'Restart Usher.'));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Refresh' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The request log could not be read.');
    expect(alert.textContent).toContain('Restart Usher.');
  });
});
