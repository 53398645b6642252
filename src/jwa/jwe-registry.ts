/**
 * The JWE algorithm registry: one table for key management (`alg`, RFC 7518 §4) and one for content
 * encryption (`enc`, RFC 7518 §5), filled by one factory per family. Code above this file receives
 * resolved descriptors and never branches on an `alg` or `enc` string again.
 */
import {
  AlgNotAllowedError,
  AlgRequiredError,
  AlgUnsupportedError,
  InvalidArgumentError,
  KeyPrivateRequiredError,
  KeyUsageError,
} from '../core/errors.js';
import { assertKeyFits, misfit } from './_jwe-shared.js';
import { aesCBCHS } from './aes-cbc-hs.js';
import { aesGCM } from './aes-gcm.js';
import { aesGCMKW } from './aes-gcm-kw.js';
import { aesKW } from './aes-kw.js';
import { dir } from './dir.js';
import { ecdhES } from './ecdh-es.js';
import type { ContentEncryption, KeyManagement, KeyManagementMode } from './jwe-algorithm.js';
import type { TesseraKey } from './key.js';
import { pbes2 } from './pbes2.js';
import type { KeyShape } from './registry.js';
import { rsaOAEP } from './rsa-oaep.js';

const KEY_MANAGEMENT: ReadonlyMap<string, KeyManagement> = new Map(
  [
    dir(),
    aesKW(128),
    aesKW(192),
    aesKW(256),
    aesGCMKW(128),
    aesGCMKW(192),
    aesGCMKW(256),
    rsaOAEP('RSA-OAEP', 'SHA-1'),
    rsaOAEP('RSA-OAEP-256', 'SHA-256'),
    rsaOAEP('RSA-OAEP-384', 'SHA-384'),
    rsaOAEP('RSA-OAEP-512', 'SHA-512'),
    ecdhES(),
    ecdhES(128),
    ecdhES(192),
    ecdhES(256),
    pbes2(256, 128),
    pbes2(384, 192),
    pbes2(512, 256),
  ].map((a) => [a.name, a]),
);

const CONTENT_ENCRYPTION: ReadonlyMap<string, ContentEncryption> = new Map(
  [aesGCM(128), aesGCM(192), aesGCM(256), aesCBCHS(128), aesCBCHS(192), aesCBCHS(256)].map((e) => [e.name, e]),
);

/** Every JWE `alg` tessera implements. `RSA1_5` is deliberately not among them. */
export const JWE_ALGORITHMS: readonly string[] = Object.freeze([...KEY_MANAGEMENT.keys()]);
/** Every JWE `enc` tessera implements. */
export const JWE_ENCRYPTIONS: readonly string[] = Object.freeze([...CONTENT_ENCRYPTION.keys()]);

/** CEK lengths of the `enc` algorithms: the sizes a `dir` key can have. */
const DIRECT_KEY_BITS: ReadonlySet<number> = new Set([...CONTENT_ENCRYPTION.values()].map((e) => e.cekLength * 8));

/**
 * Resolves an `alg` value to its key-management descriptor.
 * @example
 * const km = resolveKeyManagement('ECDH-ES+A256KW'); // km.mode === 'key-agreement-wrap'
 * @throws ERR_ALG_UNSUPPORTED for anything unknown, `none` (not a JWE algorithm) and `RSA1_5`
 */
export function resolveKeyManagement(alg: unknown): KeyManagement {
  const found = typeof alg === 'string' ? KEY_MANAGEMENT.get(alg) : undefined;
  if (found !== undefined) return found;
  if (alg === 'RSA1_5') {
    // SECURITY (THREATS.md §14): PKCS#1 v1.5 decryption is what the Bleichenbacher (1998) and
    // Marvin (2023) padding-oracle attacks break; Node 20 refuses it too (CVE-2023-46809).
    throw new AlgUnsupportedError('RSA1_5 is not supported: RSAES-PKCS1-v1_5 decryption is open to Bleichenbacher and Marvin padding-oracle attacks; use RSA-OAEP-256');
  }
  throw new AlgUnsupportedError(typeof alg === 'string' ? 'unsupported JWE key management algorithm' : 'alg must be a string');
}

/**
 * Resolves an `enc` value to its content-encryption descriptor.
 * @example
 * const enc = resolveContentEncryption('A256GCM'); // enc.cekLength === 32
 * @throws ERR_ALG_UNSUPPORTED
 */
export function resolveContentEncryption(enc: unknown): ContentEncryption {
  const found = typeof enc === 'string' ? CONTENT_ENCRYPTION.get(enc) : undefined;
  if (found !== undefined) return found;
  throw new AlgUnsupportedError(typeof enc === 'string' ? 'unsupported JWE content encryption algorithm' : 'enc must be a string');
}

/** True when `alg` names a JWE key-management algorithm tessera implements. */
export function isKeyManagementAlgorithm(alg: unknown): boolean {
  return typeof alg === 'string' && KEY_MANAGEMENT.has(alg);
}

/** True when `enc` names a JWE content-encryption algorithm tessera implements. */
export function isContentEncryptionAlgorithm(enc: unknown): boolean {
  return typeof enc === 'string' && CONTENT_ENCRYPTION.has(enc);
}

/**
 * Pins `alg` to an allow-list, given by the caller or derived from the key.
 * @throws ERR_ALG_UNSUPPORTED, ERR_ALG_REQUIRED (no list), ERR_ALG_NOT_ALLOWED
 */
