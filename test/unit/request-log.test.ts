import { describe, expect, it } from 'vitest';
import { RequestLog, LOGGED_BODY_CHARS } from '../../electron/core/qlik/request-log';
import { matchesRequestFilter, redactBody, redactUrl, toCurl, toPowerShell, type RequestRecord } from '../../shared/request-log';

const ticketRecord: RequestRecord = {
  id: 1,
  service: 'qps',
  method: 'POST',
  url: 'https://qlik.example.com:4243/qps/ticket/ticket?xrfkey=abcdefghij012345',
  status: 201,
  startedAt: '2025-01-01T00:00:00.000Z',
  durationMs: 12,
  requestBody: '{"UserDirectory":"DEMO","UserId":"o\'neil","Attributes":[]}',
  responseBody: '{"UserDirectory":"DEMO","UserId":"o\'neil","Ticket":"abcd••••••••••••"}',
  headers: { 'X-Qlik-Xrfkey': 'abcdefghij012345' },
};

const qrsRecord: RequestRecord = {
  id: 2,
  service: 'qrs',
  method: 'GET',
  url: 'https://qlik.example.com:4242/qrs/about?xrfkey=abcdefghij012345',
  status: 200,
  startedAt: '2025-01-01T00:00:00.000Z',
  durationMs: 5,
  headers: { 'X-Qlik-Xrfkey': 'abcdefghij012345', 'X-Qlik-User': 'UserDirectory=INTERNAL; UserId=sa_repository' },
};

const KEY_MATERIAL = /BEGIN|PRIVATE KEY|CERTIFICATE-----/;

describe('redaction', () => {
  it('masks tickets and session ids in JSON bodies, any casing, keeping the rest', () => {
    const body = '{"UserId":"bob","Ticket":"iokrVXSIndQgEON1","SessionId":"0f5c7d2e-aaaa-bbbb","ticket":"x1y2z3w4q5"}';
    const out = redactBody(body);
    expect(out).not.toContain('iokrVXSIndQgEON1');
    expect(out).not.toContain('0f5c7d2e-aaaa-bbbb');
    expect(out).not.toContain('x1y2z3w4q5');
    expect(out).toContain('"Ticket":"iokr');
    expect(out).toContain('"UserId":"bob"');
  });

  it('masks inside cut (malformed) JSON too', () => {
    expect(redactBody('[{"sessionId":"secret-session-1"},{"sessionId":"sec')).not.toContain('secret-session-1');
  });

  it('masks session ids in URL paths but keeps the xrfkey', () => {
    const out = redactUrl('https://h:4243/qps/ticket/session/0f5c7d2e-1234-5678?xrfkey=abcdefghij012345');
    expect(out).not.toContain('0f5c7d2e-1234-5678');
    expect(out).toContain('/session/0f5c');
    expect(out).toContain('xrfkey=abcdefghij012345');
  });
});

describe('toCurl', () => {
  it('uses the QMC export file names and the Qlik headers, never key material', () => {
    const cmd = toCurl(ticketRecord);
    expect(cmd).toContain('curl -X POST');
    expect(cmd).toContain('--cert client.pem --key client_key.pem --cacert root.pem');
    expect(cmd).toContain("-H 'X-Qlik-Xrfkey: abcdefghij012345'");
    expect(cmd).toContain("-H 'Content-Type: application/json'");
    // The single quote in the user id is escaped for the shell.
    expect(cmd).toContain(`-d '{"UserDirectory":"DEMO","UserId":"o'\\''neil","Attributes":[]}'`);
    expect(cmd).not.toMatch(KEY_MATERIAL);
    expect(cmd).not.toMatch(/\s-k\b/);
    expect(cmd).not.toContain('--insecure');
  });

  it('adds X-Qlik-User for QRS and no body for a GET', () => {
    const cmd = toCurl(qrsRecord);
    expect(cmd).toContain("-H 'X-Qlik-User: UserDirectory=INTERNAL; UserId=sa_repository'");
    expect(cmd).not.toContain('-d ');
    expect(cmd).toContain('curl -X GET');
  });
});

