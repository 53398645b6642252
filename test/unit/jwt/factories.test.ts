/** JWT signer/verifier factories and the verified-token cache (THREATS.md §21). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from '../../helpers/node-keygen.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from '../../../src/jwa/types.ts';
import { createRemoteJWKSet } from '../../../src/jwk/remote.ts';
import { platform } from '#platform';
import type { KeyInput } from '../../../src/jwk/import.ts';
import { createLocalJWKSet } from '../../../src/jwk/jwks.ts';
import {
  createJWTSigner,
  createJWTSignerSync,
  createJWTVerifier,
  createJWTVerifierSync,
  signJWT,
  verifyJWT,
  type JWTVerifier,
} from '../../../src/jwt/index.ts';
import { MAX_CACHED_TOKEN_LENGTH } from '../../../src/jwt/cache.ts';
import { AT, NOW, OTHER_SECRET, SECRET, atTime, ec, rawJWT, syncOrUnsupported } from './fixtures.ts';

describe('createJWTSigner', () => {
  test('signs with options prepared once; each token gets fresh iat/exp/jti', async () => {
    const signer = await createJWTSigner(ec.privateJWK, { alg: 'ES256', issuer: 'i', audience: 'api', expiresIn: '1m', jti: true, typ: 'JWT' });
    assert.equal(signer.protectedHeader, Buffer.from('{"alg":"ES256","typ":"JWT"}').toString('base64url'));
    const a = await atTime(NOW, () => signer.sign({ sub: 'ada' }));
    const b = await atTime(NOW + 10, () => signer.sign({ sub: 'bob' }));
    const ra = await verifyJWT(a, ec.publicJWK, { currentDate: AT, issuer: 'i', audience: 'api', typ: 'JWT' });
    const rb = await verifyJWT(b, ec.publicJWK, { currentDate: new Date((NOW + 10) * 1000), issuer: 'i', audience: 'api' });
    assert.deepEqual([ra.payload.iat, ra.payload.exp, rb.payload.iat, rb.payload.exp], [NOW, NOW + 60, NOW + 10, NOW + 70]);
    assert.notEqual(ra.payload.jti, rb.payload.jti);
  });
  test('options are checked at creation → ERR_INVALID_ARGUMENT', async () => {
    for (const options of [{ expiresIn: '15 min' }, { issuer: 5 }, { audience: [null] }, { notBefore: 'x' }, { profile: 'zzz' }]) {
      await assert.rejects(createJWTSigner(SECRET, { alg: 'HS256', ...(options as object) }), { code: 'ERR_INVALID_ARGUMENT' }, JSON.stringify(options));
    }
    await assert.rejects(createJWTSigner(SECRET, { alg: 'none' }), { code: 'ERR_ALG_NONE' });
  });
  test(`createJWTSignerSync (${platform.syncSupported ? 'works' : 'ERR_SYNC_UNSUPPORTED'})`, async () => {
    await syncOrUnsupported(
      () => createJWTSignerSync(SECRET, { alg: 'HS256', subject: 'ada', currentDate: AT }),
      async (signer) => {
        const token = (signer as { signSync(c: object): string }).signSync({});
        assert.equal((await verifyJWT(token, SECRET, { currentDate: AT, subject: 'ada' })).payload.iat, NOW);
      },
    );
    const signer = await createJWTSigner(SECRET, { alg: 'HS256' });
    await syncOrUnsupported(() => signer.signSync({ a: 1 }), (t) => assert.equal((t as string).split('.').length, 3));
  });
});

describe('createJWTVerifier', () => {
  test('options are checked at creation → ERR_INVALID_ARGUMENT', async () => {
    for (const options of [{ issuer: 1 }, { audience: /api/ }, { clockTolerance: '1 minute' }, { cache: { max: 0 } }, { cache: { max: 1.5 } }, { cache: 'yes' }]) {
      await assert.rejects(createJWTVerifier(SECRET, options as never), { code: 'ERR_INVALID_ARGUMENT' }, JSON.stringify(String(options.cache ?? '')));
    }
  });
  test('the allow-list is copied: widening the caller\'s array later changes nothing', async () => {
    const algorithms = ['HS512'];
    const verifier = await createJWTVerifier(SECRET, { algorithms });
    algorithms.push('HS256');
    await assert.rejects(verifier.verify(await rawJWT('{}')), { code: 'ERR_ALG_NOT_ALLOWED' });
  });
  test('a JWE → ERR_JWS_EXPECTED', async () => {
    const verifier = await createJWTVerifier(SECRET);
    await assert.rejects(verifier.verify('a.b.c.d.e'), { code: 'ERR_JWS_EXPECTED' });
  });
  test(`createJWTVerifierSync (${platform.syncSupported ? 'works' : 'ERR_SYNC_UNSUPPORTED'})`, async () => {
    const token = await rawJWT(`{"sub":"ada","exp":${NOW + 5}}`);
    await syncOrUnsupported(
      () => createJWTVerifierSync(SECRET, { currentDate: AT, subject: 'ada' }),
      (v) => assert.equal((v as JWTVerifier).verifySync(token).payload.sub, 'ada'),
    );
    const v = await createJWTVerifier(SECRET, { currentDate: AT });
    await syncOrUnsupported(() => v.verifySync(token), (r) => assert.equal((r as { payload: { sub: string } }).payload.sub, 'ada'));
  });
});

/** A key resolver that counts its calls (one per signature verification) and has a generation. */
function countingResolver(key: KeyInput = SECRET): { (): KeyInput; calls: number; generation: number } {
  const f = Object.assign(() => {
    f.calls++;
    return key;
  }, { calls: 0, generation: 1 });
  return f;
}

