// Redeeming a ticket and judging a login the way a person's browser would, in a page the face hands in:
// a partition window of the console's browser host, or the CLI's Node browser (core/browser). Whether a
// session was established is judged the way a Qlik admin would check it: the virtual proxy's session
// cookie is there, and the proxy's personal API names the expected user. Written once for every login
// method (ticket, session API, header, JWT) and both faces.
import type { OpenResult, RequestOf } from '../../../shared/ipc/contract';
import { issuingNode, type Profile } from '../../../shared/profile';
import { maskSecret, maskTickets } from '../../../shared/redact';
import { UsherError } from '../../../shared/errors';
import { appendQlikTicket } from '../../../shared/ticket-url';
import { formatUser, sameUser, userRefOf, type UserRef } from '../../../shared/user';
import { prefixPhrase, virtualProxyBase } from '../../../shared/virtual-proxy';
import { errorReason } from '../error-text';
import { findSessionCookie } from './cookie-sessions';

/**
 * The page a login happens in, as the core needs it: what both browser hosts' partition pages
 * (hosts/browser-host.ts) and the Node browser page (core/browser/login-page.ts) offer.
 */
export interface LoginPage {
  readonly partitionId: string;
  /** Navigates; the final status and address after the site's redirects. */
  goto(url: string): Promise<{ status: number; url: string }>;
  /** A same-origin request made by the page with its cookies (the personal API). */
  fetchJson(url: string): Promise<{ status: number; body: unknown }>;
  /** The cookies of the page's jar. */
  cookies(): Promise<Array<{ name: string; value: string }>>;
  /** From now on every request to exactly `origin` carries `headers` (replacing any set before); `{}` stops it. */
  sendHeaders(origin: string, headers: Record<string, string>): Promise<void>;
}

/** A target a ticket or credential may not be sent to: bad input, refused before anything is sent. */
export class OpenTargetError extends UsherError<'NOT_ALLOWED'> {
  override name = 'OpenTargetError';
  override readonly badInput = true;
  declare readonly hint: string;
  constructor(message: string, hint: string) {
    super('NOT_ALLOWED', message, hint);
  }
}

export type OpenTarget = RequestOf<'tickets.open'>['target'];

/** Where a profile's tickets and sessions are used: the proxy of the node whose QPS the profile names. */
export function redeemingProxy(profile: Profile): { name: string; proxy: string } {
  const node = issuingNode(profile);
  const qpsHost = new URL(profile.qps).hostname;
  // Without discovery the proxy is assumed on the QPS host at 443, the Qlik Sense default.
  return { name: node?.name ?? qpsHost, proxy: node?.proxy ?? `https://${qpsHost}` };
}

export function hubUrl(proxy: string, prefix: string): string {
  return `${virtualProxyBase(proxy, prefix)}hub/`;
}

/**
 * The page to redeem the ticket on. A free URL must stay on the issuing node's proxy: a ticket appended
 * to any other address would hand a login to whoever runs that host.
 */
export function openTargetUrl(proxy: string, prefix: string, target: OpenTarget): string {
  switch (target.kind) {
    case 'hub':
      return hubUrl(proxy, prefix);
    case 'app':
      return `${virtualProxyBase(proxy, prefix)}sense/app/${encodeURIComponent(target.appId)}`;
    case 'url': {
      let url: URL;
      try {
        url = new URL(target.url);
      } catch {
        throw new OpenTargetError(`"${target.url}" is not a URL.`, `Give an address on the site, such as ${hubUrl(proxy, prefix)}.`);
      }
      const origin = new URL(proxy).origin;
      if (url.origin !== origin) {
        throw new OpenTargetError(
          `${url.origin} is not the proxy that issued this ticket (${origin}).`,
          `Open an address on ${origin}: a ticket is redeemed only by the node whose QPS issued it, and must never be sent elsewhere.`,
        );
      }
      return url.href;
    }
  }
}

export interface RedeemInput {
  /** Where: a fresh jar, or a window already holding other sessions (those cookies are not this ticket's). */
  page: LoginPage;
  /** The target, without the ticket. */
  url: string;
  ticket: string;
  prefix: string;
  user: UserRef;
  /** The virtual proxy's session cookie name, when QRS told us. */
  sessionCookieName?: string;
}

export interface Redeemed {
  result: OpenResult;
  page: LoginPage;
  /**
   * The session id (main process only, for the audit log). Also when the session was not established but
   * the navigation left a new session cookie in the jar (the check of its user failed): that session may
   * well exist on the site, and what the console made must be audited so it can be ended.
   */
  sessionId?: string;
  /** What was timed, for the ticket flow's picture: the navigation with the ticket, the personal API call. */
  timing?: { redeemMs: number; checkMs?: number; cookieName?: string };
}

