/**
 * JWE Compact Serialization (RFC 7516 §7.1): BASE64URL(UTF8(JWE Protected Header)) '.'
 * BASE64URL(JWE Encrypted Key) '.' BASE64URL(IV) '.' BASE64URL(Ciphertext) '.' BASE64URL(Tag).
 *
 * Decryption order (SECURITY): parse strictly → crit → pin `alg` and `enc` to their allow-lists →
 * resolve the key → unwrap the CEK → decrypt → decompress. Nothing of the plaintext is looked at
 * before the tag verifies.
 */
import { decodeBase64URL, encodeBase64URL } from '../core/base64url.js';
import { InvalidArgumentError, JWEInvalidError, TokenTooLargeError } from '../core/errors.js';
import { TesseraKey } from '../jwa/key.js';
import { importKey, importKeySync, type KeyInput } from '../jwk/import.js';
import { assertSync, contentAAD } from './content.js';
import { checkRecipients, decryptParsed, decryptParsedSync, resultOf, type ParsedJWE } from './decrypt.js';
import {
  agreed,
  copyHeader,
  encryptWithPlan,
  encryptWithPlanSync,
  finishPlan,
  orderedHeader,
  planEnc,
  planRecipient,
  planZip,
  type EncryptPlan,
  type Encrypted,
} from './encrypt.js';
import { DEFAULT_MAX_HEADER_LENGTH, DEFAULT_MAX_TOKEN_LENGTH, joseHeaderOf, protectedHeaderOf } from './header.js';
import { open, openSync } from './route.js';
import { preparePlain } from './route-cache.js';
import type { DecryptKey, DecryptOptions, DecryptResult, EncryptOptions, JWELimits } from './types.js';

/**
 * Splits and parses a compact JWE strictly (step 1 of decryption): five parts, strict
 * base64url, a protected header that is a JSON object without duplicates, with `alg` and `enc`.
 * It decrypts nothing: use it to read the (unauthenticated) header, e.g. to route a token.
 * @example
 * const { protectedHeader } = parseCompactJWE(token); // protectedHeader.kid, .alg, .enc
 * @throws ERR_TOKEN_TOO_LARGE, ERR_JWE_INVALID, ERR_HEADER_*, ERR_CRIT_INVALID, ERR_JSON_*,
 *   ERR_BASE64URL_INVALID
 */
export function parseCompactJWE(token: unknown, options: JWELimits = {}): ParsedJWE {
  if (typeof token !== 'string') throw new JWEInvalidError('a compact JWE must be a string');
  // SECURITY: size is checked before anything is split or decoded (THREATS.md §26).
  if (token.length > (options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH)) {
    throw new TokenTooLargeError('the token is longer than the allowed maximum');
  }
  const parts = token.split('.');
  // RFC 7516 §7.1: exactly five parts (a compact JWS has three, and is refused here: THREATS.md §18).
  if (parts.length !== 5) throw new JWEInvalidError('a compact JWE has exactly five parts');
  const [encoded, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  if (encoded === '') throw new JWEInvalidError('a compact JWE needs a protected header');
  const protectedHeader = protectedHeaderOf(encoded, options.maxHeaderLength ?? DEFAULT_MAX_HEADER_LENGTH);
  const parsed: ParsedJWE = {
    protectedHeader,
    sharedUnprotectedHeader: undefined,
    recipients: [
      {
        header: undefined,
        joseHeader: joseHeaderOf(protectedHeader, undefined, undefined),
        encryptedKey: decodeBase64URL(encryptedKey, 'encrypted key'),
      },
    ],
    iv: decodeBase64URL(iv, 'iv'),
    ciphertext: decodeBase64URL(ciphertext, 'ciphertext'),
    tag: decodeBase64URL(tag, 'tag'),
    aad: contentAAD(encoded, undefined),
    additionalAuthenticatedData: undefined,
  };
  checkRecipients(parsed.recipients);
  return parsed;
}

/**
 * Decrypts a compact JWE.
 *
 * Verifies: the structure, strict encodings, `alg` and `enc` against the allow-lists, `crit`,
 * the tag over the protected header and the ciphertext. Does NOT verify: anything inside the
 * plaintext (see the JWT layer for claims).
 * @example
 * const { plaintext, protectedHeader } = await decryptJWE(token, privateJWK, { algorithms: ['ECDH-ES+A256KW'] });
 * new TextDecoder().decode(plaintext);
 * @throws ERR_JWE_INVALID, ERR_TOKEN_TOO_LARGE, ERR_HEADER_*, ERR_CRIT_*, ERR_JSON_*,
 *   ERR_BASE64URL_INVALID, ERR_ALG_NOT_ALLOWED, ERR_ALG_UNSUPPORTED, ERR_ALG_REQUIRED, ERR_KEY_*,
 *   ERR_JWKS_*, ERR_PBES2_COUNT, ERR_JWE_EPK_INVALID, ERR_JWE_DECRYPTION_FAILED,
 *   ERR_JWE_DECOMPRESSION_LIMIT, ERR_INVALID_ARGUMENT (bad limits)
 */
export function decryptJWE(token: string, key: DecryptKey, options: DecryptOptions = {}): Promise<DecryptResult> {
  // The common case (an imported key, a token the checks accept) takes a route (route.ts). Not an
  // async function, so the route's promise is returned as is, not wrapped in another: preparePlain
  // never throws (anything it cannot take is undefined) and open() only rejects.
  const prepared = key instanceof TesseraKey ? preparePlain(token, key, options) : undefined;
  if (prepared !== undefined) return open(prepared.route, prepared.parts);
  return decryptGeneral(token, key, options);
}

async function decryptGeneral(token: string, key: DecryptKey, options: DecryptOptions): Promise<DecryptResult> {
  const parsed = parseCompactJWE(token, options);
  return resultOf(parsed, await decryptParsed(parsed, key, options));
}

/**
 * Synchronous {@link decryptJWE} (Node's node:crypto backend only).
 * @example
 * const { plaintext } = decryptJWESync(token, secret, { algorithms: ['dir'], encryptions: ['A256GCM'] });
 * @throws as decryptJWE, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function decryptJWESync(token: string, key: DecryptKey, options: DecryptOptions = {}): DecryptResult {
  assertSync();
  const prepared = key instanceof TesseraKey ? preparePlain(token, key, options) : undefined;
  if (prepared !== undefined) return openSync(prepared.route, prepared.parts);
  const parsed = parseCompactJWE(token, options);
  return resultOf(parsed, decryptParsedSync(parsed, key, options));
}

/**
 * @internal the plan of a compact encryption: everything in the protected header, member order
 * `alg`, `enc`, `zip`, then the caller's, then the key-management parameters.
 */
export function planCompact(key: TesseraKey, options: EncryptOptions): EncryptPlan {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options with "enc" are required');
  const given = copyHeader(options.protectedHeader, 'protectedHeader');
  const recipient = planRecipient(key, agreed('alg', options.alg, given?.alg), undefined, options);
  const enc = planEnc(agreed('enc', options.enc, given?.enc));
  const zip = planZip(options.zip, given?.zip);
  return finishPlan({
    enc,
    protectedHeader: orderedHeader({ alg: recipient.km.name, enc: enc.name, zip: zip ? 'DEF' : undefined }, given),
    sharedUnprotectedHeader: undefined,
    recipients: [recipient],
    parameters: 'protected',
    zip,
    aad: undefined,
  });
}

/** Plans of recent encryptions, per key (see {@link planOf}). */
const plans = new WeakMap<TesseraKey, Map<string, EncryptPlan>>();
const MAX_PLANS_PER_KEY = 16;

/**
 * What a compact plan depends on besides the key, as one string; undefined when the options are
 * not of the plain kinds this cache takes (apu/apv bytes, values of unexpected types), which are
 * planned afresh. A plan is a function of the key, `alg`, `enc`, `zip`, `p2c`, `apu`, `apv` and
 * the JSON of `protectedHeader` (planCompact works on a JSON copy of it), so equal strings mean
 * equal plans.
 */
function planKey(options: EncryptOptions): string | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  const { alg, enc, zip, p2c, apu, apv, protectedHeader } = options;
  if (apu !== undefined || apv !== undefined || typeof enc !== 'string') return undefined;
  if ((alg !== undefined && typeof alg !== 'string') || (zip !== undefined && typeof zip !== 'string')) return undefined;
  // JSON writes NaN and Infinity as null: only integers (or none) are cached.
  if (p2c !== undefined && !Number.isSafeInteger(p2c)) return undefined;
  if (protectedHeader !== undefined && (typeof protectedHeader !== 'object' || protectedHeader === null || Array.isArray(protectedHeader))) {
    return undefined;
  }
  try {
    // In an array, undefined is written null; null itself was refused above, so the two never meet.
    return JSON.stringify([alg, enc, zip, p2c, protectedHeader]);
  } catch {
    return undefined;
  }
}

