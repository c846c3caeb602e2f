// Redeeming a ticket the way a person's browser would, in a fresh isolated partition of the browser
// host: a partition per ticket, so the session cookie cannot clobber (or be clobbered by) another user's
// session on the same host (cookies ignore ports). Whether a session was established is judged the way a
// Qlik admin would check it: the virtual proxy's session cookie is there, and the proxy's personal API
// names the ticket's user.
import { randomUUID } from 'node:crypto';
import type { OpenResult, RequestOf } from '../../shared/ipc/contract';
import { maskTickets } from '../../shared/redact';
import { appendQlikTicket } from '../../shared/ticket-url';
import { formatUser, sameUser, type UserRef } from '../../shared/user';
import type { BrowserHost, PartitionCookie, PartitionPage } from '../hosts/browser-host';
import { BackendError } from './backend-error';

export type OpenTarget = RequestOf<'tickets.open'>['target'];

/** `https://host:port/{prefix/}`: where a virtual proxy's pages live on a node's proxy. */
export function virtualProxyBase(proxy: string, prefix: string): string {
  return `${new URL(proxy).origin}/${prefix ? `${encodeURIComponent(prefix)}/` : ''}`;
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
        throw new BackendError('NOT_ALLOWED', `"${target.url}" is not a URL.`, `Give an address on the site, such as ${hubUrl(proxy, prefix)}.`);
      }
      const origin = new URL(proxy).origin;
      if (url.origin !== origin) {
        throw new BackendError(
          'NOT_ALLOWED',
          `${url.origin} is not the proxy that issued this ticket (${origin}).`,
          `Open an address on ${origin}: a ticket is redeemed only by the node whose QPS issued it, and must never be sent elsewhere.`,
        );
      }
      return url.href;
    }
  }
}

export interface RedeemInput {
  host: BrowserHost;
  caPem: string;
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
  page: PartitionPage;
  /** The session id (main process only, for the audit log). */
  sessionId?: string;
}

/** A failure as a person should read it: the cause, and the fix when the error carries one (typed errors do). */
function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { hint } = err as Error & { hint?: unknown };
  return typeof hint === 'string' && hint !== '' ? `${err.message.replace(/\.\s*$/, '')}. ${hint}` : err.message;
}

function sessionCookie(cookies: PartitionCookie[], name: string | undefined): PartitionCookie | undefined {
  // Without QRS's word on the name, any Qlik session cookie will do (they all start with X-Qlik-Session).
  return cookies.find((c) => (name ? c.name === name : /^X-Qlik-Session/i.test(c.name)) && c.value !== '');
}

function personalUser(body: unknown): UserRef | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { userDirectory, userId } = body as Record<string, unknown>;
  return typeof userDirectory === 'string' && typeof userId === 'string' ? { userDirectory, userId } : undefined;
}


export async function redeemInPartition(input: RedeemInput): Promise<Redeemed> {
  const partitionId = `ticket-${randomUUID()}`;
  const page = await input.host.openPartition({ partitionId, caPem: input.caPem });
  const scrub = (text: string): string => maskTickets(text, input.ticket);
  const fail = (status: number, finalUrl: string, detail: string): Redeemed => ({
    result: { partitionId, established: false, status, finalUrl: scrub(finalUrl), detail: scrub(detail) },
    page,
  });

  let nav: { status: number; url: string };
  try {
    nav = await page.goto(appendQlikTicket(input.url, input.ticket));
  } catch (err) {
    return fail(0, input.url, `the page did not load: ${reason(err)}`);
  }

  const cookie = sessionCookie(await page.cookies(), input.sessionCookieName);
  const cookieName = input.sessionCookieName ?? 'X-Qlik-Session';
  if (!cookie) {
    return fail(
      nav.status,
      nav.url,
      `the proxy set no session cookie ${cookieName} (answer ${nav.status}): the ticket was not accepted. Check that the virtual proxy uses ticket authentication and that this node issued the ticket.`,
    );
  }

  const me = `${virtualProxyBase(input.url, input.prefix)}qps/user`;
  let who: UserRef | undefined;
  try {
    who = personalUser((await page.fetchJson(me)).body);
  } catch (err) {
    return fail(nav.status, nav.url, `the session cookie is set, but the personal API ${me} did not answer: ${reason(err)}`);
  }
  if (!who) return fail(nav.status, nav.url, `the session cookie is set, but the personal API ${me} reports no active session`);
  if (!sameUser(who, input.user)) {
    return fail(nav.status, nav.url, `the session belongs to ${formatUser(who)}, not ${formatUser(input.user)}`);
  }
  return {
    result: {
      partitionId,
      established: true,
      user: formatUser(who),
      status: nav.status,
      finalUrl: scrub(nav.url),
      detail: `session established for ${formatUser(who)} on ${input.prefix ? `/${input.prefix}` : 'the default virtual proxy'} (cookie ${cookie.name})`,
    },
    page,
    sessionId: cookie.value,
  };
}
