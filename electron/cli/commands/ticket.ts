// `usher ticket`: asks a node's QPS for a one-minute, single-use ticket, as an authentication module does.
import { prefixLabel } from '../../../shared/virtual-proxy';
import { randomUUID } from 'node:crypto';
import type { OpenResult } from '../../../shared/ipc/contract';
import { formatUser } from '../../../shared/user';
import { appendQlikTicket } from '../../../shared/ticket-url';
import { formatAttributes } from '../../../shared/jwt';
import { hasControlCharacters } from '../../../shared/terminal-text';
import { mintTicket } from '../../core/operations/mint-ticket';
import { openTicket, type OpenTicketInput } from '../../core/operations/open-login';
import { QlikError, type TicketResult } from '../../core/qlik';
import { openNodeTab } from '../../core/scenarios/node-tabs';
import { hubUrl, openTargetUrl, type OpenTarget } from '../../core/sessions/redemption';
import * as v from 'valibot';
import { parseCommand, type Command } from '../command';
import { CONNECTION_FLAGS } from '../connection-flags';
import { attributesFlag, readFlag, readUser, requiredFlag, switchFlag } from '../flag-schema';
import {
  auditSite,
  HUB_INPUT,
  PROFILE_FLAG,
  requireSiteUrl,
  SITE_INPUT,
  siteProxy,
  siteVirtualProxy,
  withSiteConnection,
  type SiteConnection,
} from '../site-connection';
import { CommandFailed, UsageError } from '../errors';
import { formatTable, printJson, printLine } from '../output';

const USAGE = `
usage: usher ticket (--profile NAME | --qps URL --ca root.pem (--cert client.pem --key client_key.pem | --pfx client.pfx))
                    --user DIR\\ID [--reason TEXT] [--virtual-proxy PREFIX] [--attr KEY=VALUE ...] [--target-id ID]
                    [--hub URL] [--open] [--json]

Requests a ticket (valid once, for one minute) for a user. With --hub (the proxy's base URL) or a
--target-id from an authentication-module redirect, also prints the URL that redeems it. With --open,
redeems it there in a fresh cookie jar, as the console's Tickets screen does, and says whether the
session was established (exit 1 when not); the session is audited (end it with usher sessions
--kill-created).

  --qps URL              the node's QPS, e.g. https://qlik.example.com:4243
  --virtual-proxy PREFIX the virtual proxy's prefix (default: the default virtual proxy)
  --attr KEY=VALUE       a session attribute; repeat it (keys may repeat, values may be empty)
  --target-id ID         the targetId the proxy gave the authentication module
  --profile NAME         a saved profile (usher profile list; 'demo' starts the built-in site)
  --reason TEXT          why, for the audit log
  --timeout-ms MS        per-request timeout (default 10000)
  Passphrases: USHER_PFX_PASSPHRASE / USHER_KEY_PASSPHRASE, or a prompt on a terminal.
`;

