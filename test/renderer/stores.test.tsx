// @vitest-environment happy-dom
// The stores' actions against the fake bridge: what they send, what they keep, how errors land.
import { describe, expect, it } from 'vitest';
import { call, UiError } from '../../renderer/src/api';
import { inputFromDroppedPaths } from '../../renderer/src/dropped-paths';
import { activeProfile, useAppStore } from '../../renderer/src/stores/app-store';
import { ALL_SITES, sitesInLog, useAuditStore, visibleEntries } from '../../renderer/src/stores/audit-store';
import { MAX_RECORDS, useRequestLogStore, visibleRecords } from '../../renderer/src/stores/request-log-store';
import { matchesRequestFilter as matchesFilter } from '../../shared/request-log';
import { attributesToSend, useTicketStore } from '../../renderer/src/stores/ticket-store';
import { certificateInput, useTrustStore } from '../../renderer/src/stores/trust-store';
import { appState, auditEntries, demoProfile, fail, prodProfile, records, removeFakeUsher, trustRun } from './fake-usher';
import { useFakeUsherPerTest } from './harness';

const usher = useFakeUsherPerTest();

describe('api.call', () => {
  it('unwraps a value', async () => {
    await expect(call('app.state', {})).resolves.toEqual(appState);
    expect(usher()['app.state']).toHaveBeenCalledWith({});
  });

  it('throws a UiError with code, message and hint for a failed result', async () => {
    usher()['profiles.select'].mockResolvedValueOnce(fail('NOT_FOUND', 'No site "x".', 'Pick one from the list.'));
    const error = await call('profiles.select', { id: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UiError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'No site "x".', hint: 'Pick one from the list.' });
  });

  it('turns a broken bridge and a missing bridge into typed errors', async () => {
    usher()['app.state'].mockRejectedValueOnce(new Error('Object has been destroyed'));
    await expect(call('app.state', {})).rejects.toMatchObject({ code: 'IPC_FAILED' });
    removeFakeUsher();
    await expect(call('app.state', {})).rejects.toMatchObject({ code: 'NO_BRIDGE' });
  });
});

describe('app store', () => {
  it('loads the app state and the profiles, and selects a site through the main process', async () => {
    await useAppStore.getState().load();
    const state = useAppStore.getState();
    expect(state.app).toEqual(appState);
    expect(state.profiles.map((p) => p.id)).toEqual(['demo', 'prod-eu']);
    expect(activeProfile(state)?.name).toBe('Demo site');

    await useAppStore.getState().select('prod-eu');
    expect(usher()['profiles.select']).toHaveBeenCalledWith({ id: 'prod-eu' });
    expect(useAppStore.getState().activeProfileId).toBe('prod-eu');
  });

  it('keeps the error as data and the active site unchanged when selecting fails', async () => {
    await useAppStore.getState().load();
    usher()['profiles.select'].mockResolvedValueOnce(fail('PROFILE_NOT_FOUND', 'That site is gone.', 'Reload the list.'));
    await useAppStore.getState().select('prod-eu');
    expect(useAppStore.getState().activeProfileId).toBe('demo');
    expect(useAppStore.getState().error).toEqual({ code: 'PROFILE_NOT_FOUND', message: 'That site is gone.', hint: 'Reload the list.' });
  });

  it('follows app.state pushes', () => {
    useAppStore.getState().applyAppState({ ...appState, activeProfileId: 'prod-eu' });
    expect(useAppStore.getState().activeProfileId).toBe('prod-eu');
  });
});

