/** RFC 7518 §4.3: RSAES-OAEP (RSA-OAEP with SHA-1; RSA-OAEP-256/384/512 with SHA-2, MGF1 over the same hash). */
import { platform } from '#platform';
import { assertSync, cekFor, checkedCEK, requireKey } from './_jwe-shared.js';
import type { ContentEncryption, KeyManagement, WrapInput, WrapResult } from './jwe-algorithm.js';
import type { TesseraKey } from './key.js';
import type { OAEPHash } from './platform/types.js';
import { RSA_MIN_BITS } from './rsassa.js';

/**
 * On node:crypto, decryption runs inline even in the async API: `privateDecrypt` has no callback
 * form, so there is no thread-pool variant to use.
 */
export function rsaOAEP(name: string, hash: OAEPHash): KeyManagement {
  const km: KeyManagement = Object.freeze({
    name,
    mode: 'key-encryption',
    family: 'RSA',
    curves: undefined,
    // SECURITY: RFC 7518 §4.3: 2048 bits or larger, as for signatures.
    keyBits: RSA_MIN_BITS,
    generate: Object.freeze({ kty: 'RSA', bits: RSA_MIN_BITS }),
    explicitOnly: false,
    async wrap(key: TesseraKey, enc: ContentEncryption, input: WrapInput): Promise<WrapResult> {
      requireKey(km, key, 'encrypt');
      const cek = cekFor(enc, input);
      return { cek, encryptedKey: await platform.rsaOAEPEncrypt(hash, key.imported, cek), parameters: {} };
    },
    wrapSync(key: TesseraKey, enc: ContentEncryption, input: WrapInput): WrapResult {
      assertSync();
      requireKey(km, key, 'encrypt');
      const cek = cekFor(enc, input);
      return { cek, encryptedKey: platform.rsaOAEPEncryptSync(hash, key.imported, cek), parameters: {} };
    },
    async unwrap(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array): Promise<Uint8Array> {
      requireKey(km, key, 'decrypt');
      return checkedCEK(await platform.rsaOAEPDecrypt(hash, key.imported, encryptedKey), enc);
    },
    unwrapSync(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array): Uint8Array {
      assertSync();
      requireKey(km, key, 'decrypt');
      return checkedCEK(platform.rsaOAEPDecryptSync(hash, key.imported, encryptedKey), enc);
    },
  });
  return km;
}
