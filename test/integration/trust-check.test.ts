// The trust check against the built-in site, healthy and broken on purpose: each broken case must fail at
// the step that names its cause, with a fix, and skip the steps after it.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeEndpoints, Simulator } from '../../electron/simulator/simulator';
import { trustCheckStopLine, type TrustStep, type TrustStepId } from '../../shared/trust-check';
import type { FaultSettings } from '../../electron/simulator/faults';
import { runTrustCheck, type TrustCheckInput } from '../../electron/core/checks/trust-check';
import { checkTrust } from '../../electron/core/operations/trust-check';
import type { AuditInput } from '../../electron/core/profiles';
import type { CertificateSet } from '../../electron/core/certs';
import { createSitePki } from '../../electron/simulator/site-pki';
import { CertificateAuthority } from '../../electron/simulator/pki';
import { fixtures, qmcExport, tempFolder } from '../support/cert-fixtures';
import { startTestSite } from '../support/test-site';

let sim: Simulator;
let central: NodeEndpoints;
let siteSet: CertificateSet;
beforeAll(async () => {
  sim = await startTestSite();
  central = sim.node('central');
  siteSet = { certPem: sim.pki.client.certPem, keyPem: sim.pki.client.keyPem, caPem: sim.pki.ca.certPem, source: { kind: 'pem', files: [] } };
});
afterAll(() => sim.stop());

