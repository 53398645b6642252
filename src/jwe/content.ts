/**
 * What every serialization shares around the content: plaintext bytes, the Additional
 * Authenticated Data (RFC 7516 §5.1 step 14), DEFLATE (RFC 7516 §4.1.3) and the decryption limits.
 */
import { platform } from '#platform';
import { encodeUTF8 } from '../core/bytes.js';
import { InvalidArgumentError, SyncUnsupportedError } from '../core/errors.js';
import type { UnwrapLimits } from '../jwa/jwe-algorithm.js';
import { PBES2_DEFAULT_MAX_COUNT, PBES2_MIN_COUNT } from '../jwa/pbes2.js';
import { DEFAULT_MAX_DECOMPRESSED_LENGTH } from './header.js';
import type { DecryptOptions } from './types.js';

const hasBuffer = typeof Buffer === 'function';


/** ASCII bytes of a string known to be ASCII (base64url segments and '.'). */
export function asciiBytes(text: string): Uint8Array {
  if (hasBuffer) return Buffer.from(text, 'latin1');
  return encodeUTF8(text);
}

/** Plaintext bytes from a string (UTF-8) or bytes. */
export function plaintextBytes(plaintext: Uint8Array | string): Uint8Array {
  if (typeof plaintext === 'string') return encodeUTF8(plaintext);
  if (plaintext instanceof Uint8Array) return plaintext;
  throw new InvalidArgumentError('the plaintext must be a Uint8Array or a string');
}

/**
 * RFC 7516 §5.1 step 14: AAD = ASCII(Encoded Protected Header), followed by
 * '.' || ASCII(BASE64URL(JWE AAD)) when the JSON `aad` member is present.
 */
export function contentAAD(encodedProtected: string, aadMember: string | undefined): Uint8Array {
  return asciiBytes(aadMember === undefined ? encodedProtected : `${encodedProtected}.${aadMember}`);
}

export function assertSync(): void {
  if (!platform.syncSupported) throw new SyncUnsupportedError('synchronous JWE needs the node:crypto backend');
}

/** The limits a decryption applies, checked once. */
export interface DecryptLimits {
  readonly unwrap: UnwrapLimits;
  readonly maxDecompressedLength: number;
}

const DEFAULT_LIMITS: DecryptLimits = Object.freeze({
  unwrap: Object.freeze({ maxPBES2Count: PBES2_DEFAULT_MAX_COUNT }),
  maxDecompressedLength: DEFAULT_MAX_DECOMPRESSED_LENGTH,
});

/**
 * The decryption limits of the options.
 * SECURITY: the PBES2 cap can be raised but never below the minimum count (THREATS.md §8).
 * @throws ERR_INVALID_ARGUMENT for a cap that is not a positive safe integer, or a PBES2 cap below 1,000
 */
export function limitsOf(options: DecryptOptions): DecryptLimits {
  const { maxPBES2Count, maxDecompressedLength } = options;
  if (maxPBES2Count === undefined && maxDecompressedLength === undefined) return DEFAULT_LIMITS;
  if (maxPBES2Count !== undefined && (!Number.isSafeInteger(maxPBES2Count) || maxPBES2Count < PBES2_MIN_COUNT)) {
    throw new InvalidArgumentError(`maxPBES2Count must be an integer of at least ${PBES2_MIN_COUNT}`);
  }
  if (maxDecompressedLength !== undefined && (!Number.isSafeInteger(maxDecompressedLength) || maxDecompressedLength < 1)) {
    throw new InvalidArgumentError('maxDecompressedLength must be a positive integer');
  }
  return {
    unwrap: { maxPBES2Count: maxPBES2Count ?? PBES2_DEFAULT_MAX_COUNT },
    maxDecompressedLength: maxDecompressedLength ?? DEFAULT_MAX_DECOMPRESSED_LENGTH,
  };
}

/** RFC 7516 §5.1 step 10: compress before encrypting when `zip` is set. */
export function compress(plaintext: Uint8Array, zip: boolean): Promise<Uint8Array> {
  return zip ? platform.deflateRaw(plaintext) : Promise.resolve(plaintext);
}

export function compressSync(plaintext: Uint8Array, zip: boolean): Uint8Array {
  return zip ? platform.deflateRawSync(plaintext) : plaintext;
}

/**
 * RFC 7516 §5.2 step 17: decompress after decrypting.
 * SECURITY: the cap is enforced by the platform while inflating, so a bomb never allocates more
 * than the cap (THREATS.md §9).
 * @throws ERR_JWE_DECOMPRESSION_LIMIT, ERR_JWE_INVALID (malformed DEFLATE data)
 */
export function decompress(data: Uint8Array, zip: boolean, limits: DecryptLimits): Promise<Uint8Array> {
  return zip ? platform.inflateRaw(data, limits.maxDecompressedLength) : Promise.resolve(data);
}

export function decompressSync(data: Uint8Array, zip: boolean, limits: DecryptLimits): Uint8Array {
  return zip ? platform.inflateRawSync(data, limits.maxDecompressedLength) : data;
}