export function pinKeyManagement(alg: unknown, allowed: readonly string[] | undefined): KeyManagement {
  const km = resolveKeyManagement(alg);
  if (allowed === undefined) throw new AlgRequiredError('no allowed key management algorithms were given or derived from the key');
  // SECURITY: a string would match by substring ("RSA-OAEP-256".includes("RSA-OAEP")).
  if (!Array.isArray(allowed)) throw new InvalidArgumentError('algorithms must be an array of algorithm names');
  if (!allowed.includes(km.name)) throw new AlgNotAllowedError(`${km.name} is not an allowed key management algorithm`);
  return km;
}

/**
 * Pins `enc` to an allow-list; undefined allows every supported `enc`.
 * @throws ERR_ALG_UNSUPPORTED, ERR_ALG_NOT_ALLOWED
 */
export function pinContentEncryption(enc: unknown, allowed: readonly string[] | undefined): ContentEncryption {
  const e = resolveContentEncryption(enc);
  if (allowed !== undefined && !Array.isArray(allowed)) throw new InvalidArgumentError('encryptions must be an array of algorithm names');
  if (allowed !== undefined && !allowed.includes(e.name)) throw new AlgNotAllowedError(`${e.name} is not an allowed content encryption algorithm`);
  return e;
}

/** Derived allow-lists, per key object (keys are immutable, so this never goes stale). */
const derived = new WeakMap<KeyShape, readonly string[]>();

/** True when an unbound key of this shape derives `km` (never an explicit-only one). */
function derives(km: KeyManagement, key: KeyShape): boolean {
  if (km.explicitOnly || misfit(km, key) !== undefined) return false;
  // `dir`: only a key as long as some `enc` takes.
  return km.mode !== 'direct' || DIRECT_KEY_BITS.has(key.bits);
}

/**
 * The key-management algorithms a key can be used with: its bound `alg` (a `dir` key bound to an
 * `enc` gives `dir`), else every algorithm its family, curve and size fit: for an `oct` key, the
 * A*KW and A*GCMKW of its exact size, and `dir`; for RSA the RSA-OAEP family; for an EC or X
 * curve key, the ECDH-ES family.
 * SECURITY: never PBES2, which must be allowed explicitly (THREATS.md §8).
 * @example
 * jweAlgorithmsForKey(await importSecret(bytes32)); // ['dir', 'A256KW', 'A256GCMKW']
 */
export function jweAlgorithmsForKey(key: KeyShape): readonly string[] {
  const cached = derived.get(key);
  if (cached !== undefined) return cached;
  const out: string[] = [];
  if (key.alg !== undefined) {
    const bound = KEY_MANAGEMENT.get(key.alg);
    if (bound !== undefined && !bound.explicitOnly) out.push(bound.name);
    else if (CONTENT_ENCRYPTION.has(key.alg) && key.family === 'oct') out.push('dir');
  } else {
    for (const km of KEY_MANAGEMENT.values()) if (derives(km, key)) out.push(km.name);
  }
  Object.freeze(out);
  derived.set(key, out);
  return out;
}

/**
 * RFC 7517 §4.3 operations that allow each mode, per side (any one of them will do). Undefined: no
 * check. The recipient's ECDH public key takes no operation of its own (WebCrypto exports it with
 * `"key_ops": []`): the sender's ephemeral private key does the deriving.
 */
const KEY_OPS: Readonly<Record<KeyManagementMode, { encrypt?: readonly string[]; decrypt: readonly string[] }>> = {
  direct: { encrypt: ['encrypt'], decrypt: ['decrypt'] },
  'key-wrap': { encrypt: ['wrapKey', 'encrypt'], decrypt: ['unwrapKey', 'decrypt'] },
  'key-encryption': { encrypt: ['wrapKey', 'encrypt'], decrypt: ['unwrapKey', 'decrypt'] },
  password: { encrypt: ['deriveKey', 'deriveBits', 'wrapKey'], decrypt: ['deriveKey', 'deriveBits', 'unwrapKey'] },
  'key-agreement': { decrypt: ['deriveKey', 'deriveBits'] },
  'key-agreement-wrap': { decrypt: ['deriveKey', 'deriveBits', 'unwrapKey'] },
};

/** True when the key's bound `alg` allows `km` (a `dir` key may be bound to one `enc`). */
function bindingAllows(km: KeyManagement, alg: string | undefined): boolean {
  return alg === undefined || alg === km.name || (km.mode === 'direct' && CONTENT_ENCRYPTION.has(alg));
}

/**
 * Checks that a key may be used with a key-management algorithm for an operation.
 * SECURITY: the algorithm-family binding (THREATS.md §2, §3, §24): family, curve and size; the
 * key's bound `alg`, `use` (must be `enc`) and `key_ops`; a private key to decrypt. For `dir`, the
 * key's length must equal the `enc` CEK length: that is checked when the `enc` is known, in
 * wrap/unwrap, with ERR_KEY_TYPE_MISMATCH.
 * @throws ERR_KEY_TYPE_MISMATCH (family, curve, or an AES key of another size), ERR_KEY_TOO_SHORT
 *         (RSA under 2048 bits), ERR_KEY_USAGE, ERR_KEY_PRIVATE_REQUIRED
 */
export function assertKeyForJWE(km: KeyManagement, key: TesseraKey, op: 'encrypt' | 'decrypt'): void {
  assertKeyFits(km, key);
  if (!bindingAllows(km, key.alg)) throw new KeyUsageError(`the key is bound to another algorithm than ${km.name}`);
  if (key.use !== undefined && key.use !== 'enc') throw new KeyUsageError('the key is not for encryption (use)');
  const ops = KEY_OPS[km.mode][op];
  if (key.keyOps !== undefined && ops !== undefined && !key.keyOps.some((o) => ops.includes(o))) {
    throw new KeyUsageError(`the key's key_ops allow none of ${ops.join(', ')}`);
  }
  if (op === 'decrypt' && key.kind === 'public') throw new KeyPrivateRequiredError(`${km.name} decryption needs a private key`);
}
