/**
 * What the JWS and JWE header layers share: the registered header names, the type rules for the
 * members both use, and a small cache of parsed protected headers. Most services see
 * a handful of distinct headers, so parsing each once saves the decode and the JSON scan on every
 * token. Entries are deep-frozen, so no caller can change what the next one sees; only headers
 * that passed every parsing rule enter. Headers that differ per message (a JWE `epk`) cycle out.
 */
import { HeaderInvalidError, HeaderTooLargeError } from './errors.js';

/** Header names the JWS and JWE specifications define; RFC 7515 §4.1.11 forbids them in `crit`. */
export const REGISTERED_HEADER_NAMES: ReadonlySet<string> = new Set([
  'alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit',
  'enc', 'zip', 'epk', 'apu', 'apv', 'iv', 'tag', 'p2s', 'p2c',
]);
const MAX_KID_LENGTH = 1024;

/**
 * Type checks for registered members (RFC 7515 §4.1, RFC 7516 §4.1): the named string members,
 * a bounded `kid`, `x5c` as an array of strings, and the named object members.
 * @throws ERR_HEADER_INVALID
 */
export function checkMemberTypes(
  header: Readonly<Record<string, unknown>>,
  where: string,
  strings: readonly string[],
  objects: readonly string[],
): void {
  for (const m of strings) {
    if (header[m] !== undefined && typeof header[m] !== 'string') {
      throw new HeaderInvalidError(`${where} "${m}" must be a string`);
    }
  }
  if (typeof header.kid === 'string' && header.kid.length > MAX_KID_LENGTH) {
    throw new HeaderInvalidError(`${where} "kid" is too long`);
  }
  const x5c = header.x5c;
  if (x5c !== undefined && (!Array.isArray(x5c) || x5c.some((c) => typeof c !== 'string'))) {
    throw new HeaderInvalidError(`${where} "x5c" must be an array of strings`);
  }
  for (const m of objects) {
    const v = header[m];
    if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v))) {
      throw new HeaderInvalidError(`${where} "${m}" must be an object`);
    }
  }
}

/** Freezes an object and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Wraps a header parser with a bounded cache keyed by the exact encoded text.
 * The size limit is checked before the lookup, so a cached header never bypasses it.
 */
export function cachedHeaderParser<H extends object>(
  parse: (encoded: string, maxLength: number) => H,
  max = 256,
): (encoded: string, maxLength: number) => Readonly<H> {
  const cache = new Map<string, Readonly<H>>();
  // The last header returned: a stream of tokens from one issuer repeats it, and comparing two
  // strings is cheaper than hashing one for the map.
  let lastEncoded = '';
  let lastHeader: Readonly<H> | undefined;
  return (encoded, maxLength) => {
    if (encoded.length > maxLength) throw new HeaderTooLargeError('the protected header is too large');
    if (encoded === lastEncoded && lastHeader !== undefined) return lastHeader;
    const hit = cache.get(encoded);
    if (hit !== undefined) {
      lastEncoded = encoded;
      lastHeader = hit;
      return hit;
    }
    const header = deepFreeze(parse(encoded, maxLength));
    if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    cache.set(encoded, header);
    lastEncoded = encoded;
    lastHeader = header;
    return header;
  };
}