/** Every way to call a cached verifier (sync only on Node). */
function calls(verifier: JWTVerifier): Array<(t: string) => Promise<unknown>> {
  const out: Array<(t: string) => Promise<unknown>> = [(t) => verifier.verify(t)];
  if (platform.syncSupported) out.push(async (t) => verifier.verifySync(t));
  return out;
}

describe('the verified-token cache', () => {
  const options = { algorithms: ['HS256'], issuer: 'i' };
  const token = (exp: number, extra = '') => rawJWT(`{"iss":"i","exp":${exp}${extra}}`);

  test('off by default: every call verifies the signature', async () => {
    const resolver = countingResolver();
    const verifier = await createJWTVerifier(resolver, options);
    const t = await token(NOW + 100);
    await atTime(NOW, async () => {
      for (const call of calls(verifier)) for (let i = 0; i < 3; i++) await call(t);
    });
    assert.equal(resolver.calls, calls(verifier).length * 3);
  });
  test('a hit skips the signature, returns the same frozen result', async () => {
    const resolver = countingResolver();
    const verifier = await createJWTVerifier(resolver, { ...options, cache: { max: 10 } });
    const t = await token(NOW + 100);
    const results = await atTime(NOW, async () => {
      const out = [];
      for (const call of calls(verifier)) for (let i = 0; i < 3; i++) out.push(await call(t));
      return out;
    });
    assert.equal(resolver.calls, 1);
    for (const r of results) assert.equal(r, results[0]);
    const r = results[0] as { payload: Record<string, unknown> };
    assert.ok(Object.isFrozen(r) && Object.isFrozen(r.payload));
    assert.throws(() => {
      r.payload.iss = 'evil';
    }, TypeError);
  });
  test('exp is checked on every hit: an expired entry fails with ERR_JWT_EXPIRED and is dropped', async () => {
    const resolver = countingResolver();
    const verifier = await createJWTVerifier(resolver, { ...options, cache: true });
    const t = await token(NOW + 100);
    await atTime(NOW, () => verifier.verify(t));
    await atTime(NOW + 99, () => verifier.verify(t));
    assert.equal(resolver.calls, 1);
    await atTime(NOW + 100, () => assert.rejects(verifier.verify(t), { code: 'ERR_JWT_EXPIRED' }));
    assert.equal(resolver.calls, 1); // that was a hit, refused by the time check
    for (const call of calls(verifier)) await atTime(NOW + 100, () => assert.rejects(call(t), { code: 'ERR_JWT_EXPIRED' }));
    assert.equal(resolver.calls, 1 + calls(verifier).length); // then misses: the entry was dropped
  });
  test('nbf, iat and maxTokenAge are checked on every hit', async () => {
    const resolver = countingResolver();
    const verifier = await createJWTVerifier(resolver, { ...options, maxTokenAge: 60, cache: true });
    const t = await token(NOW + 1000, `,"nbf":${NOW},"iat":${NOW}`);
    await atTime(NOW, () => verifier.verify(t));
    for (const call of calls(verifier)) {
      await atTime(NOW - 1, () => assert.rejects(call(t), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'nbf', reason: 'not-yet-valid' }));
      await atTime(NOW + 61, () => assert.rejects(call(t), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'iat', reason: 'too-old' }));
      await atTime(NOW + 30, () => call(t));
    }
    assert.equal(resolver.calls, 1);
  });
  test('a token not valid yet is never cached', async () => {
    const resolver = countingResolver();
    const verifier = await createJWTVerifier(resolver, { ...options, cache: true });
    const t = await token(NOW + 1000, `,"nbf":${NOW + 10}`);
    await atTime(NOW, () => assert.rejects(verifier.verify(t), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'nbf' }));
    await atTime(NOW + 10, () => verifier.verify(t));
    await atTime(NOW + 11, () => verifier.verify(t));
    assert.equal(resolver.calls, 2);
  });
  test('failures are never cached', async () => {
    const resolver = countingResolver(OTHER_SECRET);
    const verifier = await createJWTVerifier(resolver, { ...options, cache: true });
    const t = await token(NOW + 100);
    for (let i = 0; i < 3; i++) await atTime(NOW, () => assert.rejects(verifier.verify(t), { code: 'ERR_JWS_SIGNATURE_INVALID' }));
    assert.equal(resolver.calls, 3);
  });
  test('bounded: the oldest entry is evicted first', async () => {
    const resolver = countingResolver();
    const verifier = await createJWTVerifier(resolver, { ...options, cache: { max: 2 } });
    const [a, b, c] = [await token(NOW + 101), await token(NOW + 102), await token(NOW + 103)];
    await atTime(NOW, async () => {
      for (const t of [a, b, c]) await verifier.verify(t); // 3 misses; a is evicted
      await verifier.verify(c);
      await verifier.verify(b); // hits
      assert.equal(resolver.calls, 3);
      await verifier.verify(a); // miss again
      assert.equal(resolver.calls, 4);
    });
  });
  test('emptied when the key source\'s generation changes (key rotation, revocation)', async () => {
    const resolver = countingResolver();
    const verifier = await createJWTVerifier(resolver, { ...options, cache: true });
    const t = await token(NOW + 100);
    await atTime(NOW, async () => {
      await verifier.verify(t);
      await verifier.verify(t);
      assert.equal(resolver.calls, 1);
      resolver.generation++;
      await verifier.verify(t);
      assert.equal(resolver.calls, 2);
      await verifier.verify(t);
      assert.equal(resolver.calls, 2);
    });
  });
  test('a result verified while the generation moved is not stored', async () => {
    const resolver = Object.assign(
      () => {
        resolver.calls++;
        resolver.generation++; // the key set refreshes while this token is being verified
        return SECRET;
      },
      { calls: 0, generation: 1 },
    );
    const verifier = await createJWTVerifier(resolver, { ...options, cache: true });
    const t = await token(NOW + 100);
    await atTime(NOW, async () => {
      await verifier.verify(t);
      await verifier.verify(t);
    });
    assert.equal(resolver.calls, 2);
  });
  test('tokens longer than the cacheable maximum are verified every time', async () => {
    const resolver = countingResolver();
    const verifier = await createJWTVerifier(resolver, { ...options, cache: true });
    const t = await token(NOW + 100, `,"pad":"${'x'.repeat(MAX_CACHED_TOKEN_LENGTH)}"`);
    await atTime(NOW, async () => {
      await verifier.verify(t);
      await verifier.verify(t);
    });
    assert.equal(resolver.calls, 2);
  });
  test('per verifier: a token cached by one verifier is still checked by another\'s rules', async () => {
    const set = createLocalJWKSet({ keys: [{ kty: 'oct', k: Buffer.from(SECRET).toString('base64url'), alg: 'HS256' }] }, { allowPrivate: true });
    const forApi = await createJWTVerifier(set, { audience: 'api', cache: true, currentDate: AT });
    const forAdmin = await createJWTVerifier(set, { audience: 'admin', cache: true, currentDate: AT });
    const t = await signJWT({ aud: 'api' }, SECRET, { alg: 'HS256', currentDate: AT });
    await forApi.verify(t);
    await forApi.verify(t);
    await assert.rejects(forAdmin.verify(t), { code: 'ERR_JWT_CLAIM_INVALID', claim: 'aud', reason: 'mismatch' });
  });
  test('the cache never turns a different token into a hit (a changed signature is verified)', async () => {
    const verifier = await createJWTVerifier(SECRET, { ...options, cache: true });
    const t = await token(NOW + 100);
    await atTime(NOW, () => verifier.verify(t));
    const tampered = `${t.slice(0, -2)}${t.endsWith('AA') ? 'AQ' : 'AA'}`;
    await atTime(NOW, () => assert.rejects(verifier.verify(tampered), { code: 'ERR_JWS_SIGNATURE_INVALID' }));
  });
});

