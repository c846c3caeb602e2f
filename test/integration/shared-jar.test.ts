// Seed 003 side by side on the built-in site, with Node tabs (the CLI's): one shared jar makes tab 1's
// HTTP requests run as tab 2's user and fail while its engine WebSocket keeps working as tab 1's user; a
// jar per tab keeps both working. Also: the sessions it
// made are ended, no ticket reaches the report, and a site that does not clobber is reported as such.
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeTabs } from '../../electron/core/scenarios/node-tabs';
import { runSharedJarScenario, type SharedJarOptions } from '../../electron/core/scenarios/shared-jar';
import { QlikConnection } from '../../electron/core/qlik';
import type { Simulator } from '../../electron/simulator/simulator';
import { DEMO_SHARED_JAR, type SharedJarProgress } from '../../shared/shared-jar';
import type { UserRef } from '../../shared/user';
import { startTestSite } from '../support/test-site';

let sim: Simulator;
let connection: QlikConnection;

beforeAll(async () => {
  sim = await startTestSite();
  connection = new QlikConnection({ ca: sim.pki.ca.certPem, client: sim.pki.client });
  return () => connection.close();
});

function options(overrides: Partial<SharedJarOptions> = {}): SharedJarOptions & { tickets: string[]; ended: string[]; made: string[] } {
  const central = sim.node('central');
  const qps = connection.qps(central.qps, 'ticket');
  const tickets: string[] = [];
  const ended: string[] = [];
  const made: string[] = [];
  return {
    proxy: central.hub,
    virtualProxy: DEMO_SHARED_JAR.virtualProxy,
    a: DEMO_SHARED_JAR.a,
    b: DEMO_SHARED_JAR.b,
    tabs: createNodeTabs({ ca: sim.pki.ca.certPem, proxy: central.hub }),
    async ticket(user: UserRef) {
      const result = await qps.requestTicket(user);
      tickets.push(result.ticket);
      return result.ticket;
    },
    async onSession(user, sessionId) {
      made.push(`${user.userId}:${sessionId}`);
    },
    async endSession(user, sessionId) {
      await qps.deleteSession(sessionId);
      ended.push(`${user.userId}:${sessionId}`);
    },
    tickets,
    ended,
    made,
    ...overrides,
  };
}

