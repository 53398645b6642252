/**
 * generateKey for JWE: every key-management algorithm, `enc` names for `dir` keys, and the `crv`
 * option (ECDH-ES over every curve; EdDSA with Ed448). Each generated key is checked for type,
 * size, binding and RFC 7638 kid, then used.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { JWE_ALGORITHMS, JWE_ENCRYPTIONS, jweAlgorithmsForKey, resolveContentEncryption, resolveKeyManagement } from '../../../src/jwa/jwe-registry.ts';
import type { TesseraKey } from '../../../src/jwa/key.ts';
import { exportJWK } from '../../../src/jwk/export.ts';
import { generateKey } from '../../../src/jwk/generate.ts';
import { importJWK } from '../../../src/jwk/import.ts';
import { signJWS, verifyJWS } from '../../../src/jws/compact.ts';
import { LIMITS, toHex } from './jwe-fixtures.ts';

/** RFC 7518 §4: what each algorithm's key must be. */
const EXPECTED: Record<string, { kty: string; crv?: string; bits: number }> = {
  A128KW: { kty: 'oct', bits: 128 },
  A192KW: { kty: 'oct', bits: 192 },
  A256KW: { kty: 'oct', bits: 256 },
  A128GCMKW: { kty: 'oct', bits: 128 },
  A192GCMKW: { kty: 'oct', bits: 192 },
  A256GCMKW: { kty: 'oct', bits: 256 },
  'RSA-OAEP': { kty: 'RSA', bits: 2048 },
  'RSA-OAEP-256': { kty: 'RSA', bits: 2048 },
  'RSA-OAEP-384': { kty: 'RSA', bits: 2048 },
  'RSA-OAEP-512': { kty: 'RSA', bits: 2048 },
  'ECDH-ES': { kty: 'EC', crv: 'P-256', bits: 256 },
  'ECDH-ES+A128KW': { kty: 'EC', crv: 'P-256', bits: 256 },
  'ECDH-ES+A192KW': { kty: 'EC', crv: 'P-256', bits: 256 },
  'ECDH-ES+A256KW': { kty: 'EC', crv: 'P-256', bits: 256 },
  'PBES2-HS256+A128KW': { kty: 'oct', bits: 256 },
  'PBES2-HS384+A192KW': { kty: 'oct', bits: 256 },
  'PBES2-HS512+A256KW': { kty: 'oct', bits: 256 },
};

