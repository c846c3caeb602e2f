// `usher sessions`: the session inspector for terminals and CI (every session across the site's nodes and
// virtual proxies, found through QRS, grouped by user against Qlik's parallel-session limit, with the
// console's warnings, through the same core model), one user's sessions, or ending them.
import { plural } from '../../../shared/plural';
import { prefixLabel } from '../../../shared/virtual-proxy';
import { formatUser } from '../../../shared/user';
import { discoverNodes, listUserSessions, pairCount, type Inventory, type NodeTarget, type SessionEntry } from '../../core/sessions/inventory';
import { endSessions, type EndSessionsResult, type EndSessionsScope } from '../../core/operations/end-sessions';
import { RowKeys } from '../../core/sessions/session-inspector';
import { inspectSessions } from '../../core/operations/inspect-sessions';
import { maskSecret } from '../../../shared/redact';
import { inventoryFailureSummary } from '../../../shared/sessions';
import * as v from 'valibot';
import type { UserRef } from '../../../shared/user';
import { parseCommand, type Command } from '../command';
import { nonEmptyFlag, readFlag, readUser, switchFlag } from '../flag-schema';
import { CONNECTION_FLAGS } from '../connection-flags';
import { PROFILE_FLAG, SITE_INPUT, withSiteConnection, type SiteConnection } from '../site-connection';
import { CommandFailed, UsageError } from '../errors';
import { formatTable, printJson, printLine, printNote } from '../output';
import { formatInspectorView, inspectorJson, warningSummary } from '../sessions-output';

const USAGE = `
usage: usher sessions (--profile NAME | --qrs URL --ca root.pem (--cert client.pem --key client_key.pem | --pfx client.pfx))
                      [--user DIR\\ID | --kill SESSION_ID | --kill-user DIR\\ID | --kill-created] [--json] [--show-ids]
                      [--fail-on-warnings]

Asks every proxy node and virtual proxy that QRS knows for its sessions (sessions live per node) and
shows them as the console's session inspector does: per user "DIR\\ID  n/5" (Qlik counts a user's
sessions site-wide against its limit of 5 in parallel) with their sessions, whether Usher created each
(the audit log of this data folder has a session-create entry for it; with --profile, that profile's),
then the warnings and their fixes: users at or over the limit, virtual proxies sharing a session cookie
name. Without --qrs, --qps URL [--virtual-proxy PREFIX] asks that one node only (no cookie names known).

  --user DIR\\ID         only this user's sessions (a table; --json: the inventory with full ids)
  --kill SESSION_ID     end this session, wherever it lives
  --kill-user DIR\\ID    end every session of this user on every node and virtual proxy
  --kill-created        end every live session Usher created on this site (the audit log's session-create
                        entries of this data folder, for this profile or for the flags' site)
                        (--kill*: a table; --json: the ended sessions with full ids)
  --show-ids            print full session ids (they are masked by default: a session id is a login)
  --json                machine-readable output: the inspector's view (masked ids unless --show-ids)
  --fail-on-warnings    exit 1 when the view has any warning (a user at or over the limit, a shared
                        cookie name), after printing it: a CI gate
`;

