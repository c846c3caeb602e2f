// What a Qlik JWT virtual proxy makes of a token: the user directory, user id and attributes it logs in,
// or the one reason it refuses. Written once, used by `usher jwt verify`, the console and the built-in
// site's proxy, so the tool and the simulated site can never disagree.
import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  isQlikJwtAlgorithm,
  QLIK_JWT_ALGORITHMS,
  type JwtAcceptance,
  type JwtRefusal,
  type JwtRefusalCode,
  type JwtVerdict,
  type JwtVirtualProxySettings,
} from '../../../shared/jwt';
import { prefixPhrase } from '../../../shared/virtual-proxy';
import { decodeJwt, isDecoded, signatureVerifies } from './token';

/**
 * How far `exp` and `nbf` may be off the proxy's clock. The Qlik proxy is a .NET service and validates
 * lifetimes with the .NET token handler, whose default clock skew is five minutes; Qlik's help names no
 * other value.
 */
export const QLIK_JWT_CLOCK_TOLERANCE_SECONDS = 300;

export interface VerifyOptions {
  /** Milliseconds since the epoch; default Date.now(). */
  now?: number;
  toleranceSeconds?: number;
}

/** `[MASHUP]` in the directory field is the constant MASHUP, not a claim name. */
export function staticDirectory(field: string): string | undefined {
  const match = /^\s*\[(.*)\]\s*$/.exec(field);
  return match ? match[1]!.trim() : undefined;
}

/** The public key a virtual proxy's "JWT certificate" field holds (a certificate or a PUBLIC KEY block). */
export function jwtVerificationKey(pem: string): KeyObject | { problem: string } {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    return { problem: 'is not a PEM certificate or public key' };
  }
  if (key.asymmetricKeyType !== 'rsa') return { problem: `holds an ${String(key.asymmetricKeyType).toUpperCase()} key; Qlik verifies RSA signatures only` };
  return key;
}

/** A claim as Qlik turns it into text: strings as they are, numbers and booleans written out. */
function claimText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Every value of a claim: one for a scalar, each entry of an array (a group list). */
function claimValues(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const texts = value.map(claimText);
    return texts.every((t): t is string => t !== undefined) ? texts : undefined;
  }
  const text = claimText(value);
  return text === undefined ? undefined : [text];
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

// Over 80 lines on purpose: its steps run in the order the proxy checks a token, each a short block with its own
// early return; split up, that order would have to be read across functions.
/**
 * Verifies `token` as the virtual proxy `vp` would. Order follows the proxy: the token must be a signed
 * JWT, with an allowed algorithm, a signature the JWT certificate verifies, a lifetime covering now, and
 * the claims the virtual proxy maps. The first failure is the answer.
 */
