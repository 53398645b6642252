/**
 * The node:crypto backend.
 *
 * Why synchronous: a thread-pool round trip costs 80–300 µs on a busy two-core machine, more than
 * an HMAC, an ECDSA verify or any RSA verify. So cheap operations run inline even in the async API,
 * and only expensive private-key operations (RSA and P-521 signing) use node:crypto's callback form,
 * which runs on libuv's pool and keeps the event loop free.
 */
import {
  KeyObject,
  X509Certificate,
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createECDH,
  createSecretKey,
  diffieHellman,
  generateKeyPair,
  type ECDH,
  pbkdf2 as nodePBKDF2,
  pbkdf2Sync,
  privateDecrypt,
  publicEncrypt,
  randomBytes as nodeRandomBytes,
  sign as nodeSign,
  timingSafeEqual,
  verify as nodeVerify,
  type JsonWebKey as NodeJWK,
} from 'node:crypto';
import { deflateRaw as zlibDeflateRaw, deflateRawSync, inflateRaw as zlibInflateRaw, inflateRawSync } from 'node:zlib';
import { encodeBase64URL, decodeBase64URL } from '../../core/base64url.js';
import {
  InvalidArgumentError,
  JWEDecompressionLimitError,
  JWEEphemeralKeyInvalidError,
  JWEInvalidError,
  KeyInvalidError,
  KeyPrivateRequiredError,
  PlatformUnsupportedError,
} from '../../core/errors.js';
import type { DERKind, GenerateSpec, HashName, JWK, SignatureScheme } from '../types.js';
import { assertKeyDER } from './_asn1.js';
import type { AEADOutput, ECDHCurve, EphemeralKeyPair, ImportedKey, OAEPHash, Platform, PlatformKey, SecretKey } from './types.js';

/**
 * What a node handle holds: the KeyObject, and for secrets also the raw bytes (for the JWE
 * primitives that take bytes). HMAC uses the KeyObject: measured a few per cent faster than a Buffer.
 */
interface NodeHandle {
  readonly __platformKey: true;
  readonly key: KeyObject;
  readonly secret: Buffer | undefined;
  /** An ephemeral NIST-curve ECDH key (see generateEphemeralKeySync): derive with it directly. */
  readonly ecdh?: ECDH;
}

const HASH: Record<HashName, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const NAMED_CURVE: Record<string, string> = {
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
  secp256k1: 'secp256k1',
};

function handleOf(key: ImportedKey): NodeHandle {
  return key.handle as unknown as NodeHandle;
}

function makeHandle(key: KeyObject, secret?: Buffer): PlatformKey {
  const h: NodeHandle = { __platformKey: true, key, secret };
  return h as unknown as PlatformKey;
}

function fromKeyObject(key: KeyObject): ImportedKey {
  if (key.type === 'secret') {
    const secret = key.export();
    return { handle: makeHandle(key, secret), jwk: { kty: 'oct', k: encodeBase64URL(secret) } };
  }
  let jwk: NodeJWK;
  try {
    jwk = key.export({ format: 'jwk' });
  } catch {
    throw new KeyInvalidError(`unsupported key type "${key.asymmetricKeyType ?? 'unknown'}"`);
  }
  const modulusBits = key.asymmetricKeyDetails?.modulusLength;
  const out: ImportedKey =
    modulusBits === undefined
      ? { handle: makeHandle(key), jwk: jwk as JWK }
      : { handle: makeHandle(key), jwk: jwk as JWK, modulusBits };
  return out;
}

function importJWKSync(jwk: JWK): ImportedKey {
  try {
    if (jwk.kty === 'oct') {
      const secret = Buffer.from(decodeBase64URL(jwk.k as string, 'k'));
      return { handle: makeHandle(createSecretKey(secret), secret), jwk };
    }
    const isPrivate = jwk.d !== undefined;
    const key = isPrivate
      ? createPrivateKey({ key: jwk as NodeJWK, format: 'jwk' })
      : createPublicKey({ key: jwk as NodeJWK, format: 'jwk' });
    const modulusBits = key.asymmetricKeyDetails?.modulusLength;
    return modulusBits === undefined ? { handle: makeHandle(key), jwk } : { handle: makeHandle(key), jwk, modulusBits };
  } catch (cause) {
    if (cause instanceof KeyInvalidError) throw cause;
    throw new KeyInvalidError('the JWK is not a valid key', { cause });
  }
}

