// `usher ticket`: asks a node's QPS for a one-minute, single-use ticket, as an authentication module does.
import { prefixLabel, virtualProxyBase } from '../../../shared/virtual-proxy';
import { formatUser } from '../../../shared/user';
import { appendQlikTicket } from '../../../shared/ticket-url';
import { formatAttributes } from '../../../shared/jwt';
import { hasControlCharacters } from '../../../shared/terminal-text';
import { mintTicket } from '../../core/operations/mint-ticket';
import * as v from 'valibot';
import { parseCommand, type Command } from '../command';
import { CONNECTION_FLAGS } from '../connection-flags';
import { attributesFlag, readFlag, readUser, requiredFlag, switchFlag } from '../flag-schema';
import { auditSite, HUB_INPUT, PROFILE_FLAG, requireSiteUrl, SITE_INPUT, siteProxy, siteVirtualProxy, withSiteConnection } from '../site-connection';
import { UsageError } from '../errors';
import { formatTable, printJson, printLine } from '../output';

const USAGE = `
usage: usher ticket (--profile NAME | --qps URL --ca root.pem (--cert client.pem --key client_key.pem | --pfx client.pfx))
                    --user DIR\\ID [--reason TEXT] [--virtual-proxy PREFIX] [--attr KEY=VALUE ...] [--target-id ID]
                    [--hub URL] [--json]

Requests a ticket (valid once, for one minute) for a user. With --hub (the proxy's base URL) or a
--target-id from an authentication-module redirect, also prints the URL that redeems it.

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
  json: switchFlag,
  ...SITE_INPUT,
});

export type TicketInput = v.InferOutput<typeof TICKET_INPUT>;

export const ticketCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const values = parseCommand(argv, FLAGS, TICKET_INPUT, 'ticket');
    const { user, attr: attributes, 'target-id': targetId } = values;
    await withSiteConnection(values, async (site) => {
      const qps = requireSiteUrl(site, 'qps');
      const hub = siteProxy(site, values.hub);
      const prefix = siteVirtualProxy(site, values['virtual-proxy']);
      const { profile, node } = await auditSite(site, qps);
      const result = await mintTicket({
        connection: site.connection,
        qps,
        virtualProxy: prefix,
        request: { ...user, attributes, ...(targetId !== undefined ? { targetId } : {}) },
        node,
        reason: values.reason ?? 'usher ticket',
        audit: { log: site.audit, profile },
      });
      const landing = result.targetUri ?? (hub ? `${virtualProxyBase(hub, prefix)}hub/` : undefined);
      const redirectUrl = landing ? appendQlikTicket(landing, result.ticket) : undefined;
      const validUntil = new Date(Date.now() + 60_000).toISOString();
      if (values.json) {
        printJson({ ...result, virtualProxy: prefix, validUntil, redirectUrl });
        return;
      }
      const rows: Array<[string, string]> = [
        ['Ticket', result.ticket],
        ['User', formatUser(result)],
        ['Virtual proxy', prefixLabel(prefix)],
        ['Attributes', formatAttributes(result.attributes) || '(none)'],
        ['Valid until', `${validUntil} (once)`],
      ];
      if (result.targetUri) rows.push(['TargetUri', result.targetUri]);
      if (redirectUrl) rows.push(['Redirect to', redirectUrl]);
      printLine(
        formatTable(rows, [
          { header: 'Field', value: (r) => r[0] },
          { header: 'Value', value: (r) => r[1] },
        ]),
      );
    });
  },
};
