/**
 * Compact decryption by a route: the straight path for the common case, with the general path
 * (compact.ts → decrypt.ts) behind it for everything else.
 *
 * A compact JWE has one recipient whose JOSE header is the protected header (RFC 7516 §7.1), so
 * once the header is parsed the rest of the work depends only on (header, key, options): pin `alg`
 * and `enc`, check the key, `crit`, the AAD (RFC 7516 §5.2 step 14) and, for `dir`, the CEK. A
 * route holds that; a decrypter keeps one per protected header it sees, and `decryptJWE(Sync)`
 * keep the last table of routes per key (route-cache.ts). Per token the route path then splits
 * the token, decodes the four other parts strictly and runs the primitives.
 *
 * SECURITY: the route path accepts exactly what the general path accepts, and fails the same way.
 * Anything it does not handle itself (not a string, too long, not five parts, a header that does
 * not parse, a header or key the checks refuse, a part that is not strict base64url, a non-empty
 * encrypted key with `dir`) sends the token to the general path, which then throws its error in
 * its order. What the route path throws itself comes from the steps the general path would run
 * next, in the same order, on the same values: the unwrap (a failed unwrap goes on with a random
 * CEK, RFC 7516 §11.5), the content decryption (ERR_JWE_DECRYPTION_FAILED) and the decompression.
 */
import { platform } from '#platform';
import { decodeBase64URL } from '../core/base64url.js';
import type { ContentEncryption, KeyManagement } from '../jwa/jwe-algorithm.js';
import { directCEK } from '../jwa/dir.js';
import { JWE_ENCRYPTIONS, assertKeyForJWE, jweAlgorithmsForKey, pinContentEncryption, pinKeyManagement } from '../jwa/jwe-registry.js';
import type { TesseraKey } from '../jwa/key.js';
import { asciiBytes, decompress, decompressSync, limitsOf, type DecryptLimits } from './content.js';
import { unwrapOrRandom, unwrapOrRandomSync } from './decrypt.js';
import { DEFAULT_MAX_HEADER_LENGTH, DEFAULT_MAX_TOKEN_LENGTH, ZIP_DEFLATE, checkCrit, protectedHeaderOf } from './header.js';
import type { DecryptOptions, DecryptResult, JWEHeader } from './types.js';

const EMPTY = new Uint8Array(0);

/**
 * Decryption options read once, into one shape (so the functions below see one object layout
 * whatever the caller passed).
 */
export interface RouteOptions {
  readonly algorithms: readonly string[] | undefined;
  readonly encryptions: readonly string[];
  readonly crit: readonly string[] | undefined;
  readonly maxTokenLength: number;
  readonly maxHeaderLength: number;
  readonly limits: DecryptLimits;
}

/**
 * The options as a route reads them.
 * @throws ERR_INVALID_ARGUMENT for bad limits (as limitsOf)
 */
export function routeOptions(options: DecryptOptions): RouteOptions {
  return {
    algorithms: options.algorithms,
    encryptions: options.encryptions ?? JWE_ENCRYPTIONS,
    crit: options.crit,
    maxTokenLength: options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH,
    maxHeaderLength: options.maxHeaderLength ?? DEFAULT_MAX_HEADER_LENGTH,
    limits: limitsOf(options),
  };
}

/** Everything about a token that depends on its protected header, the key and the options alone. */
export interface Route {
  readonly encoded: string;
  readonly header: Readonly<JWEHeader>;
  readonly km: KeyManagement;
  readonly enc: ContentEncryption;
  readonly key: TesseraKey;
  /** RFC 7516 §5.2 step 14: ASCII(encoded protected header); compact has no `aad` member. */
  readonly aad: Uint8Array;
  /** `dir`: the CEK (the key), checked once; undefined for every other mode. */
  readonly cek: Uint8Array | undefined;
  readonly zip: boolean;
  readonly limits: DecryptLimits;
}

/**
 * The route of a header, or undefined when the general path must take the token (it then throws
 * the error these checks would, in its own order). The checks are those of decrypt.ts and keys.ts
 * for one recipient with a key given directly: `alg` and `enc` present (RFC 7516 §4.1.1–2), crit,
 * `alg` then `enc` pinned, the key fit for `alg`, and for `dir` the key usable as the CEK.
 */
export function routeOf(encoded: string, header: Readonly<JWEHeader>, key: TesseraKey, o: RouteOptions): Route | undefined {
  if (typeof header.alg !== 'string' || typeof header.enc !== 'string') return undefined;
  try {
    checkCrit(header, o.crit);
    const km = pinKeyManagement(header.alg, o.algorithms ?? jweAlgorithmsForKey(key));
    const enc = pinContentEncryption(header.enc, o.encryptions);
    assertKeyForJWE(km, key, 'decrypt');
    return {
      encoded,
      header,
      km,
      enc,
      key,
      aad: asciiBytes(encoded),
      cek: km.mode === 'direct' ? directCEK(km, key, enc) : undefined,
      // RFC 7516 §4.1.3: only "DEF" passes the header rules, and only in the protected header.
      zip: header.zip === ZIP_DEFLATE,
      limits: o.limits,
    };
  } catch {
    return undefined;
  }
}

