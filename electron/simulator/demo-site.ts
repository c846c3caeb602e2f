// The built-in demo site, and generators of larger sites for scale tests and the benchmark.
import type { VpRuleId } from '../../shared/vp-findings';
import { generateSigningPair, type JwtSigningPair } from '../core/jwt';
import { parseSiteDescription, type SiteDescription } from './site';

/** The demo module's address; a ticket virtual proxy sends browsers there (the console's own module later). */
export const DEMO_AUTH_MODULE_URI = 'https://localhost:9443/usher-auth/login';

/**
 * The demo mashup's origin, for `usher check --origin`: /ticket and the other ticket virtual proxies are
 * set up for a mashup there; nothing needs to listen on it, the embedding rules only read QRS.
 */
export const DEMO_MASHUP_ORIGIN = 'https://localhost:8443';

/** What a mashup on DEMO_MASHUP_ORIGIN needs from a ticket virtual proxy (qlik-protocol.md, embedding). */
const EMBEDDABLE = {
  websocketCrossOriginWhiteList: ['localhost'],
  sameSiteAttributeHttps: 1,
  additionalResponseHeaders: [
    `Access-Control-Allow-Origin: ${DEMO_MASHUP_ORIGIN}`,
    'Access-Control-Allow-Credentials: true',
    'Access-Control-Expose-Headers: qlik-csrf-token',
  ].join('\n'),
};

/** A header virtual proxy that works, the base of the mistakes that are not about authentication. */
const HEADER_AUTH = { authenticationMethod: 1, headerAuthenticationHeaderName: 'X-Usher-User', headerAuthenticationStaticUserDirectory: 'HEADER' };

let demoJwtPair: JwtSigningPair | undefined;

/** The name on the demo site's own JWT signing certificate. */
export const DEMO_JWT_COMMON_NAME = 'Usher demo site JWT signing';

/**
 * The built-in site's own JWT signing pair (made once per process, only when asked for): its certificate
 * is on /jwt unless the caller passes the one of the signing pair Usher holds for the demo profile, as if
 * pasted into the QMC.
 */
export function demoJwtSigningPair(): JwtSigningPair {
  demoJwtPair ??= generateSigningPair({ commonName: DEMO_JWT_COMMON_NAME });
  return demoJwtPair;
}

/**
 * A certificate valid for 2023 only, for the expired-certificate mistake. Public material alone (nobody
 * signs with its key, which was thrown away), so it is written here rather than made at every start.
 */
const EXPIRED_JWT_CERTIFICATE = [
  '-----BEGIN CERTIFICATE-----',
  'MIIDJjCCAg6gAwIBAgIQEcPLIoo6w8sR85RUTHyONzANBgkqhkiG9w0BAQsFADAw',
  'MS4wLAYDVQQDEyVVc2hlciBkZW1vIHNpdGUgSldUIHNpZ25pbmcgKGV4cGlyZWQp',
  'MB4XDTIzMDEwMTAwMDAwMFoXDTI0MDEwMTAwMDAwMFowMDEuMCwGA1UEAxMlVXNo',
  'ZXIgZGVtbyBzaXRlIEpXVCBzaWduaW5nIChleHBpcmVkKTCCASIwDQYJKoZIhvcN',
  'AQEBBQADggEPADCCAQoCggEBAO57tUM7qFACLg5fAaSiNk7zqrV3J2aUJQtPTX7H',
  'HGRh/9zAkbJKZYhWvMyTA6uZ84BGGhBAtHOUdPJNLRhQLrfH+mcHG8FNrk7WqSon',
  'cIdlF5k8gDdutnXsbihW9Tggqa/69V5ntGpJKN7tbGcm3DjBBmGhFJeGP5YeM4Tt',
  '0nhYOYfQ60UjwjIPzMLzQIovBUXTh8MgdRJ2I2TVNBQxd2uPcG6zkB3ZDClsu4Q5',
  '/fs7e/60o8o3cEb+aWluqarIzv+sEWLTEm1SZLnbnZRWKc+wGmiwLdDI/FOb1WqT',
  'UV/7iEA5xYQJGI41Cq4qtp3fBEH20IfmuHVBhQtNlb7BCeUCAwEAAaM8MDowCQYD',
  'VR0TBAIwADAOBgNVHQ8BAf8EBAMCB4AwHQYDVR0OBBYEFHFjBkrdsQKpVOxK6hJb',
  'KJGk1u2wMA0GCSqGSIb3DQEBCwUAA4IBAQA2/hTPVERFEmdL8kvLuWn3Jtue5FAJ',
  '/7+eJYJLtMX2xA53iLVnY3b99ptHiBniyETrKH1QUEyaEnw+Tm74CARo6QSS1ZZC',
  'wn3AyTv9ggPvITNRJJw//kPZFoclctVZPrGqlnmctvPS6QXR8Svov64sBU/DiVy8',
  '03pVkgicd00bfYNLNpPDiOQTZMAqs1ZyyX+tYgNEG9FaSyD5I1oHH0H6LUnGT4qn',
  'SUx18B6FyGFV7z9P77itJMyw9ilMh4buSYMKixpTZwoTfy+05aR0AVlgfuDNVx1e',
  '3mplpdhfjUVT51Oub+KbcvBJ5/tXG4ZIDKpBEEY6Taw9BT5dOngxaxcM',
  '-----END CERTIFICATE-----',
].join('\n');

