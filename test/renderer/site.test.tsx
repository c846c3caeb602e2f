// @vitest-environment happy-dom
// The Site section: rename, addresses, re-import, export, import and removal of a saved site, each
// through its channel (the core's site operations in main); the demo site offers none of them.
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useTrustStore } from '../../renderer/src/stores/trust-store';
import { certReport, demoProfile, ok, prodProfile, trustRun } from './fake-usher';
import { expectCancelAndEscapeGiveFocusBack, openSectionByKeyboard, useFakeUsherPerTest } from './harness';

const usher = useFakeUsherPerTest();

/** The console with Prod EU as the active site, on the Site section. */
async function openProdSite(user: ReturnType<typeof userEvent.setup>) {
  usher()['profiles.list'].mockResolvedValue(ok({ profiles: [demoProfile, prodProfile], problems: [], activeProfileId: 'prod-eu' }));
  await openSectionByKeyboard(user, 'Site');
}

describe('Site section', () => {
  it('renames the active site and says so', async () => {
    const user = userEvent.setup();
    await openProdSite(user);
    const form = screen.getByRole('form', { name: 'Rename the site' });
    const name = within(form).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Prod EU West');
    await user.click(within(form).getByRole('button', { name: 'Rename' }));
    expect(usher()['profiles.rename']).toHaveBeenCalledWith({ id: 'prod-eu', name: 'Prod EU West' });
    expect((await screen.findByRole('status', { name: 'Site' })).textContent).toContain('Renamed to "Prod EU West"');
  });

  it('refuses a name with surrounding spaces next to the field, before asking main', async () => {
    const user = userEvent.setup();
    await openProdSite(user);
    const form = screen.getByRole('form', { name: 'Rename the site' });
    await user.type(within(form).getByLabelText('Name'), ' ');
    expect(within(form).getByText('The name must not start or end with white space.')).toBeTruthy();
    expect(within(form).getByRole('button', { name: 'Rename' })).toHaveProperty('disabled', true);
  });

  it('saves new addresses and shows the refusal of a bad one next to the form', async () => {
    const user = userEvent.setup();
    await openProdSite(user);
    const form = screen.getByRole('form', { name: 'Addresses' });
    const qps = within(form).getByLabelText('QPS address');
    await user.clear(qps);
    await user.type(qps, 'https://qlik2.example.com:4243');
    await user.click(within(form).getByRole('button', { name: 'Save addresses' }));
    expect(usher()['profiles.setAddresses']).toHaveBeenCalledWith({
      id: 'prod-eu',
      qps: 'https://qlik2.example.com:4243',
      qrs: 'https://qlik.example.com:4242',
    });
    expect((await screen.findByRole('status', { name: 'Site' })).textContent).toContain('Run the trust check');

    usher()['profiles.setAddresses'].mockResolvedValueOnce({
      ok: false,
      error: { code: 'INVALID_ADDRESS', message: 'The QPS address must use https', hint: 'for example https://qlik.example.com:4243' },
    });
    await user.type(within(screen.getByRole('form', { name: 'Addresses' })).getByLabelText('QPS address'), '/');
    await user.click(within(screen.getByRole('form', { name: 'Addresses' })).getByRole('button', { name: 'Save addresses' }));
    expect(within(screen.getByRole('form', { name: 'Addresses' })).getByRole('alert').textContent).toContain('must use https');
  });

  it('says what a removal removes before doing it, and removes on confirmation only', async () => {
    const user = userEvent.setup();
    await openProdSite(user);
    const opener = () => screen.getByRole('button', { name: 'Remove Prod EU…' });
    opener().focus();
    await user.keyboard('{Enter}');
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove Prod EU?' });
    expect(usher()['profiles.removalPlan']).toHaveBeenCalledWith({ id: 'prod-eu' });
    const text = dialog.textContent ?? '';
    expect(text).toContain('The site file /data/profiles/prod-eu.json is removed.');
    expect(text).toContain('are removed from the vault: bundle prod-eu-0123456789ab in the encrypted file /data/vault/prod-eu-0123456789ab.bundle');
    expect(text).toContain('The Secret Service entry stays');
    expect(usher()['profiles.remove']).not.toHaveBeenCalled();
    await expectCancelAndEscapeGiveFocusBack(user, dialog, opener);

    await user.click(opener());
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Remove Prod EU' }));
    expect(usher()['profiles.remove']).toHaveBeenCalledWith({ id: 'prod-eu' });
    await waitFor(() => expect(usher()['profiles.list']).toHaveBeenCalledTimes(2));
  });

  it('exports without secrets as a file and as text', async () => {
    const user = userEvent.setup();
    await openProdSite(user);
    await user.click(screen.getByRole('button', { name: 'Export Prod EU' }));
    expect(usher()['profiles.export']).toHaveBeenCalledWith({ id: 'prod-eu' });
    const text = await screen.findByRole('textbox', { name: 'Exported prod-eu.usher-profile.json' });
    expect((text as HTMLTextAreaElement).value).toContain('"format":"usher-profile"');
  });

  it('imports a site file under a chosen name and makes it the active site', async () => {
    const user = userEvent.setup();
    await openProdSite(user);
    const json = '{"format":"usher-profile","version":1,"profile":{}}';
    await user.upload(screen.getByLabelText('Exported site file (.json)'), new File([json], 'lab.json', { type: 'application/json' }));
    await user.type(screen.getByLabelText('Name (optional)'), 'Lab');
    await user.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(usher()['profiles.import']).toHaveBeenCalledWith({ text: json, name: 'Lab' }));
    await waitFor(() => expect(usher()['profiles.select']).toHaveBeenCalledWith({ id: 'imported' }));
  });

  it("re-imports certificates through the trust wizard, against the site's own addresses", async () => {
    const user = userEvent.setup();
    await openProdSite(user);
    await user.click(screen.getByRole('button', { name: 'Re-import certificates' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Trust a site' })).toBeTruthy();
    expect(screen.getByText(/New certificates for/).textContent).toContain('Prod EU');
    expect((screen.getByLabelText(/QPS/) as HTMLInputElement).value).toBe('https://qlik.example.com:4243');
    // A finished run (the wizard's own steps are trust-wizard.test's): the save step replaces, never adds.
    act(() => useTrustStore.setState({ report: certReport, run: trustRun, runId: trustRun.runId, steps: trustRun.steps }));
    expect(screen.queryByRole('button', { name: 'Save site' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Replace the certificates of Prod EU' }));
    expect(usher()['profiles.replaceCertificates']).toHaveBeenCalledWith({ id: 'prod-eu', runId: trustRun.runId });
    expect((await screen.findByText(/New certificates saved for/)).textContent).toContain('CN=QlikClient, valid until 2030-01-01');
  });

  it('offers nothing to change on the built-in demo site', async () => {
    const user = userEvent.setup();
    await openSectionByKeyboard(user, 'Site');
    expect(screen.getByText(/The demo site is built in/)).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Rename the site' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
  });
});
