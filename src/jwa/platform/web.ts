/**
 * The WebCrypto backend: `crypto.subtle` and `crypto.getRandomValues` only, so it runs in browsers,
 * Deno, Bun, workers and (with the `tessera-web` condition) Node.
 *
 * Why a cache of CryptoKeys: WebCrypto binds a CryptoKey to one algorithm (and, for RSA and HMAC,
 * one hash) at import, while a tessera key may serve several algorithms (an RSA key for RS256 and
 * PS256). So a handle keeps the key's JWK members and imports one CryptoKey per scheme and
 * operation on first use. A non-extractable native CryptoKey has no members to re-import: it serves
 * exactly the scheme and usages it was created with.
 *
 * WebCrypto is asynchronous only: every *Sync method throws ERR_SYNC_UNSUPPORTED.
 */
import { decodeBase64URL, encodeBase64URL } from '../../core/base64url.js';
import { concatBytes, encodeUTF8, timingSafeEqualBytes } from '../../core/bytes.js';
import {
  InvalidArgumentError,
  JWEEphemeralKeyInvalidError,
  JWEInvalidError,
  KeyInvalidError,
  KeyPrivateRequiredError,
  KeyUsageError,
  PlatformUnsupportedError,
  SyncUnsupportedError,
  TesseraError,
} from '../../core/errors.js';
import type { Curve, DERKind, GenerateSpec, HashName, JWK, SignatureScheme } from '../types.js';
import { extractCertificateSPKI, readPKCS8Algorithm, readSPKIAlgorithm, type KeyAlgorithmIdentifier } from './_asn1.js';
import { pipeCapped, type ByteTransform } from './_capped-stream.js';
import type { AEADOutput, ECDHCurve, EphemeralKeyPair, ImportedKey, OAEPHash, Platform, PlatformKey, SecretKey } from './types.js';

type Operation = 'sign' | 'verify';
type ImportParams = AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams | HmacImportParams;

/** What a web handle holds. */
interface WebHandle {
  readonly __platformKey: true;
  /** The key members of the JWK (no `alg`, `use`, `key_ops`, `ext`); undefined for a non-extractable native key. */
  readonly material: JWK | undefined;
  /** One CryptoKey per scheme and operation, imported on first use (see {@link schemeId}). */
  readonly keys: Map<string, Promise<CryptoKey>>;
}

/** How a key family is imported when no particular scheme is asked for (validation, DER, export). */
interface FamilyImport {
  readonly params: ImportParams;
  readonly usages: KeyUsage[];
  /** The signature scheme `params` import for, so the CryptoKey can seed the handle's cache. */
  readonly scheme: SignatureScheme | undefined;
}

const KEY_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;
/** RFC 7518 §3.5: the PSS salt is as long as the hash output. */
const HASH_BYTES: Record<HashName, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
const EC_CURVES: ReadonlySet<string> = new Set(['P-256', 'P-384', 'P-521']);
const EDDSA_CURVES: ReadonlySet<string> = new Set(['Ed25519', 'Ed448']);
const ECDH_CURVES: ReadonlySet<string> = new Set(['X25519', 'X448']);
/** crypto.getRandomValues fills at most 65536 bytes per call (WebCrypto §10.1.1). */
const RANDOM_CHUNK = 65_536;

/** Key algorithm OIDs (RFC 3279 §2.3, RFC 5480 §2.1.1, RFC 8410 §3) and EC curve OIDs (RFC 5480 §2.1.1.1). */
const RSA_ENCRYPTION_OID = '1.2.840.113549.1.1.1';
const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';
const OKP_OIDS: Readonly<Record<string, Curve>> = {
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};
const CURVE_OIDS: Readonly<Record<string, Curve>> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
  '1.3.132.0.10': 'secp256k1',
};

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  // WebCrypto §10: browsers expose crypto.subtle only in secure contexts (https, localhost).
  if (s === undefined) throw new PlatformUnsupportedError('WebCrypto (crypto.subtle) is not available here');
  return s;
}

function noSync(): never {
  throw new SyncUnsupportedError('synchronous crypto needs the node:crypto backend; WebCrypto is asynchronous only');
}

/** WebCrypto's BufferSource wants an ArrayBuffer-backed view; copy only a shared one. */
function source(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
}

function isDOMError(err: unknown, name: string): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === name;
}

function notSupported(cause: unknown): PlatformUnsupportedError {
  return new PlatformUnsupportedError('this WebCrypto implementation does not support the algorithm', { cause });
}

/** Maps a platform failure to a tessera error: a missing feature, or else a bad key. */
function toTesseraError(cause: unknown, message: string): TesseraError {
  if (cause instanceof TesseraError) return cause;
  if (isDOMError(cause, 'NotSupportedError')) return notSupported(cause);
  return new KeyInvalidError(message, { cause });
}

