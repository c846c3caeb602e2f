// The engine WebSocket opened the way a mashup on another origin opens it (qlik-protocol.md, November 2024
// rules): log in (ticket, session cookie, or a header / bearer token), keep the proxy's session cookie,
// fetch the csrf token with that cookie and the mashup's Origin, open `wss://…/{prefix}/app/engineData`
// with cookie, token and Origin. Every piece is looked at and the first one missing is named, with the fix
// in the QMC. Node plays the browser here, so what a browser would hold back (a SameSite cookie, a header
// CORS does not expose) is judged from the answers, not suffered.
import type { SocketDiagnosis, SocketFinding, SocketPiece } from '../../../shared/socket-diagnosis';
import { prefixLabel, virtualProxyBase } from '../../../shared/virtual-proxy';
import { BrowserClient, CookieJar, type Cookie } from '../browser';
import { errorReason } from '../error-text';
import { connectEngine, EngineRefusedError } from '../qlik/engine-rpc';
import type { SessionCookieSpec } from '../sessions/session-injection';

/** How the mashup's user got logged in before its page opens the socket. */
export type SocketLogin =
  | { kind: 'ticket'; ticket: string }
  /** A session made through the session API: the cookie a portal would set. */
  | { kind: 'cookie'; cookie: SessionCookieSpec }
  /** A header or JWT virtual proxy: what the front end adds to the first request. */
  | { kind: 'headers'; headers: Record<string, string>; method: 'header' | 'jwt' };

export interface SocketDiagnosisInput {
  /** The proxy node as browsers reach it, `https://host[:port]`. */
  proxy: string;
  prefix: string;
  sessionCookieName: string;
  /** The mashup page's origin, `https://host[:port]`. */
  origin: string;
  /** The site CA (root.pem). */
  ca: string;
  login: SocketLogin;
  /** Default 10 s per request and for the handshake. */
  timeoutMs?: number;
  /** Told the id of the session the login made (for the audit log and to end it afterwards). */
  onSession?: (sessionId: string) => Promise<void>;
}

/** What a SameSite=None cookie needs, and what a "site" is to a browser (scheme + registrable domain). */
function siteOf(url: URL): string {
  const host = url.hostname.toLowerCase();
  // No public suffix list here: an IP or a one-label name is its own site, else the last two labels.
  if (/^[\d.]+$/.test(host) || host.includes(':') || !host.includes('.')) return `${url.protocol}//${host}`;
  return `${url.protocol}//${host.split('.').slice(-2).join('.')}`;
}

function headerList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
}

const LOGIN_FIX: Record<SocketLogin['kind'], string> = {
  ticket: 'Check that the ticket was issued by this node for this virtual proxy and redeemed within 60 s.',
  cookie: "Set the cookie exactly as the proxy does: the virtual proxy's session cookie header name, its domain, Secure.",
  headers: "Check the virtual proxy's authentication method and header name (or JWT certificate and claims) in the QMC.",
};

