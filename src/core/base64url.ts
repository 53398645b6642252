/**
 * Strict base64url (RFC 4648 §5 without padding, as RFC 7515 §2 requires).
 *
 * SECURITY: decoding rejects padding, `+` and `/`, whitespace, a length that no encoding can have
 * and a final character with non-zero unused bits. Each of those gives a second spelling of the
 * same bytes, which breaks caches and replay checks keyed on the token text (THREATS.md §11).
 */
import { decodeUTF8 } from './bytes.js';
import { Base64URLInvalidError } from './errors.js';

const hasBuffer = typeof Buffer === 'function';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** Encodes bytes (or a string, as UTF-8) to unpadded base64url. */
export function encodeBase64URL(input: Uint8Array | string): string {
  if (hasBuffer) {
    return typeof input === 'string'
      ? Buffer.from(input, 'utf8').toString('base64url')
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('base64url');
  }
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * Checks that `text` is canonical unpadded base64url; returns nothing, throws on failure.
 * A separate function so hot paths can validate once and decode with the platform.
 */
export function assertBase64URL(text: string, name = 'value'): void {
  const length = text.length;
  if (length % 4 === 1) throw new Base64URLInvalidError(`${name} has an impossible base64url length`);
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || VALUES[c] === -1) throw new Base64URLInvalidError(`${name} is not strict base64url`);
  }
  assertCanonicalEnd(text, name);
}

function assertCanonicalEnd(text: string, name: string): void {
  const length = text.length;
  if (length === 0) return;
  // RFC 4648 §3.5: the bits after the last whole byte must be zero, or the text is not canonical.
  const last = VALUES[text.charCodeAt(length - 1)] as number;
  const rem = length % 4;
  if ((rem === 2 && (last & 0x0f) !== 0) || (rem === 3 && (last & 0x03) !== 0)) {
    throw new Base64URLInvalidError(`${name} is not canonical base64url`);
  }
}

/** Decodes strict base64url to bytes; throws `ERR_BASE64URL_INVALID` on any non-canonical input. */
export function decodeBase64URL(text: string, name = 'value'): Uint8Array {
  const bytes = decodeBase64URLInternal(text, name);
  // A plain Uint8Array view (not a Buffer), so callers see the same type on every platform.
  return hasBuffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
}

/**
 * {@link decodeBase64URL} for bytes that never leave the library (a signature, a tag): on Node
 * the platform's own Buffer, without the plain view made for callers.
 * @internal
 */
export function decodeBase64URLInternal(text: string, name = 'value'): Uint8Array {
  if (typeof text !== 'string') throw new Base64URLInvalidError(`${name} must be a base64url string`);
  if (hasBuffer) {
    // Fast path: Node's decoder skips characters outside the alphabet (whitespace, '=', anything
    // else), so any such character makes the output shorter than a strict decode would be; it also
    // accepts '+' and '/', which we look for separately. Same strictness as assertBase64URL.
    const length = text.length;
    if (length % 4 === 1) throw new Base64URLInvalidError(`${name} has an impossible base64url length`);
    const bytes = Buffer.from(text, 'base64url');
    if (bytes.length !== Math.floor((length * 3) / 4) || text.includes('+') || text.includes('/')) {
      throw new Base64URLInvalidError(`${name} is not strict base64url`);
    }
    assertCanonicalEnd(text, name);
    return bytes;
  }
  assertBase64URL(text, name);
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    acc = (acc << 6) | (VALUES[text.charCodeAt(i)] as number);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** A string of `atob` (one char per byte) is ASCII exactly when its UTF-8 length is its length. */
const isASCIIBinary = hasBuffer
  ? (binary: string): boolean => Buffer.byteLength(binary, 'utf8') === binary.length
  : (binary: string): boolean => !/[^\x00-\x7f]/.test(binary);

const PLUS = /-/g;
const SLASH = /_/g;

/**
 * Decodes strict base64url straight to the UTF-8 text it encodes (a JWT claims set, a JSON
 * header), without an intermediate byte array: the platform's `atob` does the decoding, and
 * ASCII text (the usual case) is the decoded string itself. Same strictness as
 * {@link decodeBase64URL}: `atob` skips whitespace and accepts `=` and `+/`, so those are ruled
 * out before (`+`, `/`) or after (a shorter result than the length implies) the call.
 * @returns the text, or undefined when the bytes are not valid UTF-8 (the caller says what that means)
 * @throws ERR_BASE64URL_INVALID
 */
export function decodeBase64URLText(text: string, name = 'value'): string | undefined {
  if (typeof text !== 'string') throw new Base64URLInvalidError(`${name} must be a base64url string`);
  const length = text.length;
  if (length % 4 === 1) throw new Base64URLInvalidError(`${name} has an impossible base64url length`);
  if (text.includes('+') || text.includes('/')) throw new Base64URLInvalidError(`${name} is not strict base64url`);
  let binary: string;
  try {
    binary = atob(text.replace(PLUS, '+').replace(SLASH, '/'));
  } catch {
    throw new Base64URLInvalidError(`${name} is not strict base64url`);
  }
  if (binary.length !== Math.floor((length * 3) / 4)) throw new Base64URLInvalidError(`${name} is not strict base64url`);
  assertCanonicalEnd(text, name);
  if (isASCIIBinary(binary)) return binary;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return decodeUTF8(bytes);
  } catch {
    return undefined;
  }
}
