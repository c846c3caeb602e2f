// Every rule with a setup that triggers it and one that does not.
import { describe, expect, it } from 'vitest';
import { checkVirtualProxies, type VpCheckInput } from '../../electron/core/checks/virtual-proxy-checks';
import { domainCovers } from '../../electron/core/sessions/cookie-sessions';
import type { ProxyServiceConfig, VirtualProxyConfig } from '../../electron/core/qlik';
import type { VpRuleId } from '../../shared/vp-findings';

const NODE = { id: 'n1', name: 'central', hostName: 'qlik.corp.example' };
const ORIGIN = 'https://portal.example.com';

function vp(prefix: string, overrides: Partial<VirtualProxyConfig> = {}): VirtualProxyConfig {
  return {
    id: `vp-${prefix || 'default'}`,
    prefix,
    description: prefix || 'Central Proxy (Default)',
    sessionCookieHeaderName: prefix ? `X-Qlik-Session-${prefix}` : 'X-Qlik-Session',
    sessionCookieDomain: '',
    authenticationModuleRedirectUri: prefix ? 'https://auth.corp.example/login' : '',
    authenticationMethod: 0,
    anonymousAccessMode: 0,
    loadBalancingServerNodes: [NODE],
    websocketCrossOriginWhiteList: ['portal.example.com'],
    sessionInactivityTimeout: 30,
    additionalResponseHeaders: `Access-Control-Allow-Origin: ${ORIGIN}\nAccess-Control-Allow-Credentials: true\nAccess-Control-Expose-Headers: qlik-csrf-token`,
    hasSecureAttributeHttps: true,
    sameSiteAttributeHttps: 1,
    hasSecureAttributeHttp: false,
    sameSiteAttributeHttp: 0,
    extendedSecurityEnvironment: false,
    defaultVirtualProxy: prefix === '',
    windowsAuthenticationEnabledDevicePattern: 'Windows',
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
    expect((await rules(site([vp('open', { anonymousAccessMode: 1, authenticationModuleRedirectUri: '' })]))).sort()).toEqual(['anonymous-access', 'ticket-without-module']);
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
