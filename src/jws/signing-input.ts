/** The JWS Signing Input (RFC 7515 §5.1 step 5, RFC 7797 §3) and the signing step shared by serializations. */
import { platform } from '#platform';
import { encodeBase64URL } from '../core/base64url.js';
import { concatBytes, encodeUTF8 } from '../core/bytes.js';
import { AlgRequiredError, InvalidArgumentError, JWSInvalidError } from '../core/errors.js';
import type { JWSAlgorithm } from '../jwa/jws-algorithm.js';
import type { TesseraKey } from '../jwa/key.js';
import { assertKeyForJWS, resolveJWSAlgorithm } from '../jwa/registry.js';
import { checkCritShape, checkHeaderMembers } from './header.js';
import type { JWSHeader, SignOptions } from './types.js';

const hasBuffer = typeof Buffer === 'function';

/** ASCII bytes of a string known to be ASCII (base64url segments and '.'). */
export function asciiBytes(text: string): Uint8Array {
  if (hasBuffer) return Buffer.from(text, 'latin1');
  return encodeUTF8(text);
}

/** Payload bytes from a string (UTF-8) or bytes. */
export function payloadBytes(payload: Uint8Array | string): Uint8Array {
  if (typeof payload === 'string') return encodeUTF8(payload);
  if (payload instanceof Uint8Array) return payload;
  throw new InvalidArgumentError('the payload must be a Uint8Array or a string');
}

/** Signing input: ASCII(header) || '.' || (b64 ? ASCII(base64url(payload)) : payload). */
export function signingInput(encodedHeader: string, payload: Uint8Array, b64: boolean): Uint8Array {
  if (b64) return asciiBytes(`${encodedHeader}.${encodeBase64URL(payload)}`);
  return concatBytes(asciiBytes(`${encodedHeader}.`), payload);
}

/** A signer's fixed parts, computed once: algorithm, encoded header, b64. */
export interface PreparedHeader {
  readonly alg: JWSAlgorithm;
  readonly header: JWSHeader;
  readonly encoded: string;
  readonly b64: boolean;
}

/**
 * Builds and encodes the protected header for a key and options.
 * @throws ERR_ALG_REQUIRED, ERR_ALG_NONE, ERR_ALG_UNSUPPORTED, key binding errors, ERR_HEADER_INVALID, ERR_CRIT_INVALID
 */
export function prepareHeader(key: TesseraKey, options: SignOptions): PreparedHeader {
  const given = options.protectedHeader ?? {};
  if (options.alg !== undefined && given.alg !== undefined && options.alg !== given.alg) {
    throw new InvalidArgumentError('alg is given twice with different values');
  }
  const name = options.alg ?? given.alg ?? key.alg;
  if (name === undefined) throw new AlgRequiredError('give alg, or use a key bound to one');
  const alg = resolveJWSAlgorithm(name);
  assertKeyForJWS(alg, key, 'sign');
  const header: JWSHeader = { alg: alg.name, ...given };
  header.alg = alg.name;
  if (options.b64 === false) {
    header.b64 = false;
    const crit = Array.isArray(header.crit) ? header.crit : [];
    header.crit = crit.includes('b64') ? crit : [...crit, 'b64'];
  }
  checkHeaderMembers(header, 'protected header');
  checkCritShape(header);
  return { alg, header, encoded: encodeBase64URL(toJSON(header)), b64: header.b64 !== false };
}

function toJSON(header: JWSHeader): string {
  try {
    return JSON.stringify(header);
  } catch {
    throw new InvalidArgumentError('the protected header must be JSON-serializable');
  }
}

const PER_KEY_MAX = 16;
const preparedCache = new WeakMap<TesseraKey, Map<string, PreparedHeader>>();

/**
 * {@link prepareHeader} with a small per-key cache, for the one-shot sign functions: a service
 * signing with the same key and options every time should not rebuild and re-encode the header.
 * The cache key is the options' content, so a changed header is never served stale.
 */
export function cachedPrepareHeader(key: TesseraKey, options: SignOptions): PreparedHeader {
  const id = `${options.alg ?? ''}\0${options.b64 === false ? 0 : 1}\0${
    options.protectedHeader === undefined ? '' : toJSON(options.protectedHeader)
  }`;
  let perKey = preparedCache.get(key);
  const hit = perKey?.get(id);
  if (hit !== undefined) return hit;
  const prepared = prepareHeader(key, options);
  if (perKey === undefined) preparedCache.set(key, (perKey = new Map()));
  if (perKey.size >= PER_KEY_MAX) perKey.clear();
  perKey.set(id, prepared);
  return prepared;
}

/** Checks that an unencoded payload can travel in a compact JWS (RFC 7797 §5.2). */
export function assertCompactPayload(payload: Uint8Array, b64: boolean, detached: boolean): void {
  if (!b64 && !detached && payload.includes(0x2e)) {
    throw new JWSInvalidError('an unencoded payload containing "." cannot be compact; use detached or JSON');
  }
}

export function signBytesSync(prepared: PreparedHeader, key: TesseraKey, input: Uint8Array): Uint8Array {
  return platform.signSync(prepared.alg.scheme(key), key.imported, input);
}

export function signBytes(prepared: PreparedHeader, key: TesseraKey, input: Uint8Array): Promise<Uint8Array> {
  return platform.sign(prepared.alg.scheme(key), key.imported, input);
}
