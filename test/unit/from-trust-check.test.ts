// The profile a trust check produces, shared by `usher profile add` and the console's trust wizard.
import { describe, expect, it } from 'vitest';
import { profileFromTrustCheck } from '../../electron/core/profiles/from-trust-check';
import { demoProfile } from '../../electron/core/profiles/demo-profile';
import { validateProfile, type Profile } from '../../shared/profile';
import type { ProxyServiceConfig, VirtualProxyConfig } from '../../electron/core/qlik';

const vp = {
  id: 'vp1',
  prefix: 'ticket',
  description: 'Ticket',
  sessionCookieHeaderName: 'X-Qlik-Session-ticket',
  authenticationModuleRedirectUri: 'https://m/login',
  authenticationMethod: 0,
} as VirtualProxyConfig;
const service = {
  id: 's1',
  settings: { listenPort: 443, restListenPort: 4243, allowHttp: false, virtualProxies: [vp] },
  serverNodeConfiguration: { name: 'central', hostName: 'fe80::1' },
} as ProxyServiceConfig;

describe('profileFromTrustCheck', () => {
  it('turns discovery into nodes (IPv6 bracketed) and virtual proxies, valid as a profile', () => {
    const profile = profileFromTrustCheck({
      name: 'Prod (EU)',
      qps: 'https://qlik:4243',
      qrs: 'https://qlik:4242',
      defaultVirtualProxy: 'ticket',
      result: { proxyServices: [service], virtualProxies: [vp] },
      now: new Date('2026-02-01T00:00:00Z'),
    });
    expect(profile.id).toBe('prod-eu');
    expect(profile.nodes).toEqual([
      { name: 'central', hostName: 'fe80::1', qps: 'https://[fe80::1]:4243', proxy: 'https://[fe80::1]:443', virtualProxies: ['ticket'] },
    ]);
    expect(profile.virtualProxies[0]).toMatchObject({ prefix: 'ticket', sessionCookieHeaderName: 'X-Qlik-Session-ticket' });
    expect(profile.discoveredAt).toBe('2026-02-01T00:00:00.000Z');
    expect(profile.defaultUserDirectory).toBe('');
    expect(validateProfile(profile).ok).toBe(true);
  });

  it('keeps what an existing profile knew when the check stopped before discovery', () => {
    const existing: Profile = {
      ...demoProfile(),
      id: 'prod',
      name: 'Prod',
      builtIn: undefined,
      defaultUserDirectory: 'CORP',
      nodes: [{ name: 'n', hostName: 'h', qps: 'https://h:4243', virtualProxies: [] }],
      discoveredAt: '2025-01-01T00:00:00.000Z',
    };
    const profile = profileFromTrustCheck({ name: 'Prod', qps: 'https://h:4243', qrs: 'https://h:4242', result: {}, existing });
    expect(profile.id).toBe('prod');
    expect(profile.nodes).toEqual(existing.nodes);
    expect(profile.discoveredAt).toBe('2025-01-01T00:00:00.000Z');
    expect(profile.defaultUserDirectory).toBe('CORP');
    expect(profile.createdAt).toBe(existing.createdAt);
  });
});
