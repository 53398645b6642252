/**
 * RFC examples: RFC 7519 §3.1 (the HS256 JWT of RFC 7515 A.1), RFC 7519 Appendix A.1 (an encrypted
 * JWT) and A.2 (a nested JWT), both with RSA1_5, which tessera does not implement, and the
 * RFC 7520 §6 nesting vector through decryptAndVerifyJWT.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import type { JWK } from '../../../src/jwa/types.ts';
import { decodeJWT, decryptAndVerifyJWT, decryptAndVerifyJWTSync, decryptJWT, verifyJWT, verifyJWTSync } from '../../../src/jwt/index.ts';
import { loadVector, publicJWK, type AppendixJWS } from '../../helpers/vectors.ts';
import { syncOrUnsupported } from './fixtures.ts';

const A1_JWS = loadVector<AppendixJWS>('rfc-appendix/rfc7515_A.1.json');
const RSA1_5_KEY = loadVector<{ jwk: JWK }>('rfc-appendix/rfc7516_A.2.json').jwk;
const RFC7515_A2_KEY = loadVector<{ jwk: JWK }>('rfc-appendix/rfc7515_A.2.json').jwk;
const EXP = 1300819380;
const before = new Date((EXP - 10) * 1000);

/** RFC 7519 Appendix A.1: RSA1_5 + A128CBC-HS256, plaintext the claims of §3.1 (values from the RFC). */
const RFC7519_A1 =
  'eyJhbGciOiJSU0ExXzUiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0.' +
  'QR1Owv2ug2WyPBnbQrRARTeEk9kDO2w8qDcjiHnSJflSdv1iNqhWXaKH4MqAkQtM' +
  'oNfABIPJaZm0HaA415sv3aeuBWnD8J-Ui7Ah6cWafs3ZwwFKDFUUsWHSK-IPKxLG' +
  'TkND09XyjORj_CHAgOPJ-Sd8ONQRnJvWn_hXV1BNMHzUjPyYwEsRhDhzjAD26ima' +
  'sOTsgruobpYGoQcXUwFDn7moXPRfDE8-NoQX7N7ZYMmpUDkR-Cx9obNGwJQ3nM52' +
  'YCitxoQVPzjbl7WBuB7AohdBoZOdZ24WlN1lVIeh8v1K4krB8xgKvRU8kgFrEn_a' +
  '1rZgN5TiysnmzTROF869lQ.' +
  'AxY8DCtDaGlsbGljb3RoZQ.' +
  'MKOle7UQrG6nSxTLX6Mqwt0orbHvAKeWnDYvpIAeZ72deHxz3roJDXQyhxx0wKaM' +
  'HDjUEOKIwrtkHthpqEanSBNYHZgmNOV7sln1Eu9g3J8.' +
  'fiK51VwhsxJ-siBMR-YFiA';

/** RFC 7519 Appendix A.2: the RFC 7515 A.2 RS256 JWT, nested in RSA1_5 + A128CBC-HS256, cty JWT. */
const RFC7519_A2 =
  'eyJhbGciOiJSU0ExXzUiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiY3R5IjoiSldU' +
  'In0.' +
  'g_hEwksO1Ax8Qn7HoN-BVeBoa8FXe0kpyk_XdcSmxvcM5_P296JXXtoHISr_DD_M' +
  'qewaQSH4dZOQHoUgKLeFly-9RI11TG-_Ge1bZFazBPwKC5lJ6OLANLMd0QSL4fYE' +
  'b9ERe-epKYE3xb2jfY1AltHqBO-PM6j23Guj2yDKnFv6WO72tteVzm_2n17SBFvh' +
  'DuR9a2nHTE67pe0XGBUS_TK7ecA-iVq5COeVdJR4U4VZGGlxRGPLRHvolVLEHx6D' +
  'YyLpw30Ay9R6d68YCLi9FYTq3hIXPK_-dmPlOUlKvPr1GgJzRoeC9G5qCvdcHWsq' +
  'JGTO_z3Wfo5zsqwkxruxwA.' +
  'UmVkbW9uZCBXQSA5ODA1Mg.' +
  'VwHERHPvCNcHHpTjkoigx3_ExK0Qc71RMEParpatm0X_qpg-w8kozSjfNIPPXiTB' +
  'BLXR65CIPkFqz4l1Ae9w_uowKiwyi9acgVztAi-pSL8GQSXnaamh9kX1mdh3M_TT' +
  '-FZGQFQsFhu0Z72gJKGdfGE-OE7hS1zuBD5oEUfk0Dmb0VzWEzpxxiSSBbBAzP10' +
  'l56pPfAtrjEYw-7ygeMkwBl6Z_mLS6w6xUgKlvW6ULmkV-uLC4FUiyKECK4e3WZY' +
  'Kw1bpgIqGYsw2v_grHjszJZ-_I5uM-9RA8ycX9KqPRp9gc6pXmoU_-27ATs9XCvr' +
  'ZXUtK2902AUzqpeEUJYjWWxSNsS-r1TJ1I-FMJ4XyAiGrfmo9hQPcNBYxPz3GQb2' +
  '8Y5CLSQfNgKSGt0A4isp1hBUXBHAndgtcslt7ZoQJaKe_nNJgNliWtWpJ_ebuOpE' +
  'l8jdhehdccnRMIwAmU1n7SPkmhIl1HlSOpvcvDfhUN5wuqU955vOBvfkBOh5A11U' +
  'zBuo2WlgZ6hYi9-e3w29bR0C2-pp3jbqxEDw3iWaf2dc5b-LnR0FEYXvI_tYk5rd' +
  '_J9N0mg0tQ6RbpxNEMNoA9QWk5lgdPvbh9BaO195abQ.' +
  'AVO9iT5AV4CzvDJCdhSFlQ';

