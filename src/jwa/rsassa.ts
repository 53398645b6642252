/** RFC 7518 §3.3 (RSASSA-PKCS1-v1_5: RS*) and §3.5 (RSASSA-PSS: PS*). */
import type { JWSAlgorithm } from './jws-algorithm.js';
import type { TesseraKey } from './key.js';
import type { SignatureScheme } from './types.js';

/** SECURITY: RFC 7518 §3.3 and §3.5 require 2048 bits or more; we never accept less. */
export const RSA_MIN_BITS = 2048;

function rsa(name: string, scheme: SignatureScheme, bits: 256 | 384 | 512): JWSAlgorithm {
  return Object.freeze({
    name,
    family: 'RSA',
    curves: undefined,
    minKeyBits: RSA_MIN_BITS,
    hash: `SHA-${bits}` as const,
    scheme: () => scheme,
    // The signature is exactly as long as the modulus (RFC 8017 §8.2.2 step 1, §8.1.2 step 1).
    acceptsSignature: (sig: Uint8Array, key: TesseraKey) => sig.length === Math.ceil(key.bits / 8),
    generate: Object.freeze({ kty: 'RSA', bits: RSA_MIN_BITS }),
    expensiveSign: true,
  });
}

export function rsassaPKCS1(bits: 256 | 384 | 512): JWSAlgorithm {
  return rsa(`RS${bits}`, Object.freeze({ kind: 'rsassa-pkcs1', hash: `SHA-${bits}` }), bits);
}

/** RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash output. */
export function rsassaPSS(bits: 256 | 384 | 512): JWSAlgorithm {
  return rsa(`PS${bits}`, Object.freeze({ kind: 'rsa-pss', hash: `SHA-${bits}` }), bits);
}
