// The console backend end to end: real TLS against the in-process demo site, a MemoryKeychain, a
// throwaway data folder, and a fake BrowserHost made of the core's BrowserClient with one CookieJar per
// partition, so the wizard, ticket and "open" flows run without a browser. Every response is recorded
// and scanned at the end for tickets, PEM bodies and passphrases. The story's shared steps (the saved
// profile, the sales ticket and its partition, two users side by side) are made once by whichever test
// needs them first, so each test also passes alone (`-t`).
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleBackend, type ConsoleBackend } from '../../electron/app/console-backend';
import { BrowserClient, CookieJar } from '../../electron/core/browser';
import { MemoryKeychain, Vault } from '../../electron/core/vault';
import { ProfileStore } from '../../electron/core/profiles';
import { loadProfileCertificates } from '../../electron/core/profiles/certificate-bundle';
import { FailingKeychain } from '../support/keychain';
import type { BrowserHost, PartitionOptions, PartitionPage } from '../../electron/hosts/browser-host';
import type { Channel, EventTypes, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { Profile } from '../../shared/profile';
import { TICKET_PARAMETER } from '../../shared/ticket-url';
import { DEMO_MASHUP_ORIGIN, demoMistakes, demoSite } from '../../electron/simulator/demo-site';
import { lazy } from '../support/cert-fixtures';
import { testPki } from '../support/test-site';

/** Every virtual proxy QRS reports on the demo site, sorted, linked or not. */
const DEMO_PREFIXES = demoSite()
  .virtualProxies.map((vp) => vp.prefix)
  .sort();

/**
 * A browser host without a browser: a pinned BrowserClient per window and one cookie jar per partition
 * id (windows of one id share it). It has no disk and does not download: downloads are refused.
 */
class FakeHost implements BrowserHost {
  readonly kind = 'chromium' as const;
  readonly clipboard: string[] = [];
  readonly opened: Array<{ options: PartitionOptions; jar: CookieJar; visited: string[] }> = [];
  private readonly clients: BrowserClient[] = [];
  private readonly jars = new Map<string, { jar: CookieJar; clients: BrowserClient[] }>();

  async openPartition(options: PartitionOptions): Promise<PartitionPage> {
    let shared = this.jars.get(options.partitionId);
    if (!shared) this.jars.set(options.partitionId, (shared = { jar: new CookieJar(), clients: [] }));
    const { jar } = shared;
    const client = new BrowserClient({ ca: options.caPem, jar, timeoutMs: 5_000 });
    this.clients.push(client);
    shared.clients.push(client);
    const visited: string[] = [];
    let current = '';
    this.opened.push({ options, jar, visited });
    return {
      partitionId: options.partitionId,
      async goto(url) {
        visited.push(url);
        // Like a browser tab on the site: follow the proxy's redirects, stop where they leave it.
        const origin = new URL(url).origin;
        const page = await client.get(url, { stopAt: (next) => new URL(next).origin !== origin });
        current = page.url;
        return { status: page.status, url: page.url };
      },
      async fetchJson(url) {
        const res = await client.get(url, { headers: { accept: 'application/json' } });
        return { status: res.status, body: JSON.parse(res.text()) as unknown };
      },
      async fetchStatus(url) {
        const res = await client.get(url, { followRedirects: false });
        // As the hosts answer an unfollowed redirect: status 0.
        return { status: res.status >= 300 && res.status < 400 ? 0 : res.status, contentType: res.headers['content-type'] ?? '', bytes: res.body.length };
      },
      url: () => current,
      async cookies() {
        return jar.list().map((c) => ({ name: c.name, value: c.value, domain: c.domain, path: c.path, secure: c.secure, httpOnly: c.httpOnly }));
      },
      async setCookie(c) {
        const attributes = [
          `Path=${c.path}`,
          c.domain ? `Domain=${c.domain}` : '',
          c.secure ? 'Secure' : '',
          c.httpOnly ? 'HttpOnly' : '',
          `SameSite=${c.sameSite}`,
        ];
        jar.setFromResponse(c.url, [[`${c.name}=${c.value}`, ...attributes.filter(Boolean)].join('; ')]);
      },
      download: async () => Promise.reject(new Error('The fake host does not download.')),
      openEngine: async () => Promise.reject(new Error('The fake host opens no engine sockets.')),
      downloads: () => [],
      sendHeaders: () => Promise.reject(new Error('login headers are not used here')),
      close: () => this.closeClient(client),
    };
  }

  async clearPartition(partitionId: string): Promise<void> {
    this.jars.get(partitionId)?.jar.clear();
  }

  async destroyPartition(partitionId: string): Promise<void> {
    const shared = this.jars.get(partitionId);
    this.jars.delete(partitionId);
    await Promise.all((shared?.clients ?? []).map((c) => this.closeClient(c)));
  }

  /** Nothing of it is on disk. */
  async removeOrphanPartitions(): Promise<string[]> {
    return [];
  }

  async writeClipboard(text: string): Promise<void> {
    this.clipboard.push(text);
  }

  /** Once per client: the backend closes the pages it opened, the owner then closes the host. */
  private async closeClient(client: BrowserClient): Promise<void> {
    const index = this.clients.indexOf(client);
    if (index < 0) return;
    this.clients.splice(index, 1);
    // The jar ends with its last window, as in the real hosts.
    for (const [id, shared] of this.jars) {
      shared.clients = shared.clients.filter((c) => c !== client);
      if (shared.clients.length === 0) this.jars.delete(id);
    }
    await client.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients].map((c) => this.closeClient(c)));
  }
}

const pki = testPki();
const dataDir = mkdtempSync(join(tmpdir(), 'usher-console-'));
const host = new FakeHost();
let skewMs = 0;
let backend: ConsoleBackend;
const responses: Array<{ channel: Channel; text: string }> = [];
const events: { [E in keyof EventTypes]: Array<EventTypes[E]> } = {
  'trust.step': [],
  'requestLog.record': [],
  'app.state': [],
  'sessions.progress': [],
  'validator.step': [],
  'scenario.sharedJar.progress': [],
  'console.command': [],
};

/** Calls a handler as the router would, and keeps the serialised answer for the leak scan. */
async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const response = await backend.handlers[channel](request);
  responses.push({ channel, text: JSON.stringify(response) });
  return response;
}

