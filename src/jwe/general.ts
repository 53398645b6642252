/**
 * General JWE JSON Serialization (RFC 7516 §7.2.1): one ciphertext, several recipients, each
 * with its own encrypted key and header, plus a shared protected header, a shared unprotected
 * header and `aad`.
 *
 * Decryption (SECURITY): the whole object and every recipient's headers are parsed strictly
 * first (a malformed recipient makes the whole JWE invalid). Then each recipient in turn goes
 * through crit → pin `alg` and `enc` → resolve the key → unwrap → decrypt; the first that
 * decrypts wins, and the result says which recipient and key it was.
 */
import { InvalidArgumentError, JWEInvalidError } from '../core/errors.js';
import { isJSONObject, type JSONObject } from '../core/json.js';
import { importKey, importKeySync } from '../jwk/import.js';
import { assertSync } from './content.js';
import { checkRecipients, decryptParsed, decryptParsedSync, resultOf, type Decrypted, type ParsedJWE } from './decrypt.js';
import { MAX_RECIPIENTS, encryptWithPlan, encryptWithPlanSync, type EncryptPlan } from './encrypt.js';
import {
  generalOf,
  hasMember,
  parseRecipient,
  parseShared,
  planJSON,
  readJWEObject,
  type GeneralDecryptResult,
  type GeneralEncryptOptions,
  type GeneralJWE,
  type GeneralRecipient,
  type ImportedRecipient,
} from './json-common.js';
import type { DecryptKey, DecryptOptions, JWELimits } from './types.js';

/**
 * Parses a general JWE strictly (step 1 of decryption), every recipient included.
 * It decrypts nothing: the headers it returns are not yet authenticated.
 * @example
 * const { recipients } = parseGeneralJWE(jwe); // recipients[i].joseHeader.alg, .kid
 * @throws ERR_JWE_INVALID, ERR_TOKEN_TOO_LARGE, ERR_JSON_*, ERR_HEADER_*, ERR_CRIT_INVALID, ERR_BASE64URL_INVALID
 */
export function parseGeneralJWE(jwe: unknown, options: JWELimits = {}): ParsedJWE {
  const obj: JSONObject = readJWEObject(jwe, options);
  // RFC 7516 §7.2.1: these members live in the "recipients" entries of the general syntax.
  for (const name of ['header', 'encrypted_key']) {
    if (hasMember(obj, name)) throw new JWEInvalidError(`a general JWE must not have a top-level "${name}"`);
  }
  const list = obj.recipients;
  if (!Array.isArray(list) || list.length === 0) throw new JWEInvalidError('"recipients" must be a non-empty array');
  if (list.length > MAX_RECIPIENTS) throw new JWEInvalidError(`a JWE may have at most ${MAX_RECIPIENTS} recipients`);
  const shared = parseShared(obj, options);
  const recipients = list.map((entry: unknown) => {
    if (!isJSONObject(entry)) throw new JWEInvalidError('each entry of "recipients" must be an object');
    return parseRecipient(entry, shared);
  });
  checkRecipients(recipients);
  return { ...shared, recipients };
}

function result(parsed: ParsedJWE, d: Decrypted): GeneralDecryptResult {
  return { ...resultOf(parsed, d), recipientIndex: d.index };
}

/**
 * Decrypts a general JWE JSON Serialization (object or JSON text): the first recipient, in
 * order, whose key decrypts wins. Recipients whose `alg` is not allowed, whose `crit` is not
 * understood, or for which no key matches are skipped.
 *
 * Verifies: the tag over the protected header, the `aad` and the ciphertext, with the CEK of one
 * recipient. Does NOT protect: the unprotected headers. `recipientIndex` says which recipient
 * decrypted, `key` with which key; `unprotectedHeader` is that recipient's header.
 * @example
 * const { plaintext, recipientIndex } = await decryptGeneralJWE(jwe, createLocalJWKSet(privateJWKS, { allowPrivate: true }));
 * @throws as decryptJWE; when no recipient decrypts, ERR_JWE_DECRYPTION_FAILED or the one error
 *   every recipient failed with (e.g. ERR_ALG_NOT_ALLOWED, ERR_JWKS_NO_MATCHING_KEY)
 */
