/**
 * PBES2 (RFC 7518 §4.8) on the backend under test: the `p2c` limits checked before any work
 * (THREATS.md §8), the salt construction against an independent node:crypto computation, the
 * RFC 7520 §5.3 key wrap byte for byte, and the password rules.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { platform } from '#platform';
import { JWE_ALGORITHMS, resolveContentEncryption, resolveKeyManagement } from '../../../src/jwa/jwe-registry.ts';
import type { UnwrapLimits } from '../../../src/jwa/jwe-algorithm.ts';
import { importJWK, importSecret } from '../../../src/jwk/import.ts';
import { loadVector } from '../../helpers/vectors.ts';
import { LIMITS, b64u, bothForms, fromB64u, rejectsBoth, toHex, unwrapWith, utf8, wrapWith } from './jwe-fixtures.ts';

const PBES2 = ['PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW'];
const PBES2_COUNT = 'ERR_PBES2_COUNT';
const enc = resolveContentEncryption('A128CBC-HS256');
const km = resolveKeyManagement('PBES2-HS256+A128KW');
const password = () => importSecret(utf8('correct horse battery staple'));

/** Runs `body` with platform.pbkdf2 and pbkdf2Sync counting their calls. */
async function countingPBKDF2(body: (calls: () => number) => Promise<void>): Promise<void> {
  const original = { async: platform.pbkdf2, sync: platform.pbkdf2Sync };
  const mutable = platform as { -readonly [K in keyof typeof platform]: (typeof platform)[K] };
  let calls = 0;
  mutable.pbkdf2 = (...args) => {
    calls++;
    return original.async(...args);
  };
  mutable.pbkdf2Sync = (...args) => {
    calls++;
    return original.sync(...args);
  };
  try {
    await body(() => calls);
  } finally {
    mutable.pbkdf2 = original.async;
    mutable.pbkdf2Sync = original.sync;
  }
}

test('PBES2 is in the registry, marked explicit-only', () => {
  for (const alg of PBES2) {
    assert.ok(JWE_ALGORITHMS.includes(alg));
    assert.equal(resolveKeyManagement(alg).explicitOnly, true);
  }
});

describe('p2c on the recipient side: an integer from 1000 to the maximum, checked before any work', () => {
  test('p2c = 2^31 − 1 is refused at once (no PBKDF2 runs)', async () => {
    const key = await password();
    const w = await km.wrap(key, enc, { p2c: 1000 });
    const header = { ...w.parameters, p2c: 2 ** 31 - 1 };
    await countingPBKDF2(async (calls) => {
      for (const sync of platform.syncSupported ? [false, true] : [false]) {
        const start = performance.now();
        try {
          await unwrapWith(km, sync, key, enc, w.encryptedKey, header);
          assert.fail('p2c = 2^31 - 1 must be refused');
        } catch (err) {
          const elapsed = performance.now() - start;
          console.log(`p2c = 2^31 - 1 refused (${sync ? 'sync' : 'async'}) in ${elapsed.toFixed(3)} ms`);
          assert.equal((err as { code?: string }).code, PBES2_COUNT);
          assert.ok(elapsed < 50, `refused in ${elapsed} ms`);
        }
      }
      assert.equal(calls(), 0);
    });
  });

  for (const alg of PBES2) {
    test(`${alg}: p2c below 1000, above the maximum, or not an integer: ERR_PBES2_COUNT before PBKDF2`, async () => {
      const k = resolveKeyManagement(alg);
      const key = await password();
      const w = await k.wrap(key, enc, { p2c: 1000 });
      await countingPBKDF2(async (calls) => {
        for (const p2c of [999, 1, 0, -1000, 10_001, 1000.5, Number.NaN, Number.POSITIVE_INFINITY, '1000', true, null, [1000], { n: 1000 }]) {
          await rejectsBoth((sync) => unwrapWith(k, sync, key, enc, w.encryptedKey, { ...w.parameters, p2c }), PBES2_COUNT);
        }
        assert.equal(calls(), 0);
      });
    });
  }

  test('the maximum is the caller\'s: 10,001 passes with a maximum of 20,000 and fails with the default', async () => {
    const key = await password();
    const w = await km.wrap(key, enc, { p2c: 10_001 });
    const raised: UnwrapLimits = { maxPBES2Count: 20_000 };
    for (const cek of await bothForms((sync) => unwrapWith(km, sync, key, enc, w.encryptedKey, w.parameters, raised))) assert.equal(toHex(cek), toHex(w.cek));
    await rejectsBoth((sync) => unwrapWith(km, sync, key, enc, w.encryptedKey, w.parameters, LIMITS), PBES2_COUNT);
    // A maximum below the minimum accepts nothing.
    await rejectsBoth((sync) => unwrapWith(km, sync, key, enc, w.encryptedKey, { ...w.parameters, p2c: 1000 }, { maxPBES2Count: 999 }), PBES2_COUNT);
  });

  test('the bounds themselves: 1000 and the maximum pass', async () => {
    const key = await password();
    for (const p2c of [1000, 10_000]) {
      const w = await km.wrap(key, enc, { p2c });
      for (const cek of await bothForms((sync) => unwrapWith(km, sync, key, enc, w.encryptedKey, w.parameters))) assert.equal(toHex(cek), toHex(w.cek));
    }
  });

  test('a missing p2c or p2s: ERR_HEADER_INVALID; p2s under 8 bytes: ERR_HEADER_INVALID', async () => {
    const key = await password();
    const w = await km.wrap(key, enc, { p2c: 1000 });
    await rejectsBoth((sync) => unwrapWith(km, sync, key, enc, w.encryptedKey, { p2s: w.parameters.p2s }), 'ERR_HEADER_INVALID');
    await rejectsBoth((sync) => unwrapWith(km, sync, key, enc, w.encryptedKey, { p2c: 1000 }), 'ERR_HEADER_INVALID');
    await rejectsBoth((sync) => unwrapWith(km, sync, key, enc, w.encryptedKey, { p2c: 1000, p2s: 42 }), 'ERR_HEADER_INVALID');
    await rejectsBoth((sync) => unwrapWith(km, sync, key, enc, w.encryptedKey, { p2c: 1000, p2s: b64u(new Uint8Array(7)) }), 'ERR_HEADER_INVALID');
  });

  test('a wrong password fails like a bad tag', async () => {
    const w = await km.wrap(await password(), enc, { p2c: 1000 });
    const other = await importSecret(utf8('Tr0ub4dor&3'));
    await rejectsBoth((sync) => unwrapWith(km, sync, other, enc, w.encryptedKey, w.parameters), 'ERR_JWE_DECRYPTION_FAILED');
  });
});

