/** Signed tokens: RFC 7515 (JWS), RFC 7797 (unencoded payload). */
export { parseCompactJWS, signJWS, signJWSSync, verifyJWS, verifyJWSSync, type ParsedCompact } from './compact.js';
export { createSigner, createSignerSync, createVerifier, createVerifierSync, type Signer, type Verifier } from './factories.js';
export type {
  JWSHeader,
  JWSLimits,
  KeyResolver,
  SignOptions,
  VerifiedJWSHeader,
  VerifyKey,
  VerifyOptions,
  VerifyResult,
} from './types.js';
export { signFlattenedJWS, signFlattenedJWSSync, verifyFlattenedJWS, verifyFlattenedJWSSync } from './flattened.js';
export { signGeneralJWS, signGeneralJWSSync, verifyGeneralJWS, verifyGeneralJWSSync, type GeneralSigner, type GeneralSignOptions } from './general.js';
export type { FlattenedJWS, GeneralJWS, GeneralVerifyResult, JSONSignOptions, JSONVerifyResult, JWSSignatureJSON } from './json-common.js';
