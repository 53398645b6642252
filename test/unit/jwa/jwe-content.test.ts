/**
 * Content encryption (RFC 7518 §5) at the descriptor level, on the backend under test: the RFC 7518
 * Appendix B vectors byte for byte, node:crypto as an independent reference for AES-GCM, and every
 * failure (tag, padding, lengths) giving one and the same ERR_JWE_DECRYPTION_FAILED.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { platform } from '#platform';
import { JWE_ENCRYPTIONS, resolveContentEncryption } from '../../../src/jwa/jwe-registry.ts';
import type { ContentEncryption } from '../../../src/jwa/jwe-algorithm.ts';
import { bothForms, decryptWith, errorOf, hex, rejectsBoth, toHex, utf8 } from './jwe-fixtures.ts';

const DECRYPTION_FAILED = 'ERR_JWE_DECRYPTION_FAILED';

/**
 * RFC 7518 Appendix B (B.1 AES_128_CBC_HMAC_SHA_256, B.2 AES_192_CBC_HMAC_SHA_384,
 * B.3 AES_256_CBC_HMAC_SHA_512): K, P, IV, A, E, T as printed in the RFC, typed here in hex.
 * P, IV and A are the same in all three cases.
 */
const P =
  '41206369706865722073797374656d206d757374206e6f7420626520726571756972656420746f2062652073656372' +
  '65742c20616e64206974206d7573742062652061626c6520746f2066616c6c20696e746f207468652068616e6473' +
  '206f662074686520656e656d7920776974686f757420696e636f6e76656e69656e6365';
const IV = '1af38c2dc2b96ffdd86694092341bc04';
const A = '546865207365636f6e64207072696e6369706c65206f662041756775737465204b6572636b686f666673';
const APPENDIX_B: ReadonlyArray<{ section: string; enc: string; K: string; E: string; T: string }> = [
  {
    section: 'B.1',
    enc: 'A128CBC-HS256',
    K: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
    E:
      'c80edfa32ddf39d5ef00c0b468834279a2e46a1b8049f792f76bfe54b903a9c9a94ac9b47ad2655c5f10f9aef71427e2' +
      'fc6f9b3f399a221489f16362c703233609d45ac69864e3321cf82935ac4096c86e133314c54019e8ca7980dfa4b9cf1b' +
      '384c486f3a54c51078158ee5d79de59fbd34d848b3d69550a67646344427ade54b8851ffb598f7f80074b9473c82e2db',
    T: '652c3fa36b0a7c5b3219fab3a30bc1c4',
  },
  {
    section: 'B.2',
    enc: 'A192CBC-HS384',
    K: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f',
    E:
      'ea65da6b59e61edb419be62d19712ae5d303eeb50052d0dfd6697f77224c8edb000d279bdc14c1072654bd30944230c6' +
      '57bed4ca0c9f4a8466f22b226d1746214bf8cfc2400add9f5126e479663fc90b3bed787a2f0ffcbf3904be2a641d5c21' +
      '05bfe591bae23b1d7449e532eef60a9ac8bb6c6b01d35d49787bcd57ef484927f280adc91ac0c4e79c7b11efc60054e3',
    T: '8490ac0e58949bfe51875d733f93ac2075168039ccc733d7',
  },
  {
    section: 'B.3',
    enc: 'A256CBC-HS512',
    K:
      '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f' +
      '202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f',
    E:
      '4affaaadb78c31c5da4b1b590d10ffbd3dd8d5d302423526912da037ecbcc7bd822c301dd67c373bccb584ad3e9279c2' +
      'e6d12a1374b77f077553df829410446b36ebd97066296ae6427ea75c2e0846a11a09ccf5370dc80bfecbad28c73f09b3' +
      'a3b75e662a2594410ae496b2e2e6609e31e6e02cc837f053d21f37ff4f51950bbe2638d09dd7a4930930806d0703b1f6',
    T: '4dd3b4c088a7f45c216839645b2012bf2e6269a8c56a816dbc1b267761955bc5',
  },
];

const CBC = ['A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512'];
const GCM = ['A128GCM', 'A192GCM', 'A256GCM'];

