/**
 * JWS Compact Serialization (RFC 7515 §7.1), with `b64: false` (RFC 7797 §5) and detached payloads.
 *
 * Verification order (SECURITY): parse strictly → pin `alg` to the allow-list → resolve the key →
 * verify. Nothing from the payload is looked at before the signature verifies.
 */
import { platform } from '#platform';
import { decodeBase64URL, encodeBase64URL } from '../core/base64url.js';
import { decodeUTF8, encodeUTF8 } from '../core/bytes.js';
import {
  HeaderInvalidError,
  JWSInvalidError,
  JWSSignatureInvalidError,
  SyncUnsupportedError,
  TokenTooLargeError,
} from '../core/errors.js';
import type { JWSAlgorithm } from '../jwa/jws-algorithm.js';
import { TesseraKey } from '../jwa/key.js';
import { importKey, importKeySync, type KeyInput } from '../jwk/import.js';
import { KeySet } from '../jwk/jwks.js';
import { RemoteJWKSet } from '../jwk/remote.js';
import { DEFAULT_MAX_HEADER_LENGTH, DEFAULT_MAX_TOKEN_LENGTH, checkCritUnderstood, isB64, protectedHeaderOf } from './header.js';
import { pinAndResolve, pinAndResolveSync } from './keys.js';
import {
  asciiBytes,
  assertCompactPayload,
  payloadBytes,
  cachedPrepareHeader,
  signatureText,
  signatureTextSync,
  signingInput,
  type PreparedHeader,
} from './signing-input.js';
import type { JWSHeader, SignOptions, VerifiedJWSHeader, VerifyKey, VerifyOptions, VerifyResult } from './types.js';
import { cachedPlanFor, payloadBytesOf, verifyWithPlanSync, type VerifyPlan } from './verify-plan.js';

/** A compact token split and its header parsed (step 1 of verification). */
export interface ParsedCompact {
  readonly encodedHeader: string;
  readonly payloadSegment: string;
  readonly signatureSegment: string;
  /** `header.payload`, the JWS Signing Input as text (RFC 7515 §5.2 step 8). */
  readonly signingText: string;
  readonly header: Readonly<JWSHeader>;
}

/**
 * Splits and parses a compact JWS strictly.
 * @throws ERR_TOKEN_TOO_LARGE, ERR_JWS_INVALID, and the header parse codes
 */
export function parseCompactJWS(token: unknown, options: VerifyOptions = {}): ParsedCompact {
  if (typeof token !== 'string') throw new JWSInvalidError('a compact JWS must be a string');
  if (token.length > (options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH)) {
    throw new TokenTooLargeError('the token is longer than the allowed maximum');
  }
  const first = token.indexOf('.');
  const second = first === -1 ? -1 : token.indexOf('.', first + 1);
  if (second === -1 || token.indexOf('.', second + 1) !== -1) {
    throw new JWSInvalidError('a compact JWS has exactly three parts');
  }
  const encodedHeader = token.slice(0, first);
  const header = protectedHeaderOf(encodedHeader, options.maxHeaderLength ?? DEFAULT_MAX_HEADER_LENGTH);
  // RFC 7515 §4.1.1: "alg" is REQUIRED, and a compact JWS has only the protected header to carry it.
  if (header.alg === undefined) throw new HeaderInvalidError('the protected header has no "alg"');
  return {
    encodedHeader,
    payloadSegment: token.slice(first + 1, second),
    signatureSegment: token.slice(second + 1),
    signingText: token.slice(0, second),
    header,
  };
}

interface Prepared {
  readonly input: Uint8Array;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
}

/** Step 4's inputs: signing input, payload and signature bytes, after strict checks. */
function prepareVerify(parsed: ParsedCompact, options: VerifyOptions): Prepared {
  const { encodedHeader, header, payloadSegment } = parsed;
  const b64 = isB64(header);
  const signature = decodeBase64URL(parsed.signatureSegment, 'signature');
  if (options.payload !== undefined) {
    if (payloadSegment !== '') throw new JWSInvalidError('a detached payload was given but the token carries one');
    const payload = payloadBytes(options.payload);
    return { payload, signature, input: signingInput(encodedHeader, payload, b64) };
  }
  if (b64) {
    const payload = decodeBase64URL(payloadSegment, 'payload');
    return { payload, signature, input: asciiBytes(parsed.signingText) };
  }
  return { payload: encodeUTF8(payloadSegment), signature, input: encodeUTF8(parsed.signingText) };
}

function result(parsed: ParsedCompact, payload: Uint8Array, key: TesseraKey): VerifyResult {
  return { payload, protectedHeader: parsed.header as VerifiedJWSHeader, key };
}

function fail(): never {
  throw new JWSSignatureInvalidError('the signature does not verify');
}

/** Steps 1 and 2 that need no key: structure, header, crit. */
function parseAndCheck(token: string, options: VerifyOptions): ParsedCompact {
  const parsed = parseCompactJWS(token, options);
  checkCritUnderstood(parsed.header, options.crit);
  return parsed;
}

function acceptable(alg: JWSAlgorithm, key: TesseraKey, sig: Uint8Array): boolean {
  return alg.acceptsSignature(sig, key);
}

