/** JSON Web Tokens: RFC 7519 (JWT), RFC 8725 (JWT best current practice), RFC 9068 (`at+jwt`). */
export { MAX_NUMERIC_DATE, type JWTClaims } from './claims.js';
export { parseDuration } from './duration.js';
export { JWT_PROFILES, normalizeTyp, type JWTProfile, type JWTProfileName } from './typ.js';
export { signJWT, signJWTSync } from './sign.js';
export { verifyJWT, verifyJWTSync } from './verify.js';
export { decodeJWT, type DecodedJWE, type DecodedJWS, type DecodedJWT } from './decode.js';
export {
  decodeUnsecuredJWT,
  encodeUnsecuredJWT,
  type UnsecuredDecodeOptions,
  type UnsecuredEncodeOptions,
  type UnsecuredJWTResult,
} from './unsecured.js';
export { decryptJWT, decryptJWTSync, encryptJWT, encryptJWTSync } from './encrypted.js';
export { decryptAndVerifyJWT, decryptAndVerifyJWTSync, signAndEncryptJWT, signAndEncryptJWTSync } from './nested.js';
export {
  createJWTSigner,
  createJWTSignerSync,
  createJWTVerifier,
  createJWTVerifierSync,
  createNestedJWTSigner,
  createNestedJWTSignerSync,
  createNestedJWTVerifier,
  createNestedJWTVerifierSync,
  type JWTSigner,
  type JWTVerifier,
  type JWTVerifierOptions,
  type NestedJWTSigner,
  type NestedJWTVerifier,
} from './factories.js';
export type { VerifiedTokenCacheOptions } from './cache.js';
export type {
  Duration,
  JWTClaimOptions,
  JWTDecryptOptions,
  JWTDecryptResult,
  JWTEncryptOptions,
  JWTSignOptions,
  JWTValidationOptions,
  JWTVerifyOptions,
  JWTVerifyResult,
  NestedDecryptPart,
  NestedEncryptPart,
  NestedJWTResult,
  NestedSignPart,
  NestedVerifyPart,
  ReplicableClaim,
} from './types.js';
