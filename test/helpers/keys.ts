/**
 * Test keys made with node:crypto directly, independent of tessera and of the backend under test,
 * in every form tessera accepts: JWK, PEM (SPKI/PKCS#8), KeyObject, CryptoKey.
 */
import { createHmac, type KeyObject } from 'node:crypto';
import { generateKeyPairSync } from './node-keygen.ts';
import { readFileSync } from 'node:fs';
import type { JWK } from '../../src/jwa/types.ts';

export type TestKeyKind = 'RSA-2048' | 'RSA-1024' | 'P-256' | 'P-384' | 'P-521' | 'secp256k1' | 'Ed25519' | 'Ed448';

export interface TestKeyPair {
  readonly kind: TestKeyKind;
  readonly privateJWK: JWK;
  readonly publicJWK: JWK;
  /** SPKI PEM of the public key. */
  readonly spki: string;
  /** PKCS#8 PEM of the private key. */
  readonly pkcs8: string;
  readonly privateKeyObject: KeyObject;
  readonly publicKeyObject: KeyObject;
}

const cache = new Map<TestKeyKind, TestKeyPair>();

function generate(kind: TestKeyKind): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (kind) {
    case 'RSA-2048':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'RSA-1024':
      return generateKeyPairSync('rsa', { modulusLength: 1024 });
    case 'P-256':
      return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    case 'P-384':
      return generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    case 'P-521':
      return generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
    case 'secp256k1':
      return generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    case 'Ed25519':
      return generateKeyPairSync('ed25519');
    case 'Ed448':
      return generateKeyPairSync('ed448');
  }
}

/** A key pair of the given kind (generated once per test process). */
export function testKeyPair(kind: TestKeyKind): TestKeyPair {
  const hit = cache.get(kind);
  if (hit) return hit;
  const { privateKey, publicKey } = generate(kind);
  const pair: TestKeyPair = {
    kind,
    privateJWK: privateKey.export({ format: 'jwk' }) as JWK,
    publicJWK: publicKey.export({ format: 'jwk' }) as JWK,
    spki: publicKey.export({ format: 'pem', type: 'spki' }) as string,
    pkcs8: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    privateKeyObject: privateKey,
    publicKeyObject: publicKey,
  };
  cache.set(kind, pair);
  return pair;
}

/** WebCrypto import parameters for a key kind (signature use). */
export function webCryptoParams(kind: TestKeyKind): RsaHashedImportParams | EcKeyImportParams | Algorithm {
  if (kind.startsWith('RSA')) return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  if (kind === 'Ed25519' || kind === 'Ed448') return { name: kind };
  return { name: 'ECDSA', namedCurve: kind };
}

/** The pair as WebCrypto CryptoKeys (made by the runtime's own crypto.subtle). */
export async function cryptoKeyPair(
  kind: TestKeyKind,
  extractable = true,
): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> {
  const pair = testKeyPair(kind);
  const params = webCryptoParams(kind);
  const strip = (jwk: JWK) => Object.fromEntries(Object.entries(jwk).filter(([k]) => k !== 'alg')) as JsonWebKey;
  return {
    privateKey: await crypto.subtle.importKey('jwk', strip(pair.privateJWK), params, extractable, ['sign']),
    publicKey: await crypto.subtle.importKey('jwk', strip(pair.publicJWK), params, extractable, ['verify']),
  };
}

/** Reads a file of test/unit/jwk/fixtures (see its README). */
export function fixture(name: string): string {
  return readFileSync(new URL(`../unit/jwk/fixtures/${name}`, import.meta.url), 'utf8');
}

/**
 * An HS256 compact JWS made without tessera, with any bytes as the HMAC secret: the forged token of
 * the key-confusion attack (THREATS.md §2), where the secret is the victim's public key text.
 */
export function forgeHS256(payload: string, secret: Uint8Array | string): string {
  const head = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}
