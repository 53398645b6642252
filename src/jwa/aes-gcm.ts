/** RFC 7518 §5.3: AES-GCM content encryption (A128GCM, A192GCM, A256GCM). */
import { platform } from '#platform';
import { InvalidArgumentError } from '../core/errors.js';
import { assertSync, decryptionFailed } from './_jwe-shared.js';
import type { ContentEncryption, EncryptedContent } from './jwe-algorithm.js';

/** RFC 7518 §5.3: a 96-bit IV and a 128-bit tag, always. */
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

export function aesGCM(bits: 128 | 192 | 256): ContentEncryption {
  const name = `A${bits}GCM`;
  const cekLength = bits / 8;

  function checkInput(cek: Uint8Array, iv: Uint8Array): void {
    if (cek.length !== cekLength) throw new InvalidArgumentError(`${name} takes a ${cekLength}-byte CEK`);
    if (iv.length !== IV_LENGTH) throw new InvalidArgumentError(`${name} takes a ${IV_LENGTH}-byte IV`);
  }

  /** SECURITY: a CEK, IV or tag of any other length fails like a bad tag (THREATS.md §15). */
  function acceptable(cek: Uint8Array, iv: Uint8Array, tag: Uint8Array): boolean {
    return cek.length === cekLength && iv.length === IV_LENGTH && tag.length === TAG_LENGTH;
  }

  return Object.freeze({
    name,
    cekLength,
    ivLength: IV_LENGTH,
    tagLength: TAG_LENGTH,
    encrypt(cek: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<EncryptedContent> {
      checkInput(cek, iv);
      return platform.aesGCMEncrypt(cek, iv, plaintext, aad);
    },
    encryptSync(cek: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): EncryptedContent {
      assertSync();
      checkInput(cek, iv);
      return platform.aesGCMEncryptSync(cek, iv, plaintext, aad);
    },
    async decrypt(cek: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
      if (!acceptable(cek, iv, tag)) throw decryptionFailed();
      const plaintext = await platform.aesGCMDecrypt(cek, iv, ciphertext, tag, aad);
      if (plaintext === undefined) throw decryptionFailed();
      return plaintext;
    },
    decryptSync(cek: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Uint8Array {
      assertSync();
      if (!acceptable(cek, iv, tag)) throw decryptionFailed();
      const plaintext = platform.aesGCMDecryptSync(cek, iv, ciphertext, tag, aad);
      if (plaintext === undefined) throw decryptionFailed();
      return plaintext;
    },
  });
}
