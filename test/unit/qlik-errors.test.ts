import { describe, expect, it } from 'vitest';
import {
  QlikError,
  classifyTransport,
  clientCertRefused,
  hostMismatch,
  httpError,
  notJson,
  transportError,
  untrustedServerCert,
  type CallContext,
} from '../../electron/core/qlik/errors';
import { formatDistinguishedName, parseAltNames } from '../../electron/core/qlik/tls-diagnosis';
import { classifyError } from '../../electron/core/browser/browser-client';

const qps: CallContext = {
  service: 'qps',
  url: 'https://qlik.example.com:4243/qps/sales/ticket?xrfkey=abcdefghij012345',
  prefix: 'sales',
  timeoutMs: 300,
  maxBodyBytes: 1024,
};
const qrs: CallContext = { ...qps, service: 'qrs', url: 'https://qlik.example.com:4242/qrs/about?xrfkey=abcdefghij012345', prefix: undefined };

function nodeError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyTransport', () => {
  it.each([
    ['SELF_SIGNED_CERT_IN_CHAIN', 'untrusted'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'untrusted'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'untrusted'],
    ['CERT_HAS_EXPIRED', 'untrusted'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'altname'],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'alert'],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'alert'],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'alert'],
    ['ECONNRESET', 'closed'],
    ['UND_ERR_SOCKET', 'closed'],
    ['ECONNREFUSED', 'refused'],
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['SOMETHING_ELSE', 'unknown'],
  ])('%s -> %s', (code, kind) => {
    expect(classifyTransport(nodeError(code)).kind).toBe(kind);
  });

  it('looks through causes and AggregateError members', () => {
    const wrapped = new TypeError('fetch failed', { cause: nodeError('ECONNREFUSED') });
    expect(classifyTransport(wrapped).kind).toBe('refused');
    const aggregate = Object.assign(new AggregateError([nodeError('ECONNREFUSED'), nodeError('ECONNREFUSED')], 'connect failed'), { code: 'ECONNREFUSED' });
    expect(classifyTransport(aggregate).kind).toBe('refused');
  });

  it('recognises a TLS alert by its text and a closed socket by undici wording', () => {
    expect(classifyTransport(new Error('... SSL routines:ssl3_read_bytes:tlsv13 alert certificate required ...')).kind).toBe('alert');
    expect(classifyTransport(nodeError('UND_ERR_SOCKET', 'other side closed')).kind).toBe('closed');
  });

  it('keeps the original error as the cause', () => {
    const err = nodeError('ECONNRESET');
    expect(classifyTransport(err).cause).toBe(err);
  });
});

describe('TLS messages', () => {
  it('names subject and issuer of an untrusted server certificate and the pinned CA', () => {
    const err = untrustedServerCert(
      qps,
      classifyTransport(nodeError('SELF_SIGNED_CERT_IN_CHAIN')),
      { subject: 'CN=qlik', issuer: 'CN=other-CA', altNames: ['qlik'] },
      'CN=site-CA',
    );
    expect(err).toBeInstanceOf(QlikError);
    expect(err.code).toBe('UNTRUSTED_SERVER_CERT');
    expect(err.message).toContain('CN=qlik');
    expect(err.message).toContain('CN=other-CA');
    expect(err.message).toContain('CN=site-CA');
    expect(err.hint).toMatch(/root\.pem/);
    expect(err.hint).toMatch(/Never turn TLS verification off/);
  });

  it('says when the server certificate expired', () => {
    const err = untrustedServerCert(
      qps,
      classifyTransport(nodeError('CERT_HAS_EXPIRED')),
      { subject: 'CN=q', issuer: 'CN=ca', altNames: [], validTo: 'Jan 1 2020' },
      undefined,
    );
    expect(err.code).toBe('UNTRUSTED_SERVER_CERT');
    expect(err.message).toContain('expired on Jan 1 2020');
  });

  it('lists the names a mismatched certificate carries and suggests the registered host name', () => {
    const err = hostMismatch(qps, classifyTransport(nodeError('ERR_TLS_CERT_ALTNAME_INVALID')), {
      subject: 'CN=qlik-central',
      issuer: 'CN=ca',
      altNames: ['qlik-central', 'qlik-central.corp'],
    });
    expect(err.code).toBe('HOST_MISMATCH');
    expect(err.message).toContain('qlik-central, qlik-central.corp');
    expect(err.message).toContain('qlik.example.com');
    expect(err.hint).toContain('serverNodeConfiguration.hostName');
    expect(err.hint).toContain('https://qlik-central:4243');
  });

  it('explains a refused client certificate in terms of the site CA', () => {
    const err = clientCertRefused(qps, classifyTransport(nodeError('ECONNRESET')), { subject: 'CN=QlikClient', issuer: 'CN=other-CA' });
    expect(err.code).toBe('CLIENT_CERT_REFUSED');
    expect(err.message).toContain('CN=other-CA');
    expect(err.hint).toMatch(/this site's CA/);
  });

  it('formats distinguished names and alt names', () => {
    expect(formatDistinguishedName({ CN: 'a', O: 'b', OU: ['x', 'y'] })).toBe('CN=a, O=b, OU=x, OU=y');
    expect(parseAltNames('DNS:localhost, DNS:qlik, IP Address:127.0.0.1')).toEqual(['localhost', 'qlik', '127.0.0.1']);
    expect(parseAltNames(undefined)).toEqual([]);
  });
});

describe('transport errors', () => {
  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', 'TIMEOUT', /300 ms/],
    ['ECONNREFUSED', 'CONNECTION_REFUSED', /refused/],
    ['ENOTFOUND', 'DNS', /resolve/],
    ['ECONNRESET', 'CONNECTION_RESET', /closed the connection/],
  ] as const)('%s -> %s', (code, qlikCode, message) => {
    const err = transportError(qps, classifyTransport(nodeError(code)));
    expect(err.code).toBe(qlikCode);
    expect(err.message).toMatch(message);
    expect(err.hint.length).toBeGreaterThan(20);
    expect(err.url).toBe(qps.url);
  });
});

