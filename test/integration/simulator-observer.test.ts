// The simulator's instrumentation for the module validator: what QPS and the proxy report to an observer
// (and that a site without one behaves as before - every other test runs without it).
import https from 'node:https';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { QpsObservation, TicketRedemptionObservation } from '../../shared/module-validation';
import { BrowserClient } from '../../electron/core/browser';
import type { Simulator } from '../../electron/simulator/simulator';
import { randomAlphanumeric } from '../../electron/simulator/state';
import { startTestSite, testPki } from '../support/test-site';

const qps: QpsObservation[] = [];
const redemptions: TicketRedemptionObservation[] = [];
let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSite({ observer: { onQpsRequest: (o) => qps.push(o), onTicketRedemption: (o) => redemptions.push(o) } });
});

function post(path: string, body: unknown, opts: { query?: string; header?: string; cert?: boolean } = {}): Promise<{ status: number; text: string }> {
  const pki = testPki();
  const url = new URL(path, sim.node('central').qps);
  if (opts.query) url.searchParams.set('xrfkey', opts.query);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        ca: pki.ca.certPem,
        ...(opts.cert === false ? {} : { cert: pki.client.certPem, key: pki.client.keyPem }),
        headers: { 'Content-Type': 'application/json', ...(opts.header ? { 'X-Qlik-Xrfkey': opts.header } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The site reports a request once its answer is sent, which may be just after the client has it: wait for the report. */
const reportedSince = (before: number): Promise<void> => vi.waitFor(() => expect(qps.length).toBeGreaterThan(before), { timeout: 5_000, interval: 5 });

describe('simulator observer', () => {
  it('reports a ticket request: certificate, both xrfkey values, the body as sent, status and ticket', async () => {
    const key = randomAlphanumeric(16);
    const before = qps.length;
    const r = await post('/qps/ticket/ticket', { userDirectory: 'DEMO', userId: 'alice', attributes: [{ Group: 'A' }] }, { query: key, header: key });
    expect(r.status).toBe(201);
    await reportedSince(before);
    const seen = qps.at(-1)!;
    expect(seen.kind).toBe('request');
    if (seen.kind !== 'request') return;
    expect(seen).toMatchObject({
      method: 'POST',
      path: '/qps/ticket/ticket',
      status: 201,
      xrfkey: { query: key, header: key },
      body: { userDirectory: 'DEMO', userId: 'alice' },
    });
    expect(seen.tls).toMatchObject({ authorized: true, clientCertificate: { subject: 'CN=QlikClient', issuer: 'CN=usher-test-CA' } });
    expect(seen.ticket).toBe((JSON.parse(r.text) as { Ticket: string }).Ticket);
  });

  it('reports an xrfkey failure with both values and a 403', async () => {
    const before = qps.length;
    const r = await post('/qps/ticket', { UserDirectory: 'DEMO', UserId: 'alice' }, { query: randomAlphanumeric(16), header: randomAlphanumeric(16) });
    expect(r.status).toBe(403);
    await reportedSince(before);
    const seen = qps.at(-1)!;
    expect(seen.kind === 'request' && seen.status === 403 && seen.xrfkey.query !== seen.xrfkey.header).toBe(true);
  });

  it('reports a handshake refused for want of a client certificate', async () => {
    const before = qps.length;
    await expect(post('/qps/ticket', {}, { cert: false })).rejects.toThrow();
    await vi.waitFor(
      () => expect(qps.slice(before)).toContainEqual(expect.objectContaining({ kind: 'handshake-failed', code: 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE' })),
      { timeout: 5_000, interval: 5 },
    );
  });

  it('reports who redeemed a ticket, and a refused second redemption', async () => {
    const ticket = sim.state.issueTicket('node-central', 'vp-ticket', { userDirectory: 'DEMO', userId: 'bob' }, []).ticket;
    const browser = new BrowserClient({ ca: testPki().ca.certPem, userAgent: 'observer-test' });
    try {
      const url = `${sim.node('central').hub}/ticket/hub/?QlikTicket=${ticket}`;
      await browser.get(url, { stopAt: () => true });
      await browser.get(url, { stopAt: () => true });
    } finally {
      await browser.close();
    }
    const mine = redemptions.filter((r) => r.ticket === ticket);
    expect(mine.map((r) => [r.accepted, r.userAgent, r.parameterName])).toEqual([
      [true, 'observer-test', 'QlikTicket'],
      [false, 'observer-test', 'QlikTicket'],
    ]);
    expect(mine[0]!.user).toEqual({ userDirectory: 'DEMO', userId: 'bob' });
    expect(mine[0]!.url).toMatch(/\/ticket\/hub\/$/);
  });
});
