// Seed 003 side by side: a mashup site gives each app its own dummy user and opens app A1 as user A1 in
// one tab and app A2 as user A2 in another. Each tab opens its app over the engine WebSocket, as the
// Capability API does. In one browser (one cookie jar) the second ticket replaces the first tab's
// session cookie: tab 1's WebSocket keeps working as A1 (its user was fixed when it connected), so
// selections and starting an export still work, but every plain HTTP request of tab 1 (app page,
// content-library image, the export's download) now runs as user A2 and is refused. In isolated jars
// both tabs keep their own sessions. This module runs both cases over any "tab" (a Node browser client
// for the CLI, a real browser partition for the console) and explains each outcome in an
// administrator's words.
import {
  defaultImagePath,
  JAR_CASES,
  PROBE_KINDS,
  PROBE_LABELS,
  probeExpectedOk,
  SHARED_JAR_STEPS_PER_CASE,
  WEBSOCKET_PROBES,
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
import { engineUserRef, openApp, selectFirstValue, startExport, type EngineAddress, type EngineTab } from './engine-tab';

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
  /**
   * Opens the engine WebSocket from the page, as a mashup does: with the jar's cookies, the page's
   * origin and the csrf token the proxy hands out. The socket stays open until the tab closes.
   */
  openEngine(address: EngineAddress): Promise<EngineTab>;
  /** The jar's cookies; read in-process only, to end the sessions the scenario made. */
  cookies(): Promise<Array<{ name: string; value: string }>>;
  /**
   * Told whom the tab's session on the virtual proxy belongs to once the personal API has said so (a
   * window names its user in its title; in a shared jar the other tab's window now runs as this user too).
   */
  loggedInAs?(user: UserRef): void;
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
  /** HTTP paths below the virtual proxy; `export` only when given (else the tab's own export's file). */
  paths: { app: string; image: string; export?: string };
}

/** What a tab opened: its window, and its engine socket with the app open (when that worked). */
interface OpenedTab {
  tab?: ScenarioTab;
  engine?: { socket: EngineTab; doc: number; user: string };
  ok: boolean;
  detail: string;
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
  /** What a WebSocket probe did ("app open, North selected in Region"). */
  detail?: string;
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
  if (WEBSOCKET_PROBES.has(e.kind)) {
    if (!e.ok) return `the WebSocket failed: ${e.error ?? 'no answer'}`;
    const kept =
      e.sessionUser && !sameUser(e.sessionUser, e.side.user)
        ? `, though the jar's cookie now belongs to ${who}: the socket's user was fixed when it connected`
        : '';
    return `${e.detail ?? 'done'} over the WebSocket as ${tabUser}${kept}`;
  }
  if (e.ok && e.kind === 'export') return `${e.status}: downloaded as ${who ?? tabUser} (${e.bytes} bytes)`;
  if (e.ok) return `${e.status}: served to ${who ?? tabUser} (${e.contentType || 'no content type'}, ${e.bytes} bytes)`;
  const code = e.status > 0 ? `${e.status}` : 'no answer';
  if (e.status === 403 && e.sessionUser && !sameUser(e.sessionUser, e.side.user)) {
    const clobbered = e.sessionUser && sameUser(e.sessionUser, e.other.user);
    const refused = e.kind === 'export' ? `but the file was exported by ${tabUser}'s engine session` : `who may not open app "${e.side.appId}"`;
    return (
      `${code}: the jar's session cookie now belongs to ${who}, ${refused}` +
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
      ? `${code}: no such export is waiting at ${e.side.paths.export ?? 'the address the engine gave'}: make an export in the app first and give its address`
      : `${code}: the site has no ${label} at ${e.kind === 'image' ? e.side.paths.image : e.side.paths.app}: check the path`;
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
      `Tab 1 (${formatUser(sides[0].user)}) lost its HTTP session to tab 2's ticket: its WebSocket still works as ${formatUser(sides[0].user)} ` +
      `(selections, starting an export), but its app page, image and export download are refused because the shared jar's cookie now ` +
      `belongs to ${formatUser(sides[1].user)}; tab 2 works. This is seed 003.`
    );
  }
  if (asExpected) return `Each tab keeps its own session: all ${total} requests succeed.`;
  const unexpected = tabs.flatMap((t) =>
    [...(t.opened ? [] : [`tab ${t.tab} could not open its app (${t.openDetail})`])].concat(
      t.probes
        .filter((p) => p.ok !== p.expectedOk)
        .map((p) => `tab ${t.tab} ${PROBE_LABELS[p.kind].toLowerCase()} ${p.ok ? 'succeeded' : 'failed'} (expected to ${p.expectedOk ? 'succeed' : 'fail'})`),
    ),
  );
  const first = tabs[0];
  // The app page and the image are what the app's security rules guard (an engine export is its maker's alone).
  const appRequestsOk = first?.probes.filter((p) => p.kind === 'app' || p.kind === 'image').every((p) => p.ok);
  if (jarCase === 'shared' && appRequestsOk && first?.sessionUser?.toLowerCase() === formatUser(sides[1].user).toLowerCase()) {
    unexpected.push(
      `${first.sessionUser} may open app "${sides[0].appId}" too, so the replaced cookie goes unnoticed: pick two users that may each open only their own app`,
    );
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
      ...(s.export !== undefined ? { export: trimSlashes(s.export) } : {}),
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
      ? "Seed 003 reproduced: in one shared jar the second ticket breaks tab 1's HTTP requests while its WebSocket keeps working; in isolated partitions both tabs work."
      : `The site did not behave as seed 003 describes: ${cases
          .filter((c) => !c.asExpected)
          .map((c) => `${c.case} case - ${c.summary}`)
          .join(' ')}`,
  };
}