function importDERSync(kind: DERKind, der: Uint8Array): ImportedKey {
  // SECURITY: OpenSSL ignores bytes after the DER; the strict reader refuses them (THREATS.md §26).
  assertKeyDER(kind, der);
  let key: KeyObject;
  try {
    const buf = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
    if (kind === 'x509') key = new X509Certificate(buf).publicKey;
    else if (kind === 'spki') key = createPublicKey({ key: buf, format: 'der', type: 'spki' });
    else key = createPrivateKey({ key: buf, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new KeyInvalidError(`the ${kind === 'x509' ? 'certificate' : kind.toUpperCase()} key is malformed`, { cause });
  }
  return fromKeyObject(key);
}

function importNativeSync(value: unknown): ImportedKey | undefined {
  if (value instanceof KeyObject) return fromKeyObject(value);
  if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) {
    const imported = fromKeyObject(KeyObject.from(value));
    return value.type === 'private' && imported.jwk.d === undefined ? { ...imported, isPrivate: true } : imported;
  }
  return undefined;
}

function signOptions(scheme: SignatureScheme, key: KeyObject) {
  switch (scheme.kind) {
    case 'rsa-pss':
      // RFC 7518 §3.5: salt length equals the hash output length.
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
    case 'ecdsa':
      // RFC 7518 §3.4: R || S, fixed length, not DER.
      return { key, dsaEncoding: 'ieee-p1363' as const };
    default:
      return key;
  }
}

function digestName(scheme: SignatureScheme): string | null {
  return scheme.kind === 'eddsa' ? null : HASH[scheme.hash];
}

/** Text data is ASCII (see Platform.signSync); `latin1` maps each character to its one byte. */
function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
}

function signSync(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array | string): Uint8Array {
  const h = handleOf(key);
  // HMAC reads text directly (the encoding is ignored for bytes): no copy of the signing input.
  if (scheme.kind === 'hmac') return createHmac(HASH[scheme.hash], h.key).update(data as string, 'latin1').digest();
  return nodeSign(digestName(scheme), bytesOf(data), signOptions(scheme, h.key));
}

function macBase64URLSync(scheme: SignatureScheme, key: ImportedKey, data: string): string {
  if (scheme.kind !== 'hmac') throw new PlatformUnsupportedError('not a MAC scheme');
  // digest('base64url') encodes natively: no ArrayBuffer is made for the MAC.
  return createHmac(HASH[scheme.hash], handleOf(key).key).update(data, 'latin1').digest('base64url');
}

function verifySync(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array | string, signature: Uint8Array): boolean {
  const h = handleOf(key);
  if (scheme.kind === 'hmac') {
    const mac = createHmac(HASH[scheme.hash], h.key).update(data as string, 'latin1').digest();
    // SECURITY: constant-time comparison of the MAC (THREATS.md §27).
    return mac.length === signature.length && timingSafeEqual(mac, signature);
  }
  try {
    return nodeVerify(digestName(scheme), bytesOf(data), signOptions(scheme, h.key), signature);
  } catch {
    return false;
  }
}

/**
 * Random bytes from a pool refilled 4 KiB at a time: each call to the CSPRNG has a fixed cost
 * (about 5 µs on a virtual machine) that dwarfs a 12-byte IV. Bytes handed out are never handed
 * out again, and every result is a fresh copy.
 */
const RANDOM_POOL_SIZE = 4096;
let randomPool = new Uint8Array(0);
let randomOffset = 0;
function randomBytes(length: number): Uint8Array {
  if (length > 256) return new Uint8Array(nodeRandomBytes(length));
  if (randomOffset + length > randomPool.length) {
    randomPool = new Uint8Array(nodeRandomBytes(RANDOM_POOL_SIZE));
    randomOffset = 0;
  }
  const out = randomPool.slice(randomOffset, randomOffset + length);
  randomOffset += length;
  return out;
}

