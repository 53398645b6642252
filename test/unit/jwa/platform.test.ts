/**
 * The platform seam, on whichever backend `#platform` selects (the runner runs it on both).
 * Fixtures come from node:crypto directly, so a backend is checked against an independent
 * implementation, never against itself.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  createHash,
  createHmac,
  createPublicKey,
  randomBytes as nodeRandomBytes,
  sign as nodeSign,
  verify as nodeVerify,
  constants,
  type KeyObject,
} from 'node:crypto';
import { generateKeyPairSync } from '../../helpers/node-keygen.ts';
import { platform } from '#platform';
import type { ImportedKey } from '../../../src/jwa/platform/types.ts';
import type { HashName, JWK, SignatureScheme } from '../../../src/jwa/types.ts';
import { assertKeyDER, extractCertificateSPKI, readPKCS8Algorithm, readSPKIAlgorithm } from '../../../src/jwa/platform/_asn1.ts';
import { importKey } from '../../../src/jwk/import.ts';
import { signJWS, verifyJWS } from '../../../src/jws/compact.ts';

const isWeb = platform.name === 'web';
const data = new TextEncoder().encode('eyJhbGciOiJ0ZXN0In0.cGF5bG9hZA');

// ---------------------------------------------------------------- fixtures (node:crypto)

type PairKind = 'RSA' | 'P-256' | 'P-384' | 'P-521' | 'secp256k1' | 'Ed25519' | 'Ed448' | 'X25519' | 'X448';
interface Pair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly privateJWK: JWK;
  readonly publicJWK: JWK;
  readonly spki: Uint8Array;
  readonly pkcs8: Uint8Array;
}

const pairs = new Map<PairKind, Pair>();
function pair(kind: PairKind): Pair {
  const cached = pairs.get(kind);
  if (cached) return cached;
  const kp: { privateKey: KeyObject; publicKey: KeyObject } =
    kind === 'RSA'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : kind.startsWith('P-') || kind === 'secp256k1'
        ? generateKeyPairSync('ec', { namedCurve: kind === 'secp256k1' ? 'secp256k1' : kind })
        : generateKeyPairSync(kind.toLowerCase() as 'ed25519');
  const p: Pair = {
    privateKey: kp.privateKey,
    publicKey: kp.publicKey,
    privateJWK: kp.privateKey.export({ format: 'jwk' }) as JWK,
    publicJWK: kp.publicKey.export({ format: 'jwk' }) as JWK,
    spki: kp.publicKey.export({ format: 'der', type: 'spki' }),
    pkcs8: kp.privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
  pairs.set(kind, p);
  return p;
}

const NODE_HASH: Record<HashName, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const HASH_BYTES: Record<HashName, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
const HASHES: HashName[] = ['SHA-256', 'SHA-384', 'SHA-512'];

/** Independent verification with node:crypto of a signature the platform made. */
function nodeVerifies(scheme: SignatureScheme, kind: PairKind, signature: Uint8Array): boolean {
  const key = pair(kind).publicKey;
  switch (scheme.kind) {
    case 'rsassa-pkcs1':
      return nodeVerify(NODE_HASH[scheme.hash], data, key, signature);
    case 'rsa-pss':
      return nodeVerify(
        NODE_HASH[scheme.hash],
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[scheme.hash] },
        signature,
      );
    case 'ecdsa':
      return nodeVerify(NODE_HASH[scheme.hash], data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    case 'eddsa':
      return nodeVerify(null, data, key, signature);
    default:
      throw new Error('not asymmetric');
  }
}

/** Every asymmetric scheme the web backend supports, with its key kind and signature length. */
const ASYMMETRIC: Array<{ name: string; scheme: SignatureScheme; kind: PairKind; length: number }> = [
  ...HASHES.map((hash) => ({ name: `RSASSA-PKCS1 ${hash}`, scheme: { kind: 'rsassa-pkcs1', hash } as const, kind: 'RSA' as const, length: 256 })),
  ...HASHES.map((hash) => ({ name: `RSA-PSS ${hash}`, scheme: { kind: 'rsa-pss', hash } as const, kind: 'RSA' as const, length: 256 })),
  { name: 'ECDSA P-256', scheme: { kind: 'ecdsa', hash: 'SHA-256', crv: 'P-256' }, kind: 'P-256', length: 64 },
  { name: 'ECDSA P-384', scheme: { kind: 'ecdsa', hash: 'SHA-384', crv: 'P-384' }, kind: 'P-384', length: 96 },
  { name: 'ECDSA P-521', scheme: { kind: 'ecdsa', hash: 'SHA-512', crv: 'P-521' }, kind: 'P-521', length: 132 },
  { name: 'EdDSA Ed25519', scheme: { kind: 'eddsa', crv: 'Ed25519' }, kind: 'Ed25519', length: 64 },
  { name: 'EdDSA Ed448', scheme: { kind: 'eddsa', crv: 'Ed448' }, kind: 'Ed448', length: 114 },
];
const K1: SignatureScheme = { kind: 'ecdsa', hash: 'SHA-256', crv: 'secp256k1' };

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[index] = (out[index] as number) ^ 0x01;
  return out;
}

