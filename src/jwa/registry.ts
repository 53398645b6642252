/**
 * The JWS algorithm registry: one table keyed by `alg`, filled by one factory per family.
 * Code above this file receives a resolved {@link JWSAlgorithm} and never branches on `alg` again.
 */
import {
  AlgNoneError,
  AlgNotAllowedError,
  AlgRequiredError,
  AlgUnsupportedError,
  InvalidArgumentError,
  KeyPrivateRequiredError,
  KeyTooShortError,
  KeyTypeMismatchError,
  KeyUsageError,
} from '../core/errors.js';
import { ecdsa } from './ecdsa.js';
import { eddsa } from './eddsa.js';
import { hmac } from './hmac.js';
import type { JWSAlgorithm } from './jws-algorithm.js';
import type { TesseraKey } from './key.js';
import { rsassaPKCS1, rsassaPSS } from './rsassa.js';

const TABLE: ReadonlyMap<string, JWSAlgorithm> = new Map(
  [
    hmac(256),
    hmac(384),
    hmac(512),
    rsassaPKCS1(256),
    rsassaPKCS1(384),
    rsassaPKCS1(512),
    rsassaPSS(256),
    rsassaPSS(384),
    rsassaPSS(512),
    ecdsa('ES256', 'P-256', 256, 32),
    ecdsa('ES384', 'P-384', 384, 48),
    ecdsa('ES512', 'P-521', 512, 66),
    ecdsa('ES256K', 'secp256k1', 256, 32),
    eddsa('EdDSA', ['Ed25519', 'Ed448']),
    eddsa('Ed25519', ['Ed25519']),
    eddsa('Ed448', ['Ed448']),
  ].map((a) => [a.name, a]),
);

/** Every JWS `alg` tessera implements. `none` is not among them. */
export const JWS_ALGORITHMS: readonly string[] = Object.freeze([...TABLE.keys()]);

/**
 * Resolves an `alg` value to its descriptor.
 * @throws ERR_ALG_NONE for `none` (never accepted by anything that verifies),
 *         ERR_ALG_UNSUPPORTED for anything else unknown.
 */
export function resolveJWSAlgorithm(alg: unknown): JWSAlgorithm {
  const found = typeof alg === 'string' ? TABLE.get(alg) : undefined;
  if (found !== undefined) return found;
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    throw new AlgNoneError('alg "none" (an unsecured JWS) is never accepted here');
  }
  throw new AlgUnsupportedError(typeof alg === 'string' ? 'unsupported JWS algorithm' : 'alg must be a string');
}

/** True when `alg` names a JWS algorithm tessera implements. */
export function isJWSAlgorithm(alg: unknown): boolean {
  return typeof alg === 'string' && TABLE.has(alg);
}

/**
 * The JWS algorithms a key can be used with: its bound `alg`, else every algorithm of its
 * family (and curve) that its size allows.
 */
export function jwsAlgorithmsForKey(key: KeyShape): readonly string[] {
  const cached = derived.get(key);
  if (cached !== undefined) return cached;
  const out: string[] = [];
  if (key.alg !== undefined) {
    if (TABLE.has(key.alg)) out.push(key.alg);
  } else {
    for (const a of TABLE.values()) if (misfit(a, key) === undefined) out.push(a.name);
  }
  Object.freeze(out);
  derived.set(key, out);
  return out;
}

/** Derived allow-lists, per key object (keys are immutable, so this never goes stale). */
const derived = new WeakMap<KeyShape, readonly string[]>();

/** The facts about a key that decide which algorithms it fits. */
export interface KeyShape {
  readonly family: TesseraKey['family'];
  readonly crv: TesseraKey['crv'];
  readonly bits: number;
  readonly alg?: string | undefined;
}

/** True when the key's family, curve and size fit the algorithm (its bound alg is not checked). */
export function keyFitsJWS(a: JWSAlgorithm, key: KeyShape): boolean {
  return misfit(a, key) === undefined;
}

/** Why a key does not fit (no allocation on the hot path: errors are built only when thrown). */
function misfit(a: JWSAlgorithm, key: KeyShape): 'type' | 'size' | undefined {
  if (key.family !== a.family || (a.curves !== undefined && !a.curves.includes(key.crv as never))) return 'type';
  if (key.bits < a.minKeyBits) return 'size';
  return undefined;
}

/**
 * Checks that a key may be used with an algorithm for an operation.
 * SECURITY: this is the algorithm-family binding (THREATS.md §2, §3, §24): family, curve, size,
 * the key's bound `alg`, `use` and `key_ops`, and private-ness for signing.
 * @throws ERR_KEY_TYPE_MISMATCH, ERR_KEY_TOO_SHORT, ERR_KEY_USAGE, ERR_KEY_PRIVATE_REQUIRED
 */
export function assertKeyForJWS(a: JWSAlgorithm, key: TesseraKey, op: 'sign' | 'verify'): void {
  const why = misfit(a, key);
  if (why === 'type') {
    throw new KeyTypeMismatchError(`a ${key.family}${key.crv ? ` ${key.crv}` : ''} key cannot be used with ${a.name}`);
  }
  if (why === 'size') throw new KeyTooShortError(`${a.name} needs a key of at least ${a.minKeyBits} bits`);
  if (key.alg !== undefined && key.alg !== a.name) {
    throw new KeyUsageError(`the key is bound to another algorithm than ${a.name}`);
  }
  if (key.use !== undefined && key.use !== 'sig') throw new KeyUsageError('the key is not for signatures (use)');
  if (key.keyOps !== undefined && !key.keyOps.includes(op)) {
    throw new KeyUsageError(`the key's key_ops do not include "${op}"`);
  }
  if (op === 'sign' && key.kind === 'public') throw new KeyPrivateRequiredError(`${a.name} signing needs a private key`);
}

/**
 * Pins `alg` to an allow-list. The list is given by the caller or derived from the key.
 * @throws ERR_ALG_NONE, ERR_ALG_UNSUPPORTED, ERR_ALG_NOT_ALLOWED, ERR_ALG_REQUIRED
 */
export function pinJWSAlgorithm(alg: unknown, allowed: readonly string[] | undefined): JWSAlgorithm {
  const a = resolveJWSAlgorithm(alg);
  if (allowed === undefined) throw new AlgRequiredError('no allowed algorithms were given or derived from the key');
  // SECURITY: a string would match by substring ("ES256K".includes("ES256")).
  if (!Array.isArray(allowed)) throw new InvalidArgumentError('algorithms must be an array of algorithm names');
  if (!allowed.includes(a.name)) throw new AlgNotAllowedError(`${a.name} is not an allowed algorithm`);
  return a;
}
