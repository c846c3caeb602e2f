// Rules over what QRS says about a site's virtual proxies: each finding names the virtual proxy, the
// field, what users will hit, and the fix. Pure except for the optional live probe of authentication
// modules, which the caller passes in (time-limited there).
import { X509Certificate } from 'node:crypto';
import { reservedHeaderProblem } from '../../../shared/jwt';
import type { VpFinding, VpRuleId, Severity } from '../../../shared/vp-findings';
import { prefixPhrase } from '../../../shared/virtual-proxy';
import type { ProxyServiceConfig, VirtualProxyConfig } from '../qlik';
import { jwtVerificationKey, staticDirectory } from '../jwt/verify';
import { domainCovers } from '../sessions/cookie-sessions';
import { mapWithConcurrency } from '../sessions/inventory';

export interface VpCheckInput {
  virtualProxies: VirtualProxyConfig[];
  proxyServices: ProxyServiceConfig[];
  /** The mashup's origin (`https://portal.example.com`) when checking embedding. */
  origin?: string;
  /** Probes an authentication module URI; resolves to a reason when it does not answer. */
  probeModule?: (uri: string) => Promise<string | undefined>;
  /** The certificate of the JWT signing pair Usher holds for this profile, when it holds one. */
  jwtSigningCertificatePem?: string;
  /** For the certificate-expiry rule; default now. */
  now?: Date;
}

const PREFIX = /^[a-z0-9\-._~]*$/;
/** Qlik's own range for the inactivity timeout is 1..65000 minutes; these bounds flag the surprising ends. */
const TIMEOUT_TOO_SHORT = 5;
const TIMEOUT_TOO_LONG = 24 * 60;

type Emit = (vp: VirtualProxyConfig, rule: VpRuleId, severity: Severity, field: string, problem: string, fix: string) => void;

function label(vp: VirtualProxyConfig): string {
  return prefixPhrase(vp.prefix);
}

function headerLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) out.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return out;
}

function structuralRules(input: VpCheckInput, emit: Emit): void {
  const byCookie = new Map<string, VirtualProxyConfig[]>();
  for (const vp of input.virtualProxies) {
    const name = vp.sessionCookieHeaderName.toLowerCase();
    const list = byCookie.get(name);
    if (list) list.push(vp);
    else byCookie.set(name, [vp]);
  }
  const linkedIds = new Set(input.proxyServices.flatMap((s) => s.settings.virtualProxies.map((l) => l.id)));
  for (const vp of input.virtualProxies) {
    const twins = (byCookie.get(vp.sessionCookieHeaderName.toLowerCase()) ?? []).filter((other) => other !== vp);
    if (twins.length) {
      emit(
        vp,
        'duplicate-cookie-name',
        'error',
        'sessionCookieHeaderName',
        `shares the session cookie name ${vp.sessionCookieHeaderName} with ${twins.map(label).join(', ')}: a login on one overwrites the other's session in the same browser`,
        `Give each virtual proxy its own cookie name, by convention X-Qlik-Session-${vp.prefix || 'default'}.`,
      );
    }
    if (!linkedIds.has(vp.id)) {
      emit(
        vp,
        'not-linked',
        'error',
        'proxy link',
        'no proxy links it, so every request to it fails as if it did not exist',
        'QMC > Proxies > (node) > Virtual proxies: link it to the proxies users reach.',
      );
    }
    if (vp.loadBalancingServerNodes.length === 0) {
      emit(
        vp,
        'no-load-balancing',
        'error',
        'loadBalancingServerNodes',
        'no engine node to balance to: users get "no available nodes" after logging in',
        'QMC > Virtual proxies > Load balancing: add the engine nodes that should serve its users.',
      );
    }
    if (!PREFIX.test(vp.prefix)) {
      emit(
        vp,
        'bad-prefix',
        'error',
        'prefix',
        `the prefix "${vp.prefix}" breaks Qlik's rules (lowercase a-z 0-9 - . _ ~)`,
        'Rename the prefix, then update every link and authentication module that uses it.',
      );
    } else if (vp.defaultVirtualProxy && vp.prefix !== '') {
      // A sound prefix on a proxy flagged as default: the flag is the mistake, not the prefix.
      emit(
        vp,
        'bad-prefix',
        'error',
        'defaultVirtualProxy',
        'is flagged as the default virtual proxy although it has a prefix: only the one without a prefix may be the default',
        'QMC > Virtual proxies: clear "Default virtual proxy" on it and keep the flag on the virtual proxy with no prefix.',
      );
    }
  }
}