/** The probes of a tab that could not be opened: none asked, each failed for that reason. */
function unaskedProbes(side: Side, jarCase: JarCase, vpBase: string): ProbeOutcome[] {
  return PROBE_KINDS.map((kind) => ({
    kind,
    path: probePath(kind, side, vpBase),
    ok: false,
    expectedOk: probeExpectedOk(jarCase, side.tab, kind),
    status: 0,
    bytes: 0,
    reason: 'not asked: the tab could not be opened',
  }));
}

/** Ends the sessions a case made through QPS, when there is one to end them through; each failure is named. */
async function endSessions(
  made: Array<{ user: UserRef; sessionId: string }>,
  options: SharedJarOptions,
  jarCase: JarCase,
): Promise<{ ok: boolean; detail: string }> {
  if (!options.endSession) return { ok: true, detail: 'left to time out (no QPS to end them through)' };
  let ended = 0;
  const endFailures: string[] = [];
  for (const { user, sessionId } of made) {
    try {
      await options.endSession(user, sessionId, jarCase);
      ended++;
    } catch (err) {
      endFailures.push(`${formatUser(user)}: ${errorReason(err)}`);
    }
  }
  if (endFailures.length === 0) return { ok: true, detail: `${ended} ended through QPS` };
  return { ok: false, detail: `${ended} ended; not ended: ${endFailures.join('; ')}` };
}

