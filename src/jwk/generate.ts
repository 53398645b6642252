/** Key generation for every algorithm tessera implements. */
import { platform } from '#platform';
import { InvalidArgumentError } from '../core/errors.js';
import type { TesseraKey } from '../jwa/key.js';
import { resolveJWSAlgorithm } from '../jwa/registry.js';
import { RSA_MIN_BITS } from '../jwa/rsassa.js';
import type { GenerateSpec } from '../jwa/types.js';
import { importJWK } from './import.js';
import { calculateThumbprint } from './thumbprint.js';

export interface GenerateOptions {
  /** RSA modulus length. Default 2048; less is refused. */
  readonly modulusLength?: number;
  /** The `kid`. Default: the RFC 7638 SHA-256 thumbprint. */
  readonly kid?: string;
}

/** The generation spec of an algorithm, from the registry. */
export function generateSpecFor(alg: string, options: GenerateOptions = {}): GenerateSpec {
  const spec = resolveJWSAlgorithm(alg).generate;
  if (spec.kty === 'RSA') {
    const bits = options.modulusLength ?? spec.bits;
    if (!Number.isInteger(bits) || bits < RSA_MIN_BITS || bits > 16384 || bits % 8 !== 0) {
      throw new InvalidArgumentError(`modulusLength must be a multiple of 8 from ${RSA_MIN_BITS} to 16384`);
    }
    return { kty: 'RSA', bits };
  }
  return spec;
}

/**
 * Generates a key for `alg`, bound to it, with `kid` defaulting to its RFC 7638 thumbprint.
 * Returns the private (or secret) key; `exportJWK(key, { public: true })` gives the public part.
 * @example
 * const key = await generateKey('ES256');
 * const publicJWK = exportJWK(key, { public: true }); // { kty: 'EC', crv: 'P-256', …, kid, alg: 'ES256', use: 'sig' }
 * @throws ERR_ALG_UNSUPPORTED, ERR_ALG_NONE, ERR_INVALID_ARGUMENT, ERR_PLATFORM_UNSUPPORTED
 */
export async function generateKey(alg: string, options: GenerateOptions = {}): Promise<TesseraKey> {
  const spec = generateSpecFor(alg, options);
  const jwk = await platform.generate(spec);
  const kid = options.kid ?? (await calculateThumbprint(jwk));
  return importJWK({ ...jwk, kid, alg, use: 'sig' });
}
