/** RFC 7518 §4.5: `dir`, direct encryption with a shared symmetric key (the key is the CEK). */
import { InvalidArgumentError, JWEInvalidError, KeyTypeMismatchError, KeyUsageError } from '../core/errors.js';
import { assertSync, EMPTY, requireKey, sameBytes, secretOf } from './_jwe-shared.js';
import type { ContentEncryption, KeyManagement, WrapInput, WrapResult } from './jwe-algorithm.js';
import type { TesseraKey } from './key.js';

/**
 * The key as the CEK of `enc`. A `dir` key may be bound to `dir` or to one `enc` (a JWK
 * `"alg": "A128GCM"`, as RFC 7520 §5.6 has it); bound to an `enc`, it serves only that one.
 * SECURITY: a key of another length than `enc` takes is refused with ERR_KEY_TYPE_MISMATCH (not
 * truncated, not stretched); the length of one's own key is not a secret worth hiding.
 */
function cekOf(key: TesseraKey, enc: ContentEncryption): Uint8Array {
  if (key.alg !== undefined && key.alg !== 'dir' && key.alg !== enc.name) {
    throw new KeyUsageError(`the key is bound to another algorithm than dir with ${enc.name}`);
  }
  const bytes = secretOf(key);
  if (bytes.length !== enc.cekLength) {
    throw new KeyTypeMismatchError(`dir with ${enc.name} needs a key of exactly ${enc.cekLength * 8} bits`);
  }
  // A copy: the caller may wipe its CEK, and must not wipe the key.
  return bytes.slice();
}

/**
 * The CEK a `dir` recipient uses with `enc`: what `unwrap` returns for an empty JWE Encrypted Key,
 * for callers that decrypt many tokens with one key (a decrypter's route, src/jwe/route.ts).
 * @throws ERR_KEY_TYPE_MISMATCH, ERR_KEY_USAGE, ERR_KEY_PRIVATE_REQUIRED (as unwrap)
 */
export function directCEK(km: KeyManagement, key: TesseraKey, enc: ContentEncryption): Uint8Array {
  requireKey(km, key, 'decrypt');
  return cekOf(key, enc);
}

export function dir(): KeyManagement {
  const km: KeyManagement = Object.freeze({
    name: 'dir',
    mode: 'direct',
    family: 'oct',
    curves: undefined,
    keyBits: 0,
    // The size depends on `enc`: generateKey('A256GCM') (or generateKey('dir', { enc })) makes one.
    generate: undefined,
    explicitOnly: false,
    wrap: async (key: TesseraKey, enc: ContentEncryption, input: WrapInput) => wrap(key, enc, input),
    wrapSync(key: TesseraKey, enc: ContentEncryption, input: WrapInput): WrapResult {
      assertSync();
      return wrap(key, enc, input);
    },
    unwrap: async (key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array) => unwrap(key, enc, encryptedKey),
    unwrapSync(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array): Uint8Array {
      assertSync();
      return unwrap(key, enc, encryptedKey);
    },
  });

  function wrap(key: TesseraKey, enc: ContentEncryption, input: WrapInput): WrapResult {
    requireKey(km, key, 'encrypt');
    const cek = cekOf(key, enc);
    // The CEK is the key: one given by the caller must be that key (or it is a mistake to report).
    if (input.cek !== undefined && !sameBytes(input.cek, cek)) throw new InvalidArgumentError('dir determines the CEK: it is the key');
    // RFC 7516 §5.1 step 5: the JWE Encrypted Key is empty.
    return { cek, encryptedKey: EMPTY, parameters: {} };
  }

  function unwrap(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array): Uint8Array {
    requireKey(km, key, 'decrypt');
    // RFC 7516 §5.2 step 10: with direct encryption the JWE Encrypted Key must be empty.
    if (encryptedKey.length !== 0) throw new JWEInvalidError('dir takes an empty JWE Encrypted Key');
    return cekOf(key, enc);
  }

  return km;
}
