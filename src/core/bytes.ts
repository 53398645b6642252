/** Byte helpers shared by every layer. No crypto here: see `jwa/`. */
import { InvalidArgumentError } from './errors.js';

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 bytes of a string. */
export function encodeUTF8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Decodes UTF-8, throwing on invalid sequences.
 * SECURITY: a lenient decoder maps bad bytes to U+FFFD, so two different byte strings
 * would read as the same header (THREATS.md §17).
 */
export function decodeUTF8(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}

/** Concatenates byte arrays into a new one. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** True when `value` is a Uint8Array (including a Buffer). */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/** Throws unless `value` is a Uint8Array. */
export function assertBytes(value: unknown, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InvalidArgumentError(`${name} must be a Uint8Array`);
}

/** Big-endian 64-bit encoding of a non-negative safe integer (RFC 7518 §5.2.2.1 AL, §4.6.2 lengths). */
export function uint64BE(value: number): Uint8Array {
  const out = new Uint8Array(8);
  const high = Math.floor(value / 0x1_0000_0000);
  const low = value >>> 0;
  new DataView(out.buffer).setUint32(0, high);
  new DataView(out.buffer).setUint32(4, low);
  return out;
}

/** Big-endian 32-bit encoding (RFC 7518 §4.6.2 Concat KDF). */
export function uint32BE(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0);
  return out;
}

/**
 * Compares two byte arrays in time that depends only on their lengths.
 * SECURITY: used for MACs and tags when the platform's own comparison is not at hand (THREATS.md §27).
 */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/**
 * Compares two strings in time that depends only on their lengths (no early exit).
 * SECURITY: for MACs compared as canonical base64url text (THREATS.md §27); the encoding is a
 * bijection on canonical text, so equal text means equal MACs.
 */
export function timingSafeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
