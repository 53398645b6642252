/**
 * JWK shape validation (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2, RFC 8812 §3.1).
 * Runs before the platform sees a JWK, so every platform rejects the same inputs with the same codes.
 */
import { assertBase64URL, decodeBase64URL } from '../core/base64url.js';
import { InvalidArgumentError, JWKInvalidError, KeyEmptyError, KeyTooShortError } from '../core/errors.js';
import type { Curve, JWK, KeyFamily } from '../jwa/types.js';
import { RSA_MIN_BITS } from '../jwa/rsassa.js';

/** Field size in bytes of each curve's coordinates and private scalars. */
export const CURVE_BYTES: Readonly<Record<Curve, number>> = {
  'P-256': 32,
  'P-384': 48,
  'P-521': 66,
  secp256k1: 32,
  Ed25519: 32,
  Ed448: 57,
  X25519: 32,
  X448: 56,
};
/** Security-relevant size of each curve in bits. */
export const CURVE_BITS: Readonly<Record<Curve, number>> = {
  'P-256': 256,
  'P-384': 384,
  'P-521': 521,
  secp256k1: 256,
  Ed25519: 256,
  Ed448: 448,
  X25519: 256,
  X448: 448,
};
const EC_CURVES: readonly Curve[] = ['P-256', 'P-384', 'P-521', 'secp256k1'];
const OKP_CURVES: readonly Curve[] = ['Ed25519', 'Ed448', 'X25519', 'X448'];
const KEY_OPS = new Set(['sign', 'verify', 'encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'deriveKey', 'deriveBits']);
/** Members that only a private (or secret) key has. */
export const PRIVATE_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const MAX_MEMBER_LENGTH = 16_384;

/** A validated JWK with its derived facts. */
export interface CheckedJWK {
  readonly jwk: JWK;
  readonly family: KeyFamily;
  readonly crv: Curve | undefined;
  readonly bits: number;
  readonly isPrivate: boolean;
}

function b64(jwk: JWK, member: string, required: boolean): number {
  const value = jwk[member];
  if (value === undefined) {
    if (required) throw new JWKInvalidError(`JWK member "${member}" is required`);
    return -1;
  }
  if (typeof value !== 'string') throw new JWKInvalidError(`JWK member "${member}" must be a string`);
  if (value.length > MAX_MEMBER_LENGTH) throw new JWKInvalidError(`JWK member "${member}" is too long`);
  try {
    assertBase64URL(value, `JWK member "${member}"`);
  } catch {
    throw new JWKInvalidError(`JWK member "${member}" is not strict base64url`);
  }
  return Math.floor((value.length * 3) / 4);
}

function exactLength(jwk: JWK, member: string, bytes: number, required: boolean): void {
  const n = b64(jwk, member, required);
  if (n !== -1 && n !== bytes) throw new JWKInvalidError(`JWK member "${member}" has the wrong length for its curve`);
}

/** Bit length of a big-endian unsigned integer in base64url. */
function bitLength(b64u: string): number {
  const bytes = decodeBase64URL(b64u);
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i] as number));
}

function checkMetadata(jwk: JWK): void {
  for (const m of ['use', 'alg', 'kid', 'x5u', 'x5t', 'x5t#S256'] as const) {
    if (jwk[m] !== undefined && typeof jwk[m] !== 'string') throw new JWKInvalidError(`JWK member "${m}" must be a string`);
  }
  if (typeof jwk.kid === 'string' && jwk.kid.length > 1024) throw new JWKInvalidError('JWK "kid" is too long');
  if (jwk.key_ops !== undefined) {
    const ops = jwk.key_ops;
    // RFC 7517 §4.3: an array of unique strings.
    if (!Array.isArray(ops) || ops.some((o) => typeof o !== 'string' || !KEY_OPS.has(o)) || new Set(ops).size !== ops.length) {
      throw new JWKInvalidError('JWK "key_ops" must be an array of unique known operations');
    }
  }
  if (jwk.x5c !== undefined && (!Array.isArray(jwk.x5c) || jwk.x5c.some((c) => typeof c !== 'string'))) {
    throw new JWKInvalidError('JWK "x5c" must be an array of strings');
  }
  if (jwk.ext !== undefined && typeof jwk.ext !== 'boolean') throw new JWKInvalidError('JWK "ext" must be a boolean');
}

/**
 * Validates a JWK's members for its `kty`.
 * @throws ERR_JWK_INVALID, ERR_KEY_EMPTY, ERR_KEY_TOO_SHORT
 */
export function checkJWK(input: unknown): CheckedJWK {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidArgumentError('a JWK must be an object');
  }
  const jwk = input as JWK;
  checkMetadata(jwk);
  switch (jwk.kty) {
    case 'oct': {
      const k = jwk.k;
      if (k === '') throw new KeyEmptyError('the oct JWK has an empty "k"');
      const n = b64(jwk, 'k', true);
      return { jwk, family: 'oct', crv: undefined, bits: n * 8, isPrivate: true };
    }
    case 'RSA': {
      b64(jwk, 'n', true);
      b64(jwk, 'e', true);
      const bits = bitLength(jwk.n as string);
      // SECURITY: RFC 7518 §3.3: 2048 bits or larger. Checked at import, before any use.
      if (bits < RSA_MIN_BITS) throw new KeyTooShortError(`RSA keys must be at least ${RSA_MIN_BITS} bits`);
      const isPrivate = jwk.d !== undefined;
      if (isPrivate) {
        // RFC 7518 §6.3.2: with "d", the CRT members are all present or all absent; we require them.
        for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi']) b64(jwk, m, true);
        if (jwk.oth !== undefined) throw new JWKInvalidError('multi-prime RSA keys ("oth") are not supported');
      } else {
        for (const m of ['p', 'q', 'dp', 'dq', 'qi']) {
          if (jwk[m] !== undefined) throw new JWKInvalidError(`JWK member "${m}" without "d"`);
        }
      }
      return { jwk, family: 'RSA', crv: undefined, bits, isPrivate };
    }
    case 'EC':
    case 'OKP': {
      const curves = jwk.kty === 'EC' ? EC_CURVES : OKP_CURVES;
      const crv = jwk.crv as Curve;
      if (typeof crv !== 'string' || !curves.includes(crv)) {
        throw new JWKInvalidError(`unsupported or missing "crv" for kty ${jwk.kty}`);
      }
      const size = CURVE_BYTES[crv];
      exactLength(jwk, 'x', size, true);
      if (jwk.kty === 'EC') exactLength(jwk, 'y', size, true);
      else if (jwk.y !== undefined) throw new JWKInvalidError('an OKP JWK has no "y"');
      exactLength(jwk, 'd', size, false);
      return { jwk, family: jwk.kty, crv, bits: CURVE_BITS[crv], isPrivate: jwk.d !== undefined };
    }
    default:
      throw new JWKInvalidError(typeof jwk.kty === 'string' ? 'unsupported JWK "kty"' : 'JWK "kty" is required');
  }
}

/** True when a JWK carries any private member. */
export function hasPrivateMembers(jwk: JWK): boolean {
  for (const m of PRIVATE_MEMBERS) if (jwk[m] !== undefined) return true;
  return false;
}
