// The JWE interop case table shared by every peer: one entry per (alg, enc[, curve]) pair, the
// key each side makes for it, and the tessera-side helpers (keys, plaintexts, tampering).
//
// Every key-management algorithm appears with at least one AES-GCM and one AES-CBC-HMAC `enc`,
// ECDH-ES over every curve, and every `enc` at least once (interopCoverage checks this).
import { randomBytes, randomUUID } from 'node:crypto';
import { generateKeyPairSync } from '../../helpers/node-keygen.ts';
import { decodeBase64URL, encodeBase64URL } from '../../../src/core/base64url.ts';
import { JWE_ALGORITHMS, JWE_ENCRYPTIONS } from '../../../src/jwa/jwe-registry.ts';
import { exportJWK, importJWK, type JWK, type TesseraKey } from '../../../src/index.ts';

/** How a side makes a key for a case. PBES2 takes a password (RFC 7518 §4.8). */
export type JWEKeySpec =
  | { readonly kty: 'oct'; readonly bits: 128 | 192 | 256 | 384 | 512 }
  | { readonly kty: 'RSA'; readonly bits: 2048 }
  | { readonly kty: 'EC' | 'OKP'; readonly crv: string }
  | { readonly kty: 'password' };

export interface JWEInteropCase {
  /** `alg + enc`, with the curve for ECDH-ES: e.g. `ECDH-ES+A128KW + A128GCM (P-256)`. */
  readonly id: string;
  readonly alg: string;
  readonly enc: string;
  readonly key: JWEKeySpec;
}

const CEK_BITS: Record<string, 128 | 192 | 256 | 384 | 512> = {
  A128GCM: 128,
  A192GCM: 192,
  A256GCM: 256,
  'A128CBC-HS256': 256,
  'A192CBC-HS384': 384,
  'A256CBC-HS512': 512,
};

function make(alg: string, enc: string, key: JWEKeySpec): JWEInteropCase {
  const crv = 'crv' in key ? ` (${key.crv})` : '';
  return { id: `${alg} + ${enc}${crv}`, alg, enc, key };
}

const dir = (enc: string): JWEInteropCase => make('dir', enc, { kty: 'oct', bits: CEK_BITS[enc] as 128 });
const kw = (alg: string, enc: string): JWEInteropCase => make(alg, enc, { kty: 'oct', bits: Number(/A(\d+)/.exec(alg)?.[1]) as 128 });
const rsa = (alg: string, enc: string): JWEInteropCase => make(alg, enc, { kty: 'RSA', bits: 2048 });
const ecdh = (alg: string, enc: string, crv: string): JWEInteropCase =>
  make(alg, enc, { kty: crv.startsWith('X') ? 'OKP' : 'EC', crv });
const pbes2 = (alg: string, enc: string): JWEInteropCase => make(alg, enc, { kty: 'password' });