/** The claims /jwt reads: userId, userDirectory, and groups as the Group attribute. */
const JWT_CLAIMS = {
  authenticationMethod: 4,
  jwtAttributeUserId: 'userId',
  jwtAttributeUserDirectory: 'userDirectory',
  jwtAttributeMap: [{ jwtAttribute: 'groups', senseAttribute: 'Group', isMandatory: false }],
};

/** Every header name Qlik's own services use: none may carry a header virtual proxy's user. */
const RESERVED_HEADER_EXAMPLE = 'X-Qlik-User';

export interface DemoMistake {
  rule: VpRuleId;
  /** The prefix of the virtual proxy the finding names. */
  virtualProxy: string;
  /** Shows only with `--origin` (embedding rules) or only when modules are probed (the live rule). */
  needs?: 'origin' | 'probe';
}

/**
 * The demo site's deliberate mistakes, each listed once by `usher check --profile demo` (all 14 rules).
 * The default virtual proxy is left as installed, so embedding through it fails all three embedding rules;
 * the demo module (DEMO_AUTH_MODULE_URI) does not run outside the console, so /ticket's module does not
 * answer; a duplicated cookie name is one mistake seen from both virtual proxies that share it.
 */
export const DEMO_DELIBERATE_MISTAKES: readonly DemoMistake[] = [
  { rule: 'duplicate-cookie-name', virtualProxy: 'header' },
  { rule: 'duplicate-cookie-name', virtualProxy: 'copy-of-header' },
  { rule: 'not-linked', virtualProxy: 'unlinked' },
  { rule: 'no-load-balancing', virtualProxy: 'no-engines' },
  { rule: 'bad-prefix', virtualProxy: 'second-default' },
  { rule: 'ticket-without-module', virtualProxy: 'no-module' },
  { rule: 'module-not-https', virtualProxy: 'plain-http' },
  { rule: 'module-unreachable', virtualProxy: 'ticket', needs: 'probe' },
  { rule: 'header-without-name', virtualProxy: 'no-header-name' },
  { rule: 'extreme-timeout', virtualProxy: 'week-long' },
  { rule: 'anonymous-access', virtualProxy: 'anonymous' },
  { rule: 'cookie-domain', virtualProxy: 'wrong-domain' },
  { rule: 'embed-host-not-allowed', virtualProxy: '', needs: 'origin' },
  { rule: 'embed-samesite', virtualProxy: '', needs: 'origin' },
  { rule: 'embed-csrf-headers', virtualProxy: '', needs: 'origin' },
  { rule: 'jwt-no-directory', virtualProxy: 'jwt-no-directory' },
  { rule: 'jwt-no-user-id', virtualProxy: 'jwt-no-user-id' },
  { rule: 'jwt-certificate-missing', virtualProxy: 'jwt-no-certificate' },
  { rule: 'jwt-certificate-unparseable', virtualProxy: 'jwt-bad-certificate' },
  { rule: 'jwt-certificate-expired', virtualProxy: 'jwt-expired-certificate' },
  { rule: 'jwt-mashup-csrf', virtualProxy: 'jwt-no-csrf' },
  { rule: 'header-reserved-name', virtualProxy: 'reserved-header' },
];

