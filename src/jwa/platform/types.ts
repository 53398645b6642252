/**
 * The platform seam: every cryptographic primitive tessera uses goes through this interface.
 *
 * Two backends implement it: `node.ts` (node:crypto, synchronous where that is cheaper than a
 * thread-pool round trip) and `web.ts` (WebCrypto, asynchronous only). The package's `imports`
 * map (`#platform`) picks one by export condition: `node` gets node:crypto, everything else
 * WebCrypto; the `tessera-web` condition forces WebCrypto on Node so the whole suite runs on both.
 *
 * Rules for implementers: compose platform primitives only, never implement AES, RSA, hashes or
 * curve arithmetic; never branch on an `alg` string (the registry resolves `alg` into a scheme).
 */
import type { DERKind, GenerateSpec, HashName, JWK, SignatureScheme } from '../types.js';

/** An opaque per-platform key handle (a KeyObject on Node, a CryptoKey cache on the web). */
export type PlatformKey = { readonly __platformKey: true };

/** A key as the platform imported it: the handle plus its full JWK (private members included). */
export interface ImportedKey {
  readonly handle: PlatformKey;
  /** The key as a JWK; for a non-extractable native key, only what can be learned (no key bytes). */
  readonly jwk: JWK;
  /** RSA modulus length in bits, when known; for a non-extractable native oct key, its length in bits. */
  readonly modulusBits?: number;
  /** True for a private key whose JWK cannot show `d` (a non-extractable native key). */
  readonly isPrivate?: boolean;
}

export interface Platform {
  readonly name: 'node' | 'web';
  /** True when the *Sync methods work; false on WebCrypto, where they throw ERR_SYNC_UNSUPPORTED. */
  readonly syncSupported: boolean;

  randomBytes(length: number): Uint8Array;
  digest(hash: HashName, data: Uint8Array): Promise<Uint8Array>;
  digestSync(hash: HashName, data: Uint8Array): Uint8Array;

  /** Imports a JWK that the jwk layer has already validated (members, sizes, curve). */
  importJWK(jwk: JWK): Promise<ImportedKey>;
  importJWKSync(jwk: JWK): ImportedKey;
  /** Imports DER: SPKI public key, PKCS#8 private key, or an X.509 certificate's public key. */
  importDER(kind: DERKind, der: Uint8Array): Promise<ImportedKey>;
  importDERSync(kind: DERKind, der: Uint8Array): ImportedKey;
  /**
   * Imports a native key object (KeyObject on Node, CryptoKey anywhere).
   * Returns undefined when `value` is not a native key of this platform.
   */
  importNative(value: unknown): Promise<ImportedKey | undefined>;
  importNativeSync(value: unknown): ImportedKey | undefined;
  /** Exports a public or private key as DER (SPKI or PKCS#8). */
  exportDER(key: ImportedKey, kind: 'spki' | 'pkcs8'): Promise<Uint8Array>;

  /** Generates a key; returns its private (or secret) JWK. */
  generate(spec: GenerateSpec): Promise<JWK>;

  sign(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array): Promise<Uint8Array>;
  signSync(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array): Uint8Array;
  /** Verifies; returns false (never throws) for a signature that does not verify. */
  verify(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array, signature: Uint8Array): Promise<boolean>;
  verifySync(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array, signature: Uint8Array): boolean;
}
