// The export formats of the core, each read back by the tool family that opens it: Markdown as a table,
// JUnit by an XML parser, CSV by a CSV parser (formula injection included), HAR against the HAR 1.2
// JSON schema, with no secret left in it.
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/audit';
import type { VpFinding } from '../../shared/vp-findings';
import { auditCsv } from '../../electron/core/exports/audit-csv';
import { checksJUnit, checksMarkdown, checksSummary } from '../../electron/core/exports/checks-report';
import { csvCell, toCsv } from '../../electron/core/exports/csv';
import { harEntry, nodeForUrl, toHar } from '../../electron/core/exports/har';
import { RequestLog } from '../../electron/core/qlik/request-log';
import { harSchemaErrors } from '../support/har-schema';

function finding(overrides: Partial<VpFinding> = {}): VpFinding {
  return {
    rule: 'ticket-without-module',
    severity: 'error',
    virtualProxy: 'ticket',
    description: 'Ticket',
    field: 'authenticationModuleRedirectUri',
    problem: 'no module is set',
    fix: 'set the module URI',
    ...overrides,
  };
}

const REPORT = {
  checked: ['', 'ticket', 'week-long'],
  findings: [
    finding(),
    finding({ rule: 'module-unreachable', problem: 'the module does not answer | at all\nnot even <once>', fix: 'start it & retry' }),
    finding({
      rule: 'extreme-timeout',
      severity: 'warning',
      virtualProxy: 'week-long',
      field: 'session`Inactivity`Timeout',
      problem: 'sessions live 10080 minutes',
    }),
  ] satisfies VpFinding[],
};

describe('checks as Markdown', () => {
  it('is a summary and one table row per finding, every cell on one line with its pipes escaped', () => {
    const md = checksMarkdown({ ...REPORT, properties: [{ name: 'Site', value: 'Demo | site' }] });
    const lines = md.split('\n');
    expect(lines[0]).toBe('**3 virtual proxies checked: 2 errors, 1 warning, 0 info**');
    expect(lines).toContain('- Site: Demo \\| site');
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(4);
    // Unescaped pipes split cells: each row has exactly the header's five.
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
    expect(md).toContain('the module does not answer \\| at all not even &lt;once&gt;');
    expect(md).toContain('``session`Inactivity`Timeout``');
  });
});

describe('checks as JUnit', () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['testcase', 'failure', 'system-out', 'property'].includes(name),
  });

  it('parses: one test case per virtual proxy, a failure per error, warnings as output, the run as properties', () => {
    const xml = checksJUnit({ ...REPORT, properties: [{ name: 'site', value: 'Demo "EU"' }], durationMs: 1234 });
    expect(XMLValidator.validate(xml)).toBe(true);
    const { testsuite } = parser.parse(xml);
    expect(testsuite).toMatchObject({ name: 'usher check', tests: '3', failures: '1', errors: '0', time: '1.234' });
    expect(testsuite.properties.property).toEqual([{ name: 'site', value: 'Demo "EU"' }]);
    expect(testsuite.testcase.map((c: { name: string }) => c.name)).toEqual(['(default)', '/ticket', '/week-long']);
    const [, ticket, weekLong] = testsuite.testcase;
    expect(ticket.failure.map((f: { type: string }) => f.type)).toEqual(['ticket-without-module', 'module-unreachable']);
    expect(ticket.failure[1].message).toBe('the module does not answer | at all\nnot even <once>');
    expect(weekLong.failure).toBeUndefined();
    expect(weekLong['system-out'][0]).toContain('warning extreme-timeout');
  });

  it('drops the characters XML cannot hold, so one odd description does not spoil the report', () => {
    const xml = checksJUnit({ checked: ['x'], findings: [finding({ virtualProxy: 'x', problem: 'bell\u0007 null\u0000 lone\ud800 end' })] });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(parser.parse(xml).testsuite.testcase[0].failure[0].message).toBe('bell null lone end');
  });

  it('says "1 virtual proxy" and counts in words', () => {
    expect(checksSummary({ checked: ['a'], findings: [finding({ severity: 'info' })] })).toBe('1 virtual proxy checked: 0 errors, 0 warnings, 1 info');
  });
});

