// Seed 003 side by side: a mashup site gives each app its own dummy user and opens app A1 as user A1 in
// one tab and app A2 as user A2 in another. In one browser (one cookie jar) the second ticket replaces
// the first tab's session cookie, so every plain HTTP request of tab 1 (app page, content-library image,
// export download) now runs as user A2 and is refused; in isolated jars both tabs keep their own
// sessions. This module runs both cases over any "tab" (a Node browser client for the CLI, a real
// browser partition for the console) and explains each outcome in an administrator's words.
import {
  defaultExportPath,
  defaultImagePath,
  JAR_CASES,
  PROBE_KINDS,
  PROBE_LABELS,
  type CaseOutcome,
  type JarCase,
  type ProbeKind,
  type ProbeOutcome,
  type SharedJarProgress,
  type SharedJarReport,
  type SharedJarSide,
  type TabOutcome,
} from '../../../shared/shared-jar';
import { maskTickets } from '../../../shared/redact';
import { appendQlikTicket } from '../../../shared/ticket-url';
import { formatUser, sameUser, userRefOf, type UserRef } from '../../../shared/user';
import { virtualProxyBase } from '../../../shared/virtual-proxy';
import { errorReason } from '../error-text';
import { findSessionCookie } from '../sessions/cookie-sessions';

export interface TabResponse {
  status: number;
  contentType: string;
  bytes: number;
}

export interface TabDownload {
  bytes: number;
  /** The HTTP status, when the tab knows it. */
  status?: number;
  /** Why the download failed, in the tab's words; absent when the file arrived. */
  error?: string;
}

/** What the scenario needs of a browser tab. Every call is bounded in time by the implementation. */
export interface ScenarioTab {
  /** Navigates (following the site's redirects); the final status and address. */
  goto(url: string): Promise<{ status: number; url: string }>;
  /** A request the page makes with the jar's cookies. */
  fetchStatus(url: string): Promise<TabResponse>;
  fetchJson(url: string): Promise<{ status: number; body: unknown }>;
  /** Downloads `url` the way a click on an export link would. */
  download(url: string): Promise<TabDownload>;
  /** The jar's cookies; read in-process only, to end the sessions the scenario made. */
  cookies(): Promise<Array<{ name: string; value: string }>>;
  close(): Promise<void>;
}

export interface TabRequest {
  case: JarCase;
  /** Tabs opened with the same jar name within one case share their cookies. */
  jar: string;
  tab: 1 | 2;
}

export interface TabFactory {
  open(request: TabRequest): Promise<ScenarioTab>;
  /** After a case, with its tabs closed: drop that case's jars (and their folders, if any). */
  endCase?(jarCase: JarCase): Promise<void>;
}

export interface SharedJarOptions {
  /** The proxy's origin (`https://host:port`); tickets must come from the QPS of the same node. */
  proxy: string;
  virtualProxy: string;
  a: SharedJarSide;
  b: SharedJarSide;
  /** A fresh ticket for `user` on `virtualProxy` (the caller audits it). */
  ticket(user: UserRef): Promise<string>;
  tabs: TabFactory;
  /** The virtual proxy's session cookie name, when known; otherwise any X-Qlik-Session* cookie. */
  sessionCookieName?: string;
  /** Told about each session the scenario made (for the audit log); the id stays in this process. */
  onSession?(user: UserRef, sessionId: string, jarCase: JarCase): Promise<void>;
  /**
   * Ends a session the scenario made. Each run makes two sessions per user and a user may hold only
   * five at once, so without this a few runs would lock the dummy users out.
   */
  endSession?(user: UserRef, sessionId: string, jarCase: JarCase): Promise<void>;
  onProgress?(progress: SharedJarProgress): void;
}

interface Side {
  tab: 1 | 2;
  user: UserRef;
  appId: string;
  paths: Record<ProbeKind, string>;
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+/, '');
}

/** Is this answer what a person would call "it loaded"? */
function loaded(kind: ProbeKind, status: number, contentType: string, bytes: number): boolean {
  if (status < 200 || status > 299 || bytes <= 0) return false;
  // A 200 login or error page in place of an image would still be a broken image in the mashup.
  if (kind === 'image') return contentType === '' || /^image\//i.test(contentType);
  return true;
}

interface Explained {
  kind: ProbeKind;
  status: number;
  ok: boolean;
  bytes: number;
  contentType: string;
  error?: string;
  side: Side;
  other: Side;
  sessionUser?: UserRef;
  jarCase: JarCase;
}

