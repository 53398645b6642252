/**
 * What the two JWS JSON Serializations (RFC 7515 §7.2) share: types, strict parsing of the
 * JSON object and of one signature's headers, the payload member (RFC 7797 §5.2, RFC 7515
 * Appendix F), the per-signature verification step, and building one signature on signing.
 */
import { platform } from '#platform';
import { decodeBase64URL, encodeBase64URL } from '../core/base64url.js';
import { concatBytes, decodeUTF8, encodeUTF8 } from '../core/bytes.js';
import {
  InvalidArgumentError,
  JWSInvalidError,
  SyncUnsupportedError,
  TokenTooLargeError,
} from '../core/errors.js';
import { isJSONObject, parseJSONObjectText, type JSONObject } from '../core/json.js';
import type { JWSAlgorithm } from '../jwa/jws-algorithm.js';
import type { TesseraKey } from '../jwa/key.js';
import {
  DEFAULT_MAX_HEADER_LENGTH,
  DEFAULT_MAX_TOKEN_LENGTH,
  checkCritUnderstood,
  checkUnprotectedHeader,
  isB64,
  protectedHeaderOf,
} from './header.js';
import { pinAndResolve, pinAndResolveSync } from './keys.js';
import { asciiBytes, payloadBytes, prepareHeader, type PreparedHeader } from './signing-input.js';
import type { JWSHeader, JWSLimits, SignOptions, VerifyKey, VerifyOptions, VerifyResult } from './types.js';

/** One signature of a JWS JSON Serialization (RFC 7515 §7.2.1). */
export interface JWSSignatureJSON {
  /** BASE64URL(UTF8(JWS Protected Header)); absent when that header is empty. */
  protected?: string;
  /** The JWS Unprotected Header. NOT integrity protected. */
  header?: JWSHeader;
  signature: string;
}

/** Flattened JWS JSON Serialization (RFC 7515 §7.2.2). */
export interface FlattenedJWS extends JWSSignatureJSON {
  /** BASE64URL(payload), or the payload itself when `b64` is false; absent when detached. */
  payload?: string;
}

/** General JWS JSON Serialization (RFC 7515 §7.2.1). */
export interface GeneralJWS {
  /** BASE64URL(payload), or the payload itself when `b64` is false; absent when detached. */
  payload?: string;
  signatures: JWSSignatureJSON[];
}

/** Signing options of the JSON serializations: those of compact, plus an unprotected header. */
export interface JSONSignOptions extends SignOptions {
  /**
   * Members to send in the (NOT integrity protected) unprotected header, e.g. `kid`.
   * Names must differ from the protected header's; `crit` and `b64` are not allowed here.
   */
  readonly unprotectedHeader?: JWSHeader;
}

/**
 * Result of verifying a JSON serialization.
 *
 * Unlike compact, a JSON JWS may carry `alg` in the unprotected header (RFC 7520 §4.7), so
 * `protectedHeader` is typed without a guaranteed `alg`: it is exactly the verified signature's
 * protected header (`{}` when it had none). `alg` says which algorithm verified, wherever it came from.
 */
export interface JSONVerifyResult extends Omit<VerifyResult, 'protectedHeader'> {
  /** The verified signature's protected header only (THREATS.md §18); `{}` when it had none. */
  readonly protectedHeader: Readonly<JWSHeader>;
  /** The algorithm that verified, pinned to the allow-list. */
  readonly alg: string;
}

/** Result of verifying a general JSON serialization. */
export interface GeneralVerifyResult extends JSONVerifyResult {
  /** Index in `signatures` of the signature that verified. */
  readonly signatureIndex: number;
}

/** SECURITY: a bound on the work one token can cause (each signature may try up to 8 keys). */
export const MAX_SIGNATURES = 16;

const EMPTY_HEADER: Readonly<JWSHeader> = Object.freeze({});

export function assertSync(): void {
  if (!platform.syncSupported) throw new SyncUnsupportedError('synchronous JWS needs the node:crypto backend');
}

export function hasMember(obj: JSONObject, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, name);
}

/**
 * The JWS as a fresh JSON object: JSON text is length-checked then parsed strictly; an object is
 * serialized first, so its size is bounded the same way and later changes to it (or getters on
 * it) cannot change what was checked.
 * @throws ERR_JWS_INVALID, ERR_TOKEN_TOO_LARGE, ERR_JSON_INVALID, ERR_JSON_DUPLICATE_MEMBER
 */
export function readJWSObject(jws: unknown, options: JWSLimits): JSONObject {
  let text: string;
  if (typeof jws === 'string') {
    text = jws;
  } else if (isJSONObject(jws)) {
    try {
      text = JSON.stringify(jws);
    } catch {
      throw new JWSInvalidError('the JWS object is not serializable as JSON');
    }
  } else {
    throw new JWSInvalidError('a JSON JWS must be an object or its JSON text');
  }
  // SECURITY: size is checked before anything is parsed or decoded (THREATS.md §26).
  if (text.length > (options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH)) {
    throw new TokenTooLargeError('the JWS is longer than the allowed maximum');
  }
  return parseJSONObjectText(text, 'JWS');
}

