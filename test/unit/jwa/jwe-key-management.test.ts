/**
 * Key management (RFC 7518 §4) at the descriptor level, on the backend under test: every alg × enc
 * round trip, RFC 3394 §4 key-wrap vectors, node:crypto as an independent reference (GCMKW,
 * RSA-OAEP), and the failures: an unwrapped CEK of the wrong length (indistinguishable from a tag
 * failure), tampering, header members, and keys of the wrong type.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createCipheriv, privateDecrypt, publicEncrypt, randomBytes, createPrivateKey, createPublicKey } from 'node:crypto';
import { platform } from '#platform';
import { JWE_ALGORITHMS, JWE_ENCRYPTIONS, resolveContentEncryption, resolveKeyManagement } from '../../../src/jwa/jwe-registry.ts';
import { importSecret } from '../../../src/jwk/import.ts';
import {
  EMPTY,
  b64u,
  bothForms,
  errorOf,
  hex,
  keyFor,
  pair,
  rejectsBoth,
  secret,
  toHex,
  unwrapWith,
  wrapWith,
} from './jwe-fixtures.ts';

const DECRYPTION_FAILED = 'ERR_JWE_DECRYPTION_FAILED';
/** RFC 7518 §4.1: the `alg` values tessera implements (RSA1_5 deliberately not). */
const EXPECTED_ALGS = [
  'dir',
  'A128KW',
  'A192KW',
  'A256KW',
  'A128GCMKW',
  'A192GCMKW',
  'A256GCMKW',
  'RSA-OAEP',
  'RSA-OAEP-256',
  'RSA-OAEP-384',
  'RSA-OAEP-512',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
  'PBES2-HS256+A128KW',
  'PBES2-HS384+A192KW',
  'PBES2-HS512+A256KW',
];

/** The message of a content tag failure: every unwrap failure must read exactly the same. */
async function tagFailureMessage(): Promise<string> {
  const enc = resolveContentEncryption('A128GCM');
  const err = await errorOf(() => enc.decrypt(new Uint8Array(16), new Uint8Array(12), new Uint8Array(4), new Uint8Array(16), EMPTY));
  assert.equal(err.code, DECRYPTION_FAILED);
  return err.message;
}

function flip(bytes: Uint8Array, index = 0): Uint8Array {
  const out = bytes.slice();
  out[index] = (out[index] as number) ^ 1;
  return out;
}

test('the registry has exactly the RFC 7518 §4.1 algorithms tessera implements', () => {
  assert.deepEqual([...JWE_ALGORITHMS].sort(), [...EXPECTED_ALGS].sort());
});

describe('every alg × enc round trips at the descriptor level', () => {
  for (const alg of JWE_ALGORITHMS) {
    for (const encName of JWE_ENCRYPTIONS) {
      test(`${alg} + ${encName}`, async () => {
        const km = resolveKeyManagement(alg);
        const enc = resolveContentEncryption(encName);
        const { sender, recipient } = await keyFor(km, enc);
        const input = km.mode === 'password' ? { p2c: 1000 } : {};
        const wraps = await bothForms((sync) => wrapWith(km, sync, sender, enc, input));
        for (const w of wraps) {
          assert.equal(w.cek.length, enc.cekLength);
          if (km.mode === 'direct' || km.mode === 'key-agreement') assert.equal(w.encryptedKey.length, 0);
          else assert.ok(w.encryptedKey.length > 0);
          const ceks = await bothForms((sync) => unwrapWith(km, sync, recipient, enc, w.encryptedKey, w.parameters));
          for (const cek of ceks) assert.equal(toHex(cek), toHex(w.cek));
        }
        if (wraps.length === 2 && km.mode !== 'direct') {
          // Randomized: two wraps never give the same encrypted key (or epk, or salt).
          assert.notDeepEqual([toHex(wraps[0]!.encryptedKey), wraps[0]!.parameters], [toHex(wraps[1]!.encryptedKey), wraps[1]!.parameters]);
        }
      });
    }
  }
});

