/**
 * The JWE layer's rules, each with a case that breaks it and the code it must give: strict
 * parsing, header places (RFC 7516 §7.2.1), `zip` (§4.1.3), `crit` (RFC 7515 §4.1.11), required
 * `alg`/`enc`, allow-lists, recipients, and tampering with every part (one code for all:
 * ERR_JWE_DECRYPTION_FAILED).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import { signJWS } from '../../../src/jws/compact.ts';
import { decryptJWE, encryptJWE } from '../../../src/jwe/compact.ts';
import { decryptFlattenedJWE, encryptFlattenedJWE } from '../../../src/jwe/flattened.ts';
import { decryptGeneralJWE, encryptGeneralJWE } from '../../../src/jwe/general.ts';
import type { FlattenedJWE, GeneralJWE } from '../../../src/jwe/json-common.ts';
import type { JWEHeader } from '../../../src/jwe/types.ts';
import { APIS, CASES, b64u, clone, headerOf, mutate, p256, password, rsa, s16, s32, secret } from './fixtures.ts';

/** A compact token with its protected header replaced (the rest is then garbage, but parsing comes first). */
function withHeader(token: string, header: unknown): string {
  const parts = token.split('.');
  parts[0] = b64u(typeof header === 'string' ? header : JSON.stringify(header));
  return parts.join('.');
}

/** Changes the bytes of a base64url segment (re-encoded canonically). */
function bytes(change: (b: Uint8Array) => Uint8Array): (s: string) => string {
  return (s) => Buffer.from(change(new Uint8Array(Buffer.from(s, 'base64url')))).toString('base64url');
}

function part(token: string, index: number, change: (s: string) => string): string {
  const parts = token.split('.');
  parts[index] = change(parts[index] as string);
  return parts.join('.');
}

const token = await encryptJWE('secret', s32, { alg: 'A256KW', enc: 'A256GCM' });
const flat: FlattenedJWE = await encryptFlattenedJWE('secret', s32, { alg: 'A256KW', enc: 'A256GCM', unprotectedHeader: { kid: 'k' }, sharedUnprotectedHeader: { jku: 'https://x' }, aad: 'aad' });
const general: GeneralJWE = await encryptGeneralJWE('secret', [{ key: s32, alg: 'A256KW' }, { key: s16, alg: 'A128KW' }], { enc: 'A256GCM' });

