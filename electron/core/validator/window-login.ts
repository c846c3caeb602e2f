// The interactive login: a person logs in at the module in a real browser window while the run watches.
// A window cannot say "the person is done", so the run decides from what it can see: the window is back
// at the proxy and the proxy's personal API names a session. A module stuck in a ticket loop never gets
// there; the site's own record (one ticket request per round) stops the wait early, like the headless
// browser's redirect limit does.
import { setTimeout as delay } from 'node:timers/promises';
import { userRefOf, type UserRef } from '../../../shared/user';
import { maskTickets } from '../../../shared/redact';
import { errorReason } from '../error-text';
import { originOf, type RunContext } from './context';
import { failGrade, type Grade } from './grade';
import { ValidationCancelled, type LoginWindow } from './types';

/** Five minutes: enough to find a password, or an MFA prompt on a phone. */
export const DEFAULT_INTERACTIVE_TIMEOUT_MS = 5 * 60_000;
/** More ticket requests than this during one login means the module and the proxy bounce the window. */
const LOOP_TICKET_REQUESTS = 8;
const POLL_MS = 250;

export interface WindowLoginOutcome {
  startedAt: number;
  endedAt: number;
  /** The first page the window showed (the module, or where it sent the window). */
  first?: { status: number; url: string };
  /** Where the window ended. */
  finalUrl?: string;
  /** The session the window holds at the proxy, once back. */
  session?: UserRef;
  error?: WindowLoginError;
}

export class WindowLoginError extends Error {
  override name = 'WindowLoginError';
  constructor(
    readonly kind: 'timeout' | 'loop' | 'navigation' | 'closed',
    message: string,
  ) {
    super(message);
  }
}

/** The user of the window's session on the ticket virtual proxy (personal API), if it has one. */
export async function windowSession(ctx: RunContext, window: LoginWindow): Promise<UserRef | undefined> {
  if (originOf(window.url()) !== ctx.hubOrigin) return undefined;
  const { status, body } = await window.fetchJson(`${ctx.vpBase}/qps/user`);
  return status === 200 ? userRefOf(body) : undefined;
}

function ticketRequestsSince(ctx: RunContext, from: number): number {
  return ctx.recorder.ticketRequestsBetween(from, Number.MAX_SAFE_INTEGER).length;
}

/** Waits `ms`, or less when the run is cancelled: the loop then stops on the signal itself. */
async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, signal ? { signal } : {}).catch((err: unknown) => {
    if (!(err instanceof Error && err.name === 'AbortError')) throw err;
  });
}

/**
 * Opens `redirectUrl` (the module, with proxyRestUri and targetId) in the window and waits until the
 * window holds a session at the proxy, the module loops, or `timeoutMs` runs out. Never throws except
 * ValidationCancelled.
 */
export async function loginInWindow(
  ctx: RunContext,
  window: LoginWindow,
  redirectUrl: string,
  options: { timeoutMs: number; signal?: AbortSignal; onWaiting?: () => void },
): Promise<WindowLoginOutcome> {
  const startedAt = Date.now();
  const deadline = startedAt + options.timeoutMs;
  const end = (rest: Omit<WindowLoginOutcome, 'startedAt' | 'endedAt'>): WindowLoginOutcome => ({ startedAt, endedAt: Date.now(), ...rest });
  let first: { status: number; url: string } | undefined;
  try {
    first = await window.goto(redirectUrl);
  } catch (err) {
    if (options.signal?.aborted) throw new ValidationCancelled();
    // Navigation errors of the hosts carry a hint (untrusted certificate, refused, too many redirects).
    const text = errorReason(err);
    const loop = /redirect/i.test(text) && ticketRequestsSince(ctx, startedAt) > 1;
    return end({
      error: new WindowLoginError(
        loop ? 'loop' : 'navigation',
        loop ? `the login ended in a redirect loop between the proxy and the module: ${text}` : `the window could not open the module: ${text}`,
      ),
    });
  }
  options.onWaiting?.();
  for (;;) {
    if (options.signal?.aborted) throw new ValidationCancelled();
    let url: string;
    try {
      url = window.url();
    } catch {
      url = '';
    }
    // Hosts answer '' (or throw) once the person closed the window.
    if (url === '') return end({ first, error: new WindowLoginError('closed', 'the login window was closed before the login finished') });
    if (originOf(url) === ctx.hubOrigin) {
      // The page may still be loading (or redirecting on) while it is asked: a failed look is retried.
      const session = await windowSession(ctx, window).catch(() => undefined);
      if (session) return end({ first, finalUrl: url, session });
    }
    if (ticketRequestsSince(ctx, startedAt) > LOOP_TICKET_REQUESTS) {
      return end({
        first,
        finalUrl: url,
        error: new WindowLoginError(
          'loop',
          `the login ended in a redirect loop between the proxy and the module (more than ${LOOP_TICKET_REQUESTS} ticket requests for one login)`,
        ),
      });
    }
    if (Date.now() >= deadline) {
      return end({
        first,
        finalUrl: url,
        error: new WindowLoginError(
          'timeout',
          `the login did not finish within ${Math.round(options.timeoutMs / 1000)} s: the window never came back to the proxy with a session (it is at ${maskTickets(url)})`,
        ),
      });
    }
    await pause(POLL_MS, options.signal);
  }
}

/** Step 2 for a window login: did the person (and the module) bring the window back with a session? */
export function gradeWindowLogin(ctx: RunContext, outcome: WindowLoginOutcome): Grade {
  const ms = outcome.endedAt - outcome.startedAt;
  const evidence: string[] = [];
  if (outcome.first) evidence.push(`the window opened the module: HTTP ${outcome.first.status} at ${maskTickets(outcome.first.url)}`);
  if (outcome.finalUrl) evidence.push(`the window ended at ${maskTickets(outcome.finalUrl)}`);
  if (outcome.error) {
    const detail = outcome.error.kind === 'loop' ? `${outcome.error.message} (the cause is graded below)` : outcome.error.message;
    return failGrade(detail, evidence, ms);
  }
  const where = maskTickets(outcome.finalUrl ?? '');
  if (originOf(outcome.finalUrl ?? '') !== ctx.hubOrigin) return failGrade(`the login ended at ${where}, never back at the proxy`, evidence, ms);
  return { status: 'pass', detail: `the window came back to the proxy with a session: ${where}`, evidence, ms };
}
