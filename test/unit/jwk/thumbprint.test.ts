/** RFC 7638 thumbprints (SHA-256/384/512) and RFC 9278 thumbprint URIs. Vectors: test/vectors/jwk.test.ts. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { platform } from '#platform';
import type { JWK } from '../../../src/jwa/types.ts';
import { importJWK, importPEM } from '../../../src/jwk/import.ts';
import {
  calculateThumbprint,
  calculateThumbprintSync,
  calculateThumbprintURI,
  thumbprintInput,
  type ThumbprintHash,
} from '../../../src/jwk/thumbprint.ts';
import { testKeyPair } from '../../helpers/keys.ts';

const HASHES: ReadonlyArray<[ThumbprintHash, string, string]> = [
  ['sha256', 'sha256', 'sha-256'],
  ['sha384', 'sha384', 'sha-384'],
  ['sha512', 'sha512', 'sha-512'],
];

describe('thumbprintInput (RFC 7638 §3.2)', () => {
  test('EC: crv, kty, x, y in that order; metadata and d left out', () => {
    const jwk = { ...testKeyPair('P-256').privateJWK, kid: 'k', alg: 'ES256', use: 'sig' };
    assert.equal(thumbprintInput(jwk), `{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`);
  });

  test('RSA: e, kty, n', () => {
    const jwk = testKeyPair('RSA-2048').privateJWK;
    assert.equal(thumbprintInput(jwk), `{"e":"${jwk.e}","kty":"RSA","n":"${jwk.n}"}`);
  });

  test('OKP: crv, kty, x', () => {
    const jwk = testKeyPair('Ed448').privateJWK;
    assert.equal(thumbprintInput(jwk), `{"crv":"Ed448","kty":"OKP","x":"${jwk.x}"}`);
  });

  test('oct: k, kty', () => {
    assert.equal(thumbprintInput({ kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA', alg: 'A128KW' }), '{"k":"AAAAAAAAAAAAAAAAAAAAAA","kty":"oct"}');
  });

  test('from an imported key (PEM) as from its JWK', async () => {
    const pair = testKeyPair('P-384');
    assert.equal(thumbprintInput(await importPEM(pair.spki)), thumbprintInput(pair.publicJWK));
  });

  test('a malformed JWK: ERR_JWK_INVALID', () => {
    assert.throws(() => thumbprintInput({ kty: 'EC', crv: 'P-256', x: 'AAAA' } as JWK), { code: 'ERR_JWK_INVALID' });
    assert.throws(() => thumbprintInput({ kty: 'XYZ' } as JWK), { code: 'ERR_JWK_INVALID' });
  });
});

describe('calculateThumbprint', () => {
  const jwk = testKeyPair('P-256').publicJWK;

  for (const [hash, nodeHash] of HASHES) {
    test(`${hash}: the hash of the canonical JSON, base64url`, async () => {
      const expected = createHash(nodeHash).update(thumbprintInput(jwk)).digest('base64url');
      assert.equal(await calculateThumbprint(jwk, hash), expected);
      assert.equal(await calculateThumbprint(await importJWK(jwk), hash), expected);
    });
  }

  test('default hash is SHA-256', async () => {
    assert.equal(await calculateThumbprint(jwk), await calculateThumbprint(jwk, 'sha256'));
  });

  test('public and private key, and metadata, give the same thumbprint', async () => {
    const pair = testKeyPair('Ed25519');
    const tp = await calculateThumbprint(pair.publicJWK);
    assert.equal(await calculateThumbprint(pair.privateJWK), tp);
    assert.equal(await calculateThumbprint({ ...pair.publicJWK, kid: 'other', use: 'sig' }), tp);
  });

  test('different keys give different thumbprints', async () => {
    assert.notEqual(await calculateThumbprint(testKeyPair('P-256').publicJWK), await calculateThumbprint(testKeyPair('P-384').publicJWK));
  });

  for (const bad of ['sha1', 'SHA-256', 'md5', 'sha-256']) {
    test(`an unsupported hash (${bad}): ERR_INVALID_ARGUMENT`, async () => {
      await assert.rejects(calculateThumbprint(jwk, bad as ThumbprintHash), { code: 'ERR_INVALID_ARGUMENT' });
      await assert.rejects(calculateThumbprintURI(jwk, bad as ThumbprintHash), { code: 'ERR_INVALID_ARGUMENT' });
    });
  }

  test('calculateThumbprintSync: same on node, ERR_SYNC_UNSUPPORTED on web', async () => {
    if (platform.syncSupported) {
      for (const [hash] of HASHES) assert.equal(calculateThumbprintSync(jwk, hash), await calculateThumbprint(jwk, hash));
    } else {
      assert.throws(() => calculateThumbprintSync(jwk), { code: 'ERR_SYNC_UNSUPPORTED' });
    }
  });
});

describe('calculateThumbprintURI (RFC 9278 §3)', () => {
  const jwk = testKeyPair('RSA-2048').publicJWK;
  for (const [hash, , ianaName] of HASHES) {
    test(`${hash}: urn:ietf:params:oauth:jwk-thumbprint:${ianaName}:<thumbprint>`, async () => {
      assert.equal(
        await calculateThumbprintURI(jwk, hash),
        `urn:ietf:params:oauth:jwk-thumbprint:${ianaName}:${await calculateThumbprint(jwk, hash)}`,
      );
    });
  }
});