describe('trust store', () => {
  it('fills the folder and the site from the demo export', async () => {
    await useTrustStore.getState().loadDemo();
    const s = useTrustStore.getState();
    expect(s.source).toMatchObject({ kind: 'folder', folder: '/tmp/usher-demo-export' });
    expect([s.qps, s.qrs]).toEqual(['https://localhost:4243', 'https://localhost:4242']);
    expect(s.passphraseHint).toMatch(/no password/);
  });

  it('builds each kind of certificate input, sending a PFX password only for PFX', async () => {
    const base = useTrustStore.getState().source;
    expect(certificateInput({ ...base, kind: 'pem', certPath: ' /a/client.pem ', keyPath: '/a/client_key.pem', caPath: '/a/root.pem' })).toEqual({
      kind: 'pem',
      certPath: '/a/client.pem',
      keyPath: '/a/client_key.pem',
      caPath: '/a/root.pem',
    });
    expect(certificateInput({ ...base, kind: 'pfx', pfxPath: '/a/client.pfx' })).toEqual({ kind: 'pfx', pfxPath: '/a/client.pfx' });

    useTrustStore.getState().setSource({ kind: 'pfx', pfxPath: '/a/client.pfx', passphrase: 'secret' });
    await useTrustStore.getState().inspect();
    expect(usher()['certs.inspect']).toHaveBeenCalledWith({ input: { kind: 'pfx', pfxPath: '/a/client.pfx' }, passphrase: 'secret' });
    expect(useTrustStore.getState().report?.findings).toHaveLength(2);
  });

  it('takes live steps of its own run only, then the answer as the final word', async () => {
    let finish: (value: Awaited<ReturnType<ReturnType<typeof usher>['trust.run']>>) => void = () => undefined;
    usher()['trust.run'].mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
    const store = useTrustStore.getState();
    store.setSite({ qps: 'https://qlik.example.com:4243', qrs: 'https://qlik.example.com:4242' });
    store.setSource({ folder: '/exports/site' });
    const running = store.start();

    store.onStep({ runId: 'run-1', step: { id: 'files', title: 'Files', status: 'running' } });
    store.onStep({ runId: 'run-1', step: { id: 'files', title: 'Files', status: 'pass', ms: 3 } });
    store.onStep({ runId: 'other-run', step: { id: 'tcp', title: 'TCP', status: 'fail' } });
    expect(useTrustStore.getState().steps).toEqual([{ id: 'files', title: 'Files', status: 'pass', ms: 3 }]);

    finish({ ok: true, value: trustRun });
    await running;
    const s = useTrustStore.getState();
    expect(s.running).toBe(false);
    expect(s.steps).toEqual(trustRun.steps);
    // Defaults for the save form come from what was discovered.
    expect(s.form).toEqual({ name: 'qlik.example.com', defaultVirtualProxy: '', defaultUserDirectory: '' });

    store.onStep({ runId: 'run-1', step: { id: 'tcp', title: 'late', status: 'fail' } });
    expect(useTrustStore.getState().steps).toEqual(trustRun.steps);
  });

  it('saves the run with the form values', async () => {
    useTrustStore.setState({ run: trustRun, form: { name: 'Prod EU', defaultVirtualProxy: 'ticket', defaultUserDirectory: 'CORP' } });
    const saved = await useTrustStore.getState().save();
    expect(usher()['profiles.saveFromTrust']).toHaveBeenCalledWith({
      runId: 'run-1',
      name: 'Prod EU',
      defaultVirtualProxy: 'ticket',
      defaultUserDirectory: 'CORP',
    });
    expect(saved?.name).toBe('Prod EU');
  });

  it('forgets findings and runs when the certificates change', () => {
    useTrustStore.setState({ report: { ok: true } as never, run: trustRun, steps: trustRun.steps });
    useTrustStore.getState().setSource({ folder: '/elsewhere' });
    expect(useTrustStore.getState()).toMatchObject({ report: undefined, run: undefined, steps: [] });
  });
});

