/**
 * The verified-token cache of a JWT verifier (off by default; see docs/jwt.md for the trade-off).
 *
 * SECURITY (THREATS.md §21):
 * - keyed by the full token text, in a Map that belongs to one verifier, so the verifier's
 *   configuration is part of the key without any key-building code that could collide;
 * - only what the signature and the static checks established is reused: the time rules (`exp`,
 *   `nbf`, `iat`, `maxTokenAge`) run again on every hit, and an expired entry is dropped;
 * - bounded (oldest entry evicted first), and emptied when the key set changes (its `generation`
 *   counter moves), so a rotated-out or revoked key stops vouching for cached tokens at once.
 */
import { InvalidArgumentError, JWTExpiredError } from '../core/errors.js';
import type { JWTVerifyResult } from './types.js';
import { checkTemporalClaims, type PreparedValidation } from './validate.js';

/** Options of the verified-token cache. */
export interface VerifiedTokenCacheOptions {
  /** Most entries kept. Default 1000. */
  readonly max?: number;
}

/** Tokens longer than this are verified but never cached, so the cache's memory stays bounded. */
export const MAX_CACHED_TOKEN_LENGTH = 8192;
const DEFAULT_MAX = 1000;
const LIMIT = 1_000_000;

/**
 * The `generation` counter of a key source that can change (a remote JWKS, or a resolver function
 * that exposes one), or undefined for one that never does.
 */
export function generationOf(key: unknown): number | undefined {
  if ((typeof key !== 'object' && typeof key !== 'function') || key === null) return undefined;
  const g = (key as { readonly generation?: unknown }).generation;
  return typeof g === 'number' ? g : undefined;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A per-verifier cache of verified results. */
export class VerifiedTokenCache {
  readonly #max: number;
  readonly #entries = new Map<string, JWTVerifyResult>();
  #generation: number | undefined;

  constructor(options: VerifiedTokenCacheOptions | true) {
    const max = options === true ? DEFAULT_MAX : (options.max ?? DEFAULT_MAX);
    if (!Number.isInteger(max) || max < 1 || max > LIMIT) throw new InvalidArgumentError('cache.max must be an integer from 1 to 1,000,000');
    this.#max = max;
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Brings the cache up to the key set's generation (emptying it when that moved) and returns
   * the generation, to hand back to {@link set}.
   */
  sync(key: unknown): number | undefined {
    const g = generationOf(key);
    if (g !== this.#generation) {
      this.#entries.clear();
      this.#generation = g;
    }
    return g;
  }

  /**
   * A cached result still valid now, or undefined. The time rules run again here.
   * @throws ERR_JWT_EXPIRED, ERR_JWT_CLAIM_INVALID (a cached token that is no longer valid)
   */
  get(token: string, v: PreparedValidation): JWTVerifyResult | undefined {
    const hit = this.#entries.get(token);
    if (hit === undefined) return undefined;
    try {
      checkTemporalClaims(hit.payload, v);
    } catch (err) {
      if (err instanceof JWTExpiredError) this.#entries.delete(token);
      throw err;
    }
    return hit;
  }

  /**
   * Stores a verified result (frozen), unless the key set changed while it was verified.
   * @returns the result as stored (frozen)
   */
  set(token: string, result: JWTVerifyResult, generation: number | undefined): JWTVerifyResult {
    const frozen = Object.freeze({ ...result, payload: deepFreeze(result.payload) });
    if (token.length > MAX_CACHED_TOKEN_LENGTH || generation !== this.#generation) return frozen;
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(token, frozen);
    return frozen;
  }

  /** Empties the cache. */
  clear(): void {
    this.#entries.clear();
  }
}
