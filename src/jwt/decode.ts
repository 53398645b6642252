/**
 * Inspecting a JWT WITHOUT verifying it.
 *
 * SECURITY: nothing returned here is trustworthy: anyone can write any header and claims. Use it
 * to route (pick a key set by `iss`, say) or to debug, never to decide access. The parsing stays
 * strict (size limits, strict base64url, JSON objects without duplicate members), so what decode
 * shows is what a verifier would read. The header comes from the JWS layer's frozen header cache,
 * so a hot loop pays only for the payload.
 */
import { decodeBase64URLText } from '../core/base64url.js';
import { JSONInvalidError, JWTInvalidError, TokenTooLargeError } from '../core/errors.js';
import { protectedHeaderOf as jweHeaderOf } from '../jwe/header.js';
import type { JWEHeader } from '../jwe/types.js';
import { DEFAULT_MAX_HEADER_LENGTH, DEFAULT_MAX_TOKEN_LENGTH, protectedHeaderOf as jwsHeaderOf } from '../jws/header.js';
import type { JWSHeader } from '../jws/types.js';
import { parseJSONObjectText } from '../core/json.js';
import type { JWTClaims } from './claims.js';

/** An unverified signed JWT. */
export interface DecodedJWS {
  readonly kind: 'jws';
  /** The protected header, unverified (frozen). */
  readonly header: Readonly<JWSHeader>;
  /** The claims, unverified; undefined when the payload is not a JSON object. */
  readonly claims: JWTClaims | undefined;
  readonly verified: false;
}

/** An unverified encrypted JWT: only its protected header can be read. */
export interface DecodedJWE {
  readonly kind: 'jwe';
  /** The JWE protected header, unverified (frozen). */
  readonly header: Readonly<JWEHeader>;
  readonly encrypted: true;
  readonly verified: false;
}

export type DecodedJWT = DecodedJWS | DecodedJWE;

/**
 * Decodes a compact JWT without verifying anything. UNTRUSTED: see the module comment.
 * @example
 * const d = decodeJWT(token);
 * if (d.kind === 'jws') console.log(d.header.kid, d.claims?.iss); // routing hints only
 * @throws ERR_JWT_INVALID (not 3 or 5 parts), ERR_TOKEN_TOO_LARGE, ERR_HEADER_*, ERR_CRIT_INVALID,
 *   ERR_BASE64URL_INVALID, ERR_JSON_INVALID (header), ERR_JSON_DUPLICATE_MEMBER
 */
export function decodeJWT(token: string): DecodedJWT {
  if (typeof token !== 'string') throw new JWTInvalidError('a compact JWT must be a string');
  if (token.length > DEFAULT_MAX_TOKEN_LENGTH) throw new TokenTooLargeError('the token is longer than the allowed maximum');
  const a = token.indexOf('.');
  const b = a === -1 ? -1 : token.indexOf('.', a + 1);
  const c = b === -1 ? -1 : token.indexOf('.', b + 1);
  if (b !== -1 && c === -1) {
    const header = jwsHeaderOf(token.slice(0, a), DEFAULT_MAX_HEADER_LENGTH);
    // The signature is neither checked nor decoded: nothing here depends on it.
    return { kind: 'jws', header, claims: claimsOf(token.slice(a + 1, b), header.b64 === false), verified: false };
  }
  const d = c === -1 ? -1 : token.indexOf('.', c + 1);
  if (d !== -1 && token.indexOf('.', d + 1) === -1) {
    return { kind: 'jwe', header: jweHeaderOf(token.slice(0, a), DEFAULT_MAX_HEADER_LENGTH), encrypted: true, verified: false };
  }
  throw new JWTInvalidError('a compact JWT has three parts (JWS) or five (JWE)');
}

function claimsOf(segment: string, unencoded: boolean): JWTClaims | undefined {
  // Strict base64url straight to text: bad base64url throws; bytes that are not UTF-8 are not a JWT.
  const text = unencoded ? segment : decodeBase64URLText(segment, 'payload');
  if (text === undefined) return undefined;
  try {
    return parseJSONObjectText(text, 'JWT claims set') as JWTClaims;
  } catch (err) {
    // Not a JSON object (or not JSON at all): a JWS, but not a JWT. Duplicates and bad base64url still throw.
    if (err instanceof JSONInvalidError) return undefined;
    throw err;
  }
}
