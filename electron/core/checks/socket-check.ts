// The WebSocket diagnosis on a site connection: QRS says how the virtual proxy logs people in and names its
// cookie; the user is logged in by the chosen method (a ticket or a session from QPS, or the virtual
// proxy's header); the socket is opened as a mashup at `origin` would; the session made is audited and
// ended afterwards through QPS. Written once for `usher scenario socket` and the console.
import type { LoginMethod } from '../../../shared/login-as';
import type { SocketDiagnosis } from '../../../shared/socket-diagnosis';
import type { UserRef } from '../../../shared/user';
import { mintTicket } from '../operations/mint-ticket';
import type { AuditLog } from '../profiles';
import type { QlikConnection } from '../qlik';
import { headerCredential, LoginAsError } from '../sessions/login-as';
import { loginVirtualProxy } from '../operations/log-in-as';
import { injectSession } from '../sessions/session-injection';
import { auditedSessionId } from '../sessions/session-inspector';
import { diagnoseEngineSocket, type SocketLogin } from './socket-diagnosis';

export interface SocketCheckInput {
  connection: QlikConnection;
  qps: string;
  qrs: string;
  /** The proxy browsers reach, `https://host[:port]`. */
  proxy: string;
  ca: string;
  prefix: string;
  origin: string;
  method: LoginMethod;
  user: UserRef;
  audit: AuditLog;
  /** Profile id (or a label) and node for the audit entries. */
  profile: string;
  node: string;
  reason: string;
  /** Makes the bearer header of a JWT login (the JWT tools); without it a JWT login is refused. */
  jwtHeaders?: (user: UserRef) => Promise<Record<string, string>>;
  timeoutMs?: number;
}

export async function runSocketCheck(input: SocketCheckInput): Promise<SocketDiagnosis> {
  const vp = await loginVirtualProxy({ connection: input.connection, qrs: input.qrs, virtualProxy: input.prefix, method: input.method, siteName: 'The site' });
  const qps = input.connection.qps(input.qps, input.prefix);
  const entry = { profile: input.profile, node: input.node, virtualProxy: input.prefix, userDirectory: input.user.userDirectory, userId: input.user.userId };
  let login: SocketLogin;
  switch (input.method) {
    case 'ticket': {
      const ticket = await mintTicket({
        connection: input.connection,
        qps: input.qps,
        virtualProxy: input.prefix,
        request: { userDirectory: input.user.userDirectory, userId: input.user.userId },
        node: input.node,
        reason: input.reason,
        audit: { log: input.audit, profile: input.profile },
      });
      login = { kind: 'ticket', ticket: ticket.ticket };
      break;
    }
    case 'session':
      login = { kind: 'cookie', cookie: (await injectSession({ qps, virtualProxy: vp, proxy: input.proxy, ...input.user })).cookie };
      break;
    case 'header':
      login = { kind: 'headers', method: 'header', headers: headerCredential(vp, input.user) };
      break;
    case 'jwt':
      if (!input.jwtHeaders)
        throw new LoginAsError(
          'NO_SIGNING_PAIR',
          'No JWT signing pair is at hand to mint a token.',
          'Generate or import one for the profile (usher jwt keygen), then try again.',
        );
      login = { kind: 'headers', method: 'jwt', headers: await input.jwtHeaders(input.user) };
      break;
  }
  const made: string[] = [];
  try {
    return await diagnoseEngineSocket({
      proxy: input.proxy,
      prefix: input.prefix,
      sessionCookieName: vp.sessionCookieHeaderName,
      origin: input.origin,
      ca: input.ca,
      login,
      ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
      onSession: async (sessionId) => {
        made.push(sessionId);
        await input.audit.append({ action: 'session-create', ...entry, reason: `${input.reason} (${input.method} login)`, ...auditedSessionId(sessionId) });
      },
    });
  } finally {
    // The diagnosis leaves no session behind: each counts against the user's parallel sessions.
    for (const sessionId of made) {
      try {
        await qps.deleteSession(sessionId);
        await input.audit.append({ action: 'session-end', ...entry, reason: `${input.reason} (ended after the diagnosis)`, ...auditedSessionId(sessionId) });
      } catch {
        // Ended by the site already (or unreachable now): the create entry stays for "end all".
      }
    }
  }
}
