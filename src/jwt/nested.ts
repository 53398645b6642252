/**
 * Nested JWTs (RFC 7519 §5.2, §7.1 step 6, §7.2 step 8): the claims are signed, and the compact
 * JWS is the plaintext of a JWE with `cty: "JWT"`. Sign-then-encrypt, so the recipient learns
 * both who issued the claims and that only it can read them.
 *
 * SECURITY: the inner token is verified with the caller's verify key and allow-list, never with
 * anything the outer layer says; an inner `alg: none` fails with ERR_ALG_NONE like any other.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { decryptJWE, decryptJWESync, encryptJWE, encryptJWESync } from '../jwe/compact.js';
import type { DecryptResult, EncryptOptions } from '../jwe/types.js';
import { planForCall, signJWS, signJWSSync, verifyJWS, verifyJWSSync } from '../jws/compact.js';
import { buildClaims, checkReplicate, claimsJSON, replicated } from './build.js';
import { checkReplicatedClaims, type JWTClaims } from './claims.js';
import { innerToken, jweOptions } from './encrypted.js';
import { refuseJWE, refuseJWS } from './parts.js';
import { normalizeTyp } from './typ.js';
import type { JWTVerifyResult, NestedDecryptPart, NestedEncryptPart, NestedJWTResult, NestedSignPart, NestedVerifyPart } from './types.js';
import { prepareSigning } from './sign.js';
import { finishVerify, prepareVerify, verifyPlannedJWT } from './verify.js';

function part<T>(value: T | undefined, name: string): T {
  if (typeof value !== 'object' || value === null) throw new InvalidArgumentError(`${name} must be an object`);
  return value;
}

/**
 * The outer JWE options: the caller's, with `cty: "JWT"` (RFC 7519 §5.2) and replicated claims.
 * @throws ERR_INVALID_ARGUMENT (a `cty` other than JWT, a claim replicated and also given)
 */
export function nestedJWEOptions(options: EncryptOptions, extra: Record<string, unknown>): EncryptOptions {
  const cty = options.protectedHeader?.cty;
  if (cty !== undefined && (typeof cty !== 'string' || normalizeTyp(cty) !== 'application/jwt')) {
    throw new InvalidArgumentError('a nested JWT has cty "JWT"');
  }
  return jweOptions(options, undefined, { cty: 'JWT', ...extra });
}

interface NestedPlan {
  readonly jws: string | Promise<string>;
  readonly jwe: EncryptOptions;
  readonly key: NestedEncryptPart['encryptKey'];
}

function plan(claims: JWTClaims, sign: NestedSignPart, encrypt: NestedEncryptPart, sync: boolean): NestedPlan {
  part(sign, 'the sign part');
  part(encrypt, 'the encrypt part');
  const names = checkReplicate(encrypt.replicate);
  const prepared = prepareSigning(sign.signOptions ?? {});
  const built = buildClaims(claims, prepared.claims);
  const jwe = nestedJWEOptions(part(encrypt.encryptOptions, 'encryptOptions'), replicated(built, names));
  const text = claimsJSON(built);
  return {
    jws: sync ? signJWSSync(text, sign.signKey, prepared.jws) : signJWS(text, sign.signKey, prepared.jws),
    jwe,
    key: encrypt.encryptKey,
  };
}

/**
 * Signs a claims set, then encrypts the JWS: one nested JWT.
 * @example
 * const token = await signAndEncryptJWT(
 *   { scope: 'read' },
 *   { signKey: issuerPrivateKey, signOptions: { alg: 'ES256', issuer: 'https://issuer.example', expiresIn: '5m' } },
 *   { encryptKey: recipientPublicJWK, encryptOptions: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' }, replicate: ['iss'] },
 * );
 * @throws ERR_INVALID_ARGUMENT, ERR_JWT_CLAIM_INVALID, and the signJWS and encryptJWE codes
 */
export async function signAndEncryptJWT(claims: JWTClaims, sign: NestedSignPart, encrypt: NestedEncryptPart): Promise<string> {
  const p = plan(claims, sign, encrypt, false);
  return encryptJWE(await p.jws, p.key, p.jwe);
}