// Over 80 lines on purpose: its steps run in the order a socket needs its pieces (the first missing one is the answer), each a short block with its own
// early return; split up, that order would have to be read across functions.
export async function diagnoseEngineSocket(input: SocketDiagnosisInput): Promise<SocketDiagnosis> {
  const timeoutMs = input.timeoutMs ?? 10_000;
  const base = virtualProxyBase(input.proxy, input.prefix);
  const vpName = `virtual proxy ${prefixLabel(input.prefix)}`;
  const proxyOrigin = new URL(input.proxy).origin;
  const origin = new URL(input.origin).origin;
  const crossOrigin = origin !== proxyOrigin;
  const findings: SocketFinding[] = [];
  const found = (piece: SocketPiece, status: SocketFinding['status'], detail: string, fix?: string): void => {
    findings.push({ piece, status, detail, ...(fix ? { fix } : {}) });
  };
  const skipRest = (after: SocketPiece[], why: string): void => {
    for (const piece of after) found(piece, 'skipped', why);
  };

  const jar = new CookieJar();
  const client = new BrowserClient({ ca: input.ca, jar, timeoutMs, maxRedirects: 5 });
  try {
    // 1. The login: the proxy's session cookie in the jar.
    const hub = `${base}hub/`;
    let status = 0;
    try {
      const stay = { stopAt: (next: string) => new URL(next).origin !== proxyOrigin };
      if (input.login.kind === 'ticket') status = (await client.get(`${hub}?qlikTicket=${encodeURIComponent(input.login.ticket)}`, stay)).status;
      else if (input.login.kind === 'headers') status = (await client.get(hub, { ...stay, headers: input.login.headers })).status;
      else jar.setFromResponse(input.login.cookie.url, [cookieLine(input.login.cookie)]);
    } catch (err) {
      found('cookie', 'missing', `the login request to ${hub} failed: ${errorReason(err)}.`, 'Check that the proxy is reachable from here (trust check).');
      skipRest(['samesite', 'csrf-token', 'origin', 'socket'], 'not checked: no session to open a socket with');
      return finish(findings);
    }
    const cookie = jar.matching(`${base}qps/csrftoken`).find((c) => c.name === input.sessionCookieName);
    if (!cookie) {
      found(
        'cookie',
        'missing',
        `the ${input.login.kind === 'headers' ? input.login.method : input.login.kind} login left no ${input.sessionCookieName} cookie for ${base} (answer ${status}).`,
        LOGIN_FIX[input.login.kind],
      );
      skipRest(['samesite', 'csrf-token', 'origin', 'socket'], 'not checked: no session to open a socket with');
      return finish(findings);
    }
    found('cookie', 'pass', `${cookie.name} set (${cookieAttributes(cookie)}).`);
    await input.onSession?.(cookie.value);

    // 2. Will a browser send that cookie from the mashup's page? Only SameSite=None; Secure crosses sites.
    const crossSite = siteOf(new URL(origin)) !== siteOf(new URL(proxyOrigin));
    if (!crossSite) found('samesite', 'pass', `${origin} is on the same site as the proxy: SameSite=${cookie.sameSite ?? 'Lax (not set)'} lets the cookie go.`);
    else if (cookie.sameSite === 'None' && cookie.secure) found('samesite', 'pass', `SameSite=None; Secure: the browser sends the cookie from ${origin}.`);
    else {
      found(
        'samesite',
        'missing',
        `the cookie is SameSite=${cookie.sameSite ?? 'Lax (not set)'}${cookie.secure ? '' : ', not Secure'}: a browser keeps it back from a page on ${origin}, another site.`,
        `In the QMC, set "SameSite attribute (HTTPS)" of ${vpName} to None (the cookie must also be Secure).`,
      );
    }

    // 3. The csrf token, fetched by the page with the cookie; across origins CORS must let the page read it.
    const tokenUrl = `${base}qps/csrftoken`;
    let token: string | undefined;
    try {
      const res = await client.get(tokenUrl, { followRedirects: false, headers: { Origin: origin } });
      token = res.headers['qlik-csrf-token'];
      if (!token) {
        found(
          'csrf-token',
          'missing',
          `${tokenUrl} answered ${res.status} without a qlik-csrf-token header.`,
          `The proxy hands out no token for this session: check the cookie above and that the site runs the November 2024 release or later.`,
        );
      } else if (crossOrigin) {
        const allowOrigin = res.headers['access-control-allow-origin'];
        const exposed = headerList(res.headers['access-control-expose-headers']);
        const lacking = [
          allowOrigin === origin ? undefined : `Access-Control-Allow-Origin: ${origin}`,
          res.headers['access-control-allow-credentials'] === 'true' ? undefined : 'Access-Control-Allow-Credentials: true',
          exposed.includes('qlik-csrf-token') ? undefined : 'Access-Control-Expose-Headers: qlik-csrf-token',
        ].filter((h): h is string => h !== undefined);
        if (lacking.length === 0) found('csrf-token', 'pass', `the token is handed out and exposed to ${origin}.`);
        else {
          found(
            'csrf-token',
            'missing',
            `the proxy hands out a token but a page on ${origin} cannot read it (CORS headers lacking).`,
            `In the QMC, add to "Additional response headers" of ${vpName}: ${lacking.join('; ')}.`,
          );
        }
      } else found('csrf-token', 'pass', 'the token is handed out to the page.');
    } catch (err) {
      found('csrf-token', 'missing', `${tokenUrl} did not answer: ${errorReason(err)}.`, 'Check that the proxy is reachable from here (trust check).');
    }

    // 4. The socket itself, with cookie, token and the mashup's Origin.
    const socketUrl = new URL(`${base.replace(/^https:/, 'wss:')}app/engineData`);
    if (token) socketUrl.searchParams.set('qlik-csrf-token', token);
    try {
      const engine = await connectEngine({ url: socketUrl.toString(), ca: input.ca, origin, headers: { Cookie: jar.cookieHeader(tokenUrl) }, timeoutMs });
      try {
        const user = (await engine.call(-1, 'GetAuthenticatedUser', [])).qReturn as string;
        found('origin', 'pass', `${origin} is allowed by ${vpName}.`);
        found('socket', 'pass', `the engine socket opened for ${user}.`);
        return finish(findings, user);
      } catch (err) {
        found('origin', 'pass', `${origin} is allowed by ${vpName}.`);
        found(
          'socket',
          'missing',
          `the socket opened but the engine did not answer: ${errorReason(err)}; the proxy asks for a login there, so the session cookie was not taken.`,
          LOGIN_FIX[input.login.kind],
        );
      } finally {
        engine.close();
      }
    } catch (err) {
      socketRefusal(err, { origin, vpName, found });
    }
    return finish(findings);
  } finally {
    await client.close();
  }
}

