// @vitest-environment happy-dom
// The console frame: sites and sections in a nav landmark, keyboard operation, the status bar, errors.
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App';
import { demoProfile, fail, ok, records } from './fake-usher';
import { useFakeUsherPerTest } from './harness';

/** The sidebar's sections, in order, as a person reads them. */
const SECTION_TITLES = [
  'Trust',
  'Site',
  'Log in as',
  'Partitions',
  'Sessions',
  'Checks',
  'JWT',
  'Two tabs, one cookie jar',
  'Validate module',
  'Request log',
  'Audit',
];

const usher = useFakeUsherPerTest();

async function renderApp() {
  render(<App />);
  await screen.findByRole('button', { name: /Prod EU/ });
}

describe('layout', () => {
  it('shows the sites and sections in a navigation landmark, and the landmarks and headings', async () => {
    await renderApp();
    const nav = screen.getByRole('navigation', { name: 'Console' });
    const sites = within(nav).getByRole('list', { name: 'Sites' });
    expect(
      within(sites)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Demo sitedemo', 'Prod EU']);
    expect(
      within(sites)
        .getByRole('button', { name: /Demo site/ })
        .getAttribute('aria-current'),
    ).toBe('true');
    const sections = within(nav).getByRole('list', { name: 'Sections' });
    expect(
      within(sections)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(SECTION_TITLES);
    expect(screen.getByRole('main')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Log in as' })).toBeTruthy();
  });

  it('titles the window after the section shown', async () => {
    const user = userEvent.setup();
    await renderApp();
    expect(document.title).toBe('Log in as - Usher');
    await user.click(screen.getByRole('button', { name: 'Request log' }));
    expect(document.title).toBe('Request log - Usher');
  });

  it('shows the active site, node and virtual proxy in the status bar', async () => {
    await renderApp();
    const status = screen.getByRole('contentinfo', { name: 'Status' });
    await waitFor(() => expect(status.textContent).toContain('Site: Demo site'));
    expect(status.textContent).toContain('Node: Central (central.demo.local)');
    expect(status.textContent).toContain('Virtual proxy: (default)');
  });

  it('keeps the status bar out of live regions but for its keychain line', async () => {
    await renderApp();
    act(() =>
      usher().emit('app.state', {
        host: 'electron',
        vault: { kind: 'memory', reason: 'no keychain' },
        activeProfileId: 'demo',
        demo: { running: true, nodes: [] },
      }),
    );
    const footer = screen.getByRole('contentinfo', { name: 'Status' });
    expect(footer.getAttribute('role')).toBeNull();
    expect(footer.getAttribute('aria-live')).toBeNull();
    const live = within(footer).getByRole('status');
    expect(live.textContent).toBe('No keychain: certificates are kept in memory and lost when Usher closes');
  });

  it('is usable by keyboard: Tab walks sites then sections in order, Enter opens a section', async () => {
    const user = userEvent.setup();
    await renderApp();
    // The skip link comes first, then the header's Menu button (CSS hides it on wide windows; the
    // test DOM applies no stylesheet) and its Keyboard shortcuts button.
    for (const name of ['Skip to content', 'Menu', 'Keyboard shortcuts']) {
      await user.tab();
      expect(document.activeElement?.textContent).toBe(name);
    }
    await user.tab();
    expect(document.activeElement?.textContent).toBe('Demo sitedemo');
    await user.tab();
    expect(document.activeElement?.textContent).toBe('Prod EU');
    // Every section in sidebar order, up to the request log.
    for (const title of SECTION_TITLES.slice(0, SECTION_TITLES.indexOf('Request log') + 1)) {
      await user.tab();
      expect(document.activeElement?.textContent).toBe(title);
    }
    await user.keyboard('{Enter}');
    const heading = await screen.findByRole('heading', { level: 1, name: 'Request log' });
    // Focus follows to the new section's heading.
    expect(document.activeElement).toBe(heading);
    expect(screen.getByRole('button', { name: 'Request log' }).getAttribute('aria-current')).toBe('page');
  });

  it('selects a site through the main process', async () => {
    const user = userEvent.setup();
    await renderApp();
    await user.click(screen.getByRole('button', { name: 'Prod EU' }));
    expect(usher()['profiles.select']).toHaveBeenCalledWith({ id: 'prod-eu' });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Prod EU' }).getAttribute('aria-current')).toBe('true'));
    expect(screen.getByRole('contentinfo', { name: 'Status' }).textContent).toContain('Site: Prod EU');
  });

  it('shows an error as its message and hint', async () => {
    usher()['profiles.list'].mockResolvedValueOnce(fail('VAULT_LOCKED', 'The keychain is locked.', 'Unlock it and press Refresh.'));
    render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The keychain is locked.');
    expect(alert.textContent).toContain('Unlock it and press Refresh.');
    expect(alert.textContent).not.toContain('VAULT_LOCKED');
  });

  it('says which damaged site files the main process set aside', async () => {
    usher()['profiles.list'].mockResolvedValueOnce(
      ok({ profiles: [demoProfile], problems: [{ file: 'prod-eu.json', reason: 'name: must not be empty' }], activeProfileId: 'demo' }),
    );
    render(<App />);
    const note = await screen.findByRole('note');
    expect(note.textContent).toContain('A damaged site file was set aside; the other sites are shown.');
    expect(note.textContent).toContain('prod-eu.json: name: must not be empty');
  });

  it('collects live request records and app state pushes while any section is shown', async () => {
    await renderApp();
    act(() => usher().emit('requestLog.record', { ...records[0]!, id: 9 }));
    act(() =>
      usher().emit('app.state', {
        host: 'electron',
        vault: { kind: 'memory', reason: 'no keychain' },
        activeProfileId: 'prod-eu',
        demo: { running: true, nodes: [] },
      }),
    );
    expect(screen.getByRole('contentinfo', { name: 'Status' }).textContent).toContain('Site: Prod EU');
    expect(screen.getByRole('contentinfo', { name: 'Status' }).textContent).toContain(
      'No keychain: certificates are kept in memory and lost when Usher closes',
    );
    await userEvent.setup().click(screen.getByRole('button', { name: 'Request log' }));
    expect(await screen.findByText('3 of 3 requests')).toBeTruthy();
  });
});
