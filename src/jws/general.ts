/**
 * General JWS JSON Serialization (RFC 7515 §7.2.1): one payload, several signatures.
 *
 * Verification (SECURITY): the whole object and every signature's headers are parsed strictly
 * first (a malformed signature makes the whole JWS invalid, and RFC 7797 §3 needs every `b64`
 * to compare them). Then each signature in turn goes through crit → pin `alg` → resolve the key
 * → verify; the first that verifies wins, and the result carries only that signature's headers
 * and says which signature and key verified (THREATS.md §18, go-jose CVE-2016-9122).
 */
import { InvalidArgumentError, JWSInvalidError, JWSSignatureInvalidError, TesseraError } from '../core/errors.js';
import { isJSONObject, type JSONObject } from '../core/json.js';
import { importKey, importKeySync, type KeyInput } from '../jwk/import.js';
import {
  MAX_SIGNATURES,
  assertSync,
  hasMember,
  parseSignature,
  payloadParts,
  prepareJSONSigner,
  readJWSObject,
  resultOf,
  signatureJSON,
  signerInput,
  signingPayload,
  verifySignature,
  verifySignatureSync,
  type GeneralJWS,
  type GeneralVerifyResult,
  type JSONSignOptions,
  type JSONSigner,
  type ParsedSignature,
  type PayloadParts,
  type Verified,
} from './json-common.js';
import { signBytes, signBytesSync } from './signing-input.js';
import type { VerifyKey, VerifyOptions } from './types.js';

/** One signer of a general JWS. */
export interface GeneralSigner {
  readonly key: KeyInput;
  /** Options for this signature. `detached` is not allowed here: give it once, to signGeneralJWS. */
  readonly options?: JSONSignOptions;
}

/** Options of signGeneralJWS. */
export interface GeneralSignOptions {
  /** Leave the payload out of the output (RFC 7515 Appendix F). */
  readonly detached?: boolean;
}

interface ParsedGeneral {
  readonly signatures: ParsedSignature[];
  readonly parts: PayloadParts;
}

/** Step 1 for the whole JWS. */
function parseGeneral(jws: unknown, options: VerifyOptions): ParsedGeneral {
  const obj: JSONObject = readJWSObject(jws, options);
  // RFC 7515 §7.2.1: these members live in the "signatures" entries of the general syntax.
  for (const name of ['signature', 'protected', 'header']) {
    if (hasMember(obj, name)) throw new JWSInvalidError(`a general JWS must not have a top-level "${name}"`);
  }
  const list = obj.signatures;
  if (!Array.isArray(list) || list.length === 0) throw new JWSInvalidError('"signatures" must be a non-empty array');
  if (list.length > MAX_SIGNATURES) throw new JWSInvalidError(`a JWS may carry at most ${MAX_SIGNATURES} signatures`);
  const signatures = list.map((entry: unknown) => {
    if (!isJSONObject(entry)) throw new JWSInvalidError('each entry of "signatures" must be an object');
    return parseSignature(entry, options);
  });
  const b64 = (signatures[0] as ParsedSignature).b64;
  // RFC 7797 §3: the "b64" value MUST be the same for all signatures of a JWS.
  if (signatures.some((s) => s.b64 !== b64)) throw new JWSInvalidError('the signatures disagree on "b64"');
  return { signatures, parts: payloadParts(obj, b64, options) };
}

/**
 * Collects why signatures did not verify. When none verified: every one failed for the same
 * reason that is not a bad signature (say `alg: none` everywhere) → that error; otherwise the
 * generic ERR_JWS_SIGNATURE_INVALID.
 */
class Failures {
  #errors: TesseraError[] = [];
  #badSignature = false;

  /** Records a non-signature failure; errors that are not tessera's (a resolver's own) propagate. */
  skip(err: unknown): void {
    if (!(err instanceof TesseraError)) throw err;
    this.#errors.push(err);
  }

  badSignature(): void {
    this.#badSignature = true;
  }

