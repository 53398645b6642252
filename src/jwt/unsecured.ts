/**
 * Unsecured JWTs (RFC 7519 §6): `alg: "none"`, an empty signature, NO integrity protection.
 *
 * SECURITY: this file is the only place in tessera where `none` exists. Every verify function
 * refuses it (ERR_ALG_NONE); these two functions are named so that nobody calls them by accident,
 * and decodeUnsecuredJWT refuses any token that is not unsecured, so it cannot be used to skip
 * the verification of a signed one.
 */
import { decodeBase64URL, encodeBase64URL } from '../core/base64url.js';
import { InvalidArgumentError, JWTInvalidError, TokenTooLargeError } from '../core/errors.js';
import { DEFAULT_MAX_HEADER_LENGTH, DEFAULT_MAX_TOKEN_LENGTH, checkCritUnderstood, parseProtectedHeader } from '../jws/header.js';
import type { JWSHeader, JWSLimits } from '../jws/types.js';
import { buildClaims, claimsJSON, prepareClaims } from './build.js';
import { parseClaims, type JWTClaims } from './claims.js';
import { refuseJWE } from './parts.js';
import type { JWTClaimOptions, JWTValidationOptions } from './types.js';
import { checkType, prepareValidation, validateClaims } from './validate.js';

/** Options for encoding an unsecured JWT: the claim options, and header members. */
export interface UnsecuredEncodeOptions extends JWTClaimOptions {
  /** Further header members (`alg` is always `none`). */
  readonly header?: JWSHeader;
}

/** Options for decoding an unsecured JWT: the claim checks and the size limits. */
export interface UnsecuredDecodeOptions extends JWTValidationOptions, JWSLimits {}

/** A decoded unsecured JWT. Its claims are validated, but NOTHING vouches for them. */
export interface UnsecuredJWTResult {
  readonly payload: JWTClaims;
  readonly header: JWSHeader & { alg: 'none' };
}

/**
 * Encodes claims as an Unsecured JWT (RFC 7519 §6.1): anyone can change it undetected.
 * @example
 * const token = encodeUnsecuredJWT({ sub: 'ada' }, { expiresIn: '5m' });
 * @throws ERR_INVALID_ARGUMENT, ERR_JWT_CLAIM_INVALID
 */
export function encodeUnsecuredJWT(claims: JWTClaims, options: UnsecuredEncodeOptions = {}): string {
  const given = options.header;
  if (given !== undefined && (typeof given !== 'object' || given === null)) throw new InvalidArgumentError('header must be an object');
  if (given?.alg !== undefined && given.alg !== 'none') throw new InvalidArgumentError('an unsecured JWT has alg "none"');
  if (given?.crit !== undefined || given?.b64 !== undefined) throw new InvalidArgumentError('an unsecured JWT takes no crit or b64');
  const p = prepareClaims(options, given?.typ);
  const header: JWSHeader = { ...given, alg: 'none', ...(p.typ !== undefined && { typ: p.typ }) };
  // RFC 7519 §6.1: the JWS Signature is the empty octet sequence.
  return `${encodeBase64URL(JSON.stringify(header))}.${encodeBase64URL(claimsJSON(buildClaims(claims, p)))}.`;
}

/**
 * Decodes an Unsecured JWT and validates its claims (types, time, issuer, audience…). The result
 * is NOT authenticated: use it only where integrity comes from elsewhere (RFC 7519 §6).
 * @example
 * const { payload } = decodeUnsecuredJWT(token, { issuer: 'self', currentDate: new Date() });
 * @throws ERR_JWT_INVALID (not unsecured: `alg` other than none, a signature, `b64`),
 *   ERR_JWS_EXPECTED (a JWE), ERR_TOKEN_TOO_LARGE, ERR_HEADER_*, ERR_CRIT_*, ERR_BASE64URL_INVALID,
 *   ERR_JSON_*, ERR_JWT_TYPE_INVALID, ERR_JWT_CLAIM_INVALID, ERR_JWT_EXPIRED, ERR_INVALID_ARGUMENT
 */
export function decodeUnsecuredJWT(token: string, options: UnsecuredDecodeOptions = {}): UnsecuredJWTResult {
  refuseJWE(token);
  const v = prepareValidation(options);
  if (typeof token !== 'string') throw new JWTInvalidError('a compact JWT must be a string');
  if (token.length > (options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH)) {
    throw new TokenTooLargeError('the token is longer than the allowed maximum');
  }
  const parts = token.split('.');
  if (parts.length !== 3) throw new JWTInvalidError('a compact JWT has three parts');
  const [encodedHeader, payload, signature] = parts as [string, string, string];
  const header = parseProtectedHeader(encodedHeader, options.maxHeaderLength ?? DEFAULT_MAX_HEADER_LENGTH);
  if (header.alg !== 'none') throw new JWTInvalidError('not an unsecured JWT: verify it with verifyJWT');
  if (signature !== '') throw new JWTInvalidError('an unsecured JWT has an empty signature');
  if (header.b64 !== undefined) throw new JWTInvalidError('an unsecured JWT payload is always base64url');
  checkCritUnderstood(header, undefined);
  checkType(header, v);
  const claims = parseClaims(decodeBase64URL(payload, 'payload'));
  validateClaims(claims, v);
  return { payload: claims, header: header as JWSHeader & { alg: 'none' } };
}