describe('p2c and p2s on the sender side', () => {
  test('p2c defaults to 10,000 and p2s to 16 random bytes', async () => {
    const key = await password();
    for (const w of await bothForms((sync) => wrapWith(km, sync, key, enc))) {
      assert.equal(w.parameters.p2c, 10_000);
      assert.equal(fromB64u(w.parameters.p2s as string).length, 16);
    }
  });

  test('p2c below 1000 or not an integer: ERR_PBES2_COUNT', async () => {
    const key = await password();
    for (const p2c of [999, 0, 1000.5, Number.NaN, 2 ** 31]) await rejectsBoth((sync) => wrapWith(km, sync, key, enc, { p2c }), PBES2_COUNT);
  });

  test('a given p2s under 8 bytes: ERR_INVALID_ARGUMENT; 8 bytes will do', async () => {
    const key = await password();
    await rejectsBoth((sync) => wrapWith(km, sync, key, enc, { p2s: new Uint8Array(7), p2c: 1000 }), 'ERR_INVALID_ARGUMENT');
    await bothForms((sync) => wrapWith(km, sync, key, enc, { p2s: new Uint8Array(8), p2c: 1000 }));
  });
});

describe('the key derivation, byte for byte', () => {
  for (const alg of PBES2) {
    test(`${alg}: salt = UTF8(alg) || 0x00 || p2s (RFC 7518 §4.8.1.1), as node:crypto computes it`, async () => {
      const k = resolveKeyManagement(alg);
      const hashBits = Number(alg.slice(8, 11));
      const kwBits = Number(alg.slice(-5, -2));
      const pwd = utf8('Thus from my lips, by yours, my sin is purged.');
      const p2s = new Uint8Array(randomBytes(16));
      const cek = new Uint8Array(randomBytes(32));
      const kek = pbkdf2Sync(pwd, Buffer.concat([Buffer.from(alg, 'utf8'), Buffer.from([0]), p2s]), 1200, kwBits / 8, `sha${hashBits}`);
      const c = createCipheriv(`id-aes${kwBits}-wrap`, kek, Buffer.from('a6a6a6a6a6a6a6a6', 'hex'));
      const expected = Buffer.concat([c.update(cek), c.final()]).toString('hex');
      const key = await importSecret(pwd);
      for (const w of await bothForms((sync) => wrapWith(k, sync, key, enc, { cek, p2s, p2c: 1200 }))) {
        assert.equal(toHex(w.encryptedKey), expected);
        assert.deepEqual(w.parameters, { p2s: b64u(p2s), p2c: 1200 });
      }
    });
  }

  test('RFC 7520 §5.3: PBES2-HS512+A256KW with the given salt and count re-wraps the CEK exactly', async () => {
    const v = loadVector<{
      input: { pwd: string; alg: string; enc: string };
      generated: { cek: string };
      encrypting_key: { salt: string; iteration_count: number; encrypted_key: string };
    }>('rfc7520/jwe/5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json');
    const k = resolveKeyManagement(v.input.alg);
    const e = resolveContentEncryption(v.input.enc);
    const key = await importSecret(utf8(v.input.pwd));
    const input = { cek: fromB64u(v.generated.cek), p2s: fromB64u(v.encrypting_key.salt), p2c: v.encrypting_key.iteration_count };
    for (const w of await bothForms((sync) => wrapWith(k, sync, key, e, input))) assert.equal(b64u(w.encryptedKey), v.encrypting_key.encrypted_key);
    const header = { p2s: v.encrypting_key.salt, p2c: v.encrypting_key.iteration_count };
    for (const cek of await bothForms((sync) => unwrapWith(k, sync, key, e, fromB64u(v.encrypting_key.encrypted_key), header))) {
      assert.equal(b64u(cek), v.generated.cek);
    }
  });
});

describe('the password', () => {
  test('any length will do, a single byte too: no HMAC minimum applies', async () => {
    const key = await importSecret(utf8('x'));
    for (const w of await bothForms((sync) => wrapWith(km, sync, key, enc, { p2c: 1000 }))) {
      assert.equal(toHex(await km.unwrap(key, enc, w.encryptedKey, w.parameters, LIMITS)), toHex(w.cek));
    }
  });

  test('an empty password: ERR_KEY_EMPTY', async () => {
    await assert.rejects(importSecret(new Uint8Array(0)), { code: 'ERR_KEY_EMPTY' });
    await assert.rejects(importJWK({ kty: 'oct', k: '' }), { code: 'ERR_KEY_EMPTY' });
  });
});