  error(): TesseraError {
    const first = this.#errors[0];
    if (!this.#badSignature && first !== undefined && this.#errors.every((e) => e.code === first.code)) return first;
    return new JWSSignatureInvalidError('no signature verifies');
  }
}

function result(parsed: ParsedGeneral, index: number, verified: NonNullable<Verified>): GeneralVerifyResult {
  return { ...resultOf(parsed.signatures[index] as ParsedSignature, parsed.parts, verified), signatureIndex: index };
}

/**
 * Verifies a general JWS JSON Serialization (object or JSON text): the first signature, in
 * order, that verifies with the given key(s) wins. Signatures whose `alg` is not allowed, whose
 * `crit` is not understood, or for which no key matches are skipped.
 *
 * Verifies: one signature, over its protected header and the payload. Does NOT verify: the other
 * signatures, or any unprotected header. The result's `protectedHeader` and `unprotectedHeader`
 * are those of the signature that verified, `signatureIndex` its position, `key` its key.
 * @example
 * const keys = createLocalJWKSet(jwks);
 * const { payload, signatureIndex, key } = await verifyGeneralJWS(jws, keys);
 * @throws as verifyFlattenedJWS; when no signature verifies, ERR_JWS_SIGNATURE_INVALID, or the
 *   one error every signature failed with (e.g. ERR_ALG_NONE, ERR_JWKS_NO_MATCHING_KEY)
 */
export async function verifyGeneralJWS(jws: unknown, key: VerifyKey, options: VerifyOptions = {}): Promise<GeneralVerifyResult> {
  const parsed = parseGeneral(jws, options);
  const failures = new Failures();
  for (const [index, sig] of parsed.signatures.entries()) {
    let verified: Verified;
    try {
      verified = await verifySignature(sig, parsed.parts, key, options);
    } catch (err) {
      failures.skip(err);
      continue;
    }
    if (verified !== undefined) return result(parsed, index, verified);
    failures.badSignature();
  }
  throw failures.error();
}

/**
 * Synchronous {@link verifyGeneralJWS} (Node's node:crypto backend only).
 * @throws as verifyGeneralJWS, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function verifyGeneralJWSSync(jws: unknown, key: VerifyKey, options: VerifyOptions = {}): GeneralVerifyResult {
  assertSync();
  const parsed = parseGeneral(jws, options);
  const failures = new Failures();
  for (const [index, sig] of parsed.signatures.entries()) {
    let verified: Verified;
    try {
      verified = verifySignatureSync(sig, parsed.parts, key, options);
    } catch (err) {
      failures.skip(err);
      continue;
    }
    if (verified !== undefined) return result(parsed, index, verified);
    failures.badSignature();
  }
  throw failures.error();
}

function checkSigners(signers: readonly GeneralSigner[]): void {
  if (!Array.isArray(signers) || signers.length === 0) throw new InvalidArgumentError('give at least one signer');
  if (signers.length > MAX_SIGNATURES) throw new JWSInvalidError(`a JWS may carry at most ${MAX_SIGNATURES} signatures`);
  for (const s of signers) {
    if (typeof s !== 'object' || s === null) throw new InvalidArgumentError('each signer must be an object { key, options? }');
    if (s.options?.detached !== undefined) throw new InvalidArgumentError('give "detached" once, in the options of signGeneralJWS');
  }
}

/** Checks the prepared signers agree on `b64` and builds the payload member. */
function plan(prepared: JSONSigner[], payload: Uint8Array | string, options: GeneralSignOptions): ReturnType<typeof signingPayload> {
  const b64 = (prepared[0] as JSONSigner).prepared.b64;
  // RFC 7797 §3: every signature of one JWS must agree on "b64", since they share the payload.
  if (prepared.some((p) => p.prepared.b64 !== b64)) throw new JWSInvalidError('the signers disagree on b64');
  return signingPayload(payload, b64, options.detached === true);
}

function general(member: string | undefined, signatures: GeneralJWS['signatures']): GeneralJWS {
  return member === undefined ? { signatures } : { payload: member, signatures };
}

/**
 * Signs a payload with several keys as a general JWS JSON Serialization, one signature per
 * signer, in order. `alg` always goes in each protected header.
 * @example
 * const jws = await signGeneralJWS('hello', [
 *   { key: ecKey, options: { alg: 'ES256', unprotectedHeader: { kid: ecKey.kid } } },
 *   { key: rsaKey, options: { alg: 'RS256', unprotectedHeader: { kid: rsaKey.kid } } },
 * ]);
 * @throws as signFlattenedJWS; ERR_JWS_INVALID when signers disagree on b64 or exceed 16
 */
export async function signGeneralJWS(
  payload: Uint8Array | string,
  signers: readonly GeneralSigner[],
  options: GeneralSignOptions = {},
): Promise<GeneralJWS> {
  checkSigners(signers);
  const prepared: JSONSigner[] = [];
  for (const s of signers) prepared.push(prepareJSONSigner(await importKey(s.key), s.options ?? {}));
  const { member, part } = plan(prepared, payload, options);
  const signatures = [];
  for (const p of prepared) signatures.push(signatureJSON(p, await signBytes(p.prepared, p.key, signerInput(p, part))));
  return general(member, signatures);
}

/** Synchronous {@link signGeneralJWS} (Node only; ERR_SYNC_UNSUPPORTED on WebCrypto). */
export function signGeneralJWSSync(
  payload: Uint8Array | string,
  signers: readonly GeneralSigner[],
  options: GeneralSignOptions = {},
): GeneralJWS {
  assertSync();
  checkSigners(signers);
  const prepared = signers.map((s) => prepareJSONSigner(importKeySync(s.key), s.options ?? {}));
  const { member, part } = plan(prepared, payload, options);
  return general(member, prepared.map((p) => signatureJSON(p, signBytesSync(p.prepared, p.key, signerInput(p, part)))));
}
