/** Public types of the encrypted-token layer (RFC 7516). */
import type { TesseraKey } from '../jwa/key.js';
import type { JWK } from '../jwa/types.js';
import type { KeyInput } from '../jwk/import.js';
import type { KeySet } from '../jwk/jwks.js';
import type { RemoteJWKSet } from '../jwk/remote.js';

/** JOSE header of a JWE (RFC 7516 §4.1, RFC 7518 §4.6.1, §4.7.1, §4.8.1). */
export interface JWEHeader {
  alg?: string;
  enc?: string;
  zip?: string;
  kid?: string;
  typ?: string;
  cty?: string;
  crit?: string[];
  epk?: JWK;
  apu?: string;
  apv?: string;
  iv?: string;
  tag?: string;
  p2s?: string;
  p2c?: number;
  jku?: string;
  jwk?: JWK;
  x5u?: string;
  x5c?: string[];
  x5t?: string;
  'x5t#S256'?: string;
  [parameter: string]: unknown;
}

/** Finds the decryption key from the recipient's merged header (never the ciphertext). */
export type DecryptKeyResolver = (header: JWEHeader) => KeyInput | Promise<KeyInput>;
/** What decrypt functions accept as the key. */
export type DecryptKey = KeyInput | KeySet | RemoteJWKSet | DecryptKeyResolver;

export interface JWELimits {
  /** Longest token accepted, in characters. Default 262144. */
  readonly maxTokenLength?: number;
  /** Longest encoded protected header, in characters. Default 8192. */
  readonly maxHeaderLength?: number;
}

export interface DecryptOptions extends JWELimits {
  /** Allow-list of key-management algorithms; derived from the key when absent (never PBES2). */
  readonly algorithms?: readonly string[];
  /** Allow-list of content-encryption algorithms; every supported `enc` when absent. */
  readonly encryptions?: readonly string[];
  /** Largest PBES2 `p2c` accepted. Default 10,000; never below the minimum of 1,000. */
  readonly maxPBES2Count?: number;
  /** Cap on the decompressed plaintext (`zip: "DEF"`), in bytes. Default 250,000. */
  readonly maxDecompressedLength?: number;
  /** Extension header names (listed in `crit`) that the caller understands. */
  readonly crit?: readonly string[];
  /** With a key set where several keys match: `'error'` (default) or `'try'` each (at most 8). */
  readonly multipleKeys?: 'error' | 'try';
}

export interface DecryptResult {
  readonly plaintext: Uint8Array;
  /** The protected header (integrity protected by the tag). */
  readonly protectedHeader: JWEHeader;
  /** JSON serializations: the shared unprotected header. NOT integrity protected. */
  readonly sharedUnprotectedHeader?: JWEHeader;
  /** JSON serializations: the recipient's header. NOT integrity protected. */
  readonly unprotectedHeader?: JWEHeader;
  /** JSON serializations: the `aad` member, decoded. */
  readonly additionalAuthenticatedData?: Uint8Array;
  /** The key that decrypted. */
  readonly key: TesseraKey;
}

export interface EncryptOptions {
  /** Key management algorithm; the key's bound `alg` when absent. */
  readonly alg?: string | undefined;
  /** Content encryption algorithm. */
  readonly enc: string;
  /** Further protected header members (`typ`, `cty`, `kid`, extensions). */
  readonly protectedHeader?: JWEHeader | undefined;
  /** Compress the plaintext with DEFLATE (RFC 7516 §4.1.3), declared in the protected header. */
  readonly zip?: 'DEF' | undefined;
  /** ECDH-ES Agreement PartyUInfo / PartyVInfo (RFC 7518 §4.6.1.2–3). */
  readonly apu?: Uint8Array | undefined;
  readonly apv?: Uint8Array | undefined;
  /** PBES2 iteration count. Default 10,000; at least 1,000. */
  readonly p2c?: number | undefined;
}
