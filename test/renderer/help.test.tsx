// @vitest-environment happy-dom
// The first run on the demo site (trust -> ticket -> partition -> sessions) and the folded help of each
// section in Qlik's words.
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App';
import { demoProfile, ok, prodProfile } from './fake-usher';
import { useFakeUsherPerTest } from './harness';

const usher = useFakeUsherPerTest();

afterEach(() => window.localStorage.clear());

describe('first run and section help', () => {
  it('walks the demo site in four steps, marking the section shown, until put away', async () => {
    const user = userEvent.setup();
    render(<App />);
    const guide = await screen.findByRole('navigation', { name: 'First steps on the demo site' });
    const steps = within(guide).getAllByRole('button').slice(0, 4);
    expect(steps.map((b) => b.textContent?.split(':')[0])).toEqual(['Trust', 'Log in as', 'Partitions', 'Sessions']);
    // The console opens on Log in as: step 2 is the current one.
    expect(steps[1]!.getAttribute('aria-current')).toBe('step');
    await user.click(steps[2]!);
    expect(await screen.findByRole('heading', { level: 1, name: 'Partitions' })).toBeTruthy();
    await user.click(within(screen.getByRole('navigation', { name: 'First steps on the demo site' })).getByRole('button', { name: 'Hide these steps' }));
    expect(screen.queryByRole('navigation', { name: 'First steps on the demo site' })).toBeNull();
    expect(window.localStorage.getItem('usher.firstRunGuide')).toBe('done');
  });

  it('shows no first-run steps on a site of your own', async () => {
    usher()['profiles.list'].mockResolvedValue(ok({ profiles: [demoProfile, prodProfile], problems: [], activeProfileId: 'prod-eu' }));
    render(<App />);
    await screen.findByRole('heading', { level: 1 });
    await screen.findByText('About this section');
    expect(screen.queryByRole('navigation', { name: 'First steps on the demo site' })).toBeNull();
  });

  it("explains each section in Qlik's vocabulary", async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByText('About this section'));
    const help = screen.getByText('About this section').closest('details')!;
    expect(help.open).toBe(true);
    expect(help.textContent).toMatch(/virtual proxy.*qlikTicket.*session cookie/s);
    await user.click(within(screen.getByRole('navigation', { name: 'Console' })).getByRole('button', { name: 'Trust' }));
    expect(screen.getByText('About this section').closest('details')!.textContent).toMatch(/QMC.*QPS.*QRS/s);
  });
});
