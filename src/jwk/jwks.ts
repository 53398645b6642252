/**
 * JWK Sets (RFC 7517 §5) and key selection.
 *
 * A set validates every member at construction and imports keys lazily, once, when a token asks
 * for them. Selection uses the header (`kid`, `alg`) and the keys' own `use`, `key_ops`, `kty`
 * and `crv`. `kid` is compared as an opaque string, never used as a path or query (THREATS.md §6).
 */
import {
  JWKSInvalidError,
  JWKSMultipleMatchingKeysError,
  JWKSNoMatchingKeyError,
  JWKSPrivateMemberError,
  TesseraError,
} from '../core/errors.js';
import type { TesseraKey } from '../jwa/key.js';
import type { Curve, JWK, KeyFamily } from '../jwa/types.js';
import { importJWK, importJWKSync } from './import.js';
import { checkJWK, hasPrivateMembers } from './validate.js';

/** What to select keys by. Every given criterion must match. */
export interface KeySelector {
  readonly kid?: string | undefined;
  /** The key must be usable with this algorithm: its bound `alg` equals it, or it has none. */
  readonly alg?: string | undefined;
  readonly use?: 'sig' | 'enc' | undefined;
  /** The key's `key_ops`, when present, must include this operation. */
  readonly keyOp?: string | undefined;
  readonly kty?: KeyFamily | undefined;
  readonly crv?: Curve | undefined;
  /** Further test, e.g. the algorithm's family and curve. */
  readonly filter?: ((entry: KeySetEntry) => boolean) | undefined;
}

/** One usable key of a set, before import. */
export interface KeySetEntry {
  readonly jwk: JWK;
  /** The key's own `alg`, if it has one. */
  readonly alg: string | undefined;
  readonly family: KeyFamily;
  readonly crv: Curve | undefined;
  readonly bits: number;
}

export interface KeySetOptions {
  /** Accept private members (`d`, `k`, …). Off by default: a published set holds public keys only. */
  readonly allowPrivate?: boolean;
}

/** A set of keys to verify (or decrypt) with. Build one with {@link createLocalJWKSet}. */
export class KeySet {
  readonly entries: readonly KeySetEntry[];
  /** How many members were ignored as unusable (unknown `kty`, bad members), per RFC 7517 §5. */
  readonly ignored: number;

  /** @internal use createLocalJWKSet */
  constructor(entries: KeySetEntry[], ignored: number) {
    this.entries = Object.freeze(entries);
    this.ignored = ignored;
    Object.freeze(this);
  }

  /** Every entry that matches the selector. */
  select(selector: KeySelector): KeySetEntry[] {
    return this.entries.filter((e) => matches(e, selector));
  }

  /**
   * The one key that matches.
   * @throws ERR_JWKS_NO_MATCHING_KEY, ERR_JWKS_MULTIPLE_MATCHING_KEYS
   */
  async getKey(selector: KeySelector): Promise<TesseraKey> {
    return importJWK(single(this.select(selector)).jwk);
  }

  /** Synchronous {@link getKey} (Node only). */
  getKeySync(selector: KeySelector): TesseraKey {
    return importJWKSync(single(this.select(selector)).jwk);
  }

  /** The public JWKS (private members never leave through this). */
  toJSON(): { keys: JWK[] } {
    return { keys: this.entries.map((e) => publicPart(e.jwk)) };
  }
}

function publicPart(jwk: JWK): JWK {
  const out: JWK = { kty: jwk.kty };
  for (const [k, v] of Object.entries(jwk)) {
    if (!['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'].includes(k)) out[k] = v;
  }
  return out;
}

function single(found: KeySetEntry[]): KeySetEntry {
  if (found.length === 0) throw new JWKSNoMatchingKeyError('no key in the set matches');
  if (found.length > 1) throw new JWKSMultipleMatchingKeysError('several keys in the set match; give a kid');
  return found[0] as KeySetEntry;
}

function matches(e: KeySetEntry, s: KeySelector): boolean {
  const jwk = e.jwk;
  if (s.kid !== undefined && jwk.kid !== s.kid) return false;
  if (s.alg !== undefined && jwk.alg !== undefined && jwk.alg !== s.alg) return false;
  if (s.use !== undefined && jwk.use !== undefined && jwk.use !== s.use) return false;
  if (s.keyOp !== undefined && jwk.key_ops !== undefined && !jwk.key_ops.includes(s.keyOp)) return false;
  if (s.kty !== undefined && e.family !== s.kty) return false;
  if (s.crv !== undefined && e.crv !== s.crv) return false;
  if (s.filter !== undefined && !s.filter(e)) return false;
  return true;
}

/**
 * Builds a key set from a JWKS object (or its JSON text).
 * @example
 * const keys = createLocalJWKSet(await (await fetch(url)).json());
 * const { payload } = await verifyJWS(token, keys);
 * @throws ERR_JWKS_INVALID, ERR_JWKS_PRIVATE_MEMBER
 */
export function createLocalJWKSet(jwks: unknown, options: KeySetOptions = {}): KeySet {
  let value = jwks;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new JWKSInvalidError('the JWKS is not valid JSON');
    }
  }
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys)) {
    throw new JWKSInvalidError('a JWKS must be an object with a "keys" array');
  }
  const keys = (value as { keys: unknown[] }).keys;
  const entries: KeySetEntry[] = [];
  let ignored = 0;
  for (const member of keys) {
    if (typeof member !== 'object' || member === null || Array.isArray(member)) {
      throw new JWKSInvalidError('every JWKS member must be an object');
    }
    // SECURITY: a public set with private members is a leak or a mistake; refuse it loudly.
    if (!options.allowPrivate && hasPrivateMembers(member as JWK)) {
      throw new JWKSPrivateMemberError('the key set contains private key members');
    }
    try {
      const c = checkJWK(member);
      const jwk = Object.freeze({ ...(member as JWK) });
      entries.push(Object.freeze({ jwk, alg: jwk.alg, family: c.family, crv: c.crv, bits: c.bits }));
    } catch (err) {
      // RFC 7517 §5: ignore members with unknown kty, missing members or unsupported values.
      if (!(err instanceof TesseraError)) throw err;
      ignored++;
    }
  }
  return new KeySet(entries, ignored);
}

/** True when `value` is a key set. */
export function isKeySet(value: unknown): value is KeySet {
  return value instanceof KeySet;
}