/** The mistakes `usher check --profile demo` lists with or without `--origin DEMO_MASHUP_ORIGIN` and the probe. */
export function demoMistakes(options: { origin: boolean; probe: boolean }): DemoMistake[] {
  return DEMO_DELIBERATE_MISTAKES.filter((m) => (m.needs === 'origin' ? options.origin : m.needs === 'probe' ? options.probe : true));
}

// Over 80 lines on purpose: data, one virtual proxy per deliberate mistake, read as a list.
/** The virtual proxies that carry one deliberate mistake each (only central links them: fewer pairs to scan). */
const mistakeVirtualProxies = (jwtCertificatePem: string): Array<Record<string, unknown> & { id: string }> => [
  {
    id: 'vp-copy-of-header',
    prefix: 'copy-of-header',
    description: 'Deliberate mistake (duplicate-cookie-name): a copy of /header that kept its session cookie name',
    ...HEADER_AUTH,
    sessionCookieHeaderName: 'X-Qlik-Session-header',
  },
  {
    id: 'vp-unlinked',
    prefix: 'unlinked',
    description: 'Deliberate mistake (not-linked): no proxy links it, so it answers nowhere',
    ...HEADER_AUTH,
  },
  {
    id: 'vp-no-engines',
    prefix: 'no-engines',
    description: 'Deliberate mistake (no-load-balancing): no engine node to balance to',
    ...HEADER_AUTH,
    loadBalancingServerNodes: [],
  },
  {
    id: 'vp-second-default',
    prefix: 'second-default',
    description: 'Deliberate mistake (bad-prefix): flagged as the default virtual proxy although it has a prefix',
    ...HEADER_AUTH,
    defaultVirtualProxy: true,
  },
  {
    id: 'vp-no-module',
    prefix: 'no-module',
    description: 'Deliberate mistake (ticket-without-module): ticket authentication with no authentication module',
    ...EMBEDDABLE,
  },
  {
    id: 'vp-plain-http',
    prefix: 'plain-http',
    description: 'Deliberate mistake (module-not-https): the authentication module is plain HTTP',
    authenticationModuleRedirectUri: 'http://localhost:9080/usher-auth/login',
    ...EMBEDDABLE,
  },
  {
    id: 'vp-no-header-name',
    prefix: 'no-header-name',
    description: 'Deliberate mistake (header-without-name): header authentication with no header name',
    ...HEADER_AUTH,
    headerAuthenticationHeaderName: '',
  },
  {
    id: 'vp-week-long',
    prefix: 'week-long',
    description: 'Deliberate mistake (extreme-timeout): sessions live a week after the last activity',
    ...HEADER_AUTH,
    sessionInactivityTimeout: 7 * 24 * 60,
  },
  {
    id: 'vp-anonymous',
    prefix: 'anonymous',
    description: 'Deliberate mistake (anonymous-access): ticket virtual proxy that always lets anonymous users in',
    anonymousAccessMode: 2,
    ...EMBEDDABLE,
  },
  {
    id: 'vp-wrong-domain',
    prefix: 'wrong-domain',
    description: 'Deliberate mistake (cookie-domain): the session cookie domain does not cover the proxy host',
    ...HEADER_AUTH,
    sessionCookieDomain: 'qlik.example.com',
  },
  {
    id: 'vp-jwt-no-directory',
    prefix: 'jwt-no-directory',
    description: 'Deliberate mistake (jwt-no-directory): JWT authentication that reads no user directory, from a claim or static',
    ...JWT_CLAIMS,
    jwtPublicKeyCertificate: jwtCertificatePem,
    jwtAttributeUserDirectory: '',
    ...EMBEDDABLE,
  },
  {
    id: 'vp-jwt-no-user-id',
    prefix: 'jwt-no-user-id',
    description: 'Deliberate mistake (jwt-no-user-id): JWT authentication that names no claim for the user id',
    ...JWT_CLAIMS,
    jwtPublicKeyCertificate: jwtCertificatePem,
    jwtAttributeUserId: '',
    ...EMBEDDABLE,
  },
  {
    id: 'vp-jwt-no-certificate',
    prefix: 'jwt-no-certificate',
    description: 'Deliberate mistake (jwt-certificate-missing): JWT authentication without a JWT certificate',
    ...JWT_CLAIMS,
    ...EMBEDDABLE,
  },
  {
    id: 'vp-jwt-bad-certificate',
    prefix: 'jwt-bad-certificate',
    description: 'Deliberate mistake (jwt-certificate-unparseable): the JWT certificate field holds a damaged paste',
    ...JWT_CLAIMS,
    jwtPublicKeyCertificate: '-----BEGIN CERTIFICATE-----\nMIIC pasted only in part\n-----END CERTIFICATE-----',
    ...EMBEDDABLE,
  },
  {
    id: 'vp-jwt-expired-certificate',
    prefix: 'jwt-expired-certificate',
    description: 'Deliberate mistake (jwt-certificate-expired): the JWT certificate expired on 1 January 2024',
    ...JWT_CLAIMS,
    jwtPublicKeyCertificate: EXPIRED_JWT_CERTIFICATE,
    ...EMBEDDABLE,
  },
  {
    id: 'vp-jwt-no-csrf',
    prefix: 'jwt-no-csrf',
    description: 'Deliberate mistake (jwt-mashup-csrf): a JWT virtual proxy for a mashup without the November 2024 CSRF headers',
    ...JWT_CLAIMS,
    jwtPublicKeyCertificate: jwtCertificatePem,
    ...EMBEDDABLE,
    additionalResponseHeaders: '',
  },
  {
    id: 'vp-reserved-header',
    prefix: 'reserved-header',
    description: `Deliberate mistake (header-reserved-name): header authentication in Qlik's own ${RESERVED_HEADER_EXAMPLE} header`,
    ...HEADER_AUTH,
    headerAuthenticationHeaderName: RESERVED_HEADER_EXAMPLE,
  },
];

