/** The JWS Signing Input (RFC 7515 §5.1 step 5, RFC 7797 §3) and the signing step shared by serializations. */
import { platform } from '#platform';
import { encodeBase64URL } from '../core/base64url.js';
import { concatBytes, encodeUTF8 } from '../core/bytes.js';
import { AlgRequiredError, InvalidArgumentError, JWSInvalidError } from '../core/errors.js';
import type { JWSAlgorithm } from '../jwa/jws-algorithm.js';
import type { TesseraKey } from '../jwa/key.js';
import type { ImportedKey } from '../jwa/platform/types.js';
import type { SignatureScheme } from '../jwa/types.js';
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

/** The last options a key signed with, when its header holds only primitive values. */
interface LastSign {
  readonly alg: string | undefined;
  readonly b64: boolean;
  /** The header's own enumerable members, as [name, value, name, value, …]. */
  readonly members: readonly unknown[] | undefined;
  readonly prepared: PreparedHeader;
}
const lastSign = new WeakMap<TesseraKey, LastSign>();

/** The members of a header of primitives, in order; undefined when any value is an object. */
function primitiveMembers(header: JWSHeader): unknown[] | undefined {
  const out: unknown[] = [];
  for (const name in header) {
    const value = header[name];
    if (typeof value === 'object' && value !== null) return undefined;
    out.push(name, value);
  }
  return out;
}

function sameMembers(header: JWSHeader, members: readonly unknown[]): boolean {
  let i = 0;
  for (const name in header) {
    if (members[i] !== name || members[i + 1] !== header[name]) return false;
    i += 2;
  }
  return i === members.length;
}

/**
 * {@link prepareHeader} with a small per-key cache, for the one-shot sign functions: a service
 * signing with the same key and options every time should not rebuild and re-encode the header.
 * The cache key is the options' content, so a changed header is never served stale. The usual
 * case, the same options as the key's last call with a header of strings and numbers, is found
 * by comparing those members in order (the order decides the encoded header), without JSON.
 */
export function cachedPrepareHeader(key: TesseraKey, options: SignOptions): PreparedHeader {
  const last = lastSign.get(key);
  const header = options.protectedHeader;
  if (
    last !== undefined &&
    last.alg === options.alg &&
    last.b64 === (options.b64 !== false) &&
    (header === undefined ? last.members === undefined : last.members !== undefined && typeof header === 'object' && header !== null && sameMembers(header, last.members))
  ) {
    return last.prepared;
  }
  const id = `${options.alg ?? ''}\0${options.b64 === false ? 0 : 1}\0${header === undefined ? '' : toJSON(header)}`;
  let perKey = preparedCache.get(key);
  let prepared = perKey?.get(id);
  if (prepared === undefined) {
    prepared = prepareHeader(key, options);
    if (perKey === undefined) preparedCache.set(key, (perKey = new Map()));
    if (perKey.size >= PER_KEY_MAX) perKey.clear();
    perKey.set(id, prepared);
  }
  const members = header === undefined ? undefined : primitiveMembers(header);
  if (header === undefined || members !== undefined) {
    lastSign.set(key, { alg: options.alg, b64: options.b64 !== false, members, prepared });
  } else {
    lastSign.delete(key);
  }
  return prepared;
}

/** Checks that an unencoded payload can travel in a compact JWS (RFC 7797 §5.2). */
export function assertCompactPayload(payload: Uint8Array, b64: boolean, detached: boolean): void {
  if (!b64 && !detached && payload.includes(0x2e)) {
    throw new JWSInvalidError('an unencoded payload containing "." cannot be compact; use detached or JSON');
  }
}

/** HMAC on node:crypto: the MAC as base64url text, no byte array in between (else undefined). */
function macText(scheme: SignatureScheme, handle: ImportedKey, input: Uint8Array | string): string | undefined {
  const mac = platform.macBase64URLSync;
  return scheme.kind === 'hmac' && mac !== undefined && typeof input === 'string' ? mac(scheme, handle, input) : undefined;
}

/** The base64url signature of a signing input (bytes, or ASCII text as compactParts gives it). */
export function signatureTextSync(scheme: SignatureScheme, handle: ImportedKey, input: Uint8Array | string): string {
  return macText(scheme, handle, input) ?? encodeBase64URL(platform.signSync(scheme, handle, input));
}

/** Asynchronous {@link signatureTextSync}. */
export async function signatureText(scheme: SignatureScheme, handle: ImportedKey, input: Uint8Array | string): Promise<string> {
  return macText(scheme, handle, input) ?? encodeBase64URL(await platform.sign(scheme, handle, input));
}

/** Signs a signing input (bytes, or ASCII text as {@link compactParts} gives it). */
export function signBytesSync(prepared: PreparedHeader, key: TesseraKey, input: Uint8Array | string): Uint8Array {
  return platform.signSync(prepared.alg.scheme(key), key.imported, input);
}

export function signBytes(prepared: PreparedHeader, key: TesseraKey, input: Uint8Array | string): Promise<Uint8Array> {
  return platform.sign(prepared.alg.scheme(key), key.imported, input);
}