describe('httpError', () => {
  it('403 with the XSRF text is an xrfkey rejection', () => {
    const err = httpError(qps, 403, 'XSRF prevention check failed. Possible XSRF discovered.');
    expect(err.code).toBe('XRFKEY_REJECTED');
    expect(err.status).toBe(403);
    expect(err.hint).toContain('X-Qlik-Xrfkey');
  });

  it('other 403s are plain HTTP errors; on QRS the hint is about X-Qlik-User', () => {
    const err = httpError(qrs, 403, 'Forbidden');
    expect(err.code).toBe('HTTP_ERROR');
    expect(err.hint).toContain('X-Qlik-User');
  });

  it('404 mentioning the virtual proxy names the prefix and where to check it', () => {
    const err = httpError(qps, 404, 'Virtual proxy with prefix "sales" is not configured on this proxy');
    expect(err.code).toBe('UNKNOWN_VIRTUAL_PROXY');
    expect(err.message).toContain('"sales"');
    expect(err.hint).toMatch(/prefix/);
    expect(err.hint).toMatch(/links it/);
  });

  it('other 404s are NOT_FOUND', () => {
    expect(httpError(qps, 404, 'Not Found').code).toBe('NOT_FOUND');
    expect(httpError(qps, 404, '').code).toBe('NOT_FOUND');
    // A missing session names the virtual proxy it looked in; that is not an unknown virtual proxy.
    expect(httpError(qps, 404, 'Session "abc" was not found on virtual proxy "ticket" of this proxy node.').code).toBe('NOT_FOUND');
    expect(httpError(qps, 404, 'Unknown virtual proxy').code).toBe('UNKNOWN_VIRTUAL_PROXY');
  });

  it('400 with the parallel-sessions text is TOO_MANY_SESSIONS, other 400s BAD_REQUEST with the server text', () => {
    expect(httpError(qps, 400, 'You cannot access Qlik Sense because you have too many sessions active in parallel.').code).toBe('TOO_MANY_SESSIONS');
    const bad = httpError(qps, 400, 'UserId must not contain a backslash');
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toContain('UserId must not contain a backslash');
  });

  it('anything else is HTTP_ERROR with status and a short, redacted excerpt', () => {
    const err = httpError(qps, 500, `{"Ticket":"SECRETTICKET1234","Error":"${'x'.repeat(500)}"}`);
    expect(err.code).toBe('HTTP_ERROR');
    expect(err.message).toContain('500');
    expect(err.message).not.toContain('SECRETTICKET1234');
    expect(err.message.length).toBeLessThan(400);
    expect(httpError(qps, 503, 'Service Unavailable').hint).toMatch(/overloaded/);
  });

  it('a non-JSON body is NOT_JSON', () => {
    const err = notJson(qps, 200, '<html>login</html>');
    expect(err.code).toBe('NOT_JSON');
    expect(err.message).toContain('<html>');
  });
});

describe('browser client errors (same classification, browser wording)', () => {
  const url = new URL('https://qlik.example.com/hub/');
  it.each([
    [nodeError('ECONNREFUSED'), 'CONNECTION_REFUSED', /refused the connection$/],
    [new AggregateError([nodeError('EHOSTUNREACH')], 'connect failed'), 'CONNECTION_REFUSED', /\(EHOSTUNREACH\)/],
    [new TypeError('fetch failed', { cause: nodeError('CERT_REJECTED') }), 'UNTRUSTED_CERT', /CERT_REJECTED/],
    [
      Object.assign(nodeError('ERR_TLS_CERT_ALTNAME_INVALID'), { reason: "Host: qlik.example.com. is not in the cert's altnames: DNS:qlik" }),
      'HOST_MISMATCH',
      /DNS:qlik/,
    ],
    [nodeError('UND_ERR_HEADERS_TIMEOUT'), 'TIMEOUT', /within 0\.3 s/],
  ] as const)('%s -> %s', (err, code, message) => {
    const out = classifyError(err, url, 300, false);
    expect(out.code).toBe(code);
    expect(out.message).toMatch(message);
    expect(out.cause).toBe(err);
  });

  it('gives an unresolvable name the DNS hint, and anything else the network hint', () => {
    expect(classifyError(nodeError('EAI_FAIL'), url, 300, false)).toMatchObject({ code: 'NETWORK', hint: expect.stringMatching(/does not resolve/) });
    expect(classifyError(nodeError('ECONNRESET'), url, 300, false)).toMatchObject({ code: 'NETWORK', hint: expect.stringMatching(/failed or was cut/) });
  });
});