export async function redeemTicket(input: RedeemInput): Promise<Redeemed> {
  const { page } = input;
  const scrub = (text: string): string => maskTickets(text, input.ticket);
  // What the jar held before: a session cookie already there (an existing partition) is not this ticket's.
  const heldBefore = new Set((await page.cookies().catch(() => [])).map((c) => c.value));
  let nav: { status: number; url: string };
  const started = performance.now();
  try {
    nav = await page.goto(appendQlikTicket(input.url, input.ticket));
  } catch (err) {
    return { ...failed(page, 0, input.url, `the page did not load: ${errorReason(err)}`, scrub), timing: { redeemMs: performance.now() - started } };
  }
  const redeemMs = performance.now() - started;
  const judged = await judgeSession({
    page,
    nav,
    url: input.url,
    prefix: input.prefix,
    user: input.user,
    scrub,
    heldBefore,
    ...(input.sessionCookieName !== undefined ? { sessionCookieName: input.sessionCookieName } : {}),
  });
  return { ...judged, timing: { ...judged.timing, redeemMs } };
}

export interface JudgeInput {
  page: LoginPage;
  /** Where the page's navigation ended. */
  nav: { status: number; url: string };
  /** The target (any address on the proxy: the personal API is found from its origin and the prefix). */
  url: string;
  prefix: string;
  /** Whom the session must belong to. */
  user: UserRef;
  sessionCookieName?: string;
  /** The session id the cookie must hold (a session made through the session API). */
  sessionId?: string;
  /** Masks whatever secret the caller handed the page (a ticket) out of addresses and messages. */
  scrub?: (text: string) => string;
  /** Cookie values the jar held before the navigation: such a cookie is not reported as a new session. */
  heldBefore?: ReadonlySet<string>;
}

function failed(page: LoginPage, status: number, finalUrl: string, detail: string, scrub: (text: string) => string): Redeemed {
  return { result: { partitionId: page.partitionId, established: false, status, finalUrl: scrub(finalUrl), detail: scrub(detail) }, page };
}

/**
 * The one judgement of "a session is established" for tickets and injected sessions alike: the virtual
 * proxy's session cookie is in the partition's jar (holding the expected id, when there is one) and the
 * proxy's personal API, asked by the page with that jar, names the expected user.
 */
export async function judgeSession(input: JudgeInput): Promise<Redeemed> {
  const { page, nav } = input;
  const scrub = input.scrub ?? ((text: string) => text);
  const fail = (detail: string): Redeemed => failed(page, nav.status, nav.url, detail, scrub);
  const cookieName = input.sessionCookieName ?? 'X-Qlik-Session';
  const cookies = await page.cookies();
  // A shared jar may hold several cookies of that name (other domain or path): the expected one counts.
  const cookie =
    (input.sessionId !== undefined ? cookies.find((c) => c.value === input.sessionId) : undefined) ?? findSessionCookie(cookies, input.sessionCookieName);
  // From here on a cookie is set: when the check fails, its session may exist all the same.
  let checkMs: number | undefined;
  const timing = (): Redeemed['timing'] => ({ redeemMs: 0, ...(checkMs !== undefined ? { checkMs } : {}), ...(cookie ? { cookieName: cookie.name } : {}) });
  const unconfirmed = (detail: string): Redeemed => {
    const out: Redeemed = { ...fail(detail), timing: timing() };
    if (cookie && cookie.value !== '' && !input.heldBefore?.has(cookie.value)) out.sessionId = cookie.value;
    return out;
  };
  if (!cookie) {
    return fail(
      input.sessionId !== undefined
        ? `the partition holds no session cookie ${cookieName} (answer ${nav.status}): the cookie set for the session was refused or removed. Check the virtual proxy's session cookie name and domain.`
        : `the proxy set no session cookie ${cookieName} (answer ${nav.status}): the ticket was not accepted. Check that the virtual proxy uses ticket authentication and that this node issued the ticket.`,
    );
  }
  if (input.sessionId !== undefined && cookie.value !== input.sessionId) {
    return fail(
      `the partition's ${cookie.name} cookie holds another session (${maskSecret(cookie.value)}, not ${maskSecret(input.sessionId)}): the proxy replaced it. Check the virtual proxy's cookie domain and SameSite settings.`,
    );
  }
  const me = `${virtualProxyBase(input.url, input.prefix)}qps/user`;
  let who: UserRef | undefined;
  const asked = performance.now();
  try {
    who = userRefOf((await page.fetchJson(me)).body);
    checkMs = performance.now() - asked;
  } catch (err) {
    return unconfirmed(`the session cookie is set, but the personal API ${me} did not answer: ${errorReason(err)}`);
  }
  if (!who) return unconfirmed(`the session cookie is set, but the personal API ${me} reports no active session`);
  if (!sameUser(who, input.user)) return unconfirmed(`the session belongs to ${formatUser(who)}, not ${formatUser(input.user)}`);
  return {
    result: {
      partitionId: page.partitionId,
      established: true,
      user: formatUser(who),
      status: nav.status,
      finalUrl: scrub(nav.url),
      detail: `session established for ${formatUser(who)} on ${prefixPhrase(input.prefix)} (cookie ${cookie.name})`,
    },
    page,
    sessionId: cookie.value,
    timing: timing(),
  };
}
