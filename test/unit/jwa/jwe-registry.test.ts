/**
 * The JWE registry: resolving and pinning `alg` and `enc`, RSA1_5 refused, the allow-list derived
 * from a key (never PBES2), and the key binding checks of assertKeyForJWE.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  JWE_ALGORITHMS,
  JWE_ENCRYPTIONS,
  assertKeyForJWE,
  isContentEncryptionAlgorithm,
  isKeyManagementAlgorithm,
  jweAlgorithmsForKey,
  pinContentEncryption,
  pinKeyManagement,
  resolveContentEncryption,
  resolveKeyManagement,
} from '../../../src/jwa/jwe-registry.ts';
import { importJWK, importSecret } from '../../../src/jwk/import.ts';
import { pair, secret } from './jwe-fixtures.ts';

describe('resolve', () => {
  test('every listed name resolves to its descriptor', () => {
    for (const alg of JWE_ALGORITHMS) assert.equal(resolveKeyManagement(alg).name, alg);
    for (const enc of JWE_ENCRYPTIONS) assert.equal(resolveContentEncryption(enc).name, enc);
    assert.ok(isKeyManagementAlgorithm('ECDH-ES+A128KW'));
    assert.ok(isContentEncryptionAlgorithm('A128CBC-HS256'));
    assert.ok(!isKeyManagementAlgorithm('A128GCM'));
    assert.ok(!isContentEncryptionAlgorithm('A128KW'));
  });

  test('RSA1_5 is refused: ERR_ALG_UNSUPPORTED (Bleichenbacher, Marvin)', () => {
    assert.throws(() => resolveKeyManagement('RSA1_5'), { code: 'ERR_ALG_UNSUPPORTED' });
    assert.throws(() => pinKeyManagement('RSA1_5', ['RSA1_5']), { code: 'ERR_ALG_UNSUPPORTED' });
  });

  for (const alg of ['none', 'NONE', 'HS256', 'RS256', 'A128GCM', 'ECDH-ES+A512KW', 'dir ', 'a128kw', '', 42, null, undefined, ['dir']]) {
    test(`alg ${JSON.stringify(alg)}: ERR_ALG_UNSUPPORTED`, () => {
      assert.throws(() => resolveKeyManagement(alg), { code: 'ERR_ALG_UNSUPPORTED' });
    });
  }

  for (const enc of ['A128KW', 'A128CBC-H256', 'A512GCM', 'a128gcm', 'none', '', 1, null, undefined]) {
    test(`enc ${JSON.stringify(enc)}: ERR_ALG_UNSUPPORTED`, () => {
      assert.throws(() => resolveContentEncryption(enc), { code: 'ERR_ALG_UNSUPPORTED' });
    });
  }
});

describe('pin', () => {
  test('pinKeyManagement: in the list, not in the list, no list', () => {
    assert.equal(pinKeyManagement('A128KW', ['A128KW', 'dir']).name, 'A128KW');
    assert.throws(() => pinKeyManagement('A256KW', ['A128KW']), { code: 'ERR_ALG_NOT_ALLOWED' });
    assert.throws(() => pinKeyManagement('A128KW', undefined), { code: 'ERR_ALG_REQUIRED' });
    assert.throws(() => pinKeyManagement('A128KW', []), { code: 'ERR_ALG_NOT_ALLOWED' });
    assert.throws(() => pinKeyManagement('nope', ['nope']), { code: 'ERR_ALG_UNSUPPORTED' });
  });

  test('pinContentEncryption: in the list, not in the list, no list (every enc)', () => {
    assert.equal(pinContentEncryption('A128GCM', ['A128GCM']).name, 'A128GCM');
    assert.throws(() => pinContentEncryption('A256GCM', ['A128GCM']), { code: 'ERR_ALG_NOT_ALLOWED' });
    for (const enc of JWE_ENCRYPTIONS) assert.equal(pinContentEncryption(enc, undefined).name, enc);
    assert.throws(() => pinContentEncryption('A128KW', undefined), { code: 'ERR_ALG_UNSUPPORTED' });
  });
});

describe('jweAlgorithmsForKey', () => {
  const sorted = (list: readonly string[]) => [...list].sort();

  for (const [bytes, expected] of [
    [16, ['dir', 'A128KW', 'A128GCMKW']],
    [24, ['dir', 'A192KW', 'A192GCMKW']],
    [32, ['dir', 'A256KW', 'A256GCMKW']],
    [48, ['dir']],
    [64, ['dir']],
    [20, []],
    [1, []],
  ] as const) {
    test(`an unbound ${bytes}-byte secret: ${JSON.stringify(expected)} (never PBES2)`, async () => {
      assert.deepEqual(sorted(jweAlgorithmsForKey(await secret(bytes))), sorted(expected));
    });
  }

  test('RSA: the RSA-OAEP family; EC and X curves: the ECDH-ES family; Ed25519: nothing', async () => {
    assert.deepEqual(sorted(jweAlgorithmsForKey((await pair('RSA')).publicKey)), ['RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512']);
    const ecdh = ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW'];
    for (const kind of ['P-256', 'P-384', 'P-521', 'X25519', 'X448'] as const) {
      assert.deepEqual(sorted(jweAlgorithmsForKey((await pair(kind)).publicKey)), ecdh, kind);
    }
    assert.deepEqual(jweAlgorithmsForKey((await pair('Ed25519')).publicKey), []);
  });

  test('a bound key gives its alg; bound to an enc, dir; bound to PBES2 or a JWS alg, nothing', async () => {
    const bytes = new Uint8Array(randomBytes(32));
    assert.deepEqual(jweAlgorithmsForKey(await importSecret(bytes, { alg: 'A256GCMKW' })), ['A256GCMKW']);
    assert.deepEqual(jweAlgorithmsForKey(await importSecret(bytes, { alg: 'A256GCM' })), ['dir']);
    assert.deepEqual(jweAlgorithmsForKey(await importSecret(bytes, { alg: 'dir' })), ['dir']);
    assert.deepEqual(jweAlgorithmsForKey(await importSecret(bytes, { alg: 'PBES2-HS256+A128KW' })), []);
    assert.deepEqual(jweAlgorithmsForKey(await importSecret(bytes, { alg: 'HS256' })), []);
  });

  test('no derived list ever holds PBES2', async () => {
    for (const bytes of [1, 8, 16, 24, 32, 48, 64, 100]) {
      for (const alg of jweAlgorithmsForKey(await secret(bytes))) assert.ok(!alg.startsWith('PBES2'), `${bytes} bytes: ${alg}`);
    }
  });
});

describe('assertKeyForJWE', () => {
  const a128kw = resolveKeyManagement('A128KW');
  const dir = resolveKeyManagement('dir');

  test('family, curve and size: ERR_KEY_TYPE_MISMATCH', async () => {
    for (const [alg, key] of [
      ['A128KW', await secret(32)],
      ['A256GCMKW', await secret(16)],
      ['A128KW', (await pair('RSA')).publicKey],
      ['RSA-OAEP', await secret(32)],
      ['RSA-OAEP-256', (await pair('P-256')).publicKey],
      ['ECDH-ES', (await pair('Ed25519')).publicKey],
      ['ECDH-ES+A128KW', (await pair('RSA')).publicKey],
      ['dir', (await pair('X25519')).privateKey],
      ['PBES2-HS256+A128KW', (await pair('P-256')).privateKey],
    ] as const) {
      assert.throws(() => assertKeyForJWE(resolveKeyManagement(alg), key, 'encrypt'), { code: 'ERR_KEY_TYPE_MISMATCH' }, alg);
    }
  });

  test('the bound alg: ERR_KEY_USAGE for another; a dir key may be bound to an enc', async () => {
    const bytes = new Uint8Array(randomBytes(16));
    assertKeyForJWE(a128kw, await importSecret(bytes, { alg: 'A128KW' }), 'encrypt');
    await throwsFor(a128kw, importSecret(bytes, { alg: 'A128GCMKW' }), 'encrypt', { code: 'ERR_KEY_USAGE' });
    await throwsFor(a128kw, importSecret(bytes, { alg: 'HS256' }), 'decrypt', { code: 'ERR_KEY_USAGE' });
    assertKeyForJWE(dir, await importSecret(bytes, { alg: 'A128GCM' }), 'decrypt');
    assertKeyForJWE(dir, await importSecret(bytes, { alg: 'dir' }), 'decrypt');
    await throwsFor(dir, importSecret(bytes, { alg: 'A128KW' }), 'decrypt', { code: 'ERR_KEY_USAGE' });
  });

  test('use must be enc: ERR_KEY_USAGE for sig', async () => {
    const bytes = new Uint8Array(randomBytes(16));
    await throwsFor(a128kw, importSecret(bytes, { use: 'sig' }), 'encrypt', { code: 'ERR_KEY_USAGE' });
    assertKeyForJWE(a128kw, await importSecret(bytes, { use: 'enc' }), 'encrypt');
  });

  test('key_ops: the operation of the mode must be there', async () => {
    const k = Buffer.from(randomBytes(16)).toString('base64url');
    const withOps = (key_ops: string[]) => importJWK({ kty: 'oct', k, key_ops });
    assertKeyForJWE(a128kw, await withOps(['wrapKey', 'unwrapKey']), 'encrypt');
    assertKeyForJWE(a128kw, await withOps(['unwrapKey']), 'decrypt');
    await throwsFor(a128kw, withOps(['unwrapKey']), 'encrypt', { code: 'ERR_KEY_USAGE' });
    await throwsFor(a128kw, withOps(['sign', 'verify']), 'decrypt', { code: 'ERR_KEY_USAGE' });
    assertKeyForJWE(dir, await withOps(['decrypt']), 'decrypt');
    await throwsFor(dir, withOps(['encrypt']), 'decrypt', { code: 'ERR_KEY_USAGE' });
    // An ECDH recipient's private key derives; its public key takes no operation of its own.
    const p = await pair('P-256');
    const ecdh = resolveKeyManagement('ECDH-ES');
    assertKeyForJWE(ecdh, await importJWK({ ...p.privateJWK, key_ops: ['deriveBits'] }), 'decrypt');
    await throwsFor(ecdh, importJWK({ ...p.privateJWK, key_ops: ['sign'] }), 'decrypt', { code: 'ERR_KEY_USAGE' });
    assertKeyForJWE(ecdh, await importJWK({ ...p.publicJWK, key_ops: [] }), 'encrypt');
  });

  test('decrypting with a public key: ERR_KEY_PRIVATE_REQUIRED; encrypting with a private key is fine', async () => {
    for (const [alg, kind] of [['RSA-OAEP-256', 'RSA'], ['ECDH-ES', 'P-384'], ['ECDH-ES+A256KW', 'X448']] as const) {
      const p = await pair(kind);
      assert.throws(() => assertKeyForJWE(resolveKeyManagement(alg), p.publicKey, 'decrypt'), { code: 'ERR_KEY_PRIVATE_REQUIRED' });
      assertKeyForJWE(resolveKeyManagement(alg), p.publicKey, 'encrypt');
      assertKeyForJWE(resolveKeyManagement(alg), p.privateKey, 'encrypt');
      assertKeyForJWE(resolveKeyManagement(alg), p.privateKey, 'decrypt');
    }
  });
});

/** assertKeyForJWE with a key still to be imported. */
async function throwsFor(
  km: Parameters<typeof assertKeyForJWE>[0],
  pending: Promise<Parameters<typeof assertKeyForJWE>[1]>,
  op: 'encrypt' | 'decrypt',
  expected: { code: string },
): Promise<void> {
  const key = await pending;
  assert.throws(() => assertKeyForJWE(km, key, op), expected);
}
