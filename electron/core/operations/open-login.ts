// Opening a login in a page, written once for the console (a partition window of its browser host) and
// the CLI (a Node tab): a ticket redeemed at its target, a session made through the session API and its
// cookie set, or a header/JWT credential sent to the proxy's origin only. Each is judged by core/sessions/redemption.ts and each session it made gets one
// "session-create" record of one shape, whichever face asked: audited even when the check could not
// confirm it, because a cookie the proxy set names a session that may exist, and "end all created by
// Usher" must find it. Which page, and what the face does with it afterwards, is the face's.
import { maskSecret } from '../../../shared/redact';
import type { UserRef } from '../../../shared/user';
import { errorReason } from '../error-text';
import type { AuditInput } from '../profiles';
import { judgeSession, redeemTicket, type JudgeInput, type LoginPage, type Redeemed } from '../sessions/redemption';
import { injectSession, sessionCookieFor, type InjectionVirtualProxy, type SessionCookieSpec } from '../sessions/session-injection';
import { auditedSessionId } from '../sessions/session-inspector';
import type { Attributes, QpsClient } from '../qlik';
import type { AuditTrail } from './site';

/** What every opened login names in its record. */
interface LoginAudit {
  audit: AuditTrail;
  /** The node whose proxy the login went through. */
  node: string;
  virtualProxy: string;
  /** Whom the session is for. */
  user: UserRef;
}

const MAX_REASON = 500;

/** The record of a session a login made: masked id and digest, and the reason saying how and where. */
export function sessionCreateRecord(input: LoginAudit, sessionId: string, reason: string): AuditInput {
  return {
    action: 'session-create',
    profile: input.audit.profile,
    node: input.node,
    virtualProxy: input.virtualProxy,
    userDirectory: input.user.userDirectory,
    userId: input.user.userId,
    reason: reason.slice(0, MAX_REASON),
    ...auditedSessionId(sessionId),
  };
}

/** Opens the target in the page and judges the session there; a page that did not load is its own answer. */
async function visitAndJudge(
  page: LoginPage,
  input: { url: string; virtualProxy: string; user: UserRef },
  expected: Pick<JudgeInput, 'heldBefore' | 'sessionId' | 'sessionCookieName'>,
): Promise<Redeemed> {
  let nav: { status: number; url: string };
  try {
    nav = await page.goto(input.url);
  } catch (err) {
    const detail = `the page did not load: ${errorReason(err)}`;
    return { result: { partitionId: page.partitionId, established: false, status: 0, finalUrl: input.url, detail }, page };
  }
  return judgeSession({ page, nav, url: input.url, prefix: input.virtualProxy, user: input.user, ...expected });
}

export interface OpenTicketInput extends LoginAudit {
  page: LoginPage;
  /** The target on the issuing node's proxy, without the ticket (openTargetUrl). */
  url: string;
  ticket: string;
  /** The virtual proxy's session cookie name, when QRS told. */
  sessionCookieName?: string;
  /** Why, as the person gave it (put first in the record, as every other login does). */
  reason?: string;
}

/** Redeems the ticket in the page, judges the session and audits it. */
export async function openTicket(input: OpenTicketInput): Promise<Redeemed> {
  const redeemed = await redeemTicket({
    page: input.page,
    url: input.url,
    ticket: input.ticket,
    prefix: input.virtualProxy,
    user: input.user,
    ...(input.sessionCookieName !== undefined ? { sessionCookieName: input.sessionCookieName } : {}),
  });
  if (redeemed.sessionId) {
    const { result } = redeemed;
    const where = `${input.reason ? `${input.reason}; ` : ''}opened in partition ${result.partitionId}`;
    const reason = result.established ? where : `${where}; not confirmed: the proxy set a session cookie but the check failed (${result.detail})`;
    await input.audit.log.append(sessionCreateRecord(input, redeemed.sessionId, reason));
  }
  return redeemed;
}

