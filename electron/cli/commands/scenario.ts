// `usher scenario shared-jar`: seed 003 side by side on any site. Opens app A as user A in tab 1 and app
// B as user B in tab 2, first in one shared cookie jar, then in a jar each, and shows per tab which
// requests (app page, selections and an export over the WebSocket, content-library image, export
// download) succeed and why.
import { DEMO_SHARED_JAR, probePathBase, probePathProblem, type SharedJarSide } from '../../../shared/shared-jar';
import { createNodeTabs } from '../../core/scenarios/node-tabs';
import { runSharedJarScenario } from '../../core/scenarios/shared-jar';
import { siteHooks } from '../../core/scenarios/shared-jar-site';
import * as v from 'valibot';
import { parseFlags, type Command } from '../command';
import { flagInput, formatFlag, userFlag } from '../flag-schema';
import { CONNECTION_FLAGS } from '../connection-flags';
import { CommandFailed, UsageError } from '../errors';
import { printJson, printLine } from '../output';
import { formatSharedJarReport } from '../shared-jar-output';
import { runSocketScenario, SOCKET_USAGE } from './scenario-socket';
import { auditSite, HUB_INPUT, PROFILE_FLAG, requireSiteUrl, SITE_INPUT, siteProxy, siteVirtualProxy, withSiteConnection } from '../site-connection';

const USAGE = `
usage: usher scenario shared-jar [--profile NAME | --qps URL --hub URL --ca root.pem (--cert client.pem --key client_key.pem | --pfx client.pfx)]
                                 [--vp PREFIX] [--app-a ID --user-a DIR\\ID --app-b ID --user-b DIR\\ID]
                                 [--image-a PATH] [--image-b PATH] [--export-a PATH] [--export-b PATH]
                                 [--reason TEXT] [--format table|json]

Seed 003 side by side: opens app A as user A in tab 1 and app B as user B in tab 2, first with both
tabs in one shared cookie jar, then in a jar each. Each tab opens its app page and the engine
WebSocket, makes a selection and starts an export over the socket, and asks for a content-library
image and the exported file over HTTP. Expected: in the shared jar tab 1's WebSocket keeps working as
user A while its HTTP requests fail (its session cookie now belongs to user B); in isolated jars
everything succeeds. Exit 0 only if that is what the site did. Tickets and sessions are audited; the
sessions made are ended afterwards through QPS.

  --profile NAME   a saved profile (default: demo, the built-in site, with its MASHUP users)
  --hub URL        the proxy's address when connecting by flags, e.g. https://qlik.example.com
  --vp PREFIX      the ticket virtual proxy (default: the profile's, 'ticket' on the demo)
  --app-a/--user-a the app and user of tab 1; --app-b/--user-b those of tab 2 (all four on a real site)
  --image-a PATH   an image of app A's content library, below the virtual proxy (default appcontent/<app>/logo.png)
  --export-a PATH  a finished export of app A, below the virtual proxy (default: the file tab 1's own export wrote)
  --format F       table (default) or json
`;

const FLAGS = {
  ...CONNECTION_FLAGS,
  ...PROFILE_FLAG,
  hub: { type: 'string' },
  vp: { type: 'string' },
  'app-a': { type: 'string' },
  'user-a': { type: 'string' },
  'app-b': { type: 'string' },
  'user-b': { type: 'string' },
  'image-a': { type: 'string' },
  'image-b': { type: 'string' },
  'export-a': { type: 'string' },
  'export-b': { type: 'string' },
  reason: { type: 'string' },
  format: { type: 'string' },
} as const;

/** The flags of `usher scenario shared-jar` read into typed values; the sides are completed with the site's defaults. */
const SHARED_JAR_INPUT = v.object({
  format: formatFlag(['table', 'json']),
  'user-a': userFlag('user-a', 'MASHUP\\a1-sales'),
  'user-b': userFlag('user-b', 'MASHUP\\a1-sales'),
  'app-a': v.optional(v.string()),
  'app-b': v.optional(v.string()),
  'image-a': v.optional(v.string()),
  'image-b': v.optional(v.string()),
  'export-a': v.optional(v.string()),
  'export-b': v.optional(v.string()),
  vp: v.optional(v.string()),
  reason: v.optional(v.string()),
  ...HUB_INPUT,
  ...SITE_INPUT,
});

type Values = v.InferOutput<typeof SHARED_JAR_INPUT>;

