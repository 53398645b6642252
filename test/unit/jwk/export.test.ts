/** Key export: JWK (public/private) and PEM (SPKI/PKCS#8), with round trips through import. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { exportJWK, exportPEM } from '../../../src/jwk/export.ts';
import { importJWK, importKey, importPEM, importSecret } from '../../../src/jwk/import.ts';
import { cryptoKeyPair, testKeyPair, type TestKeyKind } from '../../helpers/keys.ts';

const KINDS: readonly TestKeyKind[] = ['RSA-2048', 'P-256', 'P-384', 'P-521', 'Ed25519', 'Ed448'];

describe('exportJWK', () => {
  for (const kind of KINDS) {
    test(`${kind}: private and public JWK round trips`, async () => {
      const pair = testKeyPair(kind);
      const key = await importJWK(pair.privateJWK);
      assert.deepEqual(exportJWK(key), pair.privateJWK);
      assert.deepEqual(exportJWK(key, { public: true }), pair.publicJWK);
      const pub = await importJWK(pair.publicJWK);
      assert.deepEqual(exportJWK(pub), pair.publicJWK);
      assert.deepEqual(exportJWK(pub, { public: true }), pair.publicJWK);
    });
  }

  test('the public JWK carries no private member', async () => {
    const out = exportJWK(await importJWK(testKeyPair('RSA-2048').privateJWK), { public: true });
    for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) assert.equal(out[m], undefined, m);
  });

  test('binding metadata (kid, alg, use, key_ops) is exported', async () => {
    const jwk = { ...testKeyPair('P-256').publicJWK, kid: 'm', alg: 'ES256', use: 'sig', key_ops: ['verify'] };
    assert.deepEqual(exportJWK(await importJWK(jwk)), jwk);
  });

  test('options given at import are exported', async () => {
    const key = await importPEM(testKeyPair('Ed25519').spki, { alg: 'EdDSA', kid: 'ed' });
    assert.deepEqual(exportJWK(key), { ...testKeyPair('Ed25519').publicJWK, kid: 'ed', alg: 'EdDSA' });
  });

  test('a secret key exports its k', async () => {
    const key = await importSecret(new Uint8Array(32).fill(5));
    assert.deepEqual(exportJWK(key), { kty: 'oct', k: Buffer.alloc(32, 5).toString('base64url') });
  });

  test('a secret key has no public part: ERR_INVALID_ARGUMENT', async () => {
    const key = await importSecret(new Uint8Array(32).fill(5));
    assert.throws(() => exportJWK(key, { public: true }), { code: 'ERR_INVALID_ARGUMENT' });
  });

  test('an extractable CryptoKey exports the same JWK', async () => {
    const { privateKey } = await cryptoKeyPair('P-384');
    assert.deepEqual(exportJWK(await importKey(privateKey)), testKeyPair('P-384').privateJWK);
  });
});

describe('exportPEM', () => {
  for (const kind of KINDS) {
    test(`${kind}: SPKI and PKCS#8 round trips`, async () => {
      const pair = testKeyPair(kind);
      const key = await importJWK(pair.privateJWK);

      const spki = await exportPEM(key, { public: true });
      // Byte-identical to what node:crypto itself writes for the same key.
      assert.equal(spki, pair.spki);
      assert.deepEqual(exportJWK(await importPEM(spki)), pair.publicJWK);

      const pkcs8 = await exportPEM(key);
      assert.match(pkcs8, /^-----BEGIN PRIVATE KEY-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END PRIVATE KEY-----\n$/);
      assert.deepEqual(exportJWK(await importPEM(pkcs8)), pair.privateJWK);
    });

    test(`${kind}: a public key exports SPKI with or without { public: true }`, async () => {
      const pair = testKeyPair(kind);
      const pub = await importJWK(pair.publicJWK);
      assert.equal(await exportPEM(pub), pair.spki);
      assert.equal(await exportPEM(pub, { public: true }), pair.spki);
    });
  }

  test('SPKI is the key node:crypto reads back', async () => {
    const pair = testKeyPair('P-256');
    const spki = await exportPEM(await importJWK(pair.privateJWK), { public: true });
    assert.deepEqual(createPublicKey(spki).export({ format: 'jwk' }), pair.publicJWK);
  });

  test('a secret key has no PEM form: ERR_INVALID_ARGUMENT', async () => {
    const key = await importSecret(new Uint8Array(32).fill(5));
    await assert.rejects(exportPEM(key), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(exportPEM(key, { public: true }), { code: 'ERR_INVALID_ARGUMENT' });
  });
});