const FLAGS = {
  ...CONNECTION_FLAGS,
  ...PROFILE_FLAG,
  'virtual-proxy': { type: 'string' },
  user: { type: 'string' },
  kill: { type: 'string' },
  'kill-user': { type: 'string' },
  'kill-created': { type: 'boolean' },
  'show-ids': { type: 'boolean' },
  'fail-on-warnings': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

const EMPTY_HINT = 'see: usher help sessions';

/** A user flag of `usher sessions`: empty is said as such, else read as DIR\\ID. */
function sessionsUserFlag(flag: string) {
  return readFlag((text) => {
    if (text.trim() === '') throw new UsageError(`--${flag} is empty`, EMPTY_HINT);
    return readUser(flag, text);
  });
}

/** What `usher sessions` does: the full listing, one user's sessions, or ending some (endSessions' scope). */
type SessionsAction = { kind: 'list'; failOnWarnings: boolean } | { kind: 'user'; user: UserRef } | { kind: 'end'; scope: EndSessionsScope };

function sessionsAction(values: {
  user?: UserRef;
  kill?: string;
  'kill-user'?: UserRef;
  'kill-created': boolean;
  'fail-on-warnings': boolean;
}): SessionsAction {
  const given = [values.user, values.kill, values['kill-user'], values['kill-created'] || undefined].filter((v) => v !== undefined);
  if (given.length > 1) throw new UsageError('give one of --user, --kill, --kill-user and --kill-created');
  if (values['fail-on-warnings'] && given.length > 0)
    throw new UsageError('--fail-on-warnings goes with the full listing, not with --user, --kill, --kill-user or --kill-created');
  if (values.user) return { kind: 'user', user: values.user };
  if (values.kill !== undefined) return { kind: 'end', scope: { kind: 'session-id', sessionId: values.kill } };
  if (values['kill-user']) return { kind: 'end', scope: { kind: 'user', user: values['kill-user'] } };
  if (values['kill-created']) return { kind: 'end', scope: { kind: 'created' } };
  return { kind: 'list', failOnWarnings: values['fail-on-warnings'] };
}

/** The flags of `usher sessions` read into what it does and how it shows it, less the site. */
const SESSIONS_INPUT = v.pipe(
  v.object({
    user: sessionsUserFlag('user'),
    kill: nonEmptyFlag('kill', EMPTY_HINT),
    'kill-user': sessionsUserFlag('kill-user'),
    'kill-created': switchFlag,
    'fail-on-warnings': switchFlag,
    'show-ids': switchFlag,
    json: switchFlag,
    'virtual-proxy': v.optional(v.string()),
    ...SITE_INPUT,
  }),
  v.transform((values) => ({ ...values, action: sessionsAction(values) })),
);

function sessionTable(sessions: SessionEntry[], showIds: boolean): string {
  return formatTable(sessions, [
    { header: 'Node', value: (s) => s.nodeName },
    { header: 'Virtual proxy', value: (s) => prefixLabel(s.prefix) },
    { header: 'User', value: (s) => formatUser(s) },
    { header: 'Session', value: (s) => (showIds ? s.sessionId : maskSecret(s.sessionId)) },
  ]);
}

/**
 * A partial inventory fails the command with one line: how many pairs of how many, by cause, and what to
 * do. Before it, the first failure's own message as an example (not one line per pair: a site of many
 * nodes would print dozens).
 */
function failPartial(inventory: Inventory, pairs: number, json: boolean): void {
  const failures = inventory.failures.map((f) => ({ nodeName: f.nodeName, virtualProxy: f.prefix, code: f.code, message: f.message }));
  const summary = inventoryFailureSummary(failures, pairs);
  if (!summary) return;
  const first = failures[0]!;
  if (!json) printNote(`usher: for example node ${first.nodeName} ${prefixLabel(first.virtualProxy)}: ${first.message}`);
  throw new CommandFailed(summary.line, summary.fix);
}

/**
 * The full listing: the inspector's model (the console's grouping and warnings) over every session the
 * site holds. No partitions here, so no holders: the shared-jar warning is the console's alone.
 */
async function inspect(
  site: SiteConnection,
  qrs: string | undefined,
  oneNode: NodeTarget | undefined,
  options: { showIds: boolean; json: boolean; failOnWarnings: boolean; onProgress?: (done: number, total: number) => void },
): Promise<void> {
  const model = await inspectSessions({
    connection: site.connection,
    nodes: oneNode ? { known: [oneNode] } : { qrs: qrs! },
    created: { log: site.audit, ...(site.profile ? { profile: site.profile.id } : {}) },
    profileId: site.profile?.id ?? '(flags)',
    rowKeys: new RowKeys(),
    now: new Date(),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (oneNode) {
    printNote(
      `usher: only ${oneNode.nodeName} ${prefixLabel(oneNode.prefixes[0]!)} was asked: the counts are that pair's, while Qlik counts a user's sessions site-wide (--qrs asks every node)`,
    );
  }
  if (options.json) printJson(inspectorJson(model, options.showIds));
  else printLine(formatInspectorView(model, options.showIds));
  failPartial(model.gathered.inventory, model.view.pairs, options.json);
  if (options.failOnWarnings && model.view.warnings.length > 0)
    throw new CommandFailed(`${warningSummary(model.view)} on the site's sessions (--fail-on-warnings)`);
}

/** What `--kill` and `--kill-user` print: the sessions ended (a table or JSON), then any failure. */
function renderEnded(result: EndSessionsResult, scope: EndSessionsScope, json: boolean, showIds: boolean): void {
  const { ended, failures, nodes } = result;
  const pairs = pairCount(nodes);
  if (scope.kind === 'session-id') {
    if (ended.length === 0) {
      failPartial({ nodes, sessions: [], failures }, pairs, json);
      throw new CommandFailed(`no session ${maskSecret(scope.sessionId)} on any node or virtual proxy`);
    }
    if (json) printJson({ ended });
    else printLine(`ended ${plural(ended.length, 'session')}:\n${sessionTable(ended, showIds)}`);
    return;
  }
  if (json) printJson({ ended, failures });
  else {
    const incomplete = failures.length ? ` (incomplete: ${plural(failures.length, 'pair')} could not be asked)` : '';
    printLine(`ended ${plural(ended.length, 'session')} on ${plural(nodes.length, 'node')}, ${plural(pairs, 'node/virtual proxy pair')}${incomplete}`);
    if (ended.length > 0) printLine(sessionTable(ended, showIds));
  }
  failPartial({ nodes, sessions: ended, failures }, pairs, json);
}

function progress(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => {
    process.stderr.write(`\rasking QPS: ${done}/${total} node/virtual proxy pairs`);
    if (done === total) process.stderr.write('\r\u001b[2K');
  };
}

export const sessionsCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const values = parseCommand(argv, FLAGS, SESSIONS_INPUT, 'sessions');
    const { action } = values;
    const json = values.json;
    const showIds = values['show-ids'];
    await withSiteConnection(values, async (site) => {
      const connection = site.connection;
      const profile = site.profile?.id ?? '(flags)';
      const qrs = site.qrs && !(values.qps && !values.qrs) ? site.qrs : undefined;
      let oneNode: NodeTarget | undefined;
      if (!qrs) {
        const qps = site.qps;
        if (!qps)
          throw new UsageError(
            '--qrs is required to find every node (or --qps for one node, or --profile NAME)',
            'for example --qrs https://qlik.example.com:4242',
          );
        const host = new URL(qps).hostname;
        oneNode = { nodeName: host, hostName: host, qpsBaseUrl: qps, prefixes: [values['virtual-proxy'] ?? ''] };
      }
      const onProgress = progress();
      if (action.kind === 'list') {
        await inspect(site, qrs, oneNode, { showIds, json, failOnWarnings: action.failOnWarnings, onProgress });
        return;
      }
      if (action.kind === 'end') {
        const result = await endSessions({
          connection,
          nodes: oneNode ? { known: [oneNode] } : { qrs: qrs! },
          audit: { log: site.audit, profile },
          scope: action.scope,
          ...(onProgress ? { onProgress } : {}),
        });
        renderEnded(result, action.scope, json, showIds);
        return;
      }
      const nodes = oneNode ? [oneNode] : await discoverNodes(connection, qrs!);
      const inventory = await listUserSessions(connection, nodes, action.user, { onProgress });
      if (json) printJson(inventory);
      const pairs = pairCount(nodes);
      if (!json) {
        const incomplete = inventory.failures.length ? ` (incomplete: ${plural(inventory.failures.length, 'pair')} could not be asked)` : '';
        printLine(
          `found ${plural(inventory.sessions.length, 'session')} on ${plural(nodes.length, 'node')}, ${plural(pairs, 'node/virtual proxy pair')}${incomplete}`,
        );
        if (inventory.sessions.length > 0) printLine(sessionTable(inventory.sessions, showIds));
      }
      failPartial(inventory, pairs, json);
    });
  },
};