/** An --image-x / --export-x path as the console's form checks it; refused as a usage error. */
function probePath(values: Values, kind: 'image' | 'export', which: 'a' | 'b', virtualProxy: string): string | undefined {
  const flag = `${kind}-${which}` as const;
  const text = values[flag];
  if (text === undefined) return undefined;
  const problem = probePathProblem(kind, text, virtualProxy);
  if (problem) throw new UsageError(`--${flag} ${JSON.stringify(text)} is not a path below ${probePathBase(virtualProxy)} on the site`, problem);
  return text.trim();
}

function side(values: Values, which: 'a' | 'b', fallback: SharedJarSide | undefined, virtualProxy: string): SharedJarSide {
  const app = values[`app-${which}`];
  const given = values[`user-${which}`];
  if ((app === undefined || given === undefined) && !fallback) {
    throw new UsageError(
      `--app-${which} and --user-${which} are required on this site`,
      'pick two apps and two users that may each open only their own app, e.g. --app-a <app id> --user-a "MASHUP\\a1"',
    );
  }
  const user = given ?? fallback!;
  const image = probePath(values, 'image', which, virtualProxy);
  const exportPath = probePath(values, 'export', which, virtualProxy);
  return {
    userDirectory: user.userDirectory,
    userId: user.userId,
    appId: app ?? fallback!.appId,
    ...(image !== undefined ? { image } : {}),
    ...(exportPath !== undefined ? { export: exportPath } : {}),
  };
}

export const scenarioCommand: Command = {
  usage: `${USAGE}${SOCKET_USAGE}`,
  async run(argv) {
    if (argv[0] === 'socket') return runSocketScenario(argv.slice(1));
    const { values: words, positionals } = parseFlags(argv, FLAGS, 'scenario', true);
    if (positionals.length !== 1 || positionals[0] !== 'shared-jar') {
      throw new UsageError(`unknown scenario "${positionals.join(' ')}"`, 'scenarios: shared-jar, socket (usher help scenario)');
    }
    const values = flagInput(SHARED_JAR_INPUT, words, 'scenario');
    const { format } = values;
    // Without any site, the built-in one: the scenario is meant to be seen before it is met.
    const siteValues = values.profile === undefined && values.qps === undefined ? { ...values, profile: 'demo' } : values;
    // On the built-in site's own virtual proxy the paths can be checked before the site starts (a few
    // seconds of keys and certificates): a mistyped path is refused at once.
    if (siteValues.profile === 'demo' && values.vp === undefined) {
      for (const which of ['a', 'b'] as const) for (const kind of ['image', 'export'] as const) probePath(values, kind, which, DEMO_SHARED_JAR.virtualProxy);
    }

    await withSiteConnection(siteValues, async (site) => {
      const demo = site.profile?.builtIn === true;
      // The virtual proxy first: the image and export paths are checked against its prefix.
      const virtualProxy = siteVirtualProxy(site, values.vp, demo ? DEMO_SHARED_JAR.virtualProxy : undefined);
      const a = side(values, 'a', demo ? DEMO_SHARED_JAR.a : undefined, virtualProxy);
      const b = side(values, 'b', demo ? DEMO_SHARED_JAR.b : undefined, virtualProxy);
      const qps = requireSiteUrl(site, 'qps');
      const proxy = siteProxy(site, values.hub);
      if (!proxy) throw new UsageError('--hub is required: the proxy the tabs open the apps on', 'for example --hub https://qlik.example.com');
      const cookieName = site.profile?.virtualProxies.find((vp) => vp.prefix === virtualProxy)?.sessionCookieHeaderName;
      const report = await runSharedJarScenario({
        proxy,
        virtualProxy,
        a,
        b,
        tabs: createNodeTabs({ ca: site.caPem, proxy }),
        ...siteHooks({
          connection: site.connection,
          qps,
          virtualProxy,
          audit: site.audit,
          ...(await auditSite(site, qps)),
          reason: values.reason ?? 'usher scenario shared-jar',
        }),
        ...(cookieName ? { sessionCookieName: cookieName } : {}),
        onProgress: (p) => {
          if (format === 'table') printLine(`${p.ok ? 'as expected' : 'UNEXPECTED '} ${p.case} ${p.step}/${p.of}: ${p.title} - ${p.detail}`);
        },
      });
      if (format === 'json') printJson(report);
      else printLine(`\n${formatSharedJarReport(report)}`);
      if (!report.asExpected) throw new CommandFailed('the outcomes are not what seed 003 predicts (see above)');
    });
  },
};
