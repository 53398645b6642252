/**
 * Verification steps 2 and 3: pin `alg` to the allow-list, then resolve the key(s).
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
import type { JWSAlgorithm } from '../jwa/jws-algorithm.js';
import { TesseraKey } from '../jwa/key.js';
import { assertKeyForJWS, jwsAlgorithmsForKey, keyFitsJWS, pinJWSAlgorithm, resolveJWSAlgorithm } from '../jwa/registry.js';
import { importKey, importKeySync, type KeyInput } from '../jwk/import.js';
import { KeySet, type KeySetEntry } from '../jwk/jwks.js';
import { importJWK, importJWKSync } from '../jwk/import.js';
import { RemoteJWKSet } from '../jwk/remote.js';
import type { JWSHeader, VerifiedJWSHeader, VerifyKey, VerifyOptions } from './types.js';

const MAX_TRIED_KEYS = 8;

/** The allow-list of a key set: every algorithm any member fits. */
function algorithmsOfSet(set: KeySet): string[] {
  const out = new Set<string>();
  for (const e of set.entries) for (const a of jwsAlgorithmsForKey(e)) out.add(a);
  return [...out];
}

function candidates(set: KeySet, header: JWSHeader, alg: JWSAlgorithm, options: VerifyOptions): KeySetEntry[] {
  const found = set.select({
    kid: header.kid,
    alg: alg.name,
    use: 'sig',
    keyOp: 'verify',
    filter: (e) => keyFitsJWS(alg, e),
  });
  if (found.length === 0) throw new JWKSNoMatchingKeyError('no key in the set matches the token');
  if (found.length > 1 && options.multipleKeys !== 'try') {
    throw new JWKSMultipleMatchingKeysError('several keys in the set match the token');
  }
  return found.slice(0, MAX_TRIED_KEYS);
}

function isResolver(key: VerifyKey): key is (h: VerifiedJWSHeader) => KeyInput | Promise<KeyInput> {
  return typeof key === 'function';
}

function pin(header: JWSHeader, allowed: readonly string[] | undefined): JWSAlgorithm {
  return pinJWSAlgorithm(header.alg, allowed);
}

function checked(alg: JWSAlgorithm, key: TesseraKey): TesseraKey {
  assertKeyForJWS(alg, key, 'verify');
  return key;
}

function assertKeyGiven(key: unknown): void {
  if (key === undefined || key === null || key === '') throw new KeyEmptyError('no key was given');
}

/**
 * Pins alg and resolves keys, synchronously (Node).
 * @returns the algorithm and the keys to try, in order.
 */
export function pinAndResolveSync(
  header: JWSHeader,
  key: VerifyKey,
  options: VerifyOptions,
): { alg: JWSAlgorithm; keys: TesseraKey[] } {
  assertKeyGiven(key);
  // Remote key sets: a synchronous caller cannot fetch, so only a fresh cached set will do.
  if (key instanceof RemoteJWKSet) key = key.keySetSync();
  if (key instanceof KeySet) {
    const alg = pin(header, options.algorithms ?? algorithmsOfSet(key));
    return { alg, keys: candidates(key, header, alg, options).map((e) => checked(alg, importJWKSync(e.jwk))) };
  }
  if (isResolver(key)) {
    if (options.algorithms === undefined) throw new AlgRequiredError('a key resolver needs an explicit algorithms list');
    const alg = pin(header, options.algorithms);
    const resolved = key(header as VerifiedJWSHeader);
    if (resolved instanceof Promise) throw new InvalidArgumentError('a synchronous verify needs a synchronous key resolver');
    return { alg, keys: [checked(alg, importKeySync(resolved))] };
  }
  const k = importKeySync(key);
  const alg = pin(header, options.algorithms ?? jwsAlgorithmsForKey(k));
  return { alg, keys: [checked(alg, k)] };
}

async function fromSet(set: KeySet, header: JWSHeader, options: VerifyOptions): Promise<{ alg: JWSAlgorithm; keys: TesseraKey[] }> {
  const alg = pin(header, options.algorithms ?? algorithmsOfSet(set));
  const entries = candidates(set, header, alg, options);
  const keys: TesseraKey[] = [];
  for (const e of entries) keys.push(checked(alg, await importJWK(e.jwk)));
  return { alg, keys };
}

/** Pins alg and resolves keys (any runtime). */
export async function pinAndResolve(
  header: JWSHeader,
  key: VerifyKey,
  options: VerifyOptions,
): Promise<{ alg: JWSAlgorithm; keys: TesseraKey[] }> {
  assertKeyGiven(key);
  if (key instanceof RemoteJWKSet) {
    // A miss (no matching key; with a derived allow-list, an alg no key has yet) may mean the
    // issuer rotated: the set refetches once, cooldown permitting, and resolution runs again.
    const derived = options.algorithms === undefined;
    // SECURITY: refuse what no key set could fix (`none`, unknown algs, algs outside an explicit
    // allow-list) before the set is fetched, so such tokens never cause a request.
    if (derived) resolveJWSAlgorithm(header.alg);
    else pin(header, options.algorithms);
    const isMiss = (err: unknown): boolean => err instanceof JWKSNoMatchingKeyError || (derived && err instanceof AlgNotAllowedError);
    return key.withKeySet((set) => fromSet(set, header, options), isMiss);
  }
  if (key instanceof KeySet) return fromSet(key, header, options);
  if (isResolver(key)) {
    if (options.algorithms === undefined) throw new AlgRequiredError('a key resolver needs an explicit algorithms list');
    const alg = pin(header, options.algorithms);
    const resolved = await key(header as VerifiedJWSHeader);
    assertKeyGiven(resolved);
    return { alg, keys: [checked(alg, await importKey(resolved))] };
  }
  const k = await importKey(key);
  const alg = pin(header, options.algorithms ?? jwsAlgorithmsForKey(k));
  return { alg, keys: [checked(alg, k)] };
}
