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
 * Up to this many characters, base64url is decoded here rather than by Node's native decoder.
 *
 * Why (measured, docs/benchmarks.md "Base64url decoding"): on x86 machines with AVX-512, Node's
 * native base64 decoder (`Buffer.from(s, 'base64url')`, `atob`) slows the code that runs after
 * it: an RSA-2048 verify after decoding even 24 characters takes about 1.2 µs longer (6%), an
 * ES256 verify about 8% longer, although the decoding itself takes 0.1–0.3 µs. Decoding a
 * token's segments in JavaScript costs a few hundred nanoseconds and leaves the signature
 * primitive at full speed. Past this size the decoding itself dominates and the native decoder
 * is faster.
 */
const JS_DECODE_MAX = 4096;

/**
 * Lookup tables for the four characters of a quantum, indexed by byte, each value already shifted
 * into place, and -2^24 (sign bit set once OR'ed) for bytes outside the base64url alphabet.
 */
const BAD = -0x1000000;
function shiftedTable(shift: number): Int32Array {
  const table = new Int32Array(256).fill(BAD);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i << shift;
  return table;
}
const Q0 = shiftedTable(18);
const Q1 = shiftedTable(12);
const Q2 = shiftedTable(6);
const Q3 = shiftedTable(0);

/** ORed into the result of {@link decodeInto}: a byte >= 0x80 was decoded (the bytes are not ASCII). */
const NON_ASCII = 0x808080;

/**
 * The text's characters as bytes, for decoding: reading a typed array is about twice as fast as
 * `charCodeAt` on the sliced strings a token's segments are. Only used synchronously.
 */
const SCRATCH = new Uint8Array(JS_DECODE_MAX);
const utf8Encoder = new TextEncoder();

/**
 * Decodes `text` (at most JS_DECODE_MAX characters, of a possible length) into `out`, checking
 * every character and the canonical end (RFC 4648 §3.5: unused bits zero). Returns the OR of
 * every decoded 24-bit group, so the caller can tell ASCII output (no bit of NON_ASCII set).
 */
function decodeInto(text: string, out: Uint8Array, name: string): number {
  const length = text.length;
  // Only ASCII text is all read and written one byte per character; anything else is not base64url.
  const { read, written } = utf8Encoder.encodeInto(text, SCRATCH);
  if (read !== length || written !== length) throw new Base64URLInvalidError(`${name} is not strict base64url`);
  const s = SCRATCH;
  const full = length - (length % 4);
  let all = 0;
  let o = 0;
  let i = 0;
  // Two quanta per turn (measured 15% faster than one), then at most one more.
  for (const pairs = length - (length % 8); i < pairs; i += 8) {
    const n = (Q0[s[i] as number] as number) | (Q1[s[i + 1] as number] as number) | (Q2[s[i + 2] as number] as number) | (Q3[s[i + 3] as number] as number);
    const m = (Q0[s[i + 4] as number] as number) | (Q1[s[i + 5] as number] as number) | (Q2[s[i + 6] as number] as number) | (Q3[s[i + 7] as number] as number);
    if ((n | m) < 0) throw new Base64URLInvalidError(`${name} is not strict base64url`);
    out[o] = n >>> 16;
    out[o + 1] = n >>> 8;
    out[o + 2] = n;
    out[o + 3] = m >>> 16;
    out[o + 4] = m >>> 8;
    out[o + 5] = m;
    o += 6;
    all |= n | m;
  }
  for (; i < full; i += 4) {
    const n = (Q0[s[i] as number] as number) | (Q1[s[i + 1] as number] as number) | (Q2[s[i + 2] as number] as number) | (Q3[s[i + 3] as number] as number);
    if (n < 0) throw new Base64URLInvalidError(`${name} is not strict base64url`);
    out[o] = n >>> 16;
    out[o + 1] = n >>> 8;
    out[o + 2] = n;
    o += 3;
    all |= n;
  }
  const rest = length - full;
  if (rest > 0) {
    const n = (Q0[s[i] as number] as number) | (Q1[s[i + 1] as number] as number) | (rest === 3 ? (Q2[s[i + 2] as number] as number) : 0);
    if (n < 0) throw new Base64URLInvalidError(`${name} is not strict base64url`);
    // RFC 4648 §3.5: the bits after the last whole byte must be zero, or the text is not canonical.
    if ((rest === 2 && (n & 0xffff) !== 0) || (rest === 3 && (n & 0xff) !== 0)) {
      throw new Base64URLInvalidError(`${name} is not canonical base64url`);
    }
    out[o] = n >>> 16;
    if (rest === 3) out[o + 1] = n >>> 8;
    all |= n & (rest === 3 ? 0xffff00 : 0xff0000);
  }
  return all;
}

