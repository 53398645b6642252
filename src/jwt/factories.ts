/**
 * JWT signer and verifier factories: the hot path. Each checks its options, imports its key and
 * encodes its header once, so a call does only the per-token work. A verifier can also keep a
 * verified-token cache (off by default; see cache.ts).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { importKey, importKeySync, type KeyInput } from '../jwk/import.js';
import { createDecrypter, createDecrypterSync, createEncrypter, createEncrypterSync, type Decrypter, type Encrypter } from '../jwe/factories.js';
import { encryptJWE, encryptJWESync } from '../jwe/compact.js';
import { createSigner, createSignerSync, createVerifier, createVerifierSync, planOfVerifier, type Signer, type Verifier } from '../jws/factories.js';
import type { VerifyKey } from '../jws/types.js';
import { buildClaims, checkReplicate, claimsJSON, replicated, type PreparedClaims } from './build.js';
import { VerifiedTokenCache, type VerifiedTokenCacheOptions } from './cache.js';
import type { JWTClaims } from './claims.js';
import { innerToken } from './encrypted.js';
import { finishNested, nestedJWEOptions } from './nested.js';
import { refuseJWE, refuseJWS } from './parts.js';
import { prepareSigning } from './sign.js';
import type { JWTSignOptions, JWTVerifyOptions, JWTVerifyResult, NestedDecryptPart, NestedEncryptPart, NestedJWTResult, NestedSignPart, NestedVerifyPart } from './types.js';
import type { PreparedValidation } from './validate.js';
import { finishVerify, prepareVerify, verifyPlannedJWT } from './verify.js';

/** A prepared JWT signer. */
export interface JWTSigner {
  /** The encoded protected header every token of this signer carries. */
  readonly protectedHeader: string;
  sign(claims: JWTClaims): Promise<string>;
  /** Node only. */
  signSync(claims: JWTClaims): string;
}

/** A prepared JWT verifier. */
export interface JWTVerifier {
  verify(token: string): Promise<JWTVerifyResult>;
  /** Node only. */
  verifySync(token: string): JWTVerifyResult;
}

/** Options of a JWT verifier: the verify options and an optional verified-token cache. */
export interface JWTVerifierOptions extends JWTVerifyOptions {
  /** Keep verified tokens (off by default): `true` for 1000 entries, or `{ max }`. */
  readonly cache?: VerifiedTokenCacheOptions | true;
}

function buildSigner(signer: Signer, claims: PreparedClaims): JWTSigner {
  return Object.freeze({
    protectedHeader: signer.protectedHeader,
    sign: async (c: JWTClaims) => signer.sign(claimsJSON(buildClaims(c, claims))),
    signSync: (c: JWTClaims) => signer.signSync(claimsJSON(buildClaims(c, claims))),
  });
}

/**
 * Creates a JWT signer: options checked, key imported and header encoded once.
 * @example
 * const signer = await createJWTSigner(privateKey, { alg: 'ES256', issuer: 'https://issuer.example', expiresIn: '15m' });
 * const token = await signer.sign({ sub: 'ada' });
 * @throws ERR_INVALID_ARGUMENT, and the createSigner codes
 */
export async function createJWTSigner(key: KeyInput, options: JWTSignOptions = {}): Promise<JWTSigner> {
  const p = prepareSigning(options);
  return buildSigner(await createSigner(key, p.jws), p.claims);
}

