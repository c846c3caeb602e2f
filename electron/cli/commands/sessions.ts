// `usher sessions`: every concurrent session across the site's nodes and virtual proxies (found through
// QRS), one user's sessions, or ending them.
import { prefixLabel } from '../../../shared/virtual-proxy';
import { formatUser, parseUser } from '../../../shared/user';
import {
  discoverNodes,
  endSession,
  endUserSessions,
  listAllSessions,
  listUserSessions,
  type Inventory,
  type NodeTarget,
  type SessionEntry,
} from '../../core/sessions/inventory';
import { maskSecret } from '../../../shared/redact';
import type { AuditLog } from '../../core/profiles';
import { parseFlags, type Command } from '../command';
import { CONNECTION_FLAGS } from '../connection-flags';
import { PROFILE_FLAG, withSiteConnection } from '../site-connection';
import { CommandFailed, UsageError } from '../errors';
import { formatTable, printJson, printLine } from '../output';

const USAGE = `
usage: usher sessions (--profile NAME | --qrs URL --ca root.pem (--cert client.pem --key client_key.pem | --pfx client.pfx))
                      [--user DIR\\ID | --kill SESSION_ID | --kill-user DIR\\ID] [--json] [--show-ids]

Lists the sessions of every proxy node and virtual proxy that QRS knows (sessions live per node).
Without --qrs, --qps URL [--virtual-proxy PREFIX] asks that one node only.

  --user DIR\\ID         only this user's sessions
  --kill SESSION_ID     end this session, wherever it lives
  --kill-user DIR\\ID    end every session of this user on every node and virtual proxy
  --show-ids            print full session ids (they are masked by default: a session id is a login)
  --json                machine-readable output (full ids)
`;

const FLAGS = {
  ...CONNECTION_FLAGS,
  ...PROFILE_FLAG,
  'virtual-proxy': { type: 'string' },
  user: { type: 'string' },
  kill: { type: 'string' },
  'kill-user': { type: 'string' },
  'show-ids': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

function userFlag(flag: string, value: string): { userDirectory: string; userId: string } {
  const user = parseUser(value);
  if (!user) throw new UsageError(`--${flag} "${value}" is not DIRECTORY\\ID`, `for example --${flag} "MYDOMAIN\\alice"`);
  return user;
}

function sessionTable(sessions: SessionEntry[], showIds: boolean): string {
  return formatTable(sessions, [
    { header: 'Node', value: (s) => s.nodeName },
    { header: 'Virtual proxy', value: (s) => prefixLabel(s.prefix) },
    { header: 'User', value: (s) => formatUser(s) },
    { header: 'Session', value: (s) => (showIds ? s.sessionId : maskSecret(s.sessionId)) },
  ]);
}

/** Every session Usher ends is recorded, as every one it creates. */
async function auditEnded(audit: AuditLog, ended: SessionEntry[], profile: string, action: 'session-end' | 'user-sessions-end'): Promise<void> {
  for (const s of ended) {
    await audit.append({ action, profile, node: s.nodeName, virtualProxy: s.prefix, userDirectory: s.userDirectory, userId: s.userId, reason: 'usher sessions', sessionIdMasked: s.sessionId });
  }
}

function reportFailures(inventory: Inventory): void {
  for (const f of inventory.failures) {
    process.stderr.write(`usher: could not list node ${f.nodeName} /${f.prefix}: ${f.message}\n`);
  }
}

function progress(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => {
    process.stderr.write(`\rasking QPS: ${done}/${total} node/virtual proxy pairs`);
    if (done === total) process.stderr.write('\r\u001b[2K');
  };
}

export const sessionsCommand: Command = {
  name: 'sessions',
  summary: 'list (or end) sessions across every node and virtual proxy',
  usage: USAGE,
  async run(argv) {
    const { values } = parseFlags(argv, FLAGS, 'sessions');
    const actions = [values.user, values.kill, values['kill-user']].filter((v) => v !== undefined);
    if (actions.length > 1) throw new UsageError('give one of --user, --kill and --kill-user');
    await withSiteConnection(values, async (site) => {
      const connection = site.connection;
      const profile = site.profile?.id ?? '(flags)';
      let nodes: NodeTarget[];
      if (site.qrs && !(values.qps && !values.qrs)) {
        nodes = await discoverNodes(connection, site.qrs);
      } else if (site.qps) {
        const qps = site.qps;
        nodes = [{ nodeName: new URL(qps).hostname, hostName: new URL(qps).hostname, qpsBaseUrl: qps, prefixes: [values['virtual-proxy'] ?? ''] }];
      } else {
        throw new UsageError('--qrs is required to find every node (or --qps for one node, or --profile NAME)', 'for example --qrs https://qlik.example.com:4242');
      }
      const onProgress = progress();
      if (values.kill) {
        const ended = await endSession(connection, nodes, values.kill, { onProgress });
        if (ended.length === 0) throw new CommandFailed(`no session ${maskSecret(values.kill)} on any node or virtual proxy`);
        await auditEnded(site.audit, ended, profile, 'session-end');
        if (values.json) printJson({ ended });
        else printLine(`ended ${ended.length} session(s):\n${sessionTable(ended, values['show-ids'] ?? false)}`);
        return;
      }
      const inventory = values['kill-user']
        ? await endUserSessions(connection, nodes, userFlag('kill-user', values['kill-user']), { onProgress })
        : values.user
          ? await listUserSessions(connection, nodes, userFlag('user', values.user), { onProgress })
          : await listAllSessions(connection, nodes, { onProgress });
      if (values['kill-user']) await auditEnded(site.audit, inventory.sessions, profile, 'user-sessions-end');
      if (values.json) {
        printJson(values['kill-user'] ? { ended: inventory.sessions, failures: inventory.failures } : inventory);
      } else {
        reportFailures(inventory);
        const pairs = nodes.reduce((n, node) => n + node.prefixes.length, 0);
        const verb = values['kill-user'] ? 'ended' : 'found';
        printLine(`${verb} ${inventory.sessions.length} session(s) on ${nodes.length} node(s), ${pairs} node/virtual proxy pair(s)`);
        if (inventory.sessions.length > 0) printLine(sessionTable(inventory.sessions, values['show-ids'] ?? false));
      }
      if (inventory.failures.length > 0) throw new CommandFailed(`${inventory.failures.length} node/virtual proxy pair(s) could not be asked`);
    });
  },
};