/** Why a request went the way it did, in a Qlik administrator's words. */
export function explainProbe(e: Explained): string {
  const label = PROBE_LABELS[e.kind].toLowerCase();
  const tabUser = formatUser(e.side.user);
  const who = e.sessionUser ? formatUser(e.sessionUser) : undefined;
  if (e.ok && e.kind === 'export') return `${e.status}: downloaded as ${who ?? tabUser} (${e.bytes} bytes)`;
  if (e.ok) return `${e.status}: served to ${who ?? tabUser} (${e.contentType || 'no content type'}, ${e.bytes} bytes)`;
  const code = e.status > 0 ? `${e.status}` : 'no answer';
  if (e.status === 403 && e.sessionUser && !sameUser(e.sessionUser, e.side.user)) {
    const clobbered = e.sessionUser && sameUser(e.sessionUser, e.other.user);
    return (
      `${code}: the jar's session cookie now belongs to ${who}, who may not open app "${e.side.appId}"` +
      (clobbered
        ? ` - tab ${e.other.tab}'s ticket replaced ${tabUser}'s cookie (one jar, same virtual proxy, same cookie name)`
        : ` - the cookie is no longer ${tabUser}'s`)
    );
  }
  if (e.status === 403) return `${code}: ${who ?? tabUser} may not open app "${e.side.appId}": check the security rule that should grant it`;
  if (e.status === 302 || e.status === 401 || (!e.sessionUser && e.status === 0 && !e.error)) {
    return `${code}: this tab's jar holds no session on the virtual proxy, so the proxy sends it to the authentication module`;
  }
  if (e.status === 404) {
    return e.kind === 'export'
      ? `${code}: no such export is waiting at ${e.side.paths.export}: make an export in the app first and give its address`
      : `${code}: the site has no ${label} at ${e.side.paths[e.kind]}: check the path`;
  }
  if (e.error) return `${code}: ${e.error}${who && !sameUser(e.sessionUser!, e.side.user) ? ` (the jar's session cookie belongs to ${who})` : ''}`;
  if (e.status >= 200 && e.status <= 299) return `${code}: the proxy answered, but with ${e.contentType || 'no content'} (${e.bytes} bytes), not the ${label}`;
  return `${code}: unexpected answer from the proxy`;
}

function caseSummary(jarCase: JarCase, tabs: TabOutcome[], asExpected: boolean, sides: [Side, Side]): string {
  const ok = tabs.flatMap((t) => t.probes).filter((p) => p.ok).length;
  const total = tabs.flatMap((t) => t.probes).length;
  if (asExpected && jarCase === 'shared') {
    return (
      `Tab 1 (${formatUser(sides[0].user)}) lost its session to tab 2's ticket: its app page, image and export are refused because the ` +
      `shared jar's cookie now belongs to ${formatUser(sides[1].user)}; tab 2 works. This is seed 003.`
    );
  }
  if (asExpected) return `Each tab keeps its own session: all ${total} requests succeed.`;
  const unexpected = tabs.flatMap((t) =>
    [...(t.opened ? [] : [`tab ${t.tab} could not open its app (${t.openDetail})`])].concat(
      t.probes.filter((p) => p.ok !== p.expectedOk).map((p) => `tab ${t.tab} ${PROBE_LABELS[p.kind].toLowerCase()} ${p.ok ? 'succeeded' : 'failed'} (expected to ${p.expectedOk ? 'succeed' : 'fail'})`),
    ),
  );
  const first = tabs[0];
  if (jarCase === 'shared' && first?.probes.every((p) => p.ok) && first.sessionUser?.toLowerCase() === formatUser(sides[1].user).toLowerCase()) {
    unexpected.push(`${first.sessionUser} may open app "${sides[0].appId}" too, so the replaced cookie goes unnoticed: pick two users that may each open only their own app`);
  }
  return `Not as seed 003 predicts (${ok} of ${total} requests succeeded): ${unexpected.join('; ') || 'the session checks did not match'}.`;
}

/** Runs the shared case, then the isolated one, and says whether both behaved as seed 003 predicts. */
export async function runSharedJarScenario(options: SharedJarOptions): Promise<SharedJarReport> {
  const origin = new URL(options.proxy).origin;
  const vpBase = virtualProxyBase(origin, options.virtualProxy);
  const toSide = (tab: 1 | 2, s: SharedJarSide): Side => ({
    tab,
    user: { userDirectory: s.userDirectory, userId: s.userId },
    appId: s.appId,
    paths: {
      app: `sense/app/${encodeURIComponent(s.appId)}`,
      image: trimSlashes(s.image ?? defaultImagePath(s.appId)),
      export: trimSlashes(s.export ?? defaultExportPath(s.appId)),
    },
  });
  const sides: [Side, Side] = [toSide(1, options.a), toSide(2, options.b)];
  const cases: CaseOutcome[] = [];
  for (const jarCase of JAR_CASES) cases.push(await runCase(jarCase, options, sides, vpBase));
  const asExpected = cases.every((c) => c.asExpected);
  return {
    virtualProxy: options.virtualProxy,
    proxy: origin,
    cases,
    asExpected,
    verdict: asExpected
      ? 'Seed 003 reproduced: in one shared jar the second ticket breaks tab 1; in isolated partitions both tabs work.'
      : `The site did not behave as seed 003 describes: ${cases
          .filter((c) => !c.asExpected)
          .map((c) => `${c.case} case - ${c.summary}`)
          .join(' ')}`,
  };
}

async function runCase(jarCase: JarCase, options: SharedJarOptions, sides: [Side, Side], vpBase: string): Promise<CaseOutcome> {
  const steps = 5;
  let step = 0;
  const progress = (title: string, ok: boolean, detail: string): void => {
    step++;
    options.onProgress?.({ case: jarCase, step, of: steps, title, ok, detail });
  };
  const jarOf = (side: Side): string => (jarCase === 'shared' ? 'shared' : `tab ${side.tab}`);
  const made: Array<{ user: UserRef; sessionId: string }> = [];
  const tabs: ScenarioTab[] = [];
  const outcomes: TabOutcome[] = [];
  try {
    const opened: Array<{ tab?: ScenarioTab; ok: boolean; detail: string }> = [];
    for (const side of sides) {
      const title = `Ticket for ${formatUser(side.user)}, open app "${side.appId}" in tab ${side.tab} (${jarOf(side)} jar)`;
      const result = await openSide(side, jarCase, jarOf(side), options, vpBase, made);
      if (result.tab) tabs.push(result.tab);
      opened.push(result);
      progress(title, result.ok, result.detail);
    }
    for (const [index, side] of sides.entries()) {
      const other = sides[1 - index]!;
      const tab = opened[index]!.tab;
      const outcome: TabOutcome = {
        tab: side.tab,
        user: formatUser(side.user),
        appId: side.appId,
        jar: jarOf(side),
        opened: opened[index]!.ok,
        openDetail: opened[index]!.detail,
        probes: [],
      };
      if (tab) {
        const { sessionUser, probes } = await probeTab(tab, side, other, jarCase, vpBase);
        if (sessionUser) outcome.sessionUser = formatUser(sessionUser);
        outcome.probes = probes;
      } else {
        outcome.probes = PROBE_KINDS.map((kind) => ({
          kind,
          path: new URL(`${vpBase}${side.paths[kind]}`).pathname,
          ok: false,
          expectedOk: expectedOk(jarCase, side.tab),
          status: 0,
          bytes: 0,
          reason: 'not asked: the tab could not be opened',
        }));
      }
      outcomes.push(outcome);
      const good = outcome.probes.filter((p) => p.ok).length;
      progress(
        `Tab ${side.tab}: app page, content-library image, export download`,
        outcome.probes.every((p) => p.ok === p.expectedOk),
        `${good} of ${outcome.probes.length} succeeded; the session is ${outcome.sessionUser ?? 'none'}'s`,
      );
    }
  } finally {
    await Promise.all(tabs.map((t) => t.close().catch(() => undefined)));
    await options.tabs.endCase?.(jarCase).catch(() => undefined);
  }

  let ended = 0;
  const endFailures: string[] = [];
  if (options.endSession) {
    for (const { user, sessionId } of made) {
      try {
        await options.endSession(user, sessionId, jarCase);
        ended++;
      } catch (err) {
        endFailures.push(`${formatUser(user)}: ${errorReason(err)}`);
      }
    }
    progress(
      `End the ${made.length} sessions this case made`,
      endFailures.length === 0,
      endFailures.length === 0 ? `${ended} ended through QPS` : `${ended} ended; not ended: ${endFailures.join('; ')}`,
    );
  } else {
    progress(`End the ${made.length} sessions this case made`, true, 'left to time out (no QPS to end them through)');
  }

  const tab1 = outcomes[0];
  // The seed's mechanism, not just its symptom: tab 1's cookie must now be tab 2's user's.
  const mechanism = jarCase !== 'shared' || tab1?.sessionUser?.toLowerCase() === formatUser(sides[1].user).toLowerCase();
  const asExpected = outcomes.every((t) => t.opened && t.probes.every((p) => p.ok === p.expectedOk)) && mechanism;
  return { case: jarCase, tabs: outcomes, asExpected, summary: caseSummary(jarCase, outcomes, asExpected, sides) };
}

/** Seed 003: with one jar, the first tab's requests fail once the second ticket is redeemed. */
function expectedOk(jarCase: JarCase, tab: 1 | 2): boolean {
  return jarCase === 'isolated' || tab === 2;
}

async function openSide(
  side: Side,
  jarCase: JarCase,
  jar: string,
  options: SharedJarOptions,
  vpBase: string,
  made: Array<{ user: UserRef; sessionId: string }>,
): Promise<{ tab?: ScenarioTab; ok: boolean; detail: string }> {
  let tab: ScenarioTab;
  try {
    tab = await options.tabs.open({ case: jarCase, jar, tab: side.tab });
  } catch (err) {
    return { ok: false, detail: `the tab could not be opened: ${errorReason(err)}` };
  }
  let ticket: string;
  try {
    ticket = await options.ticket(side.user);
  } catch (err) {
    return { tab, ok: false, detail: `no ticket for ${formatUser(side.user)}: ${errorReason(err)}` };
  }
  const scrub = (text: string): string => maskTickets(text, ticket);
  try {
    const nav = await tab.goto(appendQlikTicket(`${vpBase}${side.paths.app}`, ticket));
    const cookie = findSessionCookie(await tab.cookies(), options.sessionCookieName)?.value;
    if (cookie) {
      made.push({ user: side.user, sessionId: cookie });
      await options.onSession?.(side.user, cookie, jarCase);
    }
    const who = userRefOf((await tab.fetchJson(`${vpBase}qps/user`)).body);
    if (nav.status !== 200) {
      return { tab, ok: false, detail: scrub(`the app page answered ${nav.status} at ${nav.url}${who ? ` (session of ${formatUser(who)})` : ''}`) };
    }
    if (!who || !sameUser(who, side.user)) {
      return { tab, ok: false, detail: `the app page loaded, but the personal API names ${who ? formatUser(who) : 'no session'}, not ${formatUser(side.user)}` };
    }
    return { tab, ok: true, detail: `app page 200, session of ${formatUser(who)}` };
  } catch (err) {
    return { tab, ok: false, detail: scrub(`the app did not open: ${errorReason(err)}`) };
  }
}

async function probeTab(tab: ScenarioTab, side: Side, other: Side, jarCase: JarCase, vpBase: string): Promise<{ sessionUser?: UserRef; probes: ProbeOutcome[] }> {
  // Who the proxy thinks this tab is, asked the way a mashup could: the personal API with the tab's cookie.
  let sessionUser: UserRef | undefined;
  try {
    sessionUser = userRefOf((await tab.fetchJson(`${vpBase}qps/user`)).body);
  } catch {
    sessionUser = undefined;
  }
  const probes: ProbeOutcome[] = [];
  for (const kind of PROBE_KINDS) {
    const url = `${vpBase}${side.paths[kind]}`;
    let status = 0;
    let bytes = 0;
    let contentType = '';
    let error: string | undefined;
    try {
      if (kind === 'export') {
        const got = await tab.download(url);
        status = got.status ?? (got.error ? 0 : 200);
        bytes = got.bytes;
        error = got.error;
      } else {
        const got = await tab.fetchStatus(url);
        ({ status, bytes, contentType } = got);
      }
    } catch (err) {
      error = errorReason(err);
    }
    const ok = error === undefined && loaded(kind, status, contentType, bytes);
    const outcome: ProbeOutcome = {
      kind,
      path: new URL(url).pathname,
      ok,
      expectedOk: expectedOk(jarCase, side.tab),
      status,
      bytes,
      reason: explainProbe({ kind, status, ok, bytes, contentType, side, other, jarCase, ...(error !== undefined ? { error } : {}), ...(sessionUser ? { sessionUser } : {}) }),
    };
    if (contentType) outcome.contentType = contentType;
    probes.push(outcome);
  }
  return { ...(sessionUser ? { sessionUser } : {}), probes };
}
