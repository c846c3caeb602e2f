// The JWT tools: a signing pair Qlik accepts, tokens minted for a virtual proxy's claim names, and the
// proxy's verdict on a token (claims, algorithms, clock skew), one row per reason Qlik refuses.
import { createSign, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatAttributes, type JwtVirtualProxySettings } from '../../shared/jwt';
import {
  generateSigningPair,
  importSigningPair,
  JwtError,
  mintJwt,
  QLIK_JWT_CLOCK_TOLERANCE_SECONDS,
  summarizeSigningPair,
  verifyJwt,
  type JwtSigningPair,
} from '../../electron/core/jwt';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const NOW_S = NOW / 1000;
const pair: JwtSigningPair = generateSigningPair({ now: new Date(NOW) });
const other: JwtSigningPair = generateSigningPair({ now: new Date(NOW) });

function vp(overrides: Partial<JwtVirtualProxySettings> = {}): JwtVirtualProxySettings {
  return {
    prefix: 'jwt',
    jwtPublicKeyCertificate: pair.certificatePem,
    jwtAttributeUserId: 'userId',
    jwtAttributeUserDirectory: 'userDirectory',
    jwtAttributeMap: [{ jwtAttribute: 'groups', senseAttribute: 'Group', isMandatory: false }],
    ...overrides,
  };
}