/** Every JWE key-management algorithm tessera implements, each with a GCM and a CBC-HMAC `enc`. */
export const ALL_JWE_CASES: readonly JWEInteropCase[] = [
  dir('A128GCM'),
  dir('A192GCM'),
  dir('A256GCM'),
  dir('A128CBC-HS256'),
  dir('A192CBC-HS384'),
  dir('A256CBC-HS512'),
  kw('A128KW', 'A128GCM'),
  kw('A128KW', 'A128CBC-HS256'),
  kw('A192KW', 'A192GCM'),
  kw('A192KW', 'A192CBC-HS384'),
  kw('A256KW', 'A256GCM'),
  kw('A256KW', 'A256CBC-HS512'),
  kw('A128GCMKW', 'A128GCM'),
  kw('A128GCMKW', 'A256CBC-HS512'),
  kw('A192GCMKW', 'A192GCM'),
  kw('A192GCMKW', 'A128CBC-HS256'),
  kw('A256GCMKW', 'A256GCM'),
  kw('A256GCMKW', 'A192CBC-HS384'),
  rsa('RSA-OAEP', 'A256GCM'),
  rsa('RSA-OAEP', 'A128CBC-HS256'),
  rsa('RSA-OAEP-256', 'A128GCM'),
  rsa('RSA-OAEP-256', 'A256CBC-HS512'),
  rsa('RSA-OAEP-384', 'A192GCM'),
  rsa('RSA-OAEP-384', 'A192CBC-HS384'),
  rsa('RSA-OAEP-512', 'A256GCM'),
  rsa('RSA-OAEP-512', 'A256CBC-HS512'),
  ecdh('ECDH-ES', 'A128GCM', 'P-256'),
  ecdh('ECDH-ES', 'A128CBC-HS256', 'P-256'),
  ecdh('ECDH-ES', 'A192GCM', 'P-384'),
  ecdh('ECDH-ES', 'A256CBC-HS512', 'P-384'),
  ecdh('ECDH-ES', 'A256GCM', 'P-521'),
  ecdh('ECDH-ES', 'A192CBC-HS384', 'P-521'),
  ecdh('ECDH-ES', 'A256GCM', 'X25519'),
  ecdh('ECDH-ES', 'A128CBC-HS256', 'X25519'),
  ecdh('ECDH-ES', 'A128GCM', 'X448'),
  ecdh('ECDH-ES', 'A256CBC-HS512', 'X448'),
  ecdh('ECDH-ES+A128KW', 'A128GCM', 'P-256'),
  ecdh('ECDH-ES+A128KW', 'A128CBC-HS256', 'X25519'),
  ecdh('ECDH-ES+A192KW', 'A192GCM', 'P-384'),
  ecdh('ECDH-ES+A192KW', 'A192CBC-HS384', 'X448'),
  ecdh('ECDH-ES+A256KW', 'A256GCM', 'P-521'),
  ecdh('ECDH-ES+A256KW', 'A256CBC-HS512', 'P-256'),
  pbes2('PBES2-HS256+A128KW', 'A128GCM'),
  pbes2('PBES2-HS256+A128KW', 'A128CBC-HS256'),
  pbes2('PBES2-HS384+A192KW', 'A192GCM'),
  pbes2('PBES2-HS384+A192KW', 'A192CBC-HS384'),
  pbes2('PBES2-HS512+A256KW', 'A256GCM'),
  pbes2('PBES2-HS512+A256KW', 'A256CBC-HS512'),
];

const ids = (filter: (c: JWEInteropCase) => boolean): string[] => ALL_JWE_CASES.filter(filter).map((c) => c.id);

/**
 * What each peer shares with tessera, by case id. Each suite's probe asks the peer itself and fails
 * when this drifts; test/interop/jwe-cases.test.ts keeps docs/interop.md in agreement with it.
 */
export const JWE_SHARED = {
  /** jose v6 is WebCrypto-only: no X448. */
  joseNPM: ids((c) => !('crv' in c.key && c.key.crv === 'X448')),
  /** jwcrypto 1.1: no RSA-OAEP-384/512 (it has RSA-OAEP and RSA-OAEP-256 only). */
  jwcrypto: ids((c) => c.alg !== 'RSA-OAEP-384' && c.alg !== 'RSA-OAEP-512'),
  /** Debian's jose 11 build: no RSA-OAEP of any kind, no X25519/X448. */
  joseC: ids((c) => !c.alg.startsWith('RSA-OAEP') && c.key.kty !== 'OKP'),
} as const satisfies Record<string, readonly string[]>;

