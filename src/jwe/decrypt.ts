/**
 * Decryption steps shared by every serialization, after the JWE has been parsed strictly:
 * for each recipient in order, crit → pin `alg` and `enc` → resolve the key → unwrap the CEK →
 * decrypt the content; then decompress (RFC 7516 §5.2).
 *
 * SECURITY: every failure to unwrap the CEK or to decrypt the content is the one
 * ERR_JWE_DECRYPTION_FAILED, and an unwrap failure goes on with a random CEK (RFC 7516 §11.5),
 * so neither the code nor the work done tells a bad encrypted key from a bad tag.
 */
import { platform } from '#platform';
import { JWEDecryptionFailedError, JWEInvalidError, TesseraError } from '../core/errors.js';
import type { ContentEncryption, KeyManagement } from '../jwa/jwe-algorithm.js';
import { resolveKeyManagement } from '../jwa/jwe-registry.js';
import type { TesseraKey } from '../jwa/key.js';
import { decompress, decompressSync, limitsOf, type DecryptLimits } from './content.js';
import { checkCrit, ZIP_DEFLATE } from './header.js';
import { pinAndResolve, pinAndResolveSync } from './keys.js';
import type { DecryptKey, DecryptOptions, DecryptResult, JWEHeader } from './types.js';

/** One recipient after strict parsing. */
export interface ParsedRecipient {
  /** The recipient's own (unprotected) header, JSON serializations only. */
  readonly header: JWEHeader | undefined;
  /** Its JOSE header: protected ∪ shared unprotected ∪ its own, names disjoint. */
  readonly joseHeader: Readonly<JWEHeader & { alg: string; enc: string }>;
  readonly encryptedKey: Uint8Array;
}

/** A JWE of any serialization after strict parsing (step 1 of decryption). */
export interface ParsedJWE {
  readonly protectedHeader: Readonly<JWEHeader>;
  readonly sharedUnprotectedHeader: JWEHeader | undefined;
  readonly recipients: readonly ParsedRecipient[];
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
  /** The AAD the content was encrypted with (RFC 7516 §5.1 step 14). */
  readonly aad: Uint8Array;
  /** The decoded `aad` member, JSON serializations only. */
  readonly additionalAuthenticatedData: Uint8Array | undefined;
}

/** Modes that determine the CEK themselves, so one JWE can have only one recipient (RFC 7516 §7.2.1). */
const SINGLE_RECIPIENT_MODES: ReadonlySet<KeyManagement['mode']> = new Set(['direct', 'key-agreement']);

/** True when `km` makes the CEK itself (`dir`, `ECDH-ES`) and so allows one recipient only. */
export function isSingleRecipient(km: KeyManagement): boolean {
  return SINGLE_RECIPIENT_MODES.has(km.mode);
}

/**
 * Rules that concern all recipients together, checked while parsing: one `enc` for the one
 * ciphertext, and no `dir` or `ECDH-ES` among several recipients.
 * @throws ERR_JWE_INVALID
 */
export function checkRecipients(recipients: readonly ParsedRecipient[]): void {
  const first = recipients[0];
  if (first === undefined) throw new JWEInvalidError('a JWE needs at least one recipient');
  if (recipients.length === 1) return;
  for (const r of recipients) {
    if (r.joseHeader.enc !== first.joseHeader.enc) throw new JWEInvalidError('the recipients disagree on "enc"');
    let km: KeyManagement;
    try {
      km = resolveKeyManagement(r.joseHeader.alg);
    } catch {
      continue; // an unsupported alg only makes that recipient unusable (skipped when decrypting)
    }
    if (isSingleRecipient(km)) throw new JWEInvalidError('"dir" and "ECDH-ES" allow only one recipient');
  }
}

/** A successful decryption, before the result object is built. */
export interface Decrypted {
  readonly plaintext: Uint8Array;
  readonly key: TesseraKey;
  readonly index: number;
}

/**
 * Collects why recipients did not decrypt. When none did: every one failed for the same reason
 * that is not a decryption failure (say ERR_ALG_NOT_ALLOWED everywhere) → that error; otherwise
 * the generic ERR_JWE_DECRYPTION_FAILED.
 */
class Failures {
  #errors: TesseraError[] = [];

  /** Records a failure; errors that are not tessera's (a resolver's own) propagate. */
  add(err: unknown): void {
    if (!(err instanceof TesseraError)) throw err;
    this.#errors.push(err);
  }

