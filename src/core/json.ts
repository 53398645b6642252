/**
 * Strict JSON for JOSE headers and JWT claims.
 *
 * RFC 7515 §4 and RFC 7519 §4 let a parser reject duplicate member names; we always do,
 * because parsers in other languages keep the first value where JSON.parse keeps the last
 * (THREATS.md §17). We also reject invalid UTF-8 and lone surrogates, and bound nesting depth.
 *
 * How: JSON.parse does the parsing (native and fast). One pass over the text counts the
 * members it declares (`:` outside strings) and checks `\u` escapes; if the parsed value holds
 * fewer members than the text declares, two of them collapsed into one: a duplicate, even when
 * spelled differently (`"a"` and `"\u0061"`).
 */
import { decodeUTF8 } from './bytes.js';
import { JSONDuplicateMemberError, JSONInvalidError } from './errors.js';

/** A parsed JSON object. */
export type JSONObject = { [member: string]: unknown };

const MAX_DEPTH = 32;

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function hexAt(text: string, i: number): number {
  for (let k = 0; k < 4; k++) if (!isHex(text.charCodeAt(i + k))) return -1;
  return parseInt(text.slice(i, i + 4), 16);
}

/** Counts declared members and validates escapes. Assumes JSON.parse accepted the text. */
function scan(text: string, name: string): number {
  let members = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) {
        if (text.charCodeAt(i + 1) === 0x75 /* u */) {
          const unit = hexAt(text, i + 2);
          if (unit >= 0xd800 && unit <= 0xdbff) {
            // A high surrogate must be followed by an escaped low surrogate.
            const next = text.charCodeAt(i + 6) === 0x5c && text.charCodeAt(i + 7) === 0x75 ? hexAt(text, i + 8) : -1;
            if (next < 0xdc00 || next > 0xdfff) throw new JSONInvalidError(`${name} contains a lone surrogate`);
            i += 11;
            continue;
          }
          if (unit >= 0xdc00 && unit <= 0xdfff) throw new JSONInvalidError(`${name} contains a lone surrogate`);
          i += 5;
        } else {
          i += 1;
        }
      } else if (c === 0x22 /* " */) {
        inString = false;
      } else if (c >= 0xd800 && c <= 0xdfff) {
        // A raw surrogate (only from a JS string, never from strict UTF-8) must be a high-low pair.
        const next = text.charCodeAt(i + 1);
        if (c > 0xdbff || next < 0xdc00 || next > 0xdfff) throw new JSONInvalidError(`${name} contains a lone surrogate`);
        i += 1;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x3a /* : */) {
      members++;
    }
  }
  return members;
}

function countMembers(value: unknown, depth: number, name: string): number {
  if (depth > MAX_DEPTH) throw new JSONInvalidError(`${name} is nested too deeply`);
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const item of value) n += countMembers(item, depth + 1, name);
    return n;
  }
  for (const key in value) {
    n += 1 + countMembers((value as JSONObject)[key], depth + 1, name);
  }
  return n;
}

/** Counts ':' characters (native indexOf, no per-character loop). */
function countColons(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) n++;
  return n;
}

/**
 * Members of the parsed value plus the ':' characters its keys and string values contain.
 * For text without any backslash, strings appear in the text exactly as parsed, so the text's
 * ':' count equals this exactly when no two members collapsed into one (a duplicate).
 */
function tally(value: unknown, depth: number, name: string): number {
  if (depth > MAX_DEPTH) throw new JSONInvalidError(`${name} is nested too deeply`);
  if (typeof value === 'string') return value.indexOf(':') === -1 ? 0 : countColons(value);
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  if (Array.isArray(value)) {
    for (const item of value) n += tally(item, depth + 1, name);
    return n;
  }
  for (const key in value) {
    n += 1 + tally((value as JSONObject)[key], depth + 1, name);
    if (key.indexOf(':') !== -1) n += countColons(key);
  }
  return n;
}

const isWellFormed: ((this: string) => boolean) | undefined = (String.prototype as { isWellFormed?: (this: string) => boolean })
  .isWellFormed;

/** True for a plain, non-array object. */
export function isJSONObject(value: unknown): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses text as a JSON object, rejecting duplicates, lone surrogates and deep nesting.
 * @throws ERR_JSON_INVALID, ERR_JSON_DUPLICATE_MEMBER
 */
export function parseJSONObjectText(text: string, name = 'JSON'): JSONObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JSONInvalidError(`${name} is not valid JSON`);
  }
  if (!isJSONObject(value)) throw new JSONInvalidError(`${name} must be a JSON object`);
  if (text.indexOf('\\') === -1 && isWellFormed !== undefined) {
    // Fast path (no escapes): natively count ':' in the text and compare with the parsed value.
    if (!isWellFormed.call(text)) throw new JSONInvalidError(`${name} contains a lone surrogate`);
    if (countColons(text) !== tally(value, 0, name)) {
      throw new JSONDuplicateMemberError(`${name} contains a duplicate member name`);
    }
    return value;
  }
  const declared = scan(text, name);
  if (declared !== countMembers(value, 0, name)) {
    throw new JSONDuplicateMemberError(`${name} contains a duplicate member name`);
  }
  return value;
}

/**
 * Parses UTF-8 bytes as a JSON object (see {@link parseJSONObjectText}).
 * @throws ERR_JSON_INVALID, ERR_JSON_DUPLICATE_MEMBER
 */
export function parseJSONObject(bytes: Uint8Array, name = 'JSON'): JSONObject {
  let text: string;
  try {
    text = decodeUTF8(bytes);
  } catch {
    throw new JSONInvalidError(`${name} is not valid UTF-8`);
  }
  return parseJSONObjectText(text, name);
}