function keyMembers(jwk: JWK): JWK {
  const out: JWK = { kty: jwk.kty };
  for (const m of ['crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'k']) if (jwk[m] !== undefined) out[m] = jwk[m];
  return out;
}

// ---------------------------------------------------------------- a tiny DER writer for certificates

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}
function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return Uint8Array.from([tag, ...derLength(body.length), ...body]);
}
function oid(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const out = [a * 40 + b];
  for (const arc of rest) {
    const enc = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) enc.unshift(0x80 | (v & 0x7f));
    out.push(...enc);
  }
  return tlv(0x06, Uint8Array.from(out));
}
const seq = (...parts: Uint8Array[]) => tlv(0x30, ...parts);
const bytesOf = (...b: number[]) => Uint8Array.from(b);

/** A self-issued X.509 v3 certificate for `spki`, signed by a fixed Ed25519 issuer (RFC 5280 §4.1). */
function certificate(spki: Uint8Array, options: { extensions?: boolean; trailing?: Uint8Array } = {}): Uint8Array {
  const issuerKey = pair('Ed25519').privateKey;
  const algorithm = seq(oid('1.3.101.112')); // RFC 8410 §3: Ed25519, parameters absent
  const name = seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, new TextEncoder().encode('tessera test')))));
  const validity = seq(tlv(0x17, new TextEncoder().encode('250101000000Z')), tlv(0x17, new TextEncoder().encode('350101000000Z')));
  const extensions = options.extensions
    ? [tlv(0xa3, seq(seq(oid('2.5.29.19'), tlv(0x01, bytesOf(0xff)), tlv(0x04, seq()))))] // basicConstraints, critical
    : [];
  const tbs = seq(tlv(0xa0, tlv(0x02, bytesOf(2))), tlv(0x02, bytesOf(0x01, 0x23)), algorithm, name, validity, name, spki, ...extensions);
  const signature = nodeSign(null, tbs, issuerKey);
  const cert = seq(tbs, algorithm, tlv(0x03, bytesOf(0), signature));
  return options.trailing ? Buffer.concat([cert, options.trailing]) : cert;
}

// ---------------------------------------------------------------- backend identity

test('the backend names itself and says whether sync works', () => {
  assert.equal(platform.name, process.env.TESSERA_BACKEND ?? platform.name);
  assert.equal(platform.syncSupported, !isWeb);
});

// ---------------------------------------------------------------- sign / verify

describe('HMAC', () => {
  for (const hash of HASHES) {
    test(`${hash}: signs like node:crypto, verifies, refuses tampering (false, not a throw)`, async () => {
      const secret = nodeRandomBytes(HASH_BYTES[hash]);
      const key = await platform.importJWK({ kty: 'oct', k: secret.toString('base64url') });
      const scheme: SignatureScheme = { kind: 'hmac', hash };
      const mac = await platform.sign(scheme, key, data);
      assert.deepEqual(Buffer.from(mac), createHmac(NODE_HASH[hash], secret).update(data).digest());
      assert.equal(await platform.verify(scheme, key, data, mac), true);
      assert.equal(await platform.verify(scheme, key, flip(data, 3), mac), false);
      assert.equal(await platform.verify(scheme, key, data, flip(mac, mac.length - 1)), false);
      assert.equal(await platform.verify(scheme, key, data, mac.subarray(0, mac.length - 1)), false);
      assert.equal(await platform.verify(scheme, key, data, new Uint8Array(0)), false);
      // The same key under another hash is another CryptoKey on the web: the MAC must differ.
      const other: SignatureScheme = { kind: 'hmac', hash: hash === 'SHA-256' ? 'SHA-512' : 'SHA-256' };
      assert.equal(await platform.verify(other, key, data, mac), false);
    });
  }
});

