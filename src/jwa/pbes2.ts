/**
 * RFC 7518 §4.8: PBES2 (RFC 8018 PBKDF2 with HMAC-SHA-2, then AES Key Wrap):
 * PBES2-HS256+A128KW, PBES2-HS384+A192KW, PBES2-HS512+A256KW.
 *
 * SECURITY (THREATS.md §8, the "billion hashes" DoS): PBES2 is never derived from a key, only used
 * when explicitly allowed; `p2c` must be an integer from PBES2_MIN_COUNT to the recipient's maximum
 * (default PBES2_DEFAULT_MAX_COUNT), checked before any other work.
 */
import { platform } from '#platform';
import { encodeBase64URL } from '../core/base64url.js';
import { concatBytes, encodeUTF8 } from '../core/bytes.js';
import { HeaderInvalidError, InvalidArgumentError, KeyEmptyError, PBES2CountError } from '../core/errors.js';
import { assertSync, cekFor, checkedCEK, headerBytes, requireKey, secretOf } from './_jwe-shared.js';
import type { ContentEncryption, KeyManagement, UnwrapLimits, WrapInput, WrapResult } from './jwe-algorithm.js';
import type { TesseraKey } from './key.js';
import type { HashName } from './types.js';

/** The smallest `p2c` accepted, on both sides (RFC 7518 §4.8.1.2 recommends at least 1000). */
export const PBES2_MIN_COUNT = 1000;
/** The `p2c` a sender uses when none is given, and the recipient's default maximum. */
export const PBES2_DEFAULT_COUNT = 10_000;
export const PBES2_DEFAULT_MAX_COUNT = 10_000;
/** PBKDF2 iteration counts are 32-bit signed integers on every platform. */
const PBES2_LARGEST_COUNT = 2_147_483_647;
/** RFC 7518 §4.8.1.1: the salt input is at least 8 octets; senders here use 16. */
const MIN_SALT = 8;
const SALT_LENGTH = 16;

function isCount(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= PBES2_MIN_COUNT && value <= max;
}

/** The sender's `p2c`. */
function countFor(input: WrapInput): number {
  const p2c = input.p2c ?? PBES2_DEFAULT_COUNT;
  if (!isCount(p2c, PBES2_LARGEST_COUNT)) throw new PBES2CountError(`p2c must be an integer from ${PBES2_MIN_COUNT} to ${PBES2_LARGEST_COUNT}`);
  return p2c;
}

/** The recipient's `p2c`. SECURITY: checked first, before the salt is read or any hashing is done. */
function headerCount(header: Readonly<Record<string, unknown>>, limits: UnwrapLimits): number {
  const p2c = header.p2c;
  if (p2c === undefined) throw new HeaderInvalidError('the "p2c" header parameter is required');
  const max = limits.maxPBES2Count;
  if (!isCount(p2c, Math.min(max, PBES2_LARGEST_COUNT))) {
    throw new PBES2CountError(`p2c must be an integer from ${PBES2_MIN_COUNT} to ${max}`);
  }
  return p2c;
}

function saltInputFor(input: WrapInput): Uint8Array {
  const p2s = input.p2s ?? platform.randomBytes(SALT_LENGTH);
  if (p2s.length < MIN_SALT) throw new InvalidArgumentError(`p2s must be at least ${MIN_SALT} bytes`);
  return p2s;
}

function headerSaltInput(header: Readonly<Record<string, unknown>>): Uint8Array {
  const p2s = headerBytes(header, 'p2s', true) as Uint8Array;
  if (p2s.length < MIN_SALT) throw new HeaderInvalidError(`the "p2s" header parameter must be at least ${MIN_SALT} bytes`);
  return p2s;
}

/**
 * The password: the bytes of an `oct` key, any length (no HMAC minimum applies: it is a password,
 * and PBKDF2 is what strengthens it), but never empty.
 */
function password(key: TesseraKey): Uint8Array {
  const bytes = secretOf(key);
  if (bytes.length === 0) throw new KeyEmptyError('the PBES2 password is empty');
  return bytes;
}

export function pbes2(hashBits: 256 | 384 | 512, kwBits: 128 | 192 | 256): KeyManagement {
  const name = `PBES2-HS${hashBits}+A${kwBits}KW`;
  const hash = `SHA-${hashBits}` as HashName;
  const prefix = concatBytes(encodeUTF8(name), new Uint8Array(1));
  const dkLength = kwBits / 8;

  /** RFC 7518 §4.8.1.1: Salt = UTF8(alg) || 0x00 || Salt Input. */
  function salt(p2s: Uint8Array): Uint8Array {
    return concatBytes(prefix, p2s);
  }

  function result(cek: Uint8Array, encryptedKey: Uint8Array, p2s: Uint8Array, p2c: number): WrapResult {
    return { cek, encryptedKey, parameters: { p2s: encodeBase64URL(p2s), p2c } };
  }

  const km: KeyManagement = Object.freeze({
    name,
    mode: 'password',
    family: 'oct',
    curves: undefined,
    keyBits: 0,
    // A random password, for completeness; a person's password comes in through importSecret().
    generate: Object.freeze({ kty: 'oct', bytes: 32 }),
    explicitOnly: true,
    async wrap(key: TesseraKey, enc: ContentEncryption, input: WrapInput): Promise<WrapResult> {
      requireKey(km, key, 'encrypt');
      const p2c = countFor(input);
      const p2s = saltInputFor(input);
      const cek = cekFor(enc, input);
      const kek = await platform.pbkdf2(hash, password(key), salt(p2s), p2c, dkLength);
      return result(cek, await platform.aesKWWrap(kek, cek), p2s, p2c);
    },
    wrapSync(key: TesseraKey, enc: ContentEncryption, input: WrapInput): WrapResult {
      assertSync();
      requireKey(km, key, 'encrypt');
      const p2c = countFor(input);
      const p2s = saltInputFor(input);
      const cek = cekFor(enc, input);
      const kek = platform.pbkdf2Sync(hash, password(key), salt(p2s), p2c, dkLength);
      return result(cek, platform.aesKWWrapSync(kek, cek), p2s, p2c);
    },
    async unwrap(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array, header: Readonly<Record<string, unknown>>, limits: UnwrapLimits): Promise<Uint8Array> {
      const p2c = headerCount(header, limits);
      requireKey(km, key, 'decrypt');
      const kek = await platform.pbkdf2(hash, password(key), salt(headerSaltInput(header)), p2c, dkLength);
      return checkedCEK(await platform.aesKWUnwrap(kek, encryptedKey), enc);
    },
    unwrapSync(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array, header: Readonly<Record<string, unknown>>, limits: UnwrapLimits): Uint8Array {
      assertSync();
      const p2c = headerCount(header, limits);
      requireKey(km, key, 'decrypt');
      const kek = platform.pbkdf2Sync(hash, password(key), salt(headerSaltInput(header)), p2c, dkLength);
      return checkedCEK(platform.aesKWUnwrapSync(kek, encryptedKey), enc);
    },
  });
  return km;
}
