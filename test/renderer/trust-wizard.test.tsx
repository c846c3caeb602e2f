// @vitest-environment happy-dom
// The trust wizard end to end against the fake: demo export -> findings -> live steps -> discovery -> save.
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { IpcResult, TrustRunView } from '../../shared/ipc/contract';
import { TrustWizard } from '../../renderer/src/screens/TrustWizard';
import { useAppStore } from '../../renderer/src/stores/app-store';
import { useTrustStore } from '../../renderer/src/stores/trust-store';
import { StatusBar } from '../../renderer/src/components/StatusBar';
import { appState, fail, ok, prodProfile, trustRun } from './fake-usher';
import { expectStepBar, recordScrolls, useFakeUsherPerTest } from './harness';

const usher = useFakeUsherPerTest();

function value(label: string | RegExp): string {
  return (screen.getByLabelText(label) as HTMLInputElement).value;
}

/** Holds trust.run open so the test can stream steps first. */
function holdRun(): (result: IpcResult<TrustRunView>) => void {
  let finish: (result: IpcResult<TrustRunView>) => void = () => undefined;
  usher()['trust.run'].mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
  return (result) => finish(result);
}

async function inspectDemo(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: "Use the demo site's export" }));
  await waitFor(() => expect(value('Export folder')).toBe('/tmp/usher-demo-export'));
  await user.click(screen.getByRole('button', { name: 'Inspect certificates' }));
  await screen.findByRole('heading', { name: '2. Findings' });
}

/** The wizard rendered, the demo export inspected and its trust check run green. */
async function checkedDemo(): Promise<ReturnType<typeof userEvent.setup>> {
  const user = userEvent.setup();
  render(<TrustWizard />);
  await inspectDemo(user);
  await user.click(screen.getByRole('button', { name: 'Run the trust check' }));
  await screen.findByText('The site trusts these certificates.');
  return user;
}