/** Names the piece an upgrade refusal is about, from the proxy's own words. */
function socketRefusal(
  err: unknown,
  c: { origin: string; vpName: string; found: (piece: SocketPiece, status: SocketFinding['status'], detail: string, fix?: string) => void },
): void {
  if (err instanceof EngineRefusedError && err.status === 403 && /allow list|whitelist|origin/i.test(err.body)) {
    const host = new URL(c.origin).hostname;
    c.found(
      'origin',
      'missing',
      `the proxy refused the socket from ${c.origin}: ${err.body.slice(0, 200)}`,
      `In the QMC, add ${host} to the "Host allow list" (WebSocket origin allow list) of ${c.vpName}.`,
    );
    c.found('socket', 'skipped', 'not opened: the origin was refused');
    return;
  }
  c.found('origin', 'pass', `${c.origin} passed the allow list.`);
  if (err instanceof EngineRefusedError && err.status === 403 && /Cross-Site Websocket Hijacking|csrf/i.test(err.body)) {
    c.found(
      'socket',
      'missing',
      'the proxy refused the socket: Cross-Site WebSocket Hijacking check failed (no valid qlik-csrf-token on the socket).',
      'Have the page fetch GET /{prefix}/qps/csrftoken with the session cookie and pass qlik-csrf-token on the wss URL.',
    );
    return;
  }
  c.found('socket', 'missing', `the socket did not open: ${errorReason(err)}`, "Check the virtual proxy's load balancing nodes and that the engine runs.");
}

function finish(findings: SocketFinding[], user?: string): SocketDiagnosis {
  const missing = findings.find((f) => f.status === 'missing');
  return {
    ok: missing === undefined && findings.every((f) => f.status === 'pass'),
    findings,
    ...(missing ? { firstMissing: missing.piece } : {}),
    ...(user ? { user } : {}),
  };
}

function cookieAttributes(cookie: Cookie): string {
  return [
    `SameSite=${cookie.sameSite ?? 'not set'}`,
    cookie.secure ? 'Secure' : 'not Secure',
    cookie.hostOnly ? `host ${cookie.domain}` : `domain ${cookie.domain}`,
  ].join(', ');
}

function cookieLine(c: SessionCookieSpec): string {
  return `${c.name}=${c.value}; Path=${c.path}${c.domain ? `; Domain=${c.domain}` : ''}; Secure; HttpOnly; SameSite=${c.sameSite}`;
}
