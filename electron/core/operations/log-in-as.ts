// "Log in as", written once for the console's Log in as panel and `usher login-as`: one request names
// the virtual proxy, the method, the user and the target; QRS's word on the virtual proxy decides
// whether the method is taken before any ticket, session or page exists; then the login is opened in a
// page the face hands in (open-login.ts), judged and audited the same way whichever face asked.
import type { LoginMethod } from '../../../shared/login-as';
import { formatUser, type UserRef } from '../../../shared/user';
import { prefixLabel } from '../../../shared/virtual-proxy';
import type { Attributes, QlikConnection, VirtualProxyConfig } from '../qlik';
import { checkLoginMethod, headerCredential, LoginAsError } from '../sessions/login-as';
import { openTargetUrl, type OpenTarget, type Redeemed } from '../sessions/redemption';
import { mintTicket } from './mint-ticket';
import { logInWithCredential, openSessionApiLogin, openTicket, type CookiePage } from './open-login';
import type { AuditTrail } from './site';

export interface LogInAsInput {
  connection: QlikConnection;
  /** QRS, asked for the virtual proxy; the QPS of the node the login goes through. */
  qrs: string;
  qps: string;
  /** That node: its name for the records, its proxy as browsers reach it. */
  node: { name: string; proxy: string };
  /** How the site is named to a person ("has no virtual proxy ..."). */
  siteName: string;
  virtualProxy: string;
  method: LoginMethod;
  user: UserRef;
  attributes: Attributes;
  target: OpenTarget;
  audit: AuditTrail;
  reason?: string;
  /** Opens the page the login happens in (`label` names it: who, where, how); `abandon` gives it back unused. */
  openPage(label: string): Promise<{ page: CookiePage; abandon(): Promise<void> }>;
  /** Makes the bearer header of a JWT login (the face's signing pair); without it a JWT login is refused. */
  jwtHeaders?(vp: VirtualProxyConfig, user: UserRef, attributes: Attributes): Promise<Record<string, string>>;
}

/** The virtual proxy as QRS has it, once it is known to take `method`. */
export async function loginVirtualProxy(input: Pick<LogInAsInput, 'connection' | 'qrs' | 'virtualProxy' | 'method' | 'siteName'>): Promise<VirtualProxyConfig> {
  const vp = await input.connection.qrs(input.qrs).virtualProxy(input.virtualProxy);
  if (!vp) {
    throw new LoginAsError(
      'NOT_FOUND',
      `${input.siteName} has no virtual proxy ${prefixLabel(input.virtualProxy)}.`,
      'Pick one of the virtual proxies QRS lists for this site (Checks shows them, usher proxies lists them).',
    );
  }
  checkLoginMethod(vp, input.method);
  return vp;
}

const HOW: Record<LoginMethod, string> = { ticket: 'ticket', session: 'session API', header: 'header', jwt: 'JWT' };

/** Logs the user in by the method in a page of the face's, judged and audited. */
export async function logInAs(input: LogInAsInput): Promise<Redeemed> {
  const vp = await loginVirtualProxy(input);
  const user: UserRef = { userDirectory: input.user.userDirectory.trim(), userId: input.user.userId.trim() };
  // Everything that can refuse (the target, the credential) comes before a ticket, a session or a page.
  const url = openTargetUrl(input.node.proxy, vp.prefix, input.target);
  const label = `${formatUser(user)} on ${prefixLabel(vp.prefix)} (${HOW[input.method]})`;
  const common = { node: input.node.name, virtualProxy: vp.prefix, audit: input.audit, url };
  const cookieName = vp.sessionCookieHeaderName !== undefined ? { sessionCookieName: vp.sessionCookieHeaderName } : {};
  const reason = input.reason ? { reason: input.reason } : {};
  switch (input.method) {
    case 'ticket': {
      const ticket = await mintTicket({
        connection: input.connection,
        qps: input.qps,
        virtualProxy: vp.prefix,
        request: { ...user, attributes: input.attributes },
        node: input.node.name,
        reason: input.reason ?? '',
        audit: input.audit,
      });
      const { page } = await input.openPage(label);
      return openTicket({ ...common, ...cookieName, ...reason, page, ticket: ticket.ticket, user: ticket });
    }
    case 'session':
      return openSessionApiLogin({
        ...common,
        ...reason,
        qps: input.connection.qps(input.qps, vp.prefix),
        vp,
        proxy: input.node.proxy,
        user,
        attributes: input.attributes,
        openPage: () => input.openPage(label),
      });
    case 'header':
    case 'jwt': {
      const headers = input.method === 'header' ? headerCredential(vp, user) : await jwtHeaders(input, vp, user);
      return logInWithCredential({
        ...common,
        ...cookieName,
        ...reason,
        openPage: () => input.openPage(label),
        proxy: input.node.proxy,
        method: input.method,
        headers,
        user,
      });
    }
  }
}

function jwtHeaders(input: LogInAsInput, vp: VirtualProxyConfig, user: UserRef): Promise<Record<string, string>> {
  if (!input.jwtHeaders) {
    throw new LoginAsError(
      'NO_SIGNING_PAIR',
      'No JWT signing pair is at hand to mint a token.',
      'Log in by ticket, session API or header, or use the console.',
    );
  }
  return input.jwtHeaders(vp, user, input.attributes);
}