describe('toPowerShell', () => {
  it('uses Invoke-RestMethod with a PFX placeholder, headers, body and content type', () => {
    const cmd = toPowerShell(ticketRecord);
    expect(cmd).toContain('Invoke-RestMethod -Method Post');
    expect(cmd).toContain("-Certificate (Get-PfxCertificate -FilePath 'client.pfx')");
    expect(cmd).toContain("-Headers @{ 'X-Qlik-Xrfkey' = 'abcdefghij012345' }");
    expect(cmd).toContain("-ContentType 'application/json'");
    expect(cmd).toContain(`-Body '{"UserDirectory":"DEMO","UserId":"o''neil","Attributes":[]}'`);
    expect(cmd).toContain("'root.pem'");
    expect(cmd).not.toMatch(KEY_MATERIAL);
    expect(cmd).not.toMatch(/SkipCertificateCheck/i);
  });

  it('carries X-Qlik-User for QRS', () => {
    const cmd = toPowerShell(qrsRecord);
    expect(cmd).toContain("'X-Qlik-User' = 'UserDirectory=INTERNAL; UserId=sa_repository'");
    expect(cmd).not.toContain('-Body');
  });
});

describe('RequestLog', () => {
  const base = { service: 'qps' as const, method: 'GET', startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1 };

  it('keeps the newest records, oldest first, numbered', () => {
    const log = new RequestLog(3);
    for (let i = 1; i <= 5; i++) log.add({ ...base, url: `https://h/qps/user/D/u${i}` });
    expect(log.entries.map((r) => r.id)).toEqual([3, 4, 5]);
    expect(log.entries.map((r) => r.url)).toEqual(['https://h/qps/user/D/u3', 'https://h/qps/user/D/u4', 'https://h/qps/user/D/u5']);
  });

  it('redacts before storing and before telling the listener', () => {
    const seen: RequestRecord[] = [];
    const log = new RequestLog(10, (r) => seen.push(r));
    log.add({
      ...base,
      url: 'https://h/qps/session/SECRETSESSION1',
      responseBody: '{"SessionId":"SECRETSESSION1"}',
      requestBody: '{"Ticket":"TICKETTICKET1234"}',
    });
    const stored = log.entries[0]!;
    expect(JSON.stringify(stored)).not.toContain('SECRETSESSION1');
    expect(JSON.stringify(stored)).not.toContain('TICKETTICKET1234');
    expect(seen[0]).toEqual(stored);
  });

  it('cuts long bodies and survives a throwing listener', () => {
    const log = new RequestLog(2, () => {
      throw new Error('listener bug');
    });
    const record = log.add({ ...base, url: 'https://h/', responseBody: 'x'.repeat(LOGGED_BODY_CHARS + 10) });
    expect(record.responseBody!.length).toBeLessThan(LOGGED_BODY_CHARS + 100);
    expect(record.responseBody).toContain('10 more characters');
  });
});

describe('the request-log filter (console and main process alike)', () => {
  const qps: RequestRecord = { ...ticketRecord, url: 'https://h:4243/qps/ticket/ticket?xrfkey=abQRsdefghij0123', status: 201 };
  const failed: RequestRecord = {
    ...ticketRecord,
    service: 'qrs',
    method: 'GET',
    url: 'https://h:4242/qrs/about?xrfkey=abcdefghij012345',
    status: undefined,
    errorCode: 'TIMEOUT',
  };

  it('wants every word, in service, method, URL, status or error code, any case', () => {
    expect(matchesRequestFilter(qps, 'post 201')).toBe(true);
    expect(matchesRequestFilter(qps, 'post 403')).toBe(false);
    expect(matchesRequestFilter(failed, 'QRS timeout')).toBe(true);
    expect(matchesRequestFilter(failed, '   ')).toBe(true);
  });

  it("never matches the random xrfkey value, only the parameter's name", () => {
    expect(matchesRequestFilter(qps, 'qrs')).toBe(false);
    expect(matchesRequestFilter(qps, 'xrfkey')).toBe(true);
  });
});
