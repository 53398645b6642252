/**
 * The attacks listed in issue 4, one test each, asserting the code (and claim and reason): typ
 * confusion (THREATS.md §22), claim type confusion (§19), serialization confusion (§18), nested
 * tokens with an unsigned inner layer, replicated-claim mismatch, and header-supplied key
 * locations (`jku`, `x5u`, `jwk`) that must never be fetched or trusted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from '../../helpers/node-keygen.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from '../../../src/jwa/types.ts';
import { createLocalJWKSet } from '../../../src/jwk/jwks.ts';
import { encryptJWE } from '../../../src/jwe/compact.ts';
import { signJWS } from '../../../src/jws/compact.ts';
import {
  decryptAndVerifyJWT,
  decryptJWT,
  encodeUnsecuredJWT,
  encryptJWT,
  signJWT,
  verifyJWT,
} from '../../../src/jwt/index.ts';
import { AT, NOW, SECRET, claimsJWT, ec, rawJWT, rejectsEverywhere } from './fixtures.ts';

const at = { currentDate: AT };
const CEK = new Uint8Array(32).fill(3);
const dir = { alg: 'dir', enc: 'A256GCM' } as const;
const ISS = 'https://issuer.example';
const API = 'https://api.example';

describe('issue 4 attacks', () => {
  test('an ID-token-typed JWT where an access token is required → ERR_JWT_TYPE_INVALID', async () => {
    const idToken = { iss: ISS, sub: 'ada', aud: API, client_id: 'app', exp: NOW + 60, iat: NOW, jti: 'j', nonce: 'n' };
    for (const header of [{ typ: 'JWT' }, {}, { typ: 'id_token+jwt' }]) {
      await rejectsEverywhere(await claimsJWT(idToken, header), SECRET, { ...at, profile: 'at+jwt', issuer: ISS, audience: API }, { code: 'ERR_JWT_TYPE_INVALID' });
    }
  });
  test('exp as a string → ERR_JWT_CLAIM_INVALID (exp, invalid)', async () => {
    await rejectsEverywhere(await rawJWT('{"exp":"9999999999"}'), SECRET, at, { code: 'ERR_JWT_CLAIM_INVALID', claim: 'exp', reason: 'invalid' });
  });
  test('exp beyond 2^53 → ERR_JWT_CLAIM_INVALID (exp, invalid)', async () => {
    for (const exp of ['9007199254740993', '18446744073709551615', '1e309']) {
      await rejectsEverywhere(await rawJWT(`{"exp":${exp}}`), SECRET, at, { code: 'ERR_JWT_CLAIM_INVALID', claim: 'exp', reason: 'invalid' });
    }
  });
  test('aud array with a non-string → ERR_JWT_CLAIM_INVALID (aud, invalid)', async () => {
    await rejectsEverywhere(await rawJWT(`{"aud":["${API}",{"toString":"x"}]}`), SECRET, { ...at, audience: API }, { code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud', reason: 'invalid' });
  });
  test('iss as an array → ERR_JWT_CLAIM_INVALID (iss, invalid)', async () => {
    await rejectsEverywhere(await rawJWT(`{"iss":["${ISS}"]}`), SECRET, { ...at, issuer: ISS }, { code: 'ERR_JWT_CLAIM_INVALID', claim: 'iss', reason: 'invalid' });
  });
  test('a JWE given to verify → ERR_JWS_EXPECTED', async () => {
    await rejectsEverywhere(await encryptJWT({ sub: 'a' }, CEK, dir), CEK, at, { code: 'ERR_JWS_EXPECTED' });
  });
  test('a JWS given to decrypt → ERR_JWE_EXPECTED', async () => {
    const jws = await signJWT({ sub: 'a' }, SECRET, { alg: 'HS256' });
    await assert.rejects(decryptJWT(jws, SECRET), { code: 'ERR_JWE_EXPECTED' });
    await assert.rejects(decryptAndVerifyJWT(jws, { decryptKey: SECRET }, { verifyKey: SECRET }), { code: 'ERR_JWE_EXPECTED' });
  });
  test('a nested token whose inner layer is alg none → ERR_ALG_NONE', async () => {
    const token = await encryptJWE(encodeUnsecuredJWT({ sub: 'admin', iss: ISS }), CEK, { ...dir, protectedHeader: { cty: 'JWT', iss: ISS } });
    await assert.rejects(decryptAndVerifyJWT(token, { decryptKey: CEK }, { verifyKey: ec.publicJWK, verifyOptions: { issuer: ISS } }), { code: 'ERR_ALG_NONE' });
  });
  test('outer/inner iss mismatch → ERR_JWT_CLAIM_INVALID (iss, mismatch)', async () => {
    const inner = await signJWT({ sub: 'ada' }, ec.privateJWK, { alg: 'ES256', issuer: 'https://attacker.example' });
    const token = await encryptJWE(inner, CEK, { ...dir, protectedHeader: { cty: 'JWT', iss: ISS } });
    await assert.rejects(decryptAndVerifyJWT(token, { decryptKey: CEK }, { verifyKey: ec.publicJWK }), {
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'iss',
      reason: 'mismatch',
    });
  });
});

describe('header-supplied key locations are never followed or trusted (jku, x5u, jwk)', () => {
  const attacker = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const attackerPrivate = attacker.privateKey.export({ format: 'jwk' }) as JWK;
  const attackerPublic = attacker.publicKey.export({ format: 'jwk' }) as JWK;
  let server: Server;
  let requests = 0;
  let url = '';

  before(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [{ ...attackerPublic, kid: 'evil' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('the loopback server works (so a zero count below means it was never asked)', async () => {
    const before = requests;
    await (await fetch(url)).json();
    assert.equal(requests, before + 1);
    requests = 0;
  });

  test('a token whose jku points at the attacker\'s keys is verified only with the configured key', async () => {
    const headers = [{ jku: url, kid: 'evil' }, { x5u: url, kid: 'evil' }, { jwk: attackerPublic }, { jku: url, jwk: attackerPublic, kid: 'evil' }];
    for (const protectedHeader of headers) {
      const token = await signJWS(JSON.stringify({ sub: 'admin', exp: NOW + 60 }), attackerPrivate, { alg: 'ES256', protectedHeader });
      await rejectsEverywhere(token, ec.publicJWK, at, { code: 'ERR_JWS_SIGNATURE_INVALID' });
      await rejectsEverywhere(token, ec.publicJWK, { ...at, algorithms: ['ES256'] }, { code: 'ERR_JWS_SIGNATURE_INVALID' });
      // With a key set, the attacker's kid matches nothing in the configured set.
      const set = createLocalJWKSet({ keys: [{ ...ec.publicJWK, kid: 'good' }] });
      await rejectsEverywhere(token, set, at, { code: protectedHeader.kid === 'evil' ? 'ERR_JWKS_NO_MATCHING_KEY' : 'ERR_JWS_SIGNATURE_INVALID' });
    }
    assert.equal(requests, 0);
  });

  test('a genuine token that carries a jku still verifies with the configured key, without any fetch', async () => {
    const token = await signJWS(JSON.stringify({ sub: 'ada', exp: NOW + 60 }), ec.privateJWK, { alg: 'ES256', protectedHeader: { jku: url, x5u: url } });
    await rejectsEverywhere(token, attackerPublic, at, { code: 'ERR_JWS_SIGNATURE_INVALID' });
    const { payload } = await verifyJWT(token, ec.publicJWK, at);
    assert.equal(payload.sub, 'ada');
    assert.equal(requests, 0);
  });
});
