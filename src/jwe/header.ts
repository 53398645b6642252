/**
 * JWE header rules: types of the registered members (RFC 7516 §4.1), `crit` (RFC 7516 §4.1.13,
 * which is RFC 7515 §4.1.11), `zip` (RFC 7516 §4.1.3), and the three header places of the JSON
 * serializations, whose member names must be disjoint (RFC 7516 §7.2.1).
 *
 * The algorithm-specific members (`epk`, `apu`, `apv`, `iv`, `tag`, `p2s`, `p2c`) are checked by
 * their algorithm in the jwa layer, which is the one place that knows what they mean.
 */
import { REGISTERED_HEADER_NAMES, cachedHeaderParser, checkMemberTypes } from '../core/header.js';
import { decodeBase64URL } from '../core/base64url.js';
import {
  CritInvalidError,
  CritUnsupportedError,
  HeaderTooLargeError,
  JWEInvalidError,
  InvalidArgumentError,
} from '../core/errors.js';
import { parseJSONObject } from '../core/json.js';
import type { JWEHeader } from './types.js';

/** Default limits (SECURITY: checked before anything is decoded, THREATS.md §26). */
export const DEFAULT_MAX_TOKEN_LENGTH = 256 * 1024;
export const DEFAULT_MAX_HEADER_LENGTH = 8 * 1024;
/** SECURITY: default cap on the inflated plaintext (THREATS.md §9). */
export const DEFAULT_MAX_DECOMPRESSED_LENGTH = 250_000;

/** The one compression algorithm RFC 7516 §4.1.3 registers. */
export const ZIP_DEFLATE = 'DEF';

const STRING_MEMBERS = ['alg', 'enc', 'zip', 'kid', 'typ', 'cty', 'jku', 'x5u', 'x5t', 'x5t#S256'] as const;

/**
 * Header members a key-management algorithm sets (RFC 7518 §4.6.1, §4.7.1, §4.8.1). A caller
 * cannot give them: the algorithm produces them for each recipient.
 */
export const KEY_MANAGEMENT_MEMBERS: readonly string[] = Object.freeze(['epk', 'apu', 'apv', 'iv', 'tag', 'p2s', 'p2c']);

/** Type checks for registered members; throws ERR_HEADER_INVALID. */
export function checkHeaderMembers(header: JWEHeader, where: string): void {
  checkMemberTypes(header, where, STRING_MEMBERS, ['jwk', 'epk']);
}

/**
 * RFC 7516 §4.1.3: `zip` is only "DEF", and only in the protected header.
 * SECURITY: a `zip` an attacker could add outside the protected header would make the recipient
 * inflate what the sender never compressed (THREATS.md §9).
 * @throws ERR_JWE_INVALID
 */
function checkZip(header: JWEHeader, isProtected: boolean): void {
  if (header.zip === undefined) return;
  if (!isProtected) throw new JWEInvalidError('"zip" must be in the protected header');
  if (header.zip !== ZIP_DEFLATE) throw new JWEInvalidError('the only supported "zip" is "DEF"');
}

/** RFC 7515 §4.1.11 shape rules for `crit` in a protected header (presence is checked per recipient). */
export function checkCritShape(header: JWEHeader): void {
  const crit = header.crit;
  if (crit === undefined) return;
  if (!Array.isArray(crit) || crit.length === 0) throw new CritInvalidError('"crit" must be a non-empty array');
  const seen = new Set<string>();
  for (const name of crit) {
    if (typeof name !== 'string' || name.length === 0) throw new CritInvalidError('"crit" must list names');
    if (seen.has(name)) throw new CritInvalidError('"crit" lists a name twice');
    seen.add(name);
    if (REGISTERED_HEADER_NAMES.has(name)) throw new CritInvalidError('"crit" must not list registered header names');
  }
}

/**
 * Checks the `crit` of a recipient's JOSE header: every listed parameter is present, and
 * understood by the caller (RFC 7515 §4.1.11: reject what is not understood). tessera itself
 * processes no JWE extension, so only the caller's list counts.
 * @throws ERR_CRIT_INVALID, ERR_CRIT_UNSUPPORTED
 */
