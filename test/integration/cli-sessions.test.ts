// `usher sessions` against a running `usher simulate`, as a terminal or a CI gate would use it: the
// listing across nodes and virtual proxies, ending sessions, the inspector's view and its warnings.
// The commands run the built bundle's main(argv) in this worker (runUsherInProcess): the same reading of
// the site and the same output, without a Node start each. The two ends at once stay real `usher`
// processes: two processes end sessions and append to one audit log at the same time, which one worker
// taking calls in turn cannot show.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runUsher, runUsherInProcess, startSimulatedSite, type RunResult, type SimulatedSite } from '../support/cli';
import { AuditLog } from '../../electron/core/profiles';
import { auditedSessionId } from '../../electron/core/sessions/session-inspector';
import { demoSite } from '../../electron/simulator/demo-site';
import { curlQpsPost } from '../support/curl';
import { testPki } from '../support/test-site';

const XRFKEY = 'abcdefghijklmnop';
/**
 * Node/virtual proxy pairs `usher sessions` asks on the demo site: every virtual proxy each node links.
 * (Any certificate on /jwt: the count does not depend on it, and the default would make an RSA key.)
 */
const DEMO_PAIRS = demoSite({ jwtCertificatePem: testPki().ca.certPem }).nodes.reduce((n, node) => n + node.virtualProxies.length, 0);

