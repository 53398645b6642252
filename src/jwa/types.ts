/**
 * Types shared by the algorithm layer and everything above it.
 * Algorithm names appear here as data (string unions), never as branches.
 */

/** RFC 7517 §4.1 key types. */
export type KeyFamily = 'oct' | 'RSA' | 'EC' | 'OKP';
/** Curves tessera supports (RFC 7518 §6.2.1.1, RFC 8812 §3.1, RFC 8037 §2). */
export type Curve = 'P-256' | 'P-384' | 'P-521' | 'secp256k1' | 'Ed25519' | 'Ed448' | 'X25519' | 'X448';
/** Hash functions the JOSE algorithms use. */
export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';
/** What a key can do: sign/verify with a secret, verify only, or sign. */
export type KeyKind = 'secret' | 'public' | 'private';

/** A JSON Web Key (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2). */
export interface JWK {
  kty: string;
  use?: string;
  key_ops?: string[];
  alg?: string;
  kid?: string;
  x5u?: string;
  x5c?: string[];
  x5t?: string;
  'x5t#S256'?: string;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  n?: string;
  e?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  oth?: unknown;
  k?: string;
  ext?: boolean;
  [member: string]: unknown;
}

/** The signature primitive an algorithm uses, as the platform sees it. */
export type SignatureScheme =
  | { readonly kind: 'hmac'; readonly hash: HashName }
  | { readonly kind: 'rsassa-pkcs1'; readonly hash: HashName }
  | { readonly kind: 'rsa-pss'; readonly hash: HashName }
  | { readonly kind: 'ecdsa'; readonly hash: HashName; readonly crv: Curve }
  | { readonly kind: 'eddsa'; readonly crv: Curve };

/** What to generate. */
export type GenerateSpec =
  | { readonly kty: 'oct'; readonly bytes: number }
  | { readonly kty: 'RSA'; readonly bits: number }
  | { readonly kty: 'EC' | 'OKP'; readonly crv: Curve };

/** Where a DER key came from. */
export type DERKind = 'spki' | 'pkcs8' | 'x509';
