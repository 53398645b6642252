/** Key generation for every algorithm tessera implements, JWS and JWE. */
import { platform } from '#platform';
import { InvalidArgumentError } from '../core/errors.js';
import { isContentEncryptionAlgorithm, resolveContentEncryption, resolveKeyManagement } from '../jwa/jwe-registry.js';
import type { TesseraKey } from '../jwa/key.js';
import { isJWSAlgorithm, resolveJWSAlgorithm } from '../jwa/registry.js';
import { RSA_MIN_BITS } from '../jwa/rsassa.js';
import type { Curve, GenerateSpec } from '../jwa/types.js';
import { importJWK } from './import.js';
import { calculateThumbprint } from './thumbprint.js';

export interface GenerateOptions {
  /** RSA modulus length. Default 2048; less is refused. */
  readonly modulusLength?: number;
  /** The `kid`. Default: the RFC 7638 SHA-256 thumbprint. */
  readonly kid?: string;
  /**
   * The curve, for algorithms that take several: `EdDSA` (Ed25519 by default, or Ed448) and the
   * ECDH-ES family (P-256 by default, or P-384, P-521, X25519, X448).
   */
  readonly crv?: Curve;
  /** For `dir`: the content encryption the key is for (`generateKey('dir', { enc })` is `generateKey(enc)`). */
  readonly enc?: string;
}

/** What to generate, and what to bind the key to. */
interface Plan {
  readonly spec: GenerateSpec;
  /** The `alg` the key is bound to. */
  readonly alg: string;
  readonly use: 'sig' | 'enc';
}

function withCurve(alg: string, spec: GenerateSpec, curves: readonly Curve[] | undefined, crv: Curve | undefined): GenerateSpec {
  if (crv === undefined) return spec;
  if (curves === undefined || !curves.includes(crv)) throw new InvalidArgumentError(`${alg} does not take the curve ${String(crv)}`);
  return { kty: crv.startsWith('P-') || crv === 'secp256k1' ? 'EC' : 'OKP', crv };
}

function withModulus(spec: GenerateSpec, options: GenerateOptions): GenerateSpec {
  if (spec.kty !== 'RSA') return spec;
  const bits = options.modulusLength ?? spec.bits;
  if (!Number.isInteger(bits) || bits < RSA_MIN_BITS || bits > 16384 || bits % 8 !== 0) {
    throw new InvalidArgumentError(`modulusLength must be a multiple of 8 from ${RSA_MIN_BITS} to 16384`);
  }
  return { kty: 'RSA', bits };
}

/**
 * A key for `dir` with one `enc`: that many random bytes, bound to the `enc` name (as RFC 7520 §5.6's
 * `"alg": "A128GCM"` key is), so it serves `dir` with that `enc` only and no other algorithm.
 */
function directPlan(enc: string): Plan {
  const e = resolveContentEncryption(enc);
  return { spec: { kty: 'oct', bytes: e.cekLength }, alg: e.name, use: 'enc' };
}

function planFor(alg: string, options: GenerateOptions): Plan {
  if (isJWSAlgorithm(alg)) {
    const a = resolveJWSAlgorithm(alg);
    return { spec: withModulus(withCurve(alg, a.generate, a.curves, options.crv), options), alg, use: 'sig' };
  }
  if (isContentEncryptionAlgorithm(alg)) return directPlan(alg);
  // `none` keeps its own code, as everywhere; the rest (RSA1_5 with its reason) comes from the JWE registry.
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none') resolveJWSAlgorithm(alg);
  const km = resolveKeyManagement(alg);
  if (km.generate === undefined) {
    if (options.enc === undefined) throw new InvalidArgumentError(`${alg} keys are sized by their enc: pass { enc }, or call generateKey(enc)`);
    return directPlan(options.enc);
  }
  return { spec: withModulus(withCurve(alg, km.generate, km.curves, options.crv), options), alg, use: 'enc' };
}

/** The generation spec of an algorithm (or of an `enc`, for a `dir` key), from the registries. */
export function generateSpecFor(alg: string, options: GenerateOptions = {}): GenerateSpec {
  return planFor(alg, options).spec;
}

/**
 * Generates a key for `alg`, bound to it, with `use` (`sig` for JWS algorithms, `enc` for JWE
 * ones) and a `kid` defaulting to its RFC 7638 thumbprint. Returns the private (or secret) key;
 * `exportJWK(key, { public: true })` gives the public part.
 *
 * `alg` is a JWS algorithm, a JWE key-management algorithm, or a JWE `enc` for a `dir` key:
 * `generateKey('A256GCM')` makes a 256-bit secret bound to `A256GCM` (usable with `dir` and that
 * `enc` only); `generateKey('dir')` needs `{ enc }`.
 * @example
 * const key = await generateKey('ES256');
 * const publicJWK = exportJWK(key, { public: true }); // { kty: 'EC', crv: 'P-256', …, kid, alg: 'ES256', use: 'sig' }
 * const x25519 = await generateKey('ECDH-ES+A256KW', { crv: 'X25519' });
 * const ed448 = await generateKey('EdDSA', { crv: 'Ed448' });
 * @throws ERR_ALG_UNSUPPORTED (RSA1_5 included), ERR_ALG_NONE, ERR_INVALID_ARGUMENT, ERR_PLATFORM_UNSUPPORTED
 */
export async function generateKey(alg: string, options: GenerateOptions = {}): Promise<TesseraKey> {
  const plan = planFor(alg, options);
  const jwk = await platform.generate(plan.spec);
  const kid = options.kid ?? (await calculateThumbprint(jwk));
  return importJWK({ ...jwk, kid, alg: plan.alg, use: plan.use });
}
