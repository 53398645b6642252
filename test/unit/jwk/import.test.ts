/** Key import: JWK, PEM (SPKI, PKCS#8, X.509), secret bytes, KeyObject, CryptoKey; the caches. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import { TesseraKey } from '../../../src/jwa/key.ts';
import type { JWK } from '../../../src/jwa/types.ts';
import { exportJWK } from '../../../src/jwk/export.ts';
import {
  importJWK,
  importJWKSync,
  importKey,
  importKeySync,
  importPEM,
  importPEMSync,
  importSecret,
  importSecretSync,
} from '../../../src/jwk/import.ts';
import { cryptoKeyPair, fixture, testKeyPair, type TestKeyKind } from '../../helpers/keys.ts';

const web = platform.name === 'web';

/** What each kind imports as. */
const KINDS: ReadonlyArray<{ kind: TestKeyKind; family: string; crv: string | undefined; bits: number }> = [
  { kind: 'RSA-2048', family: 'RSA', crv: undefined, bits: 2048 },
  { kind: 'P-256', family: 'EC', crv: 'P-256', bits: 256 },
  { kind: 'P-384', family: 'EC', crv: 'P-384', bits: 384 },
  { kind: 'P-521', family: 'EC', crv: 'P-521', bits: 521 },
  { kind: 'Ed25519', family: 'OKP', crv: 'Ed25519', bits: 256 },
  { kind: 'Ed448', family: 'OKP', crv: 'Ed448', bits: 448 },
];

function assertFacts(key: TesseraKey, expected: (typeof KINDS)[number], kind: 'public' | 'private'): void {
  assert.ok(key instanceof TesseraKey);
  assert.equal(key.family, expected.family);
  assert.equal(key.crv, expected.crv);
  assert.equal(key.bits, expected.bits);
  assert.equal(key.kind, kind);
}

describe('importJWK', () => {
  for (const k of KINDS) {
    test(`${k.kind}: public and private JWKs`, async () => {
      const pair = testKeyPair(k.kind);
      assertFacts(await importJWK(pair.publicJWK), k, 'public');
      assertFacts(await importJWK(pair.privateJWK), k, 'private');
    });
  }

  test('oct: a secret of 64 bytes is 512 bits', async () => {
    const key = await importJWK({ kty: 'oct', k: Buffer.alloc(64, 7).toString('base64url') });
    assert.equal(key.family, 'oct');
    assert.equal(key.kind, 'secret');
    assert.equal(key.bits, 512);
  });

  test('secp256k1: imported on node, ERR_PLATFORM_UNSUPPORTED on web (not in WebCrypto)', async () => {
    const pair = testKeyPair('secp256k1');
    if (web) {
      await assert.rejects(importJWK(pair.publicJWK), { code: 'ERR_PLATFORM_UNSUPPORTED' });
    } else {
      const key = await importJWK(pair.publicJWK);
      assert.equal(key.crv, 'secp256k1');
    }
  });

  test('metadata: kid, alg, use, key_ops are bound from the JWK', async () => {
    const jwk: JWK = { ...testKeyPair('P-256').publicJWK, kid: 'k1', alg: 'ES256', use: 'sig', key_ops: ['verify'] };
    const key = await importJWK(jwk);
    assert.equal(key.kid, 'k1');
    assert.equal(key.alg, 'ES256');
    assert.equal(key.use, 'sig');
    assert.deepEqual(key.keyOps, ['verify']);
  });

  test('options bind alg, kid, use over the JWK', async () => {
    const key = await importJWK(testKeyPair('P-256').publicJWK, { alg: 'ES256', kid: 'x', use: 'sig' });
    assert.equal(key.alg, 'ES256');
    assert.equal(key.kid, 'x');
    assert.equal(key.use, 'sig');
  });

  test('an options alg that disagrees with the JWK alg: ERR_KEY_USAGE', async () => {
    const jwk: JWK = { ...testKeyPair('RSA-2048').publicJWK, alg: 'RS256' };
    await assert.rejects(importJWK(jwk, { alg: 'PS256' }), { code: 'ERR_KEY_USAGE' });
  });

  test('a key is immutable', async () => {
    const key = await importJWK(testKeyPair('P-256').publicJWK);
    assert.ok(Object.isFrozen(key));
    assert.throws(() => {
      (key as { alg: string | undefined }).alg = 'HS256';
    }, TypeError);
  });

  test('importJWKSync: same facts on node, ERR_SYNC_UNSUPPORTED on web', () => {
    const pair = testKeyPair('P-384');
    // A fresh object: the caches must not answer for it.
    const jwk = { ...pair.publicJWK, kid: 'sync-only' };
    if (platform.syncSupported) assertFacts(importJWKSync(jwk), KINDS[2] as (typeof KINDS)[number], 'public');
    else assert.throws(() => importJWKSync(jwk), { code: 'ERR_SYNC_UNSUPPORTED' });
  });

  test('importJWKSync of a key already in the cache: still ERR_SYNC_UNSUPPORTED on web', async () => {
    const jwk = { ...testKeyPair('P-384').publicJWK, kid: 'sync-cached' };
    const key = await importJWK(jwk);
    if (platform.syncSupported) assert.equal(importJWKSync(jwk), key);
    else assert.throws(() => importJWKSync(jwk), { code: 'ERR_SYNC_UNSUPPORTED' });
  });
});