/** Expensive signatures started and not yet settled (see `sign`). */
let expensiveInFlight = 0;
function settleOne(): void {
  expensiveInFlight--;
}

function isExpensive(scheme: SignatureScheme): boolean {
  return scheme.kind === 'rsassa-pkcs1' || scheme.kind === 'rsa-pss' || (scheme.kind === 'ecdsa' && scheme.crv === 'P-521');
}

function generateJWK(spec: GenerateSpec): Promise<JWK> {
  if (spec.kty === 'oct') {
    return Promise.resolve({ kty: 'oct', k: encodeBase64URL(nodeRandomBytes(spec.bytes)) });
  }
  // The JWK is encoded by the key generation job itself, never exported from the KeyObjects it
  // returns: see KEYGEN_DEADLOCK below.
  const encoding = { publicKeyEncoding: { format: 'jwk' }, privateKeyEncoding: { format: 'jwk' } } as const;
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, _pub: unknown, priv: unknown) => {
      if (err) reject(new PlatformUnsupportedError('key generation failed', { cause: err }));
      else resolve(priv as JWK);
    };
    if (spec.kty === 'RSA') {
      generateKeyPair('rsa', { modulusLength: spec.bits, publicExponent: 0x10001, ...encoding } as never, done as never);
    } else if (spec.kty === 'EC') {
      generateKeyPair('ec', { namedCurve: NAMED_CURVE[spec.crv] as string, ...encoding } as never, done as never);
    } else {
      generateKeyPair(spec.crv.toLowerCase() as 'ed25519', encoding as never, done as never);
    }
  });
}

// ---------------------------------------------------------------- JWE primitives

/** RFC 3394 §2.2.3.1: the default initial value of AES Key Wrap. */
const KW_DEFAULT_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');
const OAEP_HASH: Record<OAEPHash, string> = { 'SHA-1': 'sha1', ...HASH };
const AES_BITS: Readonly<Record<number, number>> = { 16: 128, 24: 192, 32: 256 };
/** How node:crypto generates a key pair on each ECDH curve. */
/**
 * KEYGEN_DEADLOCK. Node 20's key generation job shares a lock with the keys it returns, and its
 * destructor, run by the garbage collector, takes that lock. Exporting a freshly generated
 * KeyObject (`export({ format: 'jwk' })`) holds the lock while it allocates; if that allocation
 * collects the (already unreferenced) job, the thread waits on its own lock forever. Seen here as
 * processes stuck at 0% CPU in `ExportJWKEcKey` → GC → `~KeyGenJob` → `uv_mutex_lock` (gdb).
 * So tessera never exports a KeyObject from `generateKeyPair(Sync)`: key generation asks the job
 * to encode the JWK itself (the job is alive while it does), and ephemeral ECDH keys come from
 * `createECDH` (NIST curves) or from random bytes imported as PKCS#8 (X25519, X448), with no job.
 */
const ECDH_NAMED_CURVE: Readonly<Partial<Record<ECDHCurve, string>>> = {
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  'P-521': 'secp521r1',
};

/**
 * PKCS#8 wrappers for raw X25519/X448 private keys (RFC 8410 §7: OIDs 1.3.101.110, 1.3.101.111).
 * RFC 7748 §6: a private key is that many random bytes; the primitive itself clamps them.
 */
const OKP_PKCS8: Readonly<Partial<Record<ECDHCurve, { prefix: Buffer; bytes: number }>>> = {
  X25519: { prefix: Buffer.from('302e020100300506032b656e04220420', 'hex'), bytes: 32 },
  X448: { prefix: Buffer.from('3046020100300506032b656f043a0438', 'hex'), bytes: 56 },
};

