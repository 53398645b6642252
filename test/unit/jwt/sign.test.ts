/** signJWT: the claims the options add, the checks on what is issued, and the Sync variant. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import { verifyJWS } from '../../../src/jws/compact.ts';
import { decodeJWT, signJWT, signJWTSync, verifyJWT, type JWTSignOptions } from '../../../src/jwt/index.ts';
import { AT, NOW, SECRET, ec, syncOrUnsupported, unb64u } from './fixtures.ts';

const claimsOf = (token: string): Record<string, unknown> => JSON.parse(unb64u(token.split('.')[1] as string)) as Record<string, unknown>;
const headerOf = (token: string): Record<string, unknown> => JSON.parse(unb64u(token.split('.')[0] as string)) as Record<string, unknown>;
const base: JWTSignOptions = { alg: 'HS256', currentDate: AT };

describe('signJWT', () => {
  test('a compact JWS whose payload is the claims JSON, verifiable by the JWS layer', async () => {
    const token = await signJWT({ sub: 'ada', n: 1, nested: { a: [1, 'x'] } }, SECRET, { ...base, iat: false });
    const r = await verifyJWS(token, SECRET, { algorithms: ['HS256'] });
    assert.deepEqual(JSON.parse(new TextDecoder().decode(r.payload)), { sub: 'ada', n: 1, nested: { a: [1, 'x'] } });
    assert.deepEqual(headerOf(token), { alg: 'HS256' });
  });
  test('iat is added by default at currentDate; iat: false leaves it out; a given iat is kept', async () => {
    assert.equal(claimsOf(await signJWT({}, SECRET, base)).iat, NOW);
    assert.equal('iat' in claimsOf(await signJWT({}, SECRET, { ...base, iat: false })), false);
    assert.equal(claimsOf(await signJWT({ iat: NOW - 50 }, SECRET, base)).iat, NOW - 50);
    const now = Math.floor(Date.now() / 1000);
    const iat = claimsOf(await signJWT({}, SECRET, { alg: 'HS256' })).iat as number;
    assert.ok(iat >= now && iat <= now + 2);
  });
  test('issuer, subject, audience, expiresIn, notBefore', async () => {
    const c = claimsOf(
      await signJWT({ scope: 'read' }, SECRET, {
        ...base,
        issuer: 'https://issuer.example',
        subject: 'ada',
        audience: ['api', 'api2'],
        expiresIn: '15m',
        notBefore: '30s',
      }),
    );
    assert.deepEqual(c, { scope: 'read', iss: 'https://issuer.example', sub: 'ada', aud: ['api', 'api2'], exp: NOW + 900, nbf: NOW + 30, iat: NOW });
    assert.equal(claimsOf(await signJWT({}, SECRET, { ...base, expiresIn: 90 })).exp, NOW + 90);
    assert.equal(claimsOf(await signJWT({}, SECRET, { ...base, notBefore: 10 })).nbf, NOW + 10);
    assert.equal(claimsOf(await signJWT({}, SECRET, { ...base, notBefore: new Date((NOW + 99) * 1000 + 999) })).nbf, NOW + 99);
  });
  test('jti: true draws 128 random bits (22 base64url characters), different each time; a string is used as is', async () => {
    const a = claimsOf(await signJWT({}, SECRET, { ...base, jti: true })).jti as string;
    const b = claimsOf(await signJWT({}, SECRET, { ...base, jti: true })).jti as string;
    assert.match(a, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(Buffer.from(a, 'base64url').length, 16);
    assert.notEqual(a, b);
    assert.equal(claimsOf(await signJWT({}, SECRET, { ...base, jti: 'id-1' })).jti, 'id-1');
  });
  test('typ and header members', async () => {
    const token = await signJWT({}, ec.privateJWK, { alg: 'ES256', typ: 'JWT', protectedHeader: { kid: 'k1' } });
    assert.deepEqual(headerOf(token), { alg: 'ES256', kid: 'k1', typ: 'JWT' });
    const { payload } = await verifyJWT(token, ec.publicJWK, { typ: 'jwt', algorithms: ['ES256'] });
    assert.equal(typeof payload.iat, 'number');
  });
  test('the claims object is not modified', async () => {
    const claims = Object.freeze({ sub: 'ada' });
    await signJWT(claims, SECRET, { ...base, issuer: 'i', expiresIn: 5, jti: true });
    assert.deepEqual(claims, { sub: 'ada' });
  });
  test('the token signed with currentDate verifies at that date and expires after', async () => {
    const token = await signJWT({}, SECRET, { ...base, expiresIn: '1h' });
    await verifyJWT(token, SECRET, { currentDate: new Date((NOW + 3599) * 1000) });
    await assert.rejects(verifyJWT(token, SECRET, { currentDate: new Date((NOW + 3600) * 1000) }), { code: 'ERR_JWT_EXPIRED' });
  });
});

describe('signJWT refuses', () => {
  test('claims that are not a plain object → ERR_INVALID_ARGUMENT', async () => {
    class Claims {
      sub = 'ada';
    }
    for (const claims of [null, undefined, 'sub', 1, [], [{ sub: 'a' }], new Map([['sub', 'a']]), new Claims(), new Date()]) {
      await assert.rejects(signJWT(claims as never, SECRET, base), { code: 'ERR_INVALID_ARGUMENT' }, String(claims));
    }
    assert.ok(decodeJWT(await signJWT(Object.create(null) as Record<string, unknown>, SECRET, base)).kind === 'jws');
  });
  test('claims that are not JSON-serializable → ERR_INVALID_ARGUMENT', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const claims of [{ n: 10n }, cyclic]) await assert.rejects(signJWT(claims, SECRET, base), { code: 'ERR_INVALID_ARGUMENT' });
  });
  test('a claim given both in the claims and as an option → ERR_INVALID_ARGUMENT', async () => {
    const pairs: Array<[Record<string, unknown>, JWTSignOptions]> = [
      [{ iss: 'a' }, { issuer: 'b' }],
      [{ sub: 'a' }, { subject: 'a' }],
      [{ aud: 'a' }, { audience: 'a' }],
      [{ exp: NOW + 1 }, { expiresIn: 60 }],
      [{ nbf: NOW }, { notBefore: 0 }],
      [{ jti: 'a' }, { jti: true }],
    ];
    for (const [claims, options] of pairs) {
      await assert.rejects(signJWT(claims, SECRET, { ...base, ...options }), { code: 'ERR_INVALID_ARGUMENT' }, JSON.stringify(claims));
    }
  });
  test('registered claims of the wrong type or range → ERR_JWT_CLAIM_INVALID (never issue what verify refuses)', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ exp: String(NOW + 60) }, 'exp'],
      [{ nbf: Number.NaN }, 'nbf'],
      [{ iat: 2 ** 53 + 2 }, 'iat'],
      [{ iss: ['a'] }, 'iss'],
      [{ sub: 1 }, 'sub'],
      [{ aud: ['a', 2] }, 'aud'],
      [{ jti: {} }, 'jti'],
    ];
    for (const [claims, claim] of cases) {
      await assert.rejects(signJWT(claims, SECRET, base), { code: 'ERR_JWT_CLAIM_INVALID', claim, reason: 'invalid' }, claim);
    }
  });
  test('bad options → ERR_INVALID_ARGUMENT', async () => {
    const bad: JWTSignOptions[] = [
      { expiresIn: '15 minutes' },
      { expiresIn: -5 },
      { notBefore: 'soon' },
      { notBefore: new Date('x') },
      { issuer: 1 as never },
      { subject: [] as never },
      { audience: [1] as never },
      { jti: false as never },
      { iat: 'yes' as never },
      { currentDate: 'now' as never },
      { typ: 1 as never },
      { protectedHeader: { b64: false, crit: ['b64'] } },
      { profile: 'nope' as never },
    ];
    for (const options of bad) await assert.rejects(signJWT({}, SECRET, { ...base, ...options }), { code: 'ERR_INVALID_ARGUMENT' }, JSON.stringify(options));
  });
  test('alg none → ERR_ALG_NONE (the JWS layer refuses it; see encodeUnsecuredJWT)', async () => {
    await assert.rejects(signJWT({}, SECRET, { alg: 'none' }), { code: 'ERR_ALG_NONE' });
  });
  test('a public key → ERR_KEY_PRIVATE_REQUIRED', async () => {
    await assert.rejects(signJWT({}, ec.publicJWK, { alg: 'ES256' }), { code: 'ERR_KEY_PRIVATE_REQUIRED' });
  });
});

test(`signJWTSync (${platform.name}: ${platform.syncSupported ? 'works' : 'ERR_SYNC_UNSUPPORTED'})`, async () => {
  await syncOrUnsupported(
    () => signJWTSync({ sub: 'ada' }, SECRET, { ...base, expiresIn: 60, issuer: 'i' }),
    async (token) => {
      const { payload } = await verifyJWT(token as string, SECRET, { currentDate: AT, issuer: 'i' });
      assert.deepEqual(payload, { sub: 'ada', iss: 'i', exp: NOW + 60, iat: NOW });
    },
  );
});
