// The JWT operations a person runs, written once for the CLI and the console: make or import a profile's
// signing pair, show it, mint a token for a user on a virtual proxy, and verify a token the way that
// virtual proxy will. Each takes one input and gives one result; the faces parse and render.
import type { JwtSigningPairSummary, JwtVerdict, JwtVirtualProxySettings, QlikJwtAlgorithm } from '../../../shared/jwt';
import { prefixPhrase } from '../../../shared/virtual-proxy';
import type { VirtualProxyFields } from '../qlik/types';
import { JwtError } from './errors';
import type { HeldSigningPair, JwtKeyStore } from './key-store';
import { mintJwt, type MintedToken, type MintRequest } from './mint';
import { generateSigningPair, importSigningPair, type RsaKeySize } from './signing-pair';
import { verifyJwt } from './verify';

/** The JWT settings of a virtual proxy as QRS describes it; refused when it is not a JWT virtual proxy. */
export function jwtSettingsOf(vp: VirtualProxyFields): JwtVirtualProxySettings {
  if (vp.authenticationMethod !== 4) {
    throw new JwtError(
      'BAD_INPUT',
      `${prefixPhrase(vp.prefix)} does not use JWT authentication (authentication method ${vp.authenticationMethod})`,
      'Pick a virtual proxy whose authentication method is JWT (4), or set it to JWT in the QMC.',
    );
  }
  return {
    prefix: vp.prefix,
    jwtPublicKeyCertificate: vp.jwtPublicKeyCertificate ?? '',
    jwtAttributeUserId: vp.jwtAttributeUserId ?? '',
    jwtAttributeUserDirectory: vp.jwtAttributeUserDirectory ?? '',
    jwtAttributeMap: vp.jwtAttributeMap ?? [],
  };
}

export interface KeygenInput {
  profileId: string;
  profileName: string;
  /** Replace a pair the profile already has (its certificate in the QMC then stops verifying). */
  replace: boolean;
  algorithm?: QlikJwtAlgorithm;
  commonName?: string;
  validDays?: number;
  bits?: RsaKeySize;
  /** Import this private key (PEM) instead of generating one. */
  importKey?: { keyPem: string; passphrase?: string; certificatePem?: string };
}

/** Makes (or imports) the profile's signing pair and seals its key in the vault. */
export async function keygen(store: JwtKeyStore, input: KeygenInput): Promise<HeldSigningPair> {
  const existing = await store.held(input.profileId);
  if (existing && !input.replace) {
    throw new JwtError(
      'BAD_INPUT',
      `profile "${input.profileName}" already has a JWT signing pair (certificate ${existing.fingerprint256.slice(0, 23)}...)`,
      'Add --replace to make a new one; then paste its certificate into the QMC, as the old one stops verifying.',
    );
  }
  const options = {
    ...(input.algorithm ? { algorithm: input.algorithm } : {}),
    ...(input.commonName ? { commonName: input.commonName } : {}),
    ...(input.validDays ? { validDays: input.validDays } : {}),
  };
  const pair = input.importKey
    ? importSigningPair({ ...input.importKey, ...options })
    : generateSigningPair({ ...options, ...(input.bits ? { bits: input.bits } : {}) });
  return store.save(input.profileId, pair);
}

/** A mint request (mint.ts) for a profile's signing pair. */
export interface MintInput extends Omit<MintRequest, 'now'> {
  profileId: string;
  profileName: string;
}

export interface MintResult extends MintedToken {
  /** What the virtual proxy will make of the token now: a mistake on either side shows at once. */
  verdict?: JwtVerdict;
  signingPair: JwtSigningPairSummary;
}

/** Mints a token with the profile's signing pair, and says what the virtual proxy (when given) will take from it. */
export async function mint(store: JwtKeyStore, input: MintInput): Promise<MintResult> {
  const { profileId, profileName, ...request } = input;
  const pair = await store.load(profileId, profileName);
  const minted = mintJwt(pair, request);
  const held = await store.held(input.profileId);
  return { ...minted, ...(input.virtualProxy ? { verdict: verifyJwt(minted.token, input.virtualProxy) } : {}), signingPair: held! };
}

export { verifyJwt as verify };