/** A plain Uint8Array view of a Buffer (no copy), so callers see the same type on every platform. */
function plain(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function secretOf(key: SecretKey): Uint8Array {
  if (key instanceof Uint8Array) return key;
  const secret = handleOf(key).secret;
  if (secret === undefined) throw new KeyInvalidError('a secret key is required');
  return secret;
}

/** The OpenSSL cipher name for an AES key of this length, or undefined for a length AES does not have. */
function aesCipher(key: Uint8Array, mode: 'gcm' | 'cbc' | 'wrap'): string | undefined {
  const bits = AES_BITS[key.length];
  if (bits === undefined) return undefined;
  return mode === 'wrap' ? `id-aes${bits}-wrap` : `aes-${bits}-${mode}`;
}

function cipherName(key: Uint8Array, mode: 'gcm' | 'cbc' | 'wrap'): string {
  const name = aesCipher(key, mode);
  if (name === undefined) throw new InvalidArgumentError('an AES key must be 16, 24 or 32 bytes');
  return name;
}

function aesGCMEncryptSync(key: SecretKey, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): AEADOutput {
  const k = secretOf(key);
  const cipher = createCipheriv(cipherName(k, 'gcm') as 'aes-128-gcm', k, iv, { authTagLength: 16 });
  cipher.setAAD(aad);
  const ciphertext = cipher.update(plaintext);
  cipher.final(); // GCM is a stream mode: final() adds no bytes, it computes the tag.
  return { ciphertext: plain(ciphertext), tag: plain(cipher.getAuthTag()) };
}

function aesGCMDecryptSync(key: SecretKey, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Uint8Array | undefined {
  const k = secretOf(key);
  const name = aesCipher(k, 'gcm');
  // SECURITY: exactly 128-bit tags (THREATS.md §15); OpenSSL would accept shorter ones.
  if (name === undefined || tag.length !== 16 || iv.length === 0) return undefined;
  try {
    const decipher = createDecipheriv(name as 'aes-128-gcm', k, iv, { authTagLength: 16 });
    decipher.setAuthTag(tag);
    decipher.setAAD(aad);
    const plaintext = decipher.update(ciphertext);
    decipher.final(); // throws unless the tag verifies; nothing is returned before that
    return plain(plaintext);
  } catch {
    return undefined;
  }
}

function aesCBCEncryptSync(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const cipher = createCipheriv(cipherName(key, 'cbc'), key, iv);
  return plain(Buffer.concat([cipher.update(plaintext), cipher.final()]));
}

function aesCBCDecryptSync(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined {
  const name = aesCipher(key, 'cbc');
  if (name === undefined) return undefined;
  try {
    const decipher = createDecipheriv(name, key, iv);
    return plain(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  } catch {
    return undefined;
  }
}

function aesKWWrapSync(kek: SecretKey, keyData: Uint8Array): Uint8Array {
  const k = secretOf(kek);
  const cipher = createCipheriv(cipherName(k, 'wrap'), k, KW_DEFAULT_IV);
  return plain(Buffer.concat([cipher.update(keyData), cipher.final()]));
}

function aesKWUnwrapSync(kek: SecretKey, wrapped: Uint8Array): Uint8Array | undefined {
  const k = secretOf(kek);
  const name = aesCipher(k, 'wrap');
  // RFC 3394 §2.2.2: the input is n+1 64-bit blocks, n >= 2.
  if (name === undefined || wrapped.length < 24 || wrapped.length % 8 !== 0) return undefined;
  try {
    const decipher = createDecipheriv(name, k, KW_DEFAULT_IV);
    return plain(Buffer.concat([decipher.update(wrapped), decipher.final()]));
  } catch {
    return undefined;
  }
}

function rsaOAEPEncryptSync(hash: OAEPHash, key: ImportedKey, data: Uint8Array): Uint8Array {
  return plain(publicEncrypt({ key: handleOf(key).key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[hash] }, data));
}

/** Why sync even in the async API: node:crypto's privateDecrypt has no callback form. */
function rsaOAEPDecryptSync(hash: OAEPHash, key: ImportedKey, data: Uint8Array): Uint8Array | undefined {
  const k = handleOf(key).key;
  if (k.type !== 'private') throw new KeyPrivateRequiredError('RSA-OAEP decryption needs a private key');
  try {
    return plain(privateDecrypt({ key: k, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[hash] }, data));
  } catch {
    return undefined;
  }
}

function importEphemeralPublicKeySync(jwk: JWK): ImportedKey {
  try {
    // node:crypto (OpenSSL) checks that an EC point lies on its curve when it imports it.
    return { handle: makeHandle(createPublicKey({ key: jwk as NodeJWK, format: 'jwk' })), jwk };
  } catch (cause) {
    throw new JWEEphemeralKeyInvalidError('the ephemeral public key (epk) is not a valid point of its curve', { cause });
  }
}

function generateEphemeralKeySync(crv: ECDHCurve): EphemeralKeyPair {
  const named = ECDH_NAMED_CURVE[crv];
  if (named !== undefined) {
    // Inline: cheaper than a thread-pool round trip (tens of microseconds).
    const ecdh = createECDH(named);
    // SEC 1 §2.3.3 uncompressed point: 0x04 || X || Y, each coordinate the field's full length,
    // which is what RFC 7518 §6.2.1.2–3 asks of "x" and "y".
    const point = ecdh.generateKeys();
    const size = (point.length - 1) / 2;
    const publicJWK: JWK = { kty: 'EC', crv, x: point.toString('base64url', 1, 1 + size), y: point.toString('base64url', 1 + size) };
    return { privateKey: { handle: ecdhHandle(ecdh, publicJWK, size), jwk: publicJWK, isPrivate: true }, publicJWK };
  }
  const okp = OKP_PKCS8[crv] as { prefix: Buffer; bytes: number };
  const key = createPrivateKey({ key: Buffer.concat([okp.prefix, nodeRandomBytes(okp.bytes)]), format: 'der', type: 'pkcs8' });
  const publicJWK = createPublicKey(key).export({ format: 'jwk' }) as JWK;
  return { privateKey: { handle: makeHandle(key), jwk: publicJWK, isPrivate: true }, publicJWK };
}

/** A handle for an ephemeral `createECDH` key; its KeyObject is made only if something asks for it. */
function ecdhHandle(ecdh: ECDH, publicJWK: JWK, size: number): PlatformKey {
  let key: KeyObject | undefined;
  const h = {
    __platformKey: true as const,
    secret: undefined,
    ecdh,
    get key(): KeyObject {
      const d = ecdh.getPrivateKey();
      key ??= createPrivateKey({ key: { ...publicJWK, d: Buffer.concat([Buffer.alloc(size - d.length), d]).toString('base64url') } as NodeJWK, format: 'jwk' });
      return key;
    },
  };
  return h as unknown as PlatformKey;
}

/** The uncompressed point of an EC public key, from its JWK (once per key). */
const points = new WeakMap<ImportedKey, Buffer>();
function pointOf(publicKey: ImportedKey): Buffer {
  let point = points.get(publicKey);
  if (point === undefined) {
    const { x, y } = publicKey.jwk;
    point = Buffer.concat([Buffer.of(4), Buffer.from(String(x), 'base64url'), Buffer.from(String(y), 'base64url')]);
    points.set(publicKey, point);
  }
  return point;
}

function deriveECDHSync(_crv: ECDHCurve, privateKey: ImportedKey, publicKey: ImportedKey): Uint8Array {
  const ecdh = handleOf(privateKey).ecdh;
  if (ecdh !== undefined && typeof publicKey.jwk.x === 'string' && typeof publicKey.jwk.y === 'string') {
    try {
      // OpenSSL checks that the point lies on the ephemeral key's curve.
      return plain(ecdh.computeSecret(pointOf(publicKey)));
    } catch (cause) {
      throw new KeyInvalidError('the platform refused the key agreement', { cause });
    }
  }
  const priv = handleOf(privateKey).key;
  if (priv.type !== 'private') throw new KeyPrivateRequiredError('ECDH needs a private key');
  const pubHandle = handleOf(publicKey).key;
  const pub = pubHandle.type === 'private' ? createPublicKey(pubHandle) : pubHandle;
  try {
    return plain(diffieHellman({ privateKey: priv, publicKey: pub }));
  } catch (cause) {
    // OpenSSL refuses mismatched curves and X25519/X448 points that give an all-zero secret.
    throw new KeyInvalidError('the platform refused the key agreement', { cause });
  }
}

function pbkdf2Sync_(hash: HashName, password: SecretKey, salt: Uint8Array, iterations: number, length: number): Uint8Array {
  return plain(pbkdf2Sync(secretOf(password), salt, iterations, length, HASH[hash]));
}

/**
 * Up to this many bytes (the output cap when inflating, the input when deflating), zlib runs inline
 * even in the async API: its callback form makes a thread-pool round trip per 16 kB chunk, which
 * costs far more than inflating a quarter megabyte (the default cap) does.
 */
const INLINE_ZLIB = 1 << 20;

function inflateError(cause: unknown, maxOutputLength: number): Error {
  if ((cause as { code?: unknown })?.code === 'ERR_BUFFER_TOO_LARGE') {
    return new JWEDecompressionLimitError(`the decompressed plaintext exceeds ${maxOutputLength} bytes`, { cause });
  }
  return new JWEInvalidError('the compressed plaintext is not valid DEFLATE data', { cause });
}

function assertCap(maxOutputLength: number): void {
  if (!Number.isSafeInteger(maxOutputLength) || maxOutputLength < 1) {
    throw new InvalidArgumentError('maxOutputLength must be a positive integer');
  }
}

function inflateRawSync_(data: Uint8Array, maxOutputLength: number): Uint8Array {
  assertCap(maxOutputLength);
  try {
    // SECURITY: zlib checks maxOutputLength chunk by chunk while inflating and stops there (THREATS.md §9).
    return plain(inflateRawSync(data, { maxOutputLength }));
  } catch (cause) {
    throw inflateError(cause, maxOutputLength);
  }
}

/** Runs a sync primitive for the async API: its throw becomes a rejection. */
function settle<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (err) {
    return Promise.reject(err);
  }
}

const jwe = {
  secretBytes(key: ImportedKey): Uint8Array | undefined {
    const secret = handleOf(key).secret;
    return secret === undefined ? undefined : plain(secret);
  },
  timingSafeEqual: (a: Uint8Array, b: Uint8Array) => a.length === b.length && timingSafeEqual(a, b),
  hmac: (hash: HashName, key: Uint8Array, parts: readonly Uint8Array[]) => settle(() => hmacSync(hash, key, parts)),
  hmacSync,
  aesGCMEncrypt: (key: SecretKey, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) => settle(() => aesGCMEncryptSync(key, iv, plaintext, aad)),
  aesGCMEncryptSync,
  aesGCMDecrypt: (key: SecretKey, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array) =>
    settle(() => aesGCMDecryptSync(key, iv, ciphertext, tag, aad)),
  aesGCMDecryptSync,
  aesCBCEncrypt: (key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array) => settle(() => aesCBCEncryptSync(key, iv, plaintext)),
  aesCBCEncryptSync,
  aesCBCDecrypt: (key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array) => settle(() => aesCBCDecryptSync(key, iv, ciphertext)),
  aesCBCDecryptSync,
  aesKWWrap: (kek: SecretKey, keyData: Uint8Array) => settle(() => aesKWWrapSync(kek, keyData)),
  aesKWWrapSync,
  aesKWUnwrap: (kek: SecretKey, wrapped: Uint8Array) => settle(() => aesKWUnwrapSync(kek, wrapped)),
  aesKWUnwrapSync,
  rsaOAEPEncrypt: (hash: OAEPHash, key: ImportedKey, data: Uint8Array) => settle(() => rsaOAEPEncryptSync(hash, key, data)),
  rsaOAEPEncryptSync,
  rsaOAEPDecrypt: (hash: OAEPHash, key: ImportedKey, data: Uint8Array) => settle(() => rsaOAEPDecryptSync(hash, key, data)),
  rsaOAEPDecryptSync,
  importEphemeralPublicKey: (jwk: JWK) => settle(() => importEphemeralPublicKeySync(jwk)),
  importEphemeralPublicKeySync,
  generateEphemeralKey: (crv: ECDHCurve) => settle(() => generateEphemeralKeySync(crv)),
  generateEphemeralKeySync,
  deriveECDH: (crv: ECDHCurve, privateKey: ImportedKey, publicKey: ImportedKey) => settle(() => deriveECDHSync(crv, privateKey, publicKey)),
  deriveECDHSync,
  pbkdf2(hash: HashName, password: SecretKey, salt: Uint8Array, iterations: number, length: number): Promise<Uint8Array> {
    // PBKDF2 is the one JWE primitive slow enough (p2c >= 1000) to be worth libuv's thread pool,
    // and it follows the policy of the expensive signatures (see `sign`): inline when no other
    // expensive operation is under way (a lone one gains nothing from a pool round trip but the
    // wait), on the pool when another is (so concurrent ones use every core and the event loop
    // stays free).
    if (expensiveInFlight === 0) {
      // Counted until the current synchronous run ends, so the rest of a burst goes to the pool.
      expensiveInFlight++;
      queueMicrotask(settleOne);
      return settle(() => pbkdf2Sync_(hash, password, salt, iterations, length));
    }
    let secret: Uint8Array;
    try {
      secret = secretOf(password);
    } catch (err) {
      return Promise.reject(err);
    }
    expensiveInFlight++;
    return new Promise((resolve, reject) => {
      nodePBKDF2(secret, salt, iterations, length, HASH[hash], (err, key) => {
        settleOne();
        if (err) reject(err);
        else resolve(plain(key));
      });
    });
  },
  pbkdf2Sync: pbkdf2Sync_,
  deflateRaw(data: Uint8Array): Promise<Uint8Array> {
    if (data.length <= INLINE_ZLIB) return settle(() => plain(deflateRawSync(data)));
    return new Promise((resolve, reject) => zlibDeflateRaw(data, (err, out) => (err ? reject(err) : resolve(plain(out)))));
  },
  deflateRawSync: (data: Uint8Array): Uint8Array => plain(deflateRawSync(data)),
  inflateRaw(data: Uint8Array, maxOutputLength: number): Promise<Uint8Array> {
    if (maxOutputLength <= INLINE_ZLIB) return settle(() => inflateRawSync_(data, maxOutputLength));
    assertCap(maxOutputLength);
    return new Promise((resolve, reject) => {
      zlibInflateRaw(data, { maxOutputLength }, (err, out) => (err ? reject(inflateError(err, maxOutputLength)) : resolve(plain(out))));
    });
  },
  inflateRawSync: inflateRawSync_,
};

function hmacSync(hash: HashName, key: Uint8Array, parts: readonly Uint8Array[]): Uint8Array {
  const mac = createHmac(HASH[hash], key);
  for (const part of parts) mac.update(part);
  return plain(mac.digest());
}

export const platform: Platform = {
  name: 'node',
  syncSupported: true,
  randomBytes,
  digest: async (hash, data) => createHash(HASH[hash]).update(data).digest(),
  digestSync: (hash, data) => createHash(HASH[hash]).update(data).digest(),
  importJWK: async (jwk) => importJWKSync(jwk),
  importJWKSync,
  importDER: async (kind, der) => importDERSync(kind, der),
  importDERSync,
  importNative: async (value) => importNativeSync(value),
  importNativeSync,
  async exportDER(key, kind) {
    const k = handleOf(key).key;
    if (kind === 'spki') return (k.type === 'private' ? createPublicKey(k) : k).export({ format: 'der', type: 'spki' });
    return k.export({ format: 'der', type: 'pkcs8' });
  },
  generate: generateJWK,
  sign(scheme, key, data) {
    // An expensive signature goes to the thread pool when another one is already under way (so
    // concurrent signing uses both cores and the event loop stays free), and runs inline when it is
    // alone: a lone operation gains nothing from a pool round trip (80–300 µs) but the wait.
    if (!isExpensive(scheme) || expensiveInFlight === 0) {
      if (isExpensive(scheme)) {
        // Counted until the current synchronous run ends, so that a burst started in one tick
        // (Promise.all of several signs) sends the rest of the burst to the pool.
        expensiveInFlight++;
        queueMicrotask(settleOne);
      }
      try {
        return Promise.resolve(signSync(scheme, key, data));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const h = handleOf(key);
    expensiveInFlight++;
    return new Promise((resolve, reject) => {
      nodeSign(digestName(scheme), bytesOf(data), signOptions(scheme, h.key), (err, sig) => {
        settleOne();
        if (err) reject(err);
        else resolve(sig);
      });
    });
  },
  signSync,
  verify(scheme, key, data, signature) {
    return Promise.resolve(verifySync(scheme, key, data, signature));
  },
  verifySync,
  macBase64URLSync,
  ...jwe,
};
