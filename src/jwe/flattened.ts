/**
 * Flattened JWE JSON Serialization (RFC 7516 §7.2.2): one recipient, with optional shared and
 * per-recipient unprotected headers and additional authenticated data (`aad`).
 *
 * Decryption order (SECURITY): parse strictly → crit → pin `alg` and `enc` → resolve the key →
 * unwrap the CEK → decrypt → decompress.
 */
import { JWEInvalidError } from '../core/errors.js';
import type { JSONObject } from '../core/json.js';
import type { TesseraKey } from '../jwa/key.js';
import { importKey, importKeySync, type KeyInput } from '../jwk/import.js';
import { assertSync } from './content.js';
import { decryptParsed, decryptParsedSync, resultOf, type ParsedJWE } from './decrypt.js';
import { encryptWithPlan, encryptWithPlanSync, type EncryptPlan } from './encrypt.js';
import {
  flattenedOf,
  hasMember,
  parseRecipient,
  parseShared,
  planJSON,
  readJWEObject,
  type FlattenedJWE,
  type JSONEncryptOptions,
} from './json-common.js';
import type { DecryptKey, DecryptOptions, DecryptResult, JWELimits } from './types.js';

/**
 * Parses a flattened JWE strictly (step 1 of decryption).
 * It decrypts nothing: the headers it returns are not yet authenticated.
 * @example
 * const { protectedHeader, recipients } = parseFlattenedJWE(jweText);
 * @throws ERR_JWE_INVALID, ERR_TOKEN_TOO_LARGE, ERR_JSON_*, ERR_HEADER_*, ERR_CRIT_INVALID, ERR_BASE64URL_INVALID
 */
export function parseFlattenedJWE(jwe: unknown, options: JWELimits = {}): ParsedJWE {
  const obj: JSONObject = readJWEObject(jwe, options);
  // RFC 7516 §7.2.2: the flattened syntax has no "recipients" member.
  if (hasMember(obj, 'recipients')) throw new JWEInvalidError('a flattened JWE must not have "recipients"');
  const shared = parseShared(obj, options);
  return { ...shared, recipients: [parseRecipient(obj, shared)] };
}

/**
 * Decrypts a flattened JWE JSON Serialization, given as an object or as its JSON text.
 *
 * Verifies: the structure, `alg` and `enc` against the allow-lists, `crit`, the tag over the
 * protected header, the `aad` and the ciphertext. Does NOT protect: the unprotected headers
 * (`result.sharedUnprotectedHeader`, `result.unprotectedHeader`), whose members only help find
 * the key; `alg` may come from them, and is always pinned to the allow-list.
 * @example
 * const { plaintext, additionalAuthenticatedData } = await decryptFlattenedJWE(jwe, privateJWK, { algorithms: ['RSA-OAEP-256'] });
 * @throws as decryptJWE
 */
export async function decryptFlattenedJWE(jwe: unknown, key: DecryptKey, options: DecryptOptions = {}): Promise<DecryptResult> {
  const parsed = parseFlattenedJWE(jwe, options);
  return resultOf(parsed, await decryptParsed(parsed, key, options));
}

/**
 * Synchronous {@link decryptFlattenedJWE} (Node's node:crypto backend only).
 * @example
 * const { plaintext } = decryptFlattenedJWESync(jwe, secret, { algorithms: ['A256KW'] });
 * @throws as decryptJWE, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function decryptFlattenedJWESync(jwe: unknown, key: DecryptKey, options: DecryptOptions = {}): DecryptResult {
  assertSync();
  const parsed = parseFlattenedJWE(jwe, options);
  return resultOf(parsed, decryptParsedSync(parsed, key, options));
}

function plan(key: TesseraKey, options: JSONEncryptOptions): EncryptPlan {
  if (typeof options !== 'object' || options === null) throw new JWEInvalidError('"enc" is required');
  const { unprotectedHeader, alg, apu, apv, p2c } = options;
  return planJSON([{ key, alg, header: unprotectedHeader, apu, apv, p2c }], options, 'protected');
}

/**
 * Encrypts a plaintext as a flattened JWE JSON Serialization. `alg` and `enc` go in the
 * protected header unless given in an unprotected one; the key-management parameters go in
 * `header` unless `keyManagementParameters: 'protected'`.
 * @example
 * const jwe = await encryptFlattenedJWE('hello', publicJWK, {
 *   alg: 'ECDH-ES+A128KW', enc: 'A128GCM', unprotectedHeader: { kid: 'k1' }, aad: 'context',
 * });
 * // { protected: 'eyJhbGciOi…', header: { kid: 'k1', epk: {…} }, encrypted_key, aad, iv, ciphertext, tag }
 * @throws as encryptJWE; ERR_JWE_INVALID when header names are not disjoint or `zip` is not protected
 */
export async function encryptFlattenedJWE(plaintext: Uint8Array | string, key: KeyInput, options: JSONEncryptOptions): Promise<FlattenedJWE> {
  return flattenedOf(await encryptWithPlan(plan(await importKey(key), options), plaintext));
}

/**
 * Synchronous {@link encryptFlattenedJWE} (Node only).
 * @example
 * const jwe = encryptFlattenedJWESync('hello', secret, { alg: 'A256KW', enc: 'A256CBC-HS512' });
 * @throws as encryptFlattenedJWE, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function encryptFlattenedJWESync(plaintext: Uint8Array | string, key: KeyInput, options: JSONEncryptOptions): FlattenedJWE {
  assertSync();
  return flattenedOf(encryptWithPlanSync(plan(importKeySync(key), options), plaintext));
}