describe('the verified-token cache with a remote JWKS (src/jwk/remote.ts)', () => {
  test('a key rotation (the set\'s generation moves) empties the cache; a removed key stops vouching at once', async () => {
    const pair = (kid: string): { privateJWK: JWK; publicJWK: JWK } => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      return { privateJWK: { ...(privateKey.export({ format: 'jwk' }) as JWK), kid }, publicJWK: { ...(publicKey.export({ format: 'jwk' }) as JWK), kid } };
    };
    const a = pair('a');
    const b = pair('b');
    let served: JWK[] = [a.publicJWK];
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: served }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const remote = createRemoteJWKSet(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`);
      const verifier = await createJWTVerifier(remote, { algorithms: ['ES256'], cache: true, currentDate: AT });
      const token = await signJWT({ sub: 'ada' }, a.privateJWK, { alg: 'ES256', protectedHeader: { kid: 'a' }, currentDate: AT });
      const loading = await verifier.verify(token); // the set's first load moved its generation: not stored
      const first = await verifier.verify(token);
      assert.notEqual(first, loading);
      assert.equal(await verifier.verify(token), first); // a hit: the same frozen result
      assert.equal(requests, 1);
      served = [a.publicJWK, b.publicJWK]; // b is added: new content, new generation
      await remote.reload();
      const second = await verifier.verify(token);
      assert.notEqual(second, first); // emptied: verified again
      assert.equal(await verifier.verify(token), second);
      served = [b.publicJWK]; // a is removed (revoked)
      await remote.reload();
      await assert.rejects(verifier.verify(token), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
