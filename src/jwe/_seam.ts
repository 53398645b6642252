/**
 * Test-only seam: fixes the values an encryption would otherwise draw at random, so tests can
 * reproduce published vectors (RFC 7516 Appendix A, RFC 7520 §5) byte for byte.
 *
 * SECURITY: private to src/jwe (the `_` prefix); no index file exports it, so the public API can
 * never be told to reuse a CEK, an IV or an ephemeral key. Only tests import this file.
 */
import type { JWK } from '../jwa/types.js';

/** Values to use instead of fresh randomness. Every member is optional. */
export interface FixedRandomness {
  /** The content encryption key (ignored by `dir` and `ECDH-ES`, which determine it). */
  readonly cek?: Uint8Array;
  /** The content IV. */
  readonly iv?: Uint8Array;
  /** The ECDH-ES ephemeral private JWK. */
  readonly ephemeralKey?: JWK;
  /** The PBES2 salt input (`p2s`, raw bytes). */
  readonly p2s?: Uint8Array;
  /** The AES-GCM key wrap IV. */
  readonly kwIV?: Uint8Array;
  /**
   * Member order of the encoded protected header: listed names first, in this order, then the
   * rest as built. Vectors order members freely (RFC 7520 §5.4 puts `epk` before `enc`).
   */
  readonly headerOrder?: readonly string[];
}

let fixed: FixedRandomness | undefined;

/** @internal the values in force, read by the encryption steps. */
export function fixedRandomness(): FixedRandomness | undefined {
  return fixed;
}

/**
 * Runs `fn` with the given values in place of randomness, then restores the previous state
 * (after the promise settles when `fn` is async). Not safe with concurrent encryptions: tests only.
 * @example
 * const token = await withFixedRandomness({ cek, iv }, () => encryptJWE(plaintext, key, { alg: 'A128KW', enc: 'A128CBC-HS256' }));
 */
export function withFixedRandomness<T>(values: FixedRandomness, fn: () => T): T {
  const previous = fixed;
  fixed = values;
  let result: T;
  try {
    result = fn();
  } catch (err) {
    fixed = previous;
    throw err;
  }
  if (result instanceof Promise) {
    return result.finally(() => {
      fixed = previous;
    }) as T;
  }
  fixed = previous;
  return result;
}