function input(overrides: Partial<TrustCheckInput> & { set?: CertificateSet } = {}): TrustCheckInput {
  const { set, ...rest } = overrides;
  return { certificates: { from: 'set', set: set ?? siteSet, origin: 'the test' }, qps: central.qps, qrs: central.qrs, timeoutMs: 3000, ...rest };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function failedAt(steps: TrustStep[]): TrustStep {
  const failed = steps.filter((s) => s.status === 'fail');
  expect(failed).toHaveLength(1);
  const step = failed[0]!;
  const after = steps.slice(steps.indexOf(step) + 1);
  expect(after.every((s) => s.status === 'skipped')).toBe(true);
  expect(step.cause).toBeTruthy();
  expect(step.fix).toBeTruthy();
  return step;
}

describe('trust check', () => {
  it('records its test ticket and the session it ends as every ticket and ended session is recorded (checkTrust)', async () => {
    const lines: AuditInput[] = [];
    const log = { append: async (entry: AuditInput) => void lines.push(entry), read: async () => ({ entries: [], skippedLines: 0 }) };
    const result = await checkTrust({
      ...input({ ticketTest: { user: { userDirectory: 'DEMO', userId: 'trudy' }, virtualProxy: 'ticket' } }),
      audit: { log, profile: 'site-a' },
    });
    expect(result.ok).toBe(true);
    expect(lines.map((l) => `${l.action} ${l.profile} ${l.userId} ${l.reason}`)).toEqual([
      'ticket site-a trudy trust check (DEMO\\trudy)',
      'session-end site-a trudy trust check (DEMO\\trudy)',
    ]);
    expect(lines[0]!.ticketMasked).toMatch(/^.{4}•+$/);
    // The ended session carries the digest the inspector and usher sessions write too, never the id.
    expect(lines[1]).toMatchObject({ sessionIdMasked: expect.stringMatching(/^.{4}•+$/), sessionIdDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('walks every step green on the demo site, ticket included, and streams progress', async () => {
    const seen: Array<[TrustStepId, string]> = [];
    const created: string[] = [];
    const result = await runTrustCheck(
      input({
        ticketTest: { user: { userDirectory: 'DEMO', userId: 'alice' }, virtualProxy: 'ticket' },
        onCreated: (what) => void created.push(`${what.action}:${what.user.userId}`),
      }),
      (step) => seen.push([step.id, step.status]),
    );
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
      'files:pass',
      'chain:pass',
      'tcp:pass',
      'server-cert:pass',
      'client-cert:pass',
      'qrs:pass',
      'discovery:warn',
      'ticket:pass',
    ]);
    // The one warning is the demo site's deliberately unlinked virtual proxy.
    expect(result.steps.find((s) => s.id === 'discovery')!.detail).toMatch(/not linked to any proxy \(unusable\): \/unlinked$/);
    // Nodes by their QMC names (both demo nodes run on localhost), counted in words.
    expect(result.steps.find((s) => s.id === 'discovery')!.detail).toMatch(/^2 proxy nodes \(central, rim1\), \d+ virtual proxies;/);
    // Each step reported "running" before its result.
    expect(seen.filter(([, s]) => s === 'running')).toHaveLength(8);
    expect(result.nodes?.map((n) => n.nodeName)).toEqual(['central', 'rim1']);
    expect(created).toEqual(['ticket:alice', 'session-end:alice']);
    // The test ticket's flow, each stage timed in the check: what the Trust section draws.
    const flow = result.steps.find((s) => s.id === 'ticket')!.flow!;
    expect(flow.map((f) => `${f.from}>${f.to} ${f.label}`)).toEqual([
      'module>qps POST /qps/ticket/ticket',
      'module>browser redirect with ?qlikTicket=',
      'browser>proxy GET /ticket/hub/?qlikTicket=…',
      'proxy>qps validate the ticket (one use)',
      'proxy>browser 200 + Set-Cookie X-Qlik-Session-ticket',
      'module>qps GET /qps/ticket/session/… → DEMO\\alice',
      'module>qps DELETE /qps/ticket/session/…',
    ]);
    expect(flow.filter((f) => f.ms !== undefined).map((f) => f.label.split(' ')[0])).toEqual(['POST', 'GET', 'GET', 'DELETE']);
    expect(flow.some((f) => f.failed)).toBe(false);
    // The test session was ended again.
    expect(sim.state.listSessions(central.nodeId).filter((s) => s.userId === 'alice')).toEqual([]);
  });

  it("diagnoses a mashup's engine socket when asked: a warning naming the first missing piece, one line per piece", async () => {
    const created: string[] = [];
    const user = { userDirectory: 'DEMO', userId: 'erin' };
    const result = await runTrustCheck(
      input({
        ticketTest: { user, virtualProxy: 'ticket' },
        socketTest: { user, virtualProxy: 'ticket', origin: 'https://mashup.example' },
        onCreated: (what) => void created.push(`${what.action}:${what.user.userId}`),
      }),
    );
    // A mashup's setup is not the site's trust: the check still passes, with a warning.
    expect(result.ok).toBe(true);
    const step = result.steps.at(-1)!;
    expect(step).toMatchObject({ id: 'socket', status: 'warn', title: "A mashup's engine WebSocket, piece by piece" });
    expect(step.detail).toMatch(
      /^a mashup on https:\/\/mashup\.example cannot open the engine socket: MISSING CSRF token: .* Fix: In the QMC, add to "Additional response headers" of virtual proxy \/ticket: Access-Control-Allow-Origin: https:\/\/mashup\.example\.$/,
    );
    expect(step.findings!.map((line) => line.split(':')[0])).toEqual([
      'ok      session cookie',
      'ok      SameSite',
      'MISSING CSRF token',
      'MISSING origin in the allow list',
      'skipped engine socket',
    ]);
    expect(created).toEqual(['ticket:erin', 'session-end:erin', 'ticket:erin', 'session-end:erin']);
    expect(sim.state.listSessions(central.nodeId).filter((s) => s.userId === 'erin')).toEqual([]);
    // From the demo mashup's own origin every piece is there.
    const fine = await runTrustCheck(input({ socketTest: { user, virtualProxy: 'ticket', origin: 'https://localhost:8443' } }));
    expect(fine.steps.at(-1)).toMatchObject({ id: 'socket', status: 'pass' });
  });

  it('reads a QMC export folder (files step)', async () => {
    const dir = tempFolder(qmcExport(sim.pki.client, sim.pki.ca.certPem));
    const result = await runTrustCheck(input({ certificates: { from: 'files', input: { kind: 'folder', path: dir } } }));
    expect(result.ok).toBe(true);
    expect(result.steps[0]!.detail).toContain('client.pem');
  });

  it('a folder without certificates fails the files step', async () => {
    const dir = tempFolder({ 'readme.txt': 'nothing here' });
    const step = failedAt((await runTrustCheck(input({ certificates: { from: 'files', input: { kind: 'folder', path: dir } } }))).steps);
    expect(step.id).toBe('files');
    expect(step.code).toBe('NO_CERTIFICATES_IN_FOLDER');
  });

  it('asks for a passphrase only when the files need one, and a refused prompt ends the check', async () => {
    const asked: Array<string | undefined> = [];
    const ask = async (file: string | undefined): Promise<string> => {
      asked.push(file);
      return 'pfx-pass';
    };
    const plain = tempFolder(qmcExport(sim.pki.client, sim.pki.ca.certPem));
    expect((await runTrustCheck(input({ certificates: { from: 'files', input: { kind: 'folder', path: plain }, askPassphrase: ask } }))).ok).toBe(true);
    expect(asked).toEqual([]);

    const pfxDir = tempFolder({ 'client.pfx': qmcExport(sim.pki.client, sim.pki.ca.certPem, 'pfx-pass')['client.pfx']! });
    const pfx = { kind: 'pfx' as const, pfxPath: `${pfxDir}/client.pfx` };
    const withPrompt = await runTrustCheck(input({ certificates: { from: 'files', input: pfx, askPassphrase: ask } }));
    expect(withPrompt.ok).toBe(true);
    expect(asked).toEqual([pfx.pfxPath]);

    const noTerminal = new Error('no terminal to ask');
    const refused = runTrustCheck(input({ certificates: { from: 'files', input: pfx, askPassphrase: () => Promise.reject(noTerminal) } }));
    await expect(refused).rejects.toBe(noTerminal);
  });
  it("another site's certificates (wrong CA) fail at the server certificate, naming subject and issuer", async () => {
    const other = createSitePki('other-site-CA');
    const set: CertificateSet = { certPem: other.client.certPem, keyPem: other.client.keyPem, caPem: other.ca.certPem, source: { kind: 'pem', files: [] } };
    const step = failedAt((await runTrustCheck(input({ set }))).steps);
    expect(step.id).toBe('server-cert');
    expect(step.code).toBe('UNTRUSTED_SERVER_CERT');
    expect(step.cause).toContain('CN=localhost');
    expect(step.cause).toContain('usher-test-CA');
  });

  it('a wrong host name fails at the server certificate and names the names it carries', async () => {
    const step = failedAt((await runTrustCheck(input({ qps: central.qps.replace('localhost', '127.0.0.1') }))).steps);
    expect(step.id).toBe('server-cert');
    expect(step.code).toBe('HOST_MISMATCH');
    expect(step.cause).toContain('localhost');
    expect(step.fix).toContain('serverNodeConfiguration.hostName');
  });

  it('a client certificate from another CA fails the chain step', async () => {
    const foreign = CertificateAuthority.create({ commonName: 'foreign-CA' }).issueClient({ commonName: 'QlikClient' });
    const set: CertificateSet = { ...siteSet, certPem: foreign.certPem, keyPem: foreign.keyPem };
    const step = failedAt((await runTrustCheck(input({ set }))).steps);
    expect(step.id).toBe('chain');
    expect(step.code).toBe('issued-by-root');
  });

  it('QPS down fails the TCP step', async () => {
    const step = failedAt((await runTrustCheck(input({ qps: `https://localhost:${await closedPort()}` }))).steps);
    expect(step.id).toBe('tcp');
    expect(step.code).toBe('CONNECTION_REFUSED');
  });

  it.each([
    ['QRS', () => central.qrs, /answered like the Qlik Sense Repository Service/],
    ['hub', () => central.hub, /answered like the hub/],
  ])('a QPS address on the %s port says what answered and that it is not the QPS port (4243)', async (_name, url, like) => {
    const step = failedAt(
      (
        await checkTrust({
          ...input({ qps: url() }),
          audit: { log: { append: async () => undefined, read: async () => ({ entries: [], skippedLines: 0 }) }, profile: 'p' },
        })
      ).steps,
    );
    expect(step.id).toBe('client-cert');
    expect(step.code).toBe('WRONG_PORT');
    expect(step.cause).toMatch(like);
    expect(step.fix).toMatch(/^This is not the QPS port \(4243\)/);
    expect(`${step.cause} ${step.fix}`).not.toMatch(/session|client certificate/i);
  });

  it('QRS down fails the QRS step after the QPS steps passed', async () => {
    const result = await runTrustCheck(input({ qrs: `https://localhost:${await closedPort()}` }));
    const step = failedAt(result.steps);
    expect(step.id).toBe('qrs');
    expect(result.steps.find((s) => s.id === 'client-cert')?.status).toBe('pass');
  });

  it('reports each QPS/QRS call it makes, redacted, failed ones included', async () => {
    const calls: string[] = [];
    const bodies: string[] = [];
    await runTrustCheck(
      input({
        ticketTest: { user: { userDirectory: 'DEMO', userId: 'dave' }, virtualProxy: 'ticket' },
        onRecord: (r) => {
          calls.push(`${r.service} ${r.method} ${new URL(r.url).pathname.replace(/session\/[^/]+$/, 'session/…')} ${r.status ?? r.errorCode}`);
          bodies.push(r.responseBody ?? '');
        },
      }),
    );
    expect(calls).toEqual([
      'qps GET /qps/user/USHER/trust-check 200',
      'qrs GET /qrs/about 200',
      // Discovery asks for both lists at once: either may answer first.
      ...(calls[2]!.includes('proxyservice')
        ? ['qrs GET /qrs/proxyservice/full 200', 'qrs GET /qrs/virtualproxyconfig/full 200']
        : ['qrs GET /qrs/virtualproxyconfig/full 200', 'qrs GET /qrs/proxyservice/full 200']),
      'qps POST /qps/ticket/ticket 201',
      'qps GET /qps/ticket/session/… 200',
      'qps DELETE /qps/ticket/session/… 200',
    ]);
    expect(bodies[4]).toMatch(/"Ticket":".{4}•+"/);

    const failed: string[] = [];
    await runTrustCheck(
      input({ qrs: `https://localhost:${await closedPort()}`, onRecord: (r) => void failed.push(`${r.service} ${r.errorCode ?? r.status}`) }),
    );
    expect(failed).toEqual(['qps 200', 'qrs CONNECTION_REFUSED']);
  });

  it('a ticket test on a virtual proxy the node does not link fails the ticket step', async () => {
    const step = failedAt((await runTrustCheck(input({ ticketTest: { user: { userDirectory: 'DEMO', userId: 'bob' }, virtualProxy: 'nope' } }))).steps);
    expect(step.id).toBe('ticket');
    expect(step.cause).toContain('/nope');
    // It stopped before a ticket was asked for: no flow to draw.
    expect(step.flow).toBeUndefined();
  });

  it("draws the test ticket's flow up to where it broke: a user at the session limit gets no cookie", async () => {
    const user = { userDirectory: 'DEMO', userId: 'full' };
    const vp = sim.state.virtualProxyByPrefix('ticket')!;
    const made = Array.from({ length: 5 }, () => sim.state.createSession(central.nodeId, vp.id, user, []));
    try {
      const step = failedAt((await runTrustCheck(input({ ticketTest: { user, virtualProxy: 'ticket' } }))).steps);
      expect(step.id).toBe('ticket');
      const flow = step.flow!;
      // Minted and presented, each timed; the proxy's answer without a session cookie is where it broke.
      expect(flow.map((f) => `${f.label}${f.ms !== undefined ? ' (timed)' : ''}${f.failed ? ' FAILED' : ''}`)).toEqual([
        'POST /qps/ticket/ticket (timed)',
        'redirect with ?qlikTicket=',
        'GET /ticket/hub/?qlikTicket=… (timed)',
        'validate the ticket (one use)',
        expect.stringMatching(/^\d+, no X-Qlik-Session-ticket cookie FAILED$/),
      ]);
    } finally {
      for (const session of made) sim.state.deleteSession(central.nodeId, session.sessionId);
    }
  });
});

// Under a slow, failing or garbled site (the simulator's faults at a rate of 1, so every run is the same),
// the summary names the fault and the step it stopped, and does not blame the client certificate that
// the TLS handshake accepted. A real refusal stays a failure of that step.
async function checkUnder(faults: Partial<FaultSettings>, set: CertificateSet = siteSet) {
  sim.faults.set(faults);
  try {
    const result = await runTrustCheck(input({ set, timeoutMs: 1000 }));
    return { result, line: trustCheckStopLine(result.steps) };
  } finally {
    sim.faults.clear();
  }
}

describe('trust check summary under faults', () => {
  it.each<[string, Partial<FaultSettings>, string, RegExp]>([
    ['a slow site', { latencyMs: 3000 }, 'timeout', /did not answer|timed? ?out/i],
    ['a failing site', { errorRate: 1 }, 'server error 503', /503/],
    ['a garbled site', { malformedJsonRate: 1 }, 'malformed answer', /JSON|malformed|cut/i],
  ])('%s: names the fault and the step it stopped, not the certificate', async (_name, faults, fault, cause) => {
    const { result, line } = await checkUnder(faults);
    expect(result.ok).toBe(false);
    const failed = result.steps.find((s) => s.status === 'fail')!;
    expect(failed.id).toBe('client-cert');
    expect(failed.fault).toBe(fault);
    expect(line).toMatch(
      new RegExp(
        `^the trust check stopped at step 5 "Client certificate accepted by QPS" on a site fault \\(${fault}\\), before the step could check anything: `,
      ),
    );
    expect(line).toMatch(cause);
    expect(line).not.toMatch(/failed at/);
  });

  it('a certificate QPS refuses is still that step failing, with no fault', async () => {
    const foreign = fixtures.foreignClient();
    const { result, line } = await checkUnder({}, { ...siteSet, certPem: foreign.certPem, keyPem: foreign.keyPem });
    const failed = result.steps.find((s) => s.status === 'fail')!;
    expect(failed.fault).toBeUndefined();
    expect(line).toMatch(/^the trust check failed at step \d "/);
  });

  it('says nothing when every step passed', async () => {
    const { result, line } = await checkUnder({});
    expect(result.ok).toBe(true);
    expect(line).toBeUndefined();
  });
});
