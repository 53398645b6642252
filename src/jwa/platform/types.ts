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
import type { Curve, DERKind, GenerateSpec, HashName, JWK, SignatureScheme } from '../types.js';

/** A secret for a symmetric primitive: raw bytes (a CEK, a derived key) or an imported `oct` key. */
export type SecretKey = Uint8Array | ImportedKey;
/** RSA-OAEP hash (also the MGF1 hash): SHA-1 is RFC 7518 §4.3's plain `RSA-OAEP`. */
export type OAEPHash = 'SHA-1' | HashName;
/** Curves for ECDH key agreement (RFC 7518 §4.6, RFC 8037 §3.2). */
export type ECDHCurve = Extract<Curve, 'P-256' | 'P-384' | 'P-521' | 'X25519' | 'X448'>;

/** What an AEAD encryption returns (the tag apart, as JWE carries it). */
export interface AEADOutput {
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

/** A fresh ECDH key pair: the private half as a platform key, the public half as a JWK (for `epk`). */
export interface EphemeralKeyPair {
  readonly privateKey: ImportedKey;
  readonly publicJWK: JWK;
}

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

  /** `data` as for {@link Platform.signSync}. */
  sign(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array | string): Promise<Uint8Array>;
  /**
   * `data` may be ASCII text (a JWS Signing Input, RFC 7515 §5.1 step 6, is ASCII by
   * construction): the primitive reads it as is, with no copy into a byte array first.
   */
  signSync(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array | string): Uint8Array;
  /** Verifies; returns false (never throws) for a signature that does not verify. */
  verify(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /**
   * The MAC of ASCII text, as unpadded base64url text (node:crypto only; undefined elsewhere).
   * Lets a verifier compare a JWS signature segment with the MAC as text, in constant time,
   * without decoding one or allocating a byte array for the other.
   */
  readonly macBase64URLSync?: (scheme: SignatureScheme, key: ImportedKey, data: string) => string;
  /** `data` as for {@link Platform.signSync}. */
  verifySync(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array | string, signature: Uint8Array): boolean;

  // ---- JWE primitives (RFC 7516, RFC 7518 §4–5, RFC 8037 §3.2). Failures to authenticate or to
  // unwrap return `undefined` (as `verify` returns false), so the algorithm layer throws its one
  // ERR_JWE_DECRYPTION_FAILED and no platform message can become an oracle.

  /** The bytes of an `oct` key; undefined for a non-extractable native key. Never mutate them. */
  secretBytes(key: ImportedKey): Uint8Array | undefined;
  /** Compares in time that depends only on the lengths (THREATS.md §27). */
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
  /** HMAC over the concatenation of `parts`. */
  hmac(hash: HashName, key: Uint8Array, parts: readonly Uint8Array[]): Promise<Uint8Array>;
  hmacSync(hash: HashName, key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array;

  /** AES-GCM with a 128-bit tag (the key length picks AES-128/192/256). */
  aesGCMEncrypt(key: SecretKey, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<AEADOutput>;
  aesGCMEncryptSync(key: SecretKey, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): AEADOutput;
  /** Returns undefined when the ciphertext does not authenticate (or the tag is not 16 bytes). */
  aesGCMDecrypt(key: SecretKey, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Promise<Uint8Array | undefined>;
  aesGCMDecryptSync(key: SecretKey, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Uint8Array | undefined;

  /** AES-CBC with PKCS#7 padding (RFC 7518 §5.2.2.1). Unauthenticated: only the CBC-HS composite calls it. */
  aesCBCEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  aesCBCEncryptSync(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Returns undefined on bad padding or length. Call only after the MAC has been checked. */
  aesCBCDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array | undefined>;
  aesCBCDecryptSync(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined;

  /** AES Key Wrap (RFC 3394, default IV A6A6A6A6A6A6A6A6). */
  aesKWWrap(kek: SecretKey, keyData: Uint8Array): Promise<Uint8Array>;
  aesKWWrapSync(kek: SecretKey, keyData: Uint8Array): Uint8Array;
  /** Returns undefined when the integrity check fails or the input is malformed. */
  aesKWUnwrap(kek: SecretKey, wrapped: Uint8Array): Promise<Uint8Array | undefined>;
  aesKWUnwrapSync(kek: SecretKey, wrapped: Uint8Array): Uint8Array | undefined;

  /** RSAES-OAEP (RFC 8017 §7.1) with MGF1 over the same hash, empty label. A private key encrypts with its public part. */
  rsaOAEPEncrypt(hash: OAEPHash, key: ImportedKey, data: Uint8Array): Promise<Uint8Array>;
  rsaOAEPEncryptSync(hash: OAEPHash, key: ImportedKey, data: Uint8Array): Uint8Array;
  /** Returns undefined when decryption fails. Throws ERR_KEY_PRIVATE_REQUIRED for a public key. */
  rsaOAEPDecrypt(hash: OAEPHash, key: ImportedKey, data: Uint8Array): Promise<Uint8Array | undefined>;
  rsaOAEPDecryptSync(hash: OAEPHash, key: ImportedKey, data: Uint8Array): Uint8Array | undefined;

  /**
   * Imports a peer's ECDH public key (a JWE `epk`) whose members the caller has already checked.
   * SECURITY: the platform refuses a point that is not on the curve (THREATS.md §12).
   * @throws ERR_JWE_EPK_INVALID, ERR_PLATFORM_UNSUPPORTED
   */
  importEphemeralPublicKey(jwk: JWK): Promise<ImportedKey>;
  importEphemeralPublicKeySync(jwk: JWK): ImportedKey;
  /** Generates an ephemeral ECDH key pair on `crv`. */
  generateEphemeralKey(crv: ECDHCurve): Promise<EphemeralKeyPair>;
  generateEphemeralKeySync(crv: ECDHCurve): EphemeralKeyPair;
  /**
   * The ECDH shared secret Z (RFC 7518 §4.6.2; RFC 7748 §6 for X25519/X448): the x-coordinate, or
   * the u-coordinate, as many bytes as the field. Both keys must be on `crv`; a private key may
   * stand in for its public part. Throws ERR_KEY_INVALID when the platform refuses (e.g. a
   * low-order point), ERR_KEY_PRIVATE_REQUIRED when `privateKey` is public.
   */
  deriveECDH(crv: ECDHCurve, privateKey: ImportedKey, publicKey: ImportedKey): Promise<Uint8Array>;
  deriveECDHSync(crv: ECDHCurve, privateKey: ImportedKey, publicKey: ImportedKey): Uint8Array;

  /** PBKDF2 (RFC 8018 §5.2) with HMAC-`hash`, `length` bytes out. */
  pbkdf2(hash: HashName, password: SecretKey, salt: Uint8Array, iterations: number, length: number): Promise<Uint8Array>;
  pbkdf2Sync(hash: HashName, password: SecretKey, salt: Uint8Array, iterations: number, length: number): Uint8Array;

  /** Raw DEFLATE (RFC 1951), as JWE `zip: "DEF"` uses (RFC 7516 §4.1.3). */
  deflateRaw(data: Uint8Array): Promise<Uint8Array>;
  deflateRawSync(data: Uint8Array): Uint8Array;
  /**
   * Raw INFLATE with a hard cap on the output, enforced while inflating (THREATS.md §9): the
   * platform stops as soon as the output would exceed `maxOutputLength` bytes.
   * @throws ERR_JWE_DECOMPRESSION_LIMIT over the cap, ERR_JWE_INVALID for malformed data
   */
  inflateRaw(data: Uint8Array, maxOutputLength: number): Promise<Uint8Array>;
  inflateRawSync(data: Uint8Array, maxOutputLength: number): Uint8Array;
}