/** One signature after strict parsing (step 1 of verification). */
export interface ParsedSignature {
  /** The `protected` member as sent, `''` when absent (RFC 7515 §5.2 step 8 then signs `'.' || payload`). */
  readonly encodedProtected: string;
  readonly protectedHeader: Readonly<JWSHeader>;
  readonly unprotectedHeader: JWSHeader | undefined;
  /** The JOSE Header: the union of both (RFC 7515 §7.2.1), names disjoint. */
  readonly header: Readonly<JWSHeader>;
  readonly signature: Uint8Array;
  readonly b64: boolean;
}

/**
 * Reads and checks `protected`, `header` and `signature` of one signature object.
 * @throws ERR_JWS_INVALID, ERR_HEADER_*, ERR_CRIT_INVALID, ERR_BASE64URL_INVALID, ERR_JSON_*
 */
export function parseSignature(obj: JSONObject, options: JWSLimits): ParsedSignature {
  const encoded = obj.protected;
  const unprotected = obj.header;
  const signature = obj.signature;
  // RFC 7515 §7.2.1: "protected" is present only when the protected header is non-empty.
  if (encoded !== undefined && (typeof encoded !== 'string' || encoded === '')) {
    throw new JWSInvalidError('"protected" must be a non-empty string');
  }
  if (unprotected !== undefined && !isJSONObject(unprotected)) throw new JWSInvalidError('"header" must be an object');
  if (typeof signature !== 'string') throw new JWSInvalidError('"signature" must be a string');
  if (encoded === undefined && unprotected === undefined) {
    throw new JWSInvalidError('a signature needs a "protected" or a "header" member');
  }
  const protectedHeader =
    encoded === undefined ? EMPTY_HEADER : protectedHeaderOf(encoded, options.maxHeaderLength ?? DEFAULT_MAX_HEADER_LENGTH);
  const header = unprotected as JWSHeader | undefined;
  // RFC 7515 §7.2.1 (disjoint names) and §4.1.11 / RFC 7797 §3 (crit, b64 protected only).
  if (header !== undefined) checkUnprotectedHeader(header, encoded === undefined ? undefined : protectedHeader);
  return {
    encodedProtected: encoded ?? '',
    protectedHeader,
    unprotectedHeader: header,
    header: Object.freeze({ ...protectedHeader, ...header }),
    signature: decodeBase64URL(signature, 'signature'),
    b64: isB64(protectedHeader),
  };
}

/** The payload, and the bytes that follow `'.'` in every signature's signing input. */
export interface PayloadParts {
  readonly payload: Uint8Array;
  readonly part: Uint8Array;
}

/**
 * The payload member, or the detached payload (RFC 7515 Appendix F; RFC 7520 §4.5 omits the
 * member). With `b64: false` the member is the payload itself (RFC 7797 §5.2).
 * @throws ERR_JWS_INVALID, ERR_BASE64URL_INVALID, ERR_INVALID_ARGUMENT
 */
export function payloadParts(obj: JSONObject, b64: boolean, options: VerifyOptions): PayloadParts {
  const member = obj.payload;
  if (member === undefined) {
    if (options.payload === undefined) throw new JWSInvalidError('the JWS has no payload and no detached payload was given');
    const payload = payloadBytes(options.payload);
    return { payload, part: b64 ? asciiBytes(encodeBase64URL(payload)) : payload };
  }
  if (typeof member !== 'string') throw new JWSInvalidError('"payload" must be a string');
  // SECURITY: two payloads for one signature would leave the caller unsure which one was verified.
  if (options.payload !== undefined) throw new JWSInvalidError('a detached payload was given but the JWS carries one');
  if (b64) return { payload: decodeBase64URL(member, 'payload'), part: asciiBytes(member) };
  const payload = encodeUTF8(member);
  return { payload, part: payload };
}

/** The outcome of one signature: the algorithm and key when it verified, undefined when not. */
export type Verified = { readonly alg: JWSAlgorithm; readonly key: TesseraKey } | undefined;

function inputOf(sig: ParsedSignature, parts: PayloadParts): Uint8Array {
  return concatBytes(asciiBytes(`${sig.encodedProtected}.`), parts.part);
}

