// The seed-003 scenario's report ("one cookie jar, two ticket users"), as the core produces it and the
// CLI and the console show it. Pure data: no ticket, no session id, no cookie value ever goes in here.

/** One jar for both tabs (one browser, two tabs), or a jar per tab (two isolated partitions). */
export type JarCase = 'shared' | 'isolated';
export const JAR_CASES: readonly JarCase[] = ['shared', 'isolated'];

/**
 * What a mashup's tab does, in order: the app page over HTTP, the app opened and a selection made over
 * the engine WebSocket, a content-library image over HTTP, an export started over the WebSocket, and
 * the exported file downloaded over HTTP with the jar's cookie.
 */
export type ProbeKind = 'app' | 'engine' | 'image' | 'export-start' | 'export';
export const PROBE_KINDS: readonly ProbeKind[] = ['app', 'engine', 'image', 'export-start', 'export'];

export const PROBE_LABELS: Record<ProbeKind, string> = {
  app: 'App page',
  engine: 'App opened and selections made over the WebSocket',
  image: 'Content-library image',
  'export-start': 'Export started over the WebSocket',
  export: 'Export file downloaded',
};

/** The requests that travel on the tab's engine WebSocket (its user was fixed when it connected). */
export const WEBSOCKET_PROBES: ReadonlySet<ProbeKind> = new Set(['engine', 'export-start']);

/** Seed 003: in one shared jar tab 1's HTTP requests fail once tab 2's ticket is redeemed; its WebSocket does not. */
export function probeExpectedOk(jarCase: JarCase, tab: 1 | 2, kind: ProbeKind): boolean {
  return jarCase === 'isolated' || tab === 2 || WEBSOCKET_PROBES.has(kind);
}

/** A probe's status as a table shows it: the HTTP status, or that it went over the WebSocket. */
export function probeStatusText(probe: ProbeOutcome): string {
  if (WEBSOCKET_PROBES.has(probe.kind)) return 'WebSocket';
  return probe.status > 0 ? String(probe.status) : 'no answer';
}

export const CASE_LABELS: Record<JarCase, string> = {
  shared: 'One shared partition',
  isolated: 'Two isolated partitions',
};

export interface ProbeOutcome {
  kind: ProbeKind;
  /** The address asked for (path below the proxy's origin; never a ticket). */
  path: string;
  ok: boolean;
  /** What the scenario expects of this request in this case (seed 003: tab 1 fails when the jar is shared). */
  expectedOk: boolean;
  /** The HTTP status; 0 when none came back (a refused download, a network failure) or the probe went over the WebSocket. */
  status: number;
  contentType?: string;
  bytes: number;
  /** Why, in a Qlik administrator's words ("403: the jar's session cookie now belongs to ..."). */
  reason: string;
}

export interface TabOutcome {
  tab: 1 | 2;
  /** `DIR\id` the tab's ticket was for. */
  user: string;
  appId: string;
  /** Which jar the tab lives in ('shared', 'tab 1', 'tab 2'). */
  jar: string;
  /** Opening the app with the ticket: the page answered 200 and the session belonged to the ticket's user. */
  opened: boolean;
  openDetail: string;
  /** Whom the proxy's personal API (`/{prefix}/qps/user`) named for this tab when the requests ran. */
  sessionUser?: string;
  probes: ProbeOutcome[];
}

export interface CaseOutcome {
  case: JarCase;
  tabs: TabOutcome[];
  /** Every request behaved as the scenario expects for this case. */
  asExpected: boolean;
  /** One line: what happened, and whether that is what seed 003 predicts. */
  summary: string;
}

export interface SharedJarReport {
  virtualProxy: string;
  /** The proxy's origin the tabs talked to. */
  proxy: string;
  cases: CaseOutcome[];
  asExpected: boolean;
  verdict: string;
}

/** Steps each case reports: open each tab, ask each tab's requests, end the sessions. The console's bar counts all cases' steps. */
export const SHARED_JAR_STEPS_PER_CASE = 5;

export interface SharedJarProgress {
  case: JarCase;
  /** 1-based, of `of` steps in this case. */
  step: number;
  of: number;
  title: string;
  ok: boolean;
  detail: string;
}

/** Both sides of the scenario: the user and the app each tab opens. */
export interface SharedJarSide {
  userDirectory: string;
  userId: string;
  appId: string;
  /** Path below the virtual proxy of an image in the app's content library (default: appcontent/{app}/logo.png). */
  image?: string;
  /** Path below the virtual proxy of a finished export (default: the file the tab's own export over the WebSocket wrote). */
  export?: string;
}

/** The demo site's seed-003 pair: MASHUP users that may open only the app named like them. */
export const DEMO_SHARED_JAR: { virtualProxy: string; a: SharedJarSide; b: SharedJarSide } = {
  virtualProxy: 'ticket',
  a: { userDirectory: 'MASHUP', userId: 'a1-sales', appId: 'a1-sales' },
  b: { userDirectory: 'MASHUP', userId: 'a2-finance', appId: 'a2-finance' },
};

export function defaultImagePath(appId: string): string {
  return `appcontent/${encodeURIComponent(appId)}/logo.png`;
}

/** The longest image or export path the IPC contract accepts. */
export const PROBE_PATH_MAX = 1024;

/** Where a path given for the image or the export is asked for: `/{prefix}/` on the proxy, or `/`. */
export function probePathBase(virtualProxy: string): string {
  return virtualProxy ? `/${virtualProxy}/` : '/';
}

/**
 * What is wrong with an image or export path as a person wrote it, or undefined when it will do. The path
 * is appended to the virtual proxy's address (`https://host/{prefix}/` + path; leading slashes are
 * dropped), so it must be a plain path below it: no scheme or host, no prefix, no query, no `.`/`..`.
 */
export function probePathProblem(kind: 'image' | 'export', text: string, virtualProxy: string): string | undefined {
  const path = text.trim();
  const below = probePathBase(virtualProxy);
  const example = kind === 'image' ? 'appcontent/<app id>/logo.png' : 'tempcontent/<app id>/<file>.xlsx';
  if (path.length > PROBE_PATH_MAX) return `Keep the path to ${PROBE_PATH_MAX} characters or fewer.`;
  if (/\\/.test(path)) return `Write the path with / between its parts: it is an address on the site below ${below}, not a file on this computer.`;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return `Give only the path below ${below}, not a whole address: for example ${example}.`;
  if (/\s/.test(path)) return 'Write spaces in the path as %20: it is part of an address.';
  if (/[?#]/.test(path)) return `Leave out the ?… part (and any #…): give only the path, for example ${example}.`;
  const segments = path.replace(/^\/+/, '').split('/');
  if (segments.every((s) => s === '')) return `Give the path of the file, for example ${example}.`;
  if (segments.some((s) => s === '.' || s === '..')) return `Give the path without . or .. parts: it must stay below ${below}.`;
  if (virtualProxy && segments[0]!.toLowerCase() === virtualProxy.toLowerCase()) {
    return `Leave out the virtual proxy's prefix: give the path below ${below}, for example ${example}.`;
  }
  return undefined;
}
