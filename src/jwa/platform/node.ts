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
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPair,
  randomBytes as nodeRandomBytes,
  sign as nodeSign,
  timingSafeEqual,
  verify as nodeVerify,
  type JsonWebKey as NodeJWK,
} from 'node:crypto';
import { encodeBase64URL, decodeBase64URL } from '../../core/base64url.js';
import { KeyInvalidError, PlatformUnsupportedError } from '../../core/errors.js';
import type { DERKind, GenerateSpec, HashName, JWK, SignatureScheme } from '../types.js';
import { assertKeyDER } from './_asn1.js';
import type { ImportedKey, Platform, PlatformKey } from './types.js';

/** What a node handle holds: the KeyObject, and for secrets the raw bytes (HMAC is fastest on a Buffer). */
interface NodeHandle {
  readonly __platformKey: true;
  readonly key: KeyObject;
  readonly secret: Buffer | undefined;
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

function signSync(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array): Uint8Array {
  const h = handleOf(key);
  if (scheme.kind === 'hmac') return createHmac(HASH[scheme.hash], h.secret as Buffer).update(data).digest();
  return nodeSign(digestName(scheme), data, signOptions(scheme, h.key));
}

function verifySync(scheme: SignatureScheme, key: ImportedKey, data: Uint8Array, signature: Uint8Array): boolean {
  const h = handleOf(key);
  if (scheme.kind === 'hmac') {
    const mac = createHmac(HASH[scheme.hash], h.secret as Buffer).update(data).digest();
    // SECURITY: constant-time comparison of the MAC (THREATS.md §27).
    return mac.length === signature.length && timingSafeEqual(mac, signature);
  }
  try {
    return nodeVerify(digestName(scheme), data, signOptions(scheme, h.key), signature);
  } catch {
    return false;
  }
}

function isExpensive(scheme: SignatureScheme): boolean {
  return scheme.kind === 'rsassa-pkcs1' || scheme.kind === 'rsa-pss' || (scheme.kind === 'ecdsa' && scheme.crv === 'P-521');
}

function generateJWK(spec: GenerateSpec): Promise<JWK> {
  if (spec.kty === 'oct') {
    return Promise.resolve({ kty: 'oct', k: encodeBase64URL(nodeRandomBytes(spec.bytes)) });
  }
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, _pub: KeyObject, priv: KeyObject) => {
      if (err) reject(new PlatformUnsupportedError('key generation failed', { cause: err }));
      else resolve(priv.export({ format: 'jwk' }) as JWK);
    };
    if (spec.kty === 'RSA') {
      generateKeyPair('rsa', { modulusLength: spec.bits, publicExponent: 0x10001 }, done);
    } else if (spec.kty === 'EC') {
      generateKeyPair('ec', { namedCurve: NAMED_CURVE[spec.crv] as string }, done);
    } else {
      generateKeyPair(spec.crv.toLowerCase() as 'ed25519', undefined, done as never);
    }
  });
}

export const platform: Platform = {
  name: 'node',
  syncSupported: true,
  randomBytes: (length) => new Uint8Array(nodeRandomBytes(length)),
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
    if (!isExpensive(scheme)) {
      try {
        return Promise.resolve(signSync(scheme, key, data));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const h = handleOf(key);
    return new Promise((resolve, reject) => {
      nodeSign(digestName(scheme), data, signOptions(scheme, h.key), (err, sig) => (err ? reject(err) : resolve(sig)));
    });
  },
  signSync,
  verify(scheme, key, data, signature) {
    return Promise.resolve(verifySync(scheme, key, data, signature));
  },
  verifySync,
};
