// JWT tools for Qlik JWT virtual proxies: signing pairs (keygen, import), test tokens (mint), and the
// proxy's own verdict on a token (verify). Pure Node; the CLI, the console and the built-in site use it.
export { JwtError, type JwtErrorCode } from './errors';
export { decodeJwt, isDecoded, signJwt, type DecodedJwt } from './token';
export {
  generateSigningPair,
  importSigningPair,
  parseCertificate,
  privateKeyOf,
  summarizeSigningPair,
  RSA_KEY_SIZES,
  type ImportOptions,
  type JwtSigningPair,
  type KeygenOptions,
  type RsaKeySize,
} from './signing-pair';
export { jwtVerificationKey, QLIK_JWT_CLOCK_TOLERANCE_SECONDS, staticDirectory, verifyJwt, type VerifyOptions } from './verify';
export { DEFAULT_TOKEN_LIFETIME_SECONDS, MAX_TOKEN_LIFETIME_SECONDS, mintJwt, type MintedToken, type MintRequest } from './mint';
export { JWT_INDEX_FILE, JwtKeyStore, type HeldSigningPair } from './key-store';
export { jwtSettingsOf, keygen, mint, type KeygenInput, type MintInput, type MintResult } from './operations';
