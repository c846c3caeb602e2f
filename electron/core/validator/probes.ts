// The negative probes: what a module must also get right once the happy path works. Each runs in fresh
// browsers (fresh cookie jars) against the same site, after the main flow.
import { randomUUID } from 'node:crypto';
import { maskSecret, maskTickets } from '../../../shared/redact';
import { formatUser, sameUser, type UserRef } from '../../../shared/user';
import { BrowserRequestError } from '../browser';
import { errorReason } from '../error-text';
import { ModuleStoppedAnswering, originOf, type LoginOutcome, type RunContext, type ValidatorBrowser } from './context';
import { Findings, failGrade, skippedGrade, type Grade } from './grade';
import { ticketParameter } from './grade-redirect-back';
import { targetIdOf } from './grade-ticket-request';

function outcomeText(outcome: LoginOutcome): string {
  if (outcome.error)
    return outcome.error instanceof BrowserRequestError && outcome.error.code === 'TOO_MANY_REDIRECTS'
      ? 'a redirect loop'
      : `an error (${errorReason(outcome.error)})`;
  const r = outcome.response!;
  return `HTTP ${r.status} at ${maskTickets(r.url)}`;
}

/** Re-sends the URL that carried the module's ticket, in a fresh jar: a used ticket must not log anyone in. */
export async function probeReplay(ctx: RunContext, ticketUrl: string | undefined): Promise<Grade> {
  if (!ticketUrl) return skippedGrade('no URL with a ticket to replay');
  const started = Date.now();
  const browser = ctx.newBrowser('replay');
  const ticket = ticketParameter(ticketUrl)?.value ?? '';
  const res = await browser.client.get(ticketUrl, { stopAt: (u) => originOf(u) !== ctx.hubOrigin });
  const session = await ctx.sessionOf(browser);
  const evidence = [`GET ${maskTickets(ticketUrl)} in a fresh cookie jar -> ${res.status}${res.headers.location ? ` (Location ${res.headers.location})` : ''}`];
  const ms = Date.now() - started;
  if (session) return failGrade(`replaying the ticket URL (${maskSecret(ticket)}) logged a fresh browser in as ${formatUser(session)}`, evidence, ms);
  evidence.push('the fresh browser holds no session');
  return { status: 'pass', detail: 'the replayed ticket was refused: a ticket works once', evidence, ms };
}

/**
 * Sends a browser to the module with a targetId the proxy never issued (as after a restart or a stale
 * bookmark). QPS then answers without TargetUri; a module should refuse clearly rather than crash, loop,
 * or use some other targetId.
 */
export async function probeStaleTarget(ctx: RunContext, redirectUrl: string, hint: string): Promise<Grade> {
  const stale = randomUUID();
  const url = new URL(redirectUrl);
  url.searchParams.set('targetId', stale);
  const browser = ctx.newBrowser('stale-target');
  const outcome = await ctx.login(browser, url.href, { account: 1, loginHint: hint });
  const session = await ctx.sessionOf(browser);
  const f = new Findings();
  f.note(`sent to the module with targetId ${stale} (never issued by the proxy)`);
  for (const req of ctx.recorder.ticketRequestsBetween(outcome.startedAt, outcome.endedAt)) {
    const sent = targetIdOf(req);
    f.note(`ticket request with TargetId ${sent ?? '(none)'} -> HTTP ${req.status}${req.targetUri ? `, TargetUri ${req.targetUri}` : ', no TargetUri'}`);
    if (sent !== undefined && sent.toLowerCase() !== stale)
      f.fail(`the module sent TargetId ${sent}, not the targetId it was given (${stale}): is targetId kept in a global?`);
  }
  f.note(`the login ended with ${outcomeText(outcome)}`);
  const status = outcome.response?.status;
  if (session) {
    f.warn(`logged in as ${formatUser(session)} although the targetId was unknown (a fallback target); prefer an error that sends the person back to the hub`);
  } else if (status !== undefined && status >= 400 && status < 500) {
    f.note('no session: the module refused the login');
  } else {
    f.warn(`the module did not handle an unknown targetId gracefully: ${outcomeText(outcome)}`);
  }
  return f.grade('the module refused the unknown targetId clearly (HTTP 4xx, no session)', outcome.endedAt - outcome.startedAt);
}

/**
 * Sends a browser to the module with a proxyRestUri that points at an impostor QPS: QPS's host name, a
 * certificate from another CA. A module that sends its ticket request there does not verify the proxy's
 * certificate, and would give anyone on the network path the identity of every user it logs in.
 */