function encryptWith(enc: ContentEncryption, sync: boolean, cek: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) {
  return sync ? enc.encryptSync(cek, iv, plaintext, aad) : enc.encrypt(cek, iv, plaintext, aad);
}

function flip(bytes: Uint8Array, index = 0): Uint8Array {
  const out = bytes.slice();
  out[index] = (out[index] as number) ^ 1;
  return out;
}

test('the registry has exactly the six enc algorithms of RFC 7518 §5.1', () => {
  assert.deepEqual([...JWE_ENCRYPTIONS].sort(), [...CBC, ...GCM].sort());
});

describe('RFC 7518 Appendix B: AES_CBC_HMAC_SHA2 test cases, byte for byte', () => {
  for (const v of APPENDIX_B) {
    test(`${v.section} ${v.enc}: E and T as published, and back to P`, async () => {
      const enc = resolveContentEncryption(v.enc);
      assert.equal(enc.cekLength, hex(v.K).length);
      assert.equal(enc.tagLength, hex(v.T).length);
      for (const out of await bothForms((sync) => encryptWith(enc, sync, hex(v.K), hex(IV), hex(P), hex(A)))) {
        assert.equal(toHex(out.ciphertext), v.E);
        assert.equal(toHex(out.tag), v.T);
      }
      for (const plaintext of await bothForms((sync) => decryptWith(enc, sync, hex(v.K), hex(IV), hex(v.E), hex(v.T), hex(A)))) {
        assert.equal(toHex(plaintext), P);
      }
    });
  }
});

describe('round trips', () => {
  for (const name of JWE_ENCRYPTIONS) {
    for (const [label, length] of [['empty', 0], ['one byte', 1], ['one block', 16], ['100 kB', 100_000]] as const) {
      test(`${name}: ${label} plaintext`, async () => {
        const enc = resolveContentEncryption(name);
        const cek = platform.randomBytes(enc.cekLength);
        const iv = platform.randomBytes(enc.ivLength);
        const plaintext = new Uint8Array(randomBytes(length));
        const aad = utf8('eyJhbGciOiJkaXIifQ');
        for (const out of await bothForms((sync) => encryptWith(enc, sync, cek, iv, plaintext, aad))) {
          assert.equal(out.tag.length, enc.tagLength);
          const back = await bothForms((sync) => decryptWith(enc, sync, cek, iv, out.ciphertext, out.tag, aad));
          for (const b of back) assert.deepEqual(toHex(b), toHex(plaintext));
        }
      });
    }
  }
});

