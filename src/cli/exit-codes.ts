/**
 * The one table from library error codes to exit statuses, for commands that take a token
 * (verify, decrypt, open, inspect). Commands that make something (keygen, sign, encrypt, seal,
 * thumbprint, jwks) read no token, so every library error there is an input error (2); and a key
 * that fails to load is 2 everywhere (keys.ts reports it before any token is looked at).
 */
import type { ErrorCode } from '../index.js';

/** 0 success, 1 the token is invalid, 2 usage or input error. */
export type CliExit = 0 | 1 | 2;

const TOKEN = 1;
const INPUT = 2;

/** Every ErrorCode, with the exit status it gives when a token is being checked. */
export const EXIT_CODES: Readonly<Record<ErrorCode, 1 | 2>> = Object.freeze({
  ERR_INVALID_ARGUMENT: INPUT, // a bad flag value (a duration, a claim) reached the library
  ERR_BASE64URL_INVALID: TOKEN,
  ERR_JSON_INVALID: TOKEN,
  ERR_JSON_DUPLICATE_MEMBER: TOKEN,
  ERR_TOKEN_TOO_LARGE: TOKEN,
  ERR_HEADER_TOO_LARGE: TOKEN,
  ERR_HEADER_INVALID: TOKEN,
  ERR_CRIT_INVALID: TOKEN,
  ERR_CRIT_UNSUPPORTED: TOKEN,
  ERR_ALG_NONE: TOKEN,
  ERR_ALG_UNSUPPORTED: TOKEN, // the token names an algorithm tessera refuses
  ERR_ALG_NOT_ALLOWED: TOKEN,
  ERR_ALG_REQUIRED: INPUT, // the key says nothing about its algorithm: pass --alg
  ERR_KEY_INVALID: INPUT,
  ERR_KEY_EMPTY: INPUT,
  ERR_KEY_TOO_SHORT: INPUT,
  ERR_KEY_TYPE_MISMATCH: INPUT,
  ERR_KEY_PRIVATE_REQUIRED: INPUT,
  ERR_KEY_USAGE: INPUT,
  ERR_JWK_INVALID: INPUT,
  ERR_JWKS_INVALID: INPUT,
  ERR_JWKS_PRIVATE_MEMBER: INPUT,
  ERR_JWKS_NO_MATCHING_KEY: TOKEN, // no key of the set vouches for this token
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: TOKEN,
  ERR_JWKS_FETCH_FAILED: INPUT,
  ERR_JWKS_TIMEOUT: INPUT,
  ERR_JWKS_TOO_LARGE: INPUT,
  ERR_JWS_INVALID: TOKEN,
  ERR_JWS_SIGNATURE_INVALID: TOKEN,
  ERR_JWE_INVALID: TOKEN,
  ERR_JWE_DECRYPTION_FAILED: TOKEN,
  ERR_JWE_EPK_INVALID: TOKEN,
  ERR_JWE_DECOMPRESSION_LIMIT: TOKEN,
  ERR_PBES2_COUNT: TOKEN,
  ERR_JWT_INVALID: TOKEN,
  ERR_JWT_CLAIM_INVALID: TOKEN,
  ERR_JWT_EXPIRED: TOKEN,
  ERR_JWT_TYPE_INVALID: TOKEN,
  ERR_JWS_EXPECTED: TOKEN, // a JWE given to verify: not a token verify accepts
  ERR_JWE_EXPECTED: TOKEN,
  ERR_SYNC_UNSUPPORTED: INPUT,
  ERR_PLATFORM_UNSUPPORTED: INPUT,
});

/** The exit status of a library error met while checking a token. */
export function exitCodeFor(code: ErrorCode): 1 | 2 {
  return EXIT_CODES[code] ?? INPUT;
}