describe('usher sessions against usher simulate', () => {
  let site: SimulatedSite;

  beforeAll(async () => {
    site = await startSimulatedSite();
  });
  afterAll(() => {
    if (site?.child.exitCode === null) site.child.kill('SIGKILL');
  });

  /** A session made through QPS as an authentication module would (curl, mutual TLS). */
  const addSession = async (qps: string, prefix: string, user: string, id: string): Promise<void> => {
    const path = prefix ? `/qps/${prefix}/session` : '/qps/session';
    const r = await curlQpsPost(`${qps}${path}?xrfkey=${XRFKEY}`, { UserDirectory: 'DEMO', UserId: user, SessionId: id }, site.files, XRFKEY);
    expect(r.status).toBe('201');
  };

  describe("listing across nodes, one user, ending one session and a user's", () => {
    // Two sessions for alice on two nodes, one for bob, read by the listings; ended after them.
    const args = (...flags: string[]) => ['sessions', '--qrs', site.node('central').qrs, ...site.pemFlags(), ...flags];
    const usher = (...flags: string[]) => runUsherInProcess(args(...flags));
    beforeAll(async () => {
      const rim1 = site.node('rim1').qps;
      await Promise.all([
        addSession(site.node('central').qps, 'ticket', 'alice', 'sess-alice-central-0001'),
        addSession(rim1, '', 'alice', 'sess-alice-rim1-000001'),
        addSession(rim1, 'ticket', 'bob', 'sess-bob-rim1-00000001'),
      ]);
    });
    afterAll(async () => {
      const ended = await Promise.all(['DEMO\\alice', 'DEMO\\bob'].map((user) => usher('--kill-user', user)));
      // Clean-up, not a test: a failure here still fails the file, with the command's words.
      const failed = ended.filter((r) => r.code !== 0);
      if (failed.length > 0) throw new Error(`ending the test sessions failed: ${failed.map((r) => r.stderr).join('; ')}`);
    });

    it("the full listing is the inspector's view: full ids in JSON only with --show-ids", async () => {
      const all = await usher('--json', '--show-ids');
      expect(all.code).toBe(0);
      const view = JSON.parse(all.stdout) as { groups: Array<{ rows: Array<{ sessionId: string; nodeName: string; virtualProxy: string; userId: string }> }> };
      const ids = view.groups.flatMap((g) => g.rows).map((s) => `${s.nodeName}/${s.virtualProxy}/${s.userId}/${s.sessionId}`);
      expect(ids).toEqual(
        expect.arrayContaining([
          'central/ticket/alice/sess-alice-central-0001',
          'rim1//alice/sess-alice-rim1-000001',
          'rim1/ticket/bob/sess-bob-rim1-00000001',
        ]),
      );
    });

    it("one user's sessions on every node/virtual proxy pair, ids masked", async () => {
      const table = await usher('--user', 'DEMO\\alice');
      expect(table.code).toBe(0);
      // Every virtual proxy each node links: central all but the unlinked mistake, rim1 two.
      expect(table.stdout).toMatch(new RegExp(`found 2 sessions on 2 nodes, ${DEMO_PAIRS} node/virtual proxy pairs`));
      expect(table.stdout).not.toContain('sess-alice-central-0001'); // masked by default
    });

    it("ends one session and a user's, then none is left; an unknown id is one line (exit 1)", async () => {
      // Sessions of its own (not the listings'), so the tests pass in any order: one for frank, two for gina.
      const rim1 = site.node('rim1').qps;
      await Promise.all([
        addSession(site.node('central').qps, 'ticket', 'gina', 'sess-gina-central-00001'),
        addSession(rim1, '', 'gina', 'sess-gina-rim1-0000001'),
        addSession(rim1, 'ticket', 'frank', 'sess-frank-rim1-000001'),
      ]);
      // frank's one session and gina's two, at once by two real processes: the two ends touch different
      // sessions and both append to the audit log.
      const [kill, killUser] = await Promise.all([runUsher(args('--kill', 'sess-frank-rim1-000001')), runUsher(args('--kill-user', 'DEMO\\gina', '--json'))]);
      expect(kill.code).toBe(0);
      expect(kill.stdout).toContain('ended 1 session:');
      expect(killUser.code).toBe(0);
      expect((JSON.parse(killUser.stdout) as { ended: unknown[] }).ended).toHaveLength(2);

      const [after, missing] = await Promise.all([usher('--json'), usher('--kill', 'no-such-session')]);
      const left = (JSON.parse(after.stdout) as { groups: Array<{ userId: string }> }).groups.filter((g) => ['frank', 'gina'].includes(g.userId));
      expect(left).toEqual([]);
      expect(missing.code).toBe(1);
      expectOneLineError(missing);
    });
  });

  describe("the inspector's view: users against the limit, Usher's sessions, warnings with fixes", () => {
    // carol holds Qlik's five (across both nodes and four virtual proxies), dave one; Usher created one of
    // carol's (its audit log, in this describe's data folder, has the session-create digest) and none of dave's.
    const carol = ['carol-central-ticket-0001', 'carol-central-header-0002', 'carol-central-copy-0003', 'carol-rim1-default-00004', 'carol-rim1-ticket-000005'];
    let sessions: (...flags: string[]) => Promise<RunResult>;

    beforeAll(async () => {
      const central = site.node('central').qps;
      const rim1 = site.node('rim1').qps;
      await Promise.all([
        addSession(central, 'ticket', 'carol', carol[0]!),
        addSession(central, 'header', 'carol', carol[1]!),
        addSession(central, 'copy-of-header', 'carol', carol[2]!),
        addSession(rim1, '', 'carol', carol[3]!),
        addSession(rim1, 'ticket', 'carol', carol[4]!),
        addSession(central, '', 'dave', 'dave-central-default-0001'),
      ]);
      const dataDir = mkdtempSync(join(tmpdir(), 'usher-data-inspector-'));
      await new AuditLog(dataDir).append({
        action: 'session-create',
        profile: 'demo',
        virtualProxy: 'ticket',
        userDirectory: 'DEMO',
        userId: 'carol',
        reason: 'test',
        ...auditedSessionId(carol[0]!),
      });
      const env = { USHER_DATA_DIR: dataDir };
      sessions = (...flags: string[]) => runUsherInProcess(['sessions', '--qrs', site.node('central').qrs, ...site.pemFlags(), ...flags], { env });
    });
    afterAll(async () => {
      const ended = await Promise.all(['DEMO\\carol', 'DEMO\\dave'].map((user) => sessions('--kill-user', user)));
      // Clean-up, not a test: a failure here still fails the file, with the command's words.
      const failed = ended.filter((r) => r.code !== 0);
      if (failed.length > 0) throw new Error(`ending the test sessions failed: ${failed.map((r) => r.stderr).join('; ')}`);
    });

    it('the table: each user against the limit, their sessions masked, the warnings each with its fix', async () => {
      const text = await sessions();
      expect(text.code).toBe(0); // warnings alone do not fail the command without --fail-on-warnings
      const lines = text.stdout.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^found \\d+ sessions? on 2 nodes, ${DEMO_PAIRS} node/virtual proxy pairs; \\d+ users?, 1 created by Usher$`));
      expect(lines).toContain('DEMO\\carol  5/5  at the limit: Qlik refuses the next login');
      expect(lines).toContain('DEMO\\dave  1/5');
      // carol's sessions under her heading: node, virtual proxy, masked id, created by Usher.
      const carolAt = lines.indexOf('DEMO\\carol  5/5  at the limit: Qlik refuses the next login');
      const carolRows = lines.slice(carolAt + 3, carolAt + 8).map((l) => l.trim().split(/\s{2,}/));
      expect(carolRows.map((r) => `${r[0]} ${r[1]} ${r[3]}`).sort()).toEqual([
        'central /copy-of-header no',
        'central /header no',
        'central /ticket yes',
        'rim1 (default) no',
        'rim1 /ticket no',
      ]);
      for (const row of carolRows) expect(row[2]).toBe('caro••••••••••••');
      for (const id of carol) expect(text.stdout).not.toContain(id);
      // The warnings, errors first, each with its fix: the demo site's shared cookie name, carol at the limit.
      const warnings = lines.slice(lines.findIndex((l) => /^\d+ errors?, \d+ warnings?:$/.test(l)));
      expect(warnings[1]).toMatch(/^ {2}error {4}Virtual proxies \/header, \/copy-of-header all name their session cookie X-Qlik-Session-header/);
      expect(warnings[2]).toMatch(/^ {11}fix: Give each virtual proxy its own session cookie header name/);
      expect(text.stdout).toMatch(/^ {2}warning {2}DEMO\\carol holds 5 of 5 parallel sessions.*\n {11}fix: End sessions this user no longer needs/m);
      expect(text.stdout).not.toMatch(/shared-jar|Partition /); // no partitions in a terminal: no shared-jar warning
    });

    it('--show-ids shows the full ids', async () => {
      const shown = await sessions('--show-ids');
      for (const id of carol) expect(shown.stdout).toContain(id);
    });

    it("--json: the console's view, masked ids and opaque row keys only", async () => {
      const json = await sessions('--json');
      expect(json.code).toBe(0);
      for (const id of [...carol, 'dave-central-default-0001']) expect(json.stdout).not.toContain(id);
      expect(json.stdout).not.toContain('"sessionId"');
      const view = JSON.parse(json.stdout) as {
        limit: number;
        nodes: number;
        pairs: number;
        totalSessions: number;
        createdByUsher: number;
        groups: Array<{ userDirectory: string; userId: string; count: number; limit: number; state: string; rows: Array<Record<string, unknown>> }>;
        warnings: Array<{ kind: string; severity: string; message: string; fix: string; rowKeys: string[] }>;
        failures: unknown[];
      };
      expect(view).toMatchObject({ limit: 5, nodes: 2, pairs: DEMO_PAIRS, createdByUsher: 1, failures: [] });
      const carolGroup = view.groups.find((g) => g.userId === 'carol')!;
      expect(carolGroup).toMatchObject({ userDirectory: 'DEMO', count: 5, limit: 5, state: 'at-limit' });
      expect(carolGroup.rows.filter((r) => r.createdByUsher)).toEqual([
        expect.objectContaining({ nodeName: 'central', virtualProxy: 'ticket', sessionIdMasked: 'caro••••••••••••' }),
      ]);
      expect(carolGroup.rows[0]).toEqual(
        expect.objectContaining({ rowKey: expect.stringMatching(/^s-/), nodeName: expect.any(String), virtualProxy: expect.any(String), userId: 'carol' }),
      );
      expect(view.groups.find((g) => g.userId === 'dave')).toMatchObject({ count: 1, state: 'ok' });
      expect(view.warnings.map((w) => `${w.severity} ${w.kind}`)).toEqual(['error duplicate-cookie-name', 'warning session-limit']);
      const duplicate = view.warnings[0]!;
      // The rows the warning is about: carol's two on the virtual proxies that share the cookie name.
      const onShared = carolGroup.rows.filter((r) => r.virtualProxy === 'header' || r.virtualProxy === 'copy-of-header').map((r) => r.rowKey);
      expect(duplicate.rowKeys).toEqual(expect.arrayContaining(onShared));
      expect(view.warnings[1]!.rowKeys.sort()).toEqual(carolGroup.rows.map((r) => r.rowKey).sort());
    });

    it('--fail-on-warnings, a CI gate: the same output, then exit 1 with one line saying why', async () => {
      const [gated, gatedJson, misplaced] = await Promise.all([
        sessions('--fail-on-warnings'),
        sessions('--json', '--fail-on-warnings'),
        sessions('--user', 'DEMO\\dave', '--fail-on-warnings'),
      ]);
      expect(gated.code).toBe(1);
      expect(gated.stdout).toContain('DEMO\\carol  5/5');
      expect(expectOneLineError(gated)[0]).toBe("usher: 1 error, 1 warning on the site's sessions (--fail-on-warnings)");
      expect(gatedJson.code).toBe(1);
      expect((JSON.parse(gatedJson.stdout) as { warnings: unknown[] }).warnings).toHaveLength(2);
      expect(misplaced.code).toBe(2);
      expectOneLineError(misplaced);
    });
  });

  it('usher sessions --fail-on-warnings fails on the duplicate cookie name alone, and passes on a site without warnings', async () => {
    // No sessions of ours: the demo site's /header and /copy-of-header still share one cookie name. Both
    // readings at once: neither changes anything.
    const [gated, oneNode] = await Promise.all([
      runUsherInProcess(['sessions', '--qrs', site.node('central').qrs, ...site.pemFlags(), '--fail-on-warnings', '--json']),
      runUsherInProcess(['sessions', '--qps', site.node('central').qps, '--virtual-proxy', 'header', ...site.pemFlags(), '--fail-on-warnings']),
    ]);
    expect(gated.code).toBe(1);
    const view = JSON.parse(gated.stdout) as { warnings: Array<{ kind: string; severity: string }> };
    expect(view.warnings.filter((w) => w.kind !== 'duplicate-cookie-name' && w.kind !== 'session-limit')).toEqual([]);
    expect(view.warnings).toContainEqual(expect.objectContaining({ kind: 'duplicate-cookie-name', severity: 'error' }));
    // One node and virtual proxy asked (QPS only): no cookie names known, nobody at the limit, nothing to fail on.
    expect(oneNode.code).toBe(0);
    expect(oneNode.stdout).toMatch(/on 1 node, 1 node\/virtual proxy pair\b/);
    expect(oneNode.stdout).toContain('no warnings');
    expect(oneNode.stderr).toMatch(/counts a user's sessions site-wide/);
  });

  it('usher sessions --fail-on-warnings: a user at the limit, a warning (not an error) in the model, still fails the gate on its own', async () => {
    const ids = [1, 2, 3, 4, 5].map((n) => `erin-central-header-000${n}`);
    const made = await Promise.all(
      ids.map((id) =>
        curlQpsPost(
          `${site.node('central').qps}/qps/header/session?xrfkey=${XRFKEY}`,
          { UserDirectory: 'DEMO', UserId: 'erin', SessionId: id },
          site.files,
          XRFKEY,
        ),
      ),
    );
    expect(made.map((r) => r.status)).toEqual(ids.map(() => '201'));
    try {
      const atLimit = await runUsherInProcess([
        'sessions',
        '--qps',
        site.node('central').qps,
        '--virtual-proxy',
        'header',
        ...site.pemFlags(),
        '--fail-on-warnings',
      ]);
      expect(atLimit.code).toBe(1);
      expect(atLimit.stdout).toContain('DEMO\\erin  5/5  at the limit');
      expect(atLimit.stdout).toMatch(/^0 errors, 1 warning:$/m);
    } finally {
      expect((await runUsherInProcess(['sessions', '--qrs', site.node('central').qrs, ...site.pemFlags(), '--kill-user', 'DEMO\\erin'])).code).toBe(0);
    }
  });
});