describe('AES-GCM against node:crypto', () => {
  for (const name of GCM) {
    const enc = resolveContentEncryption(name);
    const cipher = `aes-${enc.cekLength * 8}-gcm` as 'aes-128-gcm';
    const cek = new Uint8Array(randomBytes(enc.cekLength));
    const iv = new Uint8Array(randomBytes(12));
    const aad = utf8('protected');
    const plaintext = utf8('Live long and prosper.');

    function reference(ivBytes: Uint8Array = iv) {
      const c = createCipheriv(cipher, cek, ivBytes, { authTagLength: 16 });
      c.setAAD(aad);
      const ciphertext = Buffer.concat([c.update(plaintext), c.final()]);
      return { ciphertext: new Uint8Array(ciphertext), tag: new Uint8Array(c.getAuthTag()) };
    }

    test(`${name}: encrypts exactly as node:crypto, and decrypts what it made`, async () => {
      const ref = reference();
      for (const out of await bothForms((sync) => encryptWith(enc, sync, cek, iv, plaintext, aad))) {
        assert.equal(toHex(out.ciphertext), toHex(ref.ciphertext));
        assert.equal(toHex(out.tag), toHex(ref.tag));
      }
      for (const pt of await bothForms((sync) => decryptWith(enc, sync, cek, iv, ref.ciphertext, ref.tag, aad))) assert.deepEqual(pt, plaintext);
    });

    test(`${name}: a truncated tag (15, 12, 4 bytes) is refused`, async () => {
      const ref = reference();
      for (const n of [15, 12, 4]) {
        await rejectsBoth((sync) => decryptWith(enc, sync, cek, iv, ref.ciphertext, ref.tag.subarray(0, n), aad), DECRYPTION_FAILED);
      }
    });

    test(`${name}: an extended tag (17 bytes) is refused`, async () => {
      const ref = reference();
      const extended = new Uint8Array([...ref.tag, 0]);
      await rejectsBoth((sync) => decryptWith(enc, sync, cek, iv, ref.ciphertext, extended, aad), DECRYPTION_FAILED);
    });

    test(`${name}: an IV other than 96 bits is refused, even where it authenticates`, async () => {
      for (const n of [8, 16]) {
        const other = new Uint8Array(randomBytes(n));
        const ref = reference(other); // node:crypto accepts any IV length: this one is authentic
        await rejectsBoth((sync) => decryptWith(enc, sync, cek, other, ref.ciphertext, ref.tag, aad), DECRYPTION_FAILED);
      }
    });

    test(`${name}: a CEK of the wrong length is refused`, async () => {
      const ref = reference();
      for (const n of [enc.cekLength - 8, enc.cekLength + 8]) {
        await rejectsBoth((sync) => decryptWith(enc, sync, new Uint8Array(n), iv, ref.ciphertext, ref.tag, aad), DECRYPTION_FAILED);
      }
    });

    test(`${name}: a changed ciphertext, tag or AAD is refused`, async () => {
      const ref = reference();
      await rejectsBoth((sync) => decryptWith(enc, sync, cek, iv, flip(ref.ciphertext), ref.tag, aad), DECRYPTION_FAILED);
      await rejectsBoth((sync) => decryptWith(enc, sync, cek, iv, ref.ciphertext, flip(ref.tag, 15), aad), DECRYPTION_FAILED);
      await rejectsBoth((sync) => decryptWith(enc, sync, cek, iv, ref.ciphertext, ref.tag, flip(aad)), DECRYPTION_FAILED);
      await rejectsBoth((sync) => decryptWith(enc, sync, cek, flip(iv), ref.ciphertext, ref.tag, aad), DECRYPTION_FAILED);
    });
  }
});

