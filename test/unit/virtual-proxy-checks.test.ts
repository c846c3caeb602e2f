// Every rule with a setup that triggers it and one that does not.
import { describe, expect, it } from 'vitest';
import { checkVirtualProxies, type VpCheckInput } from '../../electron/core/checks/virtual-proxy-checks';
import { domainCovers } from '../../electron/core/sessions/cookie-sessions';
import type { ProxyServiceConfig, VirtualProxyConfig } from '../../electron/core/qlik';
import type { VpRuleId } from '../../shared/vp-findings';
import { reservedHeaderProblem } from '../../shared/jwt';
import { generateSigningPair, importSigningPair } from '../../electron/core/jwt';
import { virtualProxyDefaults } from '../../electron/core/qlik/virtual-proxy';

const NODE = { id: 'n1', name: 'central', hostName: 'qlik.corp.example' };
const ORIGIN = 'https://portal.example.com';

function vp(prefix: string, overrides: Partial<VirtualProxyConfig> = {}): VirtualProxyConfig {
  return {
    ...virtualProxyDefaults(prefix),
    id: `vp-${prefix || 'default'}`,
    description: prefix || 'Central Proxy (Default)',
    authenticationModuleRedirectUri: prefix ? 'https://auth.corp.example/login' : '',
    loadBalancingServerNodes: [NODE],
    websocketCrossOriginWhiteList: ['portal.example.com'],
    additionalResponseHeaders: `Access-Control-Allow-Origin: ${ORIGIN}\nAccess-Control-Allow-Credentials: true\nAccess-Control-Expose-Headers: qlik-csrf-token`,
    sameSiteAttributeHttps: 1,
    ...overrides,
  };
}

function site(vps: VirtualProxyConfig[], linked = vps): Omit<VpCheckInput, 'origin'> {
  const proxy: ProxyServiceConfig = {
    id: 'p1',
    settings: { listenPort: 443, restListenPort: 4243, allowHttp: false, virtualProxies: linked },
    serverNodeConfiguration: NODE,
  };
  return { virtualProxies: vps, proxyServices: [proxy] };
}

async function rules(input: VpCheckInput): Promise<VpRuleId[]> {
  return (await checkVirtualProxies(input)).map((f) => f.rule);
}

