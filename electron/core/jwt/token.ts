// A JWS in compact form (header.payload.signature, base64url): decoding it without trusting it, and
// signing one. Only what a Qlik JWT virtual proxy deals in: RSA signatures (RS256/384/512).
import { createSign, createVerify, type KeyObject } from 'node:crypto';
import type { QlikJwtAlgorithm } from '../../../shared/jwt';

/** The hash each RSASSA-PKCS1-v1_5 algorithm signs with (RFC 7518 section 3.3). */
const RSA_HASH: Record<QlikJwtAlgorithm, string> = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512' };

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `base64url(header) + "." + base64url(payload)`: what the signature covers. */
  signingInput: string;
  signature: Buffer;
}

/** Why a string is not a signed JWT, or undefined when it decodes. */
export type DecodeProblem = { kind: 'encrypted' } | { kind: 'malformed'; detail: string };

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function jsonPart(part: string, name: string): Record<string, unknown> | string {
  if (!BASE64URL.test(part)) return `the ${name} is not base64url`;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return `the ${name} is not JSON`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `the ${name} is not a JSON object`;
  return value as Record<string, unknown>;
}

/** Decodes a compact JWS; a `Bearer ` prefix and surrounding spaces are forgiven (people paste headers). */
export function decodeJwt(token: string): DecodedJwt | DecodeProblem {
  const compact = token.trim().replace(/^Bearer\s+/i, '');
  const parts = compact.split('.');
  // A JWE (encrypted token) has five parts; Qlik does not take encrypted tokens.
  if (parts.length === 5) return { kind: 'encrypted' };
  if (parts.length !== 3) return { kind: 'malformed', detail: `it has ${parts.length} part(s) separated by dots; a signed JWT has 3` };
  const [h, p, s] = parts as [string, string, string];
  const header = jsonPart(h, 'header');
  if (typeof header === 'string') return { kind: 'malformed', detail: header };
  const payload = jsonPart(p, 'payload');
  if (typeof payload === 'string') return { kind: 'malformed', detail: payload };
  if (!BASE64URL.test(s)) return { kind: 'malformed', detail: 'the signature is not base64url' };
  return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
}

export function isDecoded(value: DecodedJwt | DecodeProblem): value is DecodedJwt {
  return 'signingInput' in value;
}

function encodePart(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Signs `payload` with an RSA private key; the header says `alg` and `typ: JWT`. */
export function signJwt(payload: Record<string, unknown>, privateKey: KeyObject, alg: QlikJwtAlgorithm): string {
  const signingInput = `${encodePart({ alg, typ: 'JWT' })}.${encodePart(payload)}`;
  const signature = createSign(RSA_HASH[alg]).update(signingInput).sign(privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** Whether the signature of a decoded token verifies with `publicKey` under `alg`. */
export function signatureVerifies(token: DecodedJwt, publicKey: KeyObject, alg: QlikJwtAlgorithm): boolean {
  try {
    return createVerify(RSA_HASH[alg]).update(token.signingInput).verify(publicKey, token.signature);
  } catch {
    return false;
  }
}
