/**
 * RFC 7518 §5.2: AES_CBC_HMAC_SHA2 content encryption (A128CBC-HS256, A192CBC-HS384, A256CBC-HS512),
 * composed from the platform's AES-CBC and HMAC.
 */
import { platform } from '#platform';
import { uint64BE } from '../core/bytes.js';
import { InvalidArgumentError } from '../core/errors.js';
import { assertSync, decryptionFailed } from './_jwe-shared.js';
import type { ContentEncryption, EncryptedContent } from './jwe-algorithm.js';
import type { HashName } from './types.js';

const IV_LENGTH = 16;
const BLOCK = 16;

export function aesCBCHS(bits: 128 | 192 | 256): ContentEncryption {
  const name = `A${bits}CBC-HS${bits * 2}`;
  const hash: HashName = `SHA-${bits * 2}` as HashName;
  // RFC 7518 §5.2.3–5.2.5: K is MAC_KEY || ENC_KEY, each half as long; T_LEN is the half length too.
  const half = bits / 8;
  const cekLength = half * 2;

  function split(cek: Uint8Array): { macKey: Uint8Array; encKey: Uint8Array } {
    // RFC 7518 §5.2.2.1: MAC_KEY is the first half of K, ENC_KEY the second.
    return { macKey: cek.subarray(0, half), encKey: cek.subarray(half) };
  }

  /** RFC 7518 §5.2.2.1: the MAC input is A || IV || E || AL, AL the 64-bit big-endian bit length of A. */
  function macInput(aad: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array[] {
    return [aad, iv, ciphertext, uint64BE(aad.length * 8)];
  }

  function checkInput(cek: Uint8Array, iv: Uint8Array): void {
    if (cek.length !== cekLength) throw new InvalidArgumentError(`${name} takes a ${cekLength}-byte CEK`);
    if (iv.length !== IV_LENGTH) throw new InvalidArgumentError(`${name} takes a ${IV_LENGTH}-byte IV`);
  }

  /** SECURITY: every length that cannot be right fails like a bad tag (THREATS.md §13). */
  function acceptable(cek: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): boolean {
    return cek.length === cekLength && iv.length === IV_LENGTH && tag.length === half && ciphertext.length > 0 && ciphertext.length % BLOCK === 0;
  }

  /** SECURITY: constant-time comparison of the first T_LEN bytes of the MAC (RFC 7518 §5.2.2.2). */
  function tagMatches(mac: Uint8Array, tag: Uint8Array): boolean {
    return platform.timingSafeEqual(mac.subarray(0, half), tag);
  }

  return Object.freeze({
    name,
    cekLength,
    ivLength: IV_LENGTH,
    tagLength: half,
    async encrypt(cek: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<EncryptedContent> {
      checkInput(cek, iv);
      const { macKey, encKey } = split(cek);
      const ciphertext = await platform.aesCBCEncrypt(encKey, iv, plaintext);
      const mac = await platform.hmac(hash, macKey, macInput(aad, iv, ciphertext));
      return { ciphertext, tag: mac.slice(0, half) };
    },
    encryptSync(cek: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): EncryptedContent {
      assertSync();
      checkInput(cek, iv);
      const { macKey, encKey } = split(cek);
      const ciphertext = platform.aesCBCEncryptSync(encKey, iv, plaintext);
      const mac = platform.hmacSync(hash, macKey, macInput(aad, iv, ciphertext));
      return { ciphertext, tag: mac.slice(0, half) };
    },
    async decrypt(cek: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
      if (!acceptable(cek, iv, ciphertext, tag)) throw decryptionFailed();
      const { macKey, encKey } = split(cek);
      // SECURITY: the MAC is checked before anything is decrypted, so padding is never an oracle.
      const mac = await platform.hmac(hash, macKey, macInput(aad, iv, ciphertext));
      if (!tagMatches(mac, tag)) throw decryptionFailed();
      const plaintext = await platform.aesCBCDecrypt(encKey, iv, ciphertext);
      if (plaintext === undefined) throw decryptionFailed();
      return plaintext;
    },
    decryptSync(cek: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Uint8Array {
      assertSync();
      if (!acceptable(cek, iv, ciphertext, tag)) throw decryptionFailed();
      const { macKey, encKey } = split(cek);
      const mac = platform.hmacSync(hash, macKey, macInput(aad, iv, ciphertext));
      if (!tagMatches(mac, tag)) throw decryptionFailed();
      const plaintext = platform.aesCBCDecryptSync(encKey, iv, ciphertext);
      if (plaintext === undefined) throw decryptionFailed();
      return plaintext;
    },
  });
}