/*
 * Steps 2 to 4 for one signature. `alg` is pinned to the allow-list wherever it was sent:
 * RFC 7515 §4.1.1 lets it live in the unprotected header (RFC 7520 §4.7 does so), and since the
 * allow-list and the key's own binding decide which algorithm may verify, an attacker who edits
 * an unprotected `alg` can only pick another algorithm the verifier already accepts for that key.
 * The key lookup and the resolver get the whole JOSE header so an unprotected `kid` (RFC 7520
 * §4.6, §4.8) can select the key; a wrong `kid` only picks another trusted key, which then has
 * to verify the signature.
 */

/** Verifies one signature (any runtime). Throws for reasons other than a bad signature. */
export async function verifySignature(sig: ParsedSignature, parts: PayloadParts, key: VerifyKey, options: VerifyOptions): Promise<Verified> {
  checkCritUnderstood(sig.protectedHeader, options.crit);
  const { alg, keys } = await pinAndResolve(sig.header, key, options);
  const input = inputOf(sig, parts);
  for (const k of keys) {
    if (alg.acceptsSignature(sig.signature, k) && (await platform.verify(alg.scheme(k), k.imported, input, sig.signature))) {
      return { alg, key: k };
    }
  }
  return undefined;
}

/** Synchronous {@link verifySignature} (Node only). */
export function verifySignatureSync(sig: ParsedSignature, parts: PayloadParts, key: VerifyKey, options: VerifyOptions): Verified {
  checkCritUnderstood(sig.protectedHeader, options.crit);
  const { alg, keys } = pinAndResolveSync(sig.header, key, options);
  const input = inputOf(sig, parts);
  for (const k of keys) {
    if (alg.acceptsSignature(sig.signature, k) && platform.verifySync(alg.scheme(k), k.imported, input, sig.signature)) {
      return { alg, key: k };
    }
  }
  return undefined;
}

/** The result object for a verified signature. */
export function resultOf(sig: ParsedSignature, parts: PayloadParts, verified: NonNullable<Verified>): JSONVerifyResult {
  const out = { payload: parts.payload, protectedHeader: sig.protectedHeader, alg: verified.alg.name, key: verified.key };
  return sig.unprotectedHeader === undefined ? out : { ...out, unprotectedHeader: sig.unprotectedHeader };
}

/** A signer's header parts, checked before anything is signed. */
export interface JSONSigner {
  readonly key: TesseraKey;
  readonly prepared: PreparedHeader;
  readonly unprotectedHeader: JWSHeader | undefined;
}

/**
 * Builds the protected header (as compact does) and checks the unprotected one against it.
 * @throws as prepareHeader, ERR_INVALID_ARGUMENT, ERR_HEADER_INVALID, ERR_CRIT_INVALID
 */
export function prepareJSONSigner(key: TesseraKey, options: JSONSignOptions): JSONSigner {
  const prepared = prepareHeader(key, options);
  const given = options.unprotectedHeader;
  if (given === undefined) return { key, prepared, unprotectedHeader: undefined };
  if (!isJSONObject(given)) throw new InvalidArgumentError('unprotectedHeader must be an object');
  // A JSON copy: what is signed and sent cannot change afterwards, and it is plain JSON.
  let header: JWSHeader;
  try {
    header = JSON.parse(JSON.stringify(given)) as JWSHeader;
  } catch {
    throw new InvalidArgumentError('unprotectedHeader must be plain JSON');
  }
  checkUnprotectedHeader(header, prepared.header);
  // RFC 7515 §7.2.1: "header" is absent when the unprotected header is empty.
  return { key, prepared, unprotectedHeader: Object.keys(header).length === 0 ? undefined : header };
}

/** The payload member to send and the bytes after `'.'` in the signing input. */
export function signingPayload(payload: Uint8Array | string, b64: boolean, detached: boolean): { member: string | undefined; part: Uint8Array } {
  const bytes = payloadBytes(payload);
  if (b64) {
    const encoded = encodeBase64URL(bytes);
    return { member: detached ? undefined : encoded, part: asciiBytes(encoded) };
  }
  if (detached) return { member: undefined, part: bytes };
  try {
    // RFC 7797 §5.2: an unencoded payload travels as a JSON string, so it must be UTF-8.
    return { member: decodeUTF8(bytes), part: bytes };
  } catch {
    throw new JWSInvalidError('an unencoded payload in a JSON JWS must be valid UTF-8');
  }
}

/** The signing input of one signer. */
export function signerInput(signer: JSONSigner, part: Uint8Array): Uint8Array {
  return concatBytes(asciiBytes(`${signer.prepared.encoded}.`), part);
}

/** One signature object, members in RFC 7515 §7.2.1 order. */
export function signatureJSON(signer: JSONSigner, signature: Uint8Array): JWSSignatureJSON {
  const encoded = encodeBase64URL(signature);
  return signer.unprotectedHeader === undefined
    ? { protected: signer.prepared.encoded, signature: encoded }
    : { protected: signer.prepared.encoded, header: signer.unprotectedHeader, signature: encoded };
}
