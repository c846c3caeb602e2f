// The two faces of one operation write one record: `usher sessions` (the CLI, a child process with its
// own data folder) and the console backend end the same sessions on the same built-in site (one, a
// user's, Usher's own), and their audit lines agree field for field (masked id, digest, action, reason,
// node, virtual proxy, user); so do `usher ticket` and the Tickets screen (minting, and opening with --open),
// `usher login-as` and the Log in as panel, and `usher profile check` and the trust wizard. Only the profile differs by nature: the CLI reaches the site by flags, "(flags)", or
// its own profile, the console as "demo"; and each ticket or session is its own.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createConsoleBackend, type ConsoleBackend } from '../../electron/app/console-backend';
import { AuditLog } from '../../electron/core/profiles';
import { QlikConnection } from '../../electron/core/qlik';
import { MemoryKeychain } from '../../electron/core/vault';
import { QMC_EXPORT_FILES } from '../../shared/qmc-export';
import { maskSecret } from '../../shared/redact';
import { expectOneLineError, runUsher } from '../support/cli';
import { JarHost } from '../support/jar-host';
import { testPki } from '../support/test-site';

const pki = testPki();
const consoleDir = mkdtempSync(join(tmpdir(), 'usher-faces-console-'));
const cliDir = mkdtempSync(join(tmpdir(), 'usher-faces-cli-'));
let backend: ConsoleBackend;
let qps: QlikConnection;
let site: { qrs: string; exportDir: string; nodes: Record<string, string>; hubs: Record<string, string> };

type Line = Record<string, string>;

