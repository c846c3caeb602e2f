// `usher proxies`: the site's virtual proxies as QRS describes them, and which proxy nodes link each.
import { prefixLabel } from '../../../shared/virtual-proxy';
import type { VirtualProxyConfig } from '../../core/qlik';
import * as v from 'valibot';
import { parseCommand, type Command } from '../command';
import { switchFlag } from '../flag-schema';
import { CONNECTION_FLAGS } from '../connection-flags';
import { PROFILE_FLAG, requireSiteUrl, SITE_INPUT, withSiteConnection } from '../site-connection';
import { printJson, printLine, formatTable } from '../output';

const USAGE = `
usage: usher proxies (--profile NAME | --qrs URL --ca root.pem (--cert client.pem --key client_key.pem | --pfx client.pfx)) [--json]

Lists the virtual proxies (prefix, authentication, session cookie, module) and the nodes linking each.
`;

const FLAGS = { ...CONNECTION_FLAGS, ...PROFILE_FLAG, json: { type: 'boolean' } } as const;

const PROXIES_INPUT = v.object({ json: switchFlag, ...SITE_INPUT });

const AUTH_METHODS = ['Ticket', 'Header (static)', 'Header (dynamic)', 'SAML', 'JWT', 'OIDC'];

export const proxiesCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const values = parseCommand(argv, FLAGS, PROXIES_INPUT, 'proxies');
    await withSiteConnection(values, async (site) => {
      const qrs = site.connection.qrs(requireSiteUrl(site, 'qrs'));
      const [virtualProxies, services] = await Promise.all([qrs.virtualProxies(), qrs.proxyServices()]);
      const linkedBy = (vp: VirtualProxyConfig): string[] =>
        services.filter((s) => s.settings.virtualProxies.some((l) => l.id === vp.id)).map((s) => s.serverNodeConfiguration.name);
      if (values.json) {
        printJson(virtualProxies.map((vp) => ({ ...vp, linkedNodes: linkedBy(vp) })));
        return;
      }
      printLine(`${virtualProxies.length} virtual prox${virtualProxies.length === 1 ? 'y' : 'ies'} on ${services.length} proxy node(s)`);
      printLine(
        formatTable(virtualProxies, [
          { header: 'Prefix', value: (vp) => prefixLabel(vp.prefix) },
          { header: 'Authentication', value: (vp) => AUTH_METHODS[vp.authenticationMethod] ?? String(vp.authenticationMethod) },
          { header: 'Session cookie', value: (vp) => vp.sessionCookieHeaderName },
          { header: 'Module', value: (vp) => vp.authenticationModuleRedirectUri || '-' },
          { header: 'Linked on', value: (vp) => linkedBy(vp).join(', ') || 'no node (unusable)' },
        ]),
      );
    });
  },
};