/** The CORS headers a cross-origin mashup needs to read the CSRF token Qlik hands out (November 2024). */
function missingCsrfExposure(headers: Map<string, string>): string[] {
  const missing: string[] = [];
  if (headers.get('access-control-allow-credentials')?.toLowerCase() !== 'true') missing.push('Access-Control-Allow-Credentials: true');
  const exposed = (headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/);
  if (!exposed.includes('qlik-csrf-token')) missing.push('Access-Control-Expose-Headers: qlik-csrf-token');
  return missing;
}

/** How users log in through `vp`: its authentication module, its header. */
function loginRules(vp: VirtualProxyConfig, emit: Emit): void {
  const uri = vp.authenticationModuleRedirectUri.trim();
  // Always-anonymous virtual proxies never send anyone to a module: that is anonymous-access's finding.
  if (vp.authenticationMethod === 0 && !vp.defaultVirtualProxy && uri === '' && vp.anonymousAccessMode !== 2) {
    emit(
      vp,
      'ticket-without-module',
      'error',
      'authenticationModuleRedirectUri',
      'ticket authentication without an authentication module: users without a session fall back to Windows authentication, or nowhere',
      'Set the module URI users are sent to for login (the module then requests tickets from QPS).',
    );
  }
  if (uri && !/^https:\/\//i.test(uri)) {
    emit(
      vp,
      'module-not-https',
      'error',
      'authenticationModuleRedirectUri',
      `the module ${uri} is not HTTPS: the login and the ticket travel in clear text`,
      'Serve the authentication module over HTTPS and update the URI.',
    );
  }
  if ((vp.authenticationMethod === 1 || vp.authenticationMethod === 2) && !vp.headerAuthenticationHeaderName?.trim()) {
    emit(
      vp,
      'header-without-name',
      'error',
      'headerAuthenticationHeaderName',
      'header authentication with no header name: nobody can log in through it',
      'Set the header the front-end proxy sends the user id in.',
    );
  }
  const reserved = (vp.authenticationMethod === 1 || vp.authenticationMethod === 2) && reservedHeaderProblem(vp.headerAuthenticationHeaderName ?? '');
  if (reserved) {
    emit(
      vp,
      'header-reserved-name',
      'error',
      'headerAuthenticationHeaderName',
      `${reserved}: the user the front-end proxy puts there never reaches the header check`,
      'Use a header of your own, such as X-Portal-User, in the front-end proxy and in the virtual proxy.',
    );
  }
}

/** What its sessions meet: anonymous access, the inactivity timeout, the cookie domain against the hosts that serve it. */
function sessionRules(input: VpCheckInput, vp: VirtualProxyConfig, emit: Emit): void {
  if (vp.anonymousAccessMode !== 0 && vp.authenticationMethod === 0) {
    emit(
      vp,
      'anonymous-access',
      'warning',
      'anonymousAccessMode',
      vp.anonymousAccessMode === 2
        ? 'anonymous access is ALWAYS used: tickets are never asked for'
        : 'anonymous access is allowed: users who skip the module still get in',
      'Set anonymous access to "No anonymous user" on ticket virtual proxies.',
    );
  }
  const t = vp.sessionInactivityTimeout;
  if (t < TIMEOUT_TOO_SHORT || t > TIMEOUT_TOO_LONG) {
    emit(
      vp,
      'extreme-timeout',
      'warning',
      'sessionInactivityTimeout',
      t < TIMEOUT_TOO_SHORT
        ? `sessions end after ${t} minute(s) of inactivity: users are logged out while reading`
        : `sessions live ${t} minutes after the last activity: closed tabs keep counting against the 5-session limit`,
      'Use a timeout between 5 minutes and a day; Qlik defaults to 30.',
    );
  }
  if (vp.sessionCookieDomain) {
    const hosts = new Set(vp.loadBalancingServerNodes.map((n) => n.hostName));
    for (const s of input.proxyServices) if (s.settings.virtualProxies.some((l) => l.id === vp.id)) hosts.add(s.serverNodeConfiguration.hostName);
    const uncovered = [...hosts].filter((h) => !domainCovers(vp.sessionCookieDomain, h));
    if (uncovered.length) {
      emit(
        vp,
        'cookie-domain',
        'warning',
        'sessionCookieDomain',
        `the cookie domain ${vp.sessionCookieDomain} does not cover ${uncovered.join(', ')}: browsers drop the session cookie there`,
        'Widen the cookie domain to a parent of every host users reach, or clear it.',
      );
    }
  }
}

function authenticationRules(input: VpCheckInput, emit: Emit): void {
  for (const vp of input.virtualProxies) {
    loginRules(vp, emit);
    sessionRules(input, vp, emit);
  }
}