describe('virtual proxy checks', () => {
  it('a well-configured site has no findings, embedding included', async () => {
    expect(await rules({ ...site([vp(''), vp('ticket')]), origin: ORIGIN })).toEqual([]);
  });

  it.each<[VpRuleId, () => VpCheckInput, string]>([
    ['duplicate-cookie-name', () => site([vp(''), vp('a', { sessionCookieHeaderName: 'X-Qlik-Session' })]), 'sessionCookieHeaderName'],
    ['not-linked', () => site([vp(''), vp('lonely')], [vp('')]), 'proxy link'],
    ['no-load-balancing', () => site([vp('ticket', { loadBalancingServerNodes: [] })]), 'loadBalancingServerNodes'],
    ['bad-prefix', () => site([vp('Sales')]), 'prefix'],
    // A sound prefix on a proxy flagged as default: the finding is about the flag, not the prefix.
    ['bad-prefix', () => site([vp(''), vp('second-default', { defaultVirtualProxy: true })]), 'defaultVirtualProxy'],
    ['ticket-without-module', () => site([vp('ticket', { authenticationModuleRedirectUri: '' })]), 'authenticationModuleRedirectUri'],
    ['module-not-https', () => site([vp('ticket', { authenticationModuleRedirectUri: 'http://auth.corp.example/login' })]), 'authenticationModuleRedirectUri'],
    ['header-without-name', () => site([vp('hdr', { authenticationMethod: 1, headerAuthenticationHeaderName: '' })]), 'headerAuthenticationHeaderName'],
    ['extreme-timeout', () => site([vp('ticket', { sessionInactivityTimeout: 2 })]), 'sessionInactivityTimeout'],
    ['anonymous-access', () => site([vp('ticket', { anonymousAccessMode: 2 })]), 'anonymousAccessMode'],
    ['cookie-domain', () => site([vp('ticket', { sessionCookieDomain: 'other.example' })]), 'sessionCookieDomain'],
    ['embed-host-not-allowed', () => ({ ...site([vp('ticket', { websocketCrossOriginWhiteList: [] })]), origin: ORIGIN }), 'websocketCrossOriginWhiteList'],
    ['embed-samesite', () => ({ ...site([vp('ticket', { sameSiteAttributeHttps: 2 })]), origin: ORIGIN }), 'sameSiteAttributeHttps'],
    ['embed-samesite', () => ({ ...site([vp('ticket', { hasSecureAttributeHttps: false })]), origin: ORIGIN }), 'hasSecureAttributeHttps'],
    ['embed-csrf-headers', () => ({ ...site([vp('ticket', { additionalResponseHeaders: '' })]), origin: ORIGIN }), 'additionalResponseHeaders'],
  ])('%s fires on the field %s names, with a problem and a fix', async (rule, make, field) => {
    const findings = (await checkVirtualProxies(make())).filter((f) => f.rule === rule);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]!.field).toBe(field);
    expect(findings[0]!.problem.length).toBeGreaterThan(20);
    expect(findings[0]!.fix.length).toBeGreaterThan(10);
  });

  it('the default virtual proxy may use the built-in Windows authentication (no module)', async () => {
    expect(await rules(site([vp('')]))).toEqual([]);
  });

  it('an always-anonymous ticket virtual proxy needs no module: only the anonymous access is reported', async () => {
    expect(await rules(site([vp('open', { anonymousAccessMode: 2, authenticationModuleRedirectUri: '' })]))).toEqual(['anonymous-access']);
    expect((await rules(site([vp('open', { anonymousAccessMode: 1, authenticationModuleRedirectUri: '' })]))).sort()).toEqual([
      'anonymous-access',
      'ticket-without-module',
    ]);
  });

  it('embedding rules only run for a given origin', async () => {
    expect(await rules(site([vp('ticket', { sameSiteAttributeHttps: 0, websocketCrossOriginWhiteList: [], additionalResponseHeaders: '' })]))).toEqual([]);
  });

  it('probes modules live and reports the ones that do not answer', async () => {
    const probed: string[] = [];
    const findings = await checkVirtualProxies({
      ...site([vp('a'), vp('b', { authenticationModuleRedirectUri: 'https://down.example/login', sessionCookieHeaderName: 'X-Qlik-Session-b' })]),
      probeModule: async (uri) => {
        probed.push(uri);
        return uri.includes('down') ? 'connection refused' : undefined;
      },
    });
    expect(probed.sort()).toEqual(['https://auth.corp.example/login', 'https://down.example/login']);
    expect(findings.map((f) => `${f.rule}:${f.virtualProxy}`)).toEqual(['module-unreachable:b']);
  });

  it('probes a module shared by several virtual proxies once, and reports it on each of them', async () => {
    const probed: string[] = [];
    const findings = await checkVirtualProxies({
      ...site([vp('a'), vp('b'), vp('c')]),
      probeModule: async (uri) => {
        probed.push(uri);
        return 'connection refused';
      },
    });
    expect(probed).toEqual(['https://auth.corp.example/login']);
    expect(findings.map((f) => `${f.rule}:${f.virtualProxy}`)).toEqual(['module-unreachable:a', 'module-unreachable:b', 'module-unreachable:c']);
  });

  it('orders errors before warnings', async () => {
    const findings = await checkVirtualProxies(site([vp('a', { sessionInactivityTimeout: 5000, loadBalancingServerNodes: [] })]));
    expect(findings.map((f) => f.severity)).toEqual(['error', 'warning']);
  });

  it('matches cookie domains as browsers do', () => {
    expect(domainCovers('.corp.example', 'qlik.corp.example')).toBe(true);
    expect(domainCovers('corp.example', 'corp.example')).toBe(true);
    expect(domainCovers('corp.example', 'evilcorp.example')).toBe(false);
  });
});