/**
 * {@link planCompact}, remembered per key for the plain functions, which otherwise rebuild and
 * re-check the same header on every call (a factory plans once). Plans are frozen; only plans that
 * were built without error are kept, so every error still comes from planCompact.
 */
function planOf(key: TesseraKey, options: EncryptOptions): EncryptPlan {
  const id = planKey(options);
  if (id === undefined) return planCompact(key, options);
  let forKey = plans.get(key);
  const hit = forKey?.get(id);
  if (hit !== undefined) return hit;
  const plan = planCompact(key, options);
  if (forKey === undefined) {
    forKey = new Map();
    plans.set(key, forKey);
  } else if (forKey.size >= MAX_PLANS_PER_KEY) {
    forKey.delete(forKey.keys().next().value as string);
  }
  forKey.set(id, plan);
  return plan;
}

/** @internal the compact layout. */
export function compactOf(e: Encrypted): string {
  const r = e.recipients[0] as Encrypted['recipients'][number];
  return `${e.encodedProtected}.${encodeBase64URL(r.encryptedKey)}.${encodeBase64URL(e.iv)}.${encodeBase64URL(e.ciphertext)}.${encodeBase64URL(e.tag)}`;
}

/**
 * Encrypts a plaintext as a compact JWE. The CEK and IV are fresh random values for each call.
 * @example
 * const token = await encryptJWE('{"sub":"ada"}', recipientPublicJWK, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' });
 * @throws ERR_ALG_REQUIRED, ERR_ALG_UNSUPPORTED, ERR_JWE_INVALID (missing `enc`, `zip` not "DEF"),
 *   ERR_KEY_*, ERR_HEADER_INVALID, ERR_CRIT_INVALID, ERR_PBES2_COUNT, ERR_INVALID_ARGUMENT,
 *   ERR_PLATFORM_UNSUPPORTED
 */
export async function encryptJWE(plaintext: Uint8Array | string, key: KeyInput, options: EncryptOptions): Promise<string> {
  const plan = planOf(await importKey(key), options);
  return compactOf(await encryptWithPlan(plan, plaintext));
}

/**
 * Synchronous {@link encryptJWE} (Node only).
 * @example
 * const token = encryptJWESync(bytes, secret, { alg: 'dir', enc: 'A256GCM' });
 * @throws as encryptJWE, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function encryptJWESync(plaintext: Uint8Array | string, key: KeyInput, options: EncryptOptions): string {
  assertSync();
  const plan = planOf(importKeySync(key), options);
  return compactOf(encryptWithPlanSync(plan, plaintext));
}