describe('AES_CBC_HMAC_SHA2: every failure is one error', () => {
  for (const name of CBC) {
    const enc = resolveContentEncryption(name);
    const half = enc.cekLength / 2;
    const hash = `sha${half * 16}`;
    const cek = new Uint8Array(randomBytes(enc.cekLength));
    const iv = new Uint8Array(randomBytes(16));
    const aad = utf8('eyJlbmMiOiJBMTI4Q0JDLUhTMjU2In0');

    /** A ciphertext of two blocks whose last plaintext byte is `last`, with a correct tag (node:crypto). */
    function crafted(last: number): { ciphertext: Uint8Array; tag: Uint8Array } {
      const block = new Uint8Array(32).fill(0x41);
      block[31] = last;
      const c = createCipheriv(`aes-${half * 8}-cbc`, cek.subarray(half), iv).setAutoPadding(false);
      const ciphertext = new Uint8Array(Buffer.concat([c.update(block), c.final()]));
      const al = Buffer.alloc(8);
      al.writeBigUInt64BE(BigInt(aad.length * 8));
      const mac = createHmac(hash, cek.subarray(0, half)).update(aad).update(iv).update(ciphertext).update(al).digest();
      return { ciphertext, tag: new Uint8Array(mac.subarray(0, half)) };
    }

    test(`${name}: a correct MAC over a bad padding fails like a bad tag (same code, same message)`, async () => {
      // Control: the same construction with a valid padding byte decrypts, so the MAC is right.
      const good = crafted(0x01);
      for (const pt of await bothForms((sync) => decryptWith(enc, sync, cek, iv, good.ciphertext, good.tag, aad))) assert.equal(pt.length, 31);

      const badTag = await errorOf(() => enc.decrypt(cek, iv, good.ciphertext, flip(good.tag), aad));
      assert.equal(badTag.code, DECRYPTION_FAILED);
      for (const last of [0x00, 0x11, 0xff]) {
        const bad = crafted(last);
        await rejectsBoth((sync) => decryptWith(enc, sync, cek, iv, bad.ciphertext, bad.tag, aad), DECRYPTION_FAILED);
        const err = await errorOf(() => enc.decrypt(cek, iv, bad.ciphertext, bad.tag, aad));
        assert.equal(err.message, badTag.message);
        assert.equal(err.constructor, badTag.constructor);
        assert.equal(err.cause, undefined);
      }
    });

    test(`${name}: lengths that cannot be right fail the same way`, async () => {
      const good = crafted(0x01);
      const cases: Array<[string, () => unknown]> = [
        ['truncated tag', () => enc.decrypt(cek, iv, good.ciphertext, good.tag.subarray(0, half - 1), aad)],
        ['extended tag', () => enc.decrypt(cek, iv, good.ciphertext, new Uint8Array([...good.tag, 0]), aad)],
        ['15-byte IV', () => enc.decrypt(cek, iv.subarray(0, 15), good.ciphertext, good.tag, aad)],
        ['short CEK', () => enc.decrypt(cek.subarray(1), iv, good.ciphertext, good.tag, aad)],
        ['empty ciphertext', () => enc.decrypt(cek, iv, new Uint8Array(0), good.tag, aad)],
        ['ragged ciphertext', () => enc.decrypt(cek, iv, good.ciphertext.subarray(1), good.tag, aad)],
      ];
      const reference = await errorOf(() => enc.decrypt(cek, iv, good.ciphertext, flip(good.tag), aad));
      for (const [label, run] of cases) {
        const err = await errorOf(run);
        assert.equal(err.code, DECRYPTION_FAILED, label);
        assert.equal(err.message, reference.message, label);
      }
      if (platform.syncSupported) {
        assert.throws(() => enc.decryptSync(cek, iv, good.ciphertext.subarray(1), good.tag, aad), { code: DECRYPTION_FAILED });
      }
    });

    test(`${name}: the MAC is checked before anything is decrypted`, async () => {
      const good = crafted(0x01);
      const original = { async: platform.aesCBCDecrypt, sync: platform.aesCBCDecryptSync };
      let calls = 0;
      const p = platform as { -readonly [K in keyof typeof platform]: (typeof platform)[K] };
      p.aesCBCDecrypt = (...args) => {
        calls++;
        return original.async(...args);
      };
      p.aesCBCDecryptSync = (...args) => {
        calls++;
        return original.sync(...args);
      };
      try {
        await rejectsBoth((sync) => decryptWith(enc, sync, cek, iv, good.ciphertext, flip(good.tag), aad), DECRYPTION_FAILED);
        assert.equal(calls, 0, 'no AES-CBC decryption for a bad tag');
        await bothForms((sync) => decryptWith(enc, sync, cek, iv, good.ciphertext, good.tag, aad));
        assert.equal(calls, platform.syncSupported ? 2 : 1);
      } finally {
        p.aesCBCDecrypt = original.async;
        p.aesCBCDecryptSync = original.sync;
      }
    });

    test(`${name}: MAC_KEY is the first half of the CEK, ENC_KEY the second (RFC 7518 §5.2.2.1)`, async () => {
      const plaintext = utf8('x');
      const out = await enc.encrypt(cek, iv, plaintext, aad);
      const c = createCipheriv(`aes-${half * 8}-cbc`, cek.subarray(half), iv);
      assert.equal(toHex(out.ciphertext), toHex(Buffer.concat([c.update(plaintext), c.final()])));
    });
  }
});

describe('encrypt refuses what it cannot have been given by the jwe layer', () => {
  for (const name of JWE_ENCRYPTIONS) {
    test(`${name}: wrong CEK or IV length: ERR_INVALID_ARGUMENT`, async () => {
      const enc = resolveContentEncryption(name);
      const cek = new Uint8Array(enc.cekLength);
      const iv = new Uint8Array(enc.ivLength);
      await rejectsBoth((sync) => encryptWith(enc, sync, cek.subarray(1), iv, utf8('x'), utf8('')), 'ERR_INVALID_ARGUMENT');
      await rejectsBoth((sync) => encryptWith(enc, sync, cek, iv.subarray(1), utf8('x'), utf8('')), 'ERR_INVALID_ARGUMENT');
    });
  }
});
