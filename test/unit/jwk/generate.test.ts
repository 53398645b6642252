/** generateKey for every JWS algorithm: type, curve and size, binding, RFC 7638 kid, and a working key. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { platform } from '#platform';
import { JWS_ALGORITHMS } from '../../../src/jwa/registry.ts';
import { exportJWK } from '../../../src/jwk/export.ts';
import { generateKey } from '../../../src/jwk/generate.ts';
import { verifyJWS, signJWS } from '../../../src/jws/compact.ts';

/** What each algorithm must generate (RFC 7518 §3, RFC 8812 §3, RFC 8037 §3, RFC 9864 §2). */
const EXPECTED: Record<string, { kty: string; crv?: string; bits: number }> = {
  HS256: { kty: 'oct', bits: 256 },
  HS384: { kty: 'oct', bits: 384 },
  HS512: { kty: 'oct', bits: 512 },
  RS256: { kty: 'RSA', bits: 2048 },
  RS384: { kty: 'RSA', bits: 2048 },
  RS512: { kty: 'RSA', bits: 2048 },
  PS256: { kty: 'RSA', bits: 2048 },
  PS384: { kty: 'RSA', bits: 2048 },
  PS512: { kty: 'RSA', bits: 2048 },
  ES256: { kty: 'EC', crv: 'P-256', bits: 256 },
  ES384: { kty: 'EC', crv: 'P-384', bits: 384 },
  ES512: { kty: 'EC', crv: 'P-521', bits: 521 },
  ES256K: { kty: 'EC', crv: 'secp256k1', bits: 256 },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', bits: 256 },
  Ed25519: { kty: 'OKP', crv: 'Ed25519', bits: 256 },
  Ed448: { kty: 'OKP', crv: 'Ed448', bits: 448 },
};

/** RFC 7638 §3.2 members per kty; the thumbprint is computed here independently of tessera. */
const REQUIRED: Record<string, string[]> = { EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'], RSA: ['e', 'kty', 'n'], oct: ['k', 'kty'] };
function independentThumbprint(jwk: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.fromEntries((REQUIRED[jwk.kty as string] as string[]).map((m) => [m, jwk[m]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

test('every registered JWS algorithm is covered here', () => {
  assert.deepEqual([...JWS_ALGORITHMS].sort(), Object.keys(EXPECTED).sort());
});

describe('generateKey', () => {
  for (const [alg, want] of Object.entries(EXPECTED)) {
    if (alg === 'ES256K' && platform.name === 'web') {
      test('ES256K on web: ERR_PLATFORM_UNSUPPORTED (WebCrypto has no secp256k1)', async () => {
        await assert.rejects(generateKey('ES256K'), { code: 'ERR_PLATFORM_UNSUPPORTED' });
      });
      continue;
    }
    test(`${alg}: ${want.kty}${want.crv ? ` ${want.crv}` : ''} ${want.bits} bits, bound, kid = RFC 7638 thumbprint`, async () => {
      const key = await generateKey(alg);
      assert.equal(key.family, want.kty);
      assert.equal(key.crv, want.crv);
      assert.equal(key.bits, want.bits);
      assert.equal(key.kind, want.kty === 'oct' ? 'secret' : 'private');
      assert.equal(key.alg, alg);
      assert.equal(key.use, 'sig');

      const full = exportJWK(key);
      assert.equal(full.kty, want.kty);
      assert.equal(full.crv, want.crv);
      assert.equal(key.kid, independentThumbprint(full));
      assert.equal(full.kid, key.kid);

      // The key works: sign, then verify with what a verifier would be given.
      const verifier = want.kty === 'oct' ? full : exportJWK(key, { public: true });
      if (want.kty !== 'oct') {
        assert.equal(verifier.d, undefined);
        assert.equal(verifier.kid, key.kid);
        assert.equal(verifier.alg, alg);
      }
      const token = await signJWS('generated', key, { protectedHeader: { kid: key.kid as string } });
      const { protectedHeader } = await verifyJWS(token, verifier);
      assert.equal(protectedHeader.alg, alg);
    });
  }

  test('two generated keys differ', async () => {
    const [a, b] = await Promise.all([generateKey('ES256'), generateKey('ES256')]);
    assert.notEqual(a.kid, b.kid);
  });

  test('a given kid replaces the thumbprint', async () => {
    const key = await generateKey('EdDSA', { kid: 'mine' });
    assert.equal(key.kid, 'mine');
  });

  test('RSA modulusLength 3072', async () => {
    const key = await generateKey('PS256', { modulusLength: 3072 });
    assert.equal(key.bits, 3072);
  });

  for (const modulusLength of [1024, 2047, 2056.5, 32768]) {
    test(`RSA modulusLength ${modulusLength}: ERR_INVALID_ARGUMENT`, async () => {
      await assert.rejects(generateKey('RS256', { modulusLength }), { code: 'ERR_INVALID_ARGUMENT' });
    });
  }

  test('alg none: ERR_ALG_NONE', async () => {
    await assert.rejects(generateKey('none'), { code: 'ERR_ALG_NONE' });
  });

  // JWE algorithms are generated too: test/unit/jwa/jwe-generate.test.ts.
  for (const alg of ['RSA1_5', 'A128KW+', 'HS1', 'hs256', '']) {
    test(`not an algorithm tessera implements (${JSON.stringify(alg)}): ERR_ALG_UNSUPPORTED`, async () => {
      await assert.rejects(generateKey(alg), { code: 'ERR_ALG_UNSUPPORTED' });
    });
  }
});
