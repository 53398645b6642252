/**
 * Fixtures for the JWE algorithm-layer tests: keys made with node:crypto (independent of the
 * backend under test), and helpers that run a descriptor's async and sync forms alike.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { generateKeyPairSync } from '../../helpers/node-keygen.ts';
import { platform } from '#platform';
import type { ContentEncryption, KeyManagement, UnwrapLimits, WrapInput, WrapResult } from '../../../src/jwa/jwe-algorithm.ts';
import type { TesseraKey } from '../../../src/jwa/key.ts';
import type { JWK } from '../../../src/jwa/types.ts';
import { importJWK, importSecret } from '../../../src/jwk/import.ts';

export const isWeb = platform.name === 'web';
export const LIMITS: UnwrapLimits = { maxPBES2Count: 10_000 };
export const EMPTY = new Uint8Array(0);

export function hex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
export function b64u(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
export function fromB64u(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'));
}
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export type PairKind = 'RSA' | 'P-256' | 'P-384' | 'P-521' | 'X25519' | 'X448' | 'Ed25519';
export interface Pair {
  readonly privateJWK: JWK;
  readonly publicJWK: JWK;
  readonly privateKey: TesseraKey;
  readonly publicKey: TesseraKey;
}

const pairs = new Map<PairKind, Promise<Pair>>();
/** A key pair of this kind, generated once per test process by node:crypto, imported by tessera. */
export function pair(kind: PairKind): Promise<Pair> {
  const hit = pairs.get(kind);
  if (hit) return hit;
  const kp =
    kind === 'RSA'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : kind.startsWith('P-')
        ? generateKeyPairSync('ec', { namedCurve: kind })
        : generateKeyPairSync(kind.toLowerCase() as 'x25519');
  const privateJWK = kp.privateKey.export({ format: 'jwk' }) as JWK;
  const publicJWK = kp.publicKey.export({ format: 'jwk' }) as JWK;
  const made = (async () => ({ privateJWK, publicJWK, privateKey: await importJWK(privateJWK), publicKey: await importJWK(publicJWK) }))();
  pairs.set(kind, made);
  return made;
}

/** A fresh random secret key of `bytes` bytes (unbound). */
export function secret(bytes: number): Promise<TesseraKey> {
  return importSecret(new Uint8Array(randomBytes(bytes)));
}

/** The recipient key for `km`: a secret of its size, a 32-byte password, or a private key of its family. */
export async function keyFor(km: KeyManagement, enc: ContentEncryption, crv: PairKind = 'P-256'): Promise<{ sender: TesseraKey; recipient: TesseraKey }> {
  if (km.family === 'oct') {
    const bytes = km.mode === 'direct' ? enc.cekLength : km.keyBits === 0 ? 32 : km.keyBits / 8;
    const k = await secret(bytes);
    return { sender: k, recipient: k };
  }
  const p = await pair(km.family === 'RSA' ? 'RSA' : crv);
  return { sender: p.publicKey, recipient: p.privateKey };
}

/**
 * Runs the async form, then the sync form where the backend has it. On WebCrypto, the sync form
 * must throw ERR_SYNC_UNSUPPORTED (asserted here, not skipped).
 */
export async function bothForms<T>(run: (sync: boolean) => T | Promise<T>): Promise<T[]> {
  const out = [await run(false)];
  if (platform.syncSupported) out.push(await run(true));
  else await assert.rejects(async () => run(true), { code: 'ERR_SYNC_UNSUPPORTED' });
  return out;
}

/** Asserts that both forms fail with `code` (on WebCrypto the sync form fails with ERR_SYNC_UNSUPPORTED). */
export async function rejectsBoth(run: (sync: boolean) => unknown, code: string): Promise<void> {
  await assert.rejects(async () => run(false), { code }, `async form: ${code}`);
  await assert.rejects(async () => run(true), { code: platform.syncSupported ? code : 'ERR_SYNC_UNSUPPORTED' }, `sync form: ${code}`);
}

/** The error both forms throw, for comparing messages between failure kinds. */
export async function errorOf(run: () => unknown): Promise<Error & { code?: string }> {
  try {
    await run();
  } catch (err) {
    return err as Error & { code?: string };
  }
  assert.fail('expected a failure');
}

export function wrapWith(km: KeyManagement, sync: boolean, key: TesseraKey, enc: ContentEncryption, input: WrapInput = {}): WrapResult | Promise<WrapResult> {
  return sync ? km.wrapSync(key, enc, input) : km.wrap(key, enc, input);
}

export function unwrapWith(
  km: KeyManagement,
  sync: boolean,
  key: TesseraKey,
  enc: ContentEncryption,
  encryptedKey: Uint8Array,
  header: Readonly<Record<string, unknown>>,
  limits: UnwrapLimits = LIMITS,
): Uint8Array | Promise<Uint8Array> {
  return sync ? km.unwrapSync(key, enc, encryptedKey, header, limits) : km.unwrap(key, enc, encryptedKey, header, limits);
}

export function decryptWith(
  enc: ContentEncryption,
  sync: boolean,
  cek: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): Uint8Array | Promise<Uint8Array> {
  return sync ? enc.decryptSync(cek, iv, ciphertext, tag, aad) : enc.decrypt(cek, iv, ciphertext, tag, aad);
}
