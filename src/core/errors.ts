/**
 * Every failure tessera reports is a {@link TesseraError} with a stable `code`.
 *
 * One subclass per condition, so `instanceof` and `switch (err.code)` both work.
 * SECURITY: messages describe the condition, never the token, header or key bytes
 * that caused it, so errors are safe to log.
 *
 * `docs/errors.md` lists every code; `test/unit/core/errors.test.ts` keeps the two in agreement.
 */

/** Every error code tessera throws. */
export const ERROR_CODES = [
  'ERR_INVALID_ARGUMENT',
  'ERR_BASE64URL_INVALID',
  'ERR_JSON_INVALID',
  'ERR_JSON_DUPLICATE_MEMBER',
  'ERR_TOKEN_TOO_LARGE',
  'ERR_HEADER_TOO_LARGE',
  'ERR_HEADER_INVALID',
  'ERR_CRIT_INVALID',
  'ERR_CRIT_UNSUPPORTED',
  'ERR_ALG_NONE',
  'ERR_ALG_UNSUPPORTED',
  'ERR_ALG_NOT_ALLOWED',
  'ERR_ALG_REQUIRED',
  'ERR_KEY_INVALID',
  'ERR_KEY_EMPTY',
  'ERR_KEY_TOO_SHORT',
  'ERR_KEY_TYPE_MISMATCH',
  'ERR_KEY_PRIVATE_REQUIRED',
  'ERR_KEY_USAGE',
  'ERR_JWK_INVALID',
  'ERR_JWKS_INVALID',
  'ERR_JWKS_PRIVATE_MEMBER',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JWKS_FETCH_FAILED',
  'ERR_JWKS_TIMEOUT',
  'ERR_JWKS_TOO_LARGE',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_INVALID',
  'ERR_JWE_INVALID',
  'ERR_JWE_DECRYPTION_FAILED',
  'ERR_JWE_EPK_INVALID',
  'ERR_JWE_DECOMPRESSION_LIMIT',
  'ERR_PBES2_COUNT',
  'ERR_JWT_INVALID',
  'ERR_JWT_CLAIM_INVALID',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_TYPE_INVALID',
  'ERR_JWS_EXPECTED',
  'ERR_JWE_EXPECTED',
  'ERR_SYNC_UNSUPPORTED',
  'ERR_PLATFORM_UNSUPPORTED',
] as const;

