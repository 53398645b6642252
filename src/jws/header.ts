/**
 * JWS header rules: types of registered members (RFC 7515 §4.1), `crit` (RFC 7515 §4.1.11),
 * `b64` (RFC 7797 §3, §6), and the disjointness of protected and unprotected headers (§7.2.1).
 */
import { REGISTERED_HEADER_NAMES, cachedHeaderParser, checkMemberTypes } from '../core/header.js';
import { decodeBase64URL } from '../core/base64url.js';
import {
  CritInvalidError,
  CritUnsupportedError,
  HeaderInvalidError,
  HeaderTooLargeError,
  InvalidArgumentError,
} from '../core/errors.js';
import { parseJSONObject } from '../core/json.js';
import type { JWSHeader } from './types.js';

/** Default limits (SECURITY: checked before anything is decoded, THREATS.md §26). */
export const DEFAULT_MAX_TOKEN_LENGTH = 256 * 1024;
export const DEFAULT_MAX_HEADER_LENGTH = 8 * 1024;

/** Extensions tessera itself understands and processes. */
const BUILTIN_CRIT = new Set(['b64']);
const STRING_MEMBERS = ['alg', 'kid', 'typ', 'cty', 'jku', 'x5u', 'x5t', 'x5t#S256'] as const;

/** Type checks for registered members; throws ERR_HEADER_INVALID. */
export function checkHeaderMembers(header: JWSHeader, where: string): void {
  checkMemberTypes(header, where, STRING_MEMBERS, ['jwk']);
  if (header.b64 !== undefined && typeof header.b64 !== 'boolean') {
    throw new HeaderInvalidError(`${where} "b64" must be a boolean`);
  }
}

/**
 * Parses an encoded protected header (not cached: see {@link protectedHeaderOf}).
 * @throws ERR_HEADER_TOO_LARGE, ERR_BASE64URL_INVALID, ERR_JSON_INVALID, ERR_JSON_DUPLICATE_MEMBER, ERR_HEADER_INVALID
 */
export function parseProtectedHeader(encoded: string, maxLength: number): JWSHeader {
  if (encoded.length > maxLength) throw new HeaderTooLargeError('the protected header is too large');
  const header = parseJSONObject(decodeBase64URL(encoded, 'protected header'), 'protected header') as JWSHeader;
  checkHeaderMembers(header, 'protected header');
  checkCritShape(header);
  return header;
}

/** {@link parseProtectedHeader} behind the shared header cache (src/core/header-cache.ts). */
export const protectedHeaderOf = cachedHeaderParser(parseProtectedHeader);

/** RFC 7515 §4.1.11 shape rules for `crit` in a protected header. */
export function checkCritShape(header: JWSHeader): void {
  const crit = header.crit;
  if (crit === undefined) {
    // RFC 7797 §6: "b64" MUST be listed in "crit", so that a JWS is rejected, not misread.
    if (header.b64 !== undefined) throw new CritInvalidError('"b64" must be listed in "crit"');
    return;
  }
  if (!Array.isArray(crit) || crit.length === 0) throw new CritInvalidError('"crit" must be a non-empty array');
  const seen = new Set<string>();
  for (const name of crit) {
    if (typeof name !== 'string' || name.length === 0) throw new CritInvalidError('"crit" must list names');
    if (seen.has(name)) throw new CritInvalidError('"crit" lists a name twice');
    seen.add(name);
    if (REGISTERED_HEADER_NAMES.has(name)) throw new CritInvalidError('"crit" must not list registered header names');
    if (header[name] === undefined) throw new CritInvalidError('"crit" lists a parameter the header lacks');
  }
  if (header.b64 !== undefined && !seen.has('b64')) throw new CritInvalidError('"b64" must be listed in "crit"');
}

/**
 * Checks `crit` names against what the caller understands (RFC 7515 §4.1.11: reject unknown).
 * @throws ERR_CRIT_UNSUPPORTED
 */
export function checkCritUnderstood(header: JWSHeader, understood: readonly string[] | undefined): void {
  const crit = header.crit;
  if (crit === undefined) return;
  // SECURITY: a string would match by substring ("b64x".includes("b64")).
  if (understood !== undefined && !Array.isArray(understood)) throw new InvalidArgumentError('crit must be an array of header names');
  for (const name of crit) {
    if (!BUILTIN_CRIT.has(name) && !(understood !== undefined && understood.includes(name))) {
      throw new CritUnsupportedError('the token requires an extension that is not understood');
    }
  }
}

/**
 * Rules for the unprotected header of a JSON serialization.
 * @throws ERR_HEADER_INVALID, ERR_CRIT_INVALID
 */
export function checkUnprotectedHeader(header: JWSHeader, protectedHeader: JWSHeader | undefined): void {
  checkHeaderMembers(header, 'unprotected header');
  // RFC 7515 §4.1.11: "crit" MUST be integrity protected; RFC 7797 §3: so must "b64".
  if (header.crit !== undefined) throw new CritInvalidError('"crit" must be in the protected header');
  if (header.b64 !== undefined) throw new CritInvalidError('"b64" must be in the protected header');
  if (protectedHeader !== undefined) {
    for (const name of Object.keys(header)) {
      // RFC 7515 §7.2.1: the header parameter names in the two headers MUST be disjoint.
      if (Object.prototype.hasOwnProperty.call(protectedHeader, name)) {
        throw new HeaderInvalidError('protected and unprotected headers share a parameter name');
      }
    }
  }
}

/** `b64` of a header: true unless explicitly false (RFC 7797 §3). */
export function isB64(header: JWSHeader): boolean {
  return header.b64 !== false;
}