export async function probeImpostorQps(ctx: RunContext, redirectUrl: string, hint: string): Promise<Grade> {
  const impostor = await ctx.site.startImpostorQps();
  try {
    const url = new URL(redirectUrl);
    url.searchParams.set('proxyRestUri', impostor.proxyRestUri);
    const outcome = await ctx.login(ctx.newBrowser('impostor-qps'), url.href, { account: 1, loginHint: hint });
    const seen = impostor.seen();
    const f = new Findings();
    f.note(
      `sent to the module with proxyRestUri ${impostor.proxyRestUri}: QPS's host name, a certificate (${impostor.certificate.subject}) issued by another CA that carries the site CA's name (${impostor.certificate.issuer})`,
    );
    for (const r of seen.requests) {
      f.note(
        `the impostor received ${r.method} ${r.path}${r.user ? ` for ${r.user}` : ''}${r.clientCertificate ? `, with the client certificate ${r.clientCertificate}` : ''}`,
      );
    }
    if (seen.requests.length > 0) {
      f.fail(
        "the module sent its ticket request to a server whose certificate the site CA did not issue: it does not verify the proxy's certificate, so anyone on the network path gets the identity of every user it logs in. " +
          'Verify QPS against root.pem (never rejectUnauthorized: false, verify=False or a callback that accepts any certificate)',
      );
    } else if (outcome.error instanceof ModuleStoppedAnswering) {
      // Silent, not cautious: the run names the module's silence as this step's finding.
    } else if (seen.connections === 0) {
      f.warn(
        'the module never contacted the proxyRestUri it was given (a fixed QPS address?), so whether it verifies the certificate could not be seen; use the proxyRestUri of each redirect',
      );
    } else {
      f.note(`the module refused the certificate: ${seen.connections} connection(s), no request`);
    }
    f.note(`the login ended with ${outcomeText(outcome)}`);
    return f.grade("the module refused the impostor's certificate and sent it nothing", outcome.endedAt - outcome.startedAt);
  } finally {
    await impostor.close();
  }
}

interface Jar {
  n: 1 | 2;
  browser: ValidatorBrowser;
  hint: string;
  targetId: string;
  hubUrl: string;
  redirectUrl: string;
}

/**
 * Two fresh browsers log in at once as the two test accounts. Each must end as its own user, at its own
 * target: a module that keeps targetId (or the user) in a global variable hands one browser the other's.
 */
export async function probeParallel(ctx: RunContext, hints: [string, string]): Promise<Grade> {
  const started = Date.now();
  const jars: Jar[] = [];
  for (const n of [1, 2] as const) {
    const browser = ctx.newBrowser(`parallel-${n}`);
    const hub = await ctx.openHub(browser, `?usher-probe=parallel-${n}`);
    if (!hub.location || !hub.targetId) return failGrade(`the proxy did not send browser ${n} to the module (HTTP ${hub.status})`);
    jars.push({ n, browser, hint: hints[n - 1]!, targetId: hub.targetId, hubUrl: hub.hubUrl, redirectUrl: hub.location });
  }
  // Both browsers are at the module's door before either logs in, then both go at once.
  const outcomes = await Promise.all(jars.map((j) => ctx.login(j.browser, j.redirectUrl, { account: j.n, loginHint: j.hint })));
  const ended = Math.max(...outcomes.map((o) => o.endedAt));
  const requests = ctx.recorder.ticketRequestsBetween(started, ended);
  const redemptions = ctx.recorder.redemptionsBetween(started, ended);
  const f = new Findings();
  const users: Array<UserRef | undefined> = [];
  for (const [i, jar] of jars.entries()) {
    const other = jars[1 - i]!;
    const session = await ctx.sessionOf(jar.browser);
    const redeemed = redemptions.find((r) => r.userAgent === jar.browser.agent && r.accepted);
    const line = `browser ${jar.n} (login_hint ${jar.hint}, targetId ${jar.targetId})`;
    if (!redeemed) {
      f.fail(`${line} did not log in: ${outcomeText(outcomes[i]!)}`);
      users.push(undefined);
      continue;
    }
    const req = requests.find((r) => r.ticket === redeemed.ticket);
    const sentTarget = req ? targetIdOf(req) : undefined;
    users.push(redeemed.user);
    f.note(
      `${line}: ticket ${maskSecret(redeemed.ticket)} for ${redeemed.user ? formatUser(redeemed.user) : '?'} with TargetId ${sentTarget ?? '(none)'}, redeemed at ${redeemed.url}, session ${session ? formatUser(session) : 'none'}`,
    );
    if (sentTarget && sentTarget.toLowerCase() === other.targetId.toLowerCase()) {
      f.fail(
        `browser ${jar.n}'s ticket carried browser ${other.n}'s targetId (${sentTarget}): the module keeps targetId in a global, so parallel logins land at each other's targets`,
      );
    } else if (sentTarget && sentTarget.toLowerCase() !== jar.targetId.toLowerCase()) {
      f.fail(`browser ${jar.n}'s ticket carried TargetId ${sentTarget}, not its own (${jar.targetId})`);
    }
    if (new URL(redeemed.url).href !== new URL(jar.hubUrl).href) f.fail(`browser ${jar.n} landed at ${redeemed.url}, not where it started (${jar.hubUrl})`);
    if (!session) f.fail(`browser ${jar.n} holds no session after its login`);
    else if (redeemed.user && !sameUser(session, redeemed.user))
      f.fail(`browser ${jar.n}'s session is ${formatUser(session)}, its ticket was for ${formatUser(redeemed.user)}`);
  }
  // Modules that honour login_hint: each browser must be the user it asked to be, not the other one.
  const [u1, u2] = users;
  const idMatches = (u: UserRef | undefined, hint: string): boolean => u?.userId.toLowerCase() === hint.toLowerCase();
  if (idMatches(u1, hints[1]) && idMatches(u2, hints[0])) f.fail(`the users are mixed up: browser 1 became ${hints[1]} and browser 2 became ${hints[0]}`);
  return f.grade('both browsers ended as their own user, at their own target', ended - started);
}