describe('asymmetric schemes', () => {
  for (const { name, scheme, kind, length } of ASYMMETRIC) {
    test(`${name}: node:crypto verifies its signatures; it verifies node's; tampering gives false`, async () => {
      const { privateJWK, publicJWK, privateKey } = pair(kind);
      const priv = await platform.importJWK(privateJWK);
      const pub = await platform.importJWK(publicJWK);
      const sig = await platform.sign(scheme, priv, data);
      assert.equal(sig.length, length);
      assert.equal(nodeVerifies(scheme, kind, sig), true);
      assert.equal(await platform.verify(scheme, pub, data, sig), true);
      // A private key verifies too (the web backend imports its public members for that).
      assert.equal(await platform.verify(scheme, priv, data, sig), true);
      assert.equal(await platform.verify(scheme, pub, flip(data, 0), sig), false);
      assert.equal(await platform.verify(scheme, pub, data, flip(sig, 5)), false);
      // Drop the last byte, not the first: an RSA signature whose first byte is 0 (1 in 256) is the
      // same integer without it, and the platform may accept that; the exact length is the JWS
      // layer's rule (acceptsSignature in src/jwa/rsassa.ts), tested in test/unit/jws/negative.test.ts.
      assert.equal(await platform.verify(scheme, pub, data, sig.subarray(0, sig.length - 1)), false);
      assert.equal(await platform.verify(scheme, pub, data, new Uint8Array(0)), false);
      assert.equal(await platform.verify(scheme, pub, data, new Uint8Array(length)), false);

      const opts =
        scheme.kind === 'rsa-pss'
          ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[scheme.hash] }
          : scheme.kind === 'ecdsa'
            ? { key: privateKey, dsaEncoding: 'ieee-p1363' as const }
            : privateKey;
      const nodeSig = nodeSign(scheme.kind === 'eddsa' ? null : NODE_HASH[scheme.hash], data, opts);
      assert.equal(await platform.verify(scheme, pub, data, nodeSig), true);
    });
  }

  test('RSA-PSS: the salt is exactly the hash length (RFC 7518 §3.5), a zero-length salt does not verify', async () => {
    const { privateKey, publicJWK } = pair('RSA');
    const pub = await platform.importJWK(publicJWK);
    const scheme: SignatureScheme = { kind: 'rsa-pss', hash: 'SHA-256' };
    const saltless = nodeSign('sha256', data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 0 });
    assert.equal(await platform.verify(scheme, pub, data, saltless), false);
  });

  test('a signature by another key of the same type gives false', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const scheme: SignatureScheme = { kind: 'ecdsa', hash: 'SHA-256', crv: 'P-256' };
    const sig = nodeSign('sha256', data, { key: other.privateKey, dsaEncoding: 'ieee-p1363' });
    assert.equal(await platform.verify(scheme, await platform.importJWK(pair('P-256').publicJWK), data, sig), false);
  });

  test('the RSA modulus length is reported', async () => {
    assert.equal((await platform.importJWK(pair('RSA').publicJWK)).modulusBits, 2048);
    assert.equal((await platform.importJWK(pair('RSA').privateJWK)).modulusBits, 2048);
  });

  test('X25519 and X448 keys import (for ECDH-ES)', async () => {
    for (const kind of ['X25519', 'X448'] as const) {
      assert.equal((await platform.importJWK(pair(kind).publicJWK)).jwk.crv, kind);
      assert.equal((await platform.importJWK(pair(kind).privateJWK)).jwk.crv, kind);
    }
  });

  test('a JWK that is not a key (EC point off the curve) fails at import with ERR_KEY_INVALID', async () => {
    const jwk = { ...pair('P-256').publicJWK };
    jwk.y = Buffer.from(flip(Buffer.from(jwk.y as string, 'base64url'), 7)).toString('base64url');
    await assert.rejects(platform.importJWK(jwk), { code: 'ERR_KEY_INVALID' });
  });
});

describe('verify failures', () => {
  if (!isWeb) return;
  // Node's WebCrypto answers false for every malformed signature; some browsers throw instead.
  test('a platform that throws on a malformed signature gives false; a missing feature throws', async (t) => {
    const scheme: SignatureScheme = { kind: 'ecdsa', hash: 'SHA-256', crv: 'P-256' };
    const pub = await platform.importJWK(pair('P-256').publicJWK);
    const mock = t.mock.method(globalThis.crypto.subtle, 'verify', async () => {
      throw new DOMException('bad signature', 'OperationError');
    });
    assert.equal(await platform.verify(scheme, pub, data, new Uint8Array(64)), false);
    mock.mock.mockImplementation(async () => {
      throw new DOMException('no such algorithm', 'NotSupportedError');
    });
    await assert.rejects(platform.verify(scheme, pub, data, new Uint8Array(64)), { code: 'ERR_PLATFORM_UNSUPPORTED' });
  });
});

