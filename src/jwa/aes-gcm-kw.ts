/** RFC 7518 §4.7: key wrapping with AES-GCM (A128GCMKW, A192GCMKW, A256GCMKW). */
import { platform } from '#platform';
import { encodeBase64URL } from '../core/base64url.js';
import { InvalidArgumentError } from '../core/errors.js';
import { assertSync, cekFor, checkedCEK, decryptionFailed, EMPTY, headerBytes, requireKey } from './_jwe-shared.js';
import type { ContentEncryption, KeyManagement, WrapInput, WrapResult } from './jwe-algorithm.js';
import type { TesseraKey } from './key.js';
import type { AEADOutput } from './platform/types.js';

/** RFC 7518 §4.7.1.1–2: a 96-bit IV and a 128-bit tag, in the `iv` and `tag` header parameters. */
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

function ivFor(input: WrapInput): Uint8Array {
  if (input.kwIV === undefined) return platform.randomBytes(IV_LENGTH);
  if (input.kwIV.length !== IV_LENGTH) throw new InvalidArgumentError(`the key-wrap IV must be ${IV_LENGTH} bytes`);
  return input.kwIV;
}

function result(cek: Uint8Array, iv: Uint8Array, out: AEADOutput): WrapResult {
  return { cek, encryptedKey: out.ciphertext, parameters: { iv: encodeBase64URL(iv), tag: encodeBase64URL(out.tag) } };
}

/** The `iv` and `tag` of the header. SECURITY: wrong lengths fail like a bad tag (THREATS.md §15). */
function ivAndTag(header: Readonly<Record<string, unknown>>): { iv: Uint8Array; tag: Uint8Array } {
  const iv = headerBytes(header, 'iv', true) as Uint8Array;
  const tag = headerBytes(header, 'tag', true) as Uint8Array;
  if (iv.length !== IV_LENGTH || tag.length !== TAG_LENGTH) throw decryptionFailed();
  return { iv, tag };
}

export function aesGCMKW(bits: 128 | 192 | 256): KeyManagement {
  const km: KeyManagement = Object.freeze({
    name: `A${bits}GCMKW`,
    mode: 'key-wrap',
    family: 'oct',
    curves: undefined,
    keyBits: bits,
    generate: Object.freeze({ kty: 'oct', bytes: bits / 8 }),
    explicitOnly: false,
    async wrap(key: TesseraKey, enc: ContentEncryption, input: WrapInput): Promise<WrapResult> {
      requireKey(km, key, 'encrypt');
      const cek = cekFor(enc, input);
      const iv = ivFor(input);
      // RFC 7518 §4.7: the CEK is the plaintext, with empty additional authenticated data.
      return result(cek, iv, await platform.aesGCMEncrypt(key.imported, iv, cek, EMPTY));
    },
    wrapSync(key: TesseraKey, enc: ContentEncryption, input: WrapInput): WrapResult {
      assertSync();
      requireKey(km, key, 'encrypt');
      const cek = cekFor(enc, input);
      const iv = ivFor(input);
      return result(cek, iv, platform.aesGCMEncryptSync(key.imported, iv, cek, EMPTY));
    },
    async unwrap(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array, header: Readonly<Record<string, unknown>>): Promise<Uint8Array> {
      requireKey(km, key, 'decrypt');
      const { iv, tag } = ivAndTag(header);
      return checkedCEK(await platform.aesGCMDecrypt(key.imported, iv, encryptedKey, tag, EMPTY), enc);
    },
    unwrapSync(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array, header: Readonly<Record<string, unknown>>): Uint8Array {
      assertSync();
      requireKey(km, key, 'decrypt');
      const { iv, tag } = ivAndTag(header);
      return checkedCEK(platform.aesGCMDecryptSync(key.imported, iv, encryptedKey, tag, EMPTY), enc);
    },
  });
  return km;
}
