/**
 * Decryption steps 2 and 3: pin `alg` and `enc` to their allow-lists, then resolve the key(s).
 * Shared by every serialization; the sync and async paths differ only in how keys are imported.
 */
import {
  AlgNotAllowedError,
  AlgRequiredError,
  InvalidArgumentError,
  JWKSMultipleMatchingKeysError,
  JWKSNoMatchingKeyError,
  KeyEmptyError,
} from '../core/errors.js';
import type { ContentEncryption, KeyManagement } from '../jwa/jwe-algorithm.js';
import {
  JWE_ENCRYPTIONS,
  assertKeyForJWE,
  jweAlgorithmsForKey,
  pinContentEncryption,
  pinKeyManagement,
  resolveKeyManagement,
} from '../jwa/jwe-registry.js';
import type { TesseraKey } from '../jwa/key.js';
import { importJWK, importJWKSync, importKey, importKeySync, type KeyInput } from '../jwk/import.js';
import { KeySet, type KeySetEntry } from '../jwk/jwks.js';
import { RemoteJWKSet } from '../jwk/remote.js';
import type { DecryptKey, DecryptKeyResolver, DecryptOptions, JWEHeader } from './types.js';

/** SECURITY: a bound on the work one recipient can cause with `multipleKeys: 'try'`. */
const MAX_TRIED_KEYS = 8;

/** What steps 2 and 3 give: the pinned algorithms and the keys to try, in order. */
export interface Resolved {
  readonly km: KeyManagement;
  readonly enc: ContentEncryption;
  readonly keys: TesseraKey[];
}

/** The allow-list of a key set: every algorithm any member fits (never PBES2: see jweAlgorithmsForKey). */
function algorithmsOfSet(set: KeySet): string[] {
  const out = new Set<string>();
  for (const e of set.entries) for (const a of jweAlgorithmsForKey(e)) out.add(a);
  return [...out];
}

/**
 * True when a set member can serve `km`: as its derived algorithms say (which honour its bound
 * `alg`, and a `dir` key bound to an `enc`), or by family and binding for explicit-only PBES2.
 */
function fits(km: KeyManagement, e: KeySetEntry): boolean {
  if (km.explicitOnly) return e.family === km.family && (e.alg === undefined || e.alg === km.name);
  return jweAlgorithmsForKey(e).includes(km.name);
}

function candidates(set: KeySet, header: JWEHeader, km: KeyManagement, options: DecryptOptions): KeySetEntry[] {
  const found = set.select({ kid: header.kid, use: 'enc', filter: (e) => fits(km, e) });
  if (found.length === 0) throw new JWKSNoMatchingKeyError('no key in the set matches the token');
  if (found.length > 1 && options.multipleKeys !== 'try') {
    throw new JWKSMultipleMatchingKeysError('several keys in the set match the token');
  }
  return found.slice(0, MAX_TRIED_KEYS);
}

function isResolver(key: DecryptKey): key is DecryptKeyResolver {
  return typeof key === 'function';
}

/** Step 2: `alg` first (RFC 7516 §5.2 step 6 needs it before anything else), then `enc`. */
function pin(header: JWEHeader, allowed: readonly string[] | undefined, options: DecryptOptions): Omit<Resolved, 'keys'> {
  const km = pinKeyManagement(header.alg, allowed);
  const enc = pinContentEncryption(header.enc, options.encryptions ?? JWE_ENCRYPTIONS);
  return { km, enc };
}

function checked(km: KeyManagement, key: TesseraKey): TesseraKey {
  assertKeyForJWE(km, key, 'decrypt');
  return key;
}

function assertKeyGiven(key: unknown): void {
  if (key === undefined || key === null || key === '') throw new KeyEmptyError('no key was given');
}

function requireAlgorithms(options: DecryptOptions): readonly string[] {
  if (options.algorithms === undefined) throw new AlgRequiredError('a key resolver needs an explicit algorithms list');
  return options.algorithms;
}

/**
 * Pins the algorithms and resolves keys, synchronously (Node).
 * @param header the recipient's JOSE header (protected ∪ shared ∪ per-recipient)
 * @throws ERR_ALG_*, ERR_KEY_*, ERR_JWKS_*, ERR_INVALID_ARGUMENT (an async resolver)
 */
export function pinAndResolveSync(header: JWEHeader, key: DecryptKey, options: DecryptOptions): Resolved {
  assertKeyGiven(key);
  // [remote JWKS] a synchronous caller cannot fetch, so only a fresh cached set will do.
  if (key instanceof RemoteJWKSet) key = key.keySetSync();
  if (key instanceof KeySet) {
    const p = pin(header, options.algorithms ?? algorithmsOfSet(key), options);
    return { ...p, keys: candidates(key, header, p.km, options).map((e) => checked(p.km, importJWKSync(e.jwk))) };
  }
  if (isResolver(key)) {
    const p = pin(header, requireAlgorithms(options), options);
    const resolved = key(header);
    if (resolved instanceof Promise) throw new InvalidArgumentError('a synchronous decrypt needs a synchronous key resolver');
    assertKeyGiven(resolved);
    return { ...p, keys: [checked(p.km, importKeySync(resolved))] };
  }
  const k = importKeySync(key);
  const p = pin(header, options.algorithms ?? jweAlgorithmsForKey(k), options);
  return { ...p, keys: [checked(p.km, k)] };
}

async function fromSet(set: KeySet, header: JWEHeader, options: DecryptOptions): Promise<Resolved> {
  const p = pin(header, options.algorithms ?? algorithmsOfSet(set), options);
  const keys: TesseraKey[] = [];
  for (const e of candidates(set, header, p.km, options)) keys.push(checked(p.km, await importJWK(e.jwk)));
  return { ...p, keys };
}

/**
 * Pins the algorithms and resolves keys (any runtime).
 * @throws as {@link pinAndResolveSync}
 */
export async function pinAndResolve(header: JWEHeader, key: DecryptKey, options: DecryptOptions): Promise<Resolved> {
  assertKeyGiven(key);
  // [remote JWKS] begin: a miss (no matching key; with a derived allow-list, an alg no key has
  // yet) refetches the set once, cooldown permitting, and resolution runs again.
  if (key instanceof RemoteJWKSet) {
    const derived = options.algorithms === undefined;
    // SECURITY: refuse what no key set could fix before the set is fetched.
    if (derived) resolveKeyManagement(header.alg);
    else pin(header, options.algorithms, options);
    const isMiss = (err: unknown): boolean => err instanceof JWKSNoMatchingKeyError || (derived && err instanceof AlgNotAllowedError);
    return key.withKeySet((set) => fromSet(set, header, options), isMiss);
  }
  // [remote JWKS] end
  if (key instanceof KeySet) return fromSet(key, header, options);
  if (isResolver(key)) {
    const p = pin(header, requireAlgorithms(options), options);
    const resolved = await key(header);
    assertKeyGiven(resolved);
    return { ...p, keys: [checked(p.km, await importKey(resolved))] };
  }
  const k = await importKey(key as KeyInput);
  const p = pin(header, options.algorithms ?? jweAlgorithmsForKey(k), options);
  return { ...p, keys: [checked(p.km, k)] };
}

/** True for a key set or a resolver: inputs a factory cannot import ahead of time. */
export function isDeferredKey(key: DecryptKey): boolean {
  return key instanceof KeySet || key instanceof RemoteJWKSet || isResolver(key);
}
