// Step 4: how the ticket came back. Pure: matches the ticket QPS issued with the proxy's redemptions and
// the browser's own record of where it went. A ticket is valid once: when another client (the module
// itself) redeems it first, the browser's redemption is refused as used - the redemption order shows it.
import type { TicketRedemptionObservation } from '../../../shared/module-validation';
import { maskSecret, maskTickets } from '../../../shared/redact';
import type { BrowserExchange } from '../browser';
import { originOf } from './context';
import { Findings, failGrade, type Grade } from './grade';
import type { IssuedTicket } from './grade-ticket-request';

export interface RedirectBackInput {
  issued: IssuedTicket;
  /** Ticket redemptions the proxy saw during this login. */
  redemptions: TicketRedemptionObservation[];
  /** Every request the browser made during this login. */
  exchanges: BrowserExchange[];
  /** The user-agent of the validator's browser for this login. */
  browserAgent: string;
  hubOrigin: string;
  validityMs: number;
}

/** The value of a ticket parameter in `url` (any casing), and the name it went under. */
export function ticketParameter(url: string): { name: string; value: string } | undefined {
  try {
    for (const [name, value] of new URL(url).searchParams) if (name.toLowerCase() === 'qlikticket') return { name, value };
  } catch {
    // not a URL: no ticket
  }
  return undefined;
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

export function gradeRedirectBack(input: RedirectBackInput): { grade: Grade; ticketUrl?: string } {
  const { issued, browserAgent } = input;
  const masked = maskSecret(issued.ticket);
  const attempts = input.redemptions.filter((r) => r.ticket === issued.ticket).sort((a, b) => a.at - b.at);
  const ticketUrl = input.exchanges.find((e) => ticketParameter(e.url)?.value === issued.ticket)?.url;

  if (attempts.length === 0) {
    const carried = input.exchanges.find((e) => e.url.includes(issued.ticket) || e.url.includes(encodeURIComponent(issued.ticket)));
    if (carried) {
      return {
        grade: failGrade(`the ticket came back in the wrong parameter: the proxy reads qlikTicket`, [
          `browser went to ${maskTickets(carried.url, issued.ticket)}`,
        ]),
      };
    }
    const after = input.exchanges.filter((e) => e.at >= issued.at);
    const backWithout = after.find((e) => originOf(e.url) === input.hubOrigin);
    if (backWithout) {
      return {
        grade: failGrade(
          `redirected without the ticket: the module sent the browser to ${backWithout.url} with no qlikTicket, so the proxy sent it back to the module`,
          [
            `ticket ${masked} was issued but never presented to the proxy`,
            ...after.slice(0, 6).map((e) => `${e.method} ${maskTickets(e.url)} -> ${e.status}${e.location ? ` (Location ${maskTickets(e.location)})` : ''}`),
          ],
        ),
      };
    }
    return {
      grade: failGrade(
        `the browser never came back to the proxy with qlikTicket (ticket ${masked} was issued)`,
        after.slice(0, 6).map((e) => `${e.method} ${maskTickets(e.url)} -> ${e.status}`),
      ),
    };
  }

  const f = new Findings();
  const first = attempts[0]!;
  if (first.userAgent !== browserAgent) {
    f.fail(
      `the module redeemed the ticket itself first (${first.userAgent ? `a client with user-agent "${first.userAgent}"` : 'a client without a user-agent'}, not the browser, presented it ${first.at - issued.at} ms after it was issued); a ticket is valid once, so the browser's redemption was refused as used`,
    );
  }
  const mine = attempts.filter((a) => a.userAgent === browserAgent);
  const browserAttempt = mine[0];
  let ms: number | undefined;
  if (!browserAttempt) {
    if (!f.failed) f.fail('the browser never presented the ticket itself');
  } else {
    ms = browserAttempt.at - issued.at;
    f.note(`the browser presented ${masked} as "${browserAttempt.parameterName}" at ${browserAttempt.url}, ${ms} ms after QPS issued it`);
    if (!browserAttempt.accepted && !f.failed) f.fail('the proxy refused the ticket the browser brought (used, expired, or for another virtual proxy)');
    else if (!browserAttempt.accepted) f.note('the proxy refused it: already used');
    if (ms > input.validityMs) f.fail(`the ticket was presented after ${(ms / 1000).toFixed(1)} s: a ticket is valid for ${input.validityMs / 1000} s`);
    if (issued.targetUri) {
      if (!sameUrl(browserAttempt.url, issued.targetUri)) f.warn(`the module sent the browser to ${browserAttempt.url}, not to TargetUri ${issued.targetUri}`);
      else f.note('the browser came back to TargetUri');
    } else f.note('QPS gave no TargetUri to compare with (no matching TargetId)');
    if (browserAttempt.parameterName !== 'qlikTicket') f.note(`parameter "${browserAttempt.parameterName}": accepted in any casing; clients emit qlikTicket`);
    if (mine.length > 1) f.warn(`the browser presented the same ticket ${mine.length} times`);
    if (browserAttempt.accepted) f.note('the proxy accepted it and set the session cookie');
  }
  const verdict = issued.targetUri ? 'redeemed once, by the browser, at TargetUri, within the minute' : 'redeemed once, by the browser, within the minute';
  return { grade: f.grade(verdict, ms), ticketUrl };
}