  error(): TesseraError {
    const first = this.#errors[0];
    if (first !== undefined && this.#errors.every((e) => e.code === first.code)) return first;
    return new JWEDecryptionFailedError('decryption failed');
  }
}

function fail(): never {
  throw new JWEDecryptionFailedError('decryption failed');
}

function isDecryptionFailure(err: unknown): boolean {
  return err instanceof JWEDecryptionFailedError;
}

/** RFC 7516 §11.5: on an unwrap failure, carry on with a random CEK so the content step fails the same way. */
function randomCEK(enc: ContentEncryption): Uint8Array {
  return platform.randomBytes(enc.cekLength);
}

/** Step 4: the CEK, or a random one when the unwrap fails (RFC 7516 §11.5). Shared with route.ts. */
export async function unwrapOrRandom(
  km: KeyManagement,
  enc: ContentEncryption,
  key: TesseraKey,
  encryptedKey: Uint8Array,
  joseHeader: Readonly<JWEHeader>,
  limits: DecryptLimits,
): Promise<Uint8Array> {
  try {
    return await km.unwrap(key, enc, encryptedKey, joseHeader, limits.unwrap);
  } catch (err) {
    if (isDecryptionFailure(err)) return randomCEK(enc);
    throw err;
  }
}

/** Synchronous {@link unwrapOrRandom}. */
export function unwrapOrRandomSync(
  km: KeyManagement,
  enc: ContentEncryption,
  key: TesseraKey,
  encryptedKey: Uint8Array,
  joseHeader: Readonly<JWEHeader>,
  limits: DecryptLimits,
): Uint8Array {
  try {
    return km.unwrapSync(key, enc, encryptedKey, joseHeader, limits.unwrap);
  } catch (err) {
    if (isDecryptionFailure(err)) return randomCEK(enc);
    throw err;
  }
}

/** Steps 2–5 for one recipient: the plaintext (still compressed) and the key, or a throw. */
async function decryptRecipient(
  jwe: ParsedJWE,
  r: ParsedRecipient,
  key: DecryptKey,
  options: DecryptOptions,
  limits: DecryptLimits,
): Promise<{ plaintext: Uint8Array; key: TesseraKey }> {
  checkCrit(r.joseHeader, options.crit);
  const { km, enc, keys } = await pinAndResolve(r.joseHeader, key, options);
  for (const k of keys) {
    const cek = await unwrapOrRandom(km, enc, k, r.encryptedKey, r.joseHeader, limits);
    try {
      return { plaintext: await enc.decrypt(cek, jwe.iv, jwe.ciphertext, jwe.tag, jwe.aad), key: k };
    } catch (err) {
      if (!isDecryptionFailure(err)) throw err;
    }
  }
  return fail();
}

function decryptRecipientSync(
  jwe: ParsedJWE,
  r: ParsedRecipient,
  key: DecryptKey,
  options: DecryptOptions,
  limits: DecryptLimits,
): { plaintext: Uint8Array; key: TesseraKey } {
  checkCrit(r.joseHeader, options.crit);
  const { km, enc, keys } = pinAndResolveSync(r.joseHeader, key, options);
  for (const k of keys) {
    const cek = unwrapOrRandomSync(km, enc, k, r.encryptedKey, r.joseHeader, limits);
    try {
      return { plaintext: enc.decryptSync(cek, jwe.iv, jwe.ciphertext, jwe.tag, jwe.aad), key: k };
    } catch (err) {
      if (!isDecryptionFailure(err)) throw err;
    }
  }
  return fail();
}

function isZipped(jwe: ParsedJWE): boolean {
  // RFC 7516 §4.1.3: only the protected header may carry "zip" (checked while parsing).
  return jwe.protectedHeader.zip === ZIP_DEFLATE;
}

/**
 * Decrypts a parsed JWE: the first recipient, in order, whose key unwraps a CEK that decrypts
 * the content wins. Recipients that fail (alg not allowed, no key, …) are skipped.
 * @throws the one error all recipients failed with, else ERR_JWE_DECRYPTION_FAILED; then
 *   ERR_JWE_DECOMPRESSION_LIMIT, ERR_JWE_INVALID while decompressing
 */
export async function decryptParsed(jwe: ParsedJWE, key: DecryptKey, options: DecryptOptions): Promise<Decrypted> {
  const limits = limitsOf(options);
  const failures = new Failures();
  for (const [index, r] of jwe.recipients.entries()) {
    let out: { plaintext: Uint8Array; key: TesseraKey };
    try {
      out = await decryptRecipient(jwe, r, key, options, limits);
    } catch (err) {
      failures.add(err);
      continue;
    }
    // The content is authentic from here on: a decompression failure is final, not a reason to try another recipient.
    return { plaintext: await decompress(out.plaintext, isZipped(jwe), limits), key: out.key, index };
  }
  throw failures.error();
}

/** Synchronous {@link decryptParsed}. */
export function decryptParsedSync(jwe: ParsedJWE, key: DecryptKey, options: DecryptOptions): Decrypted {
  const limits = limitsOf(options);
  const failures = new Failures();
  for (const [index, r] of jwe.recipients.entries()) {
    let out: { plaintext: Uint8Array; key: TesseraKey };
    try {
      out = decryptRecipientSync(jwe, r, key, options, limits);
    } catch (err) {
      failures.add(err);
      continue;
    }
    return { plaintext: decompressSync(out.plaintext, isZipped(jwe), limits), key: out.key, index };
  }
  throw failures.error();
}

/** The public result for a decrypted recipient. */
export function resultOf(jwe: ParsedJWE, d: Decrypted): DecryptResult {
  const r = jwe.recipients[d.index] as ParsedRecipient;
  const out: { -readonly [K in keyof DecryptResult]: DecryptResult[K] } = {
    plaintext: d.plaintext,
    protectedHeader: jwe.protectedHeader,
    key: d.key,
  };
  if (jwe.sharedUnprotectedHeader !== undefined) out.sharedUnprotectedHeader = jwe.sharedUnprotectedHeader;
  if (r.header !== undefined) out.unprotectedHeader = r.header;
  if (jwe.additionalAuthenticatedData !== undefined) out.additionalAuthenticatedData = jwe.additionalAuthenticatedData;
  return out;
}