/** The JWT certificate's problem, the first of: missing, unparseable, expired, not the key Usher signs with. */
function jwtCertificateRule(input: VpCheckInput, vp: VirtualProxyConfig, emit: Emit): void {
  const pem = vp.jwtPublicKeyCertificate?.trim() ?? '';
  const field = 'jwtPublicKeyCertificate';
  if (pem === '') {
    emit(
      vp,
      'jwt-certificate-missing',
      'error',
      field,
      'JWT authentication without a JWT certificate: no token can verify, so nobody logs in',
      'Paste the certificate of the key that signs the tokens into "JWT certificate" (usher jwt keygen prints one).',
    );
    return;
  }
  const key = jwtVerificationKey(pem);
  if ('problem' in key) {
    emit(
      vp,
      'jwt-certificate-unparseable',
      'error',
      field,
      `the JWT certificate ${key.problem}: every token is refused`,
      'Paste the whole PEM certificate again, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.',
    );
    return;
  }
  let x509: X509Certificate | undefined;
  try {
    x509 = new X509Certificate(pem);
  } catch {
    x509 = undefined; // a bare PUBLIC KEY block: no dates to check
  }
  const now = input.now ?? new Date();
  if (x509 && new Date(x509.validTo) < now) {
    emit(
      vp,
      'jwt-certificate-expired',
      'warning',
      field,
      `the JWT certificate expired on ${new Date(x509.validTo).toISOString().slice(0, 10)}: the proxy reads only its key, but a renewal policy or an audit will flag it, and a replaced key breaks every signer at once`,
      'Issue a new certificate for the signing key (usher jwt keygen, or import the key) and paste it; the signer keeps its key.',
    );
  }
  const held = input.jwtSigningCertificatePem;
  if (held !== undefined) {
    const heldKey = jwtVerificationKey(held);
    if (!('problem' in heldKey) && !heldKey.export({ type: 'spki', format: 'der' }).equals(key.export({ type: 'spki', format: 'der' }))) {
      emit(
        vp,
        'jwt-key-mismatch',
        'error',
        field,
        'the JWT certificate is not the one of the signing key Usher holds for this profile: tokens Usher mints are refused (bad signature)',
        "Paste the certificate `usher jwt keygen` (or the console's JWT tools) shows for this profile, or import the key the certificate belongs to.",
      );
    }
  }
}

/** JWT virtual proxies: a certificate to verify with, a user id claim, a directory (claim or [static]). */
function jwtRules(input: VpCheckInput, emit: Emit): void {
  for (const vp of input.virtualProxies) {
    if (vp.authenticationMethod !== 4) continue;
    jwtCertificateRule(input, vp, emit);
    if (!vp.jwtAttributeUserId?.trim()) {
      emit(
        vp,
        'jwt-no-user-id',
        'error',
        'jwtAttributeUserId',
        'no claim is named for the user id: every token is refused',
        'Set "JWT attribute for user ID" to the claim the tokens carry the user in (for example userId or sub).',
      );
    }
    const directory = vp.jwtAttributeUserDirectory?.trim() ?? '';
    if (directory === '' || staticDirectory(directory) === '') {
      emit(
        vp,
        'jwt-no-directory',
        'error',
        'jwtAttributeUserDirectory',
        'the user directory is neither read from a claim nor given as a constant: every token is refused',
        'Set "JWT attribute for user directory" to a claim name, or a constant in brackets such as [MASHUP].',
      );
    }
    mashupRule(input, vp, emit);
  }
}

/**
 * A JWT virtual proxy set up for a mashup (an allow-list entry, a CORS origin or SameSite=None says so)
 * needs, since November 2024, the csrf token exposed to the page and the page's host allowed for the socket.
 */
function mashupRule(input: VpCheckInput, vp: VirtualProxyConfig, emit: Emit): void {
  const headers = headerLines(vp.additionalResponseHeaders);
  const meantForMashup = vp.websocketCrossOriginWhiteList.length > 0 || headers.has('access-control-allow-origin') || vp.sameSiteAttributeHttps === 1;
  if (!meantForMashup && !input.origin) return;
  const missing: string[] = [];
  const origin = input.origin ? new URL(input.origin) : undefined;
  const allowed = vp.websocketCrossOriginWhiteList.map((h) =>
    h
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/.*$/, ''),
  );
  if (origin ? !allowed.includes(origin.host.toLowerCase()) && !allowed.includes(origin.hostname.toLowerCase()) : allowed.length === 0) {
    missing.push(`${origin?.hostname ?? "the mashup's host"} in the host allow list`);
  }
  const allowOrigin = headers.get('access-control-allow-origin');
  if (allowOrigin === undefined || (origin && allowOrigin !== '*' && allowOrigin.replace(/\/$/, '') !== origin.origin))
    missing.push(`Access-Control-Allow-Origin: ${origin?.origin ?? '<the mashup origin>'}`);
  missing.push(...missingCsrfExposure(headers));
  if (missing.length) {
    emit(
      vp,
      'jwt-mashup-csrf',
      'error',
      missing[0]!.includes('allow list') ? 'websocketCrossOriginWhiteList' : 'additionalResponseHeaders',
      'a mashup logging in with a JWT cannot open the engine socket since November 2024: the JWT alone is refused there, and the page needs the session cookie, the qlik-csrf-token and an allowed origin',
      `Add ${missing.join('; ')}. The page fetches /{prefix}/qps/csrftoken with its token, then opens the socket with the cookie and the qlik-csrf-token parameter.`,
    );
  }
}

