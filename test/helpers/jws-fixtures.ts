/**
 * Shared fixtures for the JWS tests: key pairs made once with node:crypto (so every backend sees
 * the same JWKs), algorithm tables, and helpers to forge tokens byte by byte.
 */
import { createHmac, type KeyObject } from 'node:crypto';
import { generateKeyPairSync } from './node-keygen.ts';
import type { JWK } from '../../src/jwa/types.ts';

/** Key kinds the JWS algorithms need. */
export type PairKind = 'RSA' | 'P-256' | 'P-384' | 'P-521' | 'secp256k1' | 'Ed25519' | 'Ed448';

export interface Pair {
  readonly kind: PairKind;
  readonly privateJWK: JWK;
  readonly publicJWK: JWK;
  readonly publicPEM: string;
  readonly privateKeyObject: KeyObject;
  readonly publicKeyObject: KeyObject;
}

/** Every asymmetric JWS algorithm (and HS*), with the key kind it signs with. */
export const ASYMMETRIC_ALGS: ReadonlyArray<readonly [alg: string, kind: PairKind]> = [
  ['RS256', 'RSA'],
  ['RS384', 'RSA'],
  ['RS512', 'RSA'],
  ['PS256', 'RSA'],
  ['PS384', 'RSA'],
  ['PS512', 'RSA'],
  ['ES256', 'P-256'],
  ['ES384', 'P-384'],
  ['ES512', 'P-521'],
  ['ES256K', 'secp256k1'],
  ['EdDSA', 'Ed25519'],
  ['EdDSA', 'Ed448'],
  ['Ed25519', 'Ed25519'],
  ['Ed448', 'Ed448'],
];

/** ECDSA algorithms: curve, the byte size of r and s, node's hash name, and the group order n
 * (from `openssl ecparam -name <curve> -param_enc explicit -text`, not from the code under test). */
export const ECDSA: ReadonlyArray<{ alg: string; kind: PairKind; size: number; hash: string; order: string }> = [
  { alg: 'ES256', kind: 'P-256', size: 32, hash: 'sha256', order: 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551' },
  {
    alg: 'ES384',
    kind: 'P-384',
    size: 48,
    hash: 'sha384',
    order: 'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
  },
  {
    alg: 'ES512',
    kind: 'P-521',
    size: 66,
    hash: 'sha512',
    order:
      '01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
  },
  { alg: 'ES256K', kind: 'secp256k1', size: 32, hash: 'sha256', order: 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141' },
];

const pairs = new Map<PairKind, Pair>();

function generate(kind: PairKind): { publicKey: KeyObject; privateKey: KeyObject } {
  switch (kind) {
    case 'RSA':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'Ed25519':
      return generateKeyPairSync('ed25519');
    case 'Ed448':
      return generateKeyPairSync('ed448');
    default:
      return generateKeyPairSync('ec', { namedCurve: kind === 'P-256' ? 'prime256v1' : kind === 'P-384' ? 'secp384r1' : kind === 'P-521' ? 'secp521r1' : 'secp256k1' });
  }
}

/** A key pair of a kind, generated once per process. Returns fresh JWK copies each call. */
export function pair(kind: PairKind): Pair {
  let p = pairs.get(kind);
  if (p === undefined) {
    const { publicKey, privateKey } = generate(kind);
    p = {
      kind,
      privateJWK: privateKey.export({ format: 'jwk' }) as JWK,
      publicJWK: publicKey.export({ format: 'jwk' }) as JWK,
      publicPEM: publicKey.export({ format: 'pem', type: 'spki' }) as string,
      privateKeyObject: privateKey,
      publicKeyObject: publicKey,
    };
    pairs.set(kind, p);
  }
  return { ...p, privateJWK: { ...p.privateJWK }, publicJWK: { ...p.publicJWK } };
}

/** WebCrypto import parameters for a public JWK of a kind (for CryptoKey inputs). */
export function webImportParams(kind: PairKind, alg = 'RS256'): RsaHashedImportParams | EcKeyImportParams | Algorithm {
  switch (kind) {
    case 'RSA':
      return { name: alg.startsWith('PS') ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: `SHA-${alg.slice(2)}` };
    case 'Ed25519':
    case 'Ed448':
      return { name: kind };
    default:
      return { name: 'ECDSA', namedCurve: kind };
  }
}

/** The public key of a pair as a WebCrypto CryptoKey. */
export async function publicCryptoKey(kind: PairKind, alg?: string): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('jwk', pair(kind).publicJWK as JsonWebKey, webImportParams(kind, alg), true, ['verify']);
}

/** Deterministic secret bytes of a length (distinct per seed), never PEM/JWK-looking. */
export function secretBytes(length: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 131 + seed * 17 + 7) & 0xff);
}

/** base64url of bytes or a UTF-8 string, via Buffer (independent of the code under test). */
export function b64u(input: Uint8Array | string): string {
  return Buffer.from(input).toString('base64url');
}

/** Raw HMAC over an ASCII signing input, as base64url (for forging tokens). */
export function hmacB64(hash: 'sha256' | 'sha384' | 'sha512', key: Uint8Array | string, input: string | Uint8Array): string {
  return createHmac(hash, key).update(input).digest('base64url');
}

/**
 * A compact token over raw segments, HMAC-SHA-256-signed with `key` over exactly the segments'
 * text. Lets a test change one thing (a header byte, an encoding) and keep the signature valid,
 * so the only reason for rejection is the check under test.
 */
export function forgeHS256(headerSegment: string, payloadSegment: string, key: Uint8Array | string): string {
  return `${headerSegment}.${payloadSegment}.${hmacB64('sha256', key, `${headerSegment}.${payloadSegment}`)}`;
}

/** Forges a token with a JSON header given as text (kept byte for byte). */
export function forgeHS256Text(headerJSON: string | Uint8Array, payload: string, key: Uint8Array | string): string {
  return forgeHS256(b64u(headerJSON), b64u(payload), key);
}

/** Splits a compact token into its three segments. */
export function segments(token: string): [string, string, string] {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('fixture: not a three-part token');
  return parts as [string, string, string];
}

/** Hex to bytes. */
export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
