/**
 * Producing a claims set: the caller's claims plus those the options add (`iss`, `sub`, `aud`,
 * `exp`, `nbf`, `iat`, `jti`), checked so that tessera never issues a token it would refuse.
 * Shared by every producer (signed, encrypted, nested, unsecured, and their factories).
 */
import { platform } from '#platform';
import { encodeBase64URL } from '../core/base64url.js';
import { InvalidArgumentError } from '../core/errors.js';
import { checkPresent, checkRegisteredClaims, hasClaim, type JWTClaims } from './claims.js';
import { epochSeconds, parseDuration } from './duration.js';
import { isStringList, normalizeTyp, resolveProfile } from './typ.js';
import type { JWTClaimOptions, ReplicableClaim } from './types.js';

/** Claim options, checked once. */
export interface PreparedClaims {
  readonly iss: string | undefined;
  readonly sub: string | undefined;
  readonly aud: string | readonly string[] | undefined;
  /** Seconds after now. */
  readonly expiresIn: number | undefined;
  /** `nbf`: seconds after now, or an absolute NumericDate. */
  readonly notBefore: { readonly relative: number } | { readonly at: number } | undefined;
  readonly jti: true | string | undefined;
  readonly iat: boolean;
  /** A fixed issue time (seconds), or undefined for now. */
  readonly at: number | undefined;
  /** The `typ` header to set, if any (as written by the caller or the profile). */
  readonly typ: string | undefined;
  /** Claims the profile requires. */
  readonly required: readonly string[];
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value !== undefined && typeof value !== 'string') throw new InvalidArgumentError(`${name} must be a string`);
  return value;
}

/**
 * Checks the claim options once.
 * @param headerTyp the `typ` already in the caller's protected header, which must agree
 * @throws ERR_INVALID_ARGUMENT
 */
export function prepareClaims(options: JWTClaimOptions, headerTyp?: unknown): PreparedClaims {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be an object');
  const aud = options.audience;
  if (aud !== undefined && typeof aud !== 'string' && !isStringList(aud)) {
    throw new InvalidArgumentError('audience must be a string or an array of strings');
  }
  const jti = options.jti;
  if (jti !== undefined && jti !== true && typeof jti !== 'string') throw new InvalidArgumentError('jti must be true or a string');
  if (options.iat !== undefined && typeof options.iat !== 'boolean') throw new InvalidArgumentError('iat must be a boolean');
  const nb = options.notBefore;
  let notBefore: PreparedClaims['notBefore'];
  if (nb instanceof Date) notBefore = { at: epochSeconds(nb) };
  else if (nb !== undefined) notBefore = { relative: parseDuration(nb, 'notBefore') };
  const prof = resolveProfile(options.profile);
  return Object.freeze({
    iss: optionalString(options.issuer, 'issuer'),
    sub: optionalString(options.subject, 'subject'),
    aud: typeof aud === 'string' || aud === undefined ? aud : Object.freeze([...aud]),
    expiresIn: options.expiresIn === undefined ? undefined : parseDuration(options.expiresIn, 'expiresIn'),
    notBefore,
    jti,
    iat: options.iat !== false,
    at: options.currentDate === undefined ? undefined : epochSeconds(options.currentDate),
    typ: typOf(options.typ, prof?.typ, headerTyp),
    required: prof?.requiredClaims ?? [],
  });
}

/** The one `typ` to write: the option, the header's and the profile's must name the same type. */
function typOf(option: unknown, fromProfile: string | undefined, fromHeader: unknown): string | undefined {
  const given = [option, fromHeader, fromProfile].filter((t) => t !== undefined);
  for (const t of given) if (typeof t !== 'string' || t === '') throw new InvalidArgumentError('typ must be a non-empty string');
  const names = new Set((given as string[]).map(normalizeTyp));
  if (names.size > 1) throw new InvalidArgumentError('typ, the protected header and the profile name different token types');
  return given[0] as string | undefined;
}

/** True for a plain object: `{}` or `Object.create(null)`, not an array, class instance or Map. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function set(out: JWTClaims, name: string, value: unknown, option: string): void {
  if (value === undefined) return;
  if (hasClaim(out, name)) throw new InvalidArgumentError(`"${name}" is given both in the claims and as ${option}`);
  out[name] = value;
}

/**
 * The claims set to issue: a copy of `claims` with the options' claims added and checked.
 * @throws ERR_INVALID_ARGUMENT (not a plain object, a claim given twice), ERR_JWT_CLAIM_INVALID
 *   (a registered claim of the wrong type or range, a profile's claim missing)
 */
export function buildClaims(claims: unknown, p: PreparedClaims): JWTClaims {
  if (!isPlainObject(claims)) throw new InvalidArgumentError('claims must be a plain object');
  const out: JWTClaims = { ...claims };
  const now = p.at ?? Math.floor(Date.now() / 1000);
  set(out, 'iss', p.iss, 'issuer');
  set(out, 'sub', p.sub, 'subject');
  set(out, 'aud', typeof p.aud === 'object' ? [...p.aud] : p.aud, 'audience');
  set(out, 'exp', p.expiresIn === undefined ? undefined : now + p.expiresIn, 'expiresIn');
  const nb = p.notBefore;
  set(out, 'nbf', nb === undefined ? undefined : 'at' in nb ? nb.at : now + nb.relative, 'notBefore');
  if (p.iat && !hasClaim(out, 'iat')) out.iat = now;
  set(out, 'jti', p.jti === true ? encodeBase64URL(platform.randomBytes(16)) : p.jti, 'jti');
  checkRegisteredClaims(out);
  checkPresent(out, p.required);
  return out;
}

/**
 * The claims set as JSON text.
 * @throws ERR_INVALID_ARGUMENT when it is not JSON-serializable (a BigInt, a cycle)
 */
export function claimsJSON(claims: JWTClaims): string {
  try {
    return JSON.stringify(claims);
  } catch {
    throw new InvalidArgumentError('claims must be JSON-serializable');
  }
}

const REPLICABLE: readonly string[] = ['iss', 'sub', 'aud'];

/**
 * Checks a `replicate` option once.
 * @throws ERR_INVALID_ARGUMENT
 */
export function checkReplicate(value: unknown): readonly ReplicableClaim[] {
  if (value === undefined) return [];
  if (!isStringList(value) || !value.every((n) => REPLICABLE.includes(n))) {
    throw new InvalidArgumentError('replicate must list only "iss", "sub" and "aud"');
  }
  return Object.freeze([...value]) as readonly ReplicableClaim[];
}

/** RFC 7519 §5.3: the replicated claims, to add to a JWE protected header. */
export function replicated(claims: JWTClaims, names: readonly ReplicableClaim[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) if (claims[n] !== undefined) out[n] = claims[n];
  return out;
}
