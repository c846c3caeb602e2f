// Minting a test token for a user: the claims named the way the target virtual proxy reads them (its
// user id and directory claims, its attribute mapping), signed with the profile's signing pair.
import type { JwtVirtualProxySettings, QlikJwtAlgorithm } from '../../../shared/jwt';
import { userProblem, type UserRef } from '../../../shared/user';
import { JwtError } from './errors';
import { privateKeyOf, type JwtSigningPair } from './signing-pair';
import { signJwt } from './token';
import { staticDirectory } from './verify';

export interface MintRequest {
  user: UserRef;
  /** Group memberships: the claim the virtual proxy maps to "Group", else `groups`. */
  groups?: string[];
  /** Other attributes, by Qlik attribute name (or claim name when the virtual proxy maps none to it). */
  attributes?: Array<Record<string, string>>;
  /** Seconds from now; default 10 minutes, at most 30 days. */
  expiresInSeconds?: number;
  algorithm?: QlikJwtAlgorithm;
  /** The virtual proxy the token is for: its claim names are used. Left out: userId, userDirectory, groups. */
  virtualProxy?: JwtVirtualProxySettings;
  /** Milliseconds since the epoch; default Date.now(). */
  now?: number;
}

export interface MintedToken {
  token: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  expiresAt: string;
}

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 600;
export const MAX_TOKEN_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

/** The claim a virtual proxy maps to a Qlik attribute name (case-insensitive, as Qlik attribute names are). */
function claimFor(vp: JwtVirtualProxySettings | undefined, senseAttribute: string): string | undefined {
  return vp?.jwtAttributeMap.find((m) => m.senseAttribute.toLowerCase() === senseAttribute.toLowerCase())?.jwtAttribute;
}

function addClaim(payload: Record<string, unknown>, claim: string, value: string): void {
  const existing = payload[claim];
  if (existing === undefined) payload[claim] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else payload[claim] = [existing, value];
}

export function mintJwt(pair: JwtSigningPair, request: MintRequest): MintedToken {
  const problem = userProblem(request.user);
  const userId = request.user.userId.trim();
  const userDirectory = request.user.userDirectory.trim();
  if (problem) throw new JwtError('BAD_INPUT', `the user cannot be put in a token: ${problem}`, 'Give a plain user directory and user id.');
  if (userId === '' || userId.includes('\\') || userDirectory.includes('\\')) {
    throw new JwtError('BAD_INPUT', 'the user id must not be empty and neither part may hold a backslash', 'Give the user as DIRECTORY\\id.');
  }
  const lifetime = request.expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new JwtError(
      'BAD_INPUT',
      `a token living ${String(lifetime)} seconds is not minted`,
      `Give a whole number of seconds from 1 to ${MAX_TOKEN_LIFETIME_SECONDS} (30 days).`,
    );
  }
  const vp = request.virtualProxy;
  const now = Math.floor((request.now ?? Date.now()) / 1000);
  const payload: Record<string, unknown> = {};
  payload[vp?.jwtAttributeUserId.trim() || 'userId'] = userId;
  const directoryField = vp?.jwtAttributeUserDirectory.trim() ?? '';
  const constant = staticDirectory(directoryField);
  if (constant === undefined) {
    if (userDirectory === '') throw new JwtError('BAD_INPUT', 'the user directory is empty', 'Give the user as DIRECTORY\\id.');
    payload[directoryField || 'userDirectory'] = userDirectory;
  } else if (userDirectory !== '' && userDirectory.toLowerCase() !== constant.toLowerCase()) {
    throw new JwtError(
      'BAD_INPUT',
      `the virtual proxy puts every JWT user in the directory ${constant}, not ${userDirectory}`,
      `Give the user as ${constant}\\${userId}, or use a virtual proxy that reads the directory from a claim.`,
    );
  }
  const groupClaim = claimFor(vp, 'Group') ?? 'groups';
  if (request.groups?.length) payload[groupClaim] = [...request.groups];
  for (const attribute of request.attributes ?? []) {
    for (const [name, value] of Object.entries(attribute)) addClaim(payload, claimFor(vp, name) ?? name, value);
  }
  payload.iat = now;
  payload.exp = now + lifetime;
  const algorithm = request.algorithm ?? pair.algorithm;
  const token = signJwt(payload, privateKeyOf(pair), algorithm);
  return { token, header: { alg: algorithm, typ: 'JWT' }, payload, expiresAt: new Date((now + lifetime) * 1000).toISOString() };
}