describe('RFC 7519 §3.1: the example JWT (HS256, the RFC 7515 A.1 key)', () => {
  const claims = { iss: 'joe', exp: EXP, 'http://example.com/is_root': true };
  test('verifies and validates before its exp', async () => {
    const r = await verifyJWT(A1_JWS.compact, A1_JWS.jwk as JWK, { currentDate: before, issuer: 'joe', typ: 'JWT', requiredClaims: ['exp'] });
    assert.deepEqual(r.payload, claims);
    assert.deepEqual({ ...r.protectedHeader }, { typ: 'JWT', alg: 'HS256' });
    await syncOrUnsupported(
      () => verifyJWTSync(A1_JWS.compact, A1_JWS.jwk as JWK, { currentDate: before, issuer: 'joe' }),
      (r2) => assert.deepEqual((r2 as { payload: unknown }).payload, claims),
    );
  });
  test('is expired at and after 1300819380 (ERR_JWT_EXPIRED), and today', async () => {
    await assert.rejects(verifyJWT(A1_JWS.compact, A1_JWS.jwk as JWK, { currentDate: new Date(EXP * 1000) }), { code: 'ERR_JWT_EXPIRED', claim: 'exp' });
    await assert.rejects(verifyJWT(A1_JWS.compact, A1_JWS.jwk as JWK), { code: 'ERR_JWT_EXPIRED' });
  });
  test('another issuer → mismatch', async () => {
    await assert.rejects(verifyJWT(A1_JWS.compact, A1_JWS.jwk as JWK, { currentDate: before, issuer: 'jane' }), {
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'iss',
      reason: 'mismatch',
    });
  });
});

describe('RFC 7519 Appendix A: RSA1_5 is not implemented (Bleichenbacher/Marvin), so both examples fail closed', () => {
  test('A.1 encrypted JWT → ERR_ALG_UNSUPPORTED', async () => {
    assert.deepEqual({ ...decodeJWT(RFC7519_A1).header }, { alg: 'RSA1_5', enc: 'A128CBC-HS256' });
    await assert.rejects(decryptJWT(RFC7519_A1, RSA1_5_KEY, { currentDate: before }), { code: 'ERR_ALG_UNSUPPORTED' });
    await assert.rejects(decryptJWT(RFC7519_A1, RSA1_5_KEY, { algorithms: ['RSA1_5'] }), { code: 'ERR_ALG_UNSUPPORTED' });
  });
  test('A.2 nested JWT → ERR_ALG_UNSUPPORTED', async () => {
    assert.deepEqual({ ...decodeJWT(RFC7519_A2).header }, { alg: 'RSA1_5', enc: 'A128CBC-HS256', cty: 'JWT' });
    const parts = { verifyKey: publicJWK(RFC7515_A2_KEY), verifyOptions: { currentDate: before, issuer: 'joe' } };
    await assert.rejects(decryptAndVerifyJWT(RFC7519_A2, { decryptKey: RSA1_5_KEY }, parts), { code: 'ERR_ALG_UNSUPPORTED' });
    if (platform.syncSupported) assert.throws(() => decryptAndVerifyJWTSync(RFC7519_A2, { decryptKey: RSA1_5_KEY }, parts), { code: 'ERR_ALG_UNSUPPORTED' });
  });
});

describe('RFC 7520 §6: nesting signatures and encryption, through decryptAndVerifyJWT', () => {
  const file = loadVector<{
    sign: { input: { key: JWK; payload: string } };
    encrypt: { input: { key: JWK }; output: { compact: string } };
  }>('rfc7520/6.nesting_signatures_and_encryption.json');
  const token = file.encrypt.output.compact;
  const decrypt = { decryptKey: file.encrypt.input.key, decryptOptions: { algorithms: ['RSA-OAEP'], encryptions: ['A128GCM'] } };
  const verifyKey = publicJWK(file.sign.input.key);
  test('decrypts, verifies PS256, validates (typ JWT, iss) before its exp', async () => {
    const r = await decryptAndVerifyJWT(token, decrypt, {
      verifyKey,
      verifyOptions: { algorithms: ['PS256'], currentDate: before, issuer: 'hobbiton.example', typ: 'JWT' },
    });
    assert.deepEqual(r.payload, JSON.parse(file.sign.input.payload));
    assert.deepEqual({ ...r.jweHeader }, { alg: 'RSA-OAEP', cty: 'JWT', enc: 'A128GCM' });
    assert.equal(r.protectedHeader.alg, 'PS256');
  });
  test('after its exp → ERR_JWT_EXPIRED; with PS256 not allowed → ERR_ALG_NOT_ALLOWED', async () => {
    await assert.rejects(decryptAndVerifyJWT(token, decrypt, { verifyKey, verifyOptions: { currentDate: new Date(EXP * 1000) } }), { code: 'ERR_JWT_EXPIRED' });
    await assert.rejects(decryptAndVerifyJWT(token, decrypt, { verifyKey, verifyOptions: { currentDate: before, algorithms: ['RS256'] } }), {
      code: 'ERR_ALG_NOT_ALLOWED',
    });
  });
});