describe('importJWK cache', () => {
  test('the same object twice gives the same TesseraKey instance', async () => {
    const jwk = { ...testKeyPair('P-256').publicJWK, kid: 'cache-identity' };
    assert.equal(await importJWK(jwk), await importJWK(jwk));
  });

  test('an equal-content copy gives the same instance', async () => {
    const jwk = { ...testKeyPair('Ed25519').publicJWK, kid: 'cache-content' };
    const first = await importJWK(jwk);
    assert.equal(await importJWK(JSON.parse(JSON.stringify(jwk)) as JWK), first);
  });

  test('a different binding (kid, alg) is a different instance', async () => {
    const base = testKeyPair('P-256').publicJWK;
    const a = await importJWK({ ...base, kid: 'cache-a' });
    const b = await importJWK({ ...base, kid: 'cache-b' });
    const c = await importJWK({ ...base, kid: 'cache-a', alg: 'ES256' });
    assert.notEqual(a, b);
    assert.notEqual(a, c);
    assert.equal(b.kid, 'cache-b');
    assert.equal(c.alg, 'ES256');
  });

  test('a malformed copy of a cached key is still refused (ERR_JWK_INVALID)', async () => {
    const jwk = { ...testKeyPair('P-256').publicJWK, kid: 'cache-malformed' };
    await importJWK(jwk);
    await assert.rejects(importJWK({ ...jwk, ext: 'yes' as never }), { code: 'ERR_JWK_INVALID' });
    await assert.rejects(importJWK({ ...jwk, key_ops: 'verify' as never }), { code: 'ERR_JWK_INVALID' });
    const rsa = testKeyPair('RSA-2048').privateJWK;
    await importJWK(rsa);
    await assert.rejects(importJWK({ ...rsa, oth: [] }), { code: 'ERR_JWK_INVALID' });
  });

  test('bindings with "|" in them never collide in the content cache', async () => {
    const base = testKeyPair('P-256').publicJWK;
    const a = await importJWK({ ...base, alg: 'ES256', kid: 'k|' });
    const b = await importJWK({ ...base, alg: 'ES256|k', kid: '' });
    assert.notEqual(a, b);
    assert.equal(b.alg, 'ES256|k');
    assert.equal(b.kid, '');
  });

  test('import options bypass the cache (a binding is never shared)', async () => {
    const jwk = { ...testKeyPair('P-256').publicJWK, kid: 'cache-options' };
    const plain = await importJWK(jwk);
    const bound = await importJWK(jwk, { alg: 'ES256' });
    assert.notEqual(plain, bound);
    assert.equal(plain.alg, undefined);
    assert.equal((await importJWK(jwk)).alg, undefined);
  });

  test('importKey with a KeyObject (node) or CryptoKey caches by identity', async () => {
    const { publicKey } = await cryptoKeyPair('P-256');
    assert.equal(await importKey(publicKey), await importKey(publicKey));
    if (!web) {
      const ko = testKeyPair('P-256').publicKeyObject;
      assert.equal(await importKey(ko), await importKey(ko));
    }
  });
});