function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: '2026-12-04T10:00:00.000Z',
    action: 'ticket',
    profile: 'demo',
    virtualProxy: 'ticket',
    userDirectory: 'DEMO',
    userId: 'alice',
    reason: '',
    ...overrides,
  };
}

describe('the audit log as CSV', () => {
  const read = (csv: string): string[][] => parseCsv(csv, { bom: true, relaxColumnCount: false }) as string[][];

  it('parses back to the same fields: header, CRLF rows, quotes, commas and line breaks kept', () => {
    const csv = auditCsv([auditEntry({ reason: 'case 42, "urgent"\nsecond line', node: 'central', ticketMasked: 'iokr••••', virtualProxy: '' })]);
    expect(csv.startsWith('\ufeffTime,Action,Site,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, row] = read(csv);
    expect(header).toEqual([
      'Time',
      'Action',
      'Site',
      'Node',
      'Virtual proxy',
      'User directory',
      'User id',
      'Why',
      'Ticket (masked)',
      'Session id (masked)',
      'Session id SHA-256',
    ]);
    expect(row).toEqual([
      '2026-12-04T10:00:00.000Z',
      'ticket',
      'demo',
      'central',
      '(default)',
      'DEMO',
      'alice',
      'case 42, "urgent"\nsecond line',
      'iokr••••',
      '',
      '',
    ]);
  });

  it('neutralises every cell a spreadsheet would run as a formula', () => {
    const attacks = ['=HYPERLINK("http://x","y")', '+1+cmd|/c calc', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '\uff1d1+1'];
    const csv = auditCsv(attacks.map((reason) => auditEntry({ reason, userId: reason })));
    const rows = read(csv).slice(1);
    expect(rows.map((r) => r[7])).toEqual(attacks.map((a) => `'${a}`));
    expect(rows.map((r) => r[6])).toEqual(attacks.map((a) => `'${a}`));
    // Text that merely contains the characters stays as it was.
    expect(csvCell('a=b+c')).toBe('a=b+c');
    expect(toCsv([['x']])).toBe('\ufeffx\r\n');
  });
});

const TICKET = 'iokrVXSaIndQgEON';
const SESSION = '6d1f0a3b-5e7c-4c1e-9f20-8a7b6c5d4e3f';

/** Records as the core makes them: raw calls with real secrets, redacted by RequestLog.add. */
function recorded() {
  const log = new RequestLog(10);
  const ticket = log.add({
    service: 'qps',
    method: 'POST',
    url: 'https://qlik.example.com:4243/qps/ticket/ticket?xrfkey=abcdefghijklmnop',
    status: 201,
    startedAt: '2026-12-04T10:00:00.000Z',
    durationMs: 40,
    waitMs: 35,
    requestBody: '{"UserDirectory":"DEMO","UserId":"alice"}',
    responseBody: `{"UserDirectory":"DEMO","UserId":"alice","Ticket":"${TICKET}","TargetUri":null}`,
    headers: { 'X-Qlik-Xrfkey': 'abcdefghijklmnop' },
    sentHeaders: [
      { name: 'X-Qlik-Xrfkey', value: 'abcdefghijklmnop' },
      { name: 'content-type', value: 'application/json; charset=utf-8' },
      { name: 'Cookie', value: `X-Qlik-Session=${SESSION}; theme=dark` },
    ],
    responseHeaders: [
      { name: 'content-type', value: 'application/json' },
      { name: 'set-cookie', value: `X-Qlik-Session-ticket=${SESSION}; Path=/; HttpOnly; Secure` },
      { name: 'location', value: `https://qlik.example.com/ticket/hub/?qlikTicket=${TICKET}` },
    ],
  });
  const failed = log.add({
    service: 'qps',
    method: 'DELETE',
    url: `https://qlik.example.com:4243/qps/ticket/session/${SESSION}?xrfkey=abcdefghijklmnop`,
    startedAt: '2026-12-04T10:00:01.000Z',
    durationMs: 5000,
    errorCode: 'TIMEOUT',
  });
  return [ticket, failed];
}

describe('the request log as HAR 1.2', () => {
  const nodes = [
    { name: 'central', hostName: 'qlik.example.com', qps: 'https://qlik.example.com:4243' },
    { name: 'rim', hostName: 'rim.example.com', qps: 'https://rim.example.com:4243' },
  ];

  it('is valid against the HAR 1.2 schema, with headers, timings and the site and node of each call', () => {
    const har = toHar(recorded(), { creator: { name: 'Usher', version: '0.1.0' }, placeOf: (r) => ({ site: 'Demo', node: nodeForUrl(nodes, r.url) }) });
    const doc = JSON.parse(JSON.stringify(har));
    expect(harSchemaErrors(doc)).toEqual([]);
    const [ok, failed] = doc.log.entries;
    expect(ok).toMatchObject({ _service: 'qps', _site: 'Demo', _node: 'central', time: 40, timings: { send: 0, wait: 35, receive: 5 } });
    expect(ok.request.headers).toContainEqual({ name: 'X-Qlik-Xrfkey', value: 'abcdefghijklmnop' });
    // Every cookie's value is masked: which one is a session cookie depends on the virtual proxy.
    expect(ok.request.headers).toContainEqual({ name: 'Cookie', value: expect.stringMatching(/^X-Qlik-Session=6d1f•+; theme=••••$/) });
    expect(ok.request.queryString).toEqual([{ name: 'xrfkey', value: 'abcdefghijklmnop' }]);
    expect(ok.request.postData.text).toContain('"UserId":"alice"');
    expect(ok.response).toMatchObject({ status: 201, statusText: 'Created', redirectURL: expect.stringContaining('qlikTicket=iokr') });
    expect(ok.response.cookies).toEqual([{ name: 'X-Qlik-Session-ticket', value: expect.stringMatching(/^6d1f•+$/) }]);
    expect(ok.response.headers).toContainEqual({ name: 'set-cookie', value: expect.stringContaining('; Path=/; HttpOnly; Secure') });
    expect(failed).toMatchObject({ _error: 'TIMEOUT', time: 5000, timings: { wait: 5000, receive: 0 }, response: { status: 0 } });
  });

  it('is told apart from an archive the schema refuses', () => {
    const broken = { log: { version: '1.2', creator: { name: 'Usher', version: '0.1.0' }, entries: [{ startedDateTime: 'now', time: 1 }] } };
    expect(harSchemaErrors(broken)).toEqual(expect.arrayContaining([expect.stringMatching(/^\/log\/entries\/0: must have required property 'request'/)]));
  });

  it('holds no ticket, session id or cookie value', () => {
    const text = JSON.stringify(toHar(recorded(), { creator: { name: 'Usher', version: '0.1.0' } }));
    expect(text).not.toContain(TICKET);
    expect(text).not.toContain(SESSION);
    expect(text).not.toContain(SESSION.slice(4));
  });

  it('keeps time the sum of its phases when the wait was not measured or overran', () => {
    const [record] = recorded();
    expect(harEntry({ ...record!, waitMs: undefined, durationMs: 12 }).timings).toEqual({ send: 0, wait: 12, receive: 0 });
    expect(harEntry({ ...record!, waitMs: 50, durationMs: 12 })).toMatchObject({ time: 12, timings: { wait: 12, receive: 0 } });
  });

  it('names a node only when the address says which', () => {
    expect(nodeForUrl(nodes, 'https://rim.example.com:4243/qps/session')).toBe('rim');
    expect(nodeForUrl(nodes, 'https://qlik.example.com:4242/qrs/about')).toBe('central');
    const sameHost = [
      { name: 'a', hostName: 'localhost', qps: 'https://localhost:1' },
      { name: 'b', hostName: 'localhost', qps: 'https://localhost:2' },
    ];
    expect(nodeForUrl(sameHost, 'https://localhost:2/qps/x')).toBe('b');
    expect(nodeForUrl(sameHost, 'https://localhost:3/qrs/x')).toBeUndefined();
    expect(nodeForUrl(nodes, 'not a url')).toBeUndefined();
  });
});