export interface DemoSiteOptions {
  /** The certificate on /jwt: the demo profile's signing pair when Usher holds one; default demoJwtSigningPair's. */
  jwtCertificatePem?: string;
  /** The authentication module of /ticket. Default DEMO_AUTH_MODULE_URI; tests that run a stand-in give its own address. */
  authModuleUri?: string;
}

/**
 * Two nodes, the default virtual proxy, a ticket one with an external authentication module, a
 * header one and a JWT one; apps guarded the way seed 003 guards them: a MASHUP user may open only the app whose id
 * is its user id. Plus one virtual proxy per deliberate mistake (DEMO_DELIBERATE_MISTAKES), so that
 * `usher check` and the console's Checks section have each rule to show.
 */
export function demoSite(options: DemoSiteOptions = {}): SiteDescription {
  const jwtCertificatePem = options.jwtCertificatePem ?? demoJwtSigningPair().certificatePem;
  const mistakes = mistakeVirtualProxies(jwtCertificatePem);
  const linkedMistakes = mistakes.filter((vp) => vp.id !== 'vp-unlinked').map((vp) => vp.id);
  return parseSiteDescription({
    name: 'Usher demo site',
    nodes: [
      { id: 'node-central', name: 'central', virtualProxies: ['vp-default', 'vp-ticket', 'vp-header', 'vp-jwt', 'vp-header-dynamic', ...linkedMistakes] },
      { id: 'node-rim1', name: 'rim1', virtualProxies: ['vp-default', 'vp-ticket'] },
    ],
    virtualProxies: [
      { id: 'vp-default', prefix: '' },
      {
        id: 'vp-ticket',
        prefix: 'ticket',
        description: 'Ticket authentication through an external module',
        authenticationModuleRedirectUri: options.authModuleUri ?? DEMO_AUTH_MODULE_URI,
        ...EMBEDDABLE,
      },
      {
        id: 'vp-header',
        prefix: 'header',
        description: 'Static header authentication',
        ...HEADER_AUTH,
      },
      {
        id: 'vp-jwt',
        prefix: 'jwt',
        description: 'JWT authentication for the demo mashup',
        ...JWT_CLAIMS,
        jwtPublicKeyCertificate: jwtCertificatePem,
        ...EMBEDDABLE,
      },
      {
        id: 'vp-header-dynamic',
        prefix: 'header-dynamic',
        description: 'Dynamic header authentication: DIRECTORY\\user in X-Usher-User',
        authenticationMethod: 2,
        headerAuthenticationHeaderName: 'X-Usher-User',
      },
      ...mistakes,
    ],
    users: [
      { userDirectory: 'MASHUP', userId: 'a1-sales', name: 'Mashup user for Sales' },
      { userDirectory: 'MASHUP', userId: 'a2-finance', name: 'Mashup user for Finance' },
      { userDirectory: 'MASHUP', userId: 'a3-hr', name: 'Mashup user for HR' },
      { userDirectory: 'DEMO', userId: 'alice', name: 'Alice Analyst' },
      { userDirectory: 'DEMO', userId: 'bob', name: 'Bob Builder' },
    ],
    apps: [
      { id: 'a1-sales', name: 'Sales', images: ['logo.png', 'map.png'] },
      { id: 'a2-finance', name: 'Finance', images: ['logo.png'] },
      { id: 'a3-hr', name: 'HR', images: ['logo.png'] },
    ],
    rules: [
      { name: 'MASHUP users open the app whose id is their user id', appIds: '*', userDirectory: 'MASHUP', userId: '{app.id}' },
      { name: 'DEMO users open every app', appIds: '*', userDirectory: 'DEMO' },
    ],
  });
}