/**
 * Verifies a compact JWS.
 * @example
 * const { payload, protectedHeader } = await verifyJWS(token, publicJWK, { algorithms: ['ES256'] });
 * @throws ERR_JWS_INVALID, ERR_TOKEN_TOO_LARGE, ERR_HEADER_*, ERR_CRIT_*, ERR_ALG_NONE,
 *   ERR_ALG_NOT_ALLOWED, ERR_ALG_UNSUPPORTED, ERR_KEY_*, ERR_JWKS_*, ERR_BASE64URL_INVALID,
 *   ERR_JWS_SIGNATURE_INVALID
 */
export async function verifyJWS(token: string, key: VerifyKey, options: VerifyOptions = {}): Promise<VerifyResult> {
  // On node:crypto every verify runs inline, so the synchronous plan serves the async API too.
  const planned = viaPlan(token, key, options);
  if (planned !== undefined) return planned;
  const parsed = parseAndCheck(token, options);
  const { alg, keys } = await pinAndResolve(parsed.header, key, options);
  const prep = prepareVerify(parsed, options);
  for (const k of keys) {
    if (acceptable(alg, k, prep.signature) && (await platform.verify(alg.scheme(k), k.imported, prep.input, prep.signature))) {
      return result(parsed, prep.payload, k);
    }
  }
  return fail();
}

/**
 * Synchronous {@link verifyJWS} (Node's node:crypto backend only).
 * @throws as verifyJWS, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function verifyJWSSync(token: string, key: VerifyKey, options: VerifyOptions = {}): VerifyResult {
  assertSync();
  const planned = viaPlan(token, key, options);
  if (planned !== undefined) return planned;
  const parsed = parseAndCheck(token, options);
  const { alg, keys } = pinAndResolveSync(parsed.header, key, options);
  const prep = prepareVerify(parsed, options);
  for (const k of keys) {
    if (acceptable(alg, k, prep.signature) && platform.verifySync(alg.scheme(k), k.imported, prep.input, prep.signature)) {
      return result(parsed, prep.payload, k);
    }
  }
  return fail();
}

/**
 * The plan for a verify call with one key (verify-plan.ts), or undefined for the general path. A
 * key that fails to import goes to the general path too, which reports token errors before key
 * errors. Only for node:crypto, where every verify runs inline.
 * @internal
 */
export function planForCall(key: VerifyKey, options: VerifyOptions): VerifyPlan | undefined {
  if (!platform.syncSupported || typeof options !== 'object' || options === null) return undefined;
  let k: TesseraKey;
  if (key instanceof TesseraKey) k = key;
  else if (typeof key !== 'object' || key === null || key instanceof KeySet || key instanceof RemoteJWKSet) return undefined;
  else {
    try {
      k = importKeySync(key as KeyInput);
    } catch {
      return undefined;
    }
  }
  return cachedPlanFor(k, options);
}

function viaPlan(token: string, key: VerifyKey, options: VerifyOptions): VerifyResult | undefined {
  const plan = planForCall(key, options);
  return plan === undefined ? undefined : verifyWithPlanSync(plan, token, payloadBytesOf);
}

function assertSync(): void {
  if (!platform.syncSupported) throw new SyncUnsupportedError('synchronous JWS needs the node:crypto backend');
}

/** @internal the compact signing steps, given a prepared header. */
export function compactParts(
  prepared: PreparedHeader,
  payload: Uint8Array | string,
  detached: boolean,
): { input: Uint8Array | string; head: string } {
  if (prepared.b64) {
    if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) payloadBytes(payload);
    // The signing input as ASCII text: the synchronous primitives take it without a copy.
    const text = `${prepared.encoded}.${encodeBase64URL(payload)}`;
    return { input: text, head: detached ? `${prepared.encoded}.` : text };
  }
  const bytes = payloadBytes(payload);
  assertCompactPayload(bytes, false, detached);
  return {
    input: signingInput(prepared.encoded, bytes, false),
    head: `${prepared.encoded}.${detached ? '' : decodeUTF8Lenient(bytes)}`,
  };
}

function decodeUTF8Lenient(payload: Uint8Array): string {
  try {
    return decodeUTF8(payload);
  } catch {
    throw new JWSInvalidError('an unencoded compact payload must be valid UTF-8');
  }
}

/**
 * Signs a payload as a compact JWS.
 * @example
 * const token = await signJWS('hello', key, { alg: 'EdDSA', protectedHeader: { kid: key.kid } });
 * @throws ERR_ALG_REQUIRED, ERR_ALG_NONE, ERR_ALG_UNSUPPORTED, ERR_KEY_*, ERR_HEADER_INVALID, ERR_CRIT_INVALID, ERR_JWS_INVALID
 */
export async function signJWS(payload: Uint8Array | string, key: KeyInput, options: SignOptions = {}): Promise<string> {
  const k = await importKey(key);
  const prepared = cachedPrepareHeader(k, options);
  const { input, head } = compactParts(prepared, payload, options.detached === true);
  return `${head}.${await signatureText(prepared.alg.scheme(k), k.imported, input)}`;
}

/** Synchronous {@link signJWS} (Node only). */
export function signJWSSync(payload: Uint8Array | string, key: KeyInput, options: SignOptions = {}): string {
  assertSync();
  const k = importKeySync(key);
  const prepared = cachedPrepareHeader(k, options);
  const { input, head } = compactParts(prepared, payload, options.detached === true);
  return `${head}.${signatureTextSync(prepared.alg.scheme(k), k.imported, input)}`;
}
