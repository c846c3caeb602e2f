// Where a proxy service QRS lists can be reached: its QPS and its proxy front end, by the host name the
// node is registered with (the name its server certificate carries).
import type { ProxyServiceConfig } from './types';

export function proxyServiceUrls(service: ProxyServiceConfig): { qps: string; proxy: string } {
  const hostName = service.serverNodeConfiguration.hostName;
  // An IPv6 host name needs brackets in a URL.
  const host = hostName.includes(':') ? `[${hostName}]` : hostName;
  return { qps: `https://${host}:${service.settings.restListenPort}`, proxy: `https://${host}:${service.settings.listenPort}` };
}