/** A token with any header and payload, RSA-signed with `key` (PKCS#1 v1.5 over SHA-256 unless told). */
function rawToken(header: object, payload: object, keyPem = pair.keyPem, hash = 'RSA-SHA256'): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createSign(hash).update(input).sign(keyPem).toString('base64url')}`;
}

const alice = { userId: 'alice', userDirectory: 'DEMO', exp: NOW_S + 600 };

describe('signing pair', () => {
  it('generates an RSA key with a self-signed certificate holding its public key, RS256 by default', () => {
    const summary = summarizeSigningPair(pair);
    const x509 = new X509Certificate(pair.certificatePem);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.publicKey.asymmetricKeyType).toBe('rsa');
    expect(summary).toMatchObject({ algorithm: 'RS256', keyBits: 2048, subject: 'CN=Usher JWT signing' });
    expect(summary.certificatePem).toContain('-----BEGIN CERTIFICATE-----');
    expect(JSON.stringify(summary)).not.toContain('PRIVATE KEY');
  });

  it('imports an existing RSA key, with its certificate or a new one, and refuses keys Qlik cannot use', () => {
    const again = importSigningPair({ keyPem: pair.keyPem, certificatePem: pair.certificatePem });
    expect(again.certificatePem.trim()).toBe(pair.certificatePem.trim());
    const fresh = importSigningPair({ keyPem: pair.keyPem, commonName: 'Portal signing' });
    expect(new X509Certificate(fresh.certificatePem).subject).toBe('CN=Portal signing');
    expect(() => importSigningPair({ keyPem: pair.keyPem, certificatePem: other.certificatePem })).toThrow(/does not hold the public half/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => importSigningPair({ keyPem: ec })).toThrow(/EC key; Qlik JWT virtual proxies verify RSA signatures only/);
    expect(() => importSigningPair({ keyPem: 'hello' })).toThrow(JwtError);
    const encrypted = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
      .toString();
    expect(() => importSigningPair({ keyPem: encrypted })).toThrow(JwtError);
    expect(importSigningPair({ keyPem: encrypted, passphrase: 'pw' }).keyPem).toContain('BEGIN PRIVATE KEY');
  });
});

describe('mint then verify', () => {
  it('names the claims the virtual proxy reads and Qlik takes the user, directory and groups', () => {
    const target = vp({
      jwtAttributeUserId: 'sub',
      jwtAttributeUserDirectory: 'dir',
      jwtAttributeMap: [
        { jwtAttribute: 'roles', senseAttribute: 'Group', isMandatory: true },
        { jwtAttribute: 'cc', senseAttribute: 'CostCenter', isMandatory: false },
      ],
    });
    const minted = mintJwt(pair, {
      user: { userDirectory: 'MASHUP', userId: 'a1-sales' },
      groups: ['Sales', 'EU'],
      attributes: [{ CostCenter: '42' }],
      virtualProxy: target,
      now: NOW,
    });
    expect(minted.payload).toMatchObject({ sub: 'a1-sales', dir: 'MASHUP', roles: ['Sales', 'EU'], cc: '42', exp: NOW_S + 600 });
    const verdict = verifyJwt(minted.token, target, { now: NOW });
    expect(verdict).toMatchObject({ ok: true, userDirectory: 'MASHUP', userId: 'a1-sales', userIdClaim: 'sub', userDirectorySource: 'dir' });
    expect(verdict.ok && verdict.attributes).toEqual([{ Group: 'Sales' }, { Group: 'EU' }, { CostCenter: '42' }]);
  });

  it('a static directory in brackets is used as it is and the token carries none', () => {
    const target = vp({ jwtAttributeUserDirectory: '[MASHUP]' });
    const minted = mintJwt(pair, { user: { userDirectory: '', userId: 'a2-finance' }, virtualProxy: target, now: NOW });
    expect(Object.keys(minted.payload).sort()).toEqual(['exp', 'iat', 'userId']);
    expect(verifyJwt(minted.token, target, { now: NOW })).toMatchObject({ ok: true, userDirectory: 'MASHUP', userDirectorySource: 'static' });
    expect(() => mintJwt(pair, { user: { userDirectory: 'OTHER', userId: 'x' }, virtualProxy: target })).toThrow(/directory MASHUP, not OTHER/);
  });

  it('signs with RS384 and RS512 as well', () => {
    for (const algorithm of ['RS384', 'RS512'] as const) {
      const minted = mintJwt(pair, { user: { userDirectory: 'DEMO', userId: 'bob' }, algorithm, now: NOW });
      expect(JSON.parse(Buffer.from(minted.token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: algorithm, typ: 'JWT' });
      expect(verifyJwt(minted.token, vp(), { now: NOW })).toMatchObject({ ok: true, userId: 'bob' });
    }
  });

  it('refuses a lifetime out of range and a user Qlik cannot take', () => {
    expect(() => mintJwt(pair, { user: { userDirectory: 'DEMO', userId: 'bob' }, expiresInSeconds: 0 })).toThrow(/seconds is not minted/);
    expect(() => mintJwt(pair, { user: { userDirectory: 'DEMO', userId: 'a\\b' } })).toThrow(/backslash/);
  });
});

describe('verify: each reason Qlik refuses', () => {
  const pss = (): string => {
    const input = `${Buffer.from(JSON.stringify({ alg: 'PS256' })).toString('base64url')}.${Buffer.from(JSON.stringify(alice)).toString('base64url')}`;
    return `${input}.AAAA`;
  };
  const rows: Array<[string, () => string, Partial<JwtVirtualProxySettings>, string, RegExp]> = [
    ['not a JWT', () => 'abc.def', {}, 'malformed', /3/],
    ['payload not JSON', () => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.bm90IGpzb24.AAAA`, {}, 'malformed', /not JSON/],
    ['encrypted', () => 'a.b.c.d.e', {}, 'encrypted', /JWE/],
    [
      'alg none',
      () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(alice)).toString('base64url')}.`,
      {},
      'alg-not-allowed',
      /unsigned/,
    ],
    [
      'HS256',
      () => `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(alice)).toString('base64url')}.AAAA`,
      {},
      'alg-not-allowed',
      /shared secret/,
    ],
    ['PS256', pss, {}, 'alg-not-allowed', /PS256/],
    ['no certificate on the virtual proxy', () => rawToken({ alg: 'RS256' }, alice), { jwtPublicKeyCertificate: '' }, 'no-certificate', /no JWT certificate/],
    ['certificate field holds junk', () => rawToken({ alg: 'RS256' }, alice), { jwtPublicKeyCertificate: 'not a pem' }, 'bad-certificate', /not a PEM/],
    ['signed with another key', () => rawToken({ alg: 'RS256' }, alice, other.keyPem), {}, 'bad-signature', /does not verify/],
    ['header alg differs from the signature', () => rawToken({ alg: 'RS512' }, alice), {}, 'bad-signature', /does not verify/],
    [
      'expired past the tolerance',
      () => rawToken({ alg: 'RS256' }, { ...alice, exp: NOW_S - QLIK_JWT_CLOCK_TOLERANCE_SECONDS - 1 }),
      {},
      'expired',
      /expired at/,
    ],
    [
      'not valid yet past the tolerance',
      () => rawToken({ alg: 'RS256' }, { ...alice, nbf: NOW_S + QLIK_JWT_CLOCK_TOLERANCE_SECONDS + 1 }),
      {},
      'not-yet-valid',
      /not valid before/,
    ],
    ['exp in milliseconds as a string', () => rawToken({ alg: 'RS256' }, { ...alice, exp: String(NOW) }), {}, 'bad-claim', /NumericDate|seconds since 1970/],
    ['no user id claim named', () => rawToken({ alg: 'RS256' }, alice), { jwtAttributeUserId: '' }, 'missing-user-id', /names no claim/],
    ['user id claim absent', () => rawToken({ alg: 'RS256' }, { userDirectory: 'DEMO', exp: alice.exp }), {}, 'missing-user-id', /no "userId" claim/],
    ['user id with a backslash', () => rawToken({ alg: 'RS256' }, { ...alice, userId: 'DEMO\\alice' }), {}, 'bad-claim', /backslash/],
    ['directory neither mapped nor static', () => rawToken({ alg: 'RS256' }, alice), { jwtAttributeUserDirectory: '' }, 'no-directory-mapping', /neither/],
    ['empty brackets', () => rawToken({ alg: 'RS256' }, alice), { jwtAttributeUserDirectory: '[]' }, 'no-directory-mapping', /neither/],
    ['directory claim absent', () => rawToken({ alg: 'RS256' }, { userId: 'alice', exp: alice.exp }), {}, 'missing-user-directory', /no "userDirectory" claim/],
    [
      'mandatory attribute absent',
      () => rawToken({ alg: 'RS256' }, alice),
      { jwtAttributeMap: [{ jwtAttribute: 'email', senseAttribute: 'Email', isMandatory: true }] },
      'missing-mandatory-attribute',
      /"email"/,
    ],
    ['attribute an object', () => rawToken({ alg: 'RS256' }, { ...alice, groups: { a: 1 } }), {}, 'bad-claim', /"groups"/],
  ];
  it.each(rows)('%s', (_name, token, overrides, code, message) => {
    const verdict = verifyJwt(token(), vp(overrides), { now: NOW });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.code).toBe(code);
    expect(verdict.message).toMatch(message);
    expect(verdict.hint.length).toBeGreaterThan(10);
  });
});

describe('verify: clock skew and what is accepted', () => {
  const rows: Array<[string, object, boolean]> = [
    ['expired within the tolerance', { ...alice, exp: NOW_S - QLIK_JWT_CLOCK_TOLERANCE_SECONDS + 1 }, true],
    ['expired exactly at the tolerance', { ...alice, exp: NOW_S - QLIK_JWT_CLOCK_TOLERANCE_SECONDS }, true],
    ['nbf within the tolerance', { ...alice, nbf: NOW_S + QLIK_JWT_CLOCK_TOLERANCE_SECONDS - 1 }, true],
    ['no exp at all', { userId: 'alice', userDirectory: 'DEMO' }, true],
    ['numeric user id', { userId: 1234, userDirectory: 'DEMO', exp: alice.exp }, true],
  ];
  it.each(rows)('%s', (_name, payload, ok) => {
    expect(verifyJwt(rawToken({ alg: 'RS256' }, payload), vp(), { now: NOW }).ok).toBe(ok);
  });

  it('a token without exp is taken with a note saying it never expires; a Bearer prefix is forgiven', () => {
    const verdict = verifyJwt(`Bearer ${rawToken({ alg: 'RS256' }, { userId: 'alice', userDirectory: 'DEMO' })}`, vp(), { now: NOW });
    expect(verdict.ok && verdict.notes.join(' ')).toMatch(/no "exp"/);
  });

  it('a public key PEM in the certificate field verifies as the certificate does', () => {
    const publicPem = new X509Certificate(pair.certificatePem).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(verifyJwt(rawToken({ alg: 'RS256' }, alice), vp({ jwtPublicKeyCertificate: publicPem }), { now: NOW }).ok).toBe(true);
  });
});

describe('formatAttributes: one line for the CLI and the console', () => {
  it('keeps the order, repeated keys and empty values, and says nothing for none', () => {
    expect(formatAttributes([{ Group: 'Sales' }, { Group: 'EMEA' }, { Flag: '' }])).toBe('Group=Sales, Group=EMEA, Flag=');
    expect(formatAttributes([{ 'a=b': 'c, d' }])).toBe('a=b=c, d');
    expect(formatAttributes([])).toBe('');
  });
});
