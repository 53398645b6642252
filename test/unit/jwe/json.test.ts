/**
 * JWE JSON Serializations (RFC 7516 §7.2): flattened and general, several recipients, the shared
 * protected and unprotected headers, per-recipient headers, and `aad` (RFC 7516 §5.1 step 14).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import { createLocalJWKSet } from '../../../src/jwk/jwks.ts';
import type { GeneralJWE } from '../../../src/jwe/json-common.ts';
import { APIS, CASES, b64u, clone, headerOf, p256, password, rsa, s16, s32, secret, text, x25519 } from './fixtures.ts';

for (const api of APIS) {
  describe(`flattened JWE (${api.name}, ${platform.name})`, () => {
    for (const c of CASES) {
      test(`round trip: ${c.name}`, async () => {
        const jwe = await api.encryptF('hello', c.encryptKey, {
          alg: c.alg,
          enc: c.enc,
          ...(c.p2c && { p2c: c.p2c }),
          unprotectedHeader: { kid: 'r1' },
          sharedUnprotectedHeader: { jku: 'https://example.com/jwks' },
        });
        // alg and enc are protected; the algorithm's parameters go in the recipient's header.
        assert.deepEqual(headerOf(jwe.protected as string), { alg: c.alg, enc: c.enc });
        assert.deepEqual(Object.keys(jwe.header ?? {}).sort(), ['kid', ...c.parameters].sort());
        assert.deepEqual(jwe.unprotected, { jku: 'https://example.com/jwks' });
        assert.equal(jwe.encrypted_key === undefined, c.direct);
        assert.equal(jwe.aad, undefined);
        const out = await api.decryptF(jwe, c.decryptKey, c.decrypt);
        assert.equal(text(out.plaintext), 'hello');
        assert.deepEqual(out.protectedHeader, { alg: c.alg, enc: c.enc });
        assert.deepEqual(out.unprotectedHeader, jwe.header);
        assert.deepEqual(out.sharedUnprotectedHeader, jwe.unprotected);
        // As JSON text too.
        assert.equal(text((await api.decryptF(JSON.stringify(jwe), c.decryptKey, c.decrypt)).plaintext), 'hello');
      });
    }

    test('keyManagementParameters: "protected" puts epk in the protected header (as RFC 7520 §5.4 does)', async () => {
      const jwe = await api.encryptF('hi', p256.publicJWK, {
        alg: 'ECDH-ES+A128KW',
        enc: 'A128GCM',
        protectedHeader: { kid: 'ec' },
        keyManagementParameters: 'protected',
      });
      const header = headerOf(jwe.protected as string);
      assert.deepEqual(Object.keys(header), ['alg', 'enc', 'kid', 'epk']);
      assert.equal(jwe.header, undefined);
      assert.equal(text((await api.decryptF(jwe, p256.privateJWK)).plaintext), 'hi');
      // epk is now integrity protected: changing it breaks the tag (or the epk itself).
      const bad = { ...jwe, protected: b64u(JSON.stringify({ ...header, kid: 'other' })) };
      await assert.rejects(api.decryptF(bad, p256.privateJWK), { code: 'ERR_JWE_DECRYPTION_FAILED' });
    });

    test('aad is authenticated and returned', async () => {
      const jwe = await api.encryptF('hi', s32, { alg: 'A256GCMKW', enc: 'A256GCM', aad: 'context' });
      assert.equal(jwe.aad, b64u('context'));
      const out = await api.decryptF(jwe, s32);
      assert.equal(text(out.additionalAuthenticatedData as Uint8Array), 'context');
      const bytes = await api.encryptF('hi', s32, { alg: 'A256KW', enc: 'A256GCM', aad: new Uint8Array([0, 1, 2]) });
      assert.deepEqual((await api.decryptF(bytes, s32)).additionalAuthenticatedData, new Uint8Array([0, 1, 2]));
    });

    test('alg and enc may travel in an unprotected header; the protected header may then be absent', async () => {
      const jwe = await api.encryptF('hi', s16, {
        enc: 'A128GCM',
        unprotectedHeader: { alg: 'A128KW', kid: 'x' },
        sharedUnprotectedHeader: { enc: 'A128GCM' },
      });
      assert.equal(jwe.protected, undefined);
      assert.deepEqual(jwe.header, { alg: 'A128KW', kid: 'x' });
      assert.deepEqual(jwe.unprotected, { enc: 'A128GCM' });
      const out = await api.decryptF(jwe, s16);
      assert.equal(text(out.plaintext), 'hi');
      assert.deepEqual(out.protectedHeader, {});
      // With aad and no protected header, the AAD is '.' || BASE64URL(aad) (RFC 7516 §5.1 step 14).
      const withAAD = await api.encryptF('hi', s16, { enc: 'A128GCM', unprotectedHeader: { alg: 'A128KW' }, sharedUnprotectedHeader: { enc: 'A128GCM' }, aad: 'a' });
      assert.equal(text((await api.decryptF(withAAD, s16)).plaintext), 'hi');
    });

    test('zip round trip', async () => {
      const jwe = await api.encryptF('z'.repeat(5000), s32, { alg: 'A256KW', enc: 'A256GCM', zip: 'DEF' });
      assert.equal(headerOf(jwe.protected as string).zip, 'DEF');
      assert.equal(text((await api.decryptF(jwe, s32)).plaintext), 'z'.repeat(5000));
    });
  });

  describe(`general JWE (${api.name}, ${platform.name})`, () => {
    const recipients = [
      { key: s16, alg: 'A128KW', header: { kid: 'aes' } },
      { key: rsa.publicJWK, alg: 'RSA-OAEP-256', header: { kid: 'rsa' } },
      { key: p256.publicJWK, alg: 'ECDH-ES+A256KW', header: { kid: 'ec' }, apu: new TextEncoder().encode('Alice') },
    ];

    test('three recipients with different algorithms: each key decrypts, recipientIndex says which', async () => {
      const jwe = await api.encryptG('for three', recipients, {
        enc: 'A256GCM',
        protectedHeader: { cty: 'text/plain' },
        sharedUnprotectedHeader: { jku: 'https://example.com/jwks' },
        aad: 'shared context',
      });
      assert.deepEqual(Object.keys(jwe), ['protected', 'unprotected', 'recipients', 'aad', 'iv', 'ciphertext', 'tag']);
      assert.deepEqual(headerOf(jwe.protected as string), { enc: 'A256GCM', cty: 'text/plain' });
      assert.equal(jwe.recipients.length, 3);
      assert.deepEqual(jwe.recipients[0]?.header, { alg: 'A128KW', kid: 'aes' });
      assert.deepEqual(jwe.recipients[1]?.header, { alg: 'RSA-OAEP-256', kid: 'rsa' });
      const ecHeader = jwe.recipients[2]?.header ?? {};
      assert.equal(ecHeader.alg, 'ECDH-ES+A256KW');
      assert.equal(ecHeader.apu, b64u('Alice'));
      assert.ok(ecHeader.epk !== undefined);
      for (const r of jwe.recipients) assert.ok(typeof r.encrypted_key === 'string');
      const keys = [s16, rsa.privateJWK, p256.privateJWK];
      for (const [i, key] of keys.entries()) {
        const out = await api.decryptG(jwe, key);
        assert.equal(text(out.plaintext), 'for three');
        assert.equal(out.recipientIndex, i);
        assert.deepEqual(out.unprotectedHeader, jwe.recipients[i]?.header);
        assert.deepEqual(out.sharedUnprotectedHeader, { jku: 'https://example.com/jwks' });
        assert.deepEqual(out.protectedHeader, { enc: 'A256GCM', cty: 'text/plain' });
        assert.equal(text(out.additionalAuthenticatedData as Uint8Array), 'shared context');
      }
      // A key set: the first recipient whose kid matches a key of the set.
      const set = createLocalJWKSet({ keys: [{ ...p256.privateJWK, kid: 'ec' }] }, { allowPrivate: true });
      assert.equal((await api.decryptG(jwe, set)).recipientIndex, 2);
    });

    test('the same key under several recipients: the first that decrypts wins', async () => {
      const jwe = await api.encryptG('x', [{ key: s32, alg: 'A256KW' }, { key: s32, alg: 'A256GCMKW' }], { enc: 'A128GCM' });
      assert.equal((await api.decryptG(jwe, s32)).recipientIndex, 0);
      assert.equal((await api.decryptG(jwe, s32, { algorithms: ['A256GCMKW'] })).recipientIndex, 1);
    });

    test('when no recipient decrypts: their common error, else ERR_JWE_DECRYPTION_FAILED', async () => {
      const jwe = await api.encryptG('for three', recipients, { enc: 'A256GCM' });
      // A 32-byte secret fits none of the algorithms: every recipient fails with ERR_ALG_NOT_ALLOWED.
      await assert.rejects(api.decryptG(jwe, secret(32)), { code: 'ERR_ALG_NOT_ALLOWED' });
      // A wrong 16-byte secret: recipient 0 fails to decrypt, the others are not allowed.
      await assert.rejects(api.decryptG(jwe, secret(16)), { code: 'ERR_JWE_DECRYPTION_FAILED' });
      // Every recipient fails to decrypt.
      const two = await api.encryptG('x', [{ key: s16, alg: 'A128KW' }, { key: secret(16), alg: 'A128KW' }], { enc: 'A128GCM' });
      await assert.rejects(api.decryptG(two, secret(16)), { code: 'ERR_JWE_DECRYPTION_FAILED' });
    });

    test('one recipient: dir, ECDH-ES, PBES2, X25519, and keyManagementParameters "protected"', async () => {
      const dir = await api.encryptG('d', [{ key: s32, alg: 'dir' }], { enc: 'A256GCM' });
      assert.equal(dir.recipients[0]?.encrypted_key, undefined);
      assert.deepEqual(dir.recipients[0]?.header, { alg: 'dir' });
      assert.equal(text((await api.decryptG(dir, s32)).plaintext), 'd');
      const es = await api.encryptG('e', [{ key: x25519.publicJWK, alg: 'ECDH-ES' }], { enc: 'A128CBC-HS256' });
      assert.equal(text((await api.decryptG(es, x25519.privateJWK)).plaintext), 'e');
      const pbes2 = await api.encryptG('p', [{ key: password, alg: 'PBES2-HS256+A128KW', p2c: 1000 }], { enc: 'A128GCM' });
      assert.equal(pbes2.recipients[0]?.header?.p2c, 1000);
      assert.equal(text((await api.decryptG(pbes2, password, { algorithms: ['PBES2-HS256+A128KW'] })).plaintext), 'p');
      const prot = await api.encryptG('q', [{ key: p256.publicJWK, alg: 'ECDH-ES' }], { enc: 'A128GCM', keyManagementParameters: 'protected' });
      assert.deepEqual(Object.keys(headerOf(prot.protected as string)), ['alg', 'enc', 'epk']);
      assert.equal(prot.recipients[0]?.header, undefined);
      assert.equal(text((await api.decryptG(prot, p256.privateJWK)).plaintext), 'q');
    });

    test('zip and a shared alg in the protected header', async () => {
      const jwe: GeneralJWE = await api.encryptG(
        'y'.repeat(3000),
        [{ key: s16, header: { kid: 'a' } }, { key: secret(16), header: { kid: 'b' } }],
        { enc: 'A128CBC-HS256', zip: 'DEF', protectedHeader: { alg: 'A128KW' } },
      );
      assert.deepEqual(headerOf(jwe.protected as string), { enc: 'A128CBC-HS256', zip: 'DEF', alg: 'A128KW' });
      assert.deepEqual(jwe.recipients[0]?.header, { kid: 'a' });
      const out = await api.decryptG(clone(jwe), s16);
      assert.equal(text(out.plaintext), 'y'.repeat(3000));
      assert.equal(out.recipientIndex, 0);
    });
  });
}