function checkedLength(text: string, name: string): number {
  if (typeof text !== 'string') throw new Base64URLInvalidError(`${name} must be a base64url string`);
  const length = text.length;
  if (length % 4 === 1) throw new Base64URLInvalidError(`${name} has an impossible base64url length`);
  return Math.floor((length * 3) / 4);
}

/**
 * {@link decodeBase64URL} for bytes that never leave the library (a signature, a tag): on Node
 * the platform's own Buffer, without the plain view made for callers.
 * @internal
 */
export function decodeBase64URLInternal(text: string, name = 'value'): Uint8Array {
  const size = checkedLength(text, name);
  if (hasBuffer && text.length > JS_DECODE_MAX) {
    // Large input: Node's decoder. It skips characters outside the alphabet (whitespace, '=',
    // anything else), so any such character makes the output shorter than a strict decode would
    // be; it also accepts '+' and '/', which we look for separately.
    const bytes = Buffer.from(text, 'base64url');
    // Node reads a character above U+00FF by its low byte (U+0141 as 'A'): only ASCII text may pass.
    if (bytes.length !== size || text.includes('+') || text.includes('/') || Buffer.byteLength(text, 'utf8') !== text.length) {
      throw new Base64URLInvalidError(`${name} is not strict base64url`);
    }
    assertCanonicalEnd(text, name);
    return bytes;
  }
  const out = hasBuffer ? Buffer.allocUnsafe(size) : new Uint8Array(size);
  decodeInto(text, out, name);
  return out;
}

/** Where {@link decodeBase64URLTransient} writes: the most bytes JS_DECODE_MAX characters hold. */
const TRANSIENT = hasBuffer ? Buffer.allocUnsafeSlow((JS_DECODE_MAX * 3) / 4) : new Uint8Array((JS_DECODE_MAX * 3) / 4);

/**
 * {@link decodeBase64URLInternal} into a buffer shared by every call: the result is valid only
 * until the next call, so it is for bytes consumed at once, synchronously (a signature handed to
 * node:crypto's one-shot verify, which reads it before returning). Saves an allocation per token.
 * @internal
 */
export function decodeBase64URLTransient(text: string, name = 'value'): Uint8Array {
  const size = checkedLength(text, name);
  if (text.length > JS_DECODE_MAX) return decodeBase64URLInternal(text, name);
  decodeInto(text, TRANSIENT, name);
  return TRANSIENT.subarray(0, size);
}

/**
 * Decodes strict base64url straight to the UTF-8 text it encodes (a JWT claims set, a JSON
 * header). ASCII text, the usual case, is read from the decoded bytes as Latin-1 (one character
 * per byte, no UTF-8 decoding); anything else goes through the strict UTF-8 decoder. Same
 * strictness as {@link decodeBase64URL}.
 * @returns the text, or undefined when the bytes are not valid UTF-8 (the caller says what that means)
 * @throws ERR_BASE64URL_INVALID
 */
export function decodeBase64URLText(text: string, name = 'value'): string | undefined {
  const size = checkedLength(text, name);
  let bytes: Uint8Array;
  if (hasBuffer && text.length > JS_DECODE_MAX) {
    bytes = decodeBase64URLInternal(text, name);
  } else {
    bytes = hasBuffer ? Buffer.allocUnsafe(size) : new Uint8Array(size);
    // ASCII (no byte >= 0x80) is its own Latin-1 text: no UTF-8 decoding needed.
    if ((decodeInto(text, bytes, name) & NON_ASCII) === 0 && hasBuffer) return (bytes as Buffer).toString('latin1', 0, size);
  }
  try {
    return decodeUTF8(bytes);
  } catch {
    return undefined;
  }
}