/**
 * Synchronous {@link signAndEncryptJWT} (Node only).
 * @example
 * const token = signAndEncryptJWTSync({ sub: 'ada' }, { signKey, signOptions: { alg: 'EdDSA' } }, { encryptKey, encryptOptions: { alg: 'dir', enc: 'A256GCM' } });
 * @throws as signAndEncryptJWT, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function signAndEncryptJWTSync(claims: JWTClaims, sign: NestedSignPart, encrypt: NestedEncryptPart): string {
  const p = plan(claims, sign, encrypt, true);
  return encryptJWESync(p.jws as string, p.key, p.jwe);
}

/** The steps after the inner JWS verified: the JWT rules, then the replicated header claims. */
export function finishNested(outer: DecryptResult, inner: JWTVerifyResult): NestedJWTResult {
  // RFC 7519 §5.3: replicated claims in the JWE header must equal the (now verified) claims.
  checkReplicatedClaims(outer.protectedHeader, inner.payload);
  return { ...inner, jweHeader: outer.protectedHeader, decryptionKey: outer.key };
}

/**
 * Decrypts a nested JWT, verifies the inner JWS and validates its claims.
 *
 * Verifies: the JWE (as decryptJWE), `cty` "JWT", the inner JWS with `verifyKey` and its
 * allow-list (as verifyJWT: `alg` never `none`, signature, `typ`, claims), and that `iss`/`sub`/
 * `aud` replicated in the JWE header equal the inner claims.
 * Does NOT verify: the outer `typ` (the `typ`/`profile` options apply to the inner token).
 * @example
 * const { payload } = await decryptAndVerifyJWT(token,
 *   { decryptKey: recipientPrivateJWK, decryptOptions: { algorithms: ['ECDH-ES+A256KW'] } },
 *   { verifyKey: issuerPublicJWK, verifyOptions: { algorithms: ['ES256'], issuer: 'https://issuer.example' } });
 * @throws ERR_JWE_EXPECTED (a JWS), the decryptJWE codes, ERR_JWT_INVALID (no cty JWT),
 *   ERR_JWS_EXPECTED (a JWE inside), the verifyJWT codes (ERR_ALG_NONE, ERR_ALG_NOT_ALLOWED,
 *   ERR_JWS_SIGNATURE_INVALID, ERR_JWT_*), ERR_JWT_CLAIM_INVALID (replicated claim mismatch)
 */
export async function decryptAndVerifyJWT(token: string, decrypt: NestedDecryptPart, verify: NestedVerifyPart): Promise<NestedJWTResult> {
  refuseJWS(token);
  part(decrypt, 'the decrypt part');
  const options = part(verify, 'the verify part').verifyOptions ?? {};
  const v = prepareVerify(options);
  const outer = await decryptJWE(token, decrypt.decryptKey, decrypt.decryptOptions);
  const inner = innerToken(outer);
  refuseJWE(inner);
  // One verify key on node:crypto: the JWT layer's planned path (verify.ts), as verifyJWT takes.
  const plan = planForCall(verify.verifyKey, options);
  const planned = plan === undefined ? undefined : verifyPlannedJWT(plan, inner, v);
  return finishNested(outer, planned ?? finishVerify(await verifyJWS(inner, verify.verifyKey, options), v));
}

/**
 * Synchronous {@link decryptAndVerifyJWT} (Node only).
 * @example
 * const { payload } = decryptAndVerifyJWTSync(token, { decryptKey }, { verifyKey, verifyOptions: { algorithms: ['EdDSA'] } });
 * @throws as decryptAndVerifyJWT, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function decryptAndVerifyJWTSync(token: string, decrypt: NestedDecryptPart, verify: NestedVerifyPart): NestedJWTResult {
  refuseJWS(token);
  part(decrypt, 'the decrypt part');
  const options = part(verify, 'the verify part').verifyOptions ?? {};
  const v = prepareVerify(options);
  const outer = decryptJWESync(token, decrypt.decryptKey, decrypt.decryptOptions);
  const inner = innerToken(outer);
  refuseJWE(inner);
  const plan = planForCall(verify.verifyKey, options);
  const planned = plan === undefined ? undefined : verifyPlannedJWT(plan, inner, v);
  return finishNested(outer, planned ?? finishVerify(verifyJWSSync(inner, verify.verifyKey, options), v));
}
