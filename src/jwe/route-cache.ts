/**
 * Routes for the plain compact decrypt functions (`decryptJWE(Sync)` with one imported key): the
 * last route table made for each key, reused while the options that shape a route are the same
 * by value. Callers usually pass the same options on every call, often as a new object, and a
 * route made per call (pin `alg` and `enc`, check the key, the AAD, the `dir` CEK) costs about
 * 1 µs, a quarter of a small `dir` decryption.
 *
 * SECURITY: the lists are compared by content and kept as frozen copies, so a caller changing its
 * array later cannot widen a cached table's allow-lists; any option that differs makes a new
 * table. A table only reuses a route for the very same encoded header (route.ts).
 */
import { frozenCopy, sameStrings } from '../core/lists.js';
import type { TesseraKey } from '../jwa/key.js';
import { RouteTable, routeOptions, type Prepared } from './route.js';
import type { DecryptOptions } from './types.js';

interface CachedTable {
  readonly algorithms: readonly string[] | undefined;
  readonly encryptions: readonly string[] | undefined;
  readonly crit: readonly string[] | undefined;
  readonly maxTokenLength: number | undefined;
  readonly maxHeaderLength: number | undefined;
  readonly maxPBES2Count: number | undefined;
  readonly maxDecompressedLength: number | undefined;
  readonly table: RouteTable;
}

/** Keys are immutable, so a table stays right for its key as long as the options match. */
const tables = new WeakMap<TesseraKey, CachedTable>();

function matches(c: CachedTable, o: DecryptOptions): boolean {
  return (
    c.maxTokenLength === o.maxTokenLength &&
    c.maxHeaderLength === o.maxHeaderLength &&
    c.maxPBES2Count === o.maxPBES2Count &&
    c.maxDecompressedLength === o.maxDecompressedLength &&
    sameStrings(c.algorithms, o.algorithms) &&
    sameStrings(c.encryptions, o.encryptions) &&
    sameStrings(c.crit, o.crit)
  );
}

function isList(list: unknown): boolean {
  return list === undefined || Array.isArray(list);
}

/**
 * The route and decoded parts of a token for one plain call, or undefined (the general path takes
 * it, and throws what it finds: bad options included).
 */
export function preparePlain(token: unknown, key: TesseraKey, options: DecryptOptions): Prepared | undefined {
  let c = tables.get(key);
  if (c === undefined || !matches(c, options)) {
    // Lists that are not arrays: the general path says why (ERR_INVALID_ARGUMENT).
    if (!isList(options.algorithms) || !isList(options.encryptions) || !isList(options.crit)) return undefined;
    const copy: Omit<CachedTable, 'table'> = {
      algorithms: frozenCopy(options.algorithms),
      encryptions: frozenCopy(options.encryptions),
      crit: frozenCopy(options.crit),
      maxTokenLength: options.maxTokenLength,
      maxHeaderLength: options.maxHeaderLength,
      maxPBES2Count: options.maxPBES2Count,
      maxDecompressedLength: options.maxDecompressedLength,
    };
    let table: RouteTable;
    try {
      table = new RouteTable(key, routeOptions(copy as DecryptOptions));
    } catch {
      return undefined; // bad limits: the general path raises ERR_INVALID_ARGUMENT where it does
    }
    c = { ...copy, table };
    tables.set(key, c);
  }
  return c.table.prepare(token);
}