const REQUIRED: Record<string, string[]> = { EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'], RSA: ['e', 'kty', 'n'], oct: ['k', 'kty'] };
function independentThumbprint(jwk: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.fromEntries((REQUIRED[jwk.kty as string] as string[]).map((m) => [m, jwk[m]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Wraps with what a sender would hold (the public JWK, or the secret), unwraps with the key. */
async function roundTrip(alg: string, key: TesseraKey, encName = 'A256GCM'): Promise<void> {
  const km = resolveKeyManagement(alg);
  const enc = resolveContentEncryption(encName);
  const sender = key.family === 'oct' ? key : await importJWK(exportJWK(key, { public: true }));
  const w = await km.wrap(sender, enc, { p2c: 1000 });
  assert.equal(toHex(await km.unwrap(key, enc, w.encryptedKey, w.parameters, LIMITS)), toHex(w.cek));
}

test('every JWE key-management algorithm but dir is covered here', () => {
  assert.deepEqual([...JWE_ALGORITHMS].filter((a) => a !== 'dir').sort(), Object.keys(EXPECTED).sort());
});

describe('generateKey for each JWE algorithm', () => {
  for (const [alg, want] of Object.entries(EXPECTED)) {
    test(`${alg}: ${want.kty}${want.crv ? ` ${want.crv}` : ''} ${want.bits} bits, bound, use "enc", kid = RFC 7638 thumbprint`, async () => {
      const key = await generateKey(alg);
      assert.equal(key.family, want.kty);
      assert.equal(key.crv, want.crv);
      assert.equal(key.bits, want.bits);
      assert.equal(key.alg, alg);
      assert.equal(key.use, 'enc');
      assert.equal(key.kid, independentThumbprint(exportJWK(key)));
      await roundTrip(alg, key);
    });
  }
});

describe('dir keys: generateKey(enc), or generateKey("dir", { enc })', () => {
  for (const encName of JWE_ENCRYPTIONS) {
    test(`${encName}: a ${resolveContentEncryption(encName).cekLength * 8}-bit secret bound to ${encName}, for dir only`, async () => {
      const key = await generateKey(encName);
      assert.equal(key.family, 'oct');
      assert.equal(key.bits, resolveContentEncryption(encName).cekLength * 8);
      assert.equal(key.alg, encName);
      assert.equal(key.use, 'enc');
      assert.deepEqual(jweAlgorithmsForKey(key), ['dir']);
      await roundTrip('dir', key, encName);
    });
  }

  test('generateKey("dir", { enc: "A256GCM" }) is generateKey("A256GCM")', async () => {
    const key = await generateKey('dir', { enc: 'A256GCM' });
    assert.equal(key.alg, 'A256GCM');
    assert.equal(key.bits, 256);
  });

  test('generateKey("dir") without enc: ERR_INVALID_ARGUMENT; with a non-enc: ERR_ALG_UNSUPPORTED', async () => {
    await assert.rejects(generateKey('dir'), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(generateKey('dir', { enc: 'A128KW' }), { code: 'ERR_ALG_UNSUPPORTED' });
  });
});

describe('the crv option', () => {
  for (const crv of ['P-256', 'P-384', 'P-521', 'X25519', 'X448'] as const) {
    for (const alg of ['ECDH-ES', 'ECDH-ES+A256KW']) {
      test(`${alg} over ${crv}`, async () => {
        const key = await generateKey(alg, { crv });
        assert.equal(key.crv, crv);
        assert.equal(key.family, crv.startsWith('P-') ? 'EC' : 'OKP');
        assert.equal(key.alg, alg);
        await roundTrip(alg, key);
      });
    }
  }

  test('EdDSA with Ed448 (and Ed25519 by default)', async () => {
    const ed448 = await generateKey('EdDSA', { crv: 'Ed448' });
    assert.equal(ed448.crv, 'Ed448');
    assert.equal(ed448.alg, 'EdDSA');
    assert.equal(ed448.use, 'sig');
    const token = await signJWS('generated', ed448);
    await verifyJWS(token, exportJWK(ed448, { public: true }));
    assert.equal((await generateKey('EdDSA')).crv, 'Ed25519');
  });

  for (const [alg, crv] of [['ES256', 'P-384'], ['ECDH-ES', 'Ed25519'], ['ECDH-ES', 'secp256k1'], ['EdDSA', 'X25519'], ['A128KW', 'P-256'], ['RSA-OAEP', 'P-256'], ['HS256', 'P-256']] as const) {
    test(`${alg} does not take ${crv}: ERR_INVALID_ARGUMENT`, async () => {
      await assert.rejects(generateKey(alg, { crv }), { code: 'ERR_INVALID_ARGUMENT' });
    });
  }
});

describe('other options and refusals', () => {
  test('RSA-OAEP-256 with modulusLength 3072', async () => {
    const key = await generateKey('RSA-OAEP-256', { modulusLength: 3072 });
    assert.equal(key.bits, 3072);
    await roundTrip('RSA-OAEP-256', key);
  });

  test('RSA1_5: ERR_ALG_UNSUPPORTED; none: ERR_ALG_NONE', async () => {
    await assert.rejects(generateKey('RSA1_5'), { code: 'ERR_ALG_UNSUPPORTED' });
    await assert.rejects(generateKey('none'), { code: 'ERR_ALG_NONE' });
  });
});