/**
 * Synchronous {@link createJWTSigner} (Node only).
 * @example
 * const token = createJWTSignerSync(secret, { alg: 'HS256', expiresIn: 60 }).signSync({ sub: 'ada' });
 * @throws as createJWTSigner, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function createJWTSignerSync(key: KeyInput, options: JWTSignOptions = {}): JWTSigner {
  const p = prepareSigning(options);
  return buildSigner(createSignerSync(key, p.jws), p.claims);
}

function buildVerifier(verifier: Verifier, key: VerifyKey, v: PreparedValidation, cacheOptions: JWTVerifierOptions['cache']): JWTVerifier {
  const plan = planOfVerifier(verifier);
  if (cacheOptions === undefined && plan !== undefined) {
    // A planned token has exactly three parts, so it is never a JWE: the plan needs no refuseJWE,
    // and a token it declines goes the general way below, refuseJWE first.
    const general = (token: string): JWTVerifyResult => {
      refuseJWE(token);
      return finishVerify(verifier.verifySync(token), v);
    };
    return Object.freeze({
      verify: async (token: string) => {
        const planned = verifyPlannedJWT(plan, token, v);
        if (planned !== undefined) return planned;
        refuseJWE(token);
        return finishVerify(await verifier.verify(token), v);
      },
      verifySync: (token: string) => verifyPlannedJWT(plan, token, v) ?? general(token),
    });
  }
  if (cacheOptions === undefined) {
    return Object.freeze({
      verify: async (token: string) => {
        refuseJWE(token);
        return finishVerify(await verifier.verify(token), v);
      },
      verifySync: (token: string) => {
        refuseJWE(token);
        return finishVerify(verifier.verifySync(token), v);
      },
    });
  }
  if (typeof cacheOptions !== 'object' && cacheOptions !== true) throw new InvalidArgumentError('cache must be true or { max }');
  const cache = new VerifiedTokenCache(cacheOptions);
  return Object.freeze({
    verify: async (token: string) => {
      refuseJWE(token);
      const generation = cache.sync(key);
      const hit = typeof token === 'string' ? cache.get(token, v) : undefined;
      if (hit !== undefined) return hit;
      const result = finishVerify(await verifier.verify(token), v);
      cache.sync(key);
      return cache.set(token, result, generation);
    },
    verifySync: (token: string) => {
      refuseJWE(token);
      const generation = cache.sync(key);
      const hit = typeof token === 'string' ? cache.get(token, v) : undefined;
      if (hit !== undefined) return hit;
      const result = finishVerify(verifier.verifySync(token), v);
      cache.sync(key);
      return cache.set(token, result, generation);
    },
  });
}

/**
 * Creates a JWT verifier: options checked, key (or key set) imported, allow-list frozen, once.
 * Verifies and does not verify exactly what {@link verifyJWT} does.
 *
 * With `cache`, a token verified once is not verified again while it stays valid: the time rules
 * run on every call, the signature and static checks do not (see docs/jwt.md).
 * @example
 * const verifier = await createJWTVerifier(remoteKeys, { algorithms: ['ES256'], issuer, audience: 'api', cache: { max: 1000 } });
 * const { payload } = await verifier.verify(token);
 * @throws ERR_INVALID_ARGUMENT, and the createVerifier codes; calls throw as verifyJWT
 */
export async function createJWTVerifier(key: VerifyKey, options: JWTVerifierOptions = {}): Promise<JWTVerifier> {
  const v = prepareVerify(options);
  const { cache, ...rest } = options;
  return buildVerifier(await createVerifier(key, rest), key, v, cache);
}

/**
 * Synchronous {@link createJWTVerifier} (Node only).
 * @example
 * const { payload } = createJWTVerifierSync(secret, { algorithms: ['HS256'], audience: 'api' }).verifySync(token);
 * @throws as createJWTVerifier, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function createJWTVerifierSync(key: VerifyKey, options: JWTVerifierOptions = {}): JWTVerifier {
  const v = prepareVerify(options);
  const { cache, ...rest } = options;
  return buildVerifier(createVerifierSync(key, rest), key, v, cache);
}

/** A prepared nested JWT signer (sign, then encrypt). */
export interface NestedJWTSigner {
  sign(claims: JWTClaims): Promise<string>;
  /** Node only. */
  signSync(claims: JWTClaims): string;
}

/** A prepared nested JWT verifier (decrypt, then verify). */
export interface NestedJWTVerifier {
  verify(token: string): Promise<NestedJWTResult>;
  /** Node only. */
  verifySync(token: string): NestedJWTResult;
}

function checkParts(a: unknown, b: unknown): void {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    throw new InvalidArgumentError('both parts (sign/encrypt or decrypt/verify) must be objects');
  }
}

interface NestedSignerParts {
  readonly signer: Signer;
  readonly claims: PreparedClaims;
  readonly encrypter: Encrypter;
  readonly encrypt: NestedEncryptPart;
  readonly key: KeyInput;
}

function buildNestedSigner(parts: NestedSignerParts): NestedJWTSigner {
  const { signer, claims, encrypter, encrypt, key } = parts;
  const names = checkReplicate(encrypt.replicate);
  if (names.length === 0) {
    // The header is the same for every token: the encrypter built it once.
    return Object.freeze({
      sign: async (c: JWTClaims) => encrypter.encrypt(await signer.sign(claimsJSON(buildClaims(c, claims)))),
      signSync: (c: JWTClaims) => encrypter.encryptSync(signer.signSync(claimsJSON(buildClaims(c, claims)))),
    });
  }
  // Replicated claims may differ per token, so the JWE header is built per token.
  return Object.freeze({
    sign: async (c: JWTClaims) => {
      const built = buildClaims(c, claims);
      const jwe = nestedJWEOptions(encrypt.encryptOptions, replicated(built, names));
      return encryptJWE(await signer.sign(claimsJSON(built)), key, jwe);
    },
    signSync: (c: JWTClaims) => {
      const built = buildClaims(c, claims);
      const jwe = nestedJWEOptions(encrypt.encryptOptions, replicated(built, names));
      return encryptJWESync(signer.signSync(claimsJSON(built)), key, jwe);
    },
  });
}

