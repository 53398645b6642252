/**
 * RFC 7518 §4.6 and RFC 8037 §3.2: ECDH-ES key agreement, direct (`ECDH-ES`) or with AES Key Wrap
 * (`ECDH-ES+A128KW`, `+A192KW`, `+A256KW`), over P-256, P-384, P-521, X25519 and X448.
 */
import { platform } from '#platform';
import { assertBase64URL, encodeBase64URL } from '../core/base64url.js';
import { HeaderInvalidError, InvalidArgumentError, JWEEphemeralKeyInvalidError, JWEInvalidError, KeyInvalidError } from '../core/errors.js';
import { concatKDF, concatKDFSync, otherInfo } from './_concat-kdf.js';
import { assertSync, cekFor, checkedCEK, ecdhCurve, EMPTY, familyOfCurve, headerBytes, requireKey, sameBytes } from './_jwe-shared.js';
import type { ContentEncryption, KeyManagement, KeyManagementParameters, WrapInput, WrapResult } from './jwe-algorithm.js';
import type { TesseraKey } from './key.js';
import type { ECDHCurve, EphemeralKeyPair, ImportedKey } from './platform/types.js';
import type { Curve, JWK } from './types.js';

export const ECDH_CURVES: readonly ECDHCurve[] = Object.freeze(['P-256', 'P-384', 'P-521', 'X25519', 'X448']);
/** Coordinate length in bytes (RFC 7518 §6.2.1.2, RFC 8037 §2). */
const COORDINATE_BYTES: Readonly<Record<ECDHCurve, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66, X25519: 32, X448: 56 };

function invalidEPK(why: string): JWEEphemeralKeyInvalidError {
  return new JWEEphemeralKeyInvalidError(`the ephemeral public key (epk) ${why}`);
}

function coordinate(epk: Record<string, unknown>, member: 'x' | 'y', crv: ECDHCurve): string {
  const value = epk[member];
  if (typeof value !== 'string') throw invalidEPK(`has no "${member}"`);
  try {
    assertBase64URL(value);
  } catch {
    throw invalidEPK(`"${member}" is not base64url`);
  }
  if (Math.floor((value.length * 3) / 4) !== COORDINATE_BYTES[crv]) throw invalidEPK(`"${member}" has the wrong length for ${crv}`);
  return value;
}

/**
 * The `epk` as a clean public JWK on the recipient's curve.
 * SECURITY (THREATS.md §12, invalid-curve attacks): same `kty` and `crv` as the recipient's key,
 * coordinates of the exact length, no private member; the platform then refuses a point off the
 * curve when it imports it.
 */
function checkEPK(epk: unknown, crv: ECDHCurve): JWK {
  if (epk === undefined) throw new HeaderInvalidError('the "epk" header parameter is required');
  if (typeof epk !== 'object' || epk === null || Array.isArray(epk)) throw invalidEPK('is not a JWK object');
  const e = epk as Record<string, unknown>;
  const kty = familyOfCurve(crv);
  if (e.kty !== kty || e.crv !== crv) throw invalidEPK(`is not an ${kty} ${crv} key like the recipient's`);
  if (e.d !== undefined) throw invalidEPK('carries a private member');
  const jwk: JWK = { kty, crv, x: coordinate(e, 'x', crv) };
  if (kty === 'EC') jwk.y = coordinate(e, 'y', crv);
  else if (e.y !== undefined) throw invalidEPK('has a "y", which an OKP key has not');
  return jwk;
}

/** SECURITY: an all-zero Z comes from a low-order X25519/X448 point (RFC 7748 §6.1); refuse it. */
function checkZ(z: Uint8Array): Uint8Array {
  let bits = 0;
  for (const b of z) bits |= b;
  if (bits === 0) throw invalidEPK('gives an all-zero shared secret (a low-order point)');
  return z;
}

