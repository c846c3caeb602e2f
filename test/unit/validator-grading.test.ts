// The validator's pure graders on hand-made observations: the cases no sample module exercises.
import { describe, expect, it } from 'vitest';
import type { QpsRequestObservation, TicketRedemptionObservation } from '../../shared/module-validation';
import { gradeRedirectBack, gradeTicketRequest } from '../../electron/core/validator';
import { maskTickets } from '../../shared/redact';

const TARGET = '6f64a492-1799-4044-8480-cb98b56a81be';
const REST = 'https://localhost:4243/qps/module/';

function request(over: Partial<QpsRequestObservation> = {}): QpsRequestObservation {
  return {
    kind: 'request',
    at: 1000,
    method: 'POST',
    path: '/qps/module/ticket',
    tls: { authorized: true, clientCertificate: { subject: 'CN=QlikClient', issuer: 'CN=site-CA' } },
    xrfkey: { query: 'abcdefghijklmnop', header: 'abcdefghijklmnop' },
    body: { UserDirectory: 'D', UserId: 'u', TargetId: TARGET },
    status: 201,
    ticket: 'TICKETTICKET1234',
    targetUri: 'https://localhost:443/module/hub/',
    ...over,
  };
}

const grade = (r: QpsRequestObservation) => gradeTicketRequest({ observations: [r], proxyRestUri: REST, targetId: TARGET, redirectedAt: 900 });

describe('gradeTicketRequest', () => {
  it('passes a well-formed request and hands on the issued ticket', () => {
    const { grade: g, issued } = grade(request());
    expect(g).toMatchObject({ status: 'pass', ms: 100 });
    expect(issued).toMatchObject({ ticket: 'TICKETTICKET1234', user: { userDirectory: 'D', userId: 'u' }, targetId: TARGET });
  });

  it('fails malformed attributes, the wrong prefix, a foreign TargetId and keys QPS cannot read', () => {
    expect(grade(request({ body: { UserDirectory: 'D', UserId: 'u', TargetId: TARGET, Attributes: { Group: 'A' } }, status: 400 })).grade.detail).toMatch(
      /attributes malformed/,
    );
    expect(grade(request({ body: { UserDirectory: 'D', UserId: 'u', TargetId: TARGET, Attributes: [{ A: '1', B: '2' }] }, status: 400 })).grade.detail).toMatch(
      /exactly one key/,
    );
    expect(grade(request({ path: '/qps/ticket' })).grade.detail).toMatch(/wrong virtual proxy prefix/);
    expect(grade(request({ body: { UserDirectory: 'D', UserId: 'u', TargetId: 'other' } })).grade.detail).toMatch(/not the targetId the proxy gave/);
    expect(grade(request({ body: { USERDIRECTORY: 'D', UserId: 'u', TargetId: TARGET }, status: 400 })).grade.detail).toMatch(
      /spells UserDirectory as "USERDIRECTORY"/,
    );
  });

  it('warns about unknown fields and several tickets for one login', () => {
    expect(grade(request({ body: { UserDirectory: 'D', UserId: 'u', TargetId: TARGET, Password: 'x' } })).grade).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/Password/),
    });
    const twice = gradeTicketRequest({ observations: [request(), request({ at: 1100 })], proxyRestUri: REST, targetId: TARGET, redirectedAt: 900 });
    expect(twice.grade.detail).toMatch(/2 tickets for one login/);
  });

  it('names a certificate from another CA from the refused handshake', () => {
    const g = gradeTicketRequest({
      observations: [{ kind: 'handshake-failed', at: 1000, code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', reason: 'unknown ca' }],
      proxyRestUri: REST,
      targetId: TARGET,
      redirectedAt: 900,
    });
    expect(g.grade.detail).toMatch(/client certificate not trusted/);
  });
});

describe('gradeRedirectBack', () => {
  const issued = {
    ticket: 'TICKETTICKET1234',
    user: { userDirectory: 'D', userId: 'u' },
    targetId: TARGET,
    targetUri: 'https://localhost:443/module/hub/',
    at: 1000,
  };
  const redemption = (over: Partial<TicketRedemptionObservation>): TicketRedemptionObservation => ({
    at: 1010,
    url: 'https://localhost:443/module/hub/',
    parameterName: 'qlikTicket',
    ticket: issued.ticket,
    accepted: true,
    userAgent: 'me',
    ...over,
  });
  const input = { issued, exchanges: [], browserAgent: 'me', hubOrigin: 'https://localhost:443', validityMs: 60_000 };

  it('passes one redemption by the browser at TargetUri', () => {
    expect(gradeRedirectBack({ ...input, redemptions: [redemption({})] }).grade).toMatchObject({ status: 'pass', ms: 10 });
  });

  it('fails a ticket presented after its minute and warns about another target', () => {
    expect(gradeRedirectBack({ ...input, redemptions: [redemption({ at: 62_000, accepted: false })] }).grade.detail).toMatch(/refused|valid for 60 s/);
    expect(gradeRedirectBack({ ...input, redemptions: [redemption({ url: 'https://localhost:443/module/sense/app/x' })] }).grade).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/not to TargetUri/),
    });
  });

  it('masks tickets in URLs it shows', () => {
    expect(maskTickets('https://h/hub/?a=1&QlikTicket=TICKETTICKET1234#x')).toBe('https://h/hub/?a=1&QlikTicket=TICK••••••••••••#x');
  });
});