function embeddingRules(input: VpCheckInput, emit: Emit): void {
  if (!input.origin) return;
  const origin = new URL(input.origin);
  for (const vp of input.virtualProxies) {
    if (vp.authenticationMethod !== 0) continue;
    const allowed = vp.websocketCrossOriginWhiteList.map((h) =>
      h
        .toLowerCase()
        .replace(/^https?:\/\//, '')
        .replace(/\/.*$/, ''),
    );
    if (!allowed.includes(origin.host.toLowerCase()) && !allowed.includes(origin.hostname.toLowerCase())) {
      emit(
        vp,
        'embed-host-not-allowed',
        'error',
        'websocketCrossOriginWhiteList',
        `${origin.host} is not in the host allow list: the engine websocket from the mashup is refused`,
        `Add ${origin.hostname} to the host allow list.`,
      );
    }
    if (vp.sameSiteAttributeHttps !== 1) {
      emit(
        vp,
        'embed-samesite',
        'error',
        'sameSiteAttributeHttps',
        'the session cookie is not SameSite=None: the browser withholds it from a mashup on another site',
        'Set SameSite for HTTPS to None (with the Secure attribute).',
      );
    } else if (!vp.hasSecureAttributeHttps) {
      emit(
        vp,
        'embed-samesite',
        'error',
        'hasSecureAttributeHttps',
        'SameSite=None without Secure: browsers reject the cookie',
        'Turn on the Secure attribute for HTTPS.',
      );
    }
    const headers = headerLines(vp.additionalResponseHeaders);
    const missing: string[] = [];
    const allowOrigin = headers.get('access-control-allow-origin');
    if (allowOrigin !== input.origin.replace(/\/$/, '') && allowOrigin !== '*') missing.push(`Access-Control-Allow-Origin: ${input.origin.replace(/\/$/, '')}`);
    missing.push(...missingCsrfExposure(headers));
    if (missing.length) {
      emit(
        vp,
        'embed-csrf-headers',
        'error',
        'additionalResponseHeaders',
        'since November 2024 a mashup needs the CSRF token header, and the proxy does not expose it to that origin',
        `Add to the additional response headers: ${missing.join('; ')}.`,
      );
    }
  }
}

/** Module probes in flight at most: a site may point hundreds of virtual proxies at distinct modules. */
const PROBE_CONCURRENCY = 8;

async function liveRules(input: VpCheckInput, emit: Emit): Promise<void> {
  const probe = input.probeModule;
  if (!probe) return;
  // Virtual proxies often share one module: each address is probed once, its answer reported for every user of it.
  const users = new Map<string, VirtualProxyConfig[]>();
  for (const vp of input.virtualProxies) {
    const uri = vp.authenticationModuleRedirectUri.trim();
    if (!/^https:\/\//i.test(uri)) continue;
    const list = users.get(uri);
    if (list) list.push(vp);
    else users.set(uri, [vp]);
  }
  const reasons = await mapWithConcurrency([...users.keys()], PROBE_CONCURRENCY, probe);
  [...users.values()].forEach((vps, i) => {
    const reason = reasons[i];
    if (!reason) return;
    for (const vp of vps) {
      emit(
        vp,
        'module-unreachable',
        'error',
        'authenticationModuleRedirectUri',
        `the module does not answer (${reason}): users are sent to a dead page`,
        "Check that the module runs and is reachable from users' browsers at that address.",
      );
    }
  });
}

export async function checkVirtualProxies(input: VpCheckInput): Promise<VpFinding[]> {
  const findings: VpFinding[] = [];
  const emit: Emit = (vp, rule, severity, field, problem, fix) =>
    findings.push({ rule, severity, virtualProxy: vp.prefix, description: vp.description, field, problem, fix });
  structuralRules(input, emit);
  authenticationRules(input, emit);
  jwtRules(input, emit);
  embeddingRules(input, emit);
  await liveRules(input, emit);
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return findings.sort((a, b) => rank[a.severity] - rank[b.severity] || a.virtualProxy.localeCompare(b.virtualProxy) || a.rule.localeCompare(b.rule));
}
