/** RFC 7518 §4.4: AES Key Wrap (A128KW, A192KW, A256KW), RFC 3394 with the default IV. */
import { platform } from '#platform';
import { assertSync, cekFor, checkedCEK, requireKey } from './_jwe-shared.js';
import type { ContentEncryption, KeyManagement, UnwrapLimits, WrapInput, WrapResult } from './jwe-algorithm.js';
import type { TesseraKey } from './key.js';

export function aesKW(bits: 128 | 192 | 256): KeyManagement {
  const km: KeyManagement = Object.freeze({
    name: `A${bits}KW`,
    mode: 'key-wrap',
    family: 'oct',
    curves: undefined,
    // RFC 7518 §4.4: the key is exactly 128, 192 or 256 bits.
    keyBits: bits,
    generate: Object.freeze({ kty: 'oct', bytes: bits / 8 }),
    explicitOnly: false,
    async wrap(key: TesseraKey, enc: ContentEncryption, input: WrapInput): Promise<WrapResult> {
      requireKey(km, key, 'encrypt');
      const cek = cekFor(enc, input);
      return { cek, encryptedKey: await platform.aesKWWrap(key.imported, cek), parameters: {} };
    },
    wrapSync(key: TesseraKey, enc: ContentEncryption, input: WrapInput): WrapResult {
      assertSync();
      requireKey(km, key, 'encrypt');
      const cek = cekFor(enc, input);
      return { cek, encryptedKey: platform.aesKWWrapSync(key.imported, cek), parameters: {} };
    },
    async unwrap(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array, _header: Readonly<Record<string, unknown>>, _limits: UnwrapLimits): Promise<Uint8Array> {
      requireKey(km, key, 'decrypt');
      return checkedCEK(await platform.aesKWUnwrap(key.imported, encryptedKey), enc);
    },
    unwrapSync(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array): Uint8Array {
      assertSync();
      requireKey(km, key, 'decrypt');
      return checkedCEK(platform.aesKWUnwrapSync(key.imported, encryptedKey), enc);
    },
  });
  return km;
}
