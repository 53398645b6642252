// The interop case table shared by every peer: one entry per JWS algorithm (and, for EdDSA, per
// curve), the key a peer should generate for it, and the tessera-side helpers (keys, payloads,
// tampering) that every peer file uses the same way.
import { randomUUID } from 'node:crypto';
import { decodeBase64URL, encodeBase64URL } from '../../../src/core/base64url.ts';
import { decodeUTF8 } from '../../../src/core/bytes.ts';
import { JWS_ALGORITHMS, exportJWK, generateKey, importJWK, type JWK, type TesseraKey } from '../../../src/index.ts';

/** How a peer generates a key for a case. */
export type PeerKeySpec =
  | { readonly kty: 'oct'; readonly bits: 256 | 384 | 512 }
  | { readonly kty: 'RSA'; readonly bits: 2048 }
  | { readonly kty: 'EC' | 'OKP'; readonly crv: string };

export interface InteropCase {
  /** Unique label: the alg, plus the curve where one alg spans several (EdDSA). */
  readonly id: string;
  /** The JWS `alg` header value. */
  readonly alg: string;
  readonly key: PeerKeySpec;
  /** The algorithm tessera generates the key with, when it differs from `alg` (EdDSA over Ed448). */
  readonly generateAs?: string;
}

const oct = (bits: 256 | 384 | 512): PeerKeySpec => ({ kty: 'oct', bits });
const rsa: PeerKeySpec = { kty: 'RSA', bits: 2048 };
const ec = (crv: string): PeerKeySpec => ({ kty: 'EC', crv });
const okp = (crv: string): PeerKeySpec => ({ kty: 'OKP', crv });

/** Every JWS algorithm tessera implements, EdDSA once per curve (RFC 8037 §3.1). */
export const ALL_CASES: readonly InteropCase[] = [
  { id: 'HS256', alg: 'HS256', key: oct(256) },
  { id: 'HS384', alg: 'HS384', key: oct(384) },
  { id: 'HS512', alg: 'HS512', key: oct(512) },
  { id: 'RS256', alg: 'RS256', key: rsa },
  { id: 'RS384', alg: 'RS384', key: rsa },
  { id: 'RS512', alg: 'RS512', key: rsa },
  { id: 'PS256', alg: 'PS256', key: rsa },
  { id: 'PS384', alg: 'PS384', key: rsa },
  { id: 'PS512', alg: 'PS512', key: rsa },
  { id: 'ES256', alg: 'ES256', key: ec('P-256') },
  { id: 'ES384', alg: 'ES384', key: ec('P-384') },
  { id: 'ES512', alg: 'ES512', key: ec('P-521') },
  { id: 'ES256K', alg: 'ES256K', key: ec('secp256k1') },
  { id: 'EdDSA/Ed25519', alg: 'EdDSA', key: okp('Ed25519') },
  { id: 'EdDSA/Ed448', alg: 'EdDSA', key: okp('Ed448'), generateAs: 'Ed448' },
  // RFC 9864 §2: the fully specified EdDSA algorithms.
  { id: 'Ed25519', alg: 'Ed25519', key: okp('Ed25519') },
  { id: 'Ed448', alg: 'Ed448', key: okp('Ed448') },
];

/**
 * What each peer shares with tessera, by case id. Each suite's probe asks the peer itself and fails
 * when this drifts; test/interop/cases.test.ts keeps docs/interop.md in agreement with it.
 */
export const SHARED = {
  /** jose v6 is WebCrypto-only: no secp256k1, no Ed448. */
  joseNPM: ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA/Ed25519', 'Ed25519'],
  /** jwcrypto 1.1 predates RFC 9864: no fully specified Ed25519/Ed448 identifiers. */
  jwcrypto: ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA/Ed25519', 'EdDSA/Ed448'],
  /** Debian's jose 11 build: no ES256K, no EdDSA. */
  joseC: ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'],
} as const satisfies Record<string, readonly string[]>;

/** Every algorithm tessera implements must appear in the table, so a new one cannot go untested. */
export function untestedAlgorithms(): string[] {
  const covered = new Set(ALL_CASES.map((c) => c.alg));
  return JWS_ALGORITHMS.filter((a) => !covered.has(a));
}

/** A tessera-generated private (or secret) key bound to the case's alg, with a thumbprint kid. */
export async function tesseraKey(c: InteropCase): Promise<TesseraKey> {
  const key = await generateKey(c.generateAs ?? c.alg);
  if (c.generateAs === undefined) return key;
  // generateKey binds the fully specified alg; rebind the same key material to the case's alg.
  return importJWK({ ...exportJWK(key), alg: c.alg });
}

/** The JWK a verifier gets: the public part, or the secret itself for HMAC. */
export function verificationJWK(key: TesseraKey): JWK {
  return exportJWK(key, { public: key.family !== 'oct' });
}

/** The public part of a peer's JWK (the JWK itself for secrets), dropping private members. */
export function publicPart(jwk: JWK): JWK {
  if (jwk.kty === 'oct') return jwk;
  const out: JWK = { kty: jwk.kty };
  for (const [name, value] of Object.entries(jwk)) {
    if (!['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'key_ops'].includes(name)) out[name] = value;
  }
  return out;
}

/** A distinct UTF-8 JSON payload per case and direction (non-ASCII on purpose). */
export function payloadFor(c: InteropCase, direction: string): string {
  return JSON.stringify({ iss: 'tessera-interop', case: c.id, direction, note: 'grüße ✓ 🔑', jti: randomUUID() });
}

/**
 * Flips one bit in the middle of a compact token's signature and re-encodes it canonically, so
 * the only thing wrong with the token is its signature (not its base64url).
 */
export function tamperCompact(token: string): string {
  const dot = token.lastIndexOf('.');
  const sig = decodeBase64URL(token.slice(dot + 1));
  const i = sig.length >> 1;
  sig[i] = (sig[i] as number) ^ 0x01;
  return `${token.slice(0, dot + 1)}${encodeBase64URL(sig)}`;
}

/** UTF-8 text of verified payload bytes. */
export function text(bytes: Uint8Array): string {
  return decodeUTF8(bytes);
}