export function verifyJwt(token: string, vp: JwtVirtualProxySettings, options: VerifyOptions = {}): JwtVerdict {
  const where = prefixPhrase(vp.prefix);
  const decoded = decodeJwt(token);
  if (!isDecoded(decoded)) {
    if (decoded.kind === 'encrypted') {
      return refuse('encrypted', 'the token is encrypted (JWE); Qlik takes signed tokens only', 'Sign the token (JWS) instead of encrypting it.');
    }
    return refuse('malformed', `the text is not a signed JWT: ${decoded.detail}`, 'Give the whole token, three base64url parts separated by dots.');
  }
  const { header, payload } = decoded;
  const fail = (code: JwtRefusalCode, message: string, hint: string): JwtRefusal => ({ ...refuse(code, message, hint), header, payload });

  const alg = header.alg;
  if (!isQlikJwtAlgorithm(alg)) {
    const named = typeof alg === 'string' ? alg : JSON.stringify(alg ?? null);
    const why =
      alg === 'none'
        ? 'an unsigned token'
        : typeof alg === 'string' && alg.startsWith('HS')
          ? 'signed with a shared secret, which a certificate cannot verify'
          : 'an algorithm Qlik does not verify';
    return fail(
      'alg-not-allowed',
      `the token's algorithm ${named} is ${why}`,
      `Sign with ${QLIK_JWT_ALGORITHMS.join(', ')} and the private key of the JWT certificate on ${where}.`,
    );
  }
  if (vp.jwtPublicKeyCertificate.trim() === '') {
    return fail(
      'no-certificate',
      `${where} has no JWT certificate, so no signature can verify`,
      'Paste the certificate of the signing key into "JWT certificate" in the QMC.',
    );
  }
  const key = jwtVerificationKey(vp.jwtPublicKeyCertificate);
  if ('problem' in key) {
    return fail(
      'bad-certificate',
      `the JWT certificate of ${where} ${key.problem}`,
      'Paste the whole PEM certificate of the signing key into "JWT certificate" in the QMC.',
    );
  }
  if (!signatureVerifies(decoded, key, alg)) {
    return fail(
      'bad-signature',
      `the signature does not verify with the JWT certificate of ${where}`,
      'Sign with the private key whose certificate is in the QMC, or paste the certificate of the key you sign with.',
    );
  }

  const now = (options.now ?? Date.now()) / 1000;
  const tolerance = options.toleranceSeconds ?? QLIK_JWT_CLOCK_TOLERANCE_SECONDS;
  for (const claim of ['exp', 'nbf'] as const) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'number') {
      return fail(
        'bad-claim',
        `the "${claim}" claim is not a number of seconds since 1970`,
        `Write "${claim}" as a NumericDate (seconds, not milliseconds nor a date string).`,
      );
    }
  }
  const exp = payload.exp as number | undefined;
  const nbf = payload.nbf as number | undefined;
  if (exp !== undefined && now > exp + tolerance) {
    return fail(
      'expired',
      `the token expired at ${isoSeconds(exp)} (Qlik allows ${tolerance} s of clock difference)`,
      "Mint a new token; if it was fresh, set the signing machine's clock right.",
    );
  }
  if (nbf !== undefined && now + tolerance < nbf) {
    return fail(
      'not-yet-valid',
      `the token is not valid before ${isoSeconds(nbf)} (Qlik allows ${tolerance} s of clock difference)`,
      'Set the signing machine\'s clock right, or leave "nbf" out.',
    );
  }

  const userIdClaim = vp.jwtAttributeUserId.trim();
  if (userIdClaim === '') {
    return fail('missing-user-id', `${where} names no claim for the user id`, 'Set "JWT attribute for user ID" in the QMC (for example userId).');
  }
  const userId = identityPart(payload, userIdClaim, 'user id');
  if (typeof userId !== 'string') return fail(userId.code, userId.message, userId.hint);

  const directoryField = vp.jwtAttributeUserDirectory.trim();
  const constant = staticDirectory(directoryField);
  let userDirectory: string;
  let userDirectorySource: string;
  if (constant !== undefined && constant !== '') {
    userDirectory = constant;
    userDirectorySource = 'static';
  } else if (directoryField === '' || constant === '') {
    return fail(
      'no-directory-mapping',
      `${where} neither names a claim for the user directory nor gives a static one`,
      'Set "JWT attribute for user directory" in the QMC: a claim name, or a constant in brackets such as [MASHUP].',
    );
  } else {
    const part = identityPart(payload, directoryField, 'user directory');
    if (typeof part !== 'string') return fail(part.code, part.message, part.hint);
    userDirectory = part;
    userDirectorySource = directoryField;
  }

  const attributes: Array<Record<string, string>> = [];
  for (const item of vp.jwtAttributeMap) {
    const raw = payload[item.jwtAttribute];
    if (raw === undefined || raw === null) {
      if (item.isMandatory) {
        return fail(
          'missing-mandatory-attribute',
          `the token has no "${item.jwtAttribute}" claim, which ${where} maps to ${item.senseAttribute} as mandatory`,
          `Add "${item.jwtAttribute}" to the token, or make the mapping optional in the QMC.`,
        );
      }
      continue;
    }
    const values = claimValues(raw);
    if (values === undefined) {
      return fail(
        'bad-claim',
        `the "${item.jwtAttribute}" claim is neither text nor a list of text`,
        `Write "${item.jwtAttribute}" as a string or an array of strings.`,
      );
    }
    for (const value of values) attributes.push({ [item.senseAttribute]: value });
  }

  const notes: string[] = [];
  if (exp === undefined) notes.push('the token has no "exp": Qlik takes it, and it stays usable until the JWT certificate changes');
  else if (exp - now > 24 * 60 * 60) notes.push(`the token lives until ${isoSeconds(exp)}: a leaked copy logs the user in until then`);
  const accepted: JwtAcceptance = { ok: true, userDirectory, userId, attributes, userIdClaim, userDirectorySource, notes, header, payload };
  if (exp !== undefined) accepted.expiresAt = isoSeconds(exp);
  return accepted;
}

function refuse(code: JwtRefusalCode, message: string, hint: string): JwtRefusal {
  return { ok: false, code, message, hint };
}

/** The user id or directory out of its claim: text, not empty, no backslash (Qlik's rule for both). */
function identityPart(payload: Record<string, unknown>, claim: string, label: 'user id' | 'user directory'): string | JwtRefusal {
  const code = label === 'user id' ? 'missing-user-id' : 'missing-user-directory';
  const raw = payload[claim];
  if (raw === undefined || raw === null) {
    return refuse(
      code,
      `the token has no "${claim}" claim, which the virtual proxy reads the ${label} from`,
      `Add "${claim}" to the token, or point "JWT attribute for ${label === 'user id' ? 'user ID' : 'user directory'}" at the claim it has.`,
    );
  }
  const text = claimText(raw)?.trim();
  if (text === undefined || text === '' || text.includes('\\')) {
    return refuse('bad-claim', `the "${claim}" claim is not a usable ${label} (text, not empty, no backslash)`, `Put the bare ${label} in "${claim}".`);
  }
  return text;
}
