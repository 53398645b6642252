/**
 * Verifying signed JWTs (RFC 7519 §7.2): the JWS first, then the claims.
 *
 * SECURITY: nothing of the payload is parsed before the signature verifies; the signature is
 * checked by the JWS layer, which refuses `alg: none` (ERR_ALG_NONE) and pins `alg` to the
 * allow-list; then `typ`, then the claims.
 */
import { decodeBase64URLText } from '../core/base64url.js';
import { InvalidArgumentError, JSONInvalidError, JWTInvalidError } from '../core/errors.js';
import { planForCall, verifyJWS, verifyJWSSync } from '../jws/compact.js';
import type { VerifyKey, VerifyResult } from '../jws/types.js';
import { verifyWithPlanSync, type VerifyPlan } from '../jws/verify-plan.js';
import { parseClaims } from './claims.js';
import { refuseJWE } from './parts.js';
import type { JWTVerifyOptions, JWTVerifyResult } from './types.js';
import { checkType, prepareValidation, validateClaims, type PreparedValidation } from './validate.js';

/**
 * Checks JWT verify options: the claim checks, and no detached payload.
 * @throws ERR_INVALID_ARGUMENT
 */
export function prepareVerify(options: JWTVerifyOptions): PreparedValidation {
  const v = prepareValidation(options);
  if ((options as { payload?: unknown }).payload !== undefined) {
    throw new InvalidArgumentError('a JWT carries its claims: a detached payload is not allowed');
  }
  return v;
}

/**
 * The JWT steps after a JWS verified: `b64`, `typ`, the claims set, the claim rules.
 * @throws ERR_JWT_INVALID, ERR_JWT_TYPE_INVALID, ERR_JSON_DUPLICATE_MEMBER, ERR_JWT_CLAIM_INVALID, ERR_JWT_EXPIRED
 */
export function finishVerify(r: VerifyResult, v: PreparedValidation): JWTVerifyResult {
  const header = r.protectedHeader;
  // RFC 7519 §7.2 step 8: a JWT payload is base64url; the RFC 7797 unencoded form is not a JWT.
  if (header.b64 === false) throw new JWTInvalidError('a JWT payload must be base64url-encoded (b64 is not allowed)');
  checkType(header, v);
  const payload = parseClaims(r.payload);
  validateClaims(payload, v);
  return { payload, protectedHeader: header, key: r.key };
}

/** The payload decoder of a planned JWT verify: strict base64url straight to text (no bytes). */
function claimsTextOf(segment: string): string | undefined {
  return decodeBase64URLText(segment, 'payload');
}

/**
 * A JWT verified through a JWS verify plan (src/jws/verify-plan.ts): the same steps as
 * {@link finishVerify} on the same token, with the claims parsed from text. A plan never takes a
 * token with `crit`, so never one with `b64: false`.
 * @returns the result, or undefined when the token needs the general path
 * @internal
 */
export function verifyPlannedJWT(plan: VerifyPlan, token: string, v: PreparedValidation): JWTVerifyResult | undefined {
  const r = verifyWithPlanSync(plan, token, claimsTextOf);
  if (r === undefined) return undefined;
  const header = r.protectedHeader;
  checkType(header, v);
  if (r.payload === undefined) {
    const cause = new JSONInvalidError('JWT claims set is not valid UTF-8');
    throw new JWTInvalidError('the JWT payload is not a JSON object', { cause });
  }
  const payload = parseClaims(r.payload);
  validateClaims(payload, v);
  return { payload, protectedHeader: header, key: r.key };
}

/**
 * Verifies a signed JWT and validates its claims.
 *
 * Verifies: the compact JWS (structure, strict encodings, `alg` against the allow-list and never
 * `none`, `crit`, the key, the signature), then `typ` (if asked), the claims set (a JSON object
 * without duplicate members), the registered claims' types and ranges, `exp`, `nbf`, `iat`, and
 * the `issuer`, `subject`, `audience`, `maxTokenAge` and `requiredClaims` options.
 * Does NOT verify: any other claim (`scope`, `client_id` values…), replay (`jti` uniqueness), or
 * revocation.
 * @example
 * const { payload } = await verifyJWT(token, publicJWK, {
 *   algorithms: ['ES256'], issuer: 'https://issuer.example', audience: 'api',
 * });
 * @throws ERR_JWS_EXPECTED (a JWE), the verifyJWS codes (ERR_ALG_NONE, ERR_JWS_SIGNATURE_INVALID…),
 *   ERR_JWT_INVALID, ERR_JWT_TYPE_INVALID, ERR_JSON_DUPLICATE_MEMBER, ERR_JWT_CLAIM_INVALID,
 *   ERR_JWT_EXPIRED, ERR_INVALID_ARGUMENT (bad options)
 */
export async function verifyJWT(token: string, key: VerifyKey, options: JWTVerifyOptions = {}): Promise<JWTVerifyResult> {
  refuseJWE(token);
  const v = prepareVerify(options);
  // On node:crypto every verify runs inline, so the planned synchronous path serves here too.
  const plan = planForCall(key, options);
  const planned = plan === undefined ? undefined : verifyPlannedJWT(plan, token, v);
  return planned ?? finishVerify(await verifyJWS(token, key, options), v);
}

/**
 * Synchronous {@link verifyJWT} (Node's node:crypto backend only).
 * @example
 * const { payload } = verifyJWTSync(token, secret, { algorithms: ['HS256'], audience: 'api' });
 * @throws as verifyJWT, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function verifyJWTSync(token: string, key: VerifyKey, options: JWTVerifyOptions = {}): JWTVerifyResult {
  refuseJWE(token);
  const v = prepareVerify(options);
  const plan = planForCall(key, options);
  const planned = plan === undefined ? undefined : verifyPlannedJWT(plan, token, v);
  return planned ?? finishVerify(verifyJWSSync(token, key, options), v);
}