describe('importPEM', () => {
  for (const k of KINDS) {
    test(`${k.kind}: SPKI and PKCS#8`, async () => {
      const pair = testKeyPair(k.kind);
      const pub = await importPEM(pair.spki);
      assertFacts(pub, k, 'public');
      assert.deepEqual(exportJWK(pub), pair.publicJWK);
      const priv = await importPEM(pair.pkcs8);
      assertFacts(priv, k, 'private');
      assert.deepEqual(exportJWK(priv, { public: true }), pair.publicJWK);
    });
  }

  test('PEM with CRLF line endings and surrounding whitespace', async () => {
    const pem = `\n  ${testKeyPair('P-256').spki.replace(/\n/g, '\r\n')}  \n`;
    assert.equal((await importPEM(pem)).crv, 'P-256');
  });

  test('X.509 certificate (EC P-256, openssl fixture): the public key of the matching private key', async () => {
    const cert = await importPEM(fixture('ec-p256.cert.pem'));
    const priv = await importPEM(fixture('ec-p256.key.pem'));
    assert.equal(cert.kind, 'public');
    assert.equal(cert.crv, 'P-256');
    assert.deepEqual(exportJWK(cert), exportJWK(priv, { public: true }));
  });

  test('X.509 certificate (Ed25519, openssl fixture)', async () => {
    const cert = await importPEM(fixture('ed25519.cert.pem'));
    const priv = await importPEM(fixture('ed25519.key.pem'));
    assert.equal(cert.crv, 'Ed25519');
    assert.deepEqual(exportJWK(cert), exportJWK(priv, { public: true }));
  });

  test('options bind the algorithm', async () => {
    const key = await importPEM(testKeyPair('RSA-2048').spki, { alg: 'PS256', kid: 'rsa' });
    assert.equal(key.alg, 'PS256');
    assert.equal(key.kid, 'rsa');
  });

  test('importPEMSync: same on node, ERR_SYNC_UNSUPPORTED on web', () => {
    const pem = testKeyPair('P-256').spki;
    if (platform.syncSupported) assert.equal(importPEMSync(pem).crv, 'P-256');
    else assert.throws(() => importPEMSync(pem), { code: 'ERR_SYNC_UNSUPPORTED' });
  });

  describe('rejects', () => {
    const spki = () => testKeyPair('P-256').spki;
    for (const [name, pem, code] of [
      ['PKCS#1 "RSA PUBLIC KEY"', () => testKeyPair('RSA-2048').publicKeyObject.export({ format: 'pem', type: 'pkcs1' }) as string, 'ERR_KEY_INVALID'],
      ['SEC1 "EC PRIVATE KEY"', () => testKeyPair('P-256').privateKeyObject.export({ format: 'pem', type: 'sec1' }) as string, 'ERR_KEY_INVALID'],
      ['mismatched BEGIN/END labels', () => spki().replace('END PUBLIC KEY', 'END PRIVATE KEY'), 'ERR_KEY_INVALID'],
      ['no PEM armour', () => spki().replace(/-----[A-Z ]+-----/g, ''), 'ERR_KEY_INVALID'],
      ['text before the PEM', () => `junk\n${spki()}`, 'ERR_KEY_INVALID'],
      ['base64 with a bad character', () => spki().replace(/\n(.)/, '\n*'), 'ERR_KEY_INVALID'],
      ['a truncated DER body', () => spki().replace(/\n[^\n]+\n-----END/, '\n-----END'), 'ERR_KEY_INVALID'],
      ['a private key labelled PUBLIC KEY', () => testKeyPair('P-256').pkcs8.replace(/PRIVATE/g, 'PUBLIC'), 'ERR_KEY_INVALID'],
      ['an empty body', () => '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n', 'ERR_KEY_EMPTY'],
      ['the empty string', () => '', 'ERR_KEY_INVALID'],
    ] as const) {
      test(`${name}: ${code}`, async () => {
        await assert.rejects(importPEM(pem()), { code });
      });
    }

    test('a non-string: ERR_INVALID_ARGUMENT', async () => {
      await assert.rejects(importPEM(Buffer.from(spki()) as unknown as string), { code: 'ERR_INVALID_ARGUMENT' });
    });
  });
});