function unsupportedK1(): never {
  throw new PlatformUnsupportedError('secp256k1 (ES256K) is not available in WebCrypto: use the node:crypto backend');
}

function pick(jwk: JWK, members: readonly string[]): JWK {
  const out: JWK = { kty: jwk.kty };
  for (const m of members) if (jwk[m] !== undefined) out[m] = jwk[m];
  return out;
}

/**
 * The key members only. WebCrypto checks a JWK's `alg`, `use`, `key_ops` and `ext` against the
 * import algorithm (and exports its own), while tessera binds those itself (key.ts): an exported
 * `alg: "RS256"` must not bind a PEM key that may also serve PS256.
 */
function keyMembers(jwk: JWK | JsonWebKey): JWK {
  return pick(jwk as JWK, KEY_MEMBERS);
}

function makeHandle(material: JWK | undefined): WebHandle {
  return { __platformKey: true, material, keys: new Map() };
}

function handleOf(key: ImportedKey): WebHandle {
  return key.handle as unknown as WebHandle;
}

function asPlatformKey(h: WebHandle): PlatformKey {
  return h as unknown as PlatformKey;
}

/** The WebCrypto curve name of an ECDSA scheme or EC key. */
function ecCurve(crv: unknown): string {
  if (crv === 'secp256k1') unsupportedK1();
  if (typeof crv !== 'string' || !EC_CURVES.has(crv)) throw new KeyInvalidError('unsupported EC curve');
  return crv;
}

/** The WebCrypto algorithm name of an OKP curve (Ed25519, Ed448, X25519, X448 are all names). */
function okpName(crv: unknown, allowed: ReadonlySet<string>): string {
  if (typeof crv !== 'string' || !allowed.has(crv)) throw new KeyInvalidError('unsupported OKP curve');
  return crv;
}

/**
 * Cache id of the CryptoKey a scheme needs. ECDSA and EdDSA keys are bound to a curve and take the
 * hash at sign time, so the curve names them; RSA and HMAC keys are bound to a hash at import.
 */
function schemeId(scheme: SignatureScheme, op: Operation): string {
  return scheme.kind === 'ecdsa' || scheme.kind === 'eddsa' ? `${scheme.kind}:${scheme.crv}:${op}` : `${scheme.kind}:${scheme.hash}:${op}`;
}

function importParams(scheme: SignatureScheme): ImportParams {
  switch (scheme.kind) {
    case 'hmac':
      return { name: 'HMAC', hash: scheme.hash };
    case 'rsassa-pkcs1':
      return { name: 'RSASSA-PKCS1-v1_5', hash: scheme.hash };
    case 'rsa-pss':
      return { name: 'RSA-PSS', hash: scheme.hash };
    case 'ecdsa':
      return { name: 'ECDSA', namedCurve: ecCurve(scheme.crv) };
    case 'eddsa':
      return { name: okpName(scheme.crv, EDDSA_CURVES) };
  }
}

function signParams(scheme: SignatureScheme): AlgorithmIdentifier | RsaPssParams | EcdsaParams {
  switch (scheme.kind) {
    case 'hmac':
      return 'HMAC';
    case 'rsassa-pkcs1':
      return 'RSASSA-PKCS1-v1_5';
    case 'rsa-pss':
      // RFC 7518 §3.5: the salt length equals the hash output length.
      return { name: 'RSA-PSS', saltLength: HASH_BYTES[scheme.hash] };
    case 'ecdsa':
      // RFC 7518 §3.4: WebCrypto's ECDSA signature is already R || S (IEEE P1363), as JWS wants.
      if (scheme.crv === 'secp256k1') unsupportedK1();
      return { name: 'ECDSA', hash: scheme.hash };
    case 'eddsa':
      return { name: okpName(scheme.crv, EDDSA_CURVES) };
  }
}

/** How to import a key of this JWK's family: the validation import, and the one for DER/export. */
function familyImport(jwk: JWK, isPrivate: boolean): FamilyImport {
  const signing: KeyUsage[] = isPrivate ? ['sign'] : ['verify'];
  switch (jwk.kty) {
    case 'oct': {
      const scheme: SignatureScheme = { kind: 'hmac', hash: 'SHA-256' };
      return { params: importParams(scheme), usages: ['sign'], scheme };
    }
    case 'RSA': {
      const scheme: SignatureScheme = { kind: 'rsassa-pkcs1', hash: 'SHA-256' };
      return { params: importParams(scheme), usages: signing, scheme };
    }
    case 'EC': {
      const scheme: SignatureScheme = { kind: 'ecdsa', hash: 'SHA-256', crv: ecCurve(jwk.crv) as Curve };
      return { params: importParams(scheme), usages: signing, scheme };
    }
    case 'OKP': {
      if (typeof jwk.crv === 'string' && ECDH_CURVES.has(jwk.crv)) {
        // WebCrypto: a public ECDH key has no usages; a private one must have some.
        return { params: { name: jwk.crv }, usages: isPrivate ? ['deriveBits'] : [], scheme: undefined };
      }
      const scheme: SignatureScheme = { kind: 'eddsa', crv: okpName(jwk.crv, EDDSA_CURVES) as Curve };
      return { params: importParams(scheme), usages: signing, scheme };
    }
    default:
      throw new KeyInvalidError('unsupported key type');
  }
}

