// `usher scenario socket`: the engine WebSocket of a mashup, diagnosed. Logs a user in on a virtual proxy
// by the chosen method, opens the socket as a page on --origin would (cookie, qlik-csrf-token, Origin) and
// prints one line per piece, the first missing one with its QMC fix. Exit 1 when a piece is missing.
import { loginMethodsOf, LOGIN_METHODS, type LoginMethod } from '../../../shared/login-as';
import { socketFindingLine, SOCKET_PIECE_TITLES } from '../../../shared/socket-diagnosis';
import { runSocketCheck } from '../../core/checks/socket-check';
import * as v from 'valibot';
import { parseCommand } from '../command';
import { formatFlag, readFlag, requiredFlag, userFlag } from '../flag-schema';
import { CONNECTION_FLAGS } from '../connection-flags';
import { CommandFailed, UsageError } from '../errors';
import { printJson, printLine } from '../output';
import { auditSite, HUB_INPUT, PROFILE_FLAG, requireSiteUrl, SITE_INPUT, siteProxy, siteVirtualProxy, withSiteConnection } from '../site-connection';

export const SOCKET_USAGE = `
usage: usher scenario socket --origin URL [--profile NAME | --qps URL --qrs URL --hub URL --ca root.pem (--cert client.pem --key client_key.pem | --pfx client.pfx)]
                             [--vp PREFIX] [--method ticket|session|header] [--user DIR\\ID] [--reason TEXT] [--format table|json]

The engine WebSocket as a mashup on --origin opens it (Qlik's November 2024 rules): the user is logged in
on the virtual proxy by --method (default: the virtual proxy's own), the session cookie kept, the
qlik-csrf-token fetched with it and the page's Origin, and wss://.../{prefix}/app/engineData opened with
cookie, token and Origin. One line per piece: session cookie, SameSite, CSRF token, origin in the allow
list, engine socket; the first missing one names its QMC fix. The session made is audited and ended.

  --origin URL   the mashup page's origin, e.g. https://mashup.example.com
  --vp PREFIX    the virtual proxy (default: the profile's; 'ticket' on the demo)
  --user DIR\\ID  who logs in (default on the demo: DEMO\\alice, HEADER\\carol on a static header proxy)
`;

const FLAGS = {
  ...CONNECTION_FLAGS,
  ...PROFILE_FLAG,
  hub: { type: 'string' },
  qrs: { type: 'string' },
  vp: { type: 'string' },
  origin: { type: 'string' },
  method: { type: 'string' },
  user: { type: 'string' },
  reason: { type: 'string' },
  format: { type: 'string' },
} as const;

/** A mashup page's origin given as `--flag URL`: https, reduced to its origin. */
export function parseSocketOrigin(value: string | undefined, flag = 'origin'): string {
  if (value === undefined) throw new UsageError(`--${flag} is required: the mashup page's origin`, `for example --${flag} https://mashup.example.com`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${flag} ${JSON.stringify(value)} is not a URL`, 'give it as https://host[:port]');
  }
  if (url.protocol !== 'https:')
    throw new UsageError(`--${flag} ${JSON.stringify(value)} is not https`, 'a mashup that opens the engine socket is served over https');
  return url.origin;
}

/** A JWT login needs the profile's signing pair: the console does it; here the three others. */
const SCENARIO_METHODS = LOGIN_METHODS.filter((m) => m !== 'jwt');

function readMethod(text: string): LoginMethod {
  const method = SCENARIO_METHODS.find((m) => m === text);
  if (!method) throw new UsageError(`--method ${JSON.stringify(text)} is not a login method this scenario makes`, `methods: ${SCENARIO_METHODS.join(', ')}`);
  return method;
}

/** The flags of `usher scenario socket` read into runSocketCheck's input, less the site and its defaults. */
const SOCKET_INPUT = v.object({
  format: formatFlag(['table', 'json']),
  origin: requiredFlag(parseSocketOrigin, "--origin is required: the mashup page's origin", 'for example --origin https://mashup.example.com'),
  method: readFlag(readMethod),
  user: userFlag('user'),
  vp: v.optional(v.string()),
  reason: v.optional(v.string()),
  ...HUB_INPUT,
  ...SITE_INPUT,
});

export async function runSocketScenario(argv: string[]): Promise<void> {
  const values = parseCommand(argv, FLAGS, SOCKET_INPUT, 'scenario socket');
  const { format, origin } = values;
  const siteValues = values.profile === undefined && values.qps === undefined ? { ...values, profile: 'demo' } : values;
  await withSiteConnection(siteValues, async (site) => {
    const demo = site.profile?.builtIn === true;
    const prefix = siteVirtualProxy(site, values.vp, demo ? 'ticket' : undefined);
    const qrs = requireSiteUrl(site, 'qrs');
    // Without --method, the virtual proxy's own, as QRS says (the profile may not list every one).
    const known = values.method === undefined ? await site.connection.qrs(qrs).virtualProxy(prefix) : undefined;
    const method = values.method ?? (known ? loginMethodsOf(known.authenticationMethod)[0]! : 'ticket');
    const fallbackUser = demo ? (method === 'header' ? { userDirectory: 'HEADER', userId: 'carol' } : { userDirectory: 'DEMO', userId: 'alice' }) : undefined;
    const user = values.user ?? fallbackUser;
    if (user === undefined) throw new UsageError('--user is required on this site', 'for example --user "MYDOMAIN\\alice"');
    const qps = requireSiteUrl(site, 'qps');
    const proxy = siteProxy(site, values.hub);
    if (!proxy) throw new UsageError('--hub is required: the proxy the mashup opens the socket on', 'for example --hub https://qlik.example.com');
    const diagnosis = await runSocketCheck({
      connection: site.connection,
      qps,
      qrs,
      proxy,
      ca: site.caPem,
      prefix,
      origin,
      method,
      user,
      audit: site.audit,
      ...(await auditSite(site, qps)),
      reason: values.reason ?? 'usher scenario socket',
    });
    if (format === 'json') printJson(diagnosis);
    else for (const finding of diagnosis.findings) printLine(socketFindingLine(finding));
    if (diagnosis.firstMissing)
      throw new CommandFailed(
        `a mashup on ${origin} cannot open the engine socket: ${SOCKET_PIECE_TITLES[diagnosis.firstMissing]} missing (see its fix above)`,
      );
  });
}