describe('importSecret', () => {
  test('raw bytes become an oct key of that many bits', async () => {
    const key = await importSecret(new Uint8Array(48).fill(1));
    assert.equal(key.family, 'oct');
    assert.equal(key.kind, 'secret');
    assert.equal(key.bits, 384);
    assert.equal(exportJWK(key).k, Buffer.alloc(48, 1).toString('base64url'));
  });

  test('random binary bytes that are not UTF-8 are accepted', async () => {
    const bytes = new Uint8Array(32).map((_, i) => 0x80 + i);
    assert.equal((await importSecret(bytes)).bits, 256);
  });

  test('importSecretSync: same on node, ERR_SYNC_UNSUPPORTED on web', () => {
    const bytes = new Uint8Array(32).fill(2);
    if (platform.syncSupported) assert.equal(importSecretSync(bytes).bits, 256);
    else assert.throws(() => importSecretSync(bytes), { code: 'ERR_SYNC_UNSUPPORTED' });
  });

  test('a non-Uint8Array: ERR_INVALID_ARGUMENT', async () => {
    await assert.rejects(importSecret('secret' as unknown as Uint8Array), { code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('importKey: native key objects', () => {
  for (const k of KINDS) {
    test(`${k.kind} KeyObject: imported on node, ERR_KEY_INVALID on web`, async () => {
      const pair = testKeyPair(k.kind);
      if (web) {
        await assert.rejects(importKey(pair.publicKeyObject), { code: 'ERR_KEY_INVALID' });
        return;
      }
      assertFacts(await importKey(pair.publicKeyObject), k, 'public');
      assertFacts(await importKey(pair.privateKeyObject), k, 'private');
      assert.deepEqual(exportJWK(await importKey(pair.publicKeyObject)), pair.publicJWK);
    });
  }

  test('a secret KeyObject: oct on node, ERR_KEY_INVALID on web', async () => {
    const { createSecretKey } = await import('node:crypto');
    const ko = createSecretKey(Buffer.alloc(32, 3));
    if (web) await assert.rejects(importKey(ko), { code: 'ERR_KEY_INVALID' });
    else assert.equal((await importKey(ko)).bits, 256);
  });

  for (const k of KINDS) {
    test(`${k.kind} CryptoKey (extractable)`, async () => {
      const { publicKey, privateKey } = await cryptoKeyPair(k.kind);
      assertFacts(await importKey(publicKey), k, 'public');
      assertFacts(await importKey(privateKey), k, 'private');
      assert.deepEqual(exportJWK(await importKey(publicKey)), testKeyPair(k.kind).publicJWK);
    });
  }

  test('a non-extractable private CryptoKey is still a private key', async () => {
    const { privateKey } = await cryptoKeyPair('P-256', false);
    const key = await importKey(privateKey);
    assert.equal(key.kind, 'private');
    assert.equal(key.crv, 'P-256');
  });

  test('an HMAC CryptoKey', async () => {
    const ck = await crypto.subtle.importKey('raw', new Uint8Array(32).fill(9), { name: 'HMAC', hash: 'SHA-256' }, true, [
      'sign',
      'verify',
    ]);
    const key = await importKey(ck);
    assert.equal(key.family, 'oct');
    assert.equal(key.bits, 256);
  });

  test('importKey returns a TesseraKey unchanged', async () => {
    const key = await importJWK(testKeyPair('P-256').publicJWK);
    assert.equal(await importKey(key), key);
  });

  test('importKey routes plain objects to importJWK and bytes to importSecret', async () => {
    assert.equal((await importKey(testKeyPair('Ed25519').publicJWK)).crv, 'Ed25519');
    assert.equal((await importKey(new Uint8Array(32).fill(4))).family, 'oct');
  });

  test('importKeySync: KeyObject on node; ERR_SYNC_UNSUPPORTED on web', async () => {
    const { publicKey } = await cryptoKeyPair('Ed25519');
    if (platform.syncSupported) {
      assert.equal(importKeySync(testKeyPair('P-521').publicKeyObject).crv, 'P-521');
      assert.equal(importKeySync(publicKey).crv, 'Ed25519');
    } else {
      assert.throws(() => importKeySync(publicKey), { code: 'ERR_SYNC_UNSUPPORTED' });
      // Even when the CryptoKey was imported (and cached) before.
      await importKey(publicKey);
      assert.throws(() => importKeySync(publicKey), { code: 'ERR_SYNC_UNSUPPORTED' });
    }
  });
});
