/** The descriptor every JWS algorithm family factory produces. */
import type { TesseraKey } from './key.js';
import type { Curve, GenerateSpec, HashName, KeyFamily, SignatureScheme } from './types.js';

export interface JWSAlgorithm {
  /** The `alg` header value. */
  readonly name: string;
  /** The key family this algorithm accepts. */
  readonly family: KeyFamily;
  /** For EC/OKP algorithms, the curves it accepts. */
  readonly curves: readonly Curve[] | undefined;
  /** Minimum key size in bits (RSA modulus, HMAC secret). */
  readonly minKeyBits: number;
  /** Hash, where the algorithm has one. */
  readonly hash: HashName | undefined;
  /** The platform primitive for a given (already checked) key. */
  scheme(key: TesseraKey): SignatureScheme;
  /**
   * Checks the shape of a signature before the platform sees it; false means "does not verify".
   * SECURITY: ECDSA uses this to refuse r or s outside [1, n-1] and non-P1363 encodings (THREATS.md §10).
   */
  acceptsSignature(signature: Uint8Array, key: TesseraKey): boolean;
  /** What `generateKey` makes for this algorithm. */
  readonly generate: GenerateSpec;
  /** True when signing is expensive enough to leave the event loop (Node's thread pool). */
  readonly expensiveSign: boolean;
}