export interface CredentialLoginInput extends LoginAudit {
  /** Opens the page (once the credential is built); `abandon` gives back a page that sent nothing. */
  openPage(): Promise<{ page: LoginPage; abandon(): Promise<void> }>;
  /** The proxy's origin: the only one that ever gets the credential (the target is checked to be on it). */
  proxy: string;
  url: string;
  method: 'header' | 'jwt';
  /** The request headers that log the user in (headerCredential, or the JWT tools' bearer header). */
  headers: Record<string, string>;
  sessionCookieName?: string;
  /** Why, as the person gave it. */
  reason?: string;
}

/** Sends the credential from a page to the proxy's origin, opens the target, judges and audits the session. */
export async function logInWithCredential(input: CredentialLoginInput): Promise<Redeemed> {
  const origin = new URL(input.proxy).origin;
  const { page, abandon } = await input.openPage();
  try {
    await page.sendHeaders(origin, input.headers);
  } catch (err) {
    await abandon();
    throw err;
  }
  const heldBefore = new Set((await page.cookies().catch(() => [])).map((c) => c.value));
  const judged = await visitAndJudge(page, input, {
    heldBefore,
    ...(input.sessionCookieName !== undefined ? { sessionCookieName: input.sessionCookieName } : {}),
  });
  if (judged.sessionId) {
    const how = input.method === 'header' ? `header ${Object.keys(input.headers)[0]}` : 'JWT bearer token';
    const { result } = judged;
    const reason = `${input.reason ? `${input.reason}; ` : ''}${how}, in partition ${result.partitionId}${result.established ? '' : `; not confirmed: ${result.detail}`}`;
    await input.audit.log.append(sessionCreateRecord(input, judged.sessionId, reason));
  } else if (!judged.result.established) {
    // No session: a refused credential. The header stays off this page's jar from now on.
    await page.sendHeaders(origin, {}).catch(() => undefined);
  }
  return judged;
}

/** A page that can also take a cookie set from outside (the session API's). */
export interface CookiePage extends LoginPage {
  setCookie(cookie: SessionCookieSpec): Promise<void>;
}

export interface SessionApiLoginInput extends LoginAudit {
  /** The QPS of the node, speaking for the virtual proxy. */
  qps: QpsClient;
  /** QRS's word on the virtual proxy: its cookie's name, domain and SameSite. */
  vp: InjectionVirtualProxy;
  /** The proxy's address as browsers reach it. */
  proxy: string;
  url: string;
  attributes: Attributes;
  /** Opens the page once the cookie is known to be settable; `abandon` gives back a page no session went to. */
  openPage(): Promise<{ page: CookiePage; abandon(): Promise<void> }>;
  reason?: string;
}

/**
 * A login without a ticket: QPS creates a session with an id Usher picks (audited as soon as QPS has it,
 * whatever the page does next), the page gets the virtual proxy's cookie holding it, opens the target,
 * and the session is judged as a ticket's is.
 */
export async function openSessionApiLogin(input: SessionApiLoginInput): Promise<Redeemed> {
  // Everything that can refuse comes before the session exists (it would count against the user's five).
  sessionCookieFor(input.vp, input.proxy, 'not-a-session');
  const { page, abandon } = await input.openPage();
  let injected;
  try {
    injected = await injectSession({ qps: input.qps, virtualProxy: input.vp, proxy: input.proxy, ...input.user, attributes: input.attributes });
  } catch (err) {
    await abandon();
    throw err;
  }
  const sessionId = injected.session.sessionId;
  const reason = `${input.reason ? `${input.reason}; ` : ''}session API, in partition ${page.partitionId}`;
  await input.audit.log.append(sessionCreateRecord({ ...input, user: injected.session }, sessionId, reason));
  const fail = (detail: string): Redeemed => ({
    result: { partitionId: page.partitionId, established: false, status: 0, finalUrl: input.url, detail },
    page,
    sessionId,
  });
  try {
    await page.setCookie(injected.cookie);
  } catch (err) {
    return fail(`the session ${maskSecret(sessionId)} exists, but the partition refused its cookie ${injected.cookie.name}: ${errorReason(err)}`);
  }
  const judged = await visitAndJudge(page, input, {
    sessionId,
    ...(input.vp.sessionCookieHeaderName !== undefined ? { sessionCookieName: input.vp.sessionCookieHeaderName } : {}),
  });
  return { ...judged, sessionId };
}
