/**
 * Descriptors for JWE algorithms (RFC 7518 §4 key management, §5 content encryption; RFC 8037 §3.2).
 * The jwe layer receives these from the registry and never branches on an `alg` or `enc` string.
 */
import type { TesseraKey } from './key.js';
import type { Curve, GenerateSpec, JWK, KeyFamily } from './types.js';

/** Content encryption (`enc`), RFC 7518 §5. */
export interface ContentEncryption {
  readonly name: string;
  /** CEK length in bytes (A128CBC-HS256: 32, the MAC and the AES key together). */
  readonly cekLength: number;
  /** IV length in bytes (GCM 12, CBC 16). */
  readonly ivLength: number;
  /** Tag length in bytes (GCM 16; CBC-HS: half the CEK, RFC 7518 §5.2.2.1). */
  readonly tagLength: number;
  encrypt(cek: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<EncryptedContent>;
  encryptSync(cek: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): EncryptedContent;
  /**
   * Decrypts and authenticates.
   * SECURITY: every failure (tag, padding, MAC, lengths) throws the one ERR_JWE_DECRYPTION_FAILED.
   */
  decrypt(cek: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  decryptSync(cek: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Uint8Array;
}

export interface EncryptedContent {
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

/** How a key-management algorithm produces the CEK (RFC 7516 §2 terms). */
export type KeyManagementMode = 'direct' | 'key-wrap' | 'key-encryption' | 'key-agreement' | 'key-agreement-wrap' | 'password';

/** Header parameters a key-management algorithm adds for a recipient (epk, apu, apv, iv, tag, p2s, p2c). */
export type KeyManagementParameters = {
  epk?: JWK;
  apu?: string;
  apv?: string;
  iv?: string;
  tag?: string;
  p2s?: string;
  p2c?: number;
};

/** Inputs a sender may fix. Ephemeral values and salts are normally random; see `src/jwe/_seam.ts`. */
export interface WrapInput {
  /** The CEK to wrap (for several recipients, or injected by the test seam); generated when absent. */
  readonly cek?: Uint8Array | undefined;
  /** apu / apv for ECDH-ES (raw bytes). */
  readonly apu?: Uint8Array | undefined;
  readonly apv?: Uint8Array | undefined;
  /** PBES2 iteration count. */
  readonly p2c?: number | undefined;
  /** Test seam only: fixed ephemeral private JWK, PBES2 salt, GCMKW IV. */
  readonly ephemeralKey?: JWK | undefined;
  readonly p2s?: Uint8Array | undefined;
  readonly kwIV?: Uint8Array | undefined;
}

export interface WrapResult {
  readonly cek: Uint8Array;
  /** Empty for `dir` and `ECDH-ES` (RFC 7516 §5.1 step 5). */
  readonly encryptedKey: Uint8Array;
  readonly parameters: KeyManagementParameters;
}

/** Limits a recipient applies while unwrapping. */
export interface UnwrapLimits {
  /** Largest PBES2 `p2c` accepted (default 10,000). */
  readonly maxPBES2Count: number;
}

/** Key management (`alg`), RFC 7518 §4. */
export interface KeyManagement {
  readonly name: string;
  readonly mode: KeyManagementMode;
  /** The key family it takes (`oct` for dir, AES-KW, GCMKW and PBES2 passwords). */
  readonly family: KeyFamily;
  /** For ECDH-ES: the curves it accepts. */
  readonly curves: readonly Curve[] | undefined;
  /** Exact key length in bits for AES-KW/GCMKW (128/192/256); RSA minimum for RSA-OAEP; 0 otherwise. */
  readonly keyBits: number;
  /** What `generateKey` makes for this algorithm (for `dir`, the spec depends on `enc`). */
  readonly generate: GenerateSpec | undefined;
  /** True when the algorithm must be explicitly allowed (PBES2): never derived from a key. */
  readonly explicitOnly: boolean;
  wrap(key: TesseraKey, enc: ContentEncryption, input: WrapInput): Promise<WrapResult>;
  wrapSync(key: TesseraKey, enc: ContentEncryption, input: WrapInput): WrapResult;
  /**
   * Recovers the CEK from the encrypted key and the recipient's merged header.
   * SECURITY: a CEK of the wrong length, or any unwrap failure, must throw ERR_JWE_DECRYPTION_FAILED
   * (indistinguishable from a tag failure); PBES2 checks `p2c` before any work (ERR_PBES2_COUNT);
   * ECDH-ES validates `epk` (ERR_JWE_EPK_INVALID).
   */
  unwrap(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array, header: Readonly<Record<string, unknown>>, limits: UnwrapLimits): Promise<Uint8Array>;
  unwrapSync(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array, header: Readonly<Record<string, unknown>>, limits: UnwrapLimits): Uint8Array;
}