describe('JWT and header virtual proxy checks', () => {
  const pair = generateSigningPair();
  const other = generateSigningPair();
  const expired = importSigningPair({ keyPem: pair.keyPem, now: new Date(Date.now() - 3 * 365 * 86_400_000), validDays: 365 }).certificatePem;
  const jwt = (overrides: Partial<VirtualProxyConfig> = {}): VirtualProxyConfig =>
    vp('jwt', {
      authenticationMethod: 4,
      authenticationModuleRedirectUri: '',
      jwtPublicKeyCertificate: pair.certificatePem,
      jwtAttributeUserId: 'userId',
      jwtAttributeUserDirectory: 'userDirectory',
      jwtAttributeMap: [],
      ...overrides,
    });
  const hdr = (name: string): VirtualProxyConfig =>
    vp('hdr', {
      authenticationMethod: 1,
      authenticationModuleRedirectUri: '',
      headerAuthenticationHeaderName: name,
      headerAuthenticationStaticUserDirectory: 'PORTAL',
    });

  it('a well-set JWT virtual proxy for a mashup, with the key Usher holds, has no findings', async () => {
    expect(await rules({ ...site([jwt()]), origin: ORIGIN, jwtSigningCertificatePem: pair.certificatePem })).toEqual([]);
    expect(
      await rules(
        site([jwt({ jwtAttributeUserDirectory: '[PORTAL]', websocketCrossOriginWhiteList: [], additionalResponseHeaders: '', sameSiteAttributeHttps: 0 })]),
      ),
    ).toEqual([]);
  });

  it.each<[VpRuleId, () => VpCheckInput, string]>([
    ['jwt-certificate-missing', () => site([jwt({ jwtPublicKeyCertificate: '' })]), 'jwtPublicKeyCertificate'],
    [
      'jwt-certificate-unparseable',
      () => site([jwt({ jwtPublicKeyCertificate: '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----' })]),
      'jwtPublicKeyCertificate',
    ],
    ['jwt-certificate-expired', () => site([jwt({ jwtPublicKeyCertificate: expired })]), 'jwtPublicKeyCertificate'],
    ['jwt-key-mismatch', () => ({ ...site([jwt()]), jwtSigningCertificatePem: other.certificatePem }), 'jwtPublicKeyCertificate'],
    ['jwt-no-user-id', () => site([jwt({ jwtAttributeUserId: ' ' })]), 'jwtAttributeUserId'],
    ['jwt-no-directory', () => site([jwt({ jwtAttributeUserDirectory: '' })]), 'jwtAttributeUserDirectory'],
    ['jwt-no-directory', () => site([jwt({ jwtAttributeUserDirectory: '[ ]' })]), 'jwtAttributeUserDirectory'],
    ['jwt-mashup-csrf', () => site([jwt({ additionalResponseHeaders: '' })]), 'additionalResponseHeaders'],
    ['jwt-mashup-csrf', () => ({ ...site([jwt({ websocketCrossOriginWhiteList: ['other.example.com'] })]), origin: ORIGIN }), 'websocketCrossOriginWhiteList'],
    ['header-reserved-name', () => site([hdr('X-Qlik-User')]), 'headerAuthenticationHeaderName'],
  ])('%s fires on the field %s names, with a problem and a fix', async (rule, make, field) => {
    const findings = (await checkVirtualProxies(make())).filter((f) => f.rule === rule);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.field).toBe(field);
    expect(findings[0]!.fix.length).toBeGreaterThan(10);
  });

  it('the key check runs only when Usher holds a key, and only the first certificate problem is reported', async () => {
    expect(await rules(site([jwt({ jwtPublicKeyCertificate: other.certificatePem })]))).toEqual([]);
    expect(await rules({ ...site([jwt({ jwtPublicKeyCertificate: '' })]), jwtSigningCertificatePem: pair.certificatePem })).toEqual([
      'jwt-certificate-missing',
    ]);
  });

  it.each<[string, string | undefined]>([
    ['X-Qlik-User', 'X-Qlik-User is a header'],
    ['x-qlik-security', 'X-Qlik-Security is a header'],
    ['X-Qlik-ProxySession', 'X-Qlik-ProxySession is a header'],
    ['X-Qlik-Something-New', "in Qlik's own X-Qlik- header family"],
    ['Authorization', 'standard HTTP header'],
    ['cookie', 'standard HTTP header'],
    ['X-Usher-User', undefined],
    ['X-Portal-User', undefined],
    ['', undefined],
  ])('reserved header name %s', (name, problem) => {
    const found = reservedHeaderProblem(name);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});