describe('secp256k1', () => {
  if (isWeb) {
    test('is ERR_PLATFORM_UNSUPPORTED on WebCrypto at import, DER import, generate, sign and verify', async () => {
      const { privateJWK, publicJWK, spki, pkcs8 } = pair('secp256k1');
      await assert.rejects(platform.importJWK(privateJWK), { code: 'ERR_PLATFORM_UNSUPPORTED' });
      await assert.rejects(platform.importJWK(publicJWK), { code: 'ERR_PLATFORM_UNSUPPORTED' });
      await assert.rejects(platform.importDER('spki', spki), { code: 'ERR_PLATFORM_UNSUPPORTED' });
      await assert.rejects(platform.importDER('pkcs8', pkcs8), { code: 'ERR_PLATFORM_UNSUPPORTED' });
      await assert.rejects(platform.generate({ kty: 'EC', crv: 'secp256k1' }), { code: 'ERR_PLATFORM_UNSUPPORTED' });
      // Even with a handle the scheme refuses, before any primitive runs.
      const handle = await platform.importJWK(pair('P-256').privateJWK);
      await assert.rejects(platform.sign(K1, handle, data), { code: 'ERR_PLATFORM_UNSUPPORTED' });
      await assert.rejects(platform.verify(K1, handle, data, new Uint8Array(64)), { code: 'ERR_PLATFORM_UNSUPPORTED' });
    });
  } else {
    test('works on node:crypto', async () => {
      const { privateJWK, publicJWK } = pair('secp256k1');
      const sig = await platform.sign(K1, await platform.importJWK(privateJWK), data);
      assert.equal(nodeVerifies(K1, 'secp256k1', sig), true);
      assert.equal(await platform.verify(K1, await platform.importJWK(publicJWK), data, sig), true);
      assert.equal((await platform.generate({ kty: 'EC', crv: 'secp256k1' })).crv, 'secp256k1');
    });
  }
});

// ---------------------------------------------------------------- DER import and export

describe('importDER', () => {
  const KINDS: PairKind[] = ['RSA', 'P-256', 'P-384', 'P-521', 'Ed25519', 'Ed448', 'X25519', 'X448'];
  for (const kind of KINDS) {
    test(`${kind}: SPKI, PKCS#8 and X.509 give node's JWK`, async () => {
      const { spki, pkcs8, publicJWK, privateJWK } = pair(kind);
      const pub = await platform.importDER('spki', spki);
      const priv = await platform.importDER('pkcs8', pkcs8);
      const cert = await platform.importDER('x509', certificate(spki, { extensions: true }));
      assert.deepEqual(keyMembers(pub.jwk), keyMembers(publicJWK));
      assert.deepEqual(keyMembers(priv.jwk), keyMembers(privateJWK));
      assert.deepEqual(keyMembers(cert.jwk), keyMembers(publicJWK));
      // No alg, use, key_ops or ext leaks from the platform into the key's binding.
      for (const m of ['alg', 'use', 'key_ops', 'ext']) assert.equal(pub.jwk[m], undefined);
      assert.equal(pub.modulusBits, kind === 'RSA' ? 2048 : undefined);
    });
  }

  test('DER-imported keys sign and verify (the PKCS#8 one signs, the certificate one verifies)', async () => {
    for (const { scheme, kind } of ASYMMETRIC) {
      const priv = await platform.importDER('pkcs8', pair(kind).pkcs8);
      const cert = await platform.importDER('x509', certificate(pair(kind).spki));
      const sig = await platform.sign(scheme, priv, data);
      assert.equal(await platform.verify(scheme, cert, data, sig), true, kind);
    }
  });

  test('a certificate without extensions (or a version) is read too', async () => {
    const { spki, publicJWK } = pair('P-256');
    const imported = await platform.importDER('x509', certificate(spki));
    assert.deepEqual(keyMembers(imported.jwk), keyMembers(publicJWK));
  });

  test('RSASSA-PSS-restricted and DSA keys are refused with ERR_KEY_INVALID', async () => {
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    await assert.rejects(platform.importDER('spki', pss.publicKey.export({ format: 'der', type: 'spki' })), { code: 'ERR_KEY_INVALID' });
    await assert.rejects(platform.importDER('pkcs8', pss.privateKey.export({ format: 'der', type: 'pkcs8' })), { code: 'ERR_KEY_INVALID' });
    const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
    await assert.rejects(platform.importDER('spki', dsa.publicKey.export({ format: 'der', type: 'spki' })), { code: 'ERR_KEY_INVALID' });
  });

  const spki = () => pair('P-256').spki;
  const pkcs8 = () => pair('P-256').pkcs8;
  const MALFORMED: Array<[string, 'spki' | 'pkcs8' | 'x509', () => Uint8Array]> = [
    ['garbage', 'spki', () => Uint8Array.from([0xde, 0xad, 0xbe, 0xef])],
    ['a lone SEQUENCE tag', 'spki', () => Uint8Array.from([0x30])],
    ['an empty SEQUENCE', 'spki', () => Uint8Array.from([0x30, 0x00])],
    ['SPKI truncated by one byte', 'spki', () => spki().subarray(0, spki().length - 1)],
    ['SPKI truncated to half', 'spki', () => spki().subarray(0, spki().length >> 1)],
    ['PKCS#8 truncated by one byte', 'pkcs8', () => pkcs8().subarray(0, pkcs8().length - 1)],
    ['SPKI with a trailing byte', 'spki', () => Buffer.concat([spki(), bytesOf(0)])],
    ['PKCS#8 with a trailing byte', 'pkcs8', () => Buffer.concat([pkcs8(), bytesOf(0)])],
    ['an SPKI given as PKCS#8', 'pkcs8', () => spki()],
    ['a PKCS#8 given as SPKI', 'spki', () => pkcs8()],
    ['an SPKI given as a certificate', 'x509', () => spki()],
    ['a certificate truncated by one byte', 'x509', () => certificate(spki()).subarray(0, -1)],
    ['a certificate with a trailing byte', 'x509', () => certificate(spki(), { trailing: bytesOf(0) })],
  ];
  for (const [name, kind, der] of MALFORMED) {
    test(`malformed DER (${name}) is ERR_KEY_INVALID`, async () => {
      await assert.rejects(platform.importDER(kind, der()), { code: 'ERR_KEY_INVALID' });
    });
  }
});