/** The real tickets, taken from where they legitimately went: the partitions' first URL and the clipboard. */
function realTickets(): string[] {
  const urls = [...host.opened.flatMap((p) => p.visited), ...host.clipboard];
  return urls.flatMap((u) => {
    const value = u.startsWith('https:') ? new URL(u).searchParams.get(TICKET_PARAMETER) : null;
    return value ? [value] : [];
  });
}

beforeAll(async () => {
  backend = await createConsoleBackend({ dataDir, host, hostKind: 'chromium', keychain: new MemoryKeychain(), now: () => Date.now() + skewMs, demoPki: pki });
  for (const name of Object.keys(events) as Array<keyof EventTypes>) {
    backend.events.on(name, (payload) => (events[name] as unknown[]).push(payload));
  }
});

afterAll(async () => {
  await backend?.close();
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('console backend', () => {
  /** A green trust check on the demo export, its test ticket for DEMO\alice. */
  const greenRun = lazy(async () => {
    const exported = await call('demo.export', {});
    return call('trust.run', {
      input: { kind: 'folder', path: exported.path },
      qps: exported.qps,
      qrs: exported.qrs,
      ticketTest: { userDirectory: 'DEMO', userId: 'alice', virtualProxy: 'ticket' },
    });
  });
  /** That run saved as the profile "Demo export", made the active one. */
  const savedProfile = lazy(async (): Promise<{ runId: string; saved: Profile }> => {
    const { runId } = await greenRun();
    const saved = await call('profiles.saveFromTrust', { runId, name: 'Demo export', defaultVirtualProxy: 'ticket', defaultUserDirectory: 'MASHUP' });
    return { runId, saved };
  });
  /** A ticket for MASHUP\a1-sales on the saved profile, and when it was asked for. */
  const salesTicket = lazy(async () => {
    const { saved } = await savedProfile();
    const started = Date.now();
    const view = await call('tickets.request', {
      profileId: saved.id,
      virtualProxy: 'ticket',
      userDirectory: 'MASHUP',
      userId: 'a1-sales',
      attributes: [
        { key: 'Group', value: 'Sales' },
        { key: 'Group', value: '' },
      ],
      reason: 'support case 42',
    });
    return { started, view, saved };
  });
  /** The sales ticket's URL copied to the clipboard (before it is spent), and what the clipboard got. */
  const copiedUrl = lazy(async () => {
    const copied = await call('tickets.copy', { ticketId: (await salesTicket()).view.ticketId, format: 'url' });
    return { copied, real: host.clipboard.at(-1)! };
  });
  /** The sales ticket redeemed on app a1-sales in a fresh partition. */
  const salesOpened = lazy(async () => call('tickets.open', { ticketId: (await salesTicket()).view.ticketId, target: { kind: 'app', appId: 'a1-sales' } }));
  /** MASHUP\a2-finance and DEMO\alice, each opened on the demo site's hub in a partition of their own. */
  const twoUsers = lazy(async () => {
    const finance = await call('tickets.request', { profileId: 'demo', virtualProxy: 'ticket', userDirectory: 'MASHUP', userId: 'a2-finance', attributes: [] });
    const alice = await call('tickets.request', { profileId: 'demo', virtualProxy: 'ticket', userDirectory: 'DEMO', userId: 'alice', attributes: [] });
    const a = await call('tickets.open', { ticketId: finance.ticketId, target: { kind: 'hub' } });
    const b = await call('tickets.open', { ticketId: alice.ticketId, target: { kind: 'hub' } });
    return { a, b };
  });
  /** The ticket story up to two users side by side, in the order the tests below tell it. */
  async function storySoFar(): Promise<void> {
    await copiedUrl();
    await salesOpened();
    await twoUsers();
  }
  /** A trust check with DEMO\carol as its test user: the newest trust check of the story. */
  const carolTrustRun = lazy(async () => {
    const exported = await call('demo.export', {});
    const run = await call('trust.run', {
      input: { kind: 'folder', path: exported.path },
      qps: exported.qps,
      qrs: exported.qrs,
      ticketTest: { userDirectory: 'DEMO', userId: 'carol', virtualProxy: 'ticket' },
    });
    return { exported, run };
  });

  it('reports the app state: host, vault, the running demo site, the demo profile active', async () => {
    const state = await call('app.state', {});
    expect(state.host).toBe('chromium');
    expect(state.vault).toEqual({ kind: 'keychain', keychain: 'memory keychain' });
    expect(state.activeProfileId).toBe('demo');
    expect(state.demo.running).toBe(true);
    expect(state.demo.nodes.map((n) => n.name)).toEqual(['central', 'rim1']);
    for (const n of state.demo.nodes) for (const url of [n.hub, n.qps, n.qrs]) expect(url).toMatch(/^https:\/\/localhost:\d+$/);
  });

  it('lists the built-in demo profile, filled from the running site by QRS discovery', async () => {
    const { profiles, activeProfileId, problems } = await call('profiles.list', {});
    expect(activeProfileId).toBe('demo');
    expect(problems).toEqual([]);
    const demo = profiles[0]!;
    expect(demo).toMatchObject({ id: 'demo', builtIn: true, defaultVirtualProxy: 'ticket' });
    const state = await backend.handlers['app.state']({});
    expect(demo.qps).toBe(state.demo.nodes[0]!.qps);
    expect(demo.nodes.map((n) => [n.name, n.proxy])).toEqual(state.demo.nodes.map((n) => [n.name, n.hub]));
    expect(demo.virtualProxies.map((vp) => vp.prefix).sort()).toEqual(DEMO_PREFIXES);
    expect(demo.virtualProxies.find((vp) => vp.prefix === 'ticket')?.sessionCookieHeaderName).toBe('X-Qlik-Session-ticket');
    // Discovery went through the console's connection, so it is in the request log.
    const { records } = await call('requestLog.list', { filter: 'qrs' });
    expect(records.some((r) => r.url.includes('/qrs/proxyservice'))).toBe(true);
  });

  it('exports the demo PKI to a private folder and inspects it without secrets', async () => {
    const exported = await call('demo.export', {});
    const exportDir = exported.path;
    expect(exported.pfxPassphraseHint).toBe('use the PEM files');
    expect(exported).not.toHaveProperty('pfxPassphrase');
    expect(readdirSync(exportDir).sort()).toEqual(['client.pem', 'client.pfx', 'client_key.pem', 'root.pem']);
    if (process.platform !== 'win32') expect(statSync(exportDir).mode & 0o777).toBe(0o700);
    const state = await backend.handlers['app.state']({});
    expect(exported.qps).toBe(state.demo.nodes[0]!.qps);

    const report = await call('certs.inspect', { input: { kind: 'folder', path: exportDir } });
    expect(report.ok).toBe(true);
    expect(report.client.subject).toContain('QlikClient');
    expect(report.root.isCa).toBe(true);
    // The PFX with its passphrase: the answer is a report, the passphrase stays here.
    const pfx = await call('certs.inspect', {
      input: { kind: 'pfx', pfxPath: join(exportDir, 'client.pfx'), caPath: join(exportDir, 'root.pem') },
      passphrase: pki.pfxPassphrase,
    });
    expect(pfx.client.fingerprint256).toBe(report.client.fingerprint256);
  });

  it('refuses certificates it cannot read with a typed error', async () => {
    await expect(backend.handlers['certs.inspect']({ input: { kind: 'folder', path: join(dataDir, 'no-such-folder') } })).rejects.toMatchObject({
      code: expect.any(String),
      hint: expect.any(String),
    });
  });

  it('runs the trust check on the demo export, streaming every step as it runs', async () => {
    const run = await greenRun();
    expect(run.ok).toBe(true);
    expect(run.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
      'files:pass',
      'chain:pass',
      'tcp:pass',
      'server-cert:pass',
      'client-cert:pass',
      'qrs:pass',
      // The demo site's deliberately unlinked virtual proxy.
      'discovery:warn',
      'ticket:pass',
    ]);
    const streamed = events['trust.step'].filter((e) => e.runId === run.runId);
    expect(streamed).toHaveLength(16);
    expect(streamed.map((e) => `${e.step.id}:${e.step.status}`)).toEqual(run.steps.flatMap((s) => [`${s.id}:running`, `${s.id}:${s.status}`]));
    expect(run.nodes.map((n) => n.name)).toEqual(['central', 'rim1']);
    expect(run.virtualProxies.map((vp) => vp.prefix).sort()).toEqual(DEMO_PREFIXES);
    expect(run.certificates?.client.subject).toContain('QlikClient');
  });

  it('does not save a run that failed at the files, nor one it does not know', async () => {
    const failed = await call('trust.run', {
      input: { kind: 'folder', path: join(dataDir, 'missing') },
      qps: 'https://localhost:1',
      qrs: 'https://localhost:2',
    });
    expect(failed.ok).toBe(false);
    expect(failed.steps[0]).toMatchObject({ id: 'files', status: 'fail' });
    await expect(
      backend.handlers['profiles.saveFromTrust']({ runId: failed.runId, name: 'Broken', defaultVirtualProxy: '', defaultUserDirectory: '' }),
    ).rejects.toMatchObject({
      code: 'NOT_ALLOWED',
    });
    await expect(
      backend.handlers['profiles.saveFromTrust']({ runId: 'unknown-run', name: 'X', defaultVirtualProxy: '', defaultUserDirectory: '' }),
    ).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
      hint: expect.stringMatching(/again/),
    });
    const { profiles } = await backend.handlers['profiles.list']({});
    expect(profiles.map((p) => p.name)).not.toContain('Broken');
  });

  it('names a typed address that is not a URL instead of failing with INTERNAL', async () => {
    await expect(
      backend.handlers['trust.run']({ input: { kind: 'folder', path: dataDir }, qps: 'https://localhost:99999', qrs: 'https://localhost:4242' }),
    ).rejects.toMatchObject({
      code: 'INVALID_ADDRESS',
      message: expect.stringContaining('https://localhost:99999'),
      hint: expect.stringContaining('4243'),
    });
  });

  it('saves a green run as a profile, its certificates in the vault, not in the profile file', async () => {
    const { runId, saved } = await savedProfile();
    expect(saved).toMatchObject({ id: 'demo-export', name: 'Demo export', defaultVirtualProxy: 'ticket', defaultUserDirectory: 'MASHUP' });
    expect(saved.nodes.map((n) => n.name)).toEqual(['central', 'rim1']);
    expect(saved.certificates).toMatchObject({ bundleId: expect.stringMatching(/^demo-export-[0-9a-f]{12}$/), storage: 'keychain' });
    expect(saved.certificates?.clientSubject).toContain('QlikClient');
    const file = readFileSync(join(dataDir, 'profiles', 'demo-export.json'), 'utf8');
    expect(file).not.toContain('BEGIN');
    expect(readdirSync(join(dataDir, 'vault')).some((f) => f.startsWith('demo-export'))).toBe(true);
    const { profiles } = await call('profiles.list', {});
    expect(profiles.map((p) => p.id)).toEqual(['demo', 'demo-export']);
    // The run is spent: the set now lives in the vault only.
    // A second save (under another name) says what happened, not that the run was forgotten.
    await expect(backend.handlers['profiles.saveFromTrust']({ runId, name: 'Again', defaultVirtualProxy: '', defaultUserDirectory: '' })).rejects.toMatchObject(
      {
        code: 'RUN_SAVED',
        message: 'This trust check is already saved, as the site “Demo export”; its certificates now live there only.',
        hint: expect.stringMatching(/rename it.*run the trust check again/),
      },
    );
  });

  it('refuses to save over an existing profile', async () => {
    await savedProfile();
    const exported = await call('demo.export', {});
    const run = await call('trust.run', { input: { kind: 'folder', path: exported.path }, qps: exported.qps, qrs: exported.qrs });
    expect(run.ok).toBe(true);
    await expect(
      backend.handlers['profiles.saveFromTrust']({ runId: run.runId, name: 'demo export', defaultVirtualProxy: '', defaultUserDirectory: '' }),
    ).rejects.toMatchObject({
      code: 'PROFILE_EXISTS',
    });
  });

  it('selects a profile and announces the new state; unknown ids are NOT_FOUND', async () => {
    await savedProfile();
    const before = events['app.state'].length;
    expect(await call('profiles.select', { id: 'demo-export' })).toEqual({ activeProfileId: 'demo-export' });
    expect(events['app.state'].slice(before).map((s) => s.activeProfileId)).toEqual(['demo-export']);
    await expect(backend.handlers['profiles.select']({ id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await call('app.state', {})).activeProfileId).toBe('demo-export');
  });

  it('requests a ticket on the saved profile: masked view, expiry, audit entry', async () => {
    const { started, view, saved } = await salesTicket();
    expect(view.user).toBe('MASHUP\\a1-sales');
    expect(view.virtualProxy).toBe('ticket');
    expect(view.ticketMasked).toMatch(/^.{4}•+$/);
    const expires = Date.parse(view.expiresAt);
    expect(expires - started).toBeGreaterThanOrEqual(60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(60_000);
    const central = saved.nodes.find((n) => n.name === 'central')!;
    expect(view.redirectUrlMasked).toBe(`${central.proxy}/ticket/hub/?qlikTicket=${view.ticketMasked}`);
    const audit = readFileSync(join(dataDir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(audit.at(-1)).toMatchObject({
      action: 'ticket',
      profile: 'demo-export',
      node: 'central',
      virtualProxy: 'ticket',
      userId: 'a1-sales',
      reason: 'support case 42',
      ticketMasked: view.ticketMasked,
    });
  });

  it('copies the real URL to the clipboard while the answer holds only the masked one', async () => {
    const { copied, real } = await copiedUrl();
    expect(copied.copied).toBe(true);
    const ticket = new URL(real).searchParams.get(TICKET_PARAMETER)!;
    expect(ticket.length).toBeGreaterThan(8);
    expect(copied.preview).not.toContain(ticket);
    expect(copied.preview).toBe(real.replace(ticket, copied.preview.split('qlikTicket=')[1]!));
    expect(copied.preview.split('qlikTicket=')[1]).toMatch(/^.{4}•+$/);
  });

  it('copies the ticket call as curl and PowerShell, with file placeholders and no ticket', async () => {
    const salesTicketId = (await salesTicket()).view.ticketId;
    const curl = await call('tickets.copy', { ticketId: salesTicketId, format: 'curl' });
    const text = host.clipboard.at(-1)!;
    expect(curl.preview).toBe(text);
    expect(text).toMatch(/^curl -X POST 'https:\/\/localhost:\d+\/qps\/ticket\/ticket\?xrfkey=/);
    expect(text).toContain('--cert client.pem --key client_key.pem --cacert root.pem');
    expect(text).toContain('"UserId":"a1-sales"');
    expect(text).not.toContain('BEGIN');
    const ps = await call('tickets.copy', { ticketId: salesTicketId, format: 'powershell' });
    expect(ps.preview).toContain("Get-PfxCertificate -FilePath 'client.pfx'");
  });

  it('refuses to send a ticket to another origin, without spending it', async () => {
    const { view } = await salesTicket();
    const opened = host.opened.length;
    await expect(backend.handlers['tickets.open']({ ticketId: view.ticketId, target: { kind: 'url', url: 'https://example.com/hub/' } })).rejects.toMatchObject(
      {
        code: 'NOT_ALLOWED',
      },
    );
    expect(host.opened).toHaveLength(opened);
  });

  it('opens the ticket on an app in a fresh partition: the session is the ticket user', async () => {
    const result = await salesOpened();
    expect(result).toMatchObject({ established: true, user: 'MASHUP\\a1-sales', status: 200 });
    expect(result.finalUrl).toMatch(/\/ticket\/sense\/app\/a1-sales$/);
    const partition = host.opened.at(-1)!;
    expect(partition.options.partitionId).toBe(result.partitionId);
    const pem = (text: string): string => text.replace(/\r\n/g, '\n').trim();
    expect(pem(partition.options.caPem)).toBe(pem(pki.ca.certPem));
    expect(partition.jar.list().map((c) => c.name)).toContain('X-Qlik-Session-ticket');
    const audit = readFileSync(join(dataDir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(audit.at(-1)).toMatchObject({ action: 'session-create', profile: 'demo-export', userId: 'a1-sales' });
    expect(audit.at(-1)?.sessionIdMasked).toMatch(/•/);
  });

  it('refuses a second open of the same ticket', async () => {
    await salesOpened();
    const opened = host.opened.length;
    await expect(backend.handlers['tickets.open']({ ticketId: (await salesTicket()).view.ticketId, target: { kind: 'hub' } })).rejects.toMatchObject({
      code: 'TICKET_EXPIRED',
      hint: 'request a new ticket: tickets are valid once, for 60 seconds',
    });
    expect(host.opened).toHaveLength(opened);
  });

  it('gives each ticket its own partition: two users on one host keep their own sessions', async () => {
    const { a, b } = await twoUsers();
    expect([a.established, a.user, b.established, b.user]).toEqual([true, 'MASHUP\\a2-finance', true, 'DEMO\\alice']);
    expect(a.partitionId).not.toBe(b.partitionId);
    // The first partition still belongs to its user: ask its personal API again through its own jar.
    const first = host.opened.find((p) => p.options.partitionId === a.partitionId)!;
    const client = new BrowserClient({ ca: pki.ca.certPem, jar: first.jar });
    try {
      const me = await client.get(`${new URL(a.finalUrl).origin}/ticket/qps/user`);
      expect(JSON.parse(me.text())).toMatchObject({ userDirectory: 'MASHUP', userId: 'a2-finance' });
    } finally {
      await client.close();
    }
  });

  it('refuses an expired ticket (the store keeps its own clock)', async () => {
    const view = await call('tickets.request', { profileId: 'demo', virtualProxy: 'ticket', userDirectory: 'DEMO', userId: 'bob', attributes: [] });
    skewMs = 60_001;
    try {
      const opened = host.opened.length;
      await expect(backend.handlers['tickets.open']({ ticketId: view.ticketId, target: { kind: 'hub' } })).rejects.toMatchObject({
        code: 'TICKET_EXPIRED',
        hint: expect.stringMatching(/60 seconds/),
      });
      await expect(backend.handlers['tickets.copy']({ ticketId: view.ticketId, format: 'url' })).rejects.toMatchObject({ code: 'TICKET_EXPIRED' });
      expect(host.opened).toHaveLength(opened);
    } finally {
      skewMs = 0;
    }
  });

  it('reports a ticket the proxy does not accept as not established, without leaking it', async () => {
    // A ticket for the ticket virtual proxy redeemed on the default one: the proxy ignores it.
    const view = await call('tickets.request', { profileId: 'demo', virtualProxy: 'ticket', userDirectory: 'DEMO', userId: 'alice', attributes: [] });
    const state = await backend.handlers['app.state']({});
    const result = await call('tickets.open', { ticketId: view.ticketId, target: { kind: 'url', url: `${state.demo.nodes[0]!.hub}/hub/` } });
    expect(result.established).toBe(false);
    expect(result.user).toBeUndefined();
    expect(result.detail).toMatch(/session cookie|no active session/);
  });

  it('keeps a redacted request log, filters it and copies a call as curl', async () => {
    await storySoFar();
    const { records } = await call('requestLog.list', {});
    expect(records.length).toBeGreaterThan(4);
    const ids = records.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const tickets = (await call('requestLog.list', { filter: 'qps/ticket/ticket' })).records;
    // The trust check's test ticket, a1-sales, a2-finance and alice at least.
    expect(tickets.length).toBeGreaterThanOrEqual(4);
    expect(tickets.every((r) => r.method === 'POST' && r.status === 201)).toBe(true);
    expect((await call('requestLog.list', { filter: 'QRS' })).records.every((r) => r.service === 'qrs')).toBe(true);
    // Every record the renderer was sent, by event or by list, is free of real tickets.
    const everything = JSON.stringify([records, events['requestLog.record']]);
    const real = realTickets();
    expect(real.length).toBeGreaterThanOrEqual(4);
    for (const t of real) expect(everything).not.toContain(t);
    expect(tickets[0]!.responseBody).toMatch(/"Ticket":".{4}•+"/);

    const { preview } = await call('requestLog.copy', { id: String(tickets[0]!.id), format: 'curl' });
    const text = host.clipboard.at(-1)!;
    expect(text).toContain('--cert client.pem --key client_key.pem --cacert root.pem');
    expect(text).not.toMatch(/BEGIN|PRIVATE/);
    expect(preview).toBe(text);
    await expect(backend.handlers['requestLog.copy']({ id: '999999', format: 'curl' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('removes a saved profile and its vault bundle; the built-in one stays', async () => {
    await savedProfile();
    await call('profiles.select', { id: 'demo-export' });
    await expect(backend.handlers['profiles.remove']({ id: 'demo' })).rejects.toMatchObject({ code: 'BUILT_IN' });
    const before = events['app.state'].length;
    expect(await call('profiles.remove', { id: 'demo-export' })).toMatchObject({
      profileId: 'demo-export',
      profileFile: join(dataDir, 'profiles', 'demo-export.json'),
    });
    expect(readdirSync(join(dataDir, 'vault')).some((f) => f.startsWith('demo-export'))).toBe(false);
    expect(existsSync(join(dataDir, 'profiles', 'demo-export.json'))).toBe(false);
    // It was the active profile: the console falls back to the demo site and says so.
    expect(events['app.state'].slice(before).map((s) => s.activeProfileId)).toEqual(['demo']);
    await expect(
      backend.handlers['tickets.request']({ profileId: 'demo-export', virtualProxy: 'ticket', userDirectory: 'D', userId: 'u', attributes: [] }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('manages a saved site: rename, addresses, export/import, new certificates, removal said first', async () => {
    const exported = await call('demo.export', {});
    const check = () => call('trust.run', { input: { kind: 'folder', path: exported.path }, qps: exported.qps, qrs: exported.qrs });
    const site = await call('profiles.saveFromTrust', {
      runId: (await check()).runId,
      name: 'Admin site',
      defaultVirtualProxy: 'ticket',
      defaultUserDirectory: 'DEMO',
    });
    const firstBundle = site.certificates!.bundleId;

    const renamed = await call('profiles.rename', { id: site.id, name: 'Admin site (lab)' });
    expect(renamed).toMatchObject({ id: site.id, name: 'Admin site (lab)', certificates: { bundleId: firstBundle } });
    await expect(backend.handlers['profiles.rename']({ id: 'demo', name: 'Mine' })).rejects.toMatchObject({ code: 'BUILT_IN' });

    // New certificates from a check against the site's own QPS: a new bundle, the old one gone.
    const replaced = await call('profiles.replaceCertificates', { id: site.id, runId: (await check()).runId });
    expect(replaced.certificates!.bundleId).not.toBe(firstBundle);
    const bundles = () => readdirSync(join(dataDir, 'vault')).filter((f) => f.startsWith(site.id));
    expect(bundles()).toEqual([`${replaced.certificates!.bundleId}.bundle`]);

    // Moved addresses: a check against the old address no longer proves this site.
    const moved = await call('profiles.setAddresses', { id: site.id, qps: 'https://127.0.0.1:14243/', qrs: 'https://127.0.0.1' });
    expect(moved).toMatchObject({ qps: 'https://127.0.0.1:14243', qrs: 'https://127.0.0.1:4242' });
    await expect(backend.handlers['profiles.replaceCertificates']({ id: site.id, runId: (await check()).runId })).rejects.toMatchObject({
      code: 'NOT_ALLOWED',
      message: expect.stringContaining('not against'),
    });

    const { fileName, text } = await call('profiles.export', { id: site.id });
    expect(fileName).toBe(`${site.id}.usher-profile.json`);
    expect(text).not.toMatch(/bundleId|BEGIN/);
    const copy = await call('profiles.import', { text, name: 'Admin copy' });
    expect(copy).toMatchObject({ name: 'Admin copy', qps: 'https://127.0.0.1:14243' });
    expect(copy.certificates).toBeUndefined();
    await expect(backend.handlers['profiles.import']({ text: '{"format":"other"}' })).rejects.toMatchObject({ code: 'BAD_EXPORT' });

    const plan = await call('profiles.removalPlan', { id: site.id });
    expect(plan).toEqual({
      profileId: site.id,
      name: 'Admin site (lab)',
      profileFile: join(dataDir, 'profiles', `${site.id}.json`),
      certificates: {
        bundleId: replaced.certificates!.bundleId,
        file: join(dataDir, 'vault', `${replaced.certificates!.bundleId}.bundle`),
        clientSubject: replaced.certificates!.clientSubject,
        clientFingerprint256: replaced.certificates!.clientFingerprint256,
      },
      keychainEntryKept: 'memory keychain',
    });
    // The plan removed nothing; the removal removes what it said.
    expect(bundles()).toHaveLength(1);
    expect(await call('profiles.remove', { id: site.id })).toEqual(plan);
    expect(bundles()).toEqual([]);
    expect(existsSync(plan.profileFile)).toBe(false);
    await call('profiles.remove', { id: copy.id });
  });

  it("puts the trust check's own QPS/QRS calls in the request log, live and in the list", async () => {
    const before = events['requestLog.record'].length;
    const { exported, run } = await carolTrustRun();
    expect(run.ok).toBe(true);
    const live = events['requestLog.record'].slice(before);
    const calls = live.map((r) => `${r.service} ${r.method} ${new URL(r.url).pathname}`);
    // The check's steps, in order: the read-only QPS call, QRS about, discovery, the test ticket's round trip.
    expect(calls).toEqual(
      expect.arrayContaining([
        'qps GET /qps/user/USHER/trust-check',
        'qrs GET /qrs/about',
        'qrs GET /qrs/proxyservice/full',
        'qrs GET /qrs/virtualproxyconfig/full',
        'qps POST /qps/ticket/ticket',
      ]),
    );
    expect(calls.filter((c) => c.startsWith('qps ') && /\/qps\/ticket\/session\//.test(c)).map((c) => c.split(' ')[1])).toEqual(['GET', 'DELETE']);
    for (const r of live) expect(new URL(r.url).origin).toMatch(new RegExp(`^(${new URL(exported.qps).origin}|${new URL(exported.qrs).origin})$`));
    // Numbered by the console's store like every other call, so the list and copy-as-curl find them.
    const listed = (await call('requestLog.list', { filter: 'qrs/about' })).records;
    expect(listed.map((r) => r.id)).toContain(live.find((r) => r.url.includes('/qrs/about'))!.id);
    const about = listed.at(-1)!;
    expect(about.headers?.['X-Qlik-User']).toBe('UserDirectory=INTERNAL; UserId=sa_repository');
    await call('requestLog.copy', { id: String(about.id), format: 'curl' });
    expect(host.clipboard.at(-1)).toContain('/qrs/about');
    // A call naming a session: the clipboard gets the real id (the command runs), the answer the masked one.
    const sessionCall = live.find((r) => r.method === 'GET' && r.url.includes('/qps/ticket/session/'))!;
    expect(sessionCall.url).toContain('•');
    const copied = await call('requestLog.copy', { id: String(sessionCall.id), format: 'curl' });
    const command = host.clipboard.at(-1)!;
    expect(copied.preview).toContain(sessionCall.url);
    expect(command).not.toContain('•');
    const realId = /\/qps\/ticket\/session\/([^/'?]+)/.exec(command)?.[1];
    expect(realId).toBeDefined();
    expect(JSON.stringify(events['requestLog.record'])).not.toContain(realId);
    expect(copied.preview).not.toContain(realId);
    // The test ticket is masked in its record like the console's own tickets.
    const ticketCall = live.find((r) => r.method === 'POST' && r.url.includes('/qps/ticket/ticket'))!;
    expect(ticketCall.responseBody).toMatch(/"Ticket":".{4}•+"/);
  });

  it('lists the audit log newest first: console tickets, sessions and the trust check, masked', async () => {
    await storySoFar();
    await carolTrustRun();
    const { entries, skippedLines } = await call('audit.list', {});
    expect(skippedLines).toBe(0);
    const times = entries.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The file is the same one `usher audit` reads, oldest first; the channel answers it reversed.
    const file = readFileSync(join(dataDir, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(entries).toEqual(file.reverse());
    // The saved profile's entries (it is removed by now when the whole file runs): the log outlives the
    // sites it speaks of.
    expect(entries).toContainEqual(expect.objectContaining({ action: 'ticket', profile: 'demo-export', userId: 'a1-sales', reason: 'support case 42' }));
    expect(entries).toContainEqual(expect.objectContaining({ action: 'session-create', profile: 'demo-export', userId: 'a1-sales' }));
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'session-create', profile: 'demo', userDirectory: 'DEMO', userId: 'alice', virtualProxy: 'ticket' }),
    );
    // The trust check's test tickets and sessions are real, so they are audited too (last: carol).
    const trust = entries.filter((e) => e.profile.startsWith('(trust check '));
    expect(trust.slice(0, 2).map((e) => `${e.action} ${e.userDirectory}\\${e.userId}`)).toEqual(['session-end DEMO\\carol', 'ticket DEMO\\carol']);
    for (const e of entries) {
      for (const value of [e.ticketMasked, e.sessionIdMasked]) if (value !== undefined) expect(value).toMatch(/^.{4}•+$/);
    }

    // Narrowed and limited in the main process: the newest `limit` of one profile.
    const demo = await call('audit.list', { profile: 'demo', limit: 2 });
    expect(demo.entries).toHaveLength(2);
    expect(demo.entries).toEqual(entries.filter((e) => e.profile === 'demo').slice(0, 2));
    expect((await call('audit.list', { profile: 'no-such-site' })).entries).toEqual([]);
  });

  it('lists what it can of a damaged audit log and says how many lines it skipped', async () => {
    await salesTicket();
    const file = join(dataDir, 'audit.log');
    const intact = readFileSync(file, 'utf8');
    try {
      appendFileSync(file, '{"torn":\n' + JSON.stringify({ at: 'yesterday', action: 'ticket' }) + '\n');
      const { entries, skippedLines } = await call('audit.list', {});
      expect(skippedLines).toBe(2);
      expect(entries.length).toBe(intact.trim().split('\n').length);
    } finally {
      writeFileSync(file, intact);
    }
  });

  it('checks the demo site with the probe: each deliberate mistake once, the dead /ticket module included', async () => {
    const mark = (await call('requestLog.list', {})).records.at(-1)?.id ?? 0;
    const run = await call('checks.run', { profileId: 'demo', probe: true });
    expect(run.checked.map((vp) => vp.prefix)).toEqual(demoSite().virtualProxies.map((vp) => vp.prefix));
    expect(run.checked.slice(0, 3)).toEqual([
      { prefix: '', description: expect.any(String) },
      { prefix: 'ticket', description: 'Ticket authentication through an external module' },
      { prefix: 'header', description: 'Static header authentication' },
    ]);
    const found = run.findings.map((f) => `${f.rule} ${f.virtualProxy}`);
    expect(found.sort()).toEqual(
      demoMistakes({ origin: false, probe: true })
        .map((m) => `${m.rule} ${m.virtualProxy}`)
        .sort(),
    );
    expect(run.findings.find((f) => f.rule === 'module-unreachable')).toEqual({
      rule: 'module-unreachable',
      severity: 'error',
      virtualProxy: 'ticket',
      description: 'Ticket authentication through an external module',
      field: 'authenticationModuleRedirectUri',
      problem: expect.stringMatching(/^the module does not answer \(.+\): users are sent to a dead page$/),
      fix: expect.any(String),
    });
    // Each mistake's virtual proxy says in its description which rule it demonstrates.
    for (const f of run.findings.filter((x) => !['', 'ticket', 'header'].includes(x.virtualProxy))) expect(f.description).toContain(`(${f.rule})`);
    // QRS was read through the console's connection, so the calls are in the request log.
    const { records } = await call('requestLog.list', { filter: 'qrs' });
    const paths = records.filter((r) => r.id > mark).map((r) => new URL(r.url).pathname);
    expect(paths).toEqual(expect.arrayContaining(['/qrs/virtualproxyconfig/full', '/qrs/proxyservice/full']));
  });

  it(`checks embedding from the demo mashup ${DEMO_MASHUP_ORIGIN} without the probe: the default virtual proxy's three embedding mistakes`, async () => {
    const run = await call('checks.run', { profileId: 'demo', origin: DEMO_MASHUP_ORIGIN, probe: false });
    const found = run.findings.map((f) => `${f.rule} ${f.virtualProxy}`);
    expect(found.sort()).toEqual(
      demoMistakes({ origin: true, probe: false })
        .map((m) => `${m.rule} ${m.virtualProxy}`)
        .sort(),
    );
    const embedding = (prefix: string) =>
      run.findings
        .filter((f) => f.virtualProxy === prefix && f.rule.startsWith('embed-'))
        .map((f) => f.rule)
        .sort();
    expect(embedding('')).toEqual(['embed-csrf-headers', 'embed-host-not-allowed', 'embed-samesite']);
    // /ticket is set up for that mashup; no module was contacted.
    expect(embedding('ticket')).toEqual([]);
    expect(run.findings.some((f) => f.rule === 'module-unreachable')).toBe(false);
    const csrf = run.findings.find((f) => f.rule === 'embed-csrf-headers')!;
    expect(csrf.fix).toContain(`Access-Control-Allow-Origin: ${DEMO_MASHUP_ORIGIN}`);

    // Another origin is not in /ticket's allow list nor in its CORS headers.
    const portal = await call('checks.run', { profileId: 'demo', origin: 'https://portal.example.com', probe: false });
    const ticketRules = portal.findings
      .filter((f) => f.virtualProxy === 'ticket')
      .map((f) => f.rule)
      .sort();
    expect(ticketRules).toEqual(['embed-csrf-headers', 'embed-host-not-allowed']);

    // A page address counts as its origin.
    const page = await call('checks.run', { profileId: 'demo', origin: 'https://portal.example.com/apps/sales.html?x=1', probe: false });
    expect(page.findings).toEqual(portal.findings);
  });

  it('refuses a malformed origin and an unknown site with typed errors', async () => {
    await expect(backend.handlers['checks.run']({ profileId: 'demo', origin: 'https://[portal', probe: false })).rejects.toMatchObject({
      code: 'INVALID_ORIGIN',
      hint: expect.stringContaining('https://portal.example.com'),
    });
    // The rule `usher check --origin` follows too (core/operations/check-virtual-proxies.ts): https only.
    for (const origin of ['http://x', 'ftp://portal.example.com']) {
      await expect(backend.handlers['checks.run']({ profileId: 'demo', origin, probe: false })).rejects.toMatchObject({
        code: 'INVALID_ORIGIN',
        message: `${origin} is not an https:// origin`,
      });
    }
    await expect(backend.handlers['checks.run']({ profileId: 'no-such-site', probe: false })).rejects.toMatchObject({
      code: expect.any(String),
      hint: expect.any(String),
    });
  });

  it('never answers with a ticket, a PEM body or a passphrase', async () => {
    await storySoFar();
    // The scan covers every channel that handles certificates or tickets.
    for (const channel of ['demo.export', 'trust.run', 'profiles.saveFromTrust', 'tickets.request', 'tickets.copy', 'tickets.open'] as const) {
      expect(responses.map((r) => r.channel)).toContain(channel);
    }
    const real = realTickets();
    expect(real.length).toBeGreaterThanOrEqual(4);
    const keyLine = pki.client.keyPem.split('\n')[5]!;
    const caLine = pki.ca.certPem.split('\n')[5]!;
    for (const { channel, text } of responses) {
      for (const t of real) expect(text, channel).not.toContain(t);
      // No key of any kind. Certificates may pass: QRS answers a JWT virtual proxy with its public
      // certificate, and the request log shows what QRS said; the site's own CA is checked below.
      expect(text, channel).not.toMatch(/-----BEGIN (?!CERTIFICATE-----)/);
      expect(text, channel).not.toContain(keyLine);
      expect(text, channel).not.toContain(caLine);
      expect(text, channel).not.toContain(pki.pfxPassphrase);
    }
  });
});

describe('console backend lifecycle', () => {
  it('stops the demo site and removes its exports on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usher-console-close-'));
    const other = await createConsoleBackend({ dataDir: dir, host: new FakeHost(), hostKind: 'electron', keychain: new MemoryKeychain(), demoPki: pki });
    try {
      const exported = await other.handlers['demo.export']({});
      const state = await other.handlers['app.state']({});
      expect(state.host).toBe('electron');
      const hub = state.demo.nodes[0]!.hub;
      const seen: boolean[] = [];
      other.events.on('app.state', (s) => seen.push(s.demo.running));
      await other.close();
      expect(seen).toEqual([false]);
      expect(existsSync(exported.path)).toBe(false);
      const client = new BrowserClient({ ca: pki.ca.certPem, timeoutMs: 2_000 });
      try {
        await expect(client.get(`${hub}/hub/`)).rejects.toMatchObject({ code: 'CONNECTION_REFUSED' });
      } finally {
        await client.close();
      }
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('console JWT tools', () => {
  // A backend of its own: a pair made here must not change what the other tests' checks find.
  const dir = mkdtempSync(join(tmpdir(), 'usher-console-jwt-'));
  const jwtHost = new FakeHost();
  let jwt: ConsoleBackend;
  beforeAll(async () => {
    jwt = await createConsoleBackend({ dataDir: dir, host: jwtHost, hostKind: 'chromium', keychain: new MemoryKeychain(), demoPki: pki });
  });
  afterAll(async () => {
    await jwt?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const mintAlice = () =>
    jwt.handlers['jwt.mint']({
      profileId: 'demo',
      virtualProxy: 'jwt',
      userDirectory: 'DEMO',
      userId: 'alice',
      groups: ['Sales'],
      attributes: [],
      expiresInSeconds: 600,
    });

  it('mints on the demo site before any pair is made (the site signs), keeps the token out of the renderer, copies it', async () => {
    expect(await jwt.handlers['jwt.show']({ profileId: 'demo' })).toBeNull();
    const minted = await mintAlice();
    expect(minted.verdict).toMatchObject({ ok: true, userDirectory: 'DEMO', userId: 'alice', attributes: [{ Group: 'Sales' }] });
    expect(minted.payload).toMatchObject({ userId: 'alice', userDirectory: 'DEMO', groups: ['Sales'] });
    expect(minted.tokenMasked).toContain('•');
    const copied = await jwt.handlers['jwt.copy']({ tokenId: minted.tokenId });
    expect(copied.copied).toBe(true);
    const token = jwtHost.clipboard.at(-1)!;
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.stringify(minted)).not.toContain(token);
    expect(await jwt.handlers['jwt.verify']({ profileId: 'demo', virtualProxy: 'jwt', token })).toMatchObject({ ok: true, userId: 'alice' });
    await expect(jwt.handlers['jwt.verify']({ profileId: 'demo', virtualProxy: 'ticket', token })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('keygen shows the certificate to paste (never the key), the site takes it at once, and the checks hold it against each JWT proxy', async () => {
    const made = await jwt.handlers['jwt.keygen']({ profileId: 'demo', replace: true });
    expect(made).toMatchObject({ profileId: 'demo', algorithm: 'RS256', keyBits: 2048 });
    expect(made.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(JSON.stringify(made)).not.toContain('PRIVATE');
    expect((await jwt.handlers['jwt.show']({ profileId: 'demo' }))?.fingerprint256).toBe(made.fingerprint256);
    await expect(jwt.handlers['jwt.keygen']({ profileId: 'demo', replace: false })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    // Minted with the new pair and verified by the running /jwt, whose certificate was "pasted".
    const minted = await mintAlice();
    expect(minted.verdict.ok).toBe(true);
    const run = await jwt.handlers['checks.run']({ profileId: 'demo', probe: false });
    expect(run.findings.filter((f) => f.rule === 'jwt-key-mismatch').map((f) => f.virtualProxy)).toEqual(['jwt-expired-certificate']);
  });
});

describe('console backend without a keychain', () => {
  it('refuses a save whose certificates would not survive a restart unless memoryOnly says so, then says where they are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usher-console-nokc-'));
    const other = await createConsoleBackend({
      dataDir: dir,
      host: new FakeHost(),
      hostKind: 'chromium',
      keychain: new FailingKeychain(),
      passphrase: async () => undefined,
      demoPki: pki,
    });
    try {
      expect((await other.handlers['app.state']({})).vault).toMatchObject({ kind: 'memory' });
      const exported = await other.handlers['demo.export']({});
      const run = await other.handlers['trust.run']({ input: { kind: 'folder', path: exported.path }, qps: exported.qps, qrs: exported.qrs });
      const request = { runId: run.runId, name: 'Lab', defaultVirtualProxy: '', defaultUserDirectory: '' };
      await expect(other.handlers['profiles.saveFromTrust'](request)).rejects.toMatchObject({
        code: 'NOT_ALLOWED',
        message: expect.stringContaining('kept in memory only and be lost when Usher closes'),
      });
      expect((await other.handlers['profiles.list']({})).profiles.map((p) => p.id)).toEqual(['demo']);
      const saved = await other.handlers['profiles.saveFromTrust']({ ...request, memoryOnly: true });
      expect(saved.certificates?.storage).toBe('memory');
      expect(existsSync(join(dir, 'vault'))).toBe(false); // nothing secret on disk
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with a vault passphrase the console seals the vault by it: a save survives the restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usher-console-pass-'));
    const passphrase = async () => 'console passphrase';
    const first = await createConsoleBackend({
      dataDir: dir,
      host: new FakeHost(),
      hostKind: 'chromium',
      keychain: new FailingKeychain(),
      passphrase,
      demoPki: pki,
    });
    try {
      expect((await first.handlers['app.state']({})).vault).toEqual({ kind: 'keychain', keychain: 'passphrase-sealed key file' });
      const exported = await first.handlers['demo.export']({});
      const run = await first.handlers['trust.run']({ input: { kind: 'folder', path: exported.path }, qps: exported.qps, qrs: exported.qrs });
      const saved = await first.handlers['profiles.saveFromTrust']({ runId: run.runId, name: 'Lab', defaultVirtualProxy: '', defaultUserDirectory: '' });
      expect(saved.certificates?.storage).toBe('keychain');
      await first.close();
      // The next run (here: the vault and store the next console would open) reads the certificates.
      const vault = await Vault.open({ dir, keychain: new FailingKeychain(), passphrase });
      const set = await loadProfileCertificates(vault, await new ProfileStore(dir).get('Lab'), 'import again');
      expect(set.certPem).toContain('BEGIN CERTIFICATE');
    } finally {
      await first.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