async function importJWKKey(jwk: JWK, params: ImportParams, extractable: boolean, usages: KeyUsage[]): Promise<CryptoKey> {
  try {
    return await subtle().importKey('jwk', jwk as JsonWebKey, params, extractable, usages);
  } catch (cause) {
    throw toTesseraError(cause, 'the JWK is not a valid key');
  }
}

async function exportJWKOf(key: CryptoKey): Promise<JWK> {
  try {
    return keyMembers(await subtle().exportKey('jwk', key));
  } catch (cause) {
    throw toTesseraError(cause, 'the key cannot be exported');
  }
}

function seed(h: WebHandle, scheme: SignatureScheme, op: Operation, key: CryptoKey): void {
  h.keys.set(schemeId(scheme, op), Promise.resolve(key));
}

/** The CryptoKey for `scheme` and `op`: cached, else imported from the handle's members. */
function cryptoKeyFor(key: ImportedKey, scheme: SignatureScheme, op: Operation): Promise<CryptoKey> {
  const h = handleOf(key);
  const id = schemeId(scheme, op);
  const cached = h.keys.get(id);
  if (cached !== undefined) return cached;
  const material = h.material;
  if (material === undefined) {
    throw new KeyUsageError('a non-extractable CryptoKey works only with the algorithm and usages it was created for');
  }
  const asymmetric = scheme.kind !== 'hmac';
  if (op === 'sign' && asymmetric && material.d === undefined) throw new KeyPrivateRequiredError('signing needs a private key');
  // WebCrypto verifies with a public CryptoKey only: import the public members of a private key.
  const jwk = op === 'verify' && asymmetric ? pick(material, PUBLIC_MEMBERS) : material;
  const pending = importJWKKey(jwk, importParams(scheme), false, [op]);
  h.keys.set(id, pending);
  pending.catch(() => h.keys.delete(id));
  return pending;
}

function modulusBitsOf(key: CryptoKey): number | undefined {
  const bits = (key.algorithm as Partial<RsaHashedKeyAlgorithm>).modulusLength;
  return typeof bits === 'number' ? bits : undefined;
}

function imported(handle: WebHandle, jwk: JWK, modulusBits: number | undefined, isPrivate = false): ImportedKey {
  const base = { handle: asPlatformKey(handle), jwk };
  const sized = modulusBits === undefined ? base : { ...base, modulusBits };
  return isPrivate ? { ...sized, isPrivate } : sized;
}

async function importJWK(jwk: JWK): Promise<ImportedKey> {
  const material = keyMembers(jwk);
  const isPrivate = material.d !== undefined || material.kty === 'oct';
  const family = familyImport(material, isPrivate);
  const handle = makeHandle(material);
  const result = imported(handle, jwk, undefined);
  // Import once now, so a bad key fails here (as on node:crypto) and the first use is already cached.
  const key = family.scheme
    ? await cryptoKeyFor(result, family.scheme, isPrivate ? 'sign' : 'verify')
    : await importJWKKey(material, family.params, false, family.usages);
  return material.kty === 'RSA' ? imported(handle, jwk, modulusBitsOf(key)) : result;
}

/** The family of a DER key, from its AlgorithmIdentifier. */
function derFamily(id: KeyAlgorithmIdentifier): JWK {
  const p = id.parameters;
  const okp = OKP_OIDS[id.oid];
  if (okp !== undefined) {
    // RFC 8410 §3: the parameters MUST be absent.
    if (p.kind !== 'absent') throw new KeyInvalidError('malformed OKP key parameters');
    return { kty: 'OKP', crv: okp };
  }
  switch (id.oid) {
    case RSA_ENCRYPTION_OID:
      // RFC 3279 §2.3.1: the parameters are NULL (absent is tolerated, as OpenSSL does).
      if (p.kind !== 'null' && p.kind !== 'absent') throw new KeyInvalidError('malformed RSA key parameters');
      return { kty: 'RSA' };
    case EC_PUBLIC_KEY_OID: {
      // RFC 5480 §2.1.1: only the namedCurve choice is allowed.
      const crv = p.kind === 'oid' ? CURVE_OIDS[p.oid] : undefined;
      if (crv === undefined) throw new KeyInvalidError('unsupported EC curve (only named P-256, P-384, P-521)');
      return { kty: 'EC', crv };
    }
    default:
      // SECURITY: RSASSA-PSS-restricted keys, DSA and anything else are refused, not guessed at.
      throw new KeyInvalidError('unsupported key algorithm');
  }
}