describe('exportDER', () => {
  for (const kind of ['RSA', 'P-384', 'Ed25519', 'X25519'] as const) {
    test(`${kind}: SPKI from a private JWK equals node's; PKCS#8 round-trips`, async () => {
      const { privateJWK, spki } = pair(kind);
      const priv = await platform.importJWK(privateJWK);
      assert.deepEqual(Buffer.from(await platform.exportDER(priv, 'spki')), Buffer.from(spki));
      const again = await platform.importDER('pkcs8', await platform.exportDER(priv, 'pkcs8'));
      assert.deepEqual(keyMembers(again.jwk), keyMembers(privateJWK));
    });
  }
});

// ---------------------------------------------------------------- native keys

describe('importNative', () => {
  const subtle = globalThis.crypto.subtle;
  const NATIVE: Array<{ name: string; params: RsaHashedKeyGenParams | EcKeyGenParams | Algorithm; scheme: SignatureScheme; other: SignatureScheme; kty: string; crv?: string }> = [
    {
      name: 'RSASSA-PKCS1-v1_5',
      params: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: bytesOf(1, 0, 1), hash: 'SHA-256' },
      scheme: { kind: 'rsassa-pkcs1', hash: 'SHA-256' },
      other: { kind: 'rsa-pss', hash: 'SHA-256' },
      kty: 'RSA',
    },
    {
      name: 'RSA-PSS',
      params: { name: 'RSA-PSS', modulusLength: 2048, publicExponent: bytesOf(1, 0, 1), hash: 'SHA-384' },
      scheme: { kind: 'rsa-pss', hash: 'SHA-384' },
      other: { kind: 'rsa-pss', hash: 'SHA-256' },
      kty: 'RSA',
    },
    {
      name: 'ECDSA',
      params: { name: 'ECDSA', namedCurve: 'P-256' },
      scheme: { kind: 'ecdsa', hash: 'SHA-256', crv: 'P-256' },
      other: { kind: 'eddsa', crv: 'Ed25519' },
      kty: 'EC',
      crv: 'P-256',
    },
    { name: 'Ed25519', params: { name: 'Ed25519' }, scheme: { kind: 'eddsa', crv: 'Ed25519' }, other: { kind: 'ecdsa', hash: 'SHA-256', crv: 'P-256' }, kty: 'OKP', crv: 'Ed25519' },
  ];

  for (const { name, params, scheme, other, kty, crv } of NATIVE) {
    for (const extractable of [true, false]) {
      test(`${name} CryptoKey pair (${extractable ? 'extractable' : 'non-extractable'}) signs and verifies`, async () => {
        const kp = (await subtle.generateKey(params, extractable, ['sign', 'verify'])) as CryptoKeyPair;
        const priv = (await platform.importNative(kp.privateKey)) as ImportedKey;
        const pub = (await platform.importNative(kp.publicKey)) as ImportedKey;
        assert.equal(priv.jwk.kty, kty);
        assert.equal(priv.jwk.crv, crv);
        if (kty === 'RSA') assert.equal(priv.modulusBits, 2048);
        const sig = await platform.sign(scheme, priv, data);
        assert.equal(await platform.verify(scheme, pub, data, sig), true);
        assert.equal(await platform.verify(scheme, pub, flip(data, 1), sig), false);
        // The native key agrees: the signature is the one its own algorithm makes.
        const nativeParams = scheme.kind === 'rsa-pss' ? { name: 'RSA-PSS', saltLength: 48 } : scheme.kind === 'ecdsa' ? { name: 'ECDSA', hash: 'SHA-256' } : params;
        assert.equal(await subtle.verify(nativeParams, kp.publicKey, new Uint8Array(sig), data), true);

        if (isWeb && !extractable) {
          // No key bytes leave a non-extractable key; the handle serves its own scheme only.
          assert.equal(priv.jwk.d, undefined);
          assert.deepEqual(Object.keys(priv.jwk).sort(), crv ? ['crv', 'kty'] : ['kty']);
          assert.equal(priv.isPrivate, true);
          await assert.rejects(platform.sign(other, priv, data), { code: 'ERR_KEY_USAGE' });
          await assert.rejects(platform.verify(scheme, priv, data, sig), { code: 'ERR_KEY_USAGE' });
          await assert.rejects(platform.exportDER(priv, 'pkcs8'), { code: 'ERR_KEY_USAGE' });
          await assert.rejects(platform.exportDER(priv, 'spki'), { code: 'ERR_KEY_USAGE' });
          // WebCrypto, every "generate key" operation: the public key of a pair is always extractable.
          assert.equal(pub.isPrivate, undefined);
          assert.equal(typeof (pub.jwk.n ?? pub.jwk.x), 'string');
          // A public key imported non-extractable: verifies with its own scheme only.
          const spki = await subtle.exportKey('spki', kp.publicKey);
          const sealed = (await platform.importNative(await subtle.importKey('spki', spki, params, false, ['verify']))) as ImportedKey;
          assert.equal(await platform.verify(scheme, sealed, data, sig), true);
          await assert.rejects(platform.verify(other, sealed, data, sig), { code: 'ERR_KEY_USAGE' });
          await assert.rejects(platform.exportDER(sealed, 'spki'), { code: 'ERR_KEY_USAGE' });
        } else {
          assert.equal(typeof priv.jwk.d, 'string');
          assert.equal(priv.jwk.alg, undefined);
          assert.equal(priv.jwk.key_ops, undefined);
        }
      });
    }
  }

  test('an HMAC CryptoKey signs with its hash; non-extractable it reports its size, not its bytes', async () => {
    for (const extractable of [true, false]) {
      const key = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-384', length: 384 }, extractable, ['sign', 'verify']);
      const imported = (await platform.importNative(key)) as ImportedKey;
      assert.equal(imported.jwk.kty, 'oct');
      const scheme: SignatureScheme = { kind: 'hmac', hash: 'SHA-384' };
      const mac = await platform.sign(scheme, imported, data);
      assert.equal(await platform.verify(scheme, imported, data, mac), true);
      assert.equal(await subtle.verify('HMAC', key, new Uint8Array(mac), data), true);
      if (isWeb && !extractable) {
        assert.equal(imported.jwk.k, undefined);
        assert.equal(imported.modulusBits, 384);
        await assert.rejects(platform.sign({ kind: 'hmac', hash: 'SHA-256' }, imported, data), { code: 'ERR_KEY_USAGE' });
      } else {
        assert.equal(Buffer.from(imported.jwk.k as string, 'base64url').length, 48);
      }
    }
  });

  test('a non-extractable HMAC CryptoKey works through the public API (HS384)', async () => {
    const native = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-384', length: 384 }, false, ['sign', 'verify']);
    const key = await importKey(native);
    assert.equal(key.kind, 'secret');
    assert.equal(key.bits, 384);
    const token = await signJWS('hi', key, { alg: 'HS384' });
    const { payload } = await verifyJWS(token, key, { algorithms: ['HS384'] });
    assert.equal(new TextDecoder().decode(payload), 'hi');
  });

  test('a CryptoKey with only the verify usage cannot sign on the web', async () => {
    const key = await subtle.importKey('raw', new Uint8Array(nodeRandomBytes(32)), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    const imported = (await platform.importNative(key)) as ImportedKey;
    if (isWeb) await assert.rejects(platform.sign({ kind: 'hmac', hash: 'SHA-256' }, imported, data), { code: 'ERR_KEY_USAGE' });
    else assert.equal((await platform.sign({ kind: 'hmac', hash: 'SHA-256' }, imported, data)).length, 32);
  });

  test('X25519 CryptoKeys import as OKP', async () => {
    const kp = (await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair;
    const imported = (await platform.importNative(kp.privateKey)) as ImportedKey;
    assert.equal(imported.jwk.kty, 'OKP');
    assert.equal(imported.jwk.crv, 'X25519');
  });

  test('values that are not native keys give undefined (KeyObjects are native on node only)', async () => {
    for (const value of [undefined, null, 'key', 42, {}, { type: 'secret' }, new Uint8Array(32)]) {
      assert.equal(await platform.importNative(value), undefined);
    }
    const keyObject = pair('P-256').publicKey;
    if (isWeb) assert.equal(await platform.importNative(keyObject), undefined);
    else assert.equal((await platform.importNative(keyObject))?.jwk.crv, 'P-256');
  });
});

// ---------------------------------------------------------------- generate, digest, random

describe('generate', () => {
  test('every kind of key, as a private JWK without platform metadata', async () => {
    const rsa = await platform.generate({ kty: 'RSA', bits: 2048 });
    assert.equal(Buffer.from(rsa.n as string, 'base64url').length, 256);
    assert.equal(rsa.e, 'AQAB');
    for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(typeof rsa[m], 'string', m);
    for (const crv of ['P-256', 'P-384', 'P-521'] as const) {
      const ec = await platform.generate({ kty: 'EC', crv });
      assert.deepEqual([ec.kty, ec.crv, typeof ec.d], ['EC', crv, 'string']);
      const sig = await platform.sign(ASYMMETRIC.find((a) => a.kind === crv)!.scheme, await platform.importJWK(ec), data);
      assert.equal(sig.length, ASYMMETRIC.find((a) => a.kind === crv)!.length);
    }
    for (const crv of ['Ed25519', 'Ed448', 'X25519', 'X448'] as const) {
      const okp = await platform.generate({ kty: 'OKP', crv });
      assert.deepEqual([okp.kty, okp.crv, typeof okp.d, okp.y], ['OKP', crv, 'string', undefined]);
      for (const m of ['alg', 'key_ops', 'ext']) assert.equal(okp[m], undefined);
    }
    const oct = await platform.generate({ kty: 'oct', bytes: 48 });
    assert.equal(Buffer.from(oct.k as string, 'base64url').length, 48);
  });
});

test('digest matches node:crypto for every hash', async () => {
  for (const hash of HASHES) {
    assert.deepEqual(Buffer.from(await platform.digest(hash, data)), createHash(NODE_HASH[hash]).update(data).digest());
  }
});

test('randomBytes fills any length, beyond the 65536-byte getRandomValues limit', () => {
  assert.equal(platform.randomBytes(0).length, 0);
  const big = platform.randomBytes(200_000);
  assert.equal(big.length, 200_000);
  // Each 64 KiB chunk was filled: none is all zero.
  for (let i = 0; i < big.length; i += 65_536) assert.ok(big.subarray(i, i + 65_536).some((b) => b !== 0), `chunk at ${i}`);
  assert.notDeepEqual(platform.randomBytes(32), platform.randomBytes(32));
});

// ---------------------------------------------------------------- sync

test('sync methods: ERR_SYNC_UNSUPPORTED on WebCrypto, working on node:crypto', async () => {
  const hmac: SignatureScheme = { kind: 'hmac', hash: 'SHA-256' };
  const jwk: JWK = { kty: 'oct', k: nodeRandomBytes(32).toString('base64url') };
  const key = await platform.importJWK(jwk);
  const calls: Array<() => unknown> = [
    () => platform.digestSync('SHA-256', data),
    () => platform.importJWKSync(jwk),
    () => platform.importDERSync('spki', pair('P-256').spki),
    () => platform.importNativeSync(pair('P-256').publicKey),
    () => platform.signSync(hmac, key, data),
    () => platform.verifySync(hmac, key, data, new Uint8Array(32)),
  ];
  for (const call of calls) {
    if (isWeb) assert.throws(call, { code: 'ERR_SYNC_UNSUPPORTED' });
    else call();
  }
  if (!isWeb) {
    assert.deepEqual(Buffer.from(platform.digestSync('SHA-256', data)), createHash('sha256').update(data).digest());
    assert.equal(platform.verifySync(hmac, key, data, platform.signSync(hmac, key, data)), true);
  }
});

// ---------------------------------------------------------------- the strict DER reader (backend-independent)

describe('_asn1 strict DER reader', () => {
  const spki = () => pair('P-256').spki;

  test('reads the algorithm and curve OIDs of SPKI and PKCS#8', () => {
    const ec = { oid: '1.2.840.10045.2.1', parameters: { kind: 'oid', oid: '1.2.840.10045.3.1.7' } };
    assert.deepEqual(readSPKIAlgorithm(spki()), ec);
    assert.deepEqual(readPKCS8Algorithm(pair('P-256').pkcs8), ec);
    assert.deepEqual(readSPKIAlgorithm(pair('RSA').spki), { oid: '1.2.840.113549.1.1.1', parameters: { kind: 'null' } });
    assert.deepEqual(readSPKIAlgorithm(pair('Ed448').spki), { oid: '1.3.101.113', parameters: { kind: 'absent' } });
    assert.deepEqual(readPKCS8Algorithm(pair('X25519').pkcs8), { oid: '1.3.101.110', parameters: { kind: 'absent' } });
  });

  test('cuts the exact SubjectPublicKeyInfo out of a certificate', () => {
    assert.deepEqual(Buffer.from(extractCertificateSPKI(certificate(spki(), { extensions: true }))), Buffer.from(spki()));
    assert.deepEqual(Buffer.from(extractCertificateSPKI(certificate(pair('RSA').spki))), Buffer.from(pair('RSA').spki));
  });

  const s = () => Buffer.from(spki());
  const REJECTED: Array<[string, () => Uint8Array]> = [
    ['empty input', () => new Uint8Array(0)],
    ['indefinite length', () => Buffer.concat([bytesOf(0x30, 0x80), s().subarray(2), bytesOf(0, 0)])],
    // A P-256 SPKI is 91 bytes: short form 0x5b; 0x81 0x5b is a non-minimal long form.
    ['non-minimal long-form length', () => Buffer.concat([bytesOf(0x30, 0x81, s()[1] as number), s().subarray(2)])],
    ['length with a leading zero byte', () => Buffer.concat([bytesOf(0x30, 0x82, 0x00, s()[1] as number), s().subarray(2)])],
    ['a length of more than four bytes', () => bytesOf(0x30, 0x85, 1, 0, 0, 0, 0)],
    ['a length beyond the data', () => bytesOf(0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x00)],
    ['a high tag number', () => bytesOf(0x1f, 0x81, 0x00, 0x00)],
    ['trailing data', () => Buffer.concat([s(), bytesOf(0)])],
    ['an inner length that disagrees with its contents', () => { const b = s(); b[3] = (b[3] as number) + 1; return b; }],
    // The BIT STRING's unused-bits octet precedes the 65-byte uncompressed point.
    ['a BIT STRING with unused bits', () => { const b = s(); b[b.length - 66] = 1; return b; }],
    ['a non-minimal OID subidentifier', () => seq(seq(tlv(0x06, bytesOf(0x2a, 0x80, 0x01))), tlv(0x03, bytesOf(0, 1)))],
    ['a truncated OID', () => seq(seq(tlv(0x06, bytesOf(0x2a, 0x86))), tlv(0x03, bytesOf(0, 1)))],
    ['NULL parameters with contents', () => seq(seq(oid('1.2.840.113549.1.1.1'), tlv(0x05, bytesOf(0))), tlv(0x03, bytesOf(0, 1)))],
    ['extra members in the AlgorithmIdentifier', () => seq(seq(oid('1.3.101.112'), tlv(0x05, new Uint8Array(0)), tlv(0x05, new Uint8Array(0))), tlv(0x03, bytesOf(0, 1)))],
  ];
  for (const [name, der] of REJECTED) {
    test(`refuses ${name} with ERR_KEY_INVALID`, () => {
      assert.throws(() => readSPKIAlgorithm(der()), { code: 'ERR_KEY_INVALID' });
    });
  }

  test('the encodings above are well formed when the one defect is removed', () => {
    // Guards the negative cases: the same builders produce accepted DER.
    assert.equal(readSPKIAlgorithm(seq(seq(oid('1.3.101.112')), tlv(0x03, bytesOf(0, 1)))).oid, '1.3.101.112');
    assert.equal(readSPKIAlgorithm(seq(seq(tlv(0x06, bytesOf(0x2a, 0x81, 0x01))), tlv(0x03, bytesOf(0, 1)))).oid, '1.2.129');
  });

  test('PKCS#8: version 0 or 1 only; optional [0] and [1] in order; nothing else', () => {
    const alg = seq(oid('1.3.101.112'));
    const key = tlv(0x04, tlv(0x04, new Uint8Array(32)));
    const ok = (v: number, ...rest: Uint8Array[]) => seq(tlv(0x02, bytesOf(v)), alg, key, ...rest);
    assert.equal(readPKCS8Algorithm(ok(0)).oid, '1.3.101.112');
    assert.equal(readPKCS8Algorithm(ok(1, tlv(0xa0, new Uint8Array(0)), tlv(0x81, bytesOf(0, 1)))).oid, '1.3.101.112');
    assert.throws(() => readPKCS8Algorithm(ok(2)), { code: 'ERR_KEY_INVALID' });
    assert.throws(() => readPKCS8Algorithm(ok(1, tlv(0x81, bytesOf(0, 1)), tlv(0xa0, new Uint8Array(0)))), { code: 'ERR_KEY_INVALID' });
    assert.throws(() => readPKCS8Algorithm(ok(0, tlv(0x04, new Uint8Array(0)))), { code: 'ERR_KEY_INVALID' });
  });

  test('certificates: the TBSCertificate fields are checked in order', () => {
    const cert = certificate(spki());
    assert.doesNotThrow(() => assertKeyDER('x509', cert));
    // Swap the outer SEQUENCE tag of the TBSCertificate for a SET: no longer a certificate.
    const broken = Buffer.from(cert);
    const tbsAt = (cert[1] as number) < 0x80 ? 2 : 2 + ((cert[1] as number) & 0x7f); // after the outer tag and length
    assert.equal(broken[tbsAt], 0x30);
    broken[tbsAt] = 0x31;
    assert.throws(() => assertKeyDER('x509', broken), { code: 'ERR_KEY_INVALID' });
    assert.throws(() => assertKeyDER('x509', spki()), { code: 'ERR_KEY_INVALID' });
  });
});