describe('trust wizard', () => {
  it('fills the folder and the QPS/QRS fields from the demo export', async () => {
    const user = userEvent.setup();
    render(<TrustWizard />);
    await user.click(screen.getByRole('button', { name: "Use the demo site's export" }));
    await waitFor(() => expect(value('Export folder')).toBe('/tmp/usher-demo-export'));
    expect(value('QPS base URL')).toBe('https://localhost:4243');
    expect(value('QRS base URL')).toBe('https://localhost:4242');
    expect(usher()['demo.export']).toHaveBeenCalledWith({});
  });

  it('accepts typed paths for PEM files and shows the findings of the inspection', async () => {
    const user = userEvent.setup();
    render(<TrustWizard />);
    await user.click(screen.getByLabelText('PEM files'));
    await user.type(screen.getByLabelText('Client certificate (client.pem)'), '/e/client.pem');
    await user.type(screen.getByLabelText('Client key (client_key.pem)'), '/e/client_key.pem');
    await user.type(screen.getByLabelText('Root certificate (root.pem)'), '/e/root.pem');
    await user.click(screen.getByRole('button', { name: 'Inspect certificates' }));
    expect(usher()['certs.inspect']).toHaveBeenCalledWith({
      input: { kind: 'pem', certPath: '/e/client.pem', keyPath: '/e/client_key.pem', caPath: '/e/root.pem' },
    });

    const table = await screen.findByRole('table', { name: 'Certificate findings' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringContaining('Passed'), expect.stringContaining('Export new certificates from the QMC.')]);
    expect(rows[1]!.textContent).toContain('Warning');
    expect(screen.getByText('CN=QlikClient')).toBeTruthy();
  });

  it('checks the fields in its own words before asking the main process, and takes focus to the first', async () => {
    const user = userEvent.setup();
    render(<TrustWizard />);
    await user.click(screen.getByRole('button', { name: 'Inspect certificates' }));
    expect(usher()['certs.inspect']).not.toHaveBeenCalled();
    const folder = screen.getByLabelText('Export folder');
    expect(folder.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(folder);
    expect(screen.getByText('Give the folder the QMC exported the certificates to.')).toBeTruthy();
    // No schema wording (input.path, "must be at least") reaches the page.
    expect(document.body.textContent).not.toMatch(/input\.path|must be at least|unexpected form/);

    await user.type(folder, '/exports/site');
    await user.type(screen.getByLabelText('QPS base URL'), 'qlik:4243');
    await act(() => useTrustStore.getState().start());
    expect(usher()['trust.run']).not.toHaveBeenCalled();
    const qps = screen.getByLabelText('QPS base URL');
    expect(document.activeElement).toBe(qps);
    expect(screen.getByText('Write the QPS address as a whole URL, for example https://qlik.example.com:4243.')).toBeTruthy();
    expect(screen.getByText('Give the QRS address, for example https://qlik.example.com:4242.')).toBeTruthy();
  });

  it('sends a test virtual proxy written /ticket, as the console writes prefixes, as the prefix ticket', async () => {
    const user = userEvent.setup();
    render(<TrustWizard />);
    await inspectDemo(user);
    await user.click(screen.getByLabelText('Also request and redeem a test ticket'));
    await user.type(screen.getByLabelText('Test user directory'), 'DEMO');
    await user.type(screen.getByLabelText('Test user id'), 'alice');
    await user.type(screen.getByLabelText('Test virtual proxy prefix'), '/ticket');
    await user.click(screen.getByRole('button', { name: 'Run the trust check' }));
    expect(usher()['trust.run']).toHaveBeenCalledWith(
      expect.objectContaining({ ticketTest: { userDirectory: 'DEMO', userId: 'alice', virtualProxy: 'ticket' } }),
    );
  });

  it('shows an inspection error as message and hint', async () => {
    usher()['certs.inspect'].mockResolvedValueOnce(
      fail('CERT_FILES_MISSING', 'client_key.pem is not in the folder.', 'Export again with "Include secret key" ticked.'),
    );
    const user = userEvent.setup();
    render(<TrustWizard />);
    await user.type(screen.getByLabelText('Export folder'), '/nowhere');
    await user.click(screen.getByRole('button', { name: 'Inspect certificates' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('client_key.pem is not in the folder.');
    expect(alert.textContent).toContain('Export again with "Include secret key" ticked.');
  });

  it('streams the steps live and shows cause and fix of a failure', async () => {
    const user = userEvent.setup();
    render(<TrustWizard />);
    await inspectDemo(user);
    expect(usher().listenerCount('trust.step')).toBe(1);
    const finish = holdRun();
    await user.click(screen.getByRole('button', { name: 'Run the trust check' }));
    expect(screen.getByRole('button', { name: 'Checking…' }).hasAttribute('disabled')).toBe(true);

    const list = screen.getByRole('list', { name: 'Trust check steps' });
    expect(within(list).getAllByText('Waiting')).toHaveLength(8);

    act(() => usher().emit('trust.step', { runId: 'run-9', step: { id: 'files', title: 'Certificate files found and parsed', status: 'running' } }));
    expect(within(list).getByText('Running')).toBeTruthy();
    // The bar says which step is under way, of how many, in words.
    expectStepBar('Trust check progress', { done: 0, total: 8, text: 'Step 1 of 8: Certificate files found and parsed' });
    act(() =>
      usher().emit('trust.step', {
        runId: 'run-9',
        step: { id: 'files', title: 'Certificate files found and parsed', status: 'pass', ms: 4, detail: 'PEM trio' },
      }),
    );
    expectStepBar('Trust check progress', { done: 1, total: 8, text: 'Step 2 of 8' });
    act(() =>
      usher().emit('trust.step', {
        runId: 'run-9',
        step: {
          id: 'server-cert',
          title: 'Server certificate verified against root.pem',
          status: 'fail',
          ms: 1200,
          code: 'HOST_MISMATCH',
          cause: 'The certificate is for qlik-a.corp.local, not localhost.',
          fix: 'Use https://qlik-a.corp.local:4243 as the QPS URL.',
        },
      }),
    );
    expect(within(list).getByText('4 ms')).toBeTruthy();
    expect(within(list).getByText('1.2 s')).toBeTruthy();
    expect(within(list).getByText('The certificate is for qlik-a.corp.local, not localhost.')).toBeTruthy();
    expect(within(list).getByText('Use https://qlik-a.corp.local:4243 as the QPS URL.')).toBeTruthy();

    const failed: TrustRunView = {
      ...trustRun,
      runId: 'run-9',
      ok: false,
      steps: [
        { id: 'files', title: 'Certificate files found and parsed', status: 'pass', ms: 4 },
        {
          id: 'server-cert',
          title: 'Server certificate verified against root.pem',
          status: 'fail',
          cause: 'The certificate is for qlik-a.corp.local, not localhost.',
          fix: 'Use https://qlik-a.corp.local:4243 as the QPS URL.',
        },
      ],
      nodes: [],
      virtualProxies: [],
    };
    await act(async () => finish({ ok: true, value: failed }));
    expect(screen.getByText('The trust check failed.')).toBeTruthy();
    // Steps never reached are shown as skipped once the run is over; no raw stack anywhere.
    expect(within(list).getAllByText('Skipped')).toHaveLength(6);
    expect(document.body.textContent).not.toMatch(/at .*\(.*:\d+:\d+\)/);
    expect((screen.getByRole('button', { name: 'Save site' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('scrolls the steps and the outcome into view when the run finishes', async () => {
    const user = userEvent.setup();
    await recordScrolls(async (scrolled) => {
      render(<TrustWizard />);
      await inspectDemo(user);
      const finish = holdRun();
      await user.click(screen.getByRole('button', { name: 'Run the trust check' }));
      expect(scrolled).toEqual([]);
      await act(async () => finish({ ok: true, value: trustRun }));
      const outcome = screen.getByText('The site trusts these certificates.');
      expect(scrolled).toHaveLength(1);
      expect(scrolled[0]!.contains(outcome)).toBe(true);
      expect(scrolled[0]!.contains(screen.getByRole('list', { name: 'Trust check steps' }))).toBe(true);
    });
  });

  it('shows discovered nodes and virtual proxies and saves the site with the form values', async () => {
    const user = userEvent.setup();
    render(<TrustWizard />);
    await inspectDemo(user);
    await user.click(screen.getByRole('button', { name: 'Run the trust check' }));
    await screen.findByText('The site trusts these certificates.');

    const nodes = screen.getByRole('table', { name: 'Nodes' });
    expect(within(nodes).getByText('central.demo.local')).toBeTruthy();
    const vps = screen.getByRole('table', { name: 'Virtual proxies' });
    expect(within(vps).getByText('/ticket')).toBeTruthy();
    expect(within(vps).getByText('Central Proxy (Default)')).toBeTruthy();

    const name = screen.getByLabelText('Site name');
    expect((name as HTMLInputElement).value).toBe('localhost');
    await user.clear(name);
    // A name the main process would refuse is marked on the field, with why, and cannot be saved.
    await user.type(name, ' Demo copy');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(name.getAttribute('aria-describedby')!)!.textContent).toBe('The name must not start or end with white space.');
    expect((screen.getByRole('button', { name: 'Save site' }) as HTMLButtonElement).disabled).toBe(true);
    await user.clear(name);
    await user.type(name, 'Demo copy');
    expect(name.getAttribute('aria-invalid')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Default virtual proxy'), 'ticket');
    await user.type(screen.getByLabelText('Default user directory'), 'DEMO');
    await user.click(screen.getByRole('button', { name: 'Save site' }));

    expect(usher()['profiles.saveFromTrust']).toHaveBeenCalledWith({
      runId: 'run-1',
      name: 'Demo copy',
      defaultVirtualProxy: 'ticket',
      defaultUserDirectory: 'DEMO',
    });
    expect(await screen.findByText(/Saved “Demo copy”/)).toBeTruthy();
    // The new site becomes the active one, through the main process.
    await waitFor(() => expect(usher()['profiles.select']).toHaveBeenCalledWith({ id: 'saved' }));
    expect(useAppStore.getState().activeProfileId).toBe('saved');

    // Saved again under another name: the main process's answer shows alone, not under the earlier "Saved".
    usher()['profiles.saveFromTrust'].mockResolvedValueOnce(
      fail('RUN_SAVED', 'This trust check is already saved, as the site “Demo copy”.', 'Rename it, or run the trust check again.'),
    );
    await user.clear(name);
    await user.type(name, 'Demo again');
    await user.click(screen.getByRole('button', { name: 'Save site' }));
    expect((await screen.findByRole('alert')).textContent).toContain('already saved, as the site “Demo copy”');
    expect(screen.queryByText(/Saved “Demo copy”/)).toBeNull();
  });

  it('without a keychain says before saving, in words, what is lost at restart, and after saving says the truth', async () => {
    const dbus = 'Platform secure storage failure: DBus error: org.freedesktop.DBus.Error.ServiceUnknown';
    const memoryApp = { ...appState, vault: { kind: 'memory' as const, reason: dbus } };
    act(() => useAppStore.getState().applyAppState(memoryApp));
    const user = await checkedDemo();

    const note = screen.getByRole('note');
    expect(note.textContent).toMatch(/no usable keychain.*kept in memory: after Usher closes, the site stays in the list without its certificates/);
    expect(note.textContent).toContain('USHER_VAULT_PASSPHRASE');
    expect(note.textContent).not.toContain('DBus');
    usher()['profiles.saveFromTrust'].mockResolvedValueOnce(
      ok({ ...prodProfile, id: 'saved', name: 'localhost', certificates: { ...prodProfile.certificates!, storage: 'memory' as const } }),
    );
    await user.click(screen.getByRole('button', { name: 'Save for this session only' }));
    expect(usher()['profiles.saveFromTrust']).toHaveBeenCalledWith(expect.objectContaining({ memoryOnly: true }));
    expect((await screen.findByText(/^Saved “localhost”/)).textContent).toBe(
      'Saved “localhost” for this session only: its certificates are in memory and are lost when Usher closes. It is now the active site.',
    );

    // The status bar: words, with the library's message only as the hover detail.
    render(<StatusBar app={memoryApp} />);
    const line = screen.getByText(/^No keychain:/);
    expect(line.textContent).toBe('No keychain: certificates are kept in memory and lost when Usher closes');
    expect(line.getAttribute('title')).toBe(dbus);
  });

  it('with a keychain saves without a memory note and says where the key is', async () => {
    act(() => useAppStore.getState().applyAppState(appState));
    const user = await checkedDemo();
    expect(screen.queryByRole('note')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save site' }));
    expect(usher()['profiles.saveFromTrust']).toHaveBeenCalledWith(expect.not.objectContaining({ memoryOnly: true }));
    expect((await screen.findByText(/^Saved “localhost”/)).textContent).toBe(
      'Saved “localhost”. Its certificates are encrypted, with the key in the Secret Service. It is now the active site.',
    );
  });

  it('takes dropped files through the host file bridge when there is one', async () => {
    window.usherFiles = { pathForFile: (file) => `/drop/${file.name}` };
    try {
      render(<TrustWizard />);
      const zone = screen.getByText('Or drop the export folder or its files here.').parentElement!;
      const files = ['client.pem', 'client_key.pem', 'root.pem'].map((n) => new File(['x'], n));
      fireEvent.drop(zone, { dataTransfer: { files } });
      await waitFor(() => expect(value('Client certificate (client.pem)')).toBe('/drop/client.pem'));
      expect(value('Root certificate (root.pem)')).toBe('/drop/root.pem');
    } finally {
      delete window.usherFiles;
    }
  });

  it("under Electron, Choose… asks the main process's native picker and fills the field; a cancel changes nothing", async () => {
    const user = userEvent.setup();
    act(() => useAppStore.getState().applyAppState({ ...appState, host: 'electron' }));
    render(<TrustWizard />);
    await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
    expect(usher()['files.choose']).toHaveBeenCalledWith({ what: 'folder' });
    await waitFor(() => expect(value('Export folder')).toBe('/chosen/folder'));
    usher()['files.choose'].mockResolvedValueOnce(ok({}));
    await user.click(screen.getByLabelText('PFX file'));
    await user.click(screen.getByRole('button', { name: 'Choose PFX…' }));
    expect(usher()['files.choose']).toHaveBeenLastCalledWith({ what: 'pfx' });
    expect(value('PFX file (client.pfx)')).toBe('');
  });

  it('in the chromium host, Choose… is a file input whose file the host places on disk', async () => {
    const user = userEvent.setup();
    act(() => useAppStore.getState().applyAppState({ ...appState, host: 'chromium' }));
    window.usherFiles = { pathForFile: async (file) => `/home/me/qmc/${file.name}` };
    try {
      const { container } = render(<TrustWizard />);
      await user.click(screen.getByLabelText('PEM files'));
      const inputs = container.querySelectorAll<HTMLInputElement>('input[type="file"]');
      expect([...inputs].map((i) => i.accept)).toEqual(['.pem,.crt,.key', '.pem,.crt,.key', '.pem,.crt,.key']);
      await user.upload(inputs[1]!, new File(['x'], 'client_key.pem'));
      await waitFor(() => expect(value('Client key (client_key.pem)')).toBe('/home/me/qmc/client_key.pem'));
      expect(usher()['files.choose']).not.toHaveBeenCalled();
    } finally {
      delete window.usherFiles;
    }
  });

  it('takes a path the host answers later (the chromium host asks the browser)', async () => {
    window.usherFiles = { pathForFile: async (file) => `/later/${file.name}` };
    try {
      render(<TrustWizard />);
      const zone = screen.getByText('Or drop the export folder or its files here.').parentElement!;
      fireEvent.drop(zone, { dataTransfer: { files: [new File(['x'], 'export')] } });
      await waitFor(() => expect(value('Export folder')).toBe('/later/export'));
    } finally {
      delete window.usherFiles;
    }
  });

  it('says what to drop when the bridge cannot give a path for a dropped item', async () => {
    window.usherFiles = {
      pathForFile: () => {
        throw new Error('usherFiles.pathForFile: no path for this file');
      },
    };
    try {
      render(<TrustWizard />);
      const zone = screen.getByText('Or drop the export folder or its files here.').parentElement!;
      fireEvent.drop(zone, { dataTransfer: { files: [new File(['x'], 'client.pem')] } });
      expect(await screen.findByText(/^Drop the export folder, or client.pem/)).toBeTruthy();
      expect(value('Export folder')).toBe('');
    } finally {
      delete window.usherFiles;
    }
  });

  it('has no drop zone without the bridge: the path fields are the way in', () => {
    render(<TrustWizard />);
    expect(screen.queryByText('Or drop the export folder or its files here.')).toBeNull();
    expect(screen.getByLabelText('Export folder')).toBeTruthy();
  });
});