async function importDER(kind: DERKind, der: Uint8Array): Promise<ImportedKey> {
  const isPrivate = kind === 'pkcs8';
  const body = kind === 'x509' ? extractCertificateSPKI(der) : der;
  const family = derFamily(isPrivate ? readPKCS8Algorithm(body) : readSPKIAlgorithm(body));
  const how = familyImport(family, isPrivate);
  let key: CryptoKey;
  try {
    key = await subtle().importKey(isPrivate ? 'pkcs8' : 'spki', source(body), how.params, true, how.usages);
  } catch (cause) {
    throw toTesseraError(cause, `the ${kind === 'x509' ? 'certificate' : kind.toUpperCase()} key is malformed`);
  }
  const jwk = await exportJWKOf(key);
  const handle = makeHandle(jwk);
  if (how.scheme) seed(handle, how.scheme, isPrivate ? 'sign' : 'verify', key);
  return imported(handle, jwk, modulusBitsOf(key));
}

/** What a native CryptoKey is, from its algorithm: family, curve, size, and its one signature scheme. */
function describe(key: CryptoKey): { jwk: JWK; scheme: SignatureScheme | undefined; bits: number | undefined } {
  const a = key.algorithm as KeyAlgorithm & Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm & HmacKeyAlgorithm>;
  const hash = a.hash?.name as HashName | undefined;
  const withHash = hash !== undefined && hash in HASH_BYTES;
  switch (a.name) {
    case 'RSASSA-PKCS1-v1_5':
    case 'RSA-PSS':
    case 'RSA-OAEP': {
      const kind = a.name === 'RSA-PSS' ? 'rsa-pss' : 'rsassa-pkcs1';
      const scheme: SignatureScheme | undefined = a.name !== 'RSA-OAEP' && withHash ? { kind, hash } : undefined;
      return { jwk: { kty: 'RSA' }, scheme, bits: a.modulusLength };
    }
    case 'ECDSA':
    case 'ECDH': {
      const crv = a.namedCurve ?? '';
      if (!EC_CURVES.has(crv)) throw new KeyInvalidError('unsupported EC curve');
      const scheme: SignatureScheme | undefined = a.name === 'ECDSA' ? { kind: 'ecdsa', hash: 'SHA-256', crv: crv as Curve } : undefined;
      return { jwk: { kty: 'EC', crv }, scheme, bits: undefined };
    }
    case 'Ed25519':
    case 'Ed448':
      return { jwk: { kty: 'OKP', crv: a.name }, scheme: { kind: 'eddsa', crv: a.name }, bits: undefined };
    case 'X25519':
    case 'X448':
      return { jwk: { kty: 'OKP', crv: a.name }, scheme: undefined, bits: undefined };
    case 'HMAC': {
      const scheme: SignatureScheme | undefined = withHash ? { kind: 'hmac', hash } : undefined;
      return { jwk: { kty: 'oct' }, scheme, bits: a.length };
    }
    case 'AES-GCM':
    case 'AES-CBC':
    case 'AES-CTR':
    case 'AES-KW':
      return { jwk: { kty: 'oct' }, scheme: undefined, bits: a.length };
    default:
      throw new KeyInvalidError('unsupported CryptoKey algorithm');
  }
}

async function importNative(value: unknown): Promise<ImportedKey | undefined> {
  if (typeof CryptoKey === 'undefined' || !(value instanceof CryptoKey)) return undefined;
  const { jwk: shape, scheme, bits } = describe(value);
  const jwk = value.extractable ? await exportJWKOf(value) : shape;
  const handle = makeHandle(value.extractable ? jwk : undefined);
  // The key serves the scheme of its own algorithm, for the usages it was given (and, when
  // extractable, any other scheme through its members, as on node:crypto).
  if (scheme) for (const op of ['sign', 'verify'] as const) if (value.usages.includes(op)) seed(handle, scheme, op, value);
  seedJWE(handle, value);
  // A non-extractable key cannot show its size in its JWK; `modulusBits` carries it (RSA and oct).
  const size = shape.kty === 'RSA' || !value.extractable ? bits : undefined;
  return imported(handle, jwk, size, !value.extractable && value.type === 'private');
}

