/**
 * Claims validation (RFC 7519 §4.1, §7.2 step 10), run only after the signature verifies or the
 * JWE decrypts. Options are checked and normalized once ({@link prepareValidation}), so a factory
 * pays for that at creation and a call does only the per-token comparisons.
 *
 * SECURITY: matching is by exact string only; RegExp and functions are refused, so no matcher can
 * be slow or stateful (THREATS.md §20).
 */
import { InvalidArgumentError, JWTClaimInvalidError, JWTExpiredError } from '../core/errors.js';
import { audiencesOf, checkPresent, checkRegisteredClaims, type JWTClaims } from './claims.js';
import { epochSeconds, parseDuration } from './duration.js';
import { checkTyp, expectedTyp, isStringList, resolveProfile } from './typ.js';
import type { JWTValidationOptions } from './types.js';

/** Validation options, checked and normalized. */
export interface PreparedValidation {
  readonly issuers: readonly string[] | undefined;
  readonly subject: string | undefined;
  readonly audiences: readonly string[] | undefined;
  /** Seconds. */
  readonly tolerance: number;
  /** Seconds, or undefined for no limit. */
  readonly maxAge: number | undefined;
  /** Every claim that must be present: the caller's, the profile's, and those implied by options. */
  readonly required: readonly string[];
  /** The normalized `typ` required, if any. */
  readonly typ: string | undefined;
  /** A fixed time (seconds) to validate at, or undefined for now. */
  readonly at: number | undefined;
}

function stringOrList(value: unknown, name: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return Object.freeze([value]);
  // SECURITY: exact strings only; a RegExp or a predicate is refused here (THREATS.md §20).
  if (!isStringList(value) || value.length === 0) {
    throw new InvalidArgumentError(`${name} must be a string or a non-empty array of strings`);
  }
  return Object.freeze([...value]);
}

/**
 * Checks the validation options once and normalizes them.
 * @throws ERR_INVALID_ARGUMENT
 */
export function prepareValidation(options: JWTValidationOptions): PreparedValidation {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be an object');
  const prof = resolveProfile(options.profile);
  const issuers = stringOrList(options.issuer, 'issuer');
  const audiences = stringOrList(options.audience, 'audience');
  const subject = options.subject;
  if (subject !== undefined && typeof subject !== 'string') throw new InvalidArgumentError('subject must be a string');
  const tolerance = options.clockTolerance === undefined ? 0 : parseDuration(options.clockTolerance, 'clockTolerance');
  const maxAge = options.maxTokenAge === undefined ? undefined : parseDuration(options.maxTokenAge, 'maxTokenAge');
  if (options.requiredClaims !== undefined && !isStringList(options.requiredClaims)) {
    throw new InvalidArgumentError('requiredClaims must be an array of strings');
  }
  const at = options.currentDate === undefined ? undefined : epochSeconds(options.currentDate);
  for (const name of prof?.requiredOptions ?? []) {
    if (options[name] === undefined) throw new InvalidArgumentError(`this token profile requires the ${name} option`);
  }
  const required = new Set<string>([...(prof?.requiredClaims ?? []), ...(options.requiredClaims ?? [])]);
  if (issuers !== undefined) required.add('iss');
  if (subject !== undefined) required.add('sub');
  if (audiences !== undefined) required.add('aud');
  if (maxAge !== undefined) required.add('iat');
  return Object.freeze({
    issuers,
    subject,
    audiences,
    tolerance,
    maxAge,
    required: Object.freeze([...required]),
    typ: expectedTyp(options.typ, prof),
    at,
  });
}

/** Now, in seconds (or the fixed validation time). */
export function nowOf(v: PreparedValidation): number {
  return v.at ?? Math.floor(Date.now() / 1000);
}

/** The `typ` rule (RFC 8725 §3.11). @throws ERR_JWT_TYPE_INVALID */
export function checkType(header: { readonly typ?: unknown }, v: PreparedValidation): void {
  checkTyp(header.typ, v.typ);
}

/**
 * The rules that do not depend on the time: types, presence, `iss`, `sub`, `aud`.
 * @throws ERR_JWT_CLAIM_INVALID
 */
export function checkStaticClaims(claims: JWTClaims, v: PreparedValidation): void {
  checkRegisteredClaims(claims);
  checkPresent(claims, v.required);
  if (v.issuers !== undefined && !v.issuers.includes(claims.iss as string)) {
    throw new JWTClaimInvalidError('iss', 'mismatch', 'the "iss" claim is not an accepted issuer');
  }
  if (v.subject !== undefined && claims.sub !== v.subject) {
    throw new JWTClaimInvalidError('sub', 'mismatch', 'the "sub" claim is not the required subject');
  }
  if (v.audiences !== undefined) {
    const accepted = v.audiences;
    // RFC 7519 §4.1.3: the recipient MUST identify itself with a value in the audience claim.
    if (!audiencesOf(claims).some((a) => accepted.includes(a))) {
      throw new JWTClaimInvalidError('aud', 'mismatch', 'the "aud" claim names no accepted audience');
    }
  }
}

/**
 * The rules that depend on the time: `exp`, `nbf`, `iat` not in the future, `maxTokenAge`.
 * Run on every use, including cache hits. Assumes {@link checkStaticClaims} passed (types are right).
 * @throws ERR_JWT_EXPIRED, ERR_JWT_CLAIM_INVALID
 */
export function checkTemporalClaims(claims: JWTClaims, v: PreparedValidation, now = nowOf(v)): void {
  const tol = v.tolerance;
  const { exp, nbf, iat } = claims;
  // RFC 7519 §4.1.4: the current time MUST be before the expiration time.
  if (exp !== undefined && exp <= now - tol) throw new JWTExpiredError('the token has expired ("exp")');
  // RFC 7519 §4.1.5: the current time MUST be after or equal to the not-before time.
  if (nbf !== undefined && nbf > now + tol) {
    throw new JWTClaimInvalidError('nbf', 'not-yet-valid', 'the token is not valid yet ("nbf")');
  }
  if (iat !== undefined) {
    // SECURITY: a token issued in the future means a broken or hostile issuer clock.
    if (iat > now + tol) throw new JWTClaimInvalidError('iat', 'in-the-future', 'the token was issued in the future ("iat")');
    if (v.maxAge !== undefined && now - iat > v.maxAge + tol) {
      throw new JWTClaimInvalidError('iat', 'too-old', 'the token is older than the maximum age ("iat")');
    }
  }
}

/**
 * Every claim rule: types and presence, `iss`/`sub`/`aud`, then the time.
 * @throws ERR_JWT_CLAIM_INVALID, ERR_JWT_EXPIRED
 */
export function validateClaims(claims: JWTClaims, v: PreparedValidation): void {
  checkStaticClaims(claims, v);
  checkTemporalClaims(claims, v);
}
