/**
 * Encrypted JWTs: a compact JWE whose plaintext is the claims set (RFC 7519 §7.1 step 5, no
 * `cty`). For claims that must be both signed and encrypted, see nested.ts.
 *
 * SECURITY: a JWE proves only that someone holding the recipient's key (or, for ECDH-ES and RSA,
 * anyone with the PUBLIC key) made it; it says nothing of the issuer. Prefer a nested JWT when
 * the recipient must know who issued the claims.
 */
import { decodeUTF8 } from '../core/bytes.js';
import { InvalidArgumentError, JWTInvalidError } from '../core/errors.js';
import type { KeyInput } from '../jwk/import.js';
import { decryptJWE, decryptJWESync, encryptJWE, encryptJWESync } from '../jwe/compact.js';
import type { DecryptKey, DecryptResult, EncryptOptions, JWEHeader } from '../jwe/types.js';
import { buildClaims, checkReplicate, claimsJSON, prepareClaims, replicated, type PreparedClaims } from './build.js';
import { checkReplicatedClaims, parseClaims, type JWTClaims } from './claims.js';
import { refuseJWS } from './parts.js';
import { normalizeTyp } from './typ.js';
import type { JWTDecryptOptions, JWTDecryptResult, JWTEncryptOptions, ReplicableClaim } from './types.js';
import { checkType, prepareValidation, validateClaims, type PreparedValidation } from './validate.js';

const NESTED = 'application/jwt';

/** True when a JWE header says its plaintext is a JWT (RFC 7519 §5.2: `cty` "JWT"). */
export function isNestedHeader(header: JWEHeader): boolean {
  return typeof header.cty === 'string' && normalizeTyp(header.cty) === NESTED;
}

/** The JWE options of an encrypted JWT: the caller's protected header plus `typ` and replicated claims. */
export function jweOptions(options: EncryptOptions, typ: string | undefined, extra: Record<string, unknown>): EncryptOptions {
  const given = options.protectedHeader;
  if (given !== undefined && (typeof given !== 'object' || given === null)) throw new InvalidArgumentError('protectedHeader must be an object');
  for (const name of Object.keys(extra)) {
    if (given?.[name] !== undefined) throw new InvalidArgumentError(`"${name}" is both replicated and in protectedHeader`);
  }
  return { ...options, protectedHeader: { ...given, ...(typ !== undefined && { typ }), ...extra } };
}

interface PreparedEncrypt {
  readonly claims: PreparedClaims;
  readonly replicate: readonly ReplicableClaim[];
}

function prepareEncrypt(options: JWTEncryptOptions): PreparedEncrypt {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options with "enc" are required');
  // RFC 7519 §5.2: `cty` is for nested JWTs only; here the plaintext is the claims set.
  if (options.protectedHeader?.cty !== undefined) throw new InvalidArgumentError('an encrypted JWT carries no cty (see signAndEncryptJWT)');
  return { claims: prepareClaims(options, options.protectedHeader?.typ), replicate: checkReplicate(options.replicate) };
}

function plan(claims: JWTClaims, options: JWTEncryptOptions): { text: string; jwe: EncryptOptions } {
  const p = prepareEncrypt(options);
  const built = buildClaims(claims, p.claims);
  return { text: claimsJSON(built), jwe: jweOptions(options, p.claims.typ, replicated(built, p.replicate)) };
}

/**
 * Encrypts a claims set as a JWT (compact JWE, the claims as plaintext).
 * @example
 * const token = await encryptJWT({ sub: 'ada' }, recipientPublicJWK, {
 *   alg: 'ECDH-ES+A256KW', enc: 'A256GCM', issuer: 'https://issuer.example', expiresIn: '10m',
 * });
 * @throws ERR_INVALID_ARGUMENT, ERR_JWT_CLAIM_INVALID, and the encryptJWE codes
 */
export async function encryptJWT(claims: JWTClaims, key: KeyInput, options: JWTEncryptOptions): Promise<string> {
  const { text, jwe } = plan(claims, options);
  return encryptJWE(text, key, jwe);
}

/**
 * Synchronous {@link encryptJWT} (Node only).
 * @example
 * const token = encryptJWTSync({ sub: 'ada' }, secret, { alg: 'dir', enc: 'A256GCM', expiresIn: 600 });
 * @throws as encryptJWT, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function encryptJWTSync(claims: JWTClaims, key: KeyInput, options: JWTEncryptOptions): string {
  const { text, jwe } = plan(claims, options);
  return encryptJWESync(text, key, jwe);
}

/**
 * The JWT steps after a JWE decrypted: not nested, `typ`, the claims set and its rules, and the
 * replicated header claims.
 */
export function finishDecrypt(r: DecryptResult, v: PreparedValidation): JWTDecryptResult {
  const header = r.protectedHeader;
  if (isNestedHeader(header)) throw new JWTInvalidError('this JWE holds a nested JWT: use decryptAndVerifyJWT');
  checkType(header, v);
  const payload = parseClaims(r.plaintext);
  validateClaims(payload, v);
  checkReplicatedClaims(header, payload);
  return { payload, protectedHeader: header, key: r.key };
}

/**
 * Decrypts an encrypted JWT and validates its claims.
 *
 * Verifies: the JWE (as decryptJWE: structure, `alg`/`enc` allow-lists, `crit`, the tag), that it
 * is not nested, `typ` (if asked), the claims (as verifyJWT), and that `iss`/`sub`/`aud`
 * replicated in the header equal the claims (RFC 7519 §5.3).
 * Does NOT verify: who issued the claims (a JWE is not a signature).
 * @example
 * const { payload } = await decryptJWT(token, privateJWK, { algorithms: ['ECDH-ES+A256KW'], issuer: 'https://issuer.example' });
 * @throws ERR_JWE_EXPECTED (a JWS), the decryptJWE codes, ERR_JWT_INVALID, ERR_JWT_TYPE_INVALID,
 *   ERR_JSON_DUPLICATE_MEMBER, ERR_JWT_CLAIM_INVALID, ERR_JWT_EXPIRED, ERR_INVALID_ARGUMENT
 */
export async function decryptJWT(token: string, key: DecryptKey, options: JWTDecryptOptions = {}): Promise<JWTDecryptResult> {
  refuseJWS(token);
  const v = prepareValidation(options);
  return finishDecrypt(await decryptJWE(token, key, options), v);
}

/**
 * Synchronous {@link decryptJWT} (Node only).
 * @example
 * const { payload } = decryptJWTSync(token, secret, { algorithms: ['dir'], encryptions: ['A256GCM'] });
 * @throws as decryptJWT, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function decryptJWTSync(token: string, key: DecryptKey, options: JWTDecryptOptions = {}): JWTDecryptResult {
  refuseJWS(token);
  const v = prepareValidation(options);
  return finishDecrypt(decryptJWESync(token, key, options), v);
}

/**
 * The inner token of a nested JWT: the JWE must say `cty: "JWT"` and hold UTF-8 text.
 * @throws ERR_JWT_INVALID
 */
export function innerToken(r: DecryptResult): string {
  if (!isNestedHeader(r.protectedHeader)) throw new JWTInvalidError('not a nested JWT: the JWE has no cty "JWT"');
  try {
    return decodeUTF8(r.plaintext);
  } catch {
    throw new JWTInvalidError('the nested JWT is not UTF-8 text');
  }
}