export function checkCrit(joseHeader: JWEHeader, understood: readonly string[] | undefined): void {
  const crit = joseHeader.crit;
  if (crit === undefined) return;
  // SECURITY: a string would match by substring ("b64x".includes("b64")).
  if (understood !== undefined && !Array.isArray(understood)) throw new InvalidArgumentError('crit must be an array of header names');
  for (const name of crit) {
    if (joseHeader[name] === undefined) throw new CritInvalidError('"crit" lists a parameter the header lacks');
    if (understood === undefined || !understood.includes(name)) {
      throw new CritUnsupportedError('the token requires an extension that is not understood');
    }
  }
}

/**
 * Rules for the protected header, on both sides: member types, `zip`, `crit` shape.
 * @throws ERR_HEADER_INVALID, ERR_JWE_INVALID, ERR_CRIT_INVALID
 */
export function checkProtectedHeader(header: JWEHeader): void {
  checkHeaderMembers(header, 'protected header');
  checkZip(header, true);
  checkCritShape(header);
}

/**
 * Rules for an unprotected header (the shared `unprotected` or a recipient's `header`).
 * @throws ERR_HEADER_INVALID, ERR_JWE_INVALID, ERR_CRIT_INVALID
 */
export function checkUnprotectedHeader(header: JWEHeader, where: string): void {
  checkHeaderMembers(header, where);
  checkZip(header, false);
  // RFC 7515 §4.1.11 (by RFC 7516 §4.1.13): "crit" MUST be integrity protected.
  if (header.crit !== undefined) throw new CritInvalidError('"crit" must be in the protected header');
}

/**
 * RFC 7516 §7.2.1: the member names of the protected header, the shared unprotected header and
 * a recipient's header MUST be disjoint.
 * SECURITY: otherwise an unprotected member could shadow a protected one (THREATS.md §18).
 * @throws ERR_JWE_INVALID
 */
export function checkDisjoint(...places: ReadonlyArray<JWEHeader | undefined>): void {
  const seen = new Set<string>();
  for (const place of places) {
    if (place === undefined) continue;
    for (const name of Object.keys(place)) {
      if (seen.has(name)) throw new JWEInvalidError('the header places share a parameter name');
      seen.add(name);
    }
  }
}

/**
 * The JOSE header of one recipient: the union of its three places (RFC 7516 §7.2.1), after
 * {@link checkDisjoint}. Requires `alg` and `enc` (RFC 7516 §4.1.1, §4.1.2).
 * @throws ERR_JWE_INVALID
 */
export function joseHeaderOf(
  protectedHeader: JWEHeader,
  shared: JWEHeader | undefined,
  recipient: JWEHeader | undefined,
): Readonly<JWEHeader & { alg: string; enc: string }> {
  const header = Object.freeze({ ...protectedHeader, ...shared, ...recipient });
  if (header.alg === undefined) throw new JWEInvalidError('the JWE header has no "alg"');
  if (header.enc === undefined) throw new JWEInvalidError('the JWE header has no "enc"');
  return header as Readonly<JWEHeader & { alg: string; enc: string }>;
}

/**
 * Parses an encoded protected header (not cached: see {@link protectedHeaderOf}).
 * @throws ERR_HEADER_TOO_LARGE, ERR_BASE64URL_INVALID, ERR_JSON_INVALID, ERR_JSON_DUPLICATE_MEMBER,
 *   ERR_HEADER_INVALID, ERR_JWE_INVALID, ERR_CRIT_INVALID
 */
export function parseProtectedHeader(encoded: string, maxLength: number): JWEHeader {
  if (encoded.length > maxLength) throw new HeaderTooLargeError('the protected header is too large');
  const header = parseJSONObject(decodeBase64URL(encoded, 'protected header'), 'protected header') as JWEHeader;
  checkProtectedHeader(header);
  return header;
}

/** {@link parseProtectedHeader} behind the shared header cache (src/core/header-cache.ts). */
export const protectedHeaderOf = cachedHeaderParser(parseProtectedHeader);
