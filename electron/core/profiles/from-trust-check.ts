// A profile from a trust check: the addresses the person gave and what QRS discovery reported (nodes
// with their proxy and QPS ports, virtual proxies). The CLI (`profile add`) and the console's trust
// wizard save the same shape; an existing profile keeps what a partial check could not learn.
import type { Profile, ProfileNode, ProfileVirtualProxy } from '../../../shared/profile';
import { profileIdFromName } from '../../../shared/profile';
import type { TrustCheckResult } from '../checks/trust-check';
import { proxyServiceUrls, type ProxyServiceConfig, type VirtualProxyConfig } from '../qlik';

export interface ProfileFromTrustCheckInput {
  name: string;
  /** Base URLs `https://host:port`, already normalised by the caller. */
  qps: string;
  qrs: string;
  /** Absent: the existing profile's, else ''. */
  defaultVirtualProxy?: string;
  defaultUserDirectory?: string;
  result: Pick<TrustCheckResult, 'proxyServices' | 'virtualProxies'>;
  /** The profile being replaced: keeps its id, creation time, certificates and earlier discovery. */
  existing?: Profile;
  now?: Date;
}

/** Each proxy service as a profile node. */
export function profileNodesFromServices(services: ProxyServiceConfig[]): ProfileNode[] {
  return services.map((s) => ({
    name: s.serverNodeConfiguration.name,
    hostName: s.serverNodeConfiguration.hostName,
    ...proxyServiceUrls(s),
    virtualProxies: s.settings.virtualProxies.map((vp) => vp.prefix),
  }));
}

export function profileVirtualProxies(virtualProxies: VirtualProxyConfig[]): ProfileVirtualProxy[] {
  return virtualProxies.map((vp) => ({
    id: vp.id,
    prefix: vp.prefix,
    description: vp.description,
    authenticationMethod: vp.authenticationMethod,
    sessionCookieHeaderName: vp.sessionCookieHeaderName,
    authenticationModuleRedirectUri: vp.authenticationModuleRedirectUri,
  }));
}

export function profileFromTrustCheck(input: ProfileFromTrustCheckInput): Profile {
  const { existing, result } = input;
  const now = (input.now ?? new Date()).toISOString();
  const services = result.proxyServices ?? [];
  return {
    id: existing?.id ?? profileIdFromName(input.name),
    name: input.name,
    qps: input.qps,
    qrs: input.qrs,
    defaultVirtualProxy: input.defaultVirtualProxy ?? existing?.defaultVirtualProxy ?? '',
    defaultUserDirectory: input.defaultUserDirectory ?? existing?.defaultUserDirectory ?? '',
    // An empty discovery (the check stopped early) must not wipe the nodes an earlier check found.
    nodes: services.length ? profileNodesFromServices(services) : (existing?.nodes ?? []),
    virtualProxies: result.virtualProxies ? profileVirtualProxies(result.virtualProxies) : (existing?.virtualProxies ?? []),
    discoveredAt: result.proxyServices ? now : existing?.discoveredAt,
    certificates: existing?.certificates,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
}