for (const api of APIS) {
  describe(`JWE rules (${api.name}, ${platform.name})`, () => {
    test('a compact JWS, or any count of parts but five, is not a JWE', async () => {
      const jws = await signJWS('hello', s32, { alg: 'HS256' });
      await assert.rejects(api.decrypt(jws, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decrypt(`${token}.`, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decrypt(token.split('.').slice(0, 4).join('.'), s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decrypt(part(token, 0, () => ''), s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decrypt(42 as unknown as string, s32), { code: 'ERR_JWE_INVALID' });
    });

    test('strict parsing: sizes, base64url, JSON, member types', async () => {
      await assert.rejects(api.decrypt(token, s32, { maxTokenLength: 50 }), { code: 'ERR_TOKEN_TOO_LARGE' });
      await assert.rejects(api.decrypt(token, s32, { maxHeaderLength: 10 }), { code: 'ERR_HEADER_TOO_LARGE' });
      await assert.rejects(api.decrypt(part(token, 2, (s) => `${s}=`), s32), { code: 'ERR_BASE64URL_INVALID' });
      await assert.rejects(api.decrypt(part(token, 3, (s) => `+${s.slice(1)}`), s32), { code: 'ERR_BASE64URL_INVALID' });
      await assert.rejects(api.decrypt(part(token, 0, (s) => `${s}=`), s32), { code: 'ERR_BASE64URL_INVALID' });
      await assert.rejects(api.decrypt(withHeader(token, '{"alg":"A256KW","alg":"A256KW","enc":"A256GCM"}'), s32), { code: 'ERR_JSON_DUPLICATE_MEMBER' });
      await assert.rejects(api.decrypt(withHeader(token, '["A256KW"]'), s32), { code: 'ERR_JSON_INVALID' });
      await assert.rejects(api.decrypt(withHeader(token, { alg: 'A256KW', enc: 256 }), s32), { code: 'ERR_HEADER_INVALID' });
      await assert.rejects(api.decrypt(withHeader(token, { alg: 'A256KW', enc: 'A256GCM', epk: 'x' }), s32), { code: 'ERR_HEADER_INVALID' });
      await assert.rejects(api.decryptF({ ...flat, ciphertext: 1 }, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decryptF({ ...flat, header: 'kid' }, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decryptF({ ...flat, protected: '' }, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decryptF('{"iv":"","iv":""}', s32), { code: 'ERR_JSON_DUPLICATE_MEMBER' });
      await assert.rejects(api.decryptF('{"iv":', s32), { code: 'ERR_JSON_INVALID' });
      // As on the JWS side: text must be a JSON object (ERR_JSON_INVALID); other values are not a JWE.
      for (const notObject of ['[]', '"x"', '1']) {
        await assert.rejects(api.decryptF(notObject, s32), { code: 'ERR_JSON_INVALID' });
        await assert.rejects(api.decryptG(notObject, s32), { code: 'ERR_JSON_INVALID' });
      }
      for (const notObject of [[], null, 1]) {
        await assert.rejects(api.decryptF(notObject, s32), { code: 'ERR_JWE_INVALID' });
        await assert.rejects(api.decryptG(notObject, s32), { code: 'ERR_JWE_INVALID' });
      }
      await assert.rejects(api.decryptF(JSON.stringify(flat), s32, { maxTokenLength: 100 }), { code: 'ERR_TOKEN_TOO_LARGE' });
    });

    test('flattened and general are told apart', async () => {
      await assert.rejects(api.decryptF({ ...flat, recipients: [] }, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decryptG(flat, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decryptG({ ...general, header: {} }, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decryptG({ ...general, recipients: [] }, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decryptG({ ...general, recipients: ['x'] }, s32), { code: 'ERR_JWE_INVALID' });
      const many = { ...general, recipients: Array.from({ length: 17 }, () => general.recipients[0]) };
      await assert.rejects(api.decryptG(many, s32), { code: 'ERR_JWE_INVALID' });
    });

    test('"enc" and "alg" are required', async () => {
      await assert.rejects(api.decrypt(withHeader(token, { alg: 'A256KW' }), s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decrypt(withHeader(token, { enc: 'A256GCM' }), s32), { code: 'ERR_JWE_INVALID' });
      const noEnc = clone(flat);
      noEnc.protected = b64u('{"alg":"A256KW"}');
      await assert.rejects(api.decryptF(noEnc, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.encrypt('x', s32, { alg: 'A256KW' } as never), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.encryptF('x', s32, { alg: 'A256KW' } as never), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.encryptG('x', [{ key: s32, alg: 'A256KW' }], {} as never), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.encrypt('x', s32, { enc: 'A256GCM' }), { code: 'ERR_ALG_REQUIRED' });
    });

    test('zip: only "DEF", only in the protected header', async () => {
      // Decrypting: parsing rejects it before any key is touched.
      await assert.rejects(api.decryptF({ ...flat, unprotected: { zip: 'DEF' } }, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decryptF({ ...flat, header: { zip: 'DEF' } }, s32), { code: 'ERR_JWE_INVALID' });
      const g = clone(general);
      g.recipients[1] = { ...g.recipients[1], header: { zip: 'DEF' } };
      await assert.rejects(api.decryptG(g, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decrypt(withHeader(token, { alg: 'A256KW', enc: 'A256GCM', zip: 'GZIP' }), s32), { code: 'ERR_JWE_INVALID' });
      // Encrypting.
      await assert.rejects(api.encrypt('x', s32, { alg: 'dir', enc: 'A256GCM', zip: 'GZIP' as 'DEF' }), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.encrypt('x', s32, { alg: 'dir', enc: 'A256GCM', protectedHeader: { zip: 'GZIP' } }), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.encryptF('x', s32, { alg: 'dir', enc: 'A256GCM', unprotectedHeader: { zip: 'DEF' } }), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.encryptF('x', s32, { alg: 'dir', enc: 'A256GCM', sharedUnprotectedHeader: { zip: 'DEF' } }), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.encryptG('x', [{ key: s32, alg: 'A256KW', header: { zip: 'DEF' } }], { enc: 'A256GCM' }), { code: 'ERR_JWE_INVALID' });
    });

    test('header parameter names are disjoint across the three places (RFC 7516 §7.2.1)', async () => {
      await assert.rejects(api.decryptF({ ...flat, unprotected: { jku: 'https://x', kid: 'k' } }, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decryptF({ ...flat, header: { kid: 'k', enc: 'A256GCM' } }, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.decryptF({ ...flat, unprotected: { alg: 'A256KW' } }, s32), { code: 'ERR_JWE_INVALID' });
      const g = clone(general);
      g.unprotected = { alg: 'A256KW' };
      await assert.rejects(api.decryptG(g, s32), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.encryptF('x', s32, { alg: 'A256KW', enc: 'A256GCM', protectedHeader: { kid: 'a' }, unprotectedHeader: { kid: 'a' } }), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.encryptF('x', s32, { alg: 'A256KW', enc: 'A256GCM', sharedUnprotectedHeader: { kid: 'a' }, unprotectedHeader: { kid: 'a' } }), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(
        api.encryptG('x', [{ key: s32, alg: 'A256KW', header: { cty: 'a' } }], { enc: 'A256GCM', sharedUnprotectedHeader: { cty: 'a' } }),
        { code: 'ERR_JWE_INVALID' },
      );
    });

    test('recipients must agree on enc', async () => {
      const g = clone(general);
      g.protected = undefined as never;
      delete g.protected;
      g.recipients[0] = { ...g.recipients[0], header: { alg: 'A256KW', enc: 'A256GCM' } };
      g.recipients[1] = { ...g.recipients[1], header: { alg: 'A128KW', enc: 'A128GCM' } };
      await assert.rejects(api.decryptG(g, s32), { code: 'ERR_JWE_INVALID' });
    });

    test('dir and ECDH-ES allow one recipient only', async () => {
      await assert.rejects(api.encryptG('x', [{ key: s32, alg: 'dir' }, { key: s16, alg: 'A128KW' }], { enc: 'A256GCM' }), { code: 'ERR_JWE_INVALID' });
      await assert.rejects(api.encryptG('x', [{ key: s16, alg: 'A128KW' }, { key: p256.publicJWK, alg: 'ECDH-ES' }], { enc: 'A256GCM' }), { code: 'ERR_JWE_INVALID' });
      const g = clone(general);
      g.protected = b64u('{"enc":"A256GCM"}');
      g.recipients = [{ header: { alg: 'dir' } }, { header: { alg: 'A128KW' }, encrypted_key: 'AAAA' }];
      await assert.rejects(api.decryptG(g, s32), { code: 'ERR_JWE_INVALID' });
      g.recipients = [{ header: { alg: 'A128KW' }, encrypted_key: 'AAAA' }, { header: { alg: 'ECDH-ES', epk: p256.publicJWK } }];
      await assert.rejects(api.decryptG(g, s32), { code: 'ERR_JWE_INVALID' });
    });

    test('crit: protected, well formed, understood', async () => {
      const withCrit = await api.encrypt('x', s32, { alg: 'A256KW', enc: 'A256GCM', protectedHeader: { crit: ['exp1'], exp1: 1 } });
      await assert.rejects(api.decrypt(withCrit, s32), { code: 'ERR_CRIT_UNSUPPORTED' });
      assert.equal((await api.decrypt(withCrit, s32, { crit: ['exp1'] })).protectedHeader.exp1, 1);
      // b64 means nothing to a JWE: unknown like any other.
      const b64 = await api.encrypt('x', s32, { alg: 'A256KW', enc: 'A256GCM', protectedHeader: { crit: ['b64'], b64: false } });
      await assert.rejects(api.decrypt(b64, s32), { code: 'ERR_CRIT_UNSUPPORTED' });
      for (const crit of [[], 'exp1', ['enc'], ['zip'], ['p2c'], ['exp1', 'exp1'], [1]]) {
        await assert.rejects(api.decrypt(withHeader(token, { alg: 'A256KW', enc: 'A256GCM', crit, exp1: 1 }), s32, { crit: ['exp1'] }), { code: 'ERR_CRIT_INVALID' });
        await assert.rejects(api.encrypt('x', s32, { alg: 'A256KW', enc: 'A256GCM', protectedHeader: { crit, exp1: 1 } as never }), { code: 'ERR_CRIT_INVALID' });
      }
      // A listed parameter must be present.
      await assert.rejects(api.decrypt(withHeader(token, { alg: 'A256KW', enc: 'A256GCM', crit: ['exp2'] }), s32, { crit: ['exp2'] }), { code: 'ERR_CRIT_INVALID' });
      await assert.rejects(api.encrypt('x', s32, { alg: 'A256KW', enc: 'A256GCM', protectedHeader: { crit: ['exp2'] } }), { code: 'ERR_CRIT_INVALID' });
      // crit must be integrity protected.
      await assert.rejects(api.decryptF({ ...flat, unprotected: { crit: ['exp1'], exp1: 1 } }, s32, { crit: ['exp1'] }), { code: 'ERR_CRIT_INVALID' });
      await assert.rejects(api.encryptF('x', s32, { alg: 'A256KW', enc: 'A256GCM', unprotectedHeader: { crit: ['exp1'], exp1: 1 } }), { code: 'ERR_CRIT_INVALID' });
    });

    test('alg and enc are pinned to their allow-lists', async () => {
      await assert.rejects(api.decrypt(token, s32, { algorithms: ['A128KW', 'dir'] }), { code: 'ERR_ALG_NOT_ALLOWED' });
      await assert.rejects(api.decrypt(token, s32, { encryptions: ['A128GCM'] }), { code: 'ERR_ALG_NOT_ALLOWED' });
      // Derived from the key: an RSA key allows RSA-OAEP only.
      await assert.rejects(api.decrypt(token, rsa.privateJWK), { code: 'ERR_ALG_NOT_ALLOWED' });
      // Derived from a 16-byte secret: A128KW, A128GCMKW, dir, never A256KW.
      await assert.rejects(api.decrypt(token, s16), { code: 'ERR_ALG_NOT_ALLOWED' });
      await assert.rejects(api.decrypt(withHeader(token, { alg: 'A256KW', enc: 'A256GCM+X' }), s32), { code: 'ERR_ALG_UNSUPPORTED' });
      await assert.rejects(api.decrypt(withHeader(token, { alg: 'RSA1_5', enc: 'A256GCM' }), rsa.privateJWK, { algorithms: ['RSA1_5'] }), { code: 'ERR_ALG_UNSUPPORTED' });
      await assert.rejects(api.decrypt(withHeader(token, { alg: 'none', enc: 'A256GCM' }), s32, { algorithms: ['none'] }), { code: 'ERR_ALG_UNSUPPORTED' });
    });

    test('PBES2 only when explicitly allowed, and p2c within the cap', async () => {
      const pbes2 = await api.encrypt('x', password, { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 2000 });
      await assert.rejects(api.decrypt(pbes2, password), { code: 'ERR_ALG_NOT_ALLOWED' });
      await assert.rejects(api.decryptF(await api.encryptF('x', password, { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1000 }), password), { code: 'ERR_ALG_NOT_ALLOWED' });
      const allow = { algorithms: ['PBES2-HS256+A128KW'] };
      assert.equal((await api.decrypt(pbes2, password, allow)).plaintext.length, 1);
      await assert.rejects(api.decrypt(pbes2, password, { ...allow, maxPBES2Count: 1999 }), { code: 'ERR_PBES2_COUNT' });
      await assert.rejects(api.decrypt(pbes2, password, { ...allow, maxPBES2Count: 999 }), { code: 'ERR_INVALID_ARGUMENT' });
      await assert.rejects(api.decrypt(pbes2, password, { ...allow, maxPBES2Count: 1500.5 }), { code: 'ERR_INVALID_ARGUMENT' });
    });

    test('bad limits and keys', async () => {
      for (const maxDecompressedLength of [Number.NaN, 0, -1, 1.5, Infinity]) {
        await assert.rejects(api.decrypt(token, s32, { maxDecompressedLength }), { code: 'ERR_INVALID_ARGUMENT' });
      }
      await assert.rejects(api.decrypt(token, undefined as never), { code: 'ERR_KEY_EMPTY' });
      await assert.rejects(api.decrypt(token, () => undefined as never, { algorithms: ['A256KW'] }), { code: 'ERR_KEY_EMPTY' });
      await assert.rejects(api.encrypt('x', rsa.publicJWK, { alg: 'A256KW', enc: 'A256GCM' }), { code: 'ERR_KEY_TYPE_MISMATCH' });
      await assert.rejects(api.decrypt(token, rsa.privateJWK, { algorithms: ['A256KW'] }), { code: 'ERR_KEY_TYPE_MISMATCH' });
      // A public key cannot decrypt.
      const ec = await api.encrypt('x', p256.publicJWK, { alg: 'ECDH-ES', enc: 'A128GCM' });
      await assert.rejects(api.decrypt(ec, p256.publicJWK), { code: 'ERR_KEY_PRIVATE_REQUIRED' });
    });

    test('the caller cannot set the algorithm parameters or give alg/enc twice', async () => {
      for (const m of ['epk', 'apu', 'apv', 'iv', 'tag', 'p2s', 'p2c']) {
        await assert.rejects(api.encrypt('x', s32, { alg: 'A256KW', enc: 'A256GCM', protectedHeader: { [m]: 'AAAA' } }), { code: 'ERR_INVALID_ARGUMENT' });
        await assert.rejects(api.encryptF('x', s32, { alg: 'A256KW', enc: 'A256GCM', unprotectedHeader: { [m]: 'AAAA' } }), { code: 'ERR_INVALID_ARGUMENT' });
      }
      await assert.rejects(api.encrypt('x', s32, { alg: 'A256KW', enc: 'A256GCM', protectedHeader: { alg: 'dir' } }), { code: 'ERR_INVALID_ARGUMENT' });
      await assert.rejects(api.encrypt('x', s32, { alg: 'A256KW', enc: 'A256GCM', protectedHeader: { enc: 'A128GCM' } }), { code: 'ERR_INVALID_ARGUMENT' });
      await assert.rejects(api.encryptG('x', [{ key: s32, alg: 'A256KW', header: { alg: 'dir' } }], { enc: 'A256GCM' }), { code: 'ERR_INVALID_ARGUMENT' });
      await assert.rejects(api.encryptG('x', [], { enc: 'A256GCM' }), { code: 'ERR_INVALID_ARGUMENT' });
      await assert.rejects(api.encryptG('x', [{ key: s32, alg: 'A256KW' }, { key: s16, alg: 'A128KW' }], { enc: 'A256GCM', keyManagementParameters: 'protected' }), { code: 'ERR_INVALID_ARGUMENT' });
      await assert.rejects(api.encrypt(42 as never, s32, { alg: 'dir', enc: 'A256GCM' }), { code: 'ERR_INVALID_ARGUMENT' });
    });
  });

  describe(`tampering gives ERR_JWE_DECRYPTION_FAILED (${api.name}, ${platform.name})`, () => {
    for (const c of CASES) {
      test(c.name, async () => {
        const t = await api.encrypt('tamper-proof', c.encryptKey, { alg: c.alg, enc: c.enc, ...(c.p2c && { p2c: c.p2c }) });
        const fails = (bad: string) => assert.rejects(api.decrypt(bad, c.decryptKey, c.decrypt), { code: 'ERR_JWE_DECRYPTION_FAILED' });
        await fails(part(t, 2, mutate)); // IV
        await fails(part(t, 3, mutate)); // ciphertext
        await fails(part(t, 4, mutate)); // tag
        await fails(part(t, 4, bytes((b) => b.subarray(0, b.length - 1)))); // truncated tag
        await fails(part(t, 4, bytes((b) => new Uint8Array([...b, 0])))); // extended tag
        await fails(part(t, 2, bytes((b) => b.subarray(0, b.length - 1)))); // wrong IV length
        if (!c.direct) {
          await fails(part(t, 1, mutate)); // encrypted key
          await fails(part(t, 1, bytes((b) => b.subarray(0, b.length - 8)))); // truncated encrypted key
        }
        // The protected header, changed but still valid and meaning the same: the AAD differs.
        const header = headerOf(t.split('.')[0] as string);
        await fails(withHeader(t, { ...header, kid: 'added' }));
      });
    }

    test('the JSON aad, iv, tag, ciphertext, encrypted_key and protected header', async () => {
      const fails = (bad: unknown) => assert.rejects(api.decryptF(bad, s32), { code: 'ERR_JWE_DECRYPTION_FAILED' });
      assert.equal((await api.decryptF(flat, s32)).plaintext.length, 6);
      await fails({ ...flat, aad: mutate(flat.aad as string) });
      await fails({ ...flat, aad: undefined });
      await fails({ ...flat, iv: mutate(flat.iv) });
      await fails({ ...flat, tag: mutate(flat.tag) });
      await fails({ ...flat, ciphertext: mutate(flat.ciphertext) });
      await fails({ ...flat, encrypted_key: mutate(flat.encrypted_key as string) });
      await fails({ ...flat, protected: b64u(JSON.stringify({ ...headerOf(flat.protected as string), typ: 'x' })) });
      // The unprotected headers are not protected: changing them (without breaking the rules) still decrypts.
      assert.equal((await api.decryptF({ ...flat, header: { kid: 'other' } }, s32)).plaintext.length, 6);
    });

    test('a wrong key of the right kind', async () => {
      for (const c of CASES.filter((x) => x.decryptKey instanceof Uint8Array)) {
        const t = await api.encrypt('x', c.encryptKey, { alg: c.alg, enc: c.enc, ...(c.p2c && { p2c: c.p2c }) });
        const other = c.decryptKey === password ? new TextEncoder().encode('wrong password') : secret((c.decryptKey as Uint8Array).length);
        await assert.rejects(api.decrypt(t, other, c.decrypt), { code: 'ERR_JWE_DECRYPTION_FAILED' });
      }
    });
  });
}

describe(`general JWE tampering (${platform.name})`, () => {
  test('every shared part, and each recipient key', async () => {
    const fails = (bad: unknown, key: Uint8Array = s32) => assert.rejects(decryptGeneralJWE(bad, key), { code: 'ERR_JWE_DECRYPTION_FAILED' });
    await fails({ ...general, ciphertext: mutate(general.ciphertext) });
    await fails({ ...general, tag: mutate(general.tag) });
    await fails({ ...general, iv: mutate(general.iv) });
    await fails({ ...general, aad: b64u('added') });
    const g = clone(general);
    g.recipients[0] = { ...g.recipients[0], encrypted_key: mutate(g.recipients[0]?.encrypted_key as string) };
    await fails(g);
    // Recipient 1 is intact: its key still decrypts.
    assert.equal((await decryptGeneralJWE(g, s16)).recipientIndex, 1);
    await assert.rejects(decryptJWE(token, s32, { algorithms: ['A256KW'], encryptions: [] }), { code: 'ERR_ALG_NOT_ALLOWED' });
  });
});

describe(`RFC 7516 §11.5: an unwrap failure goes on with a random CEK (${platform.name})`, () => {
  test('the content step still runs, with a CEK of the right length, and fails like a bad tag', async () => {
    // Spy on the platform's AES-GCM decryption: the content step must run even though the
    // encrypted key was tampered with, so neither the code nor the work tells the two apart.
    const seen: number[] = [];
    const p = platform as unknown as Record<string, (...args: unknown[]) => unknown>;
    const original = { async: p.aesGCMDecrypt, sync: p.aesGCMDecryptSync };
    p.aesGCMDecrypt = (...args: unknown[]) => {
      seen.push((args[0] as Uint8Array).length);
      return (original.async as (...a: unknown[]) => unknown).apply(platform, args);
    };
    p.aesGCMDecryptSync = (...args: unknown[]) => {
      seen.push((args[0] as Uint8Array).length);
      return (original.sync as (...a: unknown[]) => unknown).apply(platform, args);
    };
    try {
      for (const api of APIS) {
        seen.length = 0;
        const t = await api.encrypt('x', s32, { alg: 'A256KW', enc: 'A256GCM' });
        await assert.rejects(api.decrypt(part(t, 1, mutate), s32), { code: 'ERR_JWE_DECRYPTION_FAILED' });
        assert.deepEqual(seen, [32], api.name);
      }
    } finally {
      p.aesGCMDecrypt = original.async as (...args: unknown[]) => unknown;
      p.aesGCMDecryptSync = original.sync as (...args: unknown[]) => unknown;
    }
  });
});

describe(`header members are data (${platform.name})`, () => {
  test('a "__proto__" member is sent as a member, and refused as an unknown crit name like any other', async () => {
    const protectedHeader = JSON.parse('{"__proto__":{"x":1},"crit":["__proto__"]}') as JWEHeader;
    const t = await encryptJWE('x', s32, { alg: 'A256KW', enc: 'A256GCM', protectedHeader });
    assert.deepEqual(Object.keys(headerOf(t.split('.')[0] as string)), ['alg', 'enc', '__proto__', 'crit']);
    await assert.rejects(decryptJWE(t, s32), { code: 'ERR_CRIT_UNSUPPORTED' });
    assert.deepEqual(new Uint8Array((await decryptJWE(t, s32, { crit: ['__proto__'] })).plaintext), new TextEncoder().encode('x'));
  });
});
