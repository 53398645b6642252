/**
 * Explicit typing (RFC 8725 §3.11) and profiles (RFC 9068 `at+jwt`, OpenID Connect ID tokens):
 * a token of one kind never validates as another (THREATS.md §22).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JWT_PROFILES, normalizeTyp, signJWT, verifyJWT, decodeJWT, type JWTProfile } from '../../../src/jwt/index.ts';
import { AT, NOW, SECRET, acceptsEverywhere, claimsJWT, rejectsEverywhere } from './fixtures.ts';

const at = { currentDate: AT };
const ISS = 'https://issuer.example';
const access = { iss: ISS, sub: 'ada', aud: 'https://api.example', client_id: 'app', exp: NOW + 300, iat: NOW - 5, jti: 'j1' };
const rs = { ...at, profile: 'at+jwt' as const, issuer: ISS, audience: 'https://api.example' };

describe('typ', () => {
  test('normalizeTyp: case-insensitive, application/ prefix optional (RFC 7515 §4.1.9)', () => {
    assert.equal(normalizeTyp('JWT'), 'application/jwt');
    assert.equal(normalizeTyp('application/JWT'), 'application/jwt');
    assert.equal(normalizeTyp('AT+JWT'), 'application/at+jwt');
    assert.equal(normalizeTyp('example/jwt'), 'example/jwt');
    // Only ASCII letters fold: the Kelvin sign is not a "k".
    assert.notEqual(normalizeTyp('\u212Aey+jwt'), normalizeTyp('key+jwt'));
  });
  test('the same type in any spelling is accepted', async () => {
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/At+Jwt']) {
      await acceptsEverywhere(await claimsJWT({ sub: 'a' }, { typ }), SECRET, { ...at, typ: 'at+jwt' });
      await acceptsEverywhere(await claimsJWT({ sub: 'a' }, { typ: 'at+jwt' }), SECRET, { ...at, typ });
    }
  });
  test('another type → ERR_JWT_TYPE_INVALID', async () => {
    for (const typ of ['JWT', 'jwt', 'at+jwt2', 'application/jwt', 'text/at+jwt', 'secevent+jwt', 'at+jwt ']) {
      await rejectsEverywhere(await claimsJWT({ sub: 'a' }, { typ }), SECRET, { ...at, typ: 'at+jwt' }, { code: 'ERR_JWT_TYPE_INVALID' });
    }
  });
  test('no typ while one is required → ERR_JWT_TYPE_INVALID', async () => {
    await rejectsEverywhere(await claimsJWT({ sub: 'a' }), SECRET, { ...at, typ: 'JWT' }, { code: 'ERR_JWT_TYPE_INVALID' });
  });
  test('typ is checked after the signature', async () => {
    const forged = await claimsJWT({ sub: 'a' }, { typ: 'other' });
    const [h, p] = forged.split('.');
    await rejectsEverywhere(`${h}.${p}.${'A'.repeat(43)}`, SECRET, { ...at, typ: 'JWT' }, { code: 'ERR_JWS_SIGNATURE_INVALID' });
  });
});

describe('profile at+jwt (RFC 9068)', () => {
  test('an access token verifies', async () => {
    const payload = await acceptsEverywhere(await claimsJWT(access, { typ: 'at+jwt' }), SECRET, rs);
    assert.equal(payload.client_id, 'app');
  });
  test('an ID token (typ JWT) where an access token is required → ERR_JWT_TYPE_INVALID', async () => {
    const idToken = { iss: ISS, sub: 'ada', aud: 'https://api.example', exp: NOW + 300, iat: NOW - 5, nonce: 'n', client_id: 'app', jti: 'j' };
    await rejectsEverywhere(await claimsJWT(idToken, { typ: 'JWT' }), SECRET, rs, { code: 'ERR_JWT_TYPE_INVALID' });
    await rejectsEverywhere(await claimsJWT(idToken), SECRET, rs, { code: 'ERR_JWT_TYPE_INVALID' });
  });
  test('an access token where an ID token is required → ERR_JWT_TYPE_INVALID', async () => {
    const opts = { ...at, profile: 'id' as const, issuer: ISS, audience: 'https://api.example' };
    await rejectsEverywhere(await claimsJWT(access, { typ: 'at+jwt' }), SECRET, opts, { code: 'ERR_JWT_TYPE_INVALID' });
    await acceptsEverywhere(await claimsJWT(access, { typ: 'JWT' }), SECRET, opts);
  });
  for (const claim of JWT_PROFILES['at+jwt'].requiredClaims) {
    test(`without ${claim} → ERR_JWT_CLAIM_INVALID (${claim}, missing)`, async () => {
      const { [claim]: _gone, ...rest } = access as Record<string, unknown>;
      await rejectsEverywhere(await claimsJWT(rest, { typ: 'at+jwt' }), SECRET, rs, { code: 'ERR_JWT_CLAIM_INVALID', claim, reason: 'missing' });
    });
  }
  test('the profile needs the issuer and audience options (RFC 9068 §4) → ERR_INVALID_ARGUMENT', async () => {
    const token = await claimsJWT(access, { typ: 'at+jwt' });
    await rejectsEverywhere(token, SECRET, { ...at, profile: 'at+jwt', issuer: ISS }, { code: 'ERR_INVALID_ARGUMENT' });
    await rejectsEverywhere(token, SECRET, { ...at, profile: 'at+jwt', audience: 'https://api.example' }, { code: 'ERR_INVALID_ARGUMENT' });
  });
  test('typ and profile that disagree → ERR_INVALID_ARGUMENT', async () => {
    await rejectsEverywhere(await claimsJWT(access, { typ: 'at+jwt' }), SECRET, { ...rs, typ: 'JWT' }, { code: 'ERR_INVALID_ARGUMENT' });
    await acceptsEverywhere(await claimsJWT(access, { typ: 'at+jwt' }), SECRET, { ...rs, typ: 'application/AT+JWT' });
  });
  test('an unknown profile name, or a malformed profile → ERR_INVALID_ARGUMENT', async () => {
    const token = await claimsJWT(access, { typ: 'at+jwt' });
    for (const profile of ['access', 'toString', '__proto__', { typ: '' }, { typ: 'x' }, { typ: 'x', requiredClaims: [1] }, 5]) {
      await rejectsEverywhere(token, SECRET, { ...at, profile: profile as never }, { code: 'ERR_INVALID_ARGUMENT' });
    }
  });
  test('a profile of your own (data, not a global table)', async () => {
    const logout: JWTProfile = { typ: 'logout+jwt', requiredClaims: ['iss', 'events'] };
    await acceptsEverywhere(await claimsJWT({ iss: ISS, events: {} }, { typ: 'logout+jwt' }), SECRET, { ...at, profile: logout });
    await rejectsEverywhere(await claimsJWT({ iss: ISS }, { typ: 'logout+jwt' }), SECRET, { ...at, profile: logout }, {
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'events',
      reason: 'missing',
    });
    assert.ok(Object.isFrozen(JWT_PROFILES) && Object.isFrozen(JWT_PROFILES['at+jwt'].requiredClaims));
  });
});

describe('signing with a profile', () => {
  const claims = { client_id: 'app', scope: 'read' };
  const options = { alg: 'HS256', profile: 'at+jwt' as const, issuer: ISS, subject: 'ada', audience: 'https://api.example', expiresIn: '5m', jti: true as const };
  test('sets typ and issues a token the at+jwt verifier accepts', async () => {
    const token = await signJWT(claims, SECRET, options);
    assert.equal(decodeJWT(token).header.typ, 'at+jwt');
    const { payload } = await verifyJWT(token, SECRET, { profile: 'at+jwt', issuer: ISS, audience: 'https://api.example' });
    assert.equal(payload.client_id, 'app');
  });
  test('a required claim missing → ERR_JWT_CLAIM_INVALID (missing), nothing signed', async () => {
    await assert.rejects(signJWT({ scope: 'read' }, SECRET, options), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'client_id', reason: 'missing' });
    const { jti: _j, ...noJti } = options;
    await assert.rejects(signJWT(claims, SECRET, noJti), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'jti', reason: 'missing' });
  });
  test('a typ that contradicts the profile → ERR_INVALID_ARGUMENT', async () => {
    await assert.rejects(signJWT(claims, SECRET, { ...options, typ: 'JWT' }), { code: 'ERR_INVALID_ARGUMENT' });
    await assert.rejects(signJWT(claims, SECRET, { ...options, protectedHeader: { typ: 'JWT' } }), { code: 'ERR_INVALID_ARGUMENT' });
    const token = await signJWT(claims, SECRET, { ...options, protectedHeader: { typ: 'application/at+jwt' } });
    assert.equal(decodeJWT(token).header.typ, 'application/at+jwt');
  });
});
