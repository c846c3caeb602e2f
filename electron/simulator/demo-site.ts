// The built-in demo site, and generators of larger sites for scale tests and the benchmark.
import { parseSiteDescription, type SiteDescription } from './site';

/** The demo module's address; a ticket virtual proxy sends browsers there (the console's own module later). */
export const DEMO_AUTH_MODULE_URI = 'https://localhost:9443/usher-auth/login';

/**
 * Two nodes, the default virtual proxy, a ticket one with an external authentication module and a
 * header one; apps guarded the way seed 003 guards them: a MASHUP user may open only the app whose id
 * is its user id.
 */
export function demoSite(): SiteDescription {
  return parseSiteDescription({
    name: 'Usher demo site',
    nodes: [
      { id: 'node-central', name: 'central', hostName: 'localhost', virtualProxies: ['vp-default', 'vp-ticket', 'vp-header'] },
      { id: 'node-rim1', name: 'rim1', hostName: 'localhost', virtualProxies: ['vp-default', 'vp-ticket'] },
    ],
    virtualProxies: [
      { id: 'vp-default', prefix: '' },
      {
        id: 'vp-ticket',
        prefix: 'ticket',
        description: 'Ticket authentication through an external module',
        authenticationModuleRedirectUri: DEMO_AUTH_MODULE_URI,
        sameSiteAttributeHttps: 1,
        websocketCrossOriginWhiteList: ['localhost'],
      },
      {
        id: 'vp-header',
        prefix: 'header',
        description: 'Static header authentication',
        authenticationMethod: 1,
        headerAuthenticationHeaderName: 'X-Usher-User',
        headerAuthenticationStaticUserDirectory: 'HEADER',
      },
    ],
    users: [
      { userDirectory: 'MASHUP', userId: 'a1-sales', name: 'Mashup user for Sales' },
      { userDirectory: 'MASHUP', userId: 'a2-finance', name: 'Mashup user for Finance' },
      { userDirectory: 'MASHUP', userId: 'a3-hr', name: 'Mashup user for HR' },
      { userDirectory: 'DEMO', userId: 'alice', name: 'Alice Analyst' },
      { userDirectory: 'DEMO', userId: 'bob', name: 'Bob Builder' },
    ],
    apps: [
      { id: 'a1-sales', name: 'Sales', images: ['logo.png', 'map.png'] },
      { id: 'a2-finance', name: 'Finance', images: ['logo.png'] },
      { id: 'a3-hr', name: 'HR', images: ['logo.png'] },
    ],
    rules: [
      { name: 'MASHUP users open the app whose id is their user id', appIds: '*', userDirectory: 'MASHUP', userId: '{app.id}' },
      { name: 'DEMO users open every app', appIds: '*', userDirectory: 'DEMO' },
    ],
  });
}

export interface GeneratedSiteOptions {
  nodes: number;
  virtualProxies: number;
  users?: number;
}

/** A site of `nodes` nodes, each linking every one of `virtualProxies` ticket virtual proxies. */
export function generateSite(opts: GeneratedSiteOptions): SiteDescription {
  const vps = Array.from({ length: Math.max(0, opts.virtualProxies - 1) }, (_, i) => ({
    id: `vp-${i + 1}`,
    prefix: `vp${i + 1}`,
    authenticationModuleRedirectUri: DEMO_AUTH_MODULE_URI,
  }));
  const vpIds = ['vp-default', ...vps.map((vp) => vp.id)];
  const userCount = opts.users ?? 50;
  return parseSiteDescription({
    name: `Generated site (${opts.nodes} nodes, ${opts.virtualProxies} virtual proxies)`,
    nodes: Array.from({ length: opts.nodes }, (_, i) => ({
      id: `node-${i + 1}`,
      name: `node${i + 1}`,
      hostName: 'localhost',
      virtualProxies: vpIds,
    })),
    virtualProxies: [{ id: 'vp-default', prefix: '' }, ...vps],
    users: Array.from({ length: userCount }, (_, i) => ({ userDirectory: 'GEN', userId: `user${i + 1}` })),
    apps: [{ id: 'app-1', name: 'Generated app' }],
    rules: [{ name: 'everyone', appIds: '*' }],
    // Scale tests hold many sessions per generated user.
    maxParallelSessionsPerUser: 1_000_000,
  });
}
