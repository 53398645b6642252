/**
 * Keys and cases shared by the JWE unit tests. Keys are made with node:crypto directly, so they do
 * not depend on the backend under test.
 */
import { randomBytes } from 'node:crypto';
import { generateKeyPairSync } from '../../helpers/node-keygen.ts';
import { platform } from '#platform';
import type { JWK } from '../../../src/jwa/types.ts';
import type { KeyInput } from '../../../src/jwk/import.ts';
import { decryptJWE, decryptJWESync, encryptJWE, encryptJWESync } from '../../../src/jwe/compact.ts';
import {
  decryptFlattenedJWE,
  decryptFlattenedJWESync,
  encryptFlattenedJWE,
  encryptFlattenedJWESync,
} from '../../../src/jwe/flattened.ts';
import { decryptGeneralJWE, decryptGeneralJWESync, encryptGeneralJWE, encryptGeneralJWESync } from '../../../src/jwe/general.ts';
import type { DecryptOptions } from '../../../src/jwe/types.ts';
import { testKeyPair } from '../../helpers/keys.ts';

export const secret = (bytes: number): Uint8Array => new Uint8Array(randomBytes(bytes));
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export const b64u = (s: string | Uint8Array): string => Buffer.from(s).toString('base64url');
export const unb64u = (s: string): string => Buffer.from(s, 'base64url').toString('utf8');
export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Changes one character of a base64url segment, keeping it canonical (the first character has no spare bits). */
export function mutate(segment: string): string {
  return (segment[0] === 'A' ? 'B' : 'A') + segment.slice(1);
}

/** The protected header of a compact JWE or JSON `protected`, decoded. */
export function headerOf(encoded: string): Record<string, unknown> {
  return JSON.parse(unb64u(encoded)) as Record<string, unknown>;
}

function okp(type: 'x25519'): { privateJWK: JWK; publicJWK: JWK } {
  const { privateKey, publicKey } = generateKeyPairSync(type);
  return { privateJWK: privateKey.export({ format: 'jwk' }) as JWK, publicJWK: publicKey.export({ format: 'jwk' }) as JWK };
}

export const rsa = testKeyPair('RSA-2048');
export const p256 = testKeyPair('P-256');
export const x25519 = okp('x25519');
export const s16 = secret(16);
export const s32 = secret(32);
export const password = new TextEncoder().encode('correct horse battery staple');

/** One representative round trip: what the sender and the recipient hold, and what they say. */
export interface Case {
  readonly name: string;
  readonly alg: string;
  readonly enc: string;
  readonly encryptKey: KeyInput;
  readonly decryptKey: KeyInput;
  /** Extra encryption options (PBES2 p2c). */
  readonly p2c?: number;
  /** Decryption options (PBES2 must be allowed explicitly). */
  readonly decrypt?: DecryptOptions;
  /** Members the algorithm adds to the header. */
  readonly parameters: readonly string[];
  /** True when the algorithm determines the CEK (no encrypted key, one recipient only). */
  readonly direct: boolean;
}

export const CASES: readonly Case[] = [
  { name: 'dir + A256GCM', alg: 'dir', enc: 'A256GCM', encryptKey: s32, decryptKey: s32, parameters: [], direct: true },
  { name: 'A256KW + A256CBC-HS512', alg: 'A256KW', enc: 'A256CBC-HS512', encryptKey: s32, decryptKey: s32, parameters: [], direct: false },
  { name: 'A128GCMKW + A128GCM', alg: 'A128GCMKW', enc: 'A128GCM', encryptKey: s16, decryptKey: s16, parameters: ['iv', 'tag'], direct: false },
  { name: 'RSA-OAEP-256 + A256GCM', alg: 'RSA-OAEP-256', enc: 'A256GCM', encryptKey: rsa.publicJWK, decryptKey: rsa.privateJWK, parameters: [], direct: false },
  { name: 'ECDH-ES+A256KW (P-256) + A256GCM', alg: 'ECDH-ES+A256KW', enc: 'A256GCM', encryptKey: p256.publicJWK, decryptKey: p256.privateJWK, parameters: ['epk'], direct: false },
  { name: 'ECDH-ES+A256KW (X25519) + A128CBC-HS256', alg: 'ECDH-ES+A256KW', enc: 'A128CBC-HS256', encryptKey: x25519.publicJWK, decryptKey: x25519.privateJWK, parameters: ['epk'], direct: false },
  { name: 'ECDH-ES (P-256, direct) + A128GCM', alg: 'ECDH-ES', enc: 'A128GCM', encryptKey: p256.publicJWK, decryptKey: p256.privateJWK, parameters: ['epk'], direct: true },
  {
    name: 'PBES2-HS256+A128KW (p2c 1000) + A128GCM',
    alg: 'PBES2-HS256+A128KW',
    enc: 'A128GCM',
    encryptKey: password,
    decryptKey: password,
    p2c: 1000,
    decrypt: { algorithms: ['PBES2-HS256+A128KW'] },
    parameters: ['p2s', 'p2c'],
    direct: false,
  },
];

/** The public API under test, async always and sync where the backend has it. */
export interface API {
  readonly name: string;
  encrypt: typeof encryptJWE;
  decrypt: typeof decryptJWE;
  encryptF: typeof encryptFlattenedJWE;
  decryptF: typeof decryptFlattenedJWE;
  encryptG: typeof encryptGeneralJWE;
  decryptG: typeof decryptGeneralJWE;
}

export const APIS: API[] = [
  {
    name: 'async',
    encrypt: encryptJWE,
    decrypt: decryptJWE,
    encryptF: encryptFlattenedJWE,
    decryptF: decryptFlattenedJWE,
    encryptG: encryptGeneralJWE,
    decryptG: decryptGeneralJWE,
  },
];
if (platform.syncSupported) {
  APIS.push({
    name: 'sync',
    encrypt: async (p, k, o) => encryptJWESync(p, k, o),
    decrypt: async (t, k, o) => decryptJWESync(t, k, o),
    encryptF: async (p, k, o) => encryptFlattenedJWESync(p, k, o),
    decryptF: async (j, k, o) => decryptFlattenedJWESync(j, k, o),
    encryptG: async (p, r, o) => encryptGeneralJWESync(p, r, o),
    decryptG: async (j, k, o) => decryptGeneralJWESync(j, k, o),
  });
}
