/**
 * Flattened JWS JSON Serialization (RFC 7515 §7.2.2): one signature, with an optional unprotected
 * header, `b64: false` (RFC 7797 §5.2) and detached payloads (RFC 7515 Appendix F).
 *
 * Verification order (SECURITY): parse strictly → crit → pin `alg` to the allow-list → resolve
 * the key → verify. Nothing from the payload is looked at before the signature verifies.
 */
import { JWSInvalidError, JWSSignatureInvalidError } from '../core/errors.js';
import type { JSONObject } from '../core/json.js';
import { importKey, importKeySync, type KeyInput } from '../jwk/import.js';
import {
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
  type FlattenedJWS,
  type JSONSignOptions,
  type JSONSigner,
  type JSONVerifyResult,
  type ParsedSignature,
  type PayloadParts,
} from './json-common.js';
import { signBytes, signBytesSync } from './signing-input.js';
import type { VerifyKey, VerifyOptions } from './types.js';

/** Step 1: the object, its one signature and the payload, strictly. */
function parseFlattened(jws: unknown, options: VerifyOptions): { sig: ParsedSignature; parts: PayloadParts } {
  const obj: JSONObject = readJWSObject(jws, options);
  // RFC 7515 §7.2.2: the flattened syntax has no "signatures" member.
  if (hasMember(obj, 'signatures')) throw new JWSInvalidError('a flattened JWS must not have "signatures"');
  const sig = parseSignature(obj, options);
  return { sig, parts: payloadParts(obj, sig.b64, options) };
}

function fail(): never {
  throw new JWSSignatureInvalidError('the signature does not verify');
}

/**
 * Verifies a flattened JWS JSON Serialization, given as an object or as its JSON text.
 *
 * Verifies: the signature, over the protected header and the payload. Does NOT protect: the
 * unprotected header (`result.unprotectedHeader`), whose members only help find the key. `alg`
 * may come from either header (RFC 7515 §4.1.1); it is always pinned to the allow-list.
 * A key resolver receives the whole JOSE header (protected ∪ unprotected), so an unprotected
 * `kid` can select the key; treat every member but the pinned `alg` as untrusted there.
 * @example
 * const { payload, protectedHeader } = await verifyFlattenedJWS(jws, publicJWK, { algorithms: ['ES256'] });
 * @throws ERR_JWS_INVALID, ERR_TOKEN_TOO_LARGE, ERR_JSON_INVALID, ERR_JSON_DUPLICATE_MEMBER,
 *   ERR_HEADER_*, ERR_CRIT_*, ERR_ALG_*, ERR_KEY_*, ERR_JWKS_*, ERR_BASE64URL_INVALID,
 *   ERR_JWS_SIGNATURE_INVALID
 */
export async function verifyFlattenedJWS(jws: unknown, key: VerifyKey, options: VerifyOptions = {}): Promise<JSONVerifyResult> {
  const { sig, parts } = parseFlattened(jws, options);
  const verified = await verifySignature(sig, parts, key, options);
  return verified === undefined ? fail() : resultOf(sig, parts, verified);
}

/**
 * Synchronous {@link verifyFlattenedJWS} (Node's node:crypto backend only).
 * @throws as verifyFlattenedJWS, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function verifyFlattenedJWSSync(jws: unknown, key: VerifyKey, options: VerifyOptions = {}): JSONVerifyResult {
  assertSync();
  const { sig, parts } = parseFlattened(jws, options);
  const verified = verifySignatureSync(sig, parts, key, options);
  return verified === undefined ? fail() : resultOf(sig, parts, verified);
}

function flattened(member: string | undefined, signer: JSONSigner, signature: Uint8Array): FlattenedJWS {
  const one = signatureJSON(signer, signature);
  return member === undefined ? one : { payload: member, ...one };
}

/**
 * Signs a payload as a flattened JWS JSON Serialization. `alg` always goes in the protected header.
 * @example
 * const jws = await signFlattenedJWS('hello', key, { alg: 'ES256', unprotectedHeader: { kid: key.kid } });
 * // { payload: 'aGVsbG8', protected: 'eyJhbGciOiJFUzI1NiJ9', header: { kid: '…' }, signature: '…' }
 * @throws ERR_ALG_REQUIRED, ERR_ALG_NONE, ERR_ALG_UNSUPPORTED, ERR_KEY_*, ERR_HEADER_INVALID,
 *   ERR_CRIT_INVALID, ERR_INVALID_ARGUMENT, ERR_JWS_INVALID (a non-UTF-8 unencoded payload)
 */
export async function signFlattenedJWS(
  payload: Uint8Array | string,
  key: KeyInput,
  options: JSONSignOptions = {},
): Promise<FlattenedJWS> {
  const signer = prepareJSONSigner(await importKey(key), options);
  const { member, part } = signingPayload(payload, signer.prepared.b64, options.detached === true);
  return flattened(member, signer, await signBytes(signer.prepared, signer.key, signerInput(signer, part)));
}

/** Synchronous {@link signFlattenedJWS} (Node only; ERR_SYNC_UNSUPPORTED on WebCrypto). */
export function signFlattenedJWSSync(payload: Uint8Array | string, key: KeyInput, options: JSONSignOptions = {}): FlattenedJWS {
  assertSync();
  const signer = prepareJSONSigner(importKeySync(key), options);
  const { member, part } = signingPayload(payload, signer.prepared.b64, options.detached === true);
  return flattened(member, signer, signBytesSync(signer.prepared, signer.key, signerInput(signer, part)));
}
