/**
 * A small cache of parsed protected headers, shared by the JWS and JWE layers: most services see
 * a handful of distinct headers, so parsing each once saves the decode and the JSON scan on every
 * token. Entries are deep-frozen, so no caller can change what the next one sees; only headers
 * that passed every parsing rule enter. Headers that differ per message (a JWE `epk`) cycle out.
 */
import { HeaderTooLargeError } from './errors.js';

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
  return (encoded, maxLength) => {
    if (encoded.length > maxLength) throw new HeaderTooLargeError('the protected header is too large');
    const hit = cache.get(encoded);
    if (hit !== undefined) return hit;
    const header = deepFreeze(parse(encoded, maxLength));
    if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    cache.set(encoded, header);
    return header;
  };
}
