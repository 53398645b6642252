/**
 * What every JWE algorithm family shares: the one decryption failure, CEK checks, header members,
 * and the family/size/curve fit of a key. Private to `jwa/`.
 */
import { platform } from '#platform';
import { decodeBase64URL } from '../core/base64url.js';
import {
  HeaderInvalidError,
  InvalidArgumentError,
  JWEDecryptionFailedError,
  KeyPrivateRequiredError,
  KeyTooShortError,
  KeyTypeMismatchError,
  KeyUsageError,
  SyncUnsupportedError,
} from '../core/errors.js';
import type { ContentEncryption, KeyManagement, WrapInput } from './jwe-algorithm.js';
import type { TesseraKey } from './key.js';
import type { ECDHCurve } from './platform/types.js';
import type { KeyShape } from './registry.js';
import type { Curve } from './types.js';

export const EMPTY: Uint8Array = new Uint8Array(0);

/**
 * First line of every descriptor's `…Sync` method: on WebCrypto it fails the same way whatever
 * the input, rather than after some checks have run.
 */
export function assertSync(): void {
  if (!platform.syncSupported) throw new SyncUnsupportedError('synchronous JWE needs the node:crypto backend; WebCrypto is asynchronous only');
}

/**
 * The one error for every failure to decrypt: bad tag, bad padding, failed unwrap, CEK of the
 * wrong length. SECURITY: one code, one message, no cause, so no failure can be told from another
 * (THREATS.md §13, §15). The jwe layer uses the same words for its own.
 */
export function decryptionFailed(): JWEDecryptionFailedError {
  return new JWEDecryptionFailedError('decryption failed');
}

/** The CEK a sender wraps: the one given (checked), else a fresh random one. */
export function cekFor(enc: ContentEncryption, input: WrapInput): Uint8Array {
  if (input.cek === undefined) return platform.randomBytes(enc.cekLength);
  if (input.cek.length !== enc.cekLength) throw new InvalidArgumentError(`${enc.name} takes a ${enc.cekLength}-byte CEK`);
  return input.cek;
}

/**
 * Checks an unwrapped CEK. SECURITY: a CEK of the wrong length for `enc` looks exactly like a tag
 * failure (THREATS.md §15: the CEK-length oracle).
 */
export function checkedCEK(cek: Uint8Array | undefined, enc: ContentEncryption): Uint8Array {
  if (cek === undefined || cek.length !== enc.cekLength) throw decryptionFailed();
  return cek;
}

/** A base64url header member (RFC 7518 §4.6.1, §4.7.1, §4.8.1): absent gives undefined unless required. */
export function headerBytes(header: Readonly<Record<string, unknown>>, name: string, required: boolean): Uint8Array | undefined {
  const value = header[name];
  if (value === undefined) {
    if (required) throw new HeaderInvalidError(`the "${name}" header parameter is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new HeaderInvalidError(`the "${name}" header parameter must be a string`);
  return decodeBase64URL(value, `the "${name}" header parameter`);
}

/** An `oct` key's bytes. A non-extractable native key has none to give. */
export function secretOf(key: TesseraKey): Uint8Array {
  const bytes = platform.secretBytes(key.imported);
  if (bytes === undefined) throw new KeyUsageError('this algorithm needs the bytes of the secret key, and a non-extractable key has none to give');
  return bytes;
}

/** The family of a curve's keys (RFC 7518 §6.2.1.1, RFC 8037 §2). */
export function familyOfCurve(crv: Curve): 'EC' | 'OKP' {
  return crv.startsWith('P-') || crv === 'secp256k1' ? 'EC' : 'OKP';
}

/** Whether a key's family, curve and size fit an algorithm; its bound `alg` is not looked at. */
export function misfit(km: KeyManagement, key: KeyShape): 'type' | 'size' | undefined {
  if (km.curves !== undefined) {
    // Several families share ECDH-ES (EC P-*, OKP X*): the curve decides, and it implies the family.
    if (key.crv === undefined || !km.curves.includes(key.crv) || key.family !== familyOfCurve(key.crv)) return 'type';
    return undefined;
  }
  if (key.family !== km.family) return 'type';
  if (km.family === 'RSA') return key.bits < km.keyBits ? 'size' : undefined;
  // AES-KW and AES-GCMKW take a key of exactly their size: any other size is another key type.
  if (km.keyBits !== 0 && key.bits !== km.keyBits) return 'type';
  return undefined;
}

/** Throws for a key whose family, curve or size does not fit `km`. */
export function assertKeyFits(km: KeyManagement, key: KeyShape): void {
  const why = misfit(km, key);
  if (why === 'type') {
    const size = km.family === 'oct' && km.keyBits !== 0 ? ` (it needs a ${km.keyBits}-bit key)` : '';
    throw new KeyTypeMismatchError(`a ${key.family}${key.crv ? ` ${key.crv}` : ` ${key.bits}-bit`} key cannot be used with ${km.name}${size}`);
  }
  if (why === 'size') throw new KeyTooShortError(`${km.name} needs a key of at least ${km.keyBits} bits`);
}

/**
 * The checks a descriptor makes itself before any primitive runs (so a misuse is a tessera error,
 * never a platform one): family, curve, size, and a private key to unwrap.
 */
export function requireKey(km: KeyManagement, key: TesseraKey, op: 'encrypt' | 'decrypt'): void {
  assertKeyFits(km, key);
  if (op === 'decrypt' && key.kind === 'public') throw new KeyPrivateRequiredError(`${km.name} decryption needs a private key`);
}

/** The ECDH curve of a key that fits ECDH-ES. */
export function ecdhCurve(key: TesseraKey): ECDHCurve {
  return key.crv as ECDHCurve;
}

/** Byte-wise equality for sender-side checks (not secret-dependent timing: both values are the sender's). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return platform.timingSafeEqual(a, b);
}
