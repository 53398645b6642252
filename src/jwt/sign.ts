/** Signed JWTs: a compact JWS whose payload is the claims set (RFC 7519 §7.1). */
import { InvalidArgumentError } from '../core/errors.js';
import type { KeyInput } from '../jwk/import.js';
import { signJWS, signJWSSync } from '../jws/compact.js';
import type { JWSHeader, SignOptions } from '../jws/types.js';
import { buildClaims, claimsJSON, prepareClaims, type PreparedClaims } from './build.js';
import type { JWTClaims } from './claims.js';
import type { JWTSignOptions } from './types.js';

/**
 * The JWS signing options of a JWT: `alg` and the protected header with its `typ`.
 * @throws ERR_INVALID_ARGUMENT (a `b64` header: a JWT payload is always base64url, RFC 7519 §7.1)
 */
export function jwsSignOptions(options: JWTSignOptions, p: PreparedClaims): SignOptions {
  const given = options.protectedHeader;
  if (given !== undefined && (typeof given !== 'object' || given === null)) {
    throw new InvalidArgumentError('protectedHeader must be an object');
  }
  if (given?.b64 !== undefined) throw new InvalidArgumentError('a JWT payload is always base64url-encoded; b64 is not allowed');
  const header: JWSHeader | undefined = p.typ === undefined ? given : { ...given, typ: p.typ };
  return {
    ...(options.alg !== undefined && { alg: options.alg }),
    ...(header !== undefined && { protectedHeader: header }),
  };
}

/** Prepares the claims options of a signer (also used by the factories). */
export function prepareSigning(options: JWTSignOptions): { claims: PreparedClaims; jws: SignOptions } {
  const claims = prepareClaims(options, options.protectedHeader?.typ);
  return { claims, jws: jwsSignOptions(options, claims) };
}

/**
 * Signs a claims set as a JWT (compact JWS).
 * @example
 * const token = await signJWT({ scope: 'read' }, privateKey, {
 *   alg: 'ES256', issuer: 'https://issuer.example', audience: 'api', subject: 'ada', expiresIn: '15m', jti: true,
 * });
 * @throws ERR_INVALID_ARGUMENT (claims not a plain JSON object, bad options, a claim given twice),
 *   ERR_JWT_CLAIM_INVALID (a registered claim of the wrong type; a profile's claim missing),
 *   and the signJWS codes (ERR_ALG_*, ERR_KEY_*, ERR_HEADER_INVALID)
 */
export async function signJWT(claims: JWTClaims, key: KeyInput, options: JWTSignOptions = {}): Promise<string> {
  const prepared = prepareSigning(options);
  return signJWS(claimsJSON(buildClaims(claims, prepared.claims)), key, prepared.jws);
}

/**
 * Synchronous {@link signJWT} (Node's node:crypto backend only).
 * @example
 * const token = signJWTSync({ sub: 'ada' }, secret, { alg: 'HS256', expiresIn: 300 });
 * @throws as signJWT, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function signJWTSync(claims: JWTClaims, key: KeyInput, options: JWTSignOptions = {}): string {
  const prepared = prepareSigning(options);
  return signJWSSync(claimsJSON(buildClaims(claims, prepared.claims)), key, prepared.jws);
}
