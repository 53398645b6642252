/**
 * The platform seam's JWE primitives on the backend under test, checked against node:crypto as an
 * independent implementation, and native CryptoKeys (non-extractable too) used for JWE.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHmac, createPrivateKey, createPublicKey, diffieHellman, pbkdf2Sync, randomBytes, type KeyObject } from 'node:crypto';
import { generateKeyPairSync } from '../../helpers/node-keygen.ts';
import { platform } from '#platform';
import { resolveContentEncryption, resolveKeyManagement } from '../../../src/jwa/jwe-registry.ts';
import type { ECDHCurve } from '../../../src/jwa/platform/types.ts';
import type { HashName } from '../../../src/jwa/types.ts';
import { importKey, importSecret } from '../../../src/jwk/import.ts';
import { LIMITS, bothForms, isWeb, pair, toHex, utf8, type PairKind } from './jwe-fixtures.ts';

const HASHES: HashName[] = ['SHA-256', 'SHA-384', 'SHA-512'];
const nodeHash = (h: HashName) => h.replace('-', '').toLowerCase();

describe('HMAC, AES-CBC, AES-GCM, PBKDF2 against node:crypto', () => {
  for (const hash of HASHES) {
    test(`HMAC ${hash} over several parts`, async () => {
      const key = new Uint8Array(randomBytes(32));
      const parts = [utf8('a'), new Uint8Array(0), new Uint8Array(randomBytes(100))];
      const expected = createHmac(nodeHash(hash), key).update(Buffer.concat(parts)).digest('hex');
      for (const mac of await bothForms((sync) => (sync ? platform.hmacSync(hash, key, parts) : platform.hmac(hash, key, parts)))) assert.equal(toHex(mac), expected);
    });

    test(`PBKDF2 ${hash}, with raw bytes and with an imported key`, async () => {
      const pwd = utf8('password');
      const salt = new Uint8Array(randomBytes(16));
      const expected = pbkdf2Sync(pwd, salt, 1000, 32, nodeHash(hash)).toString('hex');
      const key = await importSecret(pwd);
      for (const password of [pwd, key.imported]) {
        for (const out of await bothForms((sync) => (sync ? platform.pbkdf2Sync(hash, password, salt, 1000, 32) : platform.pbkdf2(hash, password, salt, 1000, 32)))) {
          assert.equal(toHex(out), expected);
        }
      }
    });
  }

  for (const bits of [128, 192, 256]) {
    test(`AES-${bits}-CBC with PKCS#7 padding; bad padding gives undefined`, async () => {
      const key = new Uint8Array(randomBytes(bits / 8));
      const iv = new Uint8Array(randomBytes(16));
      const plaintext = utf8('thirty-three bytes of plaintext!!');
      const c = createCipheriv(`aes-${bits}-cbc`, key, iv);
      const expected = Buffer.concat([c.update(plaintext), c.final()]);
      for (const out of await bothForms((sync) => (sync ? platform.aesCBCEncryptSync(key, iv, plaintext) : platform.aesCBCEncrypt(key, iv, plaintext)))) {
        assert.equal(toHex(out), expected.toString('hex'));
      }
      for (const out of await bothForms((sync) => (sync ? platform.aesCBCDecryptSync(key, iv, expected) : platform.aesCBCDecrypt(key, iv, expected)))) {
        assert.equal(toHex(out as Uint8Array), toHex(plaintext));
      }
      const raw = createCipheriv(`aes-${bits}-cbc`, key, iv).setAutoPadding(false);
      const badPadding = Buffer.concat([raw.update(new Uint8Array(16).fill(0x20)), raw.final()]);
      for (const out of await bothForms((sync) => (sync ? platform.aesCBCDecryptSync(key, iv, badPadding) : platform.aesCBCDecrypt(key, iv, badPadding)))) {
        assert.equal(out, undefined);
      }
    });

    test(`AES-${bits}-GCM with raw bytes and with an imported key; a bad tag gives undefined`, async () => {
      const bytes = new Uint8Array(randomBytes(bits / 8));
      const key = await importSecret(bytes);
      const iv = new Uint8Array(randomBytes(12));
      const aad = utf8('aad');
      const c = createCipheriv(`aes-${bits}-gcm` as 'aes-128-gcm', bytes, iv, { authTagLength: 16 });
      c.setAAD(aad);
      const ciphertext = Buffer.concat([c.update(utf8('plaintext')), c.final()]);
      const tag = c.getAuthTag();
      for (const k of [bytes, key.imported]) {
        for (const out of await bothForms((sync) => (sync ? platform.aesGCMEncryptSync(k, iv, utf8('plaintext'), aad) : platform.aesGCMEncrypt(k, iv, utf8('plaintext'), aad)))) {
          assert.equal(toHex(out.ciphertext), ciphertext.toString('hex'));
          assert.equal(toHex(out.tag), tag.toString('hex'));
        }
        const bad = Buffer.from(tag);
        bad[0] = (bad[0] as number) ^ 1;
        for (const out of await bothForms((sync) => (sync ? platform.aesGCMDecryptSync(k, iv, ciphertext, bad, aad) : platform.aesGCMDecrypt(k, iv, ciphertext, bad, aad)))) {
          assert.equal(out, undefined);
        }
        for (const out of await bothForms((sync) => (sync ? platform.aesGCMDecryptSync(k, iv, ciphertext, tag.subarray(0, 12), aad) : platform.aesGCMDecrypt(k, iv, ciphertext, tag.subarray(0, 12), aad)))) {
          assert.equal(out, undefined);
        }
      }
    });
  }

  test('timingSafeEqual and secretBytes', async () => {
    assert.equal(platform.timingSafeEqual(utf8('abc'), utf8('abc')), true);
    assert.equal(platform.timingSafeEqual(utf8('abc'), utf8('abd')), false);
    assert.equal(platform.timingSafeEqual(utf8('abc'), utf8('abcd')), false);
    const bytes = new Uint8Array(randomBytes(24));
    assert.equal(toHex(platform.secretBytes((await importSecret(bytes)).imported) as Uint8Array), toHex(bytes));
    assert.equal(platform.secretBytes((await pair('P-256')).privateKey.imported), undefined);
  });
});

describe('ECDH against node:crypto', () => {
  for (const crv of ['P-256', 'P-384', 'P-521', 'X25519', 'X448'] as ECDHCurve[]) {
    test(`${crv}: Z as node:crypto computes it; an ephemeral pair's public JWK; a private key standing for its public part`, async () => {
      const a = await pair(crv as PairKind);
      const b: { publicKey: KeyObject } = crv.startsWith('P-') ? generateKeyPairSync('ec', { namedCurve: crv }) : generateKeyPairSync(crv.toLowerCase() as 'x25519');
      const peer = await importKey(b.publicKey.export({ format: 'jwk' }) as never);
      const expected = diffieHellman({ privateKey: createPrivateKey({ key: a.privateJWK, format: 'jwk' }), publicKey: b.publicKey }).toString('hex');
      for (const z of await bothForms((sync) => (sync ? platform.deriveECDHSync(crv, a.privateKey.imported, peer.imported) : platform.deriveECDH(crv, a.privateKey.imported, peer.imported)))) {
        assert.equal(toHex(z), expected);
      }
      for (const eph of await bothForms((sync) => (sync ? platform.generateEphemeralKeySync(crv) : platform.generateEphemeralKey(crv)))) {
        assert.equal(eph.publicJWK.crv, crv);
        assert.equal(eph.publicJWK.d, undefined);
        const z = await platform.deriveECDH(crv, eph.privateKey, a.privateKey.imported);
        const ref = diffieHellman({ privateKey: createPrivateKey({ key: a.privateJWK, format: 'jwk' }), publicKey: createPublicKey({ key: eph.publicJWK, format: 'jwk' }) });
        assert.equal(toHex(z), ref.toString('hex'));
      }
    });
  }

  test('deriving with a public key as the private one: ERR_KEY_PRIVATE_REQUIRED', async () => {
    const a = await pair('P-256');
    await assert.rejects(platform.deriveECDH('P-256', a.publicKey.imported, a.publicKey.imported), { code: 'ERR_KEY_PRIVATE_REQUIRED' });
  });
});

describe('native CryptoKeys, non-extractable included, serve JWE', () => {
  const subtle = globalThis.crypto.subtle;
  const enc = resolveContentEncryption('A256GCM');

  test('an AES-KW CryptoKey for A128KW', async () => {
    const raw = new Uint8Array(randomBytes(16));
    for (const extractable of [true, false]) {
      const native = await subtle.importKey('raw', raw, 'AES-KW', extractable, ['wrapKey', 'unwrapKey']);
      const key = await importKey(native);
      const km = resolveKeyManagement('A128KW');
      const w = await km.wrap(key, enc, {});
      // Unwrapped by the same key material given as bytes: the native key really was used.
      assert.equal(toHex(await km.unwrap(await importSecret(raw), enc, w.encryptedKey, {}, LIMITS)), toHex(w.cek));
      assert.equal(toHex(await km.unwrap(key, enc, w.encryptedKey, {}, LIMITS)), toHex(w.cek));
    }
  });

  test('a non-extractable AES-KW CryptoKey for another algorithm: works on node:crypto, ERR_KEY_USAGE on WebCrypto', async () => {
    const native = await subtle.importKey('raw', new Uint8Array(randomBytes(16)), 'AES-KW', false, ['wrapKey', 'unwrapKey']);
    const key = await importKey(native);
    const gcmkw = resolveKeyManagement('A128GCMKW');
    if (isWeb) await assert.rejects(gcmkw.wrap(key, enc, {}), { code: 'ERR_KEY_USAGE' });
    else await gcmkw.wrap(key, enc, {});
  });

  test('a non-extractable AES-GCM CryptoKey for A256GCMKW', async () => {
    const native = await subtle.importKey('raw', new Uint8Array(randomBytes(32)), 'AES-GCM', false, ['encrypt', 'decrypt']);
    const key = await importKey(native);
    const km = resolveKeyManagement('A256GCMKW');
    const w = await km.wrap(key, enc, {});
    assert.equal(toHex(await km.unwrap(key, enc, w.encryptedKey, w.parameters, LIMITS)), toHex(w.cek));
  });

  test('a non-extractable RSA-OAEP-256 private CryptoKey decrypts', async () => {
    const p = await pair('RSA');
    const { alg: _alg, ...jwk } = p.privateJWK;
    const native = await subtle.importKey('jwk', jwk as JsonWebKey, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']);
    const key = await importKey(native);
    const km = resolveKeyManagement('RSA-OAEP-256');
    const w = await km.wrap(p.publicKey, enc, {});
    assert.equal(toHex(await km.unwrap(key, enc, w.encryptedKey, {}, LIMITS)), toHex(w.cek));
  });

  for (const crv of ['P-256', 'X25519'] as const) {
    test(`a non-extractable ${crv} ECDH private CryptoKey decrypts ECDH-ES`, async () => {
      const params = crv === 'P-256' ? { name: 'ECDH', namedCurve: crv } : { name: crv };
      const pairKeys = (await subtle.generateKey(params, false, ['deriveBits'])) as CryptoKeyPair;
      const recipient = await importKey(pairKeys.privateKey);
      const publicKey = await importKey(pairKeys.publicKey);
      const km = resolveKeyManagement('ECDH-ES+A128KW');
      const w = await km.wrap(publicKey, enc, {});
      assert.equal(toHex(await km.unwrap(recipient, enc, w.encryptedKey, w.parameters, LIMITS)), toHex(w.cek));
    });
  }
});
