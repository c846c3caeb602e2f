// `usher scenario socket`: the engine WebSocket of a mashup, diagnosed. Logs a user in on a virtual proxy
// by the chosen method, opens the socket as a page on --origin would (cookie, qlik-csrf-token, Origin) and
// prints one line per piece, the first missing one with its QMC fix. Exit 1 when a piece is missing.
import { loginMethodsOf, LOGIN_METHODS, type LoginMethod } from '../../../shared/login-as';
import { socketFindingLine, SOCKET_PIECE_TITLES } from '../../../shared/socket-diagnosis';
import { runSocketCheck } from '../../core/checks/socket-check';
import { parseFlags, parseFormat, parseUserFlag } from '../command';
import { CONNECTION_FLAGS } from '../connection-flags';
import { CommandFailed, UsageError } from '../errors';
import { printJson, printLine } from '../output';
import { auditSite, PROFILE_FLAG, requireSiteUrl, siteProxy, siteVirtualProxy, withSiteConnection } from '../site-connection';

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

export async function runSocketScenario(argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, FLAGS, 'scenario socket');
  const format = parseFormat(values.format, ['table', 'json']);
  const origin = parseSocketOrigin(values.origin);
  // A JWT login needs the profile's signing pair: the console does it; here the three others.
  const methods = LOGIN_METHODS.filter((m) => m !== 'jwt');
  if (values.method !== undefined && !(methods as readonly string[]).includes(values.method)) {
    throw new UsageError(`--method ${JSON.stringify(values.method)} is not a login method this scenario makes`, `methods: ${methods.join(', ')}`);
  }
  const siteValues = values.profile === undefined && values.qps === undefined ? { ...values, profile: 'demo' } : values;
  await withSiteConnection(siteValues, async (site) => {
    const demo = site.profile?.builtIn === true;
    const prefix = siteVirtualProxy(site, values.vp, demo ? 'ticket' : undefined);
    const qrs = requireSiteUrl(site, 'qrs');
    // Without --method, the virtual proxy's own, as QRS says (the profile may not list every one).
    const known = values.method === undefined ? await site.connection.qrs(qrs).virtualProxy(prefix) : undefined;
    const method = (values.method as LoginMethod | undefined) ?? (known ? loginMethodsOf(known.authenticationMethod)[0]! : 'ticket');
    const fallbackUser = demo ? (method === 'header' ? 'HEADER\\carol' : 'DEMO\\alice') : undefined;
    const userText = values.user ?? fallbackUser;
    if (userText === undefined) throw new UsageError('--user is required on this site', 'for example --user "MYDOMAIN\\alice"');
    const user = parseUserFlag('user', userText);
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