/** RFC 3394 §4: KEK 000102…, key data 00112233…; each wrapped value as published. */
const RFC3394: ReadonlyArray<{ section: string; kek: string; data: string; wrapped: string; alg: string; enc: string }> = [
  { section: '4.1', kek: '000102030405060708090A0B0C0D0E0F', data: '00112233445566778899AABBCCDDEEFF', wrapped: '1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5', alg: 'A128KW', enc: 'A128GCM' },
  { section: '4.2', kek: '000102030405060708090A0B0C0D0E0F1011121314151617', data: '00112233445566778899AABBCCDDEEFF', wrapped: '96778B25AE6CA435F92B5B97C050AED2468AB8A17AD84E5D', alg: 'A192KW', enc: 'A128GCM' },
  { section: '4.3', kek: '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F', data: '00112233445566778899AABBCCDDEEFF', wrapped: '64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7', alg: 'A256KW', enc: 'A128GCM' },
  {
    section: '4.4',
    kek: '000102030405060708090A0B0C0D0E0F1011121314151617',
    data: '00112233445566778899AABBCCDDEEFF0001020304050607',
    wrapped: '031D33264E15D33268F24EC260743EDCE1C6C7DDEE725A936BA814915C6762D2',
    alg: 'A192KW',
    enc: 'A192GCM',
  },
  {
    section: '4.5',
    kek: '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F',
    data: '00112233445566778899AABBCCDDEEFF0001020304050607',
    wrapped: 'A8F9BC1612C68B3FF6E6F4FBE30E71E4769C8B80A32CB8958CD5D17D6B254DA1',
    alg: 'A256KW',
    enc: 'A192GCM',
  },
  {
    section: '4.6',
    kek: '000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F',
    data: '00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F',
    wrapped: '28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21',
    alg: 'A256KW',
    enc: 'A256GCM',
  },
];

describe('RFC 3394 §4 AES key wrap vectors', () => {
  for (const v of RFC3394) {
    test(`§${v.section}: ${v.kek.length * 4}-bit KEK, ${v.data.length * 4}-bit key data (platform and ${v.alg})`, async () => {
      const kek = hex(v.kek);
      const wrapped = hex(v.wrapped).slice();
      for (const out of await bothForms((sync) => (sync ? platform.aesKWWrapSync(kek, hex(v.data)) : platform.aesKWWrap(kek, hex(v.data))))) {
        assert.equal(toHex(out), v.wrapped.toLowerCase());
      }
      for (const out of await bothForms((sync) => (sync ? platform.aesKWUnwrapSync(kek, wrapped) : platform.aesKWUnwrap(kek, wrapped)))) {
        assert.equal(toHex(out as Uint8Array), v.data.toLowerCase());
      }
      // Through the descriptor, with the CEK fixed (the jwe layer's seam does the same).
      const km = resolveKeyManagement(v.alg);
      const enc = resolveContentEncryption(v.enc);
      const key = await importSecret(kek);
      for (const w of await bothForms((sync) => wrapWith(km, sync, key, enc, { cek: hex(v.data) }))) assert.equal(toHex(w.encryptedKey), v.wrapped.toLowerCase());
      for (const cek of await bothForms((sync) => unwrapWith(km, sync, key, enc, wrapped, {}))) assert.equal(toHex(cek), v.data.toLowerCase());
      // RFC 3394 §2.2.3: any change fails the integrity check.
      await rejectsBoth((sync) => unwrapWith(km, sync, key, enc, flip(wrapped, 3), {}), DECRYPTION_FAILED);
    });
  }
});