/** A key agreement failure on the recipient's side is a bad `epk` (the recipient's key was checked). */
function epkFailure(err: unknown): never {
  if (err instanceof KeyInvalidError) throw new JWEEphemeralKeyInvalidError('the key agreement with the ephemeral public key (epk) failed', { cause: err });
  throw err;
}

/** The sender's fixed ephemeral key (the test seam) must be a private key on the recipient's curve. */
function checkFixedEphemeral(jwk: JWK, crv: ECDHCurve): void {
  if (jwk.kty !== familyOfCurve(crv) || jwk.crv !== crv || typeof jwk.d !== 'string') {
    throw new InvalidArgumentError(`the ephemeral key must be a private ${crv} JWK`);
  }
}

function publicPart(jwk: JWK): JWK {
  const out: JWK = { kty: jwk.kty, crv: jwk.crv as string, x: jwk.x as string };
  if (jwk.y !== undefined) out.y = jwk.y;
  return out;
}

export function ecdhES(kwBits?: 128 | 192 | 256): KeyManagement {
  const name = kwBits === undefined ? 'ECDH-ES' : `ECDH-ES+A${kwBits}KW`;
  const direct = kwBits === undefined;

  /** OtherInfo without apu/apv (the common case) per `enc`: it is the same for every message. */
  const plainInfo = new Map<string, { info: Uint8Array; bits: number }>();

  /** RFC 7518 §4.6.2: AlgorithmID and keydatalen: the `enc` and its CEK for direct, else the `alg` and its KEK. */
  function kdfInput(enc: ContentEncryption, apu: Uint8Array | undefined, apv: Uint8Array | undefined): { info: Uint8Array; bits: number } {
    const bits = direct ? enc.cekLength * 8 : (kwBits as number);
    if (apu !== undefined || apv !== undefined) return { info: otherInfo(direct ? enc.name : name, apu ?? EMPTY, apv ?? EMPTY, bits), bits };
    let input = plainInfo.get(enc.name);
    if (input === undefined) {
      // Frozen contents by convention: concatKDF only reads it.
      input = Object.freeze({ info: otherInfo(direct ? enc.name : name, EMPTY, EMPTY, bits), bits });
      plainInfo.set(enc.name, input);
    }
    return input;
  }

  function parameters(epk: JWK, input: WrapInput): KeyManagementParameters {
    const p: KeyManagementParameters = { epk: publicPart(epk) };
    if (input.apu !== undefined) p.apu = encodeBase64URL(input.apu);
    if (input.apv !== undefined) p.apv = encodeBase64URL(input.apv);
    return p;
  }

  /** Direct: the derived key is the CEK (a given one must equal it). With KW: it wraps the CEK. */
  function directCEK(derived: Uint8Array, input: WrapInput): Uint8Array {
    if (input.cek !== undefined && !sameBytes(input.cek, derived)) throw new InvalidArgumentError('ECDH-ES determines the CEK: it is the derived key');
    return derived;
  }

  function checkDirect(encryptedKey: Uint8Array): void {
    // RFC 7516 §5.2 step 10: with direct key agreement the JWE Encrypted Key must be empty.
    if (direct && encryptedKey.length !== 0) throw new JWEInvalidError('ECDH-ES takes an empty JWE Encrypted Key');
  }

  async function ephemeral(crv: ECDHCurve, input: WrapInput): Promise<EphemeralKeyPair> {
    if (input.ephemeralKey === undefined) return platform.generateEphemeralKey(crv);
    checkFixedEphemeral(input.ephemeralKey, crv);
    return { privateKey: await platform.importJWK(input.ephemeralKey), publicJWK: input.ephemeralKey };
  }

  function ephemeralSync(crv: ECDHCurve, input: WrapInput): EphemeralKeyPair {
    if (input.ephemeralKey === undefined) return platform.generateEphemeralKeySync(crv);
    checkFixedEphemeral(input.ephemeralKey, crv);
    return { privateKey: platform.importJWKSync(input.ephemeralKey), publicJWK: input.ephemeralKey };
  }

  const km: KeyManagement = Object.freeze({
    name,
    mode: direct ? 'key-agreement' : 'key-agreement-wrap',
    // With `curves` set, the curve decides the family (EC for P-*, OKP for X25519/X448).
    family: 'EC',
    curves: ECDH_CURVES as readonly Curve[],
    keyBits: 0,
    generate: Object.freeze({ kty: 'EC', crv: 'P-256' }),
    explicitOnly: false,
    async wrap(key: TesseraKey, enc: ContentEncryption, input: WrapInput): Promise<WrapResult> {
      requireKey(km, key, 'encrypt');
      const crv = ecdhCurve(key);
      const eph = await ephemeral(crv, input);
      const z = await platform.deriveECDH(crv, eph.privateKey, key.imported);
      const kdf = kdfInput(enc, input.apu, input.apv);
      const derived = await concatKDF(z, kdf.info, kdf.bits);
      if (direct) return { cek: directCEK(derived, input), encryptedKey: EMPTY, parameters: parameters(eph.publicJWK, input) };
      const cek = cekFor(enc, input);
      return { cek, encryptedKey: await platform.aesKWWrap(derived, cek), parameters: parameters(eph.publicJWK, input) };
    },
    wrapSync(key: TesseraKey, enc: ContentEncryption, input: WrapInput): WrapResult {
      assertSync();
      requireKey(km, key, 'encrypt');
      const crv = ecdhCurve(key);
      const eph = ephemeralSync(crv, input);
      const z = platform.deriveECDHSync(crv, eph.privateKey, key.imported);
      const kdf = kdfInput(enc, input.apu, input.apv);
      const derived = concatKDFSync(z, kdf.info, kdf.bits);
      if (direct) return { cek: directCEK(derived, input), encryptedKey: EMPTY, parameters: parameters(eph.publicJWK, input) };
      const cek = cekFor(enc, input);
      return { cek, encryptedKey: platform.aesKWWrapSync(derived, cek), parameters: parameters(eph.publicJWK, input) };
    },
    async unwrap(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array, header: Readonly<Record<string, unknown>>): Promise<Uint8Array> {
      requireKey(km, key, 'decrypt');
      const crv = ecdhCurve(key);
      const epk = checkEPK(header.epk, crv);
      checkDirect(encryptedKey);
      const kdf = kdfInput(enc, headerBytes(header, 'apu', false), headerBytes(header, 'apv', false));
      const peer: ImportedKey = await platform.importEphemeralPublicKey(epk);
      const z = checkZ(await platform.deriveECDH(crv, key.imported, peer).catch(epkFailure));
      const derived = await concatKDF(z, kdf.info, kdf.bits);
      if (direct) return derived;
      return checkedCEK(await platform.aesKWUnwrap(derived, encryptedKey), enc);
    },
    unwrapSync(key: TesseraKey, enc: ContentEncryption, encryptedKey: Uint8Array, header: Readonly<Record<string, unknown>>): Uint8Array {
      assertSync();
      requireKey(km, key, 'decrypt');
      const crv = ecdhCurve(key);
      const epk = checkEPK(header.epk, crv);
      checkDirect(encryptedKey);
      const kdf = kdfInput(enc, headerBytes(header, 'apu', false), headerBytes(header, 'apv', false));
      const peer = platform.importEphemeralPublicKeySync(epk);
      let z: Uint8Array;
      try {
        z = platform.deriveECDHSync(crv, key.imported, peer);
      } catch (err) {
        epkFailure(err);
      }
      const derived = concatKDFSync(checkZ(z), kdf.info, kdf.bits);
      if (direct) return derived;
      return checkedCEK(platform.aesKWUnwrapSync(derived, encryptedKey), enc);
    },
  });
  return km;
}