async function exportDER(key: ImportedKey, kind: 'spki' | 'pkcs8'): Promise<Uint8Array> {
  const material = handleOf(key).material;
  if (material === undefined) throw new KeyUsageError('a non-extractable CryptoKey cannot be exported');
  const isPrivate = kind === 'pkcs8';
  if (isPrivate && material.d === undefined) throw new KeyPrivateRequiredError('no private key to export');
  const how = familyImport(material, isPrivate);
  const cryptoKey = await importJWKKey(isPrivate ? material : pick(material, PUBLIC_MEMBERS), how.params, true, how.usages);
  try {
    return new Uint8Array(await subtle().exportKey(kind, cryptoKey));
  } catch (cause) {
    throw toTesseraError(cause, 'the key cannot be exported');
  }
}

function generateParams(spec: Exclude<GenerateSpec, { kty: 'oct' }>): { params: AlgorithmIdentifier | RsaHashedKeyGenParams | EcKeyGenParams; usages: KeyUsage[] } {
  if (spec.kty === 'RSA') {
    // RFC 7518 §6.3.1.2: e = 65537, the only public exponent anyone uses.
    const params = { name: 'RSASSA-PKCS1-v1_5', modulusLength: spec.bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
    return { params, usages: ['sign', 'verify'] };
  }
  if (spec.kty === 'EC') return { params: { name: 'ECDSA', namedCurve: ecCurve(spec.crv) }, usages: ['sign', 'verify'] };
  if (ECDH_CURVES.has(spec.crv)) return { params: { name: spec.crv }, usages: ['deriveBits'] };
  return { params: { name: okpName(spec.crv, EDDSA_CURVES) }, usages: ['sign', 'verify'] };
}

async function generate(spec: GenerateSpec): Promise<JWK> {
  if (spec.kty === 'oct') return { kty: 'oct', k: encodeBase64URL(randomBytes(spec.bytes)) };
  const { params, usages } = generateParams(spec);
  let pair: CryptoKeyPair;
  try {
    pair = (await subtle().generateKey(params, true, usages)) as CryptoKeyPair;
  } catch (cause) {
    throw isDOMError(cause, 'NotSupportedError') ? notSupported(cause) : new PlatformUnsupportedError('key generation failed', { cause });
  }
  return exportJWKOf(pair.privateKey);
}

function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += RANDOM_CHUNK) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(i + RANDOM_CHUNK, length)));
  return out;
}

async function sign(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array | string): Promise<Uint8Array> {
  const cryptoKey = await cryptoKeyFor(key, scheme, 'sign');
  // Text is an ASCII signing input (Platform.signSync): its UTF-8 bytes are its bytes.
  const bytes = typeof data === 'string' ? encodeUTF8(data) : source(data);
  try {
    return new Uint8Array(await subtle().sign(signParams(scheme), cryptoKey, bytes as Uint8Array<ArrayBuffer>));
  } catch (cause) {
    throw toTesseraError(cause, 'the platform refused to sign with this key');
  }
}

async function verify(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  // Key problems (unsupported curve, unusable native key) throw: they are not a bad signature.
  const cryptoKey = await cryptoKeyFor(key, scheme, 'verify');
  const params = signParams(scheme);
  try {
    // HMAC too goes through subtle.verify, which compares in constant time (THREATS.md §27).
    return await subtle().verify(params, cryptoKey, source(signature), source(data));
  } catch (cause) {
    if (isDOMError(cause, 'NotSupportedError')) throw notSupported(cause);
    return false;
  }
}

// ---------------------------------------------------------------- JWE primitives

/** Bits of the ECDH shared secret Z per curve: the field size (P-521: 66 bytes, RFC 7518 §4.6.2). */
const ECDH_BITS: Readonly<Record<ECDHCurve, number>> = { 'P-256': 256, 'P-384': 384, 'P-521': 528, X25519: 256, X448: 448 };
/** Any HMAC import carries raw CEK bytes through AES-KW wrapKey/unwrapKey (WebCrypto wraps keys, not bytes). */
const CEK_CARRIER: HmacImportParams = { name: 'HMAC', hash: 'SHA-256' };
const secretCache = new WeakMap<WebHandle, Uint8Array>();

/**
 * Native JWE CryptoKeys serve the operations they were made for, under the ids the JWE primitives
 * below look up (so a non-extractable AES-KW or RSA-OAEP key works as it is).
 */
function seedJWE(h: WebHandle, key: CryptoKey): void {
  const a = key.algorithm as KeyAlgorithm & Partial<RsaHashedKeyAlgorithm>;
  const put = (id: string) => h.keys.set(id, Promise.resolve(key));
  for (const usage of key.usages) {
    if (a.name === 'AES-KW' || a.name === 'AES-GCM') put(`${a.name}:${usage}`);
    else if (a.name === 'RSA-OAEP' && a.hash !== undefined) put(`RSA-OAEP:${a.hash.name}:${usage}`);
  }
  if ((a.name === 'ECDH' || ECDH_CURVES.has(a.name)) && key.type === 'private' && key.usages.includes('deriveBits')) put('ECDH:deriveBits');
  if ((a.name === 'ECDH' || ECDH_CURVES.has(a.name)) && key.type === 'public') put('ECDH:public');
}

