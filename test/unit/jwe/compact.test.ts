/**
 * JWE Compact Serialization (RFC 7516 §7.1): round trips for a representative set of `alg` × `enc`,
 * header layout, `zip` (RFC 7516 §4.1.3) and its cap, key resolution, factories and the test seam.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import { TesseraKey } from '../../../src/jwa/key.ts';
import { importKey } from '../../../src/jwk/import.ts';
import { createLocalJWKSet } from '../../../src/jwk/jwks.ts';
import { withFixedRandomness } from '../../../src/jwe/_seam.ts';
import { decryptJWE, encryptJWE, encryptJWESync, decryptJWESync } from '../../../src/jwe/compact.ts';
import { createDecrypter, createDecrypterSync, createEncrypter, createEncrypterSync } from '../../../src/jwe/factories.ts';
import type { JWEHeader } from '../../../src/jwe/types.ts';
import { loadVector } from '../../helpers/vectors.ts';
import { APIS, CASES, headerOf, p256, rsa, s16, s32, secret, text } from './fixtures.ts';

for (const api of APIS) {
  describe(`compact JWE round trips (${api.name}, ${platform.name})`, () => {
    for (const c of CASES) {
      test(c.name, async () => {
        const token = await api.encrypt('Live long and prosper.', c.encryptKey, { alg: c.alg, enc: c.enc, ...(c.p2c && { p2c: c.p2c }) });
        const parts = token.split('.');
        assert.equal(parts.length, 5);
        const header = headerOf(parts[0] as string);
        // RFC 7516 §7.1: everything is in the protected header, alg and enc first.
        assert.deepEqual(Object.keys(header).slice(0, 2), ['alg', 'enc']);
        assert.equal(header.alg, c.alg);
        assert.equal(header.enc, c.enc);
        for (const p of c.parameters) assert.ok(header[p] !== undefined, `${p} is in the protected header`);
        // RFC 7516 §5.1 step 5: dir and ECDH-ES have an empty encrypted key.
        assert.equal(parts[1] === '', c.direct);
        const out = await api.decrypt(token, c.decryptKey, c.decrypt);
        assert.equal(text(out.plaintext), 'Live long and prosper.');
        assert.deepEqual(out.protectedHeader, header);
        assert.ok(out.key instanceof TesseraKey);
        assert.equal(out.unprotectedHeader, undefined);
        assert.equal(out.sharedUnprotectedHeader, undefined);
      });
    }

    test('empty and binary plaintexts', async () => {
      const bytes = new Uint8Array(1000).map((_, i) => i % 256);
      for (const p of [new Uint8Array(0), bytes]) {
        const token = await api.encrypt(p, s32, { alg: 'A256KW', enc: 'A128CBC-HS256' });
        assert.deepEqual(new Uint8Array((await api.decrypt(token, s32)).plaintext), p);
      }
    });

    test('protectedHeader members are carried after alg and enc; the key bound alg is used when none is given', async () => {
      const key = await importKey(s32, { alg: 'A256KW' });
      const token = await api.encrypt('x', key, { enc: 'A256GCM', protectedHeader: { typ: 'JWT', cty: 'JWT', kid: 'k1' } });
      const header = headerOf(token.split('.')[0] as string);
      assert.deepEqual(Object.keys(header), ['alg', 'enc', 'typ', 'cty', 'kid']);
      assert.equal(header.alg, 'A256KW');
      const out = await api.decrypt(token, key);
      assert.equal(out.protectedHeader.kid, 'k1');
    });

    test('zip: DEF is declared in the protected header and the plaintext compressed', async () => {
      const plaintext = 'a'.repeat(10_000);
      const plain = await api.encrypt(plaintext, s32, { alg: 'dir', enc: 'A256GCM' });
      const zipped = await api.encrypt(plaintext, s32, { alg: 'dir', enc: 'A256GCM', zip: 'DEF' });
      assert.deepEqual(headerOf(zipped.split('.')[0] as string), { alg: 'dir', enc: 'A256GCM', zip: 'DEF' });
      assert.ok(zipped.length < plain.length / 10);
      assert.equal(text((await api.decrypt(zipped, s32)).plaintext), plaintext);
    });

    test('zip: the decompressed size is capped (default 250,000 bytes, configurable)', async () => {
      // THREATS.md §9: 1 MB of zeros deflates to about 1 kB.
      const bomb = await api.encrypt(new Uint8Array(1_000_000), s32, { alg: 'dir', enc: 'A256GCM', zip: 'DEF' });
      assert.ok(bomb.length < 5_000);
      await assert.rejects(api.decrypt(bomb, s32), { code: 'ERR_JWE_DECOMPRESSION_LIMIT' });
      await assert.rejects(api.decrypt(bomb, s32, { maxDecompressedLength: 999_999 }), { code: 'ERR_JWE_DECOMPRESSION_LIMIT' });
      assert.equal((await api.decrypt(bomb, s32, { maxDecompressedLength: 1_000_000 })).plaintext.length, 1_000_000);
      const small = await api.encrypt(new Uint8Array(250_000), s32, { alg: 'dir', enc: 'A256GCM', zip: 'DEF' });
      assert.equal((await api.decrypt(small, s32)).plaintext.length, 250_000);
      const over = await api.encrypt(new Uint8Array(250_001), s32, { alg: 'dir', enc: 'A256GCM', zip: 'DEF' });
      await assert.rejects(api.decrypt(over, s32), { code: 'ERR_JWE_DECOMPRESSION_LIMIT' });
    });

    test('a key set selects by kid and what fits the alg (use "enc")', async () => {
      const set = createLocalJWKSet(
        {
          keys: [
            { ...p256.privateJWK, kid: 'ec', use: 'enc' },
            { ...rsa.privateJWK, kid: 'rsa', use: 'enc' },
            { kty: 'oct', k: Buffer.from(s32).toString('base64url'), kid: 'aes' },
            { ...p256.privateJWK, kid: 'ec-sig', use: 'sig' },
          ],
        },
        { allowPrivate: true },
      );
      const t1 = await api.encrypt('one', p256.publicJWK, { alg: 'ECDH-ES+A128KW', enc: 'A128GCM', protectedHeader: { kid: 'ec' } });
      assert.equal(text((await api.decrypt(t1, set)).plaintext), 'one');
      const t2 = await api.encrypt('two', rsa.publicJWK, { alg: 'RSA-OAEP', enc: 'A128GCM' });
      assert.equal(text((await api.decrypt(t2, set)).plaintext), 'two');
      const t3 = await api.encrypt('three', s32, { alg: 'A256KW', enc: 'A128GCM', protectedHeader: { kid: 'aes' } });
      assert.equal(text((await api.decrypt(t3, set)).plaintext), 'three');
      // "use": "sig" keys are never chosen for decryption.
      const t4 = await api.encrypt('four', p256.publicJWK, { alg: 'ECDH-ES', enc: 'A128GCM', protectedHeader: { kid: 'ec-sig' } });
      await assert.rejects(api.decrypt(t4, set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    });

    test('a resolver receives the header and needs explicit algorithms', async () => {
      const token = await api.encrypt('hi', s16, { alg: 'A128KW', enc: 'A128GCM', protectedHeader: { kid: 'k7' } });
      const seen: JWEHeader[] = [];
      const resolver = (h: JWEHeader) => {
        seen.push(h);
        return s16;
      };
      await assert.rejects(api.decrypt(token, resolver), { code: 'ERR_ALG_REQUIRED' });
      const out = await api.decrypt(token, resolver, { algorithms: ['A128KW'] });
      assert.equal(text(out.plaintext), 'hi');
      assert.equal(seen[0]?.kid, 'k7');
    });
  });
}

describe(`compact JWE factories (${platform.name})`, () => {
  test('an encrypter encodes a parameter-free header once; ECDH-ES gets a fresh epk per token', async () => {
    const kw = await createEncrypter(s32, { alg: 'A256KW', enc: 'A256GCM', protectedHeader: { typ: 'JWT' } });
    assert.equal(kw.alg, 'A256KW');
    assert.equal(kw.enc, 'A256GCM');
    const [a, b] = [await kw.encrypt('x'), await kw.encrypt('x')];
    assert.equal(a.split('.')[0], b.split('.')[0]);
    // Fresh CEK and IV every time.
    assert.notEqual(a.split('.')[1], b.split('.')[1]);
    assert.notEqual(a.split('.')[2], b.split('.')[2]);
    const ec = await createEncrypter(p256.publicJWK, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' });
    const [c, d] = [await ec.encrypt('y'), await ec.encrypt('y')];
    assert.notDeepEqual(headerOf(c.split('.')[0] as string).epk, headerOf(d.split('.')[0] as string).epk);
    const dec = await createDecrypter(p256.privateJWK, { algorithms: ['ECDH-ES+A256KW'] });
    assert.equal(text((await dec.decrypt(c)).plaintext), 'y');
    assert.equal(text((await dec.decrypt(d)).plaintext), 'y');
  });

  test('a decrypter copies its allow-lists (a later change cannot widen them)', async () => {
    const algorithms = ['A128KW'];
    const encryptions = ['A128GCM'];
    const dec = await createDecrypter(s32, { algorithms, encryptions });
    algorithms.push('A256KW');
    encryptions.push('A256GCM');
    const token = await encryptJWE('x', s32, { alg: 'A256KW', enc: 'A128GCM' });
    await assert.rejects(dec.decrypt(token), { code: 'ERR_ALG_NOT_ALLOWED' });
    const token2 = await encryptJWE('x', s32, { alg: 'dir', enc: 'A256GCM' });
    await assert.rejects(dec.decrypt(token2), { code: 'ERR_ALG_NOT_ALLOWED' });
  });

  test('a decrypter checks its limits once, at creation', async () => {
    await assert.rejects(createDecrypter(s32, { maxPBES2Count: 999 }), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(createDecrypter(s32, { maxDecompressedLength: -1 }), { code: 'ERR_INVALID_ARGUMENT' });
  });

  test('a decrypter takes a key set or a resolver as is', async () => {
    const set = createLocalJWKSet({ keys: [{ kty: 'oct', k: Buffer.from(s16).toString('base64url'), kid: 'a' }] }, { allowPrivate: true });
    const dec = await createDecrypter(set);
    const token = await encryptJWE('x', s16, { alg: 'A128GCMKW', enc: 'A128GCM', protectedHeader: { kid: 'a' } });
    assert.equal(text((await dec.decrypt(token)).plaintext), 'x');
    const byResolver = await createDecrypter(() => s16, { algorithms: ['A128GCMKW'] });
    assert.equal(text((await byResolver.decrypt(token)).plaintext), 'x');
  });

  if (platform.syncSupported) {
    test('sync factories', () => {
      const enc = createEncrypterSync(rsa.publicJWK, { alg: 'RSA-OAEP-256', enc: 'A256CBC-HS512' });
      const dec = createDecrypterSync(rsa.privateJWK);
      const token = enc.encryptSync('sync');
      assert.equal(text(dec.decryptSync(token).plaintext), 'sync');
    });
  } else {
    test('sync APIs throw ERR_SYNC_UNSUPPORTED on WebCrypto', async () => {
      assert.throws(() => encryptJWESync('x', s32, { alg: 'dir', enc: 'A256GCM' }), { code: 'ERR_SYNC_UNSUPPORTED' });
      const token = await encryptJWE('x', s32, { alg: 'dir', enc: 'A256GCM' });
      assert.throws(() => decryptJWESync(token, s32), { code: 'ERR_SYNC_UNSUPPORTED' });
      const enc = await createEncrypter(s32, { alg: 'dir', enc: 'A256GCM' });
      assert.throws(() => enc.encryptSync('x'), { code: 'ERR_SYNC_UNSUPPORTED' });
      const dec = await createDecrypter(s32);
      assert.throws(() => dec.decryptSync(token), { code: 'ERR_SYNC_UNSUPPORTED' });
      assert.throws(() => createEncrypterSync(s32, { alg: 'dir', enc: 'A256GCM' }), { code: 'ERR_SYNC_UNSUPPORTED' });
      assert.throws(() => createDecrypterSync(s32), { code: 'ERR_SYNC_UNSUPPORTED' });
    });
  }
});

describe(`the test seam (${platform.name})`, () => {
  interface Appendix {
    readonly plaintext_utf8: string;
    readonly cek_b64u: string;
    readonly iv_b64u: string;
    readonly jwk: { k: string };
    readonly compact: string;
  }
  const a3 = loadVector<Appendix>('rfc-appendix/rfc7516_A.3.json');
  const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

  test('a fixed CEK and IV re-produce RFC 7516 A.3 byte for byte', async () => {
    const token = await withFixedRandomness({ cek: bytes(a3.cek_b64u), iv: bytes(a3.iv_b64u) }, () =>
      encryptJWE(a3.plaintext_utf8, bytes(a3.jwk.k), { alg: 'A128KW', enc: 'A128CBC-HS256' }),
    );
    assert.equal(token, a3.compact);
    if (platform.syncSupported) {
      const sync = withFixedRandomness({ cek: bytes(a3.cek_b64u), iv: bytes(a3.iv_b64u) }, () =>
        encryptJWESync(a3.plaintext_utf8, bytes(a3.jwk.k), { alg: 'A128KW', enc: 'A128CBC-HS256' }),
      );
      assert.equal(sync, a3.compact);
    }
  });

  test('the seam is restored afterwards, and headerOrder orders the protected header', async () => {
    const key = secret(16);
    const fixed = { cek: secret(32), iv: secret(16), headerOrder: ['kid', 'enc', 'alg'] };
    const t1 = await withFixedRandomness(fixed, () => encryptJWE('x', key, { alg: 'A128KW', enc: 'A128CBC-HS256', protectedHeader: { kid: 'k' } }));
    assert.deepEqual(Object.keys(headerOf(t1.split('.')[0] as string)), ['kid', 'enc', 'alg']);
    const t2 = await encryptJWE('x', key, { alg: 'A128KW', enc: 'A128CBC-HS256', protectedHeader: { kid: 'k' } });
    assert.deepEqual(Object.keys(headerOf(t2.split('.')[0] as string)), ['alg', 'enc', 'kid']);
    assert.notEqual(t1.split('.')[2], t2.split('.')[2]);
    // A throwing callback restores it too.
    assert.throws(() => withFixedRandomness(fixed, () => {
      throw new Error('boom');
    }));
    const t3 = await encryptJWE('x', key, { alg: 'A128KW', enc: 'A128CBC-HS256' });
    assert.notEqual(t3.split('.')[2], b64(fixed.iv));
  });
});

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