describe('seed 003 with Node tabs on the demo site', () => {
  it('fails tab 1 in one shared jar exactly as the seed describes, and works in isolated jars', async () => {
    const progress: SharedJarProgress[] = [];
    const opts = options({ onProgress: (p) => progress.push(p) });
    const report = await runSharedJarScenario(opts);

    expect(report.asExpected).toBe(true);
    expect(report.verdict).toMatch(/^Seed 003 reproduced/);
    expect(report.cases.map((c) => c.case)).toEqual(['shared', 'isolated']);

    const [shared, isolated] = report.cases;
    const grid = (c: typeof shared) => c!.tabs.map((t) => t.probes.map((p) => `${p.kind}:${p.status}:${p.ok ? 'ok' : 'fail'}`));
    const works = ['app:200:ok', 'engine:0:ok', 'image:200:ok', 'export-start:0:ok', 'export:200:ok'];
    // Seed 003: tab 1's socket still works as A1 (selections, export started); its HTTP requests fail as A2.
    expect(grid(shared)).toEqual([['app:403:fail', 'engine:0:ok', 'image:403:fail', 'export-start:0:ok', 'export:403:fail'], works]);
    expect(grid(isolated)).toEqual([works, works]);
    // Both tabs opened their app first; in the shared jar tab 1's session is now tab 2's user's.
    expect(shared!.tabs.map((t) => [t.opened, t.jar, t.sessionUser])).toEqual([
      [true, 'shared', 'MASHUP\\a2-finance'],
      [true, 'shared', 'MASHUP\\a2-finance'],
    ]);
    expect(isolated!.tabs.map((t) => [t.opened, t.jar, t.sessionUser])).toEqual([
      [true, 'tab 1', 'MASHUP\\a1-sales'],
      [true, 'tab 2', 'MASHUP\\a2-finance'],
    ]);
    const [, engine1, image1, , export1] = shared!.tabs[0]!.probes;
    expect(image1!.reason).toMatch(
      /^403: the jar's session cookie now belongs to MASHUP\\a2-finance, who may not open app "a1-sales" - tab 2's ticket replaced MASHUP\\a1-sales's cookie/,
    );
    expect(engine1!.reason).toBe(
      'app open, "North" selected in Region over the WebSocket as MASHUP\\a1-sales, though the jar\'s cookie now belongs to MASHUP\\a2-finance: the socket\'s user was fixed when it connected',
    );
    expect(export1!.path).toMatch(/^\/ticket\/tempcontent\/[0-9a-f-]{36}\/[0-9a-f-]{36}\.csv$/);
    expect(export1!.reason).toMatch(
      /^403: the jar's session cookie now belongs to MASHUP\\a2-finance, but the file was exported by MASHUP\\a1-sales's engine session/,
    );
    expect(shared!.tabs[1]!.probes[2]!).toMatchObject({ contentType: 'image/png', path: '/ticket/appcontent/a2-finance/logo.png' });
    expect(isolated!.tabs[0]!.probes[4]!.reason).toMatch(/^200: downloaded as MASHUP\\a1-sales \(\d+ bytes\)$/);
    expect(shared!.summary).toMatch(/its WebSocket still works as MASHUP\\a1-sales .* This is seed 003\.$/);
    expect(isolated!.summary).toBe('Each tab keeps its own session: all 10 requests succeed.');

    // Five steps per case, in order, each reported once.
    expect(progress.map((p) => `${p.case} ${p.step}/${p.of} ${p.ok}`)).toEqual([
      ...[1, 2, 3, 4, 5].map((n) => `shared ${n}/5 true`),
      ...[1, 2, 3, 4, 5].map((n) => `isolated ${n}/5 true`),
    ]);

    // Four sessions made (two per case), all ended through QPS; none of them or the tickets leak.
    expect(opts.made).toHaveLength(4);
    expect(opts.ended).toEqual(opts.made);
    for (const user of ['a1-sales', 'a2-finance']) {
      expect(await connection.qps(sim.node('central').qps, 'ticket').userSessions('MASHUP', user)).toEqual([]);
    }
    const text = JSON.stringify({ report, progress });
    for (const secret of [...opts.tickets, ...opts.made.map((m) => m.split(':')[1]!)]) expect(text).not.toContain(secret);
  });

  it('says so when the site does not clobber: two users who may open both apps', async () => {
    // DEMO users may open every app, so a replaced cookie goes unnoticed: not what seed 003 shows.
    const report = await runSharedJarScenario(
      options({ a: { userDirectory: 'DEMO', userId: 'alice', appId: 'a1-sales' }, b: { userDirectory: 'DEMO', userId: 'bob', appId: 'a2-finance' } }),
    );
    expect(report.asExpected).toBe(false);
    expect(report.cases[0]!.asExpected).toBe(false);
    expect(report.cases[1]!.asExpected).toBe(true);
    // The app page and image load as bob; only alice's export stays hers (the proxy hands it to its maker alone).
    expect(report.cases[0]!.tabs[0]!.probes.map((p) => `${p.kind}:${p.ok}`)).toEqual([
      'app:true',
      'engine:true',
      'image:true',
      'export-start:true',
      'export:false',
    ]);
    expect(report.cases[0]!.summary).toMatch(/DEMO\\bob may open app "a1-sales" too, so the replaced cookie goes unnoticed/);
    expect(report.verdict).toMatch(/^The site did not behave as seed 003 describes: shared case/);
  });

  it('reports a QPS that cannot be reached with its cause and fix, without throwing', async () => {
    const report = await runSharedJarScenario(
      options({ ticket: async (user) => (await connection.qps('https://localhost:1', 'ticket').requestTicket(user)).ticket }),
    );
    expect(report.asExpected).toBe(false);
    for (const c of report.cases) {
      for (const tab of c.tabs) {
        expect(tab.opened).toBe(false);
        expect(tab.openDetail).toMatch(/^no ticket for MASHUP\\a[12]-\w+: .*refused the connection.*\. /);
        // No session in the jar: the proxy sends the tab to the module, and the reason says so.
        expect(tab.probes[0]!.reason).toMatch(/^302: this tab's jar holds no session/);
      }
    }
  });

  it('asks for the image and export paths given, below the virtual proxy, and explains a missing export', async () => {
    // As the console and the CLI pass them: a leading slash or none, the path below /ticket/.
    const a = { ...DEMO_SHARED_JAR.a, image: '/appcontent/a1-sales/logo.png', export: 'tempcontent/a1-sales/not-made-yet.csv' };
    const report = await runSharedJarScenario(options({ a }));
    const isolated = report.cases.find((c) => c.case === 'isolated')!;
    const [image, exported] = [isolated.tabs[0]!.probes[2]!, isolated.tabs[0]!.probes[4]!];
    expect(image).toMatchObject({ kind: 'image', ok: true, status: 200, path: '/ticket/appcontent/a1-sales/logo.png' });
    expect(exported).toMatchObject({ kind: 'export', ok: false, path: '/ticket/tempcontent/a1-sales/not-made-yet.csv' });
    expect(exported.reason).toMatch(/no such export is waiting at tempcontent\/a1-sales\/not-made-yet\.csv: make an export in the app first/);
    // Tab 2 was given none: the demo site's image, and the file its own export over the WebSocket wrote.
    expect(isolated.tabs[1]!.probes.map((p) => p.path)).toEqual([
      '/ticket/sense/app/a2-finance',
      '/ticket/app/a2-finance',
      '/ticket/appcontent/a2-finance/logo.png',
      '/ticket/app/a2-finance',
      expect.stringMatching(/^\/ticket\/tempcontent\/[0-9a-f-]{36}\/[0-9a-f-]{36}\.csv$/),
    ]);
  });

  it('masks the ticket in what it reports about a page that did not load', async () => {
    const opts = options({ virtualProxy: 'nosuchprefix' });
    const report = await runSharedJarScenario(opts);
    const detail = report.cases[0]!.tabs[0]!.openDetail;
    expect(detail).toMatch(/^the app page answered 404 at https:\/\/localhost:\d+\/nosuchprefix\/sense\/app\/a1-sales\?qlikTicket=\w{4}•+$/);
    for (const ticket of opts.tickets) expect(JSON.stringify(report)).not.toContain(ticket);
  });
});