/** The CryptoKey cached under `id`, else made from the handle's members. */
function cachedKey(key: ImportedKey, id: string, make: (material: JWK) => Promise<CryptoKey>): Promise<CryptoKey> {
  const h = handleOf(key);
  const hit = h.keys.get(id);
  if (hit !== undefined) return hit;
  if (h.material === undefined) {
    return Promise.reject(new KeyUsageError('a non-extractable CryptoKey works only with the algorithm and usages it was created for'));
  }
  const pending = make(h.material);
  h.keys.set(id, pending);
  pending.catch(() => h.keys.delete(id));
  return pending;
}

function secretBytes(key: ImportedKey): Uint8Array | undefined {
  const h = handleOf(key);
  const hit = secretCache.get(h);
  if (hit !== undefined) return hit;
  const k = h.material?.k;
  if (typeof k !== 'string') return undefined;
  const bytes = decodeBase64URL(k, 'k');
  secretCache.set(h, bytes);
  return bytes;
}

async function importRaw(bytes: Uint8Array, params: AlgorithmIdentifier | HmacImportParams, usages: KeyUsage[]): Promise<CryptoKey> {
  try {
    return await subtle().importKey('raw', source(bytes), params, false, usages);
  } catch (cause) {
    // The algorithm layer has checked every AES key length already: a refusal is the platform's
    // (Chromium has no 192-bit AES, and says so with an OperationError).
    const aes = typeof params === 'string' && params.startsWith('AES-') && (bytes.length === 16 || bytes.length === 24 || bytes.length === 32);
    if (aes && !(cause instanceof TesseraError)) {
      throw new PlatformUnsupportedError(`this WebCrypto implementation refuses ${bytes.length * 8}-bit ${params} keys`, { cause });
    }
    throw toTesseraError(cause, 'the platform refused the secret key');
  }
}

/** A CryptoKey for a symmetric primitive: imported from raw bytes, or cached on an imported key. */
function secretKey(key: SecretKey, name: 'AES-GCM' | 'AES-KW' | 'PBKDF2', usage: KeyUsage): Promise<CryptoKey> {
  if (key instanceof Uint8Array) return importRaw(key, name, [usage]);
  return cachedKey(key, `${name}:${usage}`, () => {
    const bytes = secretBytes(key);
    if (bytes === undefined) throw new KeyInvalidError('a secret key is required');
    return importRaw(bytes, name, [usage]);
  });
}

/** A failure to authenticate or unwrap reads as `undefined`; a missing feature or an unusable key still throws. */
function failedOrThrow(cause: unknown): undefined {
  if (cause instanceof TesseraError) throw cause;
  if (isDOMError(cause, 'NotSupportedError')) throw notSupported(cause);
  return undefined;
}

async function hmac(hash: HashName, key: Uint8Array, parts: readonly Uint8Array[]): Promise<Uint8Array> {
  const k = await importRaw(key, { name: 'HMAC', hash }, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', k, source(concatBytes(...parts))));
}

async function aesGCMEncrypt(key: SecretKey, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<AEADOutput> {
  const k = await secretKey(key, 'AES-GCM', 'encrypt');
  const params: AesGcmParams = { name: 'AES-GCM', iv: source(iv), additionalData: source(aad), tagLength: 128 };
  let out: Uint8Array;
  try {
    out = new Uint8Array(await subtle().encrypt(params, k, source(plaintext)));
  } catch (cause) {
    throw toTesseraError(cause, 'the platform refused to encrypt with this key');
  }
  // WebCrypto §27.4: the output is the ciphertext followed by the tag.
  return { ciphertext: out.subarray(0, out.length - 16), tag: out.subarray(out.length - 16) };
}

async function aesGCMDecrypt(key: SecretKey, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Promise<Uint8Array | undefined> {
  // SECURITY: exactly 128-bit tags (THREATS.md §15).
  if (tag.length !== 16 || iv.length === 0) return undefined;
  const k = await secretKey(key, 'AES-GCM', 'decrypt').catch(failedOrThrow);
  if (k === undefined) return undefined;
  const params: AesGcmParams = { name: 'AES-GCM', iv: source(iv), additionalData: source(aad), tagLength: 128 };
  try {
    return new Uint8Array(await subtle().decrypt(params, k, concatBytes(ciphertext, tag) as Uint8Array<ArrayBuffer>));
  } catch (cause) {
    return failedOrThrow(cause);
  }
}

async function aesCBCEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
  const k = await importRaw(key, 'AES-CBC', ['encrypt']);
  // WebCrypto's AES-CBC always applies PKCS#7 padding, as RFC 7518 §5.2.2.1 requires.
  return new Uint8Array(await subtle().encrypt({ name: 'AES-CBC', iv: source(iv) }, k, source(plaintext)));
}

async function aesCBCDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array | undefined> {
  const k = await importRaw(key, 'AES-CBC', ['decrypt']).catch(failedOrThrow);
  if (k === undefined) return undefined;
  try {
    return new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv: source(iv) }, k, source(ciphertext)));
  } catch (cause) {
    return failedOrThrow(cause);
  }
}

