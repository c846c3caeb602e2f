// JWT virtual proxies as the CLI and the console show them: the QRS settings that decide who a token
// logs in, and what a verification found. Pure data and wording, no crypto (that is electron/core/jwt).
import type { UserRef } from './user';

/**
 * The signing algorithms a Qlik Sense (client-managed) JWT virtual proxy accepts. Qlik's help, "JWT"
 * (Limitations): encrypted tokens are not supported and only RS256, RS384 and RS512 sign.
 */
export const QLIK_JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512'] as const;
export type QlikJwtAlgorithm = (typeof QLIK_JWT_ALGORITHMS)[number];

export function isQlikJwtAlgorithm(value: unknown): value is QlikJwtAlgorithm {
  return typeof value === 'string' && (QLIK_JWT_ALGORITHMS as readonly string[]).includes(value);
}

/** One row of a virtual proxy's JWT attribute mapping (QRS VirtualProxyConfigJwtAttributeMapItem). */
export interface JwtAttributeMapItem {
  /** The claim read from the token. */
  jwtAttribute: string;
  /** The attribute name Qlik gives it (security rules see it as user.environment.<name>). */
  senseAttribute: string;
  /** A token without the claim is refused. */
  isMandatory: boolean;
}

/** The fields of a virtual proxy (QRS VirtualProxyConfig) a JWT login depends on. */
export interface JwtVirtualProxySettings {
  prefix: string;
  /** PEM of the certificate (or public key) whose key verifies the signature. */
  jwtPublicKeyCertificate: string;
  /** The claim holding the user id. */
  jwtAttributeUserId: string;
  /**
   * The claim holding the user directory, or a constant in square brackets (`[MASHUP]`): the QMC's
   * convention for a static value, as for SAML attributes.
   */
  jwtAttributeUserDirectory: string;
  jwtAttributeMap: JwtAttributeMapItem[];
}

/** Why a token will not log anyone in, one code per cause an administrator can act on. */
export type JwtRefusalCode =
  | 'malformed'
  | 'encrypted'
  | 'alg-not-allowed'
  | 'no-certificate'
  | 'bad-certificate'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'missing-user-id'
  | 'missing-user-directory'
  | 'no-directory-mapping'
  | 'missing-mandatory-attribute'
  | 'bad-claim';

/** What Qlik takes from a token that verifies: the user and the attributes its security rules see. */
export interface JwtAcceptance extends UserRef {
  ok: true;
  attributes: Array<Record<string, string>>;
  /** Where each part came from: the claim name, or "static" for a bracketed directory. */
  userIdClaim: string;
  userDirectorySource: string;
  /** `exp` as an ISO date, or undefined when the token never expires (Qlik takes it; say so). */
  expiresAt?: string;
  /** Things that work today but will bite (no `exp`, a very long lifetime). */
  notes: string[];
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export interface JwtRefusal {
  ok: false;
  code: JwtRefusalCode;
  /** What Qlik makes of the token, in a sentence. */
  message: string;
  /** The fix, on the token's side or the virtual proxy's. */
  hint: string;
  /** What could be decoded, for the person to look at (never the signature). */
  header?: Record<string, unknown>;
  payload?: Record<string, unknown>;
}

export type JwtVerdict = JwtAcceptance | JwtRefusal;

/**
 * A Qlik attribute list (single-key objects, keys may repeat, values may be empty) as one line:
 * `Group=Sales, Group=EMEA, Flag=`. What a token's verdict and a ticket carry, shown the same in the CLI
 * and the console; '' for none, so each face says "none" in its own words.
 */
export function formatAttributes(attributes: ReadonlyArray<Record<string, string>>): string {
  return attributes.flatMap((attribute) => Object.entries(attribute).map(([key, value]) => `${key}=${value}`)).join(', ');
}

/** A JWT signing pair as the console sees it: never the private key. */
export interface JwtSigningPairSummary {
  /** The certificate to paste into the QMC's "JWT certificate" field. */
  certificatePem: string;
  subject: string;
  fingerprint256: string;
  notBefore: string;
  notAfter: string;
  algorithm: QlikJwtAlgorithm;
  keyBits: number;
}

/**
 * Headers the Qlik proxy injects into what it forwards (ProxyServiceAPI, "Injected request headers") or
 * reads for itself: a header virtual proxy cannot take its user from one of them.
 */
export const QLIK_RESERVED_HEADERS = [
  'X-Qlik-User',
  'X-Qlik-Security',
  'X-Qlik-ProxySession',
  'X-Qlik-ProxySessionId',
  'X-Qlik-Virtual-Proxy-Prefix',
  'X-Qlik-Xrfkey',
  'X-Qlik-Session',
] as const;

/** Standard HTTP headers a proxy consumes itself: a user id in one of them never reaches the header check. */
const HTTP_HEADERS_TAKEN = ['Authorization', 'Cookie', 'Host', 'Connection', 'Upgrade', 'Content-Length', 'Transfer-Encoding', 'Origin'];

/**
 * Why a header virtual proxy's header name cannot work, or undefined when it can: Qlik's own headers
 * (any X-Qlik-* name: the proxy overwrites or strips those), and the HTTP headers a proxy consumes.
 */
export function reservedHeaderProblem(name: string): string | undefined {
  const lower = name.trim().toLowerCase();
  if (lower === '') return undefined;
  const known = QLIK_RESERVED_HEADERS.find((h) => h.toLowerCase() === lower);
  if (known) return `${known} is a header Qlik's proxy sets itself`;
  if (lower.startsWith('x-qlik-')) return `${name.trim()} is in Qlik's own X-Qlik- header family`;
  const http = HTTP_HEADERS_TAKEN.find((h) => h.toLowerCase() === lower);
  if (http) return `${http} is a standard HTTP header the proxy consumes`;
  return undefined;
}
