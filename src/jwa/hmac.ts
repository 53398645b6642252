/** RFC 7518 §3.2: HMAC with SHA-2 (HS256, HS384, HS512). */
import type { JWSAlgorithm } from './jws-algorithm.js';
import type { SignatureScheme } from './types.js';

export function hmac(bits: 256 | 384 | 512): JWSAlgorithm {
  const hash = `SHA-${bits}` as const;
  const scheme: SignatureScheme = Object.freeze({ kind: 'hmac', hash });
  return Object.freeze({
    name: `HS${bits}`,
    family: 'oct',
    curves: undefined,
    // RFC 7518 §3.2: a key of the same size as the hash output or larger MUST be used.
    minKeyBits: bits,
    hash,
    scheme: () => scheme,
    acceptsSignature: (sig: Uint8Array) => sig.length === bits / 8,
    generate: Object.freeze({ kty: 'oct', bytes: bits / 8 }),
    expensiveSign: false,
  });
}