async function aesKWWrap(kek: SecretKey, keyData: Uint8Array): Promise<Uint8Array> {
  const wrapping = await secretKey(kek, 'AES-KW', 'wrapKey');
  let carrier: CryptoKey;
  try {
    carrier = await subtle().importKey('raw', source(keyData), CEK_CARRIER, true, ['sign']);
    return new Uint8Array(await subtle().wrapKey('raw', carrier, wrapping, 'AES-KW'));
  } catch (cause) {
    throw toTesseraError(cause, 'the platform refused to wrap the key');
  }
}

async function aesKWUnwrap(kek: SecretKey, wrapped: Uint8Array): Promise<Uint8Array | undefined> {
  // RFC 3394 §2.2.2: the input is n+1 64-bit blocks, n >= 2.
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) return undefined;
  const unwrapping = await secretKey(kek, 'AES-KW', 'unwrapKey').catch(failedOrThrow);
  if (unwrapping === undefined) return undefined;
  try {
    const carrier = await subtle().unwrapKey('raw', source(wrapped), unwrapping, 'AES-KW', CEK_CARRIER, true, ['sign']);
    return new Uint8Array(await subtle().exportKey('raw', carrier));
  } catch (cause) {
    return failedOrThrow(cause);
  }
}

function oaepKey(hash: OAEPHash, key: ImportedKey, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  return cachedKey(key, `RSA-OAEP:${hash}:${usage}`, (material) => {
    if (usage === 'decrypt' && material.d === undefined) throw new KeyPrivateRequiredError('RSA-OAEP decryption needs a private key');
    const jwk = usage === 'encrypt' ? pick(material, PUBLIC_MEMBERS) : material;
    return importJWKKey(jwk, { name: 'RSA-OAEP', hash }, false, [usage]);
  });
}

async function rsaOAEPEncrypt(hash: OAEPHash, key: ImportedKey, data: Uint8Array): Promise<Uint8Array> {
  const k = await oaepKey(hash, key, 'encrypt');
  try {
    return new Uint8Array(await subtle().encrypt('RSA-OAEP', k, source(data)));
  } catch (cause) {
    throw toTesseraError(cause, 'the platform refused to encrypt with this key');
  }
}

async function rsaOAEPDecrypt(hash: OAEPHash, key: ImportedKey, data: Uint8Array): Promise<Uint8Array | undefined> {
  const k = await oaepKey(hash, key, 'decrypt');
  try {
    return new Uint8Array(await subtle().decrypt('RSA-OAEP', k, source(data)));
  } catch (cause) {
    return failedOrThrow(cause);
  }
}

function ecdhParams(crv: unknown): AlgorithmIdentifier | EcKeyImportParams {
  if (typeof crv === 'string' && ECDH_CURVES.has(crv)) return { name: crv };
  return { name: 'ECDH', namedCurve: ecCurve(crv) };
}

async function importEphemeralPublicKey(jwk: JWK): Promise<ImportedKey> {
  let key: CryptoKey;
  try {
    // WebCrypto §23.7 (importKey for EC): a point that is not on the curve is a DataError.
    key = await subtle().importKey('jwk', pick(jwk, PUBLIC_MEMBERS) as JsonWebKey, ecdhParams(jwk.crv), true, []);
  } catch (cause) {
    if (isDOMError(cause, 'NotSupportedError')) throw notSupported(cause);
    throw new JWEEphemeralKeyInvalidError('the ephemeral public key (epk) is not a valid point of its curve', { cause });
  }
  const handle = makeHandle(pick(jwk, PUBLIC_MEMBERS));
  handle.keys.set('ECDH:public', Promise.resolve(key));
  return imported(handle, jwk, undefined);
}

