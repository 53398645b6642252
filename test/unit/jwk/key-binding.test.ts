/**
 * Negative key tests (THREATS.md §1, §2, §3, §23): weak keys, empty keys, strings as keys, HMAC/RSA
 * key confusion in every key form, and the algorithm/use/key_ops/private-ness binding.
 * Each case asserts the exact error code.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sign as nodeSign } from 'node:crypto';
import { platform } from '#platform';
import type { JWK } from '../../../src/jwa/types.ts';
import { importJWK, importKey, importPEM, importSecret } from '../../../src/jwk/import.ts';
import { createLocalJWKSet } from '../../../src/jwk/jwks.ts';
import { signJWS, signJWSSync, verifyJWS, verifyJWSSync } from '../../../src/jws/compact.ts';
import type { VerifyKey, VerifyOptions } from '../../../src/jws/types.ts';
import { cryptoKeyPair, fixture, forgeHS256, testKeyPair } from '../../helpers/keys.ts';

const web = platform.name === 'web';
const b64u = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');

/** verifyJWS, and verifyJWSSync on node, both reject with `code`. */
async function rejectsVerify(token: string, key: unknown, options: VerifyOptions, code: string): Promise<void> {
  await assert.rejects(verifyJWS(token, key as VerifyKey, options), { code });
  if (platform.syncSupported && typeof key !== 'function') {
    assert.throws(() => verifyJWSSync(token, key as VerifyKey, options), { code });
  }
}

/** signJWS, and signJWSSync on node, both reject with `code`. */
async function rejectsSign(key: unknown, alg: string, code: string): Promise<void> {
  await assert.rejects(signJWS('payload', key as never, { alg }), { code });
  if (platform.syncSupported) assert.throws(() => signJWSSync('payload', key as never, { alg }), { code });
}

