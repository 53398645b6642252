/** decodeJWT (untrusted inspection) and the unsecured-JWT API (RFC 7519 §6), the only home of alg none. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet } from '../../../src/jwk/jwks.ts';
import { encryptJWE } from '../../../src/jwe/compact.ts';
import { decodeJWT, decodeUnsecuredJWT, encodeUnsecuredJWT, signJWT } from '../../../src/jwt/index.ts';
import { AT, NOW, SECRET, b64u, claimsJWT, ec, rawJWT, rejectsEverywhere } from './fixtures.ts';

describe('decodeJWT', () => {
  test('a JWS: header and claims, marked unverified; the signature is NOT checked', async () => {
    const token = await claimsJWT({ iss: 'i', sub: 'ada' }, { typ: 'JWT', kid: 'k' });
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    for (const t of [token, forged]) {
      const d = decodeJWT(t);
      assert.equal(d.kind, 'jws');
      assert.equal(d.verified, false);
      assert.deepEqual({ ...d.header }, { alg: 'HS256', typ: 'JWT', kid: 'k' });
      assert.deepEqual(d.kind === 'jws' && d.claims, { iss: 'i', sub: 'ada' });
      assert.ok(Object.isFrozen(d.header));
    }
  });
  test('a JWS whose payload is not a JSON object: claims undefined', async () => {
    for (const payload of ['hello', '[1]', '"x"', '']) {
      const d = decodeJWT(await rawJWT(payload));
      assert.equal(d.kind === 'jws' && d.claims, undefined, payload);
    }
  });
  test('a JWE: the protected header, and encrypted: true', async () => {
    const token = await encryptJWE('{"sub":"a"}', new Uint8Array(32).fill(1), { alg: 'dir', enc: 'A256GCM', protectedHeader: { kid: 'e1', cty: 'JWT' } });
    const d = decodeJWT(token);
    assert.equal(d.kind, 'jwe');
    assert.equal(d.kind === 'jwe' && d.encrypted, true);
    assert.deepEqual({ ...d.header }, { alg: 'dir', enc: 'A256GCM', kid: 'e1', cty: 'JWT' });
    assert.equal('claims' in d, false);
  });
  test('strict parsing still applies', async () => {
    const token = await claimsJWT({ sub: 'a' });
    const [h, p, s] = token.split('.') as [string, string, string];
    assert.throws(() => decodeJWT(`${h}.${p}=.${s}`), { code: 'ERR_BASE64URL_INVALID' });
    assert.throws(() => decodeJWT(`${h}.${p.replace(/-/g, '+')}+.${s}`), { code: 'ERR_BASE64URL_INVALID' });
    assert.throws(() => decodeJWT(`${h}=.${p}.${s}`), { code: 'ERR_BASE64URL_INVALID' });
    assert.throws(() => decodeJWT(`${b64u('{"alg":"HS256","alg":"none"}')}.${p}.${s}`), { code: 'ERR_JSON_DUPLICATE_MEMBER' });
    assert.throws(() => decodeJWT(`${b64u('[]')}.${p}.${s}`), { code: 'ERR_JSON_INVALID' });
    assert.throws(() => decodeJWT(`${h}.${b64u('{"a":1,"a":2}')}.${s}`), { code: 'ERR_JSON_DUPLICATE_MEMBER' });
    for (const bad of ['', 'a', 'a.b', 'a.b.c.d', 'a.b.c.d.e.f', `${token}.x`]) assert.throws(() => decodeJWT(bad), { code: 'ERR_JWT_INVALID' }, bad);
    assert.throws(() => decodeJWT(1 as never), { code: 'ERR_JWT_INVALID' });
    assert.throws(() => decodeJWT(`${h}.${'A'.repeat(300_000)}.${s}`), { code: 'ERR_TOKEN_TOO_LARGE' });
  });
});

describe('unsecured JWTs (RFC 7519 §6)', () => {
  test('encode: alg none, an empty signature, claims options applied', () => {
    const token = encodeUnsecuredJWT({ sub: 'ada' }, { currentDate: AT, expiresIn: 60, typ: 'JWT' });
    const [h, p, s] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(h as string, 'base64url').toString()), { alg: 'none', typ: 'JWT' });
    assert.deepEqual(JSON.parse(Buffer.from(p as string, 'base64url').toString()), { sub: 'ada', exp: NOW + 60, iat: NOW });
    assert.equal(s, '');
  });
  test('RFC 7519 §6.1 example decodes (with currentDate before its exp)', () => {
    const example =
      'eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.';
    const { payload, header } = decodeUnsecuredJWT(example, { currentDate: new Date(1300819370_000), issuer: 'joe' });
    assert.deepEqual(payload, { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true });
    assert.equal(header.alg, 'none');
    assert.throws(() => decodeUnsecuredJWT(example), { code: 'ERR_JWT_EXPIRED' });
  });
  test('decode validates claims and typ like verifyJWT', () => {
    const token = encodeUnsecuredJWT({ iss: 'a' }, { currentDate: AT, expiresIn: 10 });
    assert.throws(() => decodeUnsecuredJWT(token, { currentDate: new Date((NOW + 10) * 1000) }), { code: 'ERR_JWT_EXPIRED' });
    assert.throws(() => decodeUnsecuredJWT(token, { currentDate: AT, issuer: 'b' }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'iss', reason: 'mismatch' });
    assert.throws(() => decodeUnsecuredJWT(token, { currentDate: AT, typ: 'JWT' }), { code: 'ERR_JWT_TYPE_INVALID' });
    const bad = `${b64u('{"alg":"none"}')}.${b64u(`{"exp":"${NOW + 60}"}`)}.`;
    assert.throws(() => decodeUnsecuredJWT(bad, { currentDate: AT }), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'exp', reason: 'invalid' });
  });
  test('decode refuses anything that is not unsecured, so it cannot skip a signature check', async () => {
    const signed = await signJWT({ sub: 'a' }, SECRET, { alg: 'HS256' });
    assert.throws(() => decodeUnsecuredJWT(signed), { code: 'ERR_JWT_INVALID' });
    const [h, p] = signed.split('.');
    assert.throws(() => decodeUnsecuredJWT(`${h}.${p}.`), { code: 'ERR_JWT_INVALID' });
    const none = encodeUnsecuredJWT({ sub: 'a' });
    assert.throws(() => decodeUnsecuredJWT(`${none}AAAA`), { code: 'ERR_JWT_INVALID' });
    assert.throws(() => decodeUnsecuredJWT(`${b64u('{"alg":"None"}')}.${b64u('{}')}.`), { code: 'ERR_JWT_INVALID' });
    assert.throws(() => decodeUnsecuredJWT(`${b64u('{"alg":"none","crit":["x"],"x":1}')}.${b64u('{}')}.`), { code: 'ERR_CRIT_UNSUPPORTED' });
    assert.throws(() => decodeUnsecuredJWT(`${b64u('{"alg":"none","b64":false,"crit":["b64"]}')}.{}.`), { code: 'ERR_JWT_INVALID' });
    assert.throws(() => decodeUnsecuredJWT('a.b.c.d.e'), { code: 'ERR_JWS_EXPECTED' });
    assert.throws(() => decodeUnsecuredJWT('a.b'), { code: 'ERR_JWT_INVALID' });
  });
  test('encode refuses a header that is not unsecured → ERR_INVALID_ARGUMENT', () => {
    for (const header of [{ alg: 'HS256' }, { crit: ['x'], x: 1 }, { b64: false }]) {
      assert.throws(() => encodeUnsecuredJWT({}, { header }), { code: 'ERR_INVALID_ARGUMENT' });
    }
  });
  test('every verify entry point refuses an unsecured JWT with ERR_ALG_NONE, whatever the key and options', async () => {
    const token = encodeUnsecuredJWT({ sub: 'a' }, { currentDate: AT });
    const set = createLocalJWKSet({ keys: [ec.publicJWK] });
    for (const key of [SECRET, ec.publicJWK, set]) {
      await rejectsEverywhere(token, key, { currentDate: AT }, { code: 'ERR_ALG_NONE' });
      await rejectsEverywhere(token, key, { currentDate: AT, algorithms: ['none', 'HS256', 'ES256'] }, { code: 'ERR_ALG_NONE' });
    }
    await rejectsEverywhere(token, () => SECRET, { currentDate: AT, algorithms: ['none'] }, { code: 'ERR_ALG_NONE' });
  });
});
