/**
 * JWK conformance vectors: RFC 7638 §3.1 and RFC 8037 A.3 thumbprints (with the RFC 9278 URI),
 * RFC 7517 A.1/A.2/A.3 key sets and the B `x5c` example, RFC 7520 §3 keys.
 * Sources: test/vectors/data/README.md.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import type { JWK } from '../../src/jwa/types.ts';
import { exportJWK } from '../../src/jwk/export.ts';
import { importJWK, importPEM } from '../../src/jwk/import.ts';
import { createLocalJWKSet } from '../../src/jwk/jwks.ts';
import {
  calculateThumbprint,
  calculateThumbprintSync,
  calculateThumbprintURI,
  thumbprintInput,
} from '../../src/jwk/thumbprint.ts';
import { signJWS, verifyJWS } from '../../src/jws/compact.ts';
import { loadVector, type AppendixJWS } from '../helpers/vectors.ts';

interface JWKSVector {
  readonly source: string;
  readonly jwks: { keys: JWK[] };
}

const rfc7638 = loadVector<{ jwk: JWK; canonical_json: string; thumbprint_bytes: number[]; thumbprint_b64u: string }>(
  'rfc-appendix/rfc7638_3.1.json',
);
const rfc8037 = loadVector<{
  private_jwk: JWK;
  public_jwk: JWK;
  thumbprint_canonical_json: string;
  thumbprint_sha256_hex: string;
  thumbprint_b64u: string;
}>('rfc-appendix/rfc8037_A.1-A.5_ed25519.json');

describe('RFC 7638 §3.1 thumbprint', () => {
  test('canonical JSON: required members only, sorted, no whitespace', () => {
    assert.equal(thumbprintInput(rfc7638.jwk), rfc7638.canonical_json);
  });

  test('SHA-256 thumbprint matches, as base64url and as bytes', async () => {
    const tp = await calculateThumbprint(rfc7638.jwk);
    assert.equal(tp, rfc7638.thumbprint_b64u);
    assert.deepEqual([...Buffer.from(tp, 'base64url')], rfc7638.thumbprint_bytes);
  });

  test('the same thumbprint from an imported key', async () => {
    assert.equal(await calculateThumbprint(await importJWK(rfc7638.jwk)), rfc7638.thumbprint_b64u);
  });

  test('RFC 9278 §3 URI of the RFC 7638 example key', async () => {
    assert.equal(
      await calculateThumbprintURI(rfc7638.jwk),
      'urn:ietf:params:oauth:jwk-thumbprint:sha-256:NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
    );
  });

  test('calculateThumbprintSync: same on node, ERR_SYNC_UNSUPPORTED on web', () => {
    if (platform.syncSupported) assert.equal(calculateThumbprintSync(rfc7638.jwk), rfc7638.thumbprint_b64u);
    else assert.throws(() => calculateThumbprintSync(rfc7638.jwk), { code: 'ERR_SYNC_UNSUPPORTED' });
  });
});

describe('RFC 8037 A.3 Ed25519 thumbprint', () => {
  test('canonical JSON and SHA-256 thumbprint of the public key', async () => {
    assert.equal(thumbprintInput(rfc8037.public_jwk), rfc8037.thumbprint_canonical_json);
    const tp = await calculateThumbprint(rfc8037.public_jwk);
    assert.equal(tp, rfc8037.thumbprint_b64u);
    assert.equal(Buffer.from(tp, 'base64url').toString('hex'), rfc8037.thumbprint_sha256_hex);
  });

  test('the private key has the same thumbprint (RFC 7638 §3.2.1: private members excluded)', async () => {
    assert.equal(thumbprintInput(rfc8037.private_jwk), rfc8037.thumbprint_canonical_json);
    assert.equal(await calculateThumbprint(rfc8037.private_jwk), rfc8037.thumbprint_b64u);
  });

  test('RFC 8037 A.1/A.2: the private key derives the public key', async () => {
    const key = await importJWK(rfc8037.private_jwk);
    assert.deepEqual(exportJWK(key, { public: true }), rfc8037.public_jwk);
  });
});

describe('RFC 7517 A.1: public key set', () => {
  const v = loadVector<JWKSVector>('rfc-appendix/rfc7517_A.1.json');

  test('loads without allowPrivate; both keys usable, none ignored', () => {
    const set = createLocalJWKSet(v.jwks);
    assert.equal(set.entries.length, 2);
    assert.equal(set.ignored, 0);
    assert.deepEqual(set.toJSON(), v.jwks);
  });

  test('the EC key: kid "1", P-256, use enc', async () => {
    const set = createLocalJWKSet(v.jwks);
    const key = await set.getKey({ kid: '1' });
    assert.equal(key.family, 'EC');
    assert.equal(key.crv, 'P-256');
    assert.equal(key.use, 'enc');
    assert.equal(key.kind, 'public');
  });

  test('the RSA key: kid "2011-04-29", alg RS256, 2048 bits', async () => {
    const set = createLocalJWKSet(v.jwks);
    const key = await set.getKey({ kid: '2011-04-29' });
    assert.equal(key.family, 'RSA');
    assert.equal(key.alg, 'RS256');
    // RFC 7518 §3.3 minimum: this key is exactly 2048 bits, so it is accepted.
    assert.equal(key.bits, 2048);
  });

  test('it is also the RFC 7638 example key', () => {
    const rsa = v.jwks.keys[1] as JWK;
    assert.equal(thumbprintInput(rsa), rfc7638.canonical_json);
  });
});

describe('RFC 7517 A.2: private key set', () => {
  const v = loadVector<JWKSVector>('rfc-appendix/rfc7517_A.2.json');
  const pub = loadVector<JWKSVector>('rfc-appendix/rfc7517_A.1.json');

  test('without allowPrivate: ERR_JWKS_PRIVATE_MEMBER', () => {
    assert.throws(() => createLocalJWKSet(v.jwks), { code: 'ERR_JWKS_PRIVATE_MEMBER' });
  });

  test('with allowPrivate: both keys load, and toJSON publishes only A.1', () => {
    const set = createLocalJWKSet(v.jwks, { allowPrivate: true });
    assert.equal(set.entries.length, 2);
    assert.equal(set.ignored, 0);
    assert.deepEqual(set.toJSON(), pub.jwks);
  });

  test('the private keys derive the public keys of A.1', async () => {
    const set = createLocalJWKSet(v.jwks, { allowPrivate: true });
    for (const [i, kid] of [[0, '1'], [1, '2011-04-29']] as const) {
      const key = await set.getKey({ kid });
      assert.equal(key.kind, 'private');
      assert.deepEqual(exportJWK(key, { public: true }), pub.jwks.keys[i]);
    }
  });

  test('the RSA private key is 2048 bits', async () => {
    const set = createLocalJWKSet(v.jwks, { allowPrivate: true });
    assert.equal((await set.getKey({ kid: '2011-04-29' })).bits, 2048);
  });
});

describe('RFC 7517 A.3: symmetric key set', () => {
  const v = loadVector<JWKSVector>('rfc-appendix/rfc7517_A.3.json');
  const a1 = loadVector<AppendixJWS>('rfc-appendix/rfc7515_A.1.json');

  test('without allowPrivate: ERR_JWKS_PRIVATE_MEMBER ("k" is private)', () => {
    assert.throws(() => createLocalJWKSet(v.jwks), { code: 'ERR_JWKS_PRIVATE_MEMBER' });
  });

  test('with allowPrivate: both keys load; toJSON leaks no "k"', () => {
    const set = createLocalJWKSet(v.jwks, { allowPrivate: true });
    assert.equal(set.entries.length, 2);
    for (const k of set.toJSON().keys) assert.equal(k.k, undefined);
  });

  test('the A128KW key is 128 bits; the HMAC key is the RFC 7515 A.1 key', async () => {
    const set = createLocalJWKSet(v.jwks, { allowPrivate: true });
    const [aesKW] = set.select({ alg: 'A128KW', kty: 'oct' }).filter((e) => e.jwk.alg === 'A128KW');
    assert.equal(aesKW?.bits, 128);
    const hmac = await set.getKey({ kid: 'HMACkeyusedinJWSspecAppendixA.1example' });
    assert.equal(hmac.bits, 512);
    assert.equal(hmac.imported.jwk.k, a1.jwk?.k);
  });

  test('the set verifies the RFC 7515 A.1 token: the A128KW key is never tried for HS256', async () => {
    const set = createLocalJWKSet(v.jwks, { allowPrivate: true });
    const { key } = await verifyJWS(a1.compact, set);
    assert.equal(key.kid, 'HMACkeyusedinJWSspecAppendixA.1example');
  });
});

describe('RFC 7517 B: x5c certificate', () => {
  const v = loadVector<{ jwk: JWK & { x5c: string[] } }>('rfc-appendix/rfc7517_B.json');
  const der = v.jwk.x5c[0] as string;
  const pem = `-----BEGIN CERTIFICATE-----\n${(der.match(/.{1,64}/g) as string[]).join('\n')}\n-----END CERTIFICATE-----\n`;

  test('the JWK with x5c loads as a public key set member', async () => {
    const set = createLocalJWKSet({ keys: [v.jwk] });
    const key = await set.getKey({ kid: '1b94c' });
    assert.equal(key.bits, 2048);
    assert.equal(key.use, 'sig');
  });

  test('importPEM of the certificate gives the same n and e', async () => {
    const key = await importPEM(pem);
    assert.equal(key.family, 'RSA');
    assert.equal(key.kind, 'public');
    assert.equal(key.bits, 2048);
    const jwk = exportJWK(key);
    assert.equal(jwk.n, v.jwk.n);
    assert.equal(jwk.e, v.jwk.e);
  });
});

describe('RFC 7520 §3 keys', () => {
  const files = {
    ecPublic: '3_1.ec_public_key.json',
    ecPrivate: '3_2.ec_private_key.json',
    rsaPublic: '3_3.rsa_public_key.json',
    rsaPrivate: '3_4.rsa_private_key.json',
    mac: '3_5.symmetric_key_mac_computation.json',
    enc: '3_6.symmetric_key_encryption.json',
  } as const;
  const load = (name: keyof typeof files) => loadVector<JWK>(`rfc7520/jwk/${files[name]}`);

  test('§3.1/3.2: P-521 private key derives the public key', async () => {
    const key = await importJWK(load('ecPrivate'));
    assert.equal(key.crv, 'P-521');
    assert.deepEqual(exportJWK(key, { public: true }), load('ecPublic'));
  });

  test('§3.3/3.4: RSA private key derives the public key; 2048 bits', async () => {
    const key = await importJWK(load('rsaPrivate'));
    assert.equal(key.bits, 2048);
    assert.deepEqual(exportJWK(key, { public: true }), load('rsaPublic'));
    assert.deepEqual(exportJWK(key), load('rsaPrivate'));
  });

  test('§3.5: the HS256 MAC key is 256 bits and bound to HS256', async () => {
    const key = await importJWK(load('mac'));
    assert.equal(key.bits, 256);
    assert.equal(key.alg, 'HS256');
  });

  test('§3.6: the A256GCM key is refused for JWS signing (ERR_KEY_USAGE)', async () => {
    await assert.rejects(signJWS('x', load('enc'), { alg: 'HS256' }), { code: 'ERR_KEY_USAGE' });
  });
});
