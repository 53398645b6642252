/**
 * Explicit typing (RFC 8725 §3.11) and token profiles.
 *
 * A profile names what a kind of token must carry: its `typ` and its required claims. Checking it
 * is what stops a token of one kind being accepted as another (an ID token replayed as an access
 * token, THREATS.md §22). Profiles are plain data: pass a name from {@link JWT_PROFILES} or an
 * object of your own; there is no global table to change at run time.
 */
import { InvalidArgumentError, JWTTypeInvalidError } from '../core/errors.js';

/** What a kind of token must carry. */
export interface JWTProfile {
  /** The `typ` header value (compared case-insensitively, `application/` prefix optional). */
  readonly typ: string;
  /** Claims every token of this kind carries (checked when signing and when verifying). */
  readonly requiredClaims: readonly string[];
  /**
   * Verification options a verifier of this kind must set, so that a presence check is never
   * mistaken for a match check (RFC 9068 §4: the resource server MUST check `iss` and `aud`).
   */
  readonly requiredOptions?: readonly ('issuer' | 'audience' | 'subject')[];
}

function profile(typ: string, requiredClaims: string[], requiredOptions: JWTProfile['requiredOptions']): JWTProfile {
  return Object.freeze({ typ, requiredClaims: Object.freeze(requiredClaims), requiredOptions: Object.freeze([...(requiredOptions ?? [])]) });
}

/**
 * Built-in profiles.
 * - `at+jwt`: OAuth 2.0 access tokens (RFC 9068 §2.1–2.2, §4).
 * - `id`: OpenID Connect ID tokens (OpenID Connect Core §2, §3.1.3.7), as minted with `typ: "JWT"`.
 */
export const JWT_PROFILES = Object.freeze({
  'at+jwt': profile('at+jwt', ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'], ['issuer', 'audience']),
  id: profile('JWT', ['iss', 'sub', 'aud', 'exp', 'iat'], ['issuer', 'audience']),
});

/** A built-in profile's name. */
export type JWTProfileName = keyof typeof JWT_PROFILES;

/**
 * The media type a `typ` value names, in canonical form: ASCII lower case, with `application/`
 * prepended when it has no `/` (RFC 7515 §4.1.9: recipients MUST treat it as if prepended).
 * @example
 * normalizeTyp('AT+JWT') === normalizeTyp('application/at+jwt'); // true
 */
export function normalizeTyp(typ: string): string {
  // ASCII only: Unicode case mapping could turn a non-ASCII letter into an ASCII one (U+212A → k).
  const lower = typ.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  return lower.includes('/') ? lower : `application/${lower}`;
}

/**
 * Resolves a profile option (a built-in name or an object) into a checked profile.
 * @throws ERR_INVALID_ARGUMENT
 */
export function resolveProfile(value: unknown): JWTProfile | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    if (!Object.prototype.hasOwnProperty.call(JWT_PROFILES, value)) throw new InvalidArgumentError('unknown JWT profile');
    return JWT_PROFILES[value as JWTProfileName];
  }
  if (typeof value !== 'object' || value === null) throw new InvalidArgumentError('profile must be a name or a JWTProfile');
  const p = value as JWTProfile;
  if (typeof p.typ !== 'string' || p.typ === '') throw new InvalidArgumentError('a profile needs a typ');
  if (!isStringList(p.requiredClaims)) throw new InvalidArgumentError('a profile needs requiredClaims, an array of strings');
  if (p.requiredOptions !== undefined && !isStringList(p.requiredOptions)) {
    throw new InvalidArgumentError('profile requiredOptions must be an array of option names');
  }
  return profile(p.typ, [...p.requiredClaims], p.requiredOptions);
}

/** True for an array whose items are all strings. */
export function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * The one `typ` the options ask for, normalized: from `typ` and the profile, which must agree.
 * @throws ERR_INVALID_ARGUMENT
 */
export function expectedTyp(typ: unknown, prof: JWTProfile | undefined): string | undefined {
  if (typ !== undefined && (typeof typ !== 'string' || typ === '')) throw new InvalidArgumentError('typ must be a non-empty string');
  const fromOption = typ === undefined ? undefined : normalizeTyp(typ);
  const fromProfile = prof === undefined ? undefined : normalizeTyp(prof.typ);
  if (fromOption !== undefined && fromProfile !== undefined && fromOption !== fromProfile) {
    throw new InvalidArgumentError('typ and profile ask for different token types');
  }
  return fromOption ?? fromProfile;
}

/**
 * Checks a header's `typ` against the expected (normalized) value.
 * @throws ERR_JWT_TYPE_INVALID when it is missing, not a string, or another type
 */
export function checkTyp(headerTyp: unknown, expected: string | undefined): void {
  if (expected === undefined) return;
  if (typeof headerTyp !== 'string') throw new JWTTypeInvalidError('the token has no "typ" header, and one is required');
  if (normalizeTyp(headerTyp) !== expected) throw new JWTTypeInvalidError('the token is not of the required type ("typ")');
}