describe('dropped paths', () => {
  it('recognises the export folder, the PEM trio and a PFX', () => {
    expect(inputFromDroppedPaths(['C:\\exports\\qlik'])).toEqual({ kind: 'folder', path: 'C:\\exports\\qlik' });
    expect(inputFromDroppedPaths(['/x/root.pem', '/x/client.pem', '/x/client_key.pem'])).toEqual({
      kind: 'pem',
      certPath: '/x/client.pem',
      keyPath: '/x/client_key.pem',
      caPath: '/x/root.pem',
    });
    expect(inputFromDroppedPaths(['/x/client.pfx', '/x/root.pem'])).toEqual({ kind: 'pfx', pfxPath: '/x/client.pfx', caPath: '/x/root.pem' });
    expect(inputFromDroppedPaths(['/x/client.pem'])).toBeUndefined();
  });
});

describe('ticket store', () => {
  it('keeps repeated keys and empty values, skips blank rows, and refuses a value without a name', () => {
    expect(
      attributesToSend([
        { rowId: 1, key: 'group', value: 'a' },
        { rowId: 2, key: 'group', value: 'b' },
        { rowId: 3, key: 'flag', value: '' },
        { rowId: 4, key: '', value: '' },
      ]),
    ).toEqual({
      attributes: [
        { key: 'group', value: 'a' },
        { key: 'group', value: 'b' },
        { key: 'flag', value: '' },
      ],
    });
    expect(attributesToSend([{ rowId: 1, key: '', value: 'x' }])).toEqual({ problem: 'Attribute 1 has a value but no name.' });
  });

  it('takes the active profile defaults and requests with them', async () => {
    const store = useTicketStore.getState();
    store.applyProfile(prodProfile);
    store.setForm({ userId: 'alice', targetId: ' ', reason: 'support case 42' });
    store.addAttribute();
    const row = useTicketStore.getState().form.attributes[0]!;
    useTicketStore.getState().updateAttribute(row.rowId, { key: 'group', value: '' });
    await useTicketStore.getState().request();
    expect(usher()['tickets.request']).toHaveBeenCalledWith({
      profileId: 'prod-eu',
      virtualProxy: 'ticket',
      userDirectory: 'CORP',
      userId: 'alice',
      attributes: [{ key: 'group', value: '' }],
      reason: 'support case 42',
    });
    expect(useTicketStore.getState().ticket?.ticketMasked).toBe('iokr••••••••••••');
  });

  it('opens on the chosen target and copies in the chosen format', async () => {
    const store = useTicketStore.getState();
    store.applyProfile(demoProfile);
    store.setForm({ userId: 'alice' });
    await store.request();
    useTicketStore.getState().setTarget({ kind: 'app', appId: 'app-1' });
    await useTicketStore.getState().open();
    expect(usher()['tickets.open']).toHaveBeenCalledWith({ ticketId: 't-1', target: { kind: 'app', appId: 'app-1' } });
    expect(useTicketStore.getState().opened?.established).toBe(true);

    await useTicketStore.getState().copy('powershell');
    expect(usher()['tickets.copy']).toHaveBeenCalledWith({ ticketId: 't-1', format: 'powershell' });
    expect(useTicketStore.getState().copied).toEqual({ format: 'powershell', preview: 'preview of powershell' });
  });

  it('stops a request or a login at the first thing missing: a nameless attribute, the partition, the site', async () => {
    const store = useTicketStore.getState();
    store.reset();
    store.addAttribute();
    const row = useTicketStore.getState().form.attributes[0]!;
    useTicketStore.getState().updateAttribute(row.rowId, { key: '', value: 'x' });
    useTicketStore.getState().setPartition({ mode: 'existing', partitionId: '' });
    await useTicketStore.getState().loginAs();
    expect(useTicketStore.getState().errors.login).toMatchObject({ code: 'FORM', message: 'Attribute 1 has a value but no name.' });
    useTicketStore.getState().removeAttribute(row.rowId);
    await useTicketStore.getState().loginAs();
    expect(useTicketStore.getState().errors.login).toMatchObject({ code: 'FORM', message: 'Pick the partition to open in.' });
    // A ticket request opens nothing yet: the partition choice does not stop it, the missing site does.
    await useTicketStore.getState().request();
    expect(useTicketStore.getState().errors.request).toMatchObject({ code: 'NO_PROFILE' });
    useTicketStore.getState().setPartition({ mode: 'new' });
    await useTicketStore.getState().loginAs();
    expect(useTicketStore.getState().errors.login).toMatchObject({ code: 'NO_PROFILE' });
    expect(usher()['login.as']).not.toHaveBeenCalled();
    expect(usher()['tickets.request']).not.toHaveBeenCalled();
  });

  it('clears the ticket of the previous site when another site becomes active', async () => {
    useTicketStore.getState().applyProfile(demoProfile);
    useTicketStore.getState().setForm({ userId: 'alice' });
    await useTicketStore.getState().request();
    useTicketStore.getState().applyProfile(prodProfile);
    expect(useTicketStore.getState().ticket).toBeUndefined();
    expect(useTicketStore.getState().form.userDirectory).toBe('CORP');
  });
});