/** Algorithms or encryptions tessera implements that no case covers (must be empty), and the per-alg rule. */
export function interopCoverage(): { untestedAlgs: string[]; untestedEncs: string[]; algsWithoutBothFamilies: string[]; curvesWithoutECDHES: string[] } {
  const algs = new Set(ALL_JWE_CASES.map((c) => c.alg));
  const encs = new Set(ALL_JWE_CASES.map((c) => c.enc));
  const algsWithoutBothFamilies = [...algs].filter((alg) => {
    const its = ALL_JWE_CASES.filter((c) => c.alg === alg);
    return !its.some((c) => c.enc.endsWith('GCM')) || !its.some((c) => c.enc.includes('CBC-HS'));
  });
  const curves = ['P-256', 'P-384', 'P-521', 'X25519', 'X448'];
  const curvesWithoutECDHES = curves.filter((crv) => !ALL_JWE_CASES.some((c) => c.alg === 'ECDH-ES' && 'crv' in c.key && c.key.crv === crv));
  return {
    untestedAlgs: JWE_ALGORITHMS.filter((a) => !algs.has(a)),
    untestedEncs: JWE_ENCRYPTIONS.filter((e) => !encs.has(e)),
    algsWithoutBothFamilies,
    curvesWithoutECDHES,
  };
}

/** True for `dir` and `ECDH-ES` (direct): they determine the CEK, so a JWE has one recipient only (RFC 7516 §7.2.1). */
export function singleRecipientOnly(c: JWEInteropCase): boolean {
  return c.alg === 'dir' || c.alg === 'ECDH-ES';
}

/** tessera's key for a case: what a sender encrypts to, and what the recipient decrypts with. */
export interface TesseraJWEKey {
  /** The recipient's key (private or secret), or the password bytes for PBES2. */
  readonly decrypt: TesseraKey | Uint8Array;
  /** What a sender gets: the public JWK, the secret JWK, or the password (UTF-8 text). */
  readonly encryptTo: JWK | string;
  /** What a peer gets to decrypt with tessera's key: the private JWK, the secret JWK, or the password. */
  readonly exported: JWK | string;
}

/** A fresh password (ASCII, so every peer reads it as the same bytes). */
export function password(): string {
  return `tessera-interop-${randomBytes(12).toString('hex')}`;
}

/**
 * A fresh tessera key for a case: generated by node:crypto, imported with `importJWK` bound to the
 * case's alg, exported with `exportJWK` for the peer.
 */
export async function tesseraJWEKey(c: JWEInteropCase): Promise<TesseraJWEKey> {
  if (c.key.kty === 'password') {
    const pwd = password();
    return { decrypt: new TextEncoder().encode(pwd), encryptTo: pwd, exported: pwd };
  }
  let jwk: JWK;
  if (c.key.kty === 'oct') {
    jwk = { kty: 'oct', k: encodeBase64URL(randomBytes(c.key.bits / 8)) };
  } else {
    const pair =
      c.key.kty === 'RSA'
        ? generateKeyPairSync('rsa', { modulusLength: c.key.bits })
        : c.key.kty === 'EC'
          ? generateKeyPairSync('ec', { namedCurve: c.key.crv })
          : generateKeyPairSync(c.key.crv.toLowerCase() as 'x25519', {});
    jwk = pair.privateKey.export({ format: 'jwk' }) as JWK;
  }
  const key = await importJWK({ ...jwk, kid: randomUUID() }, { alg: c.alg, use: 'enc' });
  const exported = exportJWK(key);
  return { decrypt: key, encryptTo: key.family === 'oct' ? exported : exportJWK(key, { public: true }), exported };
}

/** A distinct UTF-8 JSON plaintext per case and direction (non-ASCII on purpose). */
export function plaintextFor(c: JWEInteropCase, direction: string): string {
  return JSON.stringify({ iss: 'tessera-interop', case: c.id, direction, note: 'grüße ✓ 🔐', jti: randomUUID() });
}

/** Flips one bit in the middle of a compact JWE's ciphertext, re-encoded canonically. */
export function tamperCompactJWE(token: string): string {
  const parts = token.split('.');
  const ct = decodeBase64URL(parts[3] as string);
  const i = ct.length >> 1;
  ct[i] = (ct[i] as number) ^ 0x01;
  parts[3] = encodeBase64URL(ct);
  return parts.join('.');
}