/** A compact token cut into its five parts (the header parsed), before anything else is decoded. */
export interface TokenParts {
  readonly encoded: string;
  readonly header: Readonly<JWEHeader>;
  readonly encryptedKey: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

/**
 * Splits a token as parseCompactJWE does (size first, exactly five parts, a non-empty protected
 * header that parses), without an array; undefined for anything else.
 */
export function splitToken(token: unknown, o: RouteOptions): TokenParts | undefined {
  if (typeof token !== 'string' || token.length > o.maxTokenLength) return undefined;
  const a = token.indexOf('.');
  if (a <= 0) return undefined; // no dot, or an empty protected header
  const b = token.indexOf('.', a + 1);
  if (b < 0) return undefined;
  const c = token.indexOf('.', b + 1);
  if (c < 0) return undefined;
  const d = token.indexOf('.', c + 1);
  if (d < 0 || token.indexOf('.', d + 1) >= 0) return undefined;
  const encoded = token.slice(0, a);
  let header: Readonly<JWEHeader>;
  try {
    header = protectedHeaderOf(encoded, o.maxHeaderLength);
  } catch {
    return undefined;
  }
  return {
    encoded,
    header,
    encryptedKey: token.slice(a + 1, b),
    iv: token.slice(b + 1, c),
    ciphertext: token.slice(c + 1, d),
    tag: token.slice(d + 1),
  };
}

/** The decoded parts a route decrypts. */
export interface DecodedParts {
  readonly encryptedKey: Uint8Array;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

/**
 * Strict base64url of the four parts (the same decoder as the general path), or undefined.
 * `dir` takes an empty encrypted key (RFC 7516 §5.2 step 10): any other goes to the general path.
 */
export function decodeParts(route: Route, p: TokenParts): DecodedParts | undefined {
  if (route.cek !== undefined && p.encryptedKey !== '') return undefined;
  try {
    return {
      encryptedKey: p.encryptedKey === '' ? EMPTY : decodeBase64URL(p.encryptedKey, 'encrypted key'),
      iv: decodeBase64URL(p.iv, 'iv'),
      ciphertext: decodeBase64URL(p.ciphertext, 'ciphertext'),
      tag: decodeBase64URL(p.tag, 'tag'),
    };
  } catch {
    return undefined;
  }
}

function resultOf(route: Route, plaintext: Uint8Array): DecryptResult {
  // The same members, in the same order, as the general path's result for a compact JWE.
  return { plaintext, protectedHeader: route.header, key: route.key };
}

/**
 * Steps 4–6 of the general path for one recipient and one key: unwrap (or a random CEK), decrypt,
 * decompress.
 * @throws ERR_JWE_DECRYPTION_FAILED, the unwrap's own errors (ERR_PBES2_COUNT, ERR_JWE_EPK_INVALID,
 *   ERR_HEADER_INVALID, …), ERR_JWE_DECOMPRESSION_LIMIT, ERR_JWE_INVALID
 */
export function openSync(route: Route, d: DecodedParts): DecryptResult {
  const cek = route.cek ?? unwrapOrRandomSync(route.km, route.enc, route.key, d.encryptedKey, route.header, route.limits);
  const plaintext = route.enc.decryptSync(cek, d.iv, d.ciphertext, d.tag, route.aad);
  return resultOf(route, route.zip ? decompressSync(plaintext, true, route.limits) : plaintext);
}

/**
 * Asynchronous {@link openSync} (any runtime). With `dir` and no `zip` on node:crypto nothing can
 * leave the thread (no unwrap, no inflate), so the synchronous steps serve, without the awaits.
 */
export function open(route: Route, d: DecodedParts): Promise<DecryptResult> {
  if (route.cek !== undefined && !route.zip && platform.syncSupported) {
    try {
      return Promise.resolve(openSync(route, d));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return openAsync(route, d);
}

async function openAsync(route: Route, d: DecodedParts): Promise<DecryptResult> {
  const cek = route.cek ?? (await unwrapOrRandom(route.km, route.enc, route.key, d.encryptedKey, route.header, route.limits));
  const plaintext = await route.enc.decrypt(cek, d.iv, d.ciphertext, d.tag, route.aad);
  return resultOf(route, route.zip ? await decompress(plaintext, true, route.limits) : plaintext);
}

/** What a route needs to go on with a token, or undefined (the general path takes it). */
export interface Prepared {
  readonly route: Route;
  readonly parts: DecodedParts;
}

/**
 * A decrypter's routes: one per protected header seen (the header cache gives one frozen object
 * per encoded header, so it is the key), with the last one at hand, as a stream of tokens from one
 * sender repeats one header. A header the checks refuse is remembered too (as null).
 */
export class RouteTable {
  readonly #key: TesseraKey;
  readonly #options: RouteOptions;
  readonly #routes = new WeakMap<object, Route | null>();
  #last: Route | undefined;

  constructor(key: TesseraKey, options: RouteOptions) {
    this.#key = key;
    this.#options = options;
  }

  #routeOf(p: TokenParts): Route | undefined {
    const last = this.#last;
    if (last !== undefined && last.header === p.header && last.encoded === p.encoded) return last;
    let route = this.#routes.get(p.header);
    if (route === undefined) {
      route = routeOf(p.encoded, p.header, this.#key, this.#options) ?? null;
      this.#routes.set(p.header, route);
    }
    // SECURITY: the AAD is the encoded header; a route is only reused for the very same text.
    if (route === null || route.encoded !== p.encoded) return undefined;
    this.#last = route;
    return route;
  }

  /** The route and decoded parts of a token, or undefined (the general path takes it). */
  prepare(token: unknown): Prepared | undefined {
    const p = splitToken(token, this.#options);
    if (p === undefined) return undefined;
    const route = this.#routeOf(p);
    if (route === undefined) return undefined;
    const parts = decodeParts(route, p);
    return parts === undefined ? undefined : { route, parts };
  }
}
