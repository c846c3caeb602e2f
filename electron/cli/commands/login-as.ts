// `usher login-as`: the console's Log in as from a terminal. The core's logInAs (the same operation, so
// the same refusals, judgement and audit records) runs in a Node tab on the proxy instead of a partition
// window; the command prints whether a session was established for the user, and exits 1 when not.
import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { LOGIN_METHODS, type LoginMethod } from '../../../shared/login-as';
import { prefixLabel } from '../../../shared/virtual-proxy';
import { logInAs } from '../../core/operations/log-in-as';
import { openNodeTab, type NodeTab } from '../../core/scenarios/node-tabs';
import type { OpenTarget } from '../../core/sessions/redemption';
import { parseCommand, type Command } from '../command';
import { CONNECTION_FLAGS } from '../connection-flags';
import { CommandFailed, UsageError } from '../errors';
import { attributesFlag, readFlag, requiredFlag, readUser, switchFlag } from '../flag-schema';
import { formatTable, printJson, printLine } from '../output';
import { auditSite, HUB_INPUT, PROFILE_FLAG, requireSiteUrl, SITE_INPUT, siteProxy, siteVirtualProxy, withSiteConnection } from '../site-connection';

const USAGE = `
usage: usher login-as (--profile NAME | --qps URL --qrs URL --hub URL --ca root.pem (--cert client.pem --key client_key.pem | --pfx client.pfx))
                      --user DIR\\ID [--method ticket|session|header] [--virtual-proxy PREFIX] [--attr KEY=VALUE ...]
                      [--app ID | --url URL] [--reason TEXT] [--json]

Logs a user in on a virtual proxy as the console's Log in as does, in a fresh cookie jar: by a ticket,
a session made through QPS's session API, or the virtual proxy's header. QRS must say the virtual proxy
takes the method. Then the hub (or --app, or a --url on the proxy) is opened and the session judged: the
virtual proxy's session cookie is set and the proxy's personal API names the user. The session is
audited (end it with usher sessions --kill-created). Exit 1 when no session was established.

  --method M             ticket (default), session or header (a JWT login needs the console's signing pair)
  --virtual-proxy PREFIX the virtual proxy's prefix (default: the profile's)
  --hub URL              the proxy browsers reach, https://host[:port] (a profile knows it)
  --attr KEY=VALUE       a session attribute (ticket and session API); repeat it
`;

const FLAGS = {
  ...CONNECTION_FLAGS,
  ...PROFILE_FLAG,
  user: { type: 'string' },
  method: { type: 'string' },
  'virtual-proxy': { type: 'string' },
  attr: { type: 'string', multiple: true },
  app: { type: 'string' },
  url: { type: 'string' },
  hub: { type: 'string' },
  reason: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** A JWT login needs the profile's signing pair, which the console holds: here the three others. */
const CLI_METHODS = LOGIN_METHODS.filter((m) => m !== 'jwt');

function readMethod(text: string): LoginMethod {
  const method = CLI_METHODS.find((m) => m === text);
  if (!method) {
    const hint = text === 'jwt' ? 'log in by JWT from the console (its JWT tools hold the signing pair)' : `methods: ${CLI_METHODS.join(', ')}`;
    throw new UsageError(`--method ${JSON.stringify(text)} is not a login method usher login-as makes`, hint);
  }
  return method;
}

const LOGIN_INPUT = v.object({
  user: requiredFlag((text) => readUser('user', text), '--user is required', 'for example --user "MYDOMAIN\\alice" (or MYDOMAIN/alice)'),
  method: readFlag(readMethod),
  'virtual-proxy': v.optional(v.string()),
  attr: attributesFlag,
  app: v.optional(v.string()),
  url: v.optional(v.string()),
  reason: v.optional(v.string()),
  json: switchFlag,
  ...HUB_INPUT,
  ...SITE_INPUT,
});

function readTarget(app: string | undefined, url: string | undefined): OpenTarget {
  if (app !== undefined && url !== undefined) throw new UsageError('--app and --url name two targets', 'give one of them, or neither for the hub');
  if (app !== undefined) return { kind: 'app', appId: app };
  if (url !== undefined) return { kind: 'url', url };
  return { kind: 'hub' };
}

export const loginAsCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const values = parseCommand(argv, FLAGS, LOGIN_INPUT, 'login-as');
    const target = readTarget(values.app, values.url);
    const method = values.method ?? 'ticket';
    await withSiteConnection(values, async (site) => {
      const qps = requireSiteUrl(site, 'qps');
      const qrs = requireSiteUrl(site, 'qrs');
      const proxy = siteProxy(site, values.hub);
      if (!proxy) throw new UsageError('--hub is required (or --profile NAME): the proxy to log in through', 'for example --hub https://qlik.example.com');
      const prefix = siteVirtualProxy(site, values['virtual-proxy']);
      const { profile, node } = await auditSite(site, qps);
      let tab: NodeTab | undefined;
      try {
        const { result } = await logInAs({
          connection: site.connection,
          qrs,
          qps,
          node: { name: node, proxy },
          siteName: site.profile?.name ?? 'The site',
          virtualProxy: prefix,
          method,
          user: values.user,
          attributes: values.attr,
          target,
          audit: { log: site.audit, profile },
          ...(values.reason !== undefined ? { reason: values.reason } : {}),
          openPage: async () => {
            const page = (tab = openNodeTab({ ca: site.caPem, proxy, partitionId: `usher-login-${randomUUID().slice(0, 8)}` }));
            return { page, abandon: () => page.close() };
          },
        });
        const shown = { method, virtualProxy: prefix, ...result };
        if (values.json) printJson(shown);
        else
          printLine(
            formatTable(
              Object.entries({ ...shown, virtualProxy: prefixLabel(prefix) }).map(([k, val]) => [k, String(val)]),
              TABLE,
            ),
          );
        if (!result.established) throw new CommandFailed(`no session for the user: ${result.detail}`, 'the detail names the setting to check');
      } finally {
        await tab?.close();
      }
    });
  },
};

const TABLE = [
  { header: 'Field', value: (r: string[]) => r[0]! },
  { header: 'Value', value: (r: string[]) => r[1]! },
];
