/** Public types of the signed-token layer. */
import type { TesseraKey } from '../jwa/key.js';
import type { JWK } from '../jwa/types.js';
import type { KeyInput } from '../jwk/import.js';
import type { KeySet } from '../jwk/jwks.js';
import type { RemoteJWKSet } from '../jwk/remote.js';

/** JOSE header of a JWS (RFC 7515 §4.1, RFC 7797 §3). Extension members are allowed. */
export interface JWSHeader {
  alg?: string;
  kid?: string;
  typ?: string;
  cty?: string;
  crit?: string[];
  b64?: boolean;
  jku?: string;
  jwk?: JWK;
  x5u?: string;
  x5c?: string[];
  x5t?: string;
  'x5t#S256'?: string;
  [parameter: string]: unknown;
}

/** A protected header after verification: `alg` is always present. */
export type VerifiedJWSHeader = JWSHeader & { alg: string };

/**
 * Finds the key for a token from its protected header.
 * SECURITY: it receives only the protected header, never the payload (THREATS.md §24).
 */
export type KeyResolver = (protectedHeader: VerifiedJWSHeader) => KeyInput | Promise<KeyInput>;

/** What verify functions accept as the key. A remote set needs the async API (or a fresh cache). */
export type VerifyKey = KeyInput | KeySet | RemoteJWKSet | KeyResolver;

/** Limits applied before any decoding. */
export interface JWSLimits {
  /** Longest token accepted, in characters. Default 262144 (256 KiB). */
  readonly maxTokenLength?: number;
  /** Longest encoded protected header accepted, in characters. Default 8192. */
  readonly maxHeaderLength?: number;
}

/** Options for verification. */
export interface VerifyOptions extends JWSLimits {
  /**
   * The allow-list of `alg` values. When absent it is derived from the key: its bound `alg`, or
   * every algorithm of its family and size. `none` is never accepted, whatever this says.
   */
  readonly algorithms?: readonly string[];
  /** Extension header names (listed in `crit`) that the caller understands and checks itself. */
  readonly crit?: readonly string[];
  /** A detached payload (RFC 7515 Appendix F), used when the token's payload is empty. */
  readonly payload?: Uint8Array | string;
  /** With a key set where several keys match: `'error'` (default) or `'try'` each in turn (at most 8). */
  readonly multipleKeys?: 'error' | 'try';
}

/** Result of a successful verification. */
export interface VerifyResult {
  /** The verified payload bytes. */
  readonly payload: Uint8Array;
  /** The verified protected header (only the signature that verified, for JSON serializations). */
  readonly protectedHeader: VerifiedJWSHeader;
  /** The unprotected header, for JSON serializations. NOT integrity protected. */
  readonly unprotectedHeader?: JWSHeader;
  /** The key that verified the signature. */
  readonly key: TesseraKey;
}

/** Options for signing. */
export interface SignOptions {
  /** The algorithm. When absent, the key's bound `alg` is used. */
  readonly alg?: string;
  /** Further protected header members (`typ`, `kid`, `cty`, extensions). `alg` here must agree. */
  readonly protectedHeader?: JWSHeader;
  /** RFC 7797: sign the payload unencoded. Adds `b64: false` and `crit: ["b64"]`. */
  readonly b64?: false;
  /** Leave the payload out of the output (RFC 7515 Appendix F). */
  readonly detached?: boolean;
}