describe('an unwrapped CEK of the wrong length fails like a tag failure', () => {
  const enc16 = resolveContentEncryption('A128GCM');
  const enc32 = resolveContentEncryption('A256GCM');

  async function assertSameFailure(run: (sync: boolean) => unknown): Promise<void> {
    await rejectsBoth(run, DECRYPTION_FAILED);
    const err = await errorOf(() => run(false));
    assert.equal(err.message, await tagFailureMessage());
    assert.equal(err.cause, undefined);
  }

  for (const alg of ['A128KW', 'A192KW', 'A256KW']) {
    test(`${alg}: a 32-byte CEK unwrapped for A128GCM`, async () => {
      const km = resolveKeyManagement(alg);
      const key = await secret(km.keyBits / 8);
      const encryptedKey = await platform.aesKWWrap(key.imported, new Uint8Array(randomBytes(32)));
      await assertSameFailure((sync) => unwrapWith(km, sync, key, enc16, encryptedKey, {}));
    });
  }

  for (const alg of ['A128GCMKW', 'A192GCMKW', 'A256GCMKW']) {
    test(`${alg}: a 17-byte CEK unwrapped for A128GCM`, async () => {
      const km = resolveKeyManagement(alg);
      const key = await secret(km.keyBits / 8);
      const iv = new Uint8Array(randomBytes(12));
      const out = await platform.aesGCMEncrypt(key.imported, iv, new Uint8Array(17), EMPTY);
      await assertSameFailure((sync) => unwrapWith(km, sync, key, enc16, out.ciphertext, { iv: b64u(iv), tag: b64u(out.tag) }));
    });
  }

  for (const alg of ['RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512']) {
    test(`${alg}: a 17-byte CEK (encrypted by node:crypto) unwrapped for A128GCM`, async () => {
      const km = resolveKeyManagement(alg);
      const p = await pair('RSA');
      const hash = alg === 'RSA-OAEP' ? 'sha1' : `sha${alg.slice(-3)}`;
      const encryptedKey = publicEncrypt({ key: createPublicKey({ key: p.publicJWK, format: 'jwk' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, new Uint8Array(17));
      await assertSameFailure((sync) => unwrapWith(km, sync, p.privateKey, enc16, new Uint8Array(encryptedKey), {}));
    });
  }

  for (const alg of ['ECDH-ES+A128KW', 'PBES2-HS256+A128KW']) {
    test(`${alg}: wrapped for A256GCM, unwrapped for A128GCM (the KEK does not depend on enc)`, async () => {
      const km = resolveKeyManagement(alg);
      const { sender, recipient } = await keyFor(km, enc32);
      const w = await km.wrap(sender, enc32, { p2c: 1000 });
      await assertSameFailure((sync) => unwrapWith(km, sync, recipient, enc16, w.encryptedKey, w.parameters));
    });
  }
});

describe('a tampered encrypted key fails with ERR_JWE_DECRYPTION_FAILED', () => {
  for (const alg of JWE_ALGORITHMS) {
    const km = resolveKeyManagement(alg);
    if (km.mode === 'direct' || km.mode === 'key-agreement') continue;
    test(alg, async () => {
      const enc = resolveContentEncryption('A128CBC-HS256');
      const { sender, recipient } = await keyFor(km, enc);
      const w = await km.wrap(sender, enc, { p2c: 1000 });
      for (const i of [0, w.encryptedKey.length - 1]) {
        await rejectsBoth((sync) => unwrapWith(km, sync, recipient, enc, flip(w.encryptedKey, i), w.parameters), DECRYPTION_FAILED);
      }
      await rejectsBoth((sync) => unwrapWith(km, sync, recipient, enc, w.encryptedKey.subarray(0, w.encryptedKey.length - 8), w.parameters), DECRYPTION_FAILED);
      await rejectsBoth((sync) => unwrapWith(km, sync, recipient, enc, EMPTY, w.parameters), DECRYPTION_FAILED);
    });
  }
});

describe('AES-GCM key wrap (RFC 7518 §4.7)', () => {
  const enc = resolveContentEncryption('A256GCM');
  for (const bits of [128, 192, 256]) {
    const alg = `A${bits}GCMKW`;
    test(`${alg}: byte for byte as node:crypto, iv and tag in the header`, async () => {
      const km = resolveKeyManagement(alg);
      const kek = new Uint8Array(randomBytes(bits / 8));
      const key = await importSecret(kek);
      const cek = new Uint8Array(randomBytes(32));
      const kwIV = new Uint8Array(randomBytes(12));
      const c = createCipheriv(`aes-${bits}-gcm` as 'aes-128-gcm', kek, kwIV, { authTagLength: 16 });
      const expected = Buffer.concat([c.update(cek), c.final()]);
      for (const w of await bothForms((sync) => wrapWith(km, sync, key, enc, { cek, kwIV }))) {
        assert.equal(toHex(w.encryptedKey), expected.toString('hex'));
        assert.deepEqual(w.parameters, { iv: b64u(kwIV), tag: b64u(c.getAuthTag()) });
      }
    });

    test(`${alg}: header iv and tag of the wrong length fail like a bad tag`, async () => {
      const km = resolveKeyManagement(alg);
      const key = await secret(bits / 8);
      const w = await km.wrap(key, enc, {});
      const iv = Buffer.from(w.parameters.iv as string, 'base64url');
      const tag = Buffer.from(w.parameters.tag as string, 'base64url');
      const headers = [
        { iv: b64u(iv.subarray(0, 8)), tag: w.parameters.tag },
        { iv: b64u(Buffer.concat([iv, iv.subarray(0, 4)])), tag: w.parameters.tag },
        { iv: w.parameters.iv, tag: b64u(tag.subarray(0, 15)) },
        { iv: w.parameters.iv, tag: b64u(Buffer.concat([tag, Buffer.alloc(1)])) },
        { iv: w.parameters.iv, tag: b64u(flip(tag)) },
      ];
      for (const header of headers) await rejectsBoth((sync) => unwrapWith(km, sync, key, enc, w.encryptedKey, header), DECRYPTION_FAILED);
    });

    test(`${alg}: missing or ill-typed iv and tag: ERR_HEADER_INVALID; not base64url: ERR_BASE64URL_INVALID`, async () => {
      const km = resolveKeyManagement(alg);
      const key = await secret(bits / 8);
      const w = await km.wrap(key, enc, {});
      await rejectsBoth((sync) => unwrapWith(km, sync, key, enc, w.encryptedKey, { tag: w.parameters.tag }), 'ERR_HEADER_INVALID');
      await rejectsBoth((sync) => unwrapWith(km, sync, key, enc, w.encryptedKey, { iv: w.parameters.iv }), 'ERR_HEADER_INVALID');
      await rejectsBoth((sync) => unwrapWith(km, sync, key, enc, w.encryptedKey, { iv: 12, tag: w.parameters.tag }), 'ERR_HEADER_INVALID');
      await rejectsBoth((sync) => unwrapWith(km, sync, key, enc, w.encryptedKey, { iv: `${w.parameters.iv}=`, tag: w.parameters.tag }), 'ERR_BASE64URL_INVALID');
    });

    test(`${alg}: a given key-wrap IV of another length: ERR_INVALID_ARGUMENT`, async () => {
      const km = resolveKeyManagement(alg);
      const key = await secret(bits / 8);
      await rejectsBoth((sync) => wrapWith(km, sync, key, enc, { kwIV: new Uint8Array(16) }), 'ERR_INVALID_ARGUMENT');
    });
  }
});

describe('RSA-OAEP (RFC 7518 §4.2–4.3) against node:crypto', () => {
  const enc = resolveContentEncryption('A256GCM');
  for (const [alg, hash] of [['RSA-OAEP', 'sha1'], ['RSA-OAEP-256', 'sha256'], ['RSA-OAEP-384', 'sha384'], ['RSA-OAEP-512', 'sha512']] as const) {
    test(`${alg}: node:crypto decrypts what tessera wraps, and the other way round`, async () => {
      const km = resolveKeyManagement(alg);
      const p = await pair('RSA');
      const priv = createPrivateKey({ key: p.privateJWK, format: 'jwk' });
      for (const w of await bothForms((sync) => wrapWith(km, sync, p.publicKey, enc))) {
        const cek = privateDecrypt({ key: priv, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, w.encryptedKey);
        assert.equal(cek.toString('hex'), toHex(w.cek));
      }
      const cek = new Uint8Array(randomBytes(32));
      const encryptedKey = publicEncrypt({ key: createPublicKey(priv), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, cek);
      for (const out of await bothForms((sync) => unwrapWith(km, sync, p.privateKey, enc, new Uint8Array(encryptedKey), {}))) assert.equal(toHex(out), toHex(cek));
    });
  }

  test('an encrypted key made with another OAEP hash does not decrypt', async () => {
    const p = await pair('RSA');
    const w = await resolveKeyManagement('RSA-OAEP-256').wrap(p.publicKey, enc, {});
    await rejectsBoth((sync) => unwrapWith(resolveKeyManagement('RSA-OAEP'), sync, p.privateKey, enc, w.encryptedKey, {}), DECRYPTION_FAILED);
  });

  test('decrypting with a public key: ERR_KEY_PRIVATE_REQUIRED', async () => {
    const p = await pair('RSA');
    const km = resolveKeyManagement('RSA-OAEP-256');
    const w = await km.wrap(p.publicKey, enc, {});
    await rejectsBoth((sync) => unwrapWith(km, sync, p.publicKey, enc, w.encryptedKey, {}), 'ERR_KEY_PRIVATE_REQUIRED');
  });

  test('encrypting with a private key uses its public part', async () => {
    const p = await pair('RSA');
    const km = resolveKeyManagement('RSA-OAEP-256');
    const w = await km.wrap(p.privateKey, enc, {});
    assert.equal(toHex(await km.unwrap(p.privateKey, enc, w.encryptedKey, {}, { maxPBES2Count: 10_000 })), toHex(w.cek));
  });
});

describe('dir (RFC 7518 §4.5)', () => {
  const km = resolveKeyManagement('dir');
  const a128gcm = resolveContentEncryption('A128GCM');
  const a256gcm = resolveContentEncryption('A256GCM');
  const cbc256 = resolveContentEncryption('A128CBC-HS256');

  test('the key is the CEK; the encrypted key is empty; the CEK is a copy', async () => {
    const bytes = new Uint8Array(randomBytes(16));
    const key = await importSecret(bytes);
    for (const w of await bothForms((sync) => wrapWith(km, sync, key, a128gcm))) {
      assert.equal(toHex(w.cek), toHex(bytes));
      assert.equal(w.encryptedKey.length, 0);
      assert.deepEqual(w.parameters, {});
      w.cek.fill(0);
    }
    assert.equal(toHex(await km.unwrap(key, a128gcm, EMPTY, {}, { maxPBES2Count: 10_000 })), toHex(bytes));
  });

  test('a key of another length than enc takes: ERR_KEY_TYPE_MISMATCH', async () => {
    const key = await secret(32);
    await rejectsBoth((sync) => wrapWith(km, sync, key, a128gcm), 'ERR_KEY_TYPE_MISMATCH');
    await rejectsBoth((sync) => unwrapWith(km, sync, key, a128gcm, EMPTY, {}), 'ERR_KEY_TYPE_MISMATCH');
    await rejectsBoth((sync) => wrapWith(km, sync, key, resolveContentEncryption('A256CBC-HS512')), 'ERR_KEY_TYPE_MISMATCH');
  });

  test('a key bound to an enc serves that enc only (RFC 7520 §5.6 binds "alg": "A128GCM")', async () => {
    const key = await importSecret(new Uint8Array(randomBytes(32)), { alg: 'A256GCM' });
    await bothForms((sync) => wrapWith(km, sync, key, a256gcm));
    await rejectsBoth((sync) => wrapWith(km, sync, key, cbc256), 'ERR_KEY_USAGE');
    await rejectsBoth((sync) => unwrapWith(km, sync, key, cbc256, EMPTY, {}), 'ERR_KEY_USAGE');
    const bound = await importSecret(new Uint8Array(randomBytes(32)), { alg: 'dir' });
    await bothForms((sync) => wrapWith(km, sync, bound, cbc256));
  });

  test('a non-empty encrypted key: ERR_JWE_INVALID (RFC 7516 §5.2 step 10)', async () => {
    const key = await secret(16);
    await rejectsBoth((sync) => unwrapWith(km, sync, key, a128gcm, new Uint8Array(1), {}), 'ERR_JWE_INVALID');
  });

  test('a given CEK other than the key: ERR_INVALID_ARGUMENT', async () => {
    const bytes = new Uint8Array(randomBytes(16));
    const key = await importSecret(bytes);
    await rejectsBoth((sync) => wrapWith(km, sync, key, a128gcm, { cek: new Uint8Array(16) }), 'ERR_INVALID_ARGUMENT');
    await bothForms((sync) => wrapWith(km, sync, key, a128gcm, { cek: bytes }));
  });
});

describe('keys of the wrong type for alg: ERR_KEY_TYPE_MISMATCH (checked by the descriptor itself)', () => {
  const enc = resolveContentEncryption('A128GCM');
  const cases: Array<[string, () => Promise<import('../../../src/jwa/key.ts').TesseraKey>]> = [
    ['A128KW with an RSA key', async () => (await pair('RSA')).privateKey],
    ['A128KW with a 256-bit secret', () => secret(32)],
    ['A256GCMKW with a 128-bit secret', () => secret(16)],
    ['A192KW with an EC key', async () => (await pair('P-256')).privateKey],
    ['RSA-OAEP-256 with a secret', () => secret(32)],
    ['RSA-OAEP-256 with an EC key', async () => (await pair('P-256')).privateKey],
    ['ECDH-ES with an Ed25519 key', async () => (await pair('Ed25519')).privateKey],
    ['ECDH-ES+A128KW with an RSA key', async () => (await pair('RSA')).privateKey],
    ['ECDH-ES with a secret', () => secret(32)],
    ['PBES2-HS256+A128KW with an EC key', async () => (await pair('P-256')).privateKey],
    ['dir with an RSA key', async () => (await pair('RSA')).privateKey],
  ];
  for (const [label, makeKey] of cases) {
    test(label, async () => {
      const km = resolveKeyManagement(label.split(' ')[0]);
      const key = await makeKey();
      await rejectsBoth((sync) => wrapWith(km, sync, key, enc), 'ERR_KEY_TYPE_MISMATCH');
      await rejectsBoth((sync) => unwrapWith(km, sync, key, enc, new Uint8Array(24), { p2c: 1000, p2s: 'AAAAAAAAAAA' }), 'ERR_KEY_TYPE_MISMATCH');
    });
  }

  test('a given CEK of the wrong length for enc: ERR_INVALID_ARGUMENT', async () => {
    const km = resolveKeyManagement('A128KW');
    const key = await secret(16);
    await rejectsBoth((sync) => wrapWith(km, sync, key, enc, { cek: new Uint8Array(32) }), 'ERR_INVALID_ARGUMENT');
  });
});