async function generateEphemeralKey(crv: ECDHCurve): Promise<EphemeralKeyPair> {
  let pair: CryptoKeyPair;
  try {
    // The private half stays non-extractable: it is used once, here, and never leaves.
    const params = ECDH_CURVES.has(crv) ? { name: crv } : { name: 'ECDH', namedCurve: crv };
    pair = (await subtle().generateKey(params, false, ['deriveBits'])) as CryptoKeyPair;
  } catch (cause) {
    throw isDOMError(cause, 'NotSupportedError') ? notSupported(cause) : new PlatformUnsupportedError('key generation failed', { cause });
  }
  const publicJWK = pick(await exportJWKOf(pair.publicKey), PUBLIC_MEMBERS);
  const handle = makeHandle(undefined);
  handle.keys.set('ECDH:deriveBits', Promise.resolve(pair.privateKey));
  return { privateKey: imported(handle, publicJWK, undefined, true), publicJWK };
}

async function deriveECDH(crv: ECDHCurve, privateKey: ImportedKey, publicKey: ImportedKey): Promise<Uint8Array> {
  const priv = await cachedKey(privateKey, 'ECDH:deriveBits', (material) => {
    if (material.d === undefined) throw new KeyPrivateRequiredError('ECDH needs a private key');
    return importJWKKey(material, ecdhParams(material.crv), false, ['deriveBits']);
  });
  const pub = await cachedKey(publicKey, 'ECDH:public', (material) => importJWKKey(pick(material, PUBLIC_MEMBERS), ecdhParams(material.crv), true, []));
  try {
    return new Uint8Array(await subtle().deriveBits({ name: priv.algorithm.name, public: pub } as EcdhKeyDeriveParams, priv, ECDH_BITS[crv]));
  } catch (cause) {
    // WebCrypto refuses mismatched curves, and X25519/X448 points that give an all-zero secret.
    throw toTesseraError(cause, 'the platform refused the key agreement');
  }
}

async function pbkdf2(hash: HashName, password: SecretKey, salt: Uint8Array, iterations: number, length: number): Promise<Uint8Array> {
  const k = await secretKey(password, 'PBKDF2', 'deriveBits');
  const params: Pbkdf2Params = { name: 'PBKDF2', hash, salt: source(salt), iterations };
  try {
    return new Uint8Array(await subtle().deriveBits(params, k, length * 8));
  } catch (cause) {
    throw toTesseraError(cause, 'the platform refused PBKDF2');
  }
}

function streams(): void {
  if (typeof DecompressionStream === 'undefined' || typeof CompressionStream === 'undefined') {
    throw new PlatformUnsupportedError('CompressionStream / DecompressionStream are not available here');
  }
}

async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  streams();
  return pipeCapped(new CompressionStream('deflate-raw') as ByteTransform, data);
}

async function inflateRaw(data: Uint8Array, maxOutputLength: number): Promise<Uint8Array> {
  if (!Number.isSafeInteger(maxOutputLength) || maxOutputLength < 1) {
    throw new InvalidArgumentError('maxOutputLength must be a positive integer');
  }
  streams();
  try {
    // SECURITY: read chunk by chunk, cancelled as soon as the total passes the cap (THREATS.md §9).
    return await pipeCapped(new DecompressionStream('deflate-raw') as ByteTransform, data, maxOutputLength);
  } catch (cause) {
    if (cause instanceof TesseraError) throw cause;
    throw new JWEInvalidError('the compressed plaintext is not valid DEFLATE data', { cause });
  }
}

const jwe = {
  secretBytes,
  timingSafeEqual: timingSafeEqualBytes,
  hmac,
  hmacSync: noSync,
  aesGCMEncrypt,
  aesGCMEncryptSync: noSync,
  aesGCMDecrypt,
  aesGCMDecryptSync: noSync,
  aesCBCEncrypt,
  aesCBCEncryptSync: noSync,
  aesCBCDecrypt,
  aesCBCDecryptSync: noSync,
  aesKWWrap,
  aesKWWrapSync: noSync,
  aesKWUnwrap,
  aesKWUnwrapSync: noSync,
  rsaOAEPEncrypt,
  rsaOAEPEncryptSync: noSync,
  rsaOAEPDecrypt,
  rsaOAEPDecryptSync: noSync,
  importEphemeralPublicKey,
  importEphemeralPublicKeySync: noSync,
  generateEphemeralKey,
  generateEphemeralKeySync: noSync,
  deriveECDH,
  deriveECDHSync: noSync,
  pbkdf2,
  pbkdf2Sync: noSync,
  deflateRaw,
  deflateRawSync: noSync,
  inflateRaw,
  inflateRawSync: noSync,
};

export const platform: Platform = {
  name: 'web',
  syncSupported: false,
  randomBytes,
  digest: async (hash, data) => new Uint8Array(await subtle().digest(hash, source(data))),
  digestSync: noSync,
  importJWK,
  importJWKSync: noSync,
  importDER,
  importDERSync: noSync,
  importNative,
  importNativeSync: noSync,
  exportDER,
  generate,
  sign,
  signSync: noSync,
  verify,
  verifySync: noSync,
  ...jwe,
};