async function runCase(jarCase: JarCase, options: SharedJarOptions, sides: [Side, Side], vpBase: string): Promise<CaseOutcome> {
  const steps = SHARED_JAR_STEPS_PER_CASE;
  let step = 0;
  const progress = (title: string, ok: boolean, detail: string): void => {
    step++;
    options.onProgress?.({ case: jarCase, step, of: steps, title, ok, detail });
  };
  const jarOf = (side: Side): string => (jarCase === 'shared' ? 'shared' : `tab ${side.tab}`);
  const made: Array<{ user: UserRef; sessionId: string }> = [];
  const tabs: ScenarioTab[] = [];
  const sockets: EngineTab[] = [];
  const outcomes: TabOutcome[] = [];
  try {
    const opened: OpenedTab[] = [];
    for (const side of sides) {
      const title = `Ticket for ${formatUser(side.user)}, open app "${side.appId}" in tab ${side.tab} (${jarOf(side)} jar), page and WebSocket`;
      const result = await openSide(side, jarCase, jarOf(side), options, vpBase, made);
      if (result.tab) tabs.push(result.tab);
      if (result.engine) sockets.push(result.engine.socket);
      opened.push(result);
      progress(title, result.ok, result.detail);
    }
    for (const [index, side] of sides.entries()) {
      const other = sides[1 - index]!;
      const { tab, engine } = opened[index]!;
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
        const { sessionUser, probes } = await probeTab(tab, engine, side, other, jarCase, vpBase);
        if (sessionUser) outcome.sessionUser = formatUser(sessionUser);
        outcome.probes = probes;
      } else {
        outcome.probes = unaskedProbes(side, jarCase, vpBase);
      }
      outcomes.push(outcome);
      const good = outcome.probes.filter((p) => p.ok).length;
      progress(
        `Tab ${side.tab}: app page, selections over the WebSocket, content-library image, export started over the WebSocket, export download`,
        outcome.probes.every((p) => p.ok === p.expectedOk),
        `${good} of ${outcome.probes.length} succeeded; the session is ${outcome.sessionUser ?? 'none'}'s`,
      );
    }
  } finally {
    await Promise.all(sockets.map((socket) => socket.close().catch(() => undefined)));
    await Promise.all(tabs.map((t) => t.close().catch(() => undefined)));
    await options.tabs.endCase?.(jarCase).catch(() => undefined);
  }

  const { ok: allEnded, detail: endDetail } = await endSessions(made, options, jarCase);
  progress(`End the ${made.length} sessions this case made`, allEnded, endDetail);

  const tab1 = outcomes[0];
  // The seed's mechanism, not just its symptom: tab 1's cookie must now be tab 2's user's.
  const mechanism = jarCase !== 'shared' || tab1?.sessionUser?.toLowerCase() === formatUser(sides[1].user).toLowerCase();
  const asExpected = outcomes.every((t) => t.opened && t.probes.every((p) => p.ok === p.expectedOk)) && mechanism;
  return { case: jarCase, tabs: outcomes, asExpected, summary: caseSummary(jarCase, outcomes, asExpected, sides) };
}

/** Where a probe goes, for the report: an HTTP path below the proxy, or the tab's socket. */
function probePath(kind: ProbeKind, side: Side, vpBase: string, exportUrl?: string): string {
  if (WEBSOCKET_PROBES.has(kind)) return new URL(`${vpBase}app/${encodeURIComponent(side.appId)}`).pathname;
  if (kind === 'export') return side.paths.export ? new URL(`${vpBase}${side.paths.export}`).pathname : exportUrl ? new URL(exportUrl).pathname : '';
  return new URL(`${vpBase}${kind === 'image' ? side.paths.image : side.paths.app}`).pathname;
}

/** The engine socket of a tab, as a mashup opens it: `wss://host/{prefix}/app/{appId}`, token from the proxy. */
function engineAddress(vpBase: string, appId: string): EngineAddress {
  return { socketUrl: `${vpBase.replace(/^https:/, 'wss:')}app/${encodeURIComponent(appId)}`, csrfTokenUrl: `${vpBase}qps/csrftoken` };
}

async function openSide(
  side: Side,
  jarCase: JarCase,
  jar: string,
  options: SharedJarOptions,
  vpBase: string,
  made: Array<{ user: UserRef; sessionId: string }>,
): Promise<OpenedTab> {
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
    if (who) tab.loggedInAs?.(who);
    if (nav.status !== 200) {
      return { tab, ok: false, detail: scrub(`the app page answered ${nav.status} at ${nav.url}${who ? ` (session of ${formatUser(who)})` : ''}`) };
    }
    if (!who || !sameUser(who, side.user)) {
      return {
        tab,
        ok: false,
        detail: `the app page loaded, but the personal API names ${who ? formatUser(who) : 'no session'}, not ${formatUser(side.user)}`,
      };
    }
    // The page opens its app over the engine WebSocket, as the Capability API does.
    let socket: EngineTab;
    try {
      socket = await tab.openEngine(engineAddress(vpBase, side.appId));
    } catch (err) {
      return { tab, ok: false, detail: `app page 200, but the engine WebSocket did not open: ${errorReason(err)}` };
    }
    try {
      const app = await openApp(socket, side.appId);
      return { tab, engine: { socket, ...app }, ok: true, detail: `app page 200 and app opened over the WebSocket, session of ${formatUser(who)}` };
    } catch (err) {
      await socket.close().catch(() => undefined);
      return { tab, ok: false, detail: `app page 200, but the app did not open over the WebSocket: ${errorReason(err)}` };
    }
  } catch (err) {
    return { tab, ok: false, detail: scrub(`the app did not open: ${errorReason(err)}`) };
  }
}

interface ProbeResult {
  status: number;
  bytes: number;
  contentType: string;
  error?: string;
  detail?: string;
  /** A WebSocket probe's own verdict. */
  ok?: boolean;
}