const FLAGS = {
  ...CONNECTION_FLAGS,
  ...PROFILE_FLAG,
  reason: { type: 'string' },
  user: { type: 'string' },
  'virtual-proxy': { type: 'string' },
  attr: { type: 'string', multiple: true },
  'target-id': { type: 'string' },
  hub: { type: 'string' },
  open: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** The targetId of a proxy's redirect: a GUID in practice, never empty, long or holding control characters. */
function readTargetId(targetId: string): string {
  if (targetId.trim() === '' || targetId.length > 255 || hasControlCharacters(targetId)) {
    const why = targetId.trim() === '' ? 'is empty' : targetId.length > 255 ? `has ${targetId.length} characters` : 'holds control characters';
    throw new UsageError(`--target-id ${why}`, "give the targetId from the proxy's redirect to the module (a GUID), or leave the flag out");
  }
  return targetId;
}

/** The flags of `usher ticket` read into the ticket request and how to show it (mintTicket's input, less the site). */
const TICKET_INPUT = v.object({
  user: requiredFlag((text) => readUser('user', text), '--user is required', 'for example --user "MYDOMAIN\\alice" (or MYDOMAIN/alice)'),
  attr: attributesFlag,
  'target-id': readFlag(readTargetId),
  ...HUB_INPUT,
  'virtual-proxy': v.optional(v.string()),
  reason: v.optional(v.string()),
  open: switchFlag,
  json: switchFlag,
  ...SITE_INPUT,
});

export type TicketInput = v.InferOutput<typeof TICKET_INPUT>;

/** Where `--open` redeems: the TargetUri of a proxy's redirect, else the hub (on the proxy either way). */
function openTarget(targetUri: string | undefined): OpenTarget {
  return targetUri ? { kind: 'url', url: targetUri } : { kind: 'hub' };
}

/** The virtual proxy's session cookie name: the profile's word, else QRS's when it is known and answers. */
async function sessionCookieName(site: SiteConnection, prefix: string): Promise<string | undefined> {
  const known = site.profile?.virtualProxies.find((vp) => vp.prefix === prefix);
  if (known || !site.qrs) return known?.sessionCookieHeaderName;
  try {
    return (await site.connection.qrs(site.qrs).virtualProxy(prefix))?.sessionCookieHeaderName;
  } catch (err) {
    if (err instanceof QlikError) return undefined;
    throw err;
  }
}

/**
 * `--open`: the ticket redeemed in a Node tab on the proxy, as the console's Tickets screen opens it in a
 * partition (the same operation, so the same judgement and the same session-create record).
 */
async function openInNodeTab(site: SiteConnection, input: Omit<OpenTicketInput, 'page' | 'url' | 'sessionCookieName'> & { proxy: string; targetUri?: string }) {
  const url = openTargetUrl(input.proxy, input.virtualProxy, openTarget(input.targetUri));
  const cookieName = await sessionCookieName(site, input.virtualProxy);
  const tab = openNodeTab({ ca: site.caPem, proxy: input.proxy, partitionId: `usher-ticket-${randomUUID().slice(0, 8)}` });
  try {
    const { result } = await openTicket({ ...input, page: tab, url, ...(cookieName !== undefined ? { sessionCookieName: cookieName } : {}) });
    return result;
  } finally {
    await tab.close();
  }
}

export const ticketCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const values = parseCommand(argv, FLAGS, TICKET_INPUT, 'ticket');
    const { user, attr: attributes, 'target-id': targetId } = values;
    await withSiteConnection(values, async (site) => {
      const qps = requireSiteUrl(site, 'qps');
      const hub = siteProxy(site, values.hub);
      if (values.open && !hub)
        throw new UsageError('--open needs the proxy to open the ticket on', 'add --hub https://qlik.example.com (or use --profile NAME)');
      const prefix = siteVirtualProxy(site, values['virtual-proxy']);
      const { profile, node } = await auditSite(site, qps);
      const audit = { log: site.audit, profile };
      const result = await mintTicket({
        connection: site.connection,
        qps,
        virtualProxy: prefix,
        request: { ...user, attributes, ...(targetId !== undefined ? { targetId } : {}) },
        node,
        reason: values.reason ?? 'usher ticket',
        audit,
      });
      const landing = result.targetUri ?? (hub ? hubUrl(hub, prefix) : undefined);
      const redirectUrl = landing ? appendQlikTicket(landing, result.ticket) : undefined;
      const validUntil = new Date(Date.now() + 60_000).toISOString();
      const opened =
        values.open && hub
          ? await openInNodeTab(site, {
              proxy: hub,
              ticket: result.ticket,
              virtualProxy: prefix,
              user: result,
              node,
              audit,
              ...(values.reason ? { reason: values.reason } : {}),
              ...(result.targetUri ? { targetUri: result.targetUri } : {}),
            })
          : undefined;
      if (values.json) printJson({ ...result, virtualProxy: prefix, validUntil, redirectUrl, ...(opened ? { opened } : {}) });
      else printTicket(result, prefix, validUntil, redirectUrl, opened);
      if (opened && !opened.established)
        throw new CommandFailed(`the ticket did not open a session: ${opened.detail}`, 'see the detail: it names the setting to check');
    });
  },
};

function printTicket(result: TicketResult, prefix: string, validUntil: string, redirectUrl: string | undefined, opened: OpenResult | undefined): void {
  const rows: Array<[string, string]> = [
    ['Ticket', result.ticket],
    ['User', formatUser(result)],
    ['Virtual proxy', prefixLabel(prefix)],
    ['Attributes', formatAttributes(result.attributes) || '(none)'],
    ['Valid until', `${validUntil} (once)`],
  ];
  if (result.targetUri) rows.push(['TargetUri', result.targetUri]);
  if (redirectUrl) rows.push(['Redirect to', redirectUrl]);
  if (opened) rows.push(['Opened', `${opened.established ? 'yes' : 'no'}: ${opened.detail}`]);
  printLine(
    formatTable(rows, [
      { header: 'Field', value: (r) => r[0] },
      { header: 'Value', value: (r) => r[1] },
    ]),
  );
}