export async function decryptGeneralJWE(jwe: unknown, key: DecryptKey, options: DecryptOptions = {}): Promise<GeneralDecryptResult> {
  const parsed = parseGeneralJWE(jwe, options);
  return result(parsed, await decryptParsed(parsed, key, options));
}

/**
 * Synchronous {@link decryptGeneralJWE} (Node's node:crypto backend only).
 * @example
 * const { plaintext, recipientIndex } = decryptGeneralJWESync(jwe, secret, { algorithms: ['A128KW'] });
 * @throws as decryptGeneralJWE, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function decryptGeneralJWESync(jwe: unknown, key: DecryptKey, options: DecryptOptions = {}): GeneralDecryptResult {
  assertSync();
  const parsed = parseGeneralJWE(jwe, options);
  return result(parsed, decryptParsedSync(parsed, key, options));
}

function checkRecipientList(recipients: readonly GeneralRecipient[]): void {
  if (!Array.isArray(recipients) || recipients.length === 0) throw new InvalidArgumentError('give at least one recipient');
  if (recipients.length > MAX_RECIPIENTS) throw new JWEInvalidError(`a JWE may have at most ${MAX_RECIPIENTS} recipients`);
  for (const r of recipients) {
    if (typeof r !== 'object' || r === null) throw new InvalidArgumentError('each recipient must be an object { key, alg?, header? }');
  }
}

function plan(recipients: readonly ImportedRecipient[], options: GeneralEncryptOptions): EncryptPlan {
  return planJSON(recipients, options, options?.keyManagementParameters === 'protected' ? 'protected' : 'header');
}

/**
 * Encrypts a plaintext for several recipients as a general JWE JSON Serialization: one random
 * CEK, wrapped for each recipient with its own algorithm. Each recipient's `alg` and
 * key-management parameters go in its `header`; `enc` (and `zip`) in the protected header.
 * `dir` and `ECDH-ES` (which determine the CEK) allow a single recipient only.
 * @example
 * const jwe = await encryptGeneralJWE('hello', [
 *   { key: rsaPublicJWK, alg: 'RSA-OAEP-256', header: { kid: 'rsa-1' } },
 *   { key: ecPublicJWK, alg: 'ECDH-ES+A256KW', header: { kid: 'ec-1' } },
 * ], { enc: 'A256GCM', sharedUnprotectedHeader: { cty: 'text/plain' } });
 * @throws as encryptFlattenedJWE; ERR_JWE_INVALID for `dir`/`ECDH-ES` with several recipients or
 *   more than 16 recipients
 */
export async function encryptGeneralJWE(
  plaintext: Uint8Array | string,
  recipients: readonly GeneralRecipient[],
  options: GeneralEncryptOptions,
): Promise<GeneralJWE> {
  checkRecipientList(recipients);
  const imported: ImportedRecipient[] = [];
  for (const r of recipients) imported.push({ ...r, key: await importKey(r.key) });
  return generalOf(await encryptWithPlan(plan(imported, options), plaintext));
}

/**
 * Synchronous {@link encryptGeneralJWE} (Node only).
 * @example
 * const jwe = encryptGeneralJWESync('hello', [{ key: k1, alg: 'A128KW' }, { key: k2, alg: 'A256KW' }], { enc: 'A128GCM' });
 * @throws as encryptGeneralJWE, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function encryptGeneralJWESync(
  plaintext: Uint8Array | string,
  recipients: readonly GeneralRecipient[],
  options: GeneralEncryptOptions,
): GeneralJWE {
  assertSync();
  checkRecipientList(recipients);
  const imported = recipients.map((r) => ({ ...r, key: importKeySync(r.key) }));
  return generalOf(encryptWithPlanSync(plan(imported, options), plaintext));
}