const notOnSocket = (error: string): ProbeResult => ({ status: 0, bytes: 0, contentType: '', error });

/** The engine probe: a value selected over the tab's socket, which must still be the tab's user's. */
async function selectionProbe(engine: NonNullable<OpenedTab['engine']>, side: Side): Promise<{ field: string; result: ProbeResult }> {
  const selection = await selectFirstValue(engine.socket, engine.doc);
  const { field } = selection;
  // Seed 003's mechanism: the socket still belongs to the tab's user, whatever the jar's cookie says now.
  const socketUser = engineUserRef(selection.user);
  if (!socketUser || !sameUser(socketUser, side.user))
    return { field, result: notOnSocket(`the socket belongs to ${selection.user}, not ${formatUser(side.user)}`) };
  if (selection.state !== 'S')
    return { field, result: notOnSocket(`selected "${selection.value}" in ${selection.field}, but the engine reports its state as ${selection.state}`) };
  return { field, result: { status: 0, bytes: 0, contentType: '', ok: true, detail: `app open, "${selection.value}" selected in ${selection.field}` } };
}

async function probeTab(
  tab: ScenarioTab,
  engine: OpenedTab['engine'],
  side: Side,
  other: Side,
  jarCase: JarCase,
  vpBase: string,
): Promise<{ sessionUser?: UserRef; probes: ProbeOutcome[] }> {
  // Who the proxy thinks this tab is, asked the way a mashup could: the personal API with the tab's cookie.
  const sessionUser = await tab.fetchJson(`${vpBase}qps/user`).then(
    (answer) => userRefOf(answer.body),
    () => undefined,
  );
  let field: string | undefined;
  let exportUrl: string | undefined;

  const run = async (kind: ProbeKind): Promise<ProbeResult> => {
    switch (kind) {
      case 'engine': {
        if (!engine) return notOnSocket('the tab has no engine socket (the app did not open over the WebSocket)');
        const selection = await selectionProbe(engine, side);
        field = selection.field;
        return selection.result;
      }
      case 'export-start': {
        if (!engine) return notOnSocket('the tab has no engine socket (the app did not open over the WebSocket)');
        if (!field) return notOnSocket('no field to export (the selection step failed)');
        const qUrl = await startExport(engine.socket, engine.doc, field);
        exportUrl = new URL(`${vpBase}${trimSlashes(qUrl)}`).toString();
        return { status: 0, bytes: 0, contentType: '', ok: true, detail: `export of ${field} written by the engine` };
      }
      case 'export': {
        const url = side.paths.export ? `${vpBase}${side.paths.export}` : exportUrl;
        if (!url) return notOnSocket('no export to download: the export did not start over the WebSocket');
        const got = await tab.download(url);
        return { status: got.status ?? (got.error ? 0 : 200), bytes: got.bytes, contentType: '', ...(got.error !== undefined ? { error: got.error } : {}) };
      }
      default: {
        const got = await tab.fetchStatus(`${vpBase}${kind === 'image' ? side.paths.image : side.paths.app}`);
        return { status: got.status, bytes: got.bytes, contentType: got.contentType };
      }
    }
  };

  const probes: ProbeOutcome[] = [];
  for (const kind of PROBE_KINDS) {
    let result: ProbeResult;
    try {
      result = await run(kind);
    } catch (err) {
      result = notOnSocket(errorReason(err));
    }
    const { status, bytes, contentType, error, detail } = result;
    const ok = WEBSOCKET_PROBES.has(kind) ? result.ok === true : error === undefined && loaded(kind, status, contentType, bytes);
    const outcome: ProbeOutcome = {
      kind,
      path: probePath(kind, side, vpBase, exportUrl),
      ok,
      expectedOk: probeExpectedOk(jarCase, side.tab, kind),
      status,
      bytes,
      reason: explainProbe({
        kind,
        status,
        ok,
        bytes,
        contentType,
        side,
        other,
        jarCase,
        ...(error !== undefined ? { error } : {}),
        ...(detail !== undefined ? { detail } : {}),
        ...(sessionUser ? { sessionUser } : {}),
      }),
    };
    if (contentType) outcome.contentType = contentType;
    probes.push(outcome);
  }
  return { ...(sessionUser ? { sessionUser } : {}), probes };
}