/**
 * Creates a nested JWT signer: both keys imported, the JWS header encoded and the JWE header
 * built once (per token only when claims are replicated into it).
 * @example
 * const signer = await createNestedJWTSigner(
 *   { signKey: issuerKey, signOptions: { alg: 'ES256', issuer, expiresIn: '5m' } },
 *   { encryptKey: recipientPublicJWK, encryptOptions: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' } },
 * );
 * const token = await signer.sign({ sub: 'ada' });
 * @throws ERR_INVALID_ARGUMENT, and the createSigner and createEncrypter codes
 */
export async function createNestedJWTSigner(sign: NestedSignPart, encrypt: NestedEncryptPart): Promise<NestedJWTSigner> {
  checkParts(sign, encrypt);
  checkReplicate(encrypt.replicate);
  const p = prepareSigning(sign.signOptions ?? {});
  const key = await importKey(encrypt.encryptKey);
  const encrypter = await createEncrypter(key, nestedJWEOptions(encrypt.encryptOptions, {}));
  return buildNestedSigner({ signer: await createSigner(sign.signKey, p.jws), claims: p.claims, encrypter, encrypt, key });
}

/**
 * Synchronous {@link createNestedJWTSigner} (Node only).
 * @example
 * const token = createNestedJWTSignerSync({ signKey, signOptions: { alg: 'EdDSA' } }, { encryptKey, encryptOptions: { alg: 'dir', enc: 'A256GCM' } }).signSync({ sub: 'ada' });
 * @throws as createNestedJWTSigner, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function createNestedJWTSignerSync(sign: NestedSignPart, encrypt: NestedEncryptPart): NestedJWTSigner {
  checkParts(sign, encrypt);
  checkReplicate(encrypt.replicate);
  const p = prepareSigning(sign.signOptions ?? {});
  const key = importKeySync(encrypt.encryptKey);
  const encrypter = createEncrypterSync(key, nestedJWEOptions(encrypt.encryptOptions, {}));
  return buildNestedSigner({ signer: createSignerSync(sign.signKey, p.jws), claims: p.claims, encrypter, encrypt, key });
}

function buildNestedVerifier(decrypter: Decrypter, verifier: JWTVerifier): NestedJWTVerifier {
  return Object.freeze({
    verify: async (token: string) => {
      refuseJWS(token);
      const outer = await decrypter.decrypt(token);
      return finishNested(outer, await verifier.verify(innerToken(outer)));
    },
    verifySync: (token: string) => {
      refuseJWS(token);
      const outer = decrypter.decryptSync(token);
      return finishNested(outer, verifier.verifySync(innerToken(outer)));
    },
  });
}

/**
 * Creates a nested JWT verifier: the decrypter and the inner JWT verifier prepared once.
 * Verifies and does not verify exactly what {@link decryptAndVerifyJWT} does.
 * @example
 * const verifier = await createNestedJWTVerifier(
 *   { decryptKey: recipientPrivateJWK, decryptOptions: { algorithms: ['ECDH-ES+A256KW'] } },
 *   { verifyKey: issuerPublicJWK, verifyOptions: { algorithms: ['ES256'], issuer } },
 * );
 * const { payload } = await verifier.verify(token);
 * @throws ERR_INVALID_ARGUMENT, and the createDecrypter and createVerifier codes
 */
export async function createNestedJWTVerifier(decrypt: NestedDecryptPart, verify: NestedVerifyPart): Promise<NestedJWTVerifier> {
  checkParts(decrypt, verify);
  const verifier = await createJWTVerifier(verify.verifyKey, verify.verifyOptions ?? {});
  return buildNestedVerifier(await createDecrypter(decrypt.decryptKey, decrypt.decryptOptions ?? {}), verifier);
}

/**
 * Synchronous {@link createNestedJWTVerifier} (Node only).
 * @example
 * const { payload } = createNestedJWTVerifierSync({ decryptKey }, { verifyKey, verifyOptions: { algorithms: ['EdDSA'] } }).verifySync(token);
 * @throws as createNestedJWTVerifier, and ERR_SYNC_UNSUPPORTED on WebCrypto
 */
export function createNestedJWTVerifierSync(decrypt: NestedDecryptPart, verify: NestedVerifyPart): NestedJWTVerifier {
  checkParts(decrypt, verify);
  const verifier = createJWTVerifierSync(verify.verifyKey, verify.verifyOptions ?? {});
  return buildNestedVerifier(createDecrypterSync(decrypt.decryptKey, decrypt.decryptOptions ?? {}), verifier);
}