describe('RSA keys under 2048 bits: ERR_KEY_TOO_SHORT in every form (RFC 7518 §3.3)', () => {
  const small = testKeyPair('RSA-1024');
  // A genuine RS256 token made with the 1024-bit key, without tessera.
  const head = `${b64u('{"alg":"RS256"}')}.${b64u('weak')}`;
  const token = `${head}.${nodeSign('sha256', Buffer.from(head), small.privateKeyObject).toString('base64url')}`;

  test('public and private JWK', async () => {
    await assert.rejects(importJWK(small.publicJWK), { code: 'ERR_KEY_TOO_SHORT' });
    await assert.rejects(importJWK(small.privateJWK), { code: 'ERR_KEY_TOO_SHORT' });
  });

  test('SPKI and PKCS#8 PEM', async () => {
    await assert.rejects(importPEM(small.spki), { code: 'ERR_KEY_TOO_SHORT' });
    await assert.rejects(importPEM(small.pkcs8), { code: 'ERR_KEY_TOO_SHORT' });
  });

  test('X.509 certificate (openssl fixture) and its PKCS#8 key', async () => {
    await assert.rejects(importPEM(fixture('rsa1024.cert.pem')), { code: 'ERR_KEY_TOO_SHORT' });
    await assert.rejects(importPEM(fixture('rsa1024.key.pem')), { code: 'ERR_KEY_TOO_SHORT' });
  });

  test('KeyObject: ERR_KEY_TOO_SHORT on node; on web a KeyObject is not a key at all (ERR_KEY_INVALID)', async () => {
    const code = web ? 'ERR_KEY_INVALID' : 'ERR_KEY_TOO_SHORT';
    await assert.rejects(importKey(small.publicKeyObject), { code });
    await assert.rejects(importKey(small.privateKeyObject), { code });
  });

  test('CryptoKey', async () => {
    const { publicKey, privateKey } = await cryptoKeyPair('RSA-1024');
    await assert.rejects(importKey(publicKey), { code: 'ERR_KEY_TOO_SHORT' });
    await assert.rejects(importKey(privateKey), { code: 'ERR_KEY_TOO_SHORT' });
  });

  test('verifyJWS of a genuine 1024-bit RS256 token', async () => {
    await rejectsVerify(token, small.publicJWK, {}, 'ERR_KEY_TOO_SHORT');
    await rejectsVerify(token, small.publicJWK, { algorithms: ['RS256'] }, 'ERR_KEY_TOO_SHORT');
    await assert.rejects(verifyJWS(token, () => small.publicJWK, { algorithms: ['RS256'] }), { code: 'ERR_KEY_TOO_SHORT' });
  });

  test('signJWS', async () => {
    await rejectsSign(small.privateJWK, 'RS256', 'ERR_KEY_TOO_SHORT');
    await rejectsSign(small.privateJWK, 'PS256', 'ERR_KEY_TOO_SHORT');
  });

  test('a key set ignores the member, so nothing verifies with it', async () => {
    const set = createLocalJWKSet({ keys: [small.publicJWK] });
    assert.equal(set.entries.length, 0);
    assert.equal(set.ignored, 1);
    await assert.rejects(verifyJWS(token, set, { algorithms: ['RS256'] }), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });
});

describe('HMAC keys shorter than the hash: ERR_KEY_TOO_SHORT on sign and verify (RFC 7518 §3.2)', () => {
  for (const [alg, bytes] of [
    ['HS256', 16],
    ['HS256', 31],
    ['HS384', 32],
    ['HS384', 47],
    ['HS512', 48],
    ['HS512', 63],
  ] as const) {
    test(`${alg} with a ${bytes}-byte key`, async () => {
      const secret = new Uint8Array(bytes).fill(0x5a);
      const jwk: JWK = { kty: 'oct', k: b64u(secret) };
      await rejectsSign(secret, alg, 'ERR_KEY_TOO_SHORT');
      await rejectsSign(jwk, alg, 'ERR_KEY_TOO_SHORT');
      const token = forgeHS256('short', secret).replace(b64u('{"alg":"HS256"}'), b64u(`{"alg":"${alg}"}`));
      await rejectsVerify(token, secret, { algorithms: [alg] }, 'ERR_KEY_TOO_SHORT');
      await rejectsVerify(token, jwk, { algorithms: [alg] }, 'ERR_KEY_TOO_SHORT');
      await assert.rejects(verifyJWS(token, () => secret, { algorithms: [alg] }), { code: 'ERR_KEY_TOO_SHORT' });
      // Without an explicit allow-list, the key fits no HMAC algorithm of that size at all.
      await rejectsVerify(token, secret, {}, 'ERR_ALG_NOT_ALLOWED');
    });
  }

  test('exactly the hash length is enough', async () => {
    const secret = new Uint8Array(32).fill(0x5a);
    const token = await signJWS('ok', secret, { alg: 'HS256' });
    assert.equal(token, forgeHS256('ok', secret));
    assert.ok(await verifyJWS(token, secret, { algorithms: ['HS256'] }));
  });
});

describe('empty keys: ERR_KEY_EMPTY (THREATS.md §1, §3)', () => {
  const token = forgeHS256('x', new Uint8Array(32).fill(1));
  const EMPTY: ReadonlyArray<[string, unknown]> = [
    ['undefined', undefined],
    ['null', null],
    ["''", ''],
    ['empty bytes', new Uint8Array(0)],
    ['empty k', { kty: 'oct', k: '' }],
  ];
  for (const [name, key] of EMPTY) {
    test(`${name}: importKey, signJWS, verifyJWS and a resolver returning it`, async () => {
      await assert.rejects(importKey(key as never), { code: 'ERR_KEY_EMPTY' });
      await rejectsSign(key, 'HS256', 'ERR_KEY_EMPTY');
      await rejectsVerify(token, key, { algorithms: ['HS256'] }, 'ERR_KEY_EMPTY');
      await rejectsVerify(token, key, {}, 'ERR_KEY_EMPTY');
      await assert.rejects(verifyJWS(token, () => key as never, { algorithms: ['HS256'] }), { code: 'ERR_KEY_EMPTY' });
      await assert.rejects(verifyJWS(token, async () => key as never, { algorithms: ['HS256'] }), { code: 'ERR_KEY_EMPTY' });
    });
  }

  test('importSecret of empty bytes', async () => {
    await assert.rejects(importSecret(new Uint8Array(0)), { code: 'ERR_KEY_EMPTY' });
  });
});

describe('a string is never a key: ERR_KEY_INVALID (THREATS.md §2, §23)', () => {
  const token = forgeHS256('x', 'a-string-secret-that-is-long-enough-for-hs256');
  test('verifyJWS, signJWS, importKey and a resolver', async () => {
    const key = 'a-string-secret-that-is-long-enough-for-hs256';
    await assert.rejects(importKey(key as never), { code: 'ERR_KEY_INVALID' });
    await rejectsSign(key, 'HS256', 'ERR_KEY_INVALID');
    await rejectsVerify(token, key, { algorithms: ['HS256'] }, 'ERR_KEY_INVALID');
    await assert.rejects(verifyJWS(token, () => key as never, { algorithms: ['HS256'] }), { code: 'ERR_KEY_INVALID' });
  });

  for (const [name, key] of [
    ['a number', 42],
    ['an ArrayBuffer', new ArrayBuffer(32)],
    ['a Map', new Map([['kty', 'oct']])],
    ['a class instance', new (class Key { kty = 'oct'; k = 'AAAA'; })()],
    ['a boolean', true],
  ] as const) {
    test(`${name}: ERR_KEY_INVALID`, async () => {
      await assert.rejects(importKey(key as never), { code: 'ERR_KEY_INVALID' });
      await rejectsVerify(token, key, { algorithms: ['HS256'] }, 'ERR_KEY_INVALID');
    });
  }
});

describe('HS256 key confusion: a public key in any form never becomes an HMAC secret (THREATS.md §2)', () => {
  for (const kind of ['RSA-2048', 'P-256', 'Ed25519'] as const) {
    describe(kind, () => {
      const pair = testKeyPair(kind);
      // The attack: an HS256 token whose HMAC secret is the victim's public key text.
      const forged = forgeHS256('{"admin":true}', pair.spki);
      const pemBytes = Buffer.from(pair.spki);

      test('PEM string: ERR_KEY_INVALID (strings are never sniffed)', async () => {
        await rejectsVerify(forged, pair.spki, {}, 'ERR_KEY_INVALID');
        await rejectsVerify(forged, pair.spki, { algorithms: ['HS256'] }, 'ERR_KEY_INVALID');
      });

      for (const [name, bytes] of [
        ['PEM bytes', pemBytes],
        ['PEM bytes as a plain Uint8Array', new Uint8Array(pemBytes)],
        ['PEM bytes with leading whitespace', Buffer.from(` \t\r\n${pair.spki}`)],
        ['PEM bytes after a non-whitespace prefix', Buffer.from(`x${pair.spki}`)],
        ['PEM bytes with CRLF', Buffer.from(pair.spki.replace(/\n/g, '\r\n'))],
        ['JWK JSON text bytes', Buffer.from(JSON.stringify(pair.publicJWK))],
        ['JWK JSON text bytes, pretty-printed', Buffer.from(`\n${JSON.stringify(pair.publicJWK, null, 2)}`)],
      ] as const) {
        test(`${name}: ERR_KEY_TYPE_MISMATCH`, async () => {
          const token = forgeHS256('{"admin":true}', bytes);
          await rejectsVerify(token, bytes, { algorithms: ['HS256'] }, 'ERR_KEY_TYPE_MISMATCH');
          await rejectsVerify(token, bytes, {}, 'ERR_KEY_TYPE_MISMATCH');
          await assert.rejects(importSecret(bytes), { code: 'ERR_KEY_TYPE_MISMATCH' });
        });
      }

      test('public JWK: not in the derived allow-list (ERR_ALG_NOT_ALLOWED); HS256 allowed: ERR_KEY_TYPE_MISMATCH', async () => {
        await rejectsVerify(forged, pair.publicJWK, {}, 'ERR_ALG_NOT_ALLOWED');
        await rejectsVerify(forged, pair.publicJWK, { algorithms: ['HS256'] }, 'ERR_KEY_TYPE_MISMATCH');
        await rejectsVerify(forged, pair.publicJWK, { algorithms: ['RS256', 'ES256', 'EdDSA', 'HS256'] }, 'ERR_KEY_TYPE_MISMATCH');
        await assert.rejects(verifyJWS(forged, () => pair.publicJWK, { algorithms: ['HS256'] }), { code: 'ERR_KEY_TYPE_MISMATCH' });
      });

      test('KeyObject: as the JWK on node; on web, not a key (ERR_KEY_INVALID)', async () => {
        if (web) {
          await rejectsVerify(forged, pair.publicKeyObject, { algorithms: ['HS256'] }, 'ERR_KEY_INVALID');
          return;
        }
        await rejectsVerify(forged, pair.publicKeyObject, {}, 'ERR_ALG_NOT_ALLOWED');
        await rejectsVerify(forged, pair.publicKeyObject, { algorithms: ['HS256'] }, 'ERR_KEY_TYPE_MISMATCH');
      });

      test('CryptoKey: as the JWK', async () => {
        const { publicKey } = await cryptoKeyPair(kind);
        await rejectsVerify(forged, publicKey, {}, 'ERR_ALG_NOT_ALLOWED');
        await rejectsVerify(forged, publicKey, { algorithms: ['HS256'] }, 'ERR_KEY_TYPE_MISMATCH');
      });

      test('imported TesseraKey (from PEM) and a key set', async () => {
        const key = await importPEM(pair.spki);
        await rejectsVerify(forged, key, {}, 'ERR_ALG_NOT_ALLOWED');
        await rejectsVerify(forged, key, { algorithms: ['HS256'] }, 'ERR_KEY_TYPE_MISMATCH');
        const set = createLocalJWKSet({ keys: [pair.publicJWK] });
        await rejectsVerify(forged, set, {}, 'ERR_ALG_NOT_ALLOWED');
        await rejectsVerify(forged, set, { algorithms: ['HS256'] }, 'ERR_JWKS_NO_MATCHING_KEY');
      });
    });
  }

  test('SSH public key text as bytes: ERR_KEY_TYPE_MISMATCH', async () => {
    for (const text of ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB user@host', 'ssh-rsa AAAAB3NzaC1yc2E user', 'ecdsa-sha2-nistp256 AAAA user']) {
      await assert.rejects(importSecret(Buffer.from(text)), { code: 'ERR_KEY_TYPE_MISMATCH' });
    }
  });

  test('PKCS#1 "RSA PUBLIC KEY" PEM bytes: ERR_KEY_TYPE_MISMATCH', async () => {
    const pkcs1 = Buffer.from(testKeyPair('RSA-2048').publicKeyObject.export({ format: 'pem', type: 'pkcs1' }));
    await rejectsVerify(forgeHS256('x', pkcs1), pkcs1, { algorithms: ['HS256'] }, 'ERR_KEY_TYPE_MISMATCH');
  });

  test('a secret key is never used for an asymmetric algorithm: ERR_KEY_TYPE_MISMATCH', async () => {
    const secret = new Uint8Array(32).fill(3);
    const head = `${b64u('{"alg":"RS256"}')}.${b64u('x')}`;
    await rejectsVerify(`${head}.${b64u(new Uint8Array(256))}`, secret, { algorithms: ['RS256'] }, 'ERR_KEY_TYPE_MISMATCH');
    await rejectsSign(secret, 'ES256', 'ERR_KEY_TYPE_MISMATCH');
  });
});

describe('algorithm binding: ERR_KEY_USAGE or ERR_KEY_TYPE_MISMATCH', () => {
  test('a P-256 key bound to ES256 used for ES384: ERR_KEY_TYPE_MISMATCH (its curve is checked first)', async () => {
    const key = await importJWK(testKeyPair('P-256').privateJWK, { alg: 'ES256' });
    await rejectsSign(key, 'ES384', 'ERR_KEY_TYPE_MISMATCH');
    const es384 = await signJWS('x', testKeyPair('P-384').privateJWK, { alg: 'ES384' });
    await rejectsVerify(es384, key, {}, 'ERR_ALG_NOT_ALLOWED');
    await rejectsVerify(es384, key, { algorithms: ['ES384'] }, 'ERR_KEY_TYPE_MISMATCH');
  });

  test('a P-384 key bound to ES256 used for ES384 (curve fits, binding does not): ERR_KEY_USAGE', async () => {
    const key = await importJWK(testKeyPair('P-384').privateJWK, { alg: 'ES256' });
    await rejectsSign(key, 'ES384', 'ERR_KEY_USAGE');
    const es384 = await signJWS('x', testKeyPair('P-384').privateJWK, { alg: 'ES384' });
    await rejectsVerify(es384, key, { algorithms: ['ES384'] }, 'ERR_KEY_USAGE');
  });

  test('an RSA key bound to RS256 used for PS256 and RS384: ERR_KEY_USAGE', async () => {
    const jwk: JWK = { ...testKeyPair('RSA-2048').privateJWK, alg: 'RS256' };
    await rejectsSign(jwk, 'PS256', 'ERR_KEY_USAGE');
    await rejectsSign(jwk, 'RS384', 'ERR_KEY_USAGE');
    const ps256 = await signJWS('x', testKeyPair('RSA-2048').privateJWK, { alg: 'PS256' });
    await rejectsVerify(ps256, { ...testKeyPair('RSA-2048').publicJWK, alg: 'RS256' }, {}, 'ERR_ALG_NOT_ALLOWED');
    await rejectsVerify(ps256, { ...testKeyPair('RSA-2048').publicJWK, alg: 'RS256' }, { algorithms: ['PS256'] }, 'ERR_KEY_USAGE');
  });

  test('an HMAC key bound to HS256 used for HS512: ERR_KEY_USAGE', async () => {
    const jwk: JWK = { kty: 'oct', k: b64u(new Uint8Array(64).fill(8)), alg: 'HS256' };
    await rejectsSign(jwk, 'HS512', 'ERR_KEY_USAGE');
  });

  test('an Ed25519 key bound to "Ed25519" used for "EdDSA": ERR_KEY_USAGE', async () => {
    const key = await importJWK(testKeyPair('Ed25519').privateJWK, { alg: 'Ed25519' });
    await rejectsSign(key, 'EdDSA', 'ERR_KEY_USAGE');
  });

  test('a key bound to a JWE algorithm is refused for JWS: ERR_KEY_USAGE', async () => {
    await rejectsSign({ kty: 'oct', k: b64u(new Uint8Array(32).fill(1)), alg: 'A256GCM' }, 'HS256', 'ERR_KEY_USAGE');
  });
});

describe('use and key_ops: ERR_KEY_USAGE (RFC 7517 §4.2, §4.3)', () => {
  const pair = testKeyPair('P-256');

  test('a use:"enc" key for signing and for verifying', async () => {
    await rejectsSign({ ...pair.privateJWK, use: 'enc' }, 'ES256', 'ERR_KEY_USAGE');
    await rejectsSign(await importPEM(pair.pkcs8, { use: 'enc' }), 'ES256', 'ERR_KEY_USAGE');
    const token = await signJWS('x', pair.privateJWK, { alg: 'ES256' });
    await rejectsVerify(token, { ...pair.publicJWK, use: 'enc' }, { algorithms: ['ES256'] }, 'ERR_KEY_USAGE');
  });

  test('key_ops without "sign" for signing; without "verify" for verifying', async () => {
    await rejectsSign({ ...pair.privateJWK, key_ops: ['verify'] }, 'ES256', 'ERR_KEY_USAGE');
    const token = await signJWS('x', { ...pair.privateJWK, key_ops: ['sign'] }, { alg: 'ES256' });
    await rejectsVerify(token, { ...pair.publicJWK, key_ops: ['sign'] }, { algorithms: ['ES256'] }, 'ERR_KEY_USAGE');
    assert.ok(await verifyJWS(token, { ...pair.publicJWK, key_ops: ['verify'] }, { algorithms: ['ES256'] }));
  });
});

describe('a public key cannot sign: ERR_KEY_PRIVATE_REQUIRED', () => {
  for (const kind of ['RSA-2048', 'P-256', 'Ed25519'] as const) {
    const alg = kind === 'RSA-2048' ? 'RS256' : kind === 'P-256' ? 'ES256' : 'EdDSA';
    test(`${kind}: JWK, SPKI PEM, KeyObject, CryptoKey`, async () => {
      const pair = testKeyPair(kind);
      await rejectsSign(pair.publicJWK, alg, 'ERR_KEY_PRIVATE_REQUIRED');
      await rejectsSign(await importPEM(pair.spki), alg, 'ERR_KEY_PRIVATE_REQUIRED');
      await rejectsSign(pair.publicKeyObject, alg, web ? 'ERR_KEY_INVALID' : 'ERR_KEY_PRIVATE_REQUIRED');
      await rejectsSign((await cryptoKeyPair(kind)).publicKey, alg, 'ERR_KEY_PRIVATE_REQUIRED');
    });
  }

  test('a certificate holds a public key only', async () => {
    await rejectsSign(await importPEM(fixture('ec-p256.cert.pem')), 'ES256', 'ERR_KEY_PRIVATE_REQUIRED');
  });
});
