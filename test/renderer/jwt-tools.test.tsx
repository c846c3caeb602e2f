// @vitest-environment happy-dom
// The JWT section: make the site's signing pair and see the certificate to paste, mint a token for a user
// (masked, copied by the main process), verify a pasted token against the chosen virtual proxy.
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { JwtTools } from '../../renderer/src/screens/JwtTools';
import { useAppStore } from '../../renderer/src/stores/app-store';
import { useFakeUsherPerTest } from './harness';

const usher = useFakeUsherPerTest();

async function renderJwt() {
  await act(() => useAppStore.getState().load());
  render(<JwtTools />);
}

describe('JWT tools', () => {
  it('makes the signing pair and shows the certificate to paste into the QMC', async () => {
    const user = userEvent.setup();
    await renderJwt();
    await user.click(screen.getByRole('button', { name: 'Make a signing pair' }));
    const certificate = await screen.findByLabelText('Certificate to paste');
    expect((certificate as HTMLTextAreaElement).value).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(usher()['jwt.keygen']).toHaveBeenCalledWith({ profileId: 'demo', replace: false });
    expect(screen.getByRole('button', { name: 'Make a new pair' })).toBeTruthy();
  });

  it('mints a token for DIRECTORY\\user with groups, shows it masked with the verdict, and copies it through the main process', async () => {
    const user = userEvent.setup();
    await renderJwt();
    expect((screen.getByRole('button', { name: 'Mint' }) as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByLabelText('User'), 'DEMO\\alice');
    await user.type(screen.getByLabelText('Groups'), 'Sales, EU');
    await user.click(screen.getByRole('button', { name: 'Mint' }));
    expect(await screen.findByText(/Logs in DEMO\\alice/)).toBeTruthy();
    expect(usher()['jwt.mint']).toHaveBeenCalledWith({
      profileId: 'demo',
      virtualProxy: 'jwt',
      userDirectory: 'DEMO',
      userId: 'alice',
      groups: ['Sales', 'EU'],
      attributes: [],
    });
    expect(screen.getByText('eyJh••••••••••••')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Copy the token' }));
    expect(usher()['jwt.copy']).toHaveBeenCalledWith({ tokenId: 'jwt-1' });
    expect(await screen.findByText(/Copied/)).toBeTruthy();
  });

  it('verifies a pasted token against the virtual proxy typed above', async () => {
    const user = userEvent.setup();
    await renderJwt();
    const vp = screen.getByLabelText('JWT virtual proxy');
    await user.clear(vp);
    await user.type(vp, '/portal/');
    await user.type(screen.getByLabelText('Token'), ' a.b.c ');
    await user.click(screen.getByRole('button', { name: 'Verify against /portal' }));
    expect(await screen.findByText(/Logs in DEMO\\alice/)).toBeTruthy();
    expect(usher()['jwt.verify']).toHaveBeenCalledWith({ profileId: 'demo', virtualProxy: 'portal', token: 'a.b.c' });
  });
});