/** A stable error code: switch on it, never on the message. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base class of every error tessera throws. */
export class TesseraError extends Error {
  /** Stable, documented identifier of the condition (see `docs/errors.md`). */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Declares one subclass per code, so each condition is its own class. */
function errorClass<C extends ErrorCode>(code: C) {
  return class extends TesseraError {
    declare readonly code: C;
    static readonly code: C = code;
    constructor(message: string, options?: { cause?: unknown }) {
      super(code, message, options);
    }
  };
}

/** An argument has the wrong type or shape (a programming error, not bad input). */
export class InvalidArgumentError extends errorClass('ERR_INVALID_ARGUMENT') {}
/** A base64url segment is not strict, canonical, unpadded base64url. */
export class Base64URLInvalidError extends errorClass('ERR_BASE64URL_INVALID') {}
/** Bytes that must be a JSON object are not valid UTF-8 JSON, or not an object. */
export class JSONInvalidError extends errorClass('ERR_JSON_INVALID') {}
/** A JSON object names the same member twice (RFC 7515 §4, RFC 7519 §4). */
export class JSONDuplicateMemberError extends errorClass('ERR_JSON_DUPLICATE_MEMBER') {}
/** A token is longer than the configured maximum. */
export class TokenTooLargeError extends errorClass('ERR_TOKEN_TOO_LARGE') {}
/** A header is longer than the configured maximum. */
export class HeaderTooLargeError extends errorClass('ERR_HEADER_TOO_LARGE') {}
/** A JOSE header is missing a required member or has one of the wrong type. */
export class HeaderInvalidError extends errorClass('ERR_HEADER_INVALID') {}
/** `crit` breaks RFC 7515 §4.1.11 (unprotected, empty, duplicated, registered names, absent members). */
export class CritInvalidError extends errorClass('ERR_CRIT_INVALID') {}
/** `crit` names an extension the caller did not declare it understands. */
export class CritUnsupportedError extends errorClass('ERR_CRIT_UNSUPPORTED') {}
/** `alg: none` met a function that verifies. It is never accepted there. */
export class AlgNoneError extends errorClass('ERR_ALG_NONE') {}
/** The algorithm is unknown to tessera or deliberately not implemented. */
export class AlgUnsupportedError extends errorClass('ERR_ALG_UNSUPPORTED') {}
/** The algorithm is known but not in this call's allow-list. */
export class AlgNotAllowedError extends errorClass('ERR_ALG_NOT_ALLOWED') {}
/** No algorithm was given and none can be derived from the key. */
export class AlgRequiredError extends errorClass('ERR_ALG_REQUIRED') {}
/** Key material cannot be parsed or is not a usable key. */
export class KeyInvalidError extends errorClass('ERR_KEY_INVALID') {}
/** A key is missing, empty, null or zero-length. */
export class KeyEmptyError extends errorClass('ERR_KEY_EMPTY') {}
/** A key is weaker than the algorithm requires (RSA < 2048 bits, HMAC shorter than its hash). */
export class KeyTooShortError extends errorClass('ERR_KEY_TOO_SHORT') {}
/** The key's type or curve does not belong to the algorithm's family (e.g. an RSA key for HS256). */
export class KeyTypeMismatchError extends errorClass('ERR_KEY_TYPE_MISMATCH') {}
/** The operation needs a private (or secret) key and got a public one. */
export class KeyPrivateRequiredError extends errorClass('ERR_KEY_PRIVATE_REQUIRED') {}
/** The key's `use`, `key_ops` or bound `alg` forbids this operation. */
export class KeyUsageError extends errorClass('ERR_KEY_USAGE') {}
/** A JWK is malformed (RFC 7517 §4, RFC 7518 §6). */
export class JWKInvalidError extends errorClass('ERR_JWK_INVALID') {}
/** A JWK Set is malformed (RFC 7517 §5). */
export class JWKSInvalidError extends errorClass('ERR_JWKS_INVALID') {}
/** A public key set carries private key members. */
export class JWKSPrivateMemberError extends errorClass('ERR_JWKS_PRIVATE_MEMBER') {}
/** No key in the set matches the token's header. */
export class JWKSNoMatchingKeyError extends errorClass('ERR_JWKS_NO_MATCHING_KEY') {}
/** Several keys match and the caller asked for exactly one. */
export class JWKSMultipleMatchingKeysError extends errorClass('ERR_JWKS_MULTIPLE_MATCHING_KEYS') {}
/** Fetching a remote JWKS failed: network error, non-200 status, a redirect, or not JSON. */
export class JWKSFetchFailedError extends errorClass('ERR_JWKS_FETCH_FAILED') {}
/** Fetching a remote JWKS took longer than the timeout. */
export class JWKSTimeoutError extends errorClass('ERR_JWKS_TIMEOUT') {}
/** A remote JWKS response is larger than the size cap. */
export class JWKSTooLargeError extends errorClass('ERR_JWKS_TOO_LARGE') {}
/** A JWS is malformed (structure, serialization, `b64`). */
export class JWSInvalidError extends errorClass('ERR_JWS_INVALID') {}
/** The signature does not verify with the key (or is malformed for its algorithm). */
export class JWSSignatureInvalidError extends errorClass('ERR_JWS_SIGNATURE_INVALID') {}
/** A JWE is malformed (structure, serialization, header placement, `zip`, recipients). */
export class JWEInvalidError extends errorClass('ERR_JWE_INVALID') {}
/**
 * Decryption failed: wrong key, bad tag, bad padding, a CEK of the wrong length, any MAC failure.
 * SECURITY: every such failure has this one code and one message, so none is an oracle.
 */
export class JWEDecryptionFailedError extends errorClass('ERR_JWE_DECRYPTION_FAILED') {}
/** An ECDH-ES ephemeral public key is invalid: off its curve, on another curve, or a low-order point. */
export class JWEEphemeralKeyInvalidError extends errorClass('ERR_JWE_EPK_INVALID') {}
/** The decompressed plaintext would exceed the configured cap (enforced while inflating). */
export class JWEDecompressionLimitError extends errorClass('ERR_JWE_DECOMPRESSION_LIMIT') {}
/** A PBES2 `p2c` is not an integer within [minimum, maximum] (or PBES2 was not explicitly allowed). */
export class PBES2CountError extends errorClass('ERR_PBES2_COUNT') {}
/** A JWT's payload is not a JSON object of claims, or the JWT is otherwise malformed. */
export class JWTInvalidError extends errorClass('ERR_JWT_INVALID') {}

/** Why a claim was refused. */
export type ClaimFailureReason = 'missing' | 'invalid' | 'mismatch' | 'expired' | 'not-yet-valid' | 'too-old' | 'in-the-future';

/** A JWT claim is missing, of the wrong type or range, or does not match what was required. */
export class JWTClaimInvalidError extends errorClass('ERR_JWT_CLAIM_INVALID') {
  /** The claim's name (`iss`, `aud`, `nbf`, …). */
  readonly claim: string;
  readonly reason: ClaimFailureReason;
  constructor(claim: string, reason: ClaimFailureReason, message: string) {
    super(message);
    this.claim = claim;
    this.reason = reason;
  }
}

/** The JWT has expired (`exp` is in the past, beyond the clock tolerance). */
export class JWTExpiredError extends errorClass('ERR_JWT_EXPIRED') {
  readonly claim = 'exp' as const;
  readonly reason = 'expired' as const;
}

/** The JWT's `typ` is not the one required (RFC 8725 §3.11 explicit typing). */
export class JWTTypeInvalidError extends errorClass('ERR_JWT_TYPE_INVALID') {}
/** A JWE was given where a JWS is expected (a verifier, not a decrypter). */
export class JWSExpectedError extends errorClass('ERR_JWS_EXPECTED') {}
/** A JWS was given where a JWE is expected (a decrypter, not a verifier). */
export class JWEExpectedError extends errorClass('ERR_JWE_EXPECTED') {}
/** A synchronous function was called on a backend that is asynchronous only (WebCrypto). */
export class SyncUnsupportedError extends errorClass('ERR_SYNC_UNSUPPORTED') {}
/** The platform lacks the primitive (e.g. secp256k1 in WebCrypto). */
export class PlatformUnsupportedError extends errorClass('ERR_PLATFORM_UNSUPPORTED') {}

/** True when `err` is a tessera error (with `code` narrowed when one is given). */
export function isTesseraError<C extends ErrorCode = ErrorCode>(
  err: unknown,
  code?: C,
): err is TesseraError & { code: C } {
  return err instanceof TesseraError && (code === undefined || err.code === code);
}
