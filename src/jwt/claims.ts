/**
 * The JWT Claims Set (RFC 7519 §4) and the type rules of its registered claims.
 *
 * SECURITY: `exp`, `nbf` and `iat` must be finite JSON numbers in a sane range, never strings
 * (a lax library reads `"exp": "9999999999"` as a number; json-c saturates a huge `exp` to
 * INT64_MAX). `iss` and `sub` must be strings, `aud` a string or an array of strings: an `iss`
 * array must not slip through an "includes" check (THREATS.md §19).
 */
import { JSONInvalidError, JWTClaimInvalidError, JWTInvalidError } from '../core/errors.js';
import { parseJSONObject, parseJSONObjectText } from '../core/json.js';

/** A JWT Claims Set: the registered claims of RFC 7519 §4.1, and any others. */
export interface JWTClaims {
  /** RFC 7519 §4.1.1 issuer. */
  iss?: string;
  /** RFC 7519 §4.1.2 subject. */
  sub?: string;
  /** RFC 7519 §4.1.3 audience: one string, or an array of strings. */
  aud?: string | string[];
  /** RFC 7519 §4.1.4 expiration time (NumericDate, seconds since the epoch). */
  exp?: number;
  /** RFC 7519 §4.1.5 not before (NumericDate). */
  nbf?: number;
  /** RFC 7519 §4.1.6 issued at (NumericDate). */
  iat?: number;
  /** RFC 7519 §4.1.7 JWT ID. */
  jti?: string;
  [claim: string]: unknown;
}

/**
 * The latest NumericDate accepted: 9999-12-31T23:59:59Z. Anything later is a bug or an attack
 * (it is also far below 2^53, so every accepted value is an exact integer or a plain fraction).
 */
export const MAX_NUMERIC_DATE = 253402300799;

/** The NumericDate claims (RFC 7519 §2). */
export const NUMERIC_DATE_CLAIMS = ['exp', 'nbf', 'iat'] as const;
/** Claims that must be strings when present. */
const STRING_CLAIMS = ['iss', 'sub', 'jti'] as const;

/** True when `value` is a NumericDate tessera accepts: a finite number in [0, MAX_NUMERIC_DATE]. */
export function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= MAX_NUMERIC_DATE;
}

function invalid(claim: string, what: string): never {
  throw new JWTClaimInvalidError(claim, 'invalid', `the "${claim}" claim must be ${what}`);
}

/**
 * Checks the types of the registered claims that are present (absent ones are the required-claim
 * rule's business).
 * @throws ERR_JWT_CLAIM_INVALID (reason `invalid`)
 */
export function checkRegisteredClaims(claims: JWTClaims): void {
  for (const name of NUMERIC_DATE_CLAIMS) {
    const v = claims[name];
    // RFC 7519 §2 NumericDate: a JSON numeric value. NaN and ±Infinity fail the range test.
    if (v !== undefined && !isNumericDate(v)) invalid(name, 'a NumericDate between 0 and year 9999');
  }
  for (const name of STRING_CLAIMS) {
    const v = claims[name];
    if (v !== undefined && typeof v !== 'string') invalid(name, 'a string');
  }
  const aud = claims.aud;
  // RFC 7519 §4.1.3: a single case-sensitive string, or an array of them.
  if (aud !== undefined && typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))) {
    invalid('aud', 'a string or an array of strings');
  }
}

/** True when `claims` has its own member `name` (a JSON `null` counts as present). */
export function hasClaim(claims: JWTClaims, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(claims, name) && claims[name] !== undefined;
}

/**
 * Throws unless every listed claim is present.
 * @throws ERR_JWT_CLAIM_INVALID (reason `missing`)
 */
export function checkPresent(claims: JWTClaims, names: readonly string[]): void {
  for (const name of names) {
    if (!hasClaim(claims, name)) throw new JWTClaimInvalidError(name, 'missing', `the "${name}" claim is required`);
  }
}

/** The audiences of a claims set, as a list (empty when absent). */
export function audiencesOf(claims: JWTClaims): readonly string[] {
  const aud = claims.aud;
  if (aud === undefined) return [];
  return typeof aud === 'string' ? [aud] : aud;
}

/**
 * Parses a JWT payload as a claims set: strict UTF-8 JSON, an object, no duplicate members
 * (RFC 7519 §7.2 steps 9–10; THREATS.md §17).
 * @throws ERR_JWT_INVALID (not a JSON object), ERR_JSON_DUPLICATE_MEMBER
 */
export function parseClaims(payload: Uint8Array | string): JWTClaims {
  try {
    return (typeof payload === 'string' ? parseJSONObjectText(payload, 'JWT claims set') : parseJSONObject(payload, 'JWT claims set')) as JWTClaims;
  } catch (err) {
    if (err instanceof JSONInvalidError) throw new JWTInvalidError('the JWT payload is not a JSON object', { cause: err });
    throw err;
  }
}

/**
 * RFC 7519 §5.3: claims replicated in a JWE header (`iss`, `sub`, `aud`) must equal the claims.
 * @throws ERR_JWT_CLAIM_INVALID (reason `mismatch`)
 */
export function checkReplicatedClaims(header: { readonly [name: string]: unknown }, claims: JWTClaims): void {
  for (const name of ['iss', 'sub', 'aud'] as const) {
    const h = header[name];
    if (h !== undefined && !sameValue(h, claims[name])) {
      throw new JWTClaimInvalidError(name, 'mismatch', `the "${name}" header parameter differs from the "${name}" claim`);
    }
  }
}

/** Exact equality of two JSON strings or arrays of strings (anything else is unequal). */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string') return a === b;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((v, i) => typeof v === 'string' && v === b[i]);
}
