/** RFC 8037 §3.1 (EdDSA) and RFC 9864 §2 (fully specified Ed25519, Ed448). */
import type { JWSAlgorithm } from './jws-algorithm.js';
import type { TesseraKey } from './key.js';
import type { Curve, SignatureScheme } from './types.js';

const SCHEMES: Record<string, SignatureScheme> = {
  Ed25519: Object.freeze({ kind: 'eddsa', crv: 'Ed25519' }),
  Ed448: Object.freeze({ kind: 'eddsa', crv: 'Ed448' }),
};
const SIG_LENGTH: Record<string, number> = { Ed25519: 64, Ed448: 114 };

export function eddsa(name: string, curves: readonly Curve[]): JWSAlgorithm {
  return Object.freeze({
    name,
    family: 'OKP',
    curves: Object.freeze([...curves]),
    minKeyBits: 0,
    hash: undefined,
    scheme: (key: TesseraKey) => SCHEMES[key.crv as string] as SignatureScheme,
    acceptsSignature: (sig: Uint8Array, key: TesseraKey) => sig.length === SIG_LENGTH[key.crv as string],
    generate: Object.freeze({ kty: 'OKP', crv: curves[0] as Curve }),
    expensiveSign: false,
  });
}