function auditLines(dir: string): Line[] {
  return readFileSync(join(dir, 'audit.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
}

/** A record with what differs by nature (when, and how the face names the site) left out. */
function comparable(line: Line): Line {
  const { at: _at, profile: _profile, ...rest } = line;
  return rest;
}

/**
 * A face's records of one user's logins, with what each login has of its own left out: the masked ticket
 * and session id, the digest, and the page's name (a partition window, a Node tab) in the reason.
 */
function loginRecords(dir: string, userId: string, partitionId: string): Line[] {
  return auditLines(dir)
    .filter((l) => l.userId === userId)
    .map((l) => {
      const { sessionIdMasked: _m, sessionIdDigest: _d, ticketMasked: _t, ...rest } = comparable(l);
      return { ...rest, reason: rest.reason!.replace(partitionId, '<page>') };
    });
}

/** Sessions made behind Usher's back, with ids chosen here so each face can be given the same ones. */
async function addSessions(userId: string, ids: Array<[node: string, prefix: string, id: string]>): Promise<void> {
  for (const [node, prefix, sessionId] of ids) await qps.qps(site.nodes[node]!, prefix).addSession({ userDirectory: 'DEMO', userId, sessionId });
}

/** What every face writes for a session id: the masked id for people, the digest for matching. */
function digestOf(id: string): { sessionIdMasked: string; sessionIdDigest: string } {
  return { sessionIdMasked: maskSecret(id), sessionIdDigest: createHash('sha256').update(id).digest('hex') };
}

const file = (name: keyof typeof QMC_EXPORT_FILES): string => join(site.exportDir, QMC_EXPORT_FILES[name]);
const pemFlags = (): string[] => ['--ca', file('ca'), '--cert', file('cert'), '--key', file('key')];

/** `usher sessions` by flags against the console's own demo site, its audit log in cliDir. */
function cli(...args: string[]): ReturnType<typeof runUsher> {
  return runUsher(['sessions', '--qrs', site.qrs, ...pemFlags(), ...args], { env: { USHER_DATA_DIR: cliDir } });
}

/** `usher COMMAND` by flags through the demo site's central node and `prefix`, its audit log in cliDir. */
function onCentral(command: string, prefix: string, ...args: string[]): ReturnType<typeof runUsher> {
  const where = ['--qps', site.nodes.central!, '--qrs', site.qrs, ...pemFlags(), '--hub', site.hubs.central!, '--virtual-proxy', prefix];
  return runUsher([command, ...where, ...args], { env: { USHER_DATA_DIR: cliDir } });
}

beforeAll(async () => {
  backend = await createConsoleBackend({
    dataDir: consoleDir,
    host: new JarHost(join(consoleDir, 'partitions')),
    hostKind: 'chromium',
    keychain: new MemoryKeychain(),
    demoPki: pki,
  });
  const exported = await backend.handlers['demo.export']({});
  const { demo } = await backend.handlers['app.state']({});
  site = {
    qrs: exported.qrs,
    exportDir: exported.path,
    nodes: Object.fromEntries(demo.nodes.map((n) => [n.name, n.qps])),
    hubs: Object.fromEntries(demo.nodes.map((n) => [n.name, n.hub])),
  };
  qps = new QlikConnection({ ca: pki.ca.certPem, client: { certPem: pki.client.certPem, keyPem: pki.client.keyPem } });
});

afterAll(async () => {
  await qps?.close();
  await backend?.close();
  for (const dir of [consoleDir, cliDir]) rmSync(dir, { recursive: true, force: true });
});

describe('one operation, one audit record, whichever face ran it', () => {
  it("ending a user's sessions: usher sessions --kill-user and the console's inspector write the same lines", async () => {
    const ids: Array<[string, string, string]> = [
      ['central', '', 'erin-central-default-000000000001'],
      ['rim1', 'ticket', 'erin-rim1-ticket-00000000000002'],
    ];
    await addSessions('erin', ids);
    const byCli = await cli('--kill-user', 'DEMO\\erin');
    expect(byCli.stderr).toBe('');
    expect(byCli.code).toBe(0);
    // The same sessions again (QPS takes the id it is given), ended from the console this time.
    await addSessions('erin', ids);
    const byConsole = await backend.handlers['sessions.end']({ profileId: 'demo', scope: { kind: 'user', userDirectory: 'DEMO', userId: 'erin' } });
    expect(byConsole.ended).toHaveLength(2);

    const fromCli = auditLines(cliDir).filter((l) => l.userId === 'erin');
    const fromConsole = auditLines(consoleDir).filter((l) => l.userId === 'erin');
    const order = (a: Line, b: Line): number => a.node!.localeCompare(b.node!);
    expect(fromCli.map(comparable).sort(order)).toEqual(fromConsole.map(comparable).sort(order));
    expect(fromCli.map((l) => l.profile)).toEqual(['(flags)', '(flags)']);
    expect(fromConsole.map((l) => l.profile)).toEqual(['demo', 'demo']);
    // What both hold: the masked id for people, the digest for the inspector, never the id itself.
    expect(fromCli.map(comparable).sort(order)).toEqual(
      ids.map(([node, prefix, id]) => ({
        action: 'user-sessions-end',
        node,
        virtualProxy: prefix,
        userDirectory: 'DEMO',
        userId: 'erin',
        reason: "all of DEMO\\erin's sessions, ended on request",
        sessionIdMasked: maskSecret(id),
        sessionIdDigest: createHash('sha256').update(id).digest('hex'),
      })),
    );
    for (const [, , id] of ids) expect(readFileSync(join(cliDir, 'audit.log'), 'utf8')).not.toContain(id);
  });

  it('ending one session: usher sessions --kill ID and the console by row key write the same line', async () => {
    const id = 'frank-rim1-default-000000000003';
    await addSessions('frank', [['rim1', '', id]]);
    const byCli = await cli('--kill', id);
    expect(byCli.code).toBe(0);
    await addSessions('frank', [['rim1', '', id]]);
    const view = await backend.handlers['sessions.inspect']({ profileId: 'demo' });
    const row = view.groups.find((g) => g.userId === 'frank')!.rows[0]!;
    await backend.handlers['sessions.end']({ profileId: 'demo', scope: { kind: 'one', rowKey: row.rowKey } });

    const [fromCli] = auditLines(cliDir).filter((l) => l.userId === 'frank');
    const [fromConsole] = auditLines(consoleDir).filter((l) => l.userId === 'frank');
    expect(comparable(fromCli!)).toEqual(comparable(fromConsole!));
    expect(comparable(fromCli!)).toMatchObject({
      action: 'session-end',
      node: 'rim1',
      virtualProxy: '',
      sessionIdMasked: maskSecret(id),
      sessionIdDigest: createHash('sha256').update(id).digest('hex'),
    });
  });

  it('minting a ticket: usher ticket and the console write the same record, the ticket masked', async () => {
    const byCli = await runUsher(
      [
        'ticket',
        '--qps',
        site.nodes.central!,
        '--qrs',
        site.qrs,
        ...pemFlags(),
        '--virtual-proxy',
        'ticket',
        '--user',
        'DEMO\\gina',
        '--reason',
        'faces test',
        '--json',
      ],
      {
        env: { USHER_DATA_DIR: cliDir },
      },
    );
    expect(byCli.code).toBe(0);
    const cliTicket = (JSON.parse(byCli.stdout) as { ticket: string }).ticket;
    const byConsole = await backend.handlers['tickets.request']({
      profileId: 'demo',
      virtualProxy: 'ticket',
      userDirectory: 'DEMO',
      userId: 'gina',
      attributes: [],
      reason: 'faces test',
    });
    expect(byConsole.ticketMasked).toMatch(/•/);

    const [fromCli] = auditLines(cliDir).filter((l) => l.userId === 'gina');
    const [fromConsole] = auditLines(consoleDir).filter((l) => l.userId === 'gina');
    // Each mint is its own ticket; the node is named as the console names it, "central", not its address.
    const without = (line: Line): Line => {
      const { ticketMasked: _ticket, ...rest } = comparable(line);
      return rest;
    };
    expect(without(fromCli!)).toEqual(without(fromConsole!));
    expect(without(fromCli!)).toEqual({
      action: 'ticket',
      node: 'central',
      virtualProxy: 'ticket',
      userDirectory: 'DEMO',
      userId: 'gina',
      reason: 'faces test',
    });
    expect(fromCli!.ticketMasked).toBe(maskSecret(cliTicket));
    expect(readFileSync(join(cliDir, 'audit.log'), 'utf8')).not.toContain(cliTicket);
  });

  it("opening a ticket: usher ticket --open and the console's Tickets screen write the same session record", async () => {
    // The sessions stay on the site for whoever ends "every session Usher created" next: end them here, unaudited.
    onTestFinished(async () => {
      await qps.qps(site.nodes.central!, 'ticket').deleteUserSessions('DEMO', 'jack');
    });
    const byCli = await onCentral('ticket', 'ticket', '--user', 'DEMO\\jack', '--reason', 'faces test', '--open', '--json');
    expect(byCli.stderr).toBe('');
    expect(byCli.code).toBe(0);
    const opened = (JSON.parse(byCli.stdout) as { opened: { established: boolean; partitionId: string; user: string } }).opened;
    expect(opened).toMatchObject({ established: true, user: 'DEMO\\jack' });
    const ticket = await backend.handlers['tickets.request']({
      profileId: 'demo',
      virtualProxy: 'ticket',
      userDirectory: 'DEMO',
      userId: 'jack',
      attributes: [],
      reason: 'faces test',
    });
    const byConsole = await backend.handlers['tickets.open']({ ticketId: ticket.ticketId, target: { kind: 'hub' } });
    expect(byConsole.established).toBe(true);

    // Each face's page is its own (a partition window, a Node tab), and so is each session.
    const created = (dir: string, partitionId: string): Line[] => loginRecords(dir, 'jack', partitionId).filter((l) => l.action === 'session-create');
    expect(created(cliDir, opened.partitionId)).toEqual(created(consoleDir, byConsole.partitionId));
    expect(created(cliDir, opened.partitionId)).toEqual([
      {
        action: 'session-create',
        node: 'central',
        virtualProxy: 'ticket',
        userDirectory: 'DEMO',
        userId: 'jack',
        reason: 'faces test; opened in partition <page>',
      },
    ]);
    for (const dir of [cliDir, consoleDir]) {
      const [line] = auditLines(dir).filter((l) => l.userId === 'jack' && l.action === 'session-create');
      expect(line!.sessionIdDigest).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('usher ticket --open on a proxy of another node: no session, the reason said, exit 1, nothing audited as created', async () => {
    const r = await runUsher(
      ['ticket', '--qps', site.nodes.central!, '--qrs', site.qrs, ...pemFlags(), '--hub', site.hubs.rim1!, '--virtual-proxy', 'ticket'].concat([
        '--user',
        'DEMO\\kate',
        '--open',
      ]),
      { env: { USHER_DATA_DIR: cliDir } },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Opened\s+no: the proxy set no session cookie/);
    expect(expectOneLineError(r)[0]).toMatch(/^usher: the ticket did not open a session: the proxy set no session cookie .*this node issued the ticket/);
    expect(
      auditLines(cliDir)
        .filter((l) => l.userId === 'kate')
        .map((l) => l.action),
    ).toEqual(['ticket']);
  });

  it.each([
    ['header', 'header', 'HEADER', 'lena', 'faces test; header X-Usher-User, in partition <page>'],
    ['session', 'ticket', 'DEMO', 'mona', 'faces test; session API, in partition <page>'],
    ['ticket', 'ticket', 'DEMO', 'nina', 'faces test; opened in partition <page>'],
  ] as const)('log in as by %s: usher login-as and the console write the same records', async (method, prefix, userDirectory, userId, reason) => {
    onTestFinished(async () => {
      await qps.qps(site.nodes.central!, prefix).deleteUserSessions(userDirectory, userId);
    });
    const byCli = await onCentral('login-as', prefix, '--method', method, '--user', `${userDirectory}\\${userId}`, '--reason', 'faces test', '--json');
    expect(byCli.stderr).toBe('');
    expect(byCli.code).toBe(0);
    const fromCli = JSON.parse(byCli.stdout) as { established: boolean; partitionId: string; user: string };
    expect(fromCli).toMatchObject({ established: true, user: `${userDirectory}\\${userId}` });
    const byConsole = await backend.handlers['login.as']({
      profileId: 'demo',
      virtualProxy: prefix,
      method,
      userDirectory,
      userId,
      attributes: [],
      target: { kind: 'hub' },
      reason: 'faces test',
    });
    expect(byConsole.established).toBe(true);

    const records = (dir: string, partitionId: string): Line[] => loginRecords(dir, userId, partitionId);
    expect(records(cliDir, fromCli.partitionId)).toEqual(records(consoleDir, byConsole.partitionId));
    const same = { node: 'central', virtualProxy: prefix, userDirectory, userId };
    expect(records(cliDir, fromCli.partitionId)).toEqual([
      ...(method === 'ticket' ? [{ action: 'ticket', ...same, reason: 'faces test' }] : []),
      { action: 'session-create', ...same, reason },
    ]);
  });

  it('log in as by a method the virtual proxy does not take: both faces refuse with the same words, nothing made', async () => {
    const byCli = await onCentral('login-as', 'ticket', '--method', 'header', '--user', 'DEMO\\olga');
    expect(byCli.code).toBe(2);
    const [line, hint] = expectOneLineError(byCli);
    const byConsole = backend.handlers['login.as']({
      profileId: 'demo',
      virtualProxy: 'ticket',
      method: 'header',
      userDirectory: 'DEMO',
      userId: 'olga',
      attributes: [],
      target: { kind: 'hub' },
    });
    await expect(byConsole).rejects.toMatchObject({ code: 'METHOD_NOT_TAKEN', message: line!.replace(/^usher: /, ''), hint: hint!.replace(/^ {2}hint: /, '') });
    expect(line).toMatch(/^usher: Virtual proxy \/ticket authenticates by ticket, so it does not take a Header login\.$/);
    for (const dir of [cliDir, consoleDir]) expect(auditLines(dir).filter((l) => l.userId === 'olga')).toEqual([]);
  });

  it("ending Usher's own sessions: usher sessions --kill-created and the console's End all Usher's write the same lines", async () => {
    const ids: Array<[string, string, string]> = [
      ['central', 'ticket', 'hilda-central-ticket-0000000000004'],
      ['rim1', '', 'hilda-rim1-default-000000000000005'],
    ];
    // Sessions Usher made (each face's audit log says so, under the name it gives the site), then ended.
    const created = async (dir: string, profile: string): Promise<void> => {
      await addSessions('hilda', ids);
      const log = new AuditLog(dir);
      for (const [node, virtualProxy, id] of ids) {
        await log.append({
          action: 'session-create',
          profile,
          node,
          virtualProxy,
          userDirectory: 'DEMO',
          userId: 'hilda',
          reason: 'faces test',
          ...digestOf(id),
        });
      }
    };
    await created(cliDir, '(flags)');
    const byCli = await cli('--kill-created');
    expect(byCli.stderr).toBe('');
    expect(byCli.code).toBe(0);
    await created(consoleDir, 'demo');
    const byConsole = await backend.handlers['sessions.end']({ profileId: 'demo', scope: { kind: 'created' } });
    expect(byConsole.ended).toHaveLength(2);

    const ends = (dir: string): Line[] =>
      auditLines(dir)
        .filter((l) => l.userId === 'hilda' && l.action === 'session-end')
        .map(comparable)
        .sort((a, b) => a.node!.localeCompare(b.node!));
    expect(ends(cliDir)).toEqual(ends(consoleDir));
    expect(ends(cliDir)).toEqual(
      ids.map(([node, virtualProxy, id]) => ({
        action: 'session-end',
        node,
        virtualProxy,
        userDirectory: 'DEMO',
        userId: 'hilda',
        reason: 'every session Usher created, ended on request',
        ...digestOf(id),
      })),
    );
  });

  it('the trust check with a test ticket: usher profile add + check and the trust wizard write the same records', async () => {
    // The CLI's profile is sealed by a passphrase (no OS keychain in a test), the console's run is by files.
    const env = { USHER_DATA_DIR: cliDir, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/usher-test-bus', USHER_VAULT_PASSPHRASE: 'faces test passphrase' };
    const added = await runUsher(['profile', 'add', 'Faces', '--from', site.exportDir, '--qps', site.nodes.central!, '--qrs', site.qrs], { env });
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const checked = await runUsher(['profile', 'check', 'Faces', '--ticket-user', 'DEMO\\ivan', '--virtual-proxy', 'ticket'], { env });
    expect(checked.code).toBe(0);
    const run = await backend.handlers['trust.run']({
      input: { kind: 'pem', certPath: file('cert'), keyPath: file('key'), caPath: file('ca') },
      qps: site.nodes.central!,
      qrs: site.qrs,
      ticketTest: { userDirectory: 'DEMO', userId: 'ivan', virtualProxy: 'ticket' },
    });
    expect(run.ok).toBe(true);

    // The test ticket and the session it made are each their own: their masked values and digests differ.
    const records = (dir: string): Line[] =>
      auditLines(dir)
        .filter((l) => l.userId === 'ivan')
        .map((l) => {
          const { ticketMasked: _t, sessionIdMasked: _s, sessionIdDigest: _d, ...rest } = comparable(l);
          return rest;
        });
    expect(records(cliDir)).toEqual(records(consoleDir));
    const same = { node: 'central', virtualProxy: 'ticket', userDirectory: 'DEMO', userId: 'ivan', reason: 'trust check (DEMO\\ivan)' };
    expect(records(cliDir)).toEqual([
      { action: 'ticket', ...same },
      { action: 'session-end', ...same },
    ]);
    for (const dir of [cliDir, consoleDir]) {
      const [ticket, ended] = auditLines(dir).filter((l) => l.userId === 'ivan');
      expect(ticket!.ticketMasked).toMatch(/•/);
      expect(ended!.sessionIdDigest).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