describe('request log store', () => {
  it('loads newest first, adds live records once, filters, toggles and copies', async () => {
    const store = useRequestLogStore.getState();
    await store.load();
    expect(useRequestLogStore.getState().records.map((r) => r.id)).toEqual([2, 1]);

    store.add({ ...records[0]!, id: 3, url: 'https://localhost:4242/qrs/virtualproxyconfig/full', status: 403 });
    store.add({ ...records[0]!, id: 3 });
    expect(useRequestLogStore.getState().records.map((r) => r.id)).toEqual([3, 2, 1]);

    store.setFilter('qrs 403');
    expect(visibleRecords(useRequestLogStore.getState()).map((r) => r.id)).toEqual([3]);
    expect(matchesFilter(records[1]!, 'POST ticket')).toBe(true);

    store.toggle(2);
    expect(useRequestLogStore.getState().expanded).toEqual({ 2: true });
    store.toggle(2);
    expect(useRequestLogStore.getState().expanded).toEqual({});

    await store.copy(2, 'curl');
    expect(usher()['requestLog.copy']).toHaveBeenCalledWith({ id: '2', format: 'curl' });
    expect(useRequestLogStore.getState().copies[2]).toEqual({ format: 'curl', preview: 'curl for 2' });
  });

  it('keeps only the newest records', () => {
    for (let id = 1; id <= MAX_RECORDS + 5; id++) useRequestLogStore.getState().add({ ...records[0]!, id });
    const kept = useRequestLogStore.getState().records;
    expect(kept).toHaveLength(MAX_RECORDS);
    expect(kept[0]!.id).toBe(MAX_RECORDS + 5);
  });
});

describe('audit store', () => {
  it('loads the entries as answered, narrows them to a site and lists the sites in the log', async () => {
    const store = useAuditStore.getState();
    expect(useAuditStore.getState().loaded).toBe(false);
    await store.load();
    const state = useAuditStore.getState();
    expect(state.loaded).toBe(true);
    expect(state.entries).toEqual(auditEntries);
    expect(sitesInLog(state.entries)).toEqual(['demo', 'prod-eu', '(trust check localhost:4243)']);
    store.setSite('prod-eu');
    expect(visibleEntries(useAuditStore.getState()).map((e) => e.userId)).toEqual(['bob']);
    store.setSite(ALL_SITES);
    expect(visibleEntries(useAuditStore.getState())).toHaveLength(4);
  });

  it('keeps the last entries and the error as data when reading fails', async () => {
    await useAuditStore.getState().load();
    usher()['audit.list'].mockResolvedValueOnce(fail('INTERNAL', 'The audit log could not be read.', 'Restart Usher.'));
    await useAuditStore.getState().load();
    const state = useAuditStore.getState();
    expect(state.error).toEqual({ code: 'INTERNAL', message: 'The audit log could not be read.', hint: 'Restart Usher.' });
    expect(state.entries).toHaveLength(4);
    expect(state.loading).toBe(false);
  });
});