export interface GeneratedSiteOptions {
  nodes: number;
  virtualProxies: number;
  users?: number;
}

/** A site of `nodes` nodes, each linking every one of `virtualProxies` ticket virtual proxies. */
export function generateSite(opts: GeneratedSiteOptions): SiteDescription {
  const vps = Array.from({ length: Math.max(0, opts.virtualProxies - 1) }, (_, i) => ({
    id: `vp-${i + 1}`,
    prefix: `vp${i + 1}`,
    authenticationModuleRedirectUri: DEMO_AUTH_MODULE_URI,
  }));
  const vpIds = ['vp-default', ...vps.map((vp) => vp.id)];
  const userCount = opts.users ?? 50;
  return parseSiteDescription({
    name: `Generated site (${opts.nodes} nodes, ${opts.virtualProxies} virtual proxies)`,
    nodes: Array.from({ length: opts.nodes }, (_, i) => ({
      id: `node-${i + 1}`,
      name: `node${i + 1}`,

      virtualProxies: vpIds,
    })),
    virtualProxies: [{ id: 'vp-default', prefix: '' }, ...vps],
    users: Array.from({ length: userCount }, (_, i) => ({ userDirectory: 'GEN', userId: `user${i + 1}` })),
    apps: [{ id: 'app-1', name: 'Generated app' }],
    rules: [{ name: 'everyone', appIds: '*' }],
    // Scale tests hold many sessions per generated user.
    maxParallelSessionsPerUser: 1_000_000,
  });
}
