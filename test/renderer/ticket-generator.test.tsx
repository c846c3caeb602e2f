// @vitest-environment happy-dom
// The ticket generator: the form as sent, the masked result with its live countdown, open and copy.
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { TicketGenerator } from '../../renderer/src/screens/TicketGenerator';
import { useAppStore } from '../../renderer/src/stores/app-store';
import { demoProfile, fail, prodProfile } from './fake-usher';
import { useFakeUsherPerTest } from './harness';

const usher = useFakeUsherPerTest();

function withSites(activeProfileId = 'demo') {
  useAppStore.setState({ profiles: [demoProfile, prodProfile], activeProfileId });
}

/** The demo site active, the generator on screen, and a ticket requested for alice. */
async function requestForAlice(): Promise<ReturnType<typeof userEvent.setup>> {
  withSites();
  const user = userEvent.setup();
  render(<TicketGenerator />);
  await user.type(screen.getByLabelText('User id'), 'alice');
  await user.click(screen.getByRole('button', { name: 'Request ticket' }));
  return user;
}

describe('ticket generator', () => {
  it('asks for a site when none is active', () => {
    render(<TicketGenerator />);
    expect(screen.getByText(/No site is selected/)).toBeTruthy();
  });

  it('sends repeated attribute keys and empty values as typed, rows added and removed', async () => {
    withSites('prod-eu');
    const user = userEvent.setup();
    render(<TicketGenerator />);
    expect((screen.getByLabelText('User directory') as HTMLInputElement).value).toBe('CORP');
    await user.type(screen.getByLabelText('User id'), 'alice');

    const add = screen.getByRole('button', { name: 'Add attribute' });
    await user.click(add);
    await user.click(add);
    await user.click(add);
    await user.click(add);
    await user.type(screen.getByLabelText('Attribute 1 name'), 'group');
    await user.type(screen.getByLabelText('Attribute 1 value'), 'sales');
    await user.type(screen.getByLabelText('Attribute 2 name'), 'group');
    await user.type(screen.getByLabelText('Attribute 2 value'), 'emea');
    await user.type(screen.getByLabelText('Attribute 3 name'), 'temp');
    await user.type(screen.getByLabelText('Attribute 4 name'), 'email');
    // Attribute 4 has no value on purpose; attribute 3 goes away again.
    await user.click(screen.getByRole('button', { name: 'Remove attribute 3' }));
    expect(screen.getByLabelText('Attribute 3 name')).toHaveProperty('value', 'email');
    expect(screen.queryByLabelText('Attribute 4 name')).toBeNull();

    const vp = screen.getByLabelText('Virtual proxy') as HTMLSelectElement;
    expect(vp.value).toBe('ticket');
    expect(Array.from(vp.options).map((o) => o.value)).toEqual(['', 'ticket']);
    await user.selectOptions(vp, '');
    await user.type(screen.getByLabelText('TargetId (optional)'), 'target-7');
    await user.type(screen.getByLabelText('Reason (for the audit log)'), 'support case 42');
    await user.click(screen.getByRole('button', { name: 'Request ticket' }));

    expect(usher()['tickets.request']).toHaveBeenCalledWith({
      profileId: 'prod-eu',
      virtualProxy: '',
      userDirectory: 'CORP',
      userId: 'alice',
      attributes: [
        { key: 'group', value: 'sales' },
        { key: 'group', value: 'emea' },
        { key: 'email', value: '' },
      ],
      targetId: 'target-7',
      reason: 'support case 42',
    });
  });

  it('points out a value without a name instead of dropping it', async () => {
    withSites();
    const user = userEvent.setup();
    render(<TicketGenerator />);
    await user.type(screen.getByLabelText('User id'), 'alice');
    await user.click(screen.getByRole('button', { name: 'Add attribute' }));
    await user.type(screen.getByLabelText('Attribute 1 value'), 'orphan');
    await user.click(screen.getByRole('button', { name: 'Request ticket' }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Attribute 1 has a value but no name.');
    expect(alert.textContent).toContain('Give it a name, or remove the row.');
    expect(usher()['tickets.request']).not.toHaveBeenCalled();
  });

  it('shows the masked ticket, TargetUri and redirect URL, and counts down to expired', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-31T12:00:00.000Z'));
    withSites();
    render(<TicketGenerator />);
    fireEvent.change(screen.getByLabelText('User id'), { target: { value: 'alice' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Request ticket' }));
    });

    const card = screen.getByRole('region', { name: 'Ticket for DEMO\\alice' });
    expect(within(card).getByText('iokr••••••••••••')).toBeTruthy();
    expect(within(card).getByText('https://localhost:8443/ticket/hub')).toBeTruthy();
    expect(within(card).getByText('https://localhost:8443/ticket/hub?qlikTicket=iokr••••••••••••')).toBeTruthy();
    // Nothing that looks like a whole ticket is on the page.
    expect(document.body.textContent).not.toMatch(/qlikTicket=[A-Za-z0-9_-]{10,}/);

    const countdown = within(card).getByText('Expires in 60 s');
    expect(countdown.getAttribute('aria-live')).toBe('polite');
    act(() => vi.advanceTimersByTime(1000));
    expect(countdown.textContent).toBe('Expires in 59 s');
    act(() => vi.advanceTimersByTime(58_000));
    expect(countdown.textContent).toBe('Expires in 1 s');
    act(() => vi.advanceTimersByTime(1000));
    expect(countdown.textContent).toBe('Ticket expired');
    expect((within(card).getByRole('button', { name: 'Open' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(card).getByRole('button', { name: 'Copy URL' }) as HTMLButtonElement).disabled).toBe(true);
    // The timer stops at zero.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('opens the ticket in an isolated window and reports the session and user', async () => {
    const user = await requestForAlice();
    await screen.findByText('Expires in 60 s');

    await user.click(screen.getByLabelText('An app'));
    const open = screen.getByRole('button', { name: 'Open' }) as HTMLButtonElement;
    expect(open.disabled).toBe(true);
    await user.type(screen.getByLabelText('App id'), 'f9e8d7');
    await user.click(open);
    expect(usher()['tickets.open']).toHaveBeenCalledWith({ ticketId: 't-1', target: { kind: 'app', appId: 'f9e8d7' } });

    const outcome = await screen.findByRole('heading', { name: 'Session established' });
    const card = outcome.parentElement!;
    expect(within(card).getByText('Yes')).toBeTruthy();
    expect(within(card).getByText('DEMO\\alice')).toBeTruthy();
    expect(within(card).getByText('200')).toBeTruthy();
  });

  it('says a ticket taken by a successful Open is redeemed, not expired, and keeps curl and PowerShell', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = await requestForAlice();
    await screen.findByText('Expires in 60 s');
    await user.click(screen.getByRole('button', { name: 'Open' }));
    await screen.findByRole('heading', { name: 'Session established' });
    const card = screen.getByRole('region', { name: 'Ticket for DEMO\\alice' });
    const line = within(card).getByText(/^Ticket redeemed/);
    expect(line.className).not.toContain('expired');
    // Past its 60 seconds it is still the redeemed ticket it was, not an expired one.
    act(() => vi.advanceTimersByTime(61_000));
    expect(within(card).queryByText('Ticket expired')).toBeNull();
    expect(within(card).getByText(/^Ticket redeemed/)).toBeTruthy();
    expect(within(card).queryByText(/can no longer be redeemed/)).toBeNull();
    expect((within(card).getByRole('button', { name: 'Copy URL' }) as HTMLButtonElement).disabled).toBe(true);
    expect((within(card).getByRole('button', { name: 'Copy as curl' }) as HTMLButtonElement).disabled).toBe(false);
    expect((within(card).getByRole('button', { name: 'Copy as PowerShell' }) as HTMLButtonElement).disabled).toBe(false);
    expect((within(card).getByRole('button', { name: 'Open' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows why opening failed, with the hint', async () => {
    usher()['tickets.open'].mockResolvedValueOnce(fail('TICKET_EXPIRED', 'QPS no longer knows this ticket.', 'Request a new ticket; they live 60 seconds.'));
    const user = await requestForAlice();
    await user.click(await screen.findByRole('button', { name: 'Open' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('QPS no longer knows this ticket.');
    expect(alert.textContent).toContain('Request a new ticket; they live 60 seconds.');
  });

  it('copies URL, curl and PowerShell through the main process', async () => {
    const user = await requestForAlice();
    await user.click(await screen.findByRole('button', { name: 'Copy URL' }));
    expect(usher()['tickets.copy']).toHaveBeenLastCalledWith({ ticketId: 't-1', format: 'url' });
    expect(await screen.findByText('Copied the URL to the clipboard.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Copy as curl' }));
    expect(usher()['tickets.copy']).toHaveBeenLastCalledWith({ ticketId: 't-1', format: 'curl' });
    await user.click(screen.getByRole('button', { name: 'Copy as PowerShell' }));
    expect(usher()['tickets.copy']).toHaveBeenLastCalledWith({ ticketId: 't-1', format: 'powershell' });
    expect(await screen.findByText('preview of powershell')).toBeTruthy();
  });
});

describe('log in as', () => {
  const withHeaderProxy = {
    ...demoProfile,
    virtualProxies: [
      ...demoProfile.virtualProxies,
      {
        id: 'vp-2',
        prefix: 'header',
        description: 'Header',
        authenticationMethod: 1,
        sessionCookieHeaderName: 'X-Qlik-Session-header',
        authenticationModuleRedirectUri: '',
      },
    ],
  };

  it('offers the methods the chosen virtual proxy takes, and logs a header user in in one step', async () => {
    useAppStore.setState({ profiles: [withHeaderProxy], activeProfileId: 'demo' });
    const user = userEvent.setup();
    render(<TicketGenerator />);
    const method = () => screen.getByLabelText('Login method') as HTMLSelectElement;
    expect(Array.from(method().options).map((o) => o.text)).toEqual(['Ticket', 'Session API']);
    expect(screen.getByRole('button', { name: 'Request ticket' })).toBeTruthy();

    await user.selectOptions(screen.getByLabelText('Virtual proxy'), 'header');
    expect(Array.from(method().options).map((o) => o.text)).toEqual(['Header', 'Session API']);
    expect(method().value).toBe('header');
    await user.clear(screen.getByLabelText('User directory'));
    await user.type(screen.getByLabelText('User directory'), 'HEADER');
    await user.type(screen.getByLabelText('User id'), 'carol');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(usher()['login.as']).toHaveBeenCalledWith({
      profileId: 'demo',
      virtualProxy: 'header',
      method: 'header',
      userDirectory: 'HEADER',
      userId: 'carol',
      attributes: [],
      target: { kind: 'hub' },
    });
    expect(usher()['tickets.request']).not.toHaveBeenCalled();
    const outcome = await screen.findByRole('status');
    expect(within(outcome).getByText('Session established')).toBeTruthy();
    expect(within(outcome).getByText('HEADER\\carol')).toBeTruthy();
  });

  it('shows the refusal of a login the main process turned down', async () => {
    useAppStore.setState({ profiles: [withHeaderProxy], activeProfileId: 'demo' });
    usher()['login.as'].mockResolvedValueOnce(
      fail('WRONG_DIRECTORY', 'Virtual proxy /header puts every header user in the directory HEADER, not DEMO.', 'Log in as HEADER\\carol.'),
    );
    const user = userEvent.setup();
    render(<TicketGenerator />);
    await user.selectOptions(screen.getByLabelText('Virtual proxy'), 'header');
    await user.type(screen.getByLabelText('User id'), 'carol');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByText(/puts every header user in the directory HEADER/)).toBeTruthy();
  });
  it('refuses a URL target in its own words next to the field, focused, and sends nothing', async () => {
    useAppStore.setState({ profiles: [withHeaderProxy], activeProfileId: 'demo' });
    const user = userEvent.setup();
    render(<TicketGenerator />);
    await user.selectOptions(screen.getByLabelText('Virtual proxy'), 'header');
    await user.type(screen.getByLabelText('User id'), 'carol');
    await user.click(screen.getByLabelText('A URL on the site'));
    await user.type(screen.getByLabelText('URL'), 'qlik');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    const url = screen.getByLabelText('URL');
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(url);
    const described = document.getElementById(url.getAttribute('aria-describedby')!.split(' ')[0]!)!;
    expect(described.textContent).toMatch(/starting with https:\/\//);
    expect(document.body.textContent).not.toMatch(/target\.url|at least 8 characters|Invalid request/);
    expect(usher()['login.as']).not.toHaveBeenCalled();

    await user.clear(url);
    await user.type(url, 'https://localhost/hub/');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(usher()['login.as']).toHaveBeenCalledWith(expect.objectContaining({ target: { kind: 'url', url: 'https://localhost/hub/' } }));
    expect(url.getAttribute('aria-invalid')).toBeNull();
  });
  it("words a request the main process refused by its schema in the form's terms, not the schema's", async () => {
    useAppStore.setState({ profiles: [withHeaderProxy], activeProfileId: 'demo' });
    usher()['login.as'].mockResolvedValueOnce(fail('INVALID_REQUEST', 'Invalid request for login.as: target.url: must be at least 8 characters'));
    const user = userEvent.setup();
    render(<TicketGenerator />);
    await user.selectOptions(screen.getByLabelText('Virtual proxy'), 'header');
    await user.type(screen.getByLabelText('User id'), 'carol');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByText('The URL is too short (at least 8 characters).')).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/Invalid request|login\.as|target\.url/);
  });
});
