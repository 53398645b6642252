/**
 * Remote JWK Sets against a real HTTP server on 127.0.0.1: fetching, caching, cooldown,
 * coalescing, limits, stale-if-error, export/restore, and verify integration (THREATS.md §4, §5, §7).
 * The cache clock is injected (`now`), so no test sleeps through a cache lifetime; the network
 * timeouts are real and short.
 */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { generateKeyPairSync } from '../../helpers/node-keygen.ts';
import { platform } from '#platform';
import { encodeBase64URL } from '../../../src/core/base64url.ts';
import type { JWK } from '../../../src/jwa/types.ts';
import { freshnessSeconds } from '../../../src/jwk/_jwks-fetch.ts';
import { createRemoteJWKSet, isRemoteJWKSet, type FetchLike, type RemoteJWKSet, type RemoteJWKSetOptions } from '../../../src/jwk/remote.ts';
import { decryptJWE, encryptJWE } from '../../../src/jwe/compact.ts';
import { signJWS, verifyJWS, verifyJWSSync } from '../../../src/jws/compact.ts';
import { createVerifier, createVerifierSync } from '../../../src/jws/factories.ts';
import { verifyFlattenedJWS } from '../../../src/jws/flattened.ts';
import { testKeyPair } from '../../helpers/keys.ts';
import { delayed, respond, slowHugeBody, startJWKSServer, type JWKSServer } from '../../helpers/jwks-server.ts';

interface SigningKey {
  readonly kid: string;
  readonly privateJWK: JWK;
  readonly publicJWK: JWK;
}

function ecKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    kid,
    privateJWK: privateKey.export({ format: 'jwk' }) as JWK,
    publicJWK: { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg: 'ES256', use: 'sig' },
  };
}

const k1 = ecKey('k1');
const k2 = ecKey('k2');
const attacker = ecKey('attacker');
const rsa = testKeyPair('RSA-2048');
const rsaPublic: JWK = { ...rsa.publicJWK, kid: 'r1', alg: 'RS256' };

const jwks = (...keys: SigningKey[]): { keys: JWK[] } => ({ keys: keys.map((k) => k.publicJWK) });

function sign(key: SigningKey, header: Record<string, unknown> = {}): Promise<string> {
  return signJWS('{"sub":"ada"}', key.privateJWK, { alg: 'ES256', protectedHeader: { kid: key.kid, ...header } });
}

/** A token for a key nobody has: its signature is never reached. */
function forged(kid: string, header: Record<string, unknown> = {}): string {
  const h = encodeBase64URL(JSON.stringify({ alg: 'ES256', kid, ...header }));
  return `${h}.${encodeBase64URL('{}')}.${encodeBase64URL(new Uint8Array(64))}`;
}

const randomKid = (): string => randomBytes(12).toString('hex');

interface Clock {
  t: number;
  readonly now: () => number;
}

function clock(): Clock {
  const c: Clock = { t: 1_700_000_000_000, now: () => c.t };
  return c;
}

/** The global fetch, counted: for tests where the server is gone and cannot count. */
function counting(): { fetch: FetchLike; calls: { n: number } } {
  const calls = { n: 0 };
  return {
    calls,
    fetch: (url, init) => {
      calls.n++;
      return globalThis.fetch(url, init);
    },
  };
}

async function serve(t: TestContext, body: unknown = jwks(k1)): Promise<JWKSServer> {
  const server = await startJWKSServer();
  t.after(() => server.close());
  server.route('/jwks', respond(body));
  return server;
}

function remote(server: JWKSServer, options: RemoteJWKSetOptions = {}, path = '/jwks'): RemoteJWKSet {
  return createRemoteJWKSet(server.url(path), options);
}

const T = { timeout: 20_000 };

describe('createRemoteJWKSet: URL and options', T, () => {
  for (const url of [
    'http://example.com/jwks',
    'http://10.0.0.1/jwks',
    'http://192.168.1.1/jwks',
    'http://[::2]/jwks',
    'http://[::ffff:127.0.0.1]/jwks',
    'http://localhost.example.com/jwks',
    'http://127.0.0.1.nip.io/jwks',
    'ftp://127.0.0.1/jwks',
    'file:///etc/jwks.json',
    'data:application/json,{"keys":[]}',
    'https://user:pass@issuer.example/jwks',
    '/relative/jwks',
    'not a url',
    '',
  ]) {
    test(`refuses ${JSON.stringify(url)} at creation: ERR_INVALID_ARGUMENT`, () => {
      assert.throws(() => createRemoteJWKSet(url), { code: 'ERR_INVALID_ARGUMENT' });
    });
  }

  for (const bad of [undefined, null, 42, {}, ['https://issuer.example/jwks']]) {
    test(`refuses a URL that is ${JSON.stringify(bad)}: ERR_INVALID_ARGUMENT`, () => {
      assert.throws(() => createRemoteJWKSet(bad as unknown as string), { code: 'ERR_INVALID_ARGUMENT' });
    });
  }

  for (const url of [
    'https://issuer.example/.well-known/jwks.json',
    new URL('https://issuer.example/jwks'),
    'http://127.0.0.1:8080/jwks',
    'http://127.1.2.3/jwks',
    'http://127.1/jwks',
    'http://localhost/jwks',
    'http://LOCALHOST:9/jwks',
    'http://[::1]:8080/jwks',
  ]) {
    test(`accepts ${String(url)} and fetches nothing at creation`, () => {
      const { fetch, calls } = counting();
      const set = createRemoteJWKSet(url, { fetch });
      assert.ok(isRemoteJWKSet(set));
      assert.equal(calls.n, 0);
      assert.equal(set.generation, 0);
      assert.equal(set.fresh, false);
      assert.equal(set.export(), undefined);
    });
  }

  for (const [name, options] of [
    ['timeoutMs 0', { timeoutMs: 0 }],
    ['timeoutMs NaN', { timeoutMs: Number.NaN }],
    ['timeoutMs beyond a timer', { timeoutMs: 2 ** 31 }],
    ['timeoutMs as a string', { timeoutMs: '5000' }],
    ['cacheMaxAgeMs negative', { cacheMaxAgeMs: -1 }],
    ['cacheMinAgeMs Infinity', { cacheMinAgeMs: Infinity }],
    ['cooldownMs negative', { cooldownMs: -5 }],
    ['staleIfErrorMs NaN', { staleIfErrorMs: Number.NaN }],
    ['maxResponseBytes 0', { maxResponseBytes: 0 }],
    ['maxResponseBytes fractional', { maxResponseBytes: 1.5 }],
    ['headers with a number', { headers: { 'x-n': 1 } }],
    ['headers null', { headers: null }],
    ['fetch not a function', { fetch: 'fetch' }],
    ['now not a function', { now: 5 }],
  ] as const) {
    test(`refuses options with ${name}: ERR_INVALID_ARGUMENT`, () => {
      assert.throws(() => createRemoteJWKSet('https://issuer.example/jwks', options as unknown as RemoteJWKSetOptions), {
        code: 'ERR_INVALID_ARGUMENT',
      });
    });
  }
});

describe('remote key set: fetching and verifying', T, () => {
  test('verifies a token with a key from the URL; the second verify uses the cache', async (t) => {
    const server = await serve(t);
    const set = remote(server);
    const token = await sign(k1);
    const { protectedHeader } = await verifyJWS(token, set);
    assert.equal(protectedHeader.kid, 'k1');
    assert.equal(server.hits('/jwks'), 1);
    await verifyJWS(token, set, { algorithms: ['ES256'] });
    assert.equal(server.hits('/jwks'), 1);
    assert.equal(set.generation, 1);
    assert.equal(set.fresh, true);
  });

  test('the allow-list is derived from the fetched keys when algorithms is absent', async (t) => {
    const server = await serve(t, jwks(k1));
    const set = remote(server);
    // An HS256 token: no key in the set allows HS256.
    const hs = `${encodeBase64URL('{"alg":"HS256","kid":"k1"}')}.${encodeBase64URL('{}')}.${encodeBase64URL(new Uint8Array(32))}`;
    await assert.rejects(verifyJWS(hs, set), { code: 'ERR_ALG_NOT_ALLOWED' });
    await assert.rejects(verifyJWS(forged('k1', { alg: 'none' }), set), { code: 'ERR_ALG_NONE' });
  });

  test('a wrong signature is still a signature failure', async (t) => {
    const server = await serve(t);
    const set = remote(server);
    const bad = (await sign(k1)).slice(0, -4) + 'AAAA';
    await assert.rejects(verifyJWS(bad, set), { code: 'ERR_JWS_SIGNATURE_INVALID' });
  });

  test('works through createVerifier and the flattened serialization', async (t) => {
    const server = await serve(t);
    const set = remote(server);
    const token = await sign(k1);
    const verifier = await createVerifier(set, { algorithms: ['ES256'] });
    assert.equal((await verifier.verify(token)).protectedHeader.kid, 'k1');
    const [h, p, s] = token.split('.');
    const { protectedHeader } = await verifyFlattenedJWS({ protected: h, payload: p, signature: s }, set);
    assert.equal(protectedHeader.kid, 'k1');
    assert.equal(server.hits('/jwks'), 1);
  });

  test('getKey and getKeySet', async (t) => {
    const server = await serve(t, jwks(k1, k2));
    const set = remote(server);
    assert.equal((await set.getKeySet()).entries.length, 2);
    assert.equal((await set.getKey({ kid: 'k2' })).kid, 'k2');
    await assert.rejects(set.getKey({ use: 'sig' }), { code: 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' });
    assert.equal(server.hits('/jwks'), 1);
  });

  test('sends the default accept header and the caller’s extra headers', async (t) => {
    const server = await serve(t);
    await remote(server).getKeySet();
    assert.match(String(server.lastHeaders('/jwks')?.accept), /application\/jwk-set\+json/);
    await remote(server, { headers: { 'user-agent': 'tessera-test', accept: 'application/json' } }).getKeySet();
    assert.equal(server.lastHeaders('/jwks')?.['user-agent'], 'tessera-test');
    assert.equal(server.lastHeaders('/jwks')?.accept, 'application/json');
  });

  test('uses an injected fetch', async () => {
    const seen: RequestInit[] = [];
    const fetch: FetchLike = async (_url, init) => {
      seen.push(init);
      return new Response(JSON.stringify(jwks(k1)), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const set = createRemoteJWKSet('https://issuer.example/jwks', { fetch });
    await verifyJWS(await sign(k1), set);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.redirect, 'manual');
    assert.ok(seen[0]?.signal instanceof AbortSignal);
  });

  test('an empty 200 body is not JSON: ERR_JWKS_FETCH_FAILED', async () => {
    const fetch: FetchLike = async () => new Response(null, { status: 200, headers: { 'content-type': 'application/json' } });
    await assert.rejects(createRemoteJWKSet('https://issuer.example/jwks', { fetch }).getKeySet(), { code: 'ERR_JWKS_FETCH_FAILED' });
  });
});

describe('remote key set: rotation, cooldown and coalescing', T, () => {
  test('rotation: a new kid on the server is picked up after exactly one fetch', async (t) => {
    const server = await serve(t, jwks(k1));
    const set = remote(server);
    await verifyJWS(await sign(k1), set);
    assert.equal(server.hits('/jwks'), 1);
    server.route('/jwks', respond(jwks(k1, k2)));
    const { protectedHeader } = await verifyJWS(await sign(k2), set);
    assert.equal(protectedHeader.kid, 'k2');
    assert.equal(server.hits('/jwks'), 2);
    assert.equal(set.generation, 2);
    await verifyJWS(await sign(k2), set);
    await verifyJWS(await sign(k1), set);
    assert.equal(server.hits('/jwks'), 2);
  });

  test('rotation to a new algorithm is picked up when the allow-list is derived', async (t) => {
    const server = await serve(t, jwks(k1));
    const set = remote(server);
    await set.getKeySet();
    server.route('/jwks', respond({ keys: [k1.publicJWK, rsaPublic] }));
    const token = await signJWS('{}', rsa.privateJWK, { alg: 'RS256', protectedHeader: { kid: 'r1' } });
    assert.equal((await verifyJWS(token, set)).protectedHeader.alg, 'RS256');
    assert.equal(server.hits('/jwks'), 2);
  });

  test('an explicit allow-list refuses other algorithms without fetching', async (t) => {
    const server = await serve(t, jwks(k1));
    const set = remote(server);
    await set.getKeySet();
    const token = await signJWS('{}', rsa.privateJWK, { alg: 'RS256', protectedHeader: { kid: 'r1' } });
    await assert.rejects(verifyJWS(token, set, { algorithms: ['ES256'] }), { code: 'ERR_ALG_NOT_ALLOWED' });
    assert.equal(server.hits('/jwks'), 1);
  });

  test('tokens no key set could fix never cause a fetch, even on a cold set', async (t) => {
    const server = await serve(t, jwks(k1));
    const set = remote(server);
    await assert.rejects(verifyJWS(forged('k1', { alg: 'none' }), set), { code: 'ERR_ALG_NONE' });
    await assert.rejects(verifyJWS(forged('k1', { alg: 'XS256' }), set), { code: 'ERR_ALG_UNSUPPORTED' });
    await assert.rejects(verifyJWS(forged('k1', { alg: 'RS256' }), set, { algorithms: ['ES256'] }), { code: 'ERR_ALG_NOT_ALLOWED' });
    assert.equal(server.hits('/jwks'), 0);
  });

  test('a removed key stops verifying once the cache expires', async (t) => {
    const c = clock();
    const server = await serve(t, jwks(k1, k2));
    const set = remote(server, { now: c.now, cacheMaxAgeMs: 60_000 });
    const token = await sign(k1);
    await verifyJWS(token, set);
    server.route('/jwks', respond(jwks(k2)));
    c.t += 60_001;
    await assert.rejects(verifyJWS(token, set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    assert.equal(server.hits('/jwks'), 2);
    assert.equal(set.generation, 2);
  });

  test('10 parallel verifies on a cold set make one request', async (t) => {
    const server = await serve(t);
    server.route('/jwks', delayed(50, respond(jwks(k1))));
    const set = remote(server);
    const token = await sign(k1);
    const results = await Promise.all(Array.from({ length: 10 }, () => verifyJWS(token, set)));
    assert.equal(results.length, 10);
    assert.equal(server.hits('/jwks'), 1);
  });

  test('10 parallel verifies with a newly rotated kid make one refetch, and all succeed', async (t) => {
    const server = await serve(t, jwks(k1));
    const set = remote(server);
    await set.getKeySet();
    server.route('/jwks', delayed(30, respond(jwks(k1, k2))));
    const token = await sign(k2);
    await Promise.all(Array.from({ length: 10 }, () => verifyJWS(token, set)));
    assert.equal(server.hits('/jwks'), 2);
  });

  test('1,000 unknown kids, concurrent then sequential: at most one fetch per cooldown window', async (t) => {
    const c = clock();
    const server = await serve(t, jwks(k1));
    const set = remote(server, { now: c.now, cooldownMs: 200 });
    await verifyJWS(await sign(k1), set);
    assert.equal(server.hits('/jwks'), 1);

    const concurrent = await Promise.allSettled(Array.from({ length: 1000 }, () => verifyJWS(forged(randomKid()), set)));
    assert.ok(concurrent.every((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'ERR_JWKS_NO_MATCHING_KEY'));
    assert.equal(server.hits('/jwks'), 2, 'one refetch for the whole burst');

    for (let i = 0; i < 1000; i++) {
      await assert.rejects(verifyJWS(forged(randomKid()), set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    }
    assert.equal(server.hits('/jwks'), 2, 'none within the cooldown');

    c.t += 199;
    await assert.rejects(verifyJWS(forged(randomKid()), set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    assert.equal(server.hits('/jwks'), 2, 'still within the cooldown');

    c.t += 1; // the second window
    for (let i = 0; i < 1000; i++) {
      await assert.rejects(verifyJWS(forged(randomKid()), set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    }
    assert.equal(server.hits('/jwks'), 3, 'one more in the second window');
    // Known keys keep working throughout, without fetching.
    await verifyJWS(await sign(k1), set);
    assert.equal(server.hits('/jwks'), 3);
  });

  test('1,000 unknown kids on a cold set: one request in all', async (t) => {
    const server = await serve(t, jwks(k1));
    const set = remote(server);
    const results = await Promise.allSettled(Array.from({ length: 1000 }, () => verifyJWS(forged(randomKid()), set)));
    assert.ok(results.every((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'ERR_JWKS_NO_MATCHING_KEY'));
    assert.equal(server.hits('/jwks'), 1);
  });

  test('a kid rotated in during the cooldown waits for the next window', async (t) => {
    const c = clock();
    const server = await serve(t, jwks(k1));
    const set = remote(server, { now: c.now, cooldownMs: 30_000 });
    await set.getKeySet();
    await assert.rejects(verifyJWS(forged('nobody'), set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    assert.equal(server.hits('/jwks'), 2);
    server.route('/jwks', respond(jwks(k1, k2)));
    const token = await sign(k2);
    await assert.rejects(verifyJWS(token, set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    assert.equal(server.hits('/jwks'), 2);
    c.t += 30_000;
    await verifyJWS(token, set);
    assert.equal(server.hits('/jwks'), 3);
  });

  test('reload() fetches whatever the cache and cooldown say; the same content keeps the generation', async (t) => {
    const server = await serve(t, jwks(k1));
    const set = remote(server);
    await set.getKeySet();
    await set.reload();
    assert.equal(server.hits('/jwks'), 2);
    assert.equal(set.generation, 1);
    server.route('/jwks', respond(jwks(k1, k2)));
    assert.equal((await set.reload()).entries.length, 2);
    assert.equal(set.generation, 2);
  });

  test('concurrent reloads share one request', async (t) => {
    const server = await serve(t);
    server.route('/jwks', delayed(30, respond(jwks(k1))));
    const set = remote(server);
    await Promise.all([set.reload(), set.reload(), set.getKeySet(), set.reload()]);
    assert.equal(server.hits('/jwks'), 1);
  });
});

describe('remote key set: transport limits', T, () => {
  test('a slow server: ERR_JWKS_TIMEOUT within about the timeout', async (t) => {
    const server = await serve(t);
    server.route('/jwks', delayed(2_000, respond(jwks(k1))));
    const set = remote(server, { timeoutMs: 200 });
    const started = performance.now();
    await assert.rejects(verifyJWS(await sign(k1), set), { code: 'ERR_JWKS_TIMEOUT' });
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 150 && elapsed < 1_000, `took ${elapsed} ms`);
  });

  test('a body that stalls after the headers: ERR_JWKS_TIMEOUT', async (t) => {
    const server = await serve(t);
    server.route('/jwks', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys":[');
    });
    const started = performance.now();
    await assert.rejects(remote(server, { timeoutMs: 200 }).getKeySet(), { code: 'ERR_JWKS_TIMEOUT' });
    assert.ok(performance.now() - started < 1_000);
  });

  test('a huge chunked body: ERR_JWKS_TOO_LARGE, and the connection is cut early', async (t) => {
    const server = await serve(t);
    const { handler, record } = slowHugeBody(2 * 1024 * 1024, 32 * 1024, 5);
    server.route('/jwks', handler);
    await assert.rejects(remote(server, { maxResponseBytes: 64 * 1024 }).getKeySet(), { code: 'ERR_JWKS_TOO_LARGE' });
    await record.done;
    assert.equal(record.cutOff, true);
    assert.ok(record.written < 1024 * 1024, `the server wrote ${record.written} bytes`);
  });

  test('a declared Content-Length over the cap: ERR_JWKS_TOO_LARGE before reading', async (t) => {
    const server = await serve(t);
    server.route('/jwks', respond('{"keys":[]}'.padEnd(2 * 1024 * 1024, ' ')));
    await assert.rejects(remote(server, { maxResponseBytes: 64 * 1024 }).getKeySet(), { code: 'ERR_JWKS_TOO_LARGE' });
  });

  test('a declared Content-Length over the cap fails without touching the body', async () => {
    let pulled = false;
    const fetch: FetchLike = async () =>
      new Response(
        new ReadableStream({
          pull() {
            pulled = true;
            throw new Error('the body must not be read');
          },
        }, { highWaterMark: 0 }),
        { status: 200, headers: { 'content-type': 'application/json', 'content-length': String(1024 * 1024) } },
      );
    await assert.rejects(createRemoteJWKSet('https://issuer.example/jwks', { fetch, maxResponseBytes: 1024 }).getKeySet(), {
      code: 'ERR_JWKS_TOO_LARGE',
    });
    assert.equal(pulled, false);
  });

  test('the cap is exact: a chunked body of cap bytes passes, cap + 1 fails', async (t) => {
    const server = await serve(t);
    const body = JSON.stringify(jwks(k1));
    const cap = body.length + 100;
    const chunked = (size: number) => (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const text = body.padEnd(size, ' ');
      res.write(text.slice(0, 50));
      res.end(text.slice(50));
    };
    server.route('/exact', chunked(cap));
    server.route('/over', chunked(cap + 1));
    assert.equal((await remote(server, { maxResponseBytes: cap }, '/exact').getKeySet()).entries.length, 1);
    await assert.rejects(remote(server, { maxResponseBytes: cap }, '/over').getKeySet(), { code: 'ERR_JWKS_TOO_LARGE' });
  });

  for (const status of [301, 302, 303, 307, 308]) {
    test(`a ${status} redirect: ERR_JWKS_FETCH_FAILED, and the target is never requested`, async (t) => {
      const server = await serve(t);
      server.route('/moved', (_req, res) => void res.writeHead(status, { location: server.url('/jwks') }).end());
      await assert.rejects(verifyJWS(await sign(k1), remote(server, {}, '/moved')), { code: 'ERR_JWKS_FETCH_FAILED' });
      assert.equal(server.hits('/moved'), 1);
      assert.equal(server.hits('/jwks'), 0);
    });
  }

  for (const status of [201, 204, 206, 304, 400, 401, 404, 500, 503]) {
    test(`HTTP ${status}: ERR_JWKS_FETCH_FAILED`, async (t) => {
      const server = await serve(t);
      server.route('/jwks', respond(status === 204 || status === 304 ? '' : jwks(k1), { status }));
      await assert.rejects(remote(server).getKeySet(), { code: 'ERR_JWKS_FETCH_FAILED' });
    });
  }

  for (const type of ['text/html', 'text/plain', 'application/javascript', 'application/json-patch+json', 'application/jsonx', '']) {
    test(`content type ${JSON.stringify(type)}: ERR_JWKS_FETCH_FAILED`, async (t) => {
      const server = await serve(t);
      server.route('/jwks', (_req, res) => {
        if (type !== '') res.setHeader('content-type', type);
        res.writeHead(200).end(JSON.stringify(jwks(k1)));
      });
      await assert.rejects(remote(server).getKeySet(), { code: 'ERR_JWKS_FETCH_FAILED' });
    });
  }

  for (const type of ['application/json; charset=utf-8', 'application/jwk-set+json', 'Application/JWK-Set+JSON ; charset=UTF-8']) {
    test(`content type ${JSON.stringify(type)} is accepted`, async (t) => {
      const server = await serve(t);
      server.route('/jwks', respond(jwks(k1), { headers: { 'content-type': type } }));
      assert.equal((await remote(server).getKeySet()).entries.length, 1);
    });
  }

  for (const [name, body] of [
    ['invalid JSON', '{"keys": [}'],
    ['truncated JWKS JSON', JSON.stringify(jwks(k1, k2)).slice(0, 120)],
    ['an HTML page', '<html>oops</html>'],
    // Valid JSON of a valid JWKS once the bad bytes are replaced by U+FFFD: only a strict decoder refuses it.
    ['bytes that are not UTF-8', Buffer.concat([Buffer.from('{"keys":[],"x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])],
  ] as const) {
    test(`${name}: ERR_JWKS_FETCH_FAILED`, async (t) => {
      const server = await serve(t, body);
      await assert.rejects(remote(server).getKeySet(), { code: 'ERR_JWKS_FETCH_FAILED' });
    });
  }

  for (const [name, body] of [
    ['an object without keys', {}],
    ['an array', [k1.publicJWK]],
    ['a JSON string holding a JWKS', JSON.stringify(JSON.stringify(jwks(k1)))],
    ['null', 'null'],
    ['keys not an array', { keys: k1.publicJWK }],
  ] as const) {
    test(`JSON that is not a JWKS (${name}): ERR_JWKS_INVALID`, async (t) => {
      const server = await serve(t, body);
      await assert.rejects(remote(server).getKeySet(), { code: 'ERR_JWKS_INVALID' });
    });
  }

  test('a set with private members: ERR_JWKS_PRIVATE_MEMBER', async (t) => {
    const server = await serve(t, { keys: [{ ...k1.privateJWK, kid: 'k1' }] });
    await assert.rejects(remote(server).getKeySet(), { code: 'ERR_JWKS_PRIVATE_MEMBER' });
  });

  test('a connection refused: ERR_JWKS_FETCH_FAILED', async (t) => {
    const server = await serve(t);
    const url = server.url('/jwks');
    await server.close();
    await assert.rejects(createRemoteJWKSet(url).getKeySet(), { code: 'ERR_JWKS_FETCH_FAILED' });
  });
});

describe('remote key set: header-supplied key locations are never used', T, () => {
  test('jku, x5u and an embedded jwk pointing at the test server are never requested', async (t) => {
    const server = await serve(t, jwks(k1));
    server.route('/attacker', respond(jwks(attacker)));
    const set = remote(server);
    await set.getKeySet();
    const token = await sign(attacker, {
      jku: server.url('/attacker'),
      x5u: server.url('/attacker'),
      jwk: attacker.publicJWK,
    });
    await assert.rejects(verifyJWS(token, set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    // The same with a kid the set knows: the configured key is used, so the signature fails.
    const spoofed = await signJWS('{}', attacker.privateJWK, {
      alg: 'ES256',
      protectedHeader: { kid: 'k1', jku: server.url('/attacker'), jwk: attacker.publicJWK },
    });
    await assert.rejects(verifyJWS(spoofed, set), { code: 'ERR_JWS_SIGNATURE_INVALID' });
    assert.equal(server.hits('/attacker'), 0);
    assert.equal(server.hits('/jwks'), 2, 'only the configured URL, once more for the unknown kid');
  });
});

describe('remote key set: cache lifetime', T, () => {
  async function lifetimeOf(t: TestContext, headers: Record<string, string>, options: RemoteJWKSetOptions = {}): Promise<number> {
    const c = clock();
    const server = await serve(t);
    server.route('/jwks', respond(jwks(k1), { headers }));
    const set = remote(server, { now: c.now, ...options });
    const start = c.t;
    await set.getKeySet();
    const exported = set.export();
    assert.ok(exported);
    assert.equal(exported.fetchedAt, start);
    // The lifetime really governs refetching: one ms before it, no fetch; at it, a fetch.
    c.t = exported.expiresAt - 1;
    await set.getKeySet();
    assert.equal(server.hits('/jwks'), 1);
    c.t = exported.expiresAt;
    await set.getKeySet();
    assert.equal(server.hits('/jwks'), 2);
    return exported.expiresAt - start;
  }

  test('no Cache-Control: cacheMaxAgeMs (default 10 min)', async (t) => {
    assert.equal(await lifetimeOf(t, {}), 600_000);
    assert.equal(await lifetimeOf(t, {}, { cacheMaxAgeMs: 90_000 }), 90_000);
  });

  test('max-age within bounds is honoured', async (t) => {
    assert.equal(await lifetimeOf(t, { 'cache-control': 'public, max-age=120' }), 120_000);
  });

  test('max-age above cacheMaxAgeMs is capped', async (t) => {
    assert.equal(await lifetimeOf(t, { 'cache-control': 'max-age=86400' }), 600_000);
  });

  test('max-age below the minimum is raised to cacheMinAgeMs (default 30 s)', async (t) => {
    assert.equal(await lifetimeOf(t, { 'cache-control': 'max-age=5' }), 30_000);
    assert.equal(await lifetimeOf(t, { 'cache-control': 'max-age=5' }, { cacheMinAgeMs: 1_000 }), 5_000);
  });

  test('no-store and no-cache give the minimum', async (t) => {
    assert.equal(await lifetimeOf(t, { 'cache-control': 'no-store' }), 30_000);
    assert.equal(await lifetimeOf(t, { 'cache-control': 'max-age=300, no-cache' }), 30_000);
  });

  test('the Age header is subtracted', async (t) => {
    assert.equal(await lifetimeOf(t, { 'cache-control': 'max-age=300', age: '100' }), 200_000);
  });

  test('the minimum never exceeds cacheMaxAgeMs', async (t) => {
    assert.equal(await lifetimeOf(t, { 'cache-control': 'max-age=1' }, { cacheMaxAgeMs: 10_000 }), 10_000);
  });

  test('Cache-Control parsing (RFC 9111)', () => {
    const h = (cc: string, age?: string): number | undefined =>
      freshnessSeconds(new Headers({ 'cache-control': cc, ...(age === undefined ? {} : { age }) }));
    assert.equal(freshnessSeconds(new Headers()), undefined);
    assert.equal(h('public'), undefined);
    assert.equal(h('max-age=60'), 60);
    assert.equal(h('MAX-AGE = 60'.replace(/ /g, '')), 60);
    assert.equal(h('max-age="60"'), 60);
    assert.equal(h('max-age=60', '70'), 0);
    assert.equal(h('max-age=60', 'junk'), 60);
    assert.equal(h('max-age=60, max-age=120'), 0, 'several max-age: stale');
    assert.equal(h('max-age=-1'), 0, 'invalid: stale');
    assert.equal(h('max-age=1.5'), 0, 'invalid: stale');
    assert.equal(h('max-age=99999999999999999999'), 2 ** 31);
    assert.equal(h('s-maxage=600'), undefined);
  });
});

describe('remote key set: stale-if-error', T, () => {
  test('the server goes down: the last good keys keep working within staleIfErrorMs, then fail', async (t) => {
    const c = clock();
    const server = await serve(t, jwks(k1));
    const { fetch, calls } = counting();
    const set = remote(server, { now: c.now, fetch, cacheMaxAgeMs: 60_000, staleIfErrorMs: 120_000, cooldownMs: 30_000 });
    const token = await sign(k1);
    const t0 = c.t;
    await verifyJWS(token, set);
    assert.equal(calls.n, 1);
    await server.close();

    c.t = t0 + 60_000; // expired: the refresh fails, the stale set is used
    await verifyJWS(token, set);
    assert.equal(calls.n, 2);
    assert.equal(set.fresh, false);

    c.t += 29_999; // within the retry cooldown: no new attempt
    await verifyJWS(token, set);
    await assert.rejects(verifyJWS(forged('nobody'), set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    assert.equal(calls.n, 2);

    c.t += 1; // the cooldown is over: one more attempt, still stale
    await verifyJWS(token, set);
    assert.equal(calls.n, 3);

    c.t = t0 + 60_000 + 120_000 - 1;
    await verifyJWS(token, set);

    c.t = t0 + 60_000 + 120_000; // the stale bound is over
    await assert.rejects(verifyJWS(token, set), { code: 'ERR_JWKS_FETCH_FAILED' });
  });

  test('staleIfErrorMs 0: no stale use at all', async (t) => {
    const c = clock();
    const server = await serve(t, jwks(k1));
    const set = remote(server, { now: c.now, staleIfErrorMs: 0 });
    const token = await sign(k1);
    await verifyJWS(token, set);
    await server.close();
    c.t += 600_000;
    await assert.rejects(verifyJWS(token, set), { code: 'ERR_JWKS_FETCH_FAILED' });
  });

  test('a refresh that returns garbage keeps the last good set (and its generation)', async (t) => {
    const c = clock();
    const server = await serve(t, jwks(k1));
    const set = remote(server, { now: c.now });
    const token = await sign(k1);
    await verifyJWS(token, set);
    server.route('/jwks', respond('<html>maintenance</html>', { status: 503, headers: { 'content-type': 'text/html' } }));
    c.t += 600_000;
    await verifyJWS(token, set);
    assert.equal(set.generation, 1);
    server.route('/jwks', respond({ nope: true }));
    c.t += 30_000;
    await verifyJWS(token, set);
    assert.equal(server.hits('/jwks'), 3);
    assert.equal(set.generation, 1);
  });

  test('after a failed reload(), an unknown kid does not refetch within the cooldown', async (t) => {
    const c = clock();
    const server = await serve(t, jwks(k1));
    const { fetch, calls } = counting();
    const set = remote(server, { now: c.now, fetch });
    await set.getKeySet();
    await server.close();
    await assert.rejects(set.reload(), { code: 'ERR_JWKS_FETCH_FAILED' });
    assert.equal(calls.n, 2);
    await assert.rejects(verifyJWS(forged('nobody'), set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    assert.equal(calls.n, 2);
    await verifyJWS(await sign(k1), set); // still fresh: known keys are unaffected
    c.t += 30_000;
    await assert.rejects(verifyJWS(forged('nobody'), set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    assert.equal(calls.n, 3);
  });

  test('cold and down: the error, and no retry within the cooldown', async (t) => {
    const c = clock();
    const server = await serve(t);
    const url = server.url('/jwks');
    await server.close();
    const { fetch, calls } = counting();
    const set = createRemoteJWKSet(url, { now: c.now, fetch });
    const token = await sign(k1);
    await assert.rejects(verifyJWS(token, set), { code: 'ERR_JWKS_FETCH_FAILED' });
    await assert.rejects(verifyJWS(token, set), { code: 'ERR_JWKS_FETCH_FAILED' });
    assert.equal(calls.n, 1);
    c.t += 30_000;
    await assert.rejects(verifyJWS(token, set), { code: 'ERR_JWKS_FETCH_FAILED' });
    assert.equal(calls.n, 2);
    // reload() is explicit: it always tries.
    await assert.rejects(set.reload(), { code: 'ERR_JWKS_FETCH_FAILED' });
    assert.equal(calls.n, 3);
  });
});

describe('remote key set: export and restore', T, () => {
  test('a restored cache is used without fetching while fresh, then refreshed', async (t) => {
    const c = clock();
    const server = await serve(t, jwks(k1));
    const first = remote(server, { now: c.now, cacheMaxAgeMs: 60_000 });
    await first.getKeySet();
    const saved = JSON.parse(JSON.stringify(first.export()));
    assert.deepEqual(Object.keys(saved).sort(), ['expiresAt', 'fetchedAt', 'jwks', 'url']);
    assert.deepEqual(saved.jwks, jwks(k1));

    c.t += 30_000;
    const { fetch, calls } = counting();
    const second = remote(server, { now: c.now, fetch, cache: saved, cacheMaxAgeMs: 60_000 });
    assert.equal(second.generation, 1);
    assert.equal(second.fresh, true);
    await verifyJWS(await sign(k1), second);
    assert.equal(calls.n, 0);

    c.t += 30_000; // past the restored expiry
    await verifyJWS(await sign(k1), second);
    assert.equal(calls.n, 1);
    assert.equal(second.generation, 1, 'the same keys: no change');
  });

  test('a restored cache that has expired is refreshed on first use', async (t) => {
    const c = clock();
    const server = await serve(t, jwks(k1, k2));
    const cache = { jwks: jwks(k1), fetchedAt: c.t - 700_000, expiresAt: c.t - 100_000 };
    const set = remote(server, { now: c.now, cache });
    assert.equal(set.fresh, false);
    await verifyJWS(await sign(k2), set);
    assert.equal(server.hits('/jwks'), 1);
    assert.equal(set.generation, 2);
  });

  test('a restored lifetime is bounded by cacheMaxAgeMs', () => {
    const c = clock();
    const set = createRemoteJWKSet('https://issuer.example/jwks', {
      now: c.now,
      cacheMaxAgeMs: 60_000,
      cache: { jwks: jwks(k1), fetchedAt: c.t, expiresAt: c.t + 365 * 86_400_000 },
    });
    assert.equal(set.export()?.expiresAt, c.t + 60_000);
  });

  test('a cache exported from another URL is refused', () => {
    const cache = { url: 'https://other.example/jwks', jwks: jwks(k1), fetchedAt: 0, expiresAt: 1 };
    assert.throws(() => createRemoteJWKSet('https://issuer.example/jwks', { cache }), { code: 'ERR_INVALID_ARGUMENT' });
  });

  for (const [name, cache] of [
    ['null', null],
    ['a string', 'cache'],
    ['no jwks', { fetchedAt: 0, expiresAt: 1 }],
    ['jwks as JSON text', { jwks: JSON.stringify(jwks(k1)), fetchedAt: 0, expiresAt: 1 }],
    ['fetchedAt missing', { jwks: jwks(k1), expiresAt: 1 }],
    ['expiresAt a string', { jwks: jwks(k1), fetchedAt: 0, expiresAt: '1' }],
    ['expiresAt before fetchedAt', { jwks: jwks(k1), fetchedAt: 10, expiresAt: 1 }],
    ['a NaN time', { jwks: jwks(k1), fetchedAt: Number.NaN, expiresAt: 1 }],
  ] as const) {
    test(`a malformed cache (${name}): ERR_INVALID_ARGUMENT`, () => {
      assert.throws(() => createRemoteJWKSet('https://issuer.example/jwks', { cache: cache as never }), { code: 'ERR_INVALID_ARGUMENT' });
    });
  }

  test('a cache whose JWKS is invalid or private: the JWKS codes', () => {
    assert.throws(() => createRemoteJWKSet('https://issuer.example/jwks', { cache: { jwks: { keys: 'x' } as never, fetchedAt: 0, expiresAt: 1 } }), {
      code: 'ERR_JWKS_INVALID',
    });
    assert.throws(
      () => createRemoteJWKSet('https://issuer.example/jwks', { cache: { jwks: { keys: [k1.privateJWK] }, fetchedAt: 0, expiresAt: 1 } }),
      { code: 'ERR_JWKS_PRIVATE_MEMBER' },
    );
  });
});

describe('remote key set: synchronous callers', T, () => {
  test('verifyJWSSync uses a fresh cached set only', { skip: !platform.syncSupported }, async (t) => {
    const c = clock();
    const server = await serve(t, jwks(k1));
    const set = remote(server, { now: c.now });
    const token = await sign(k1);
    assert.throws(() => verifyJWSSync(token, set), { code: 'ERR_INVALID_ARGUMENT' });
    assert.throws(() => set.keySetSync(), { code: 'ERR_INVALID_ARGUMENT' });
    await set.getKeySet();
    assert.equal(verifyJWSSync(token, set).protectedHeader.kid, 'k1');
    assert.equal(createVerifierSync(set).verifySync(token).protectedHeader.kid, 'k1');
    // A sync miss never fetches.
    assert.throws(() => verifyJWSSync(forged('nobody'), set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    c.t += 600_000;
    assert.throws(() => verifyJWSSync(token, set), { code: 'ERR_INVALID_ARGUMENT' });
    assert.equal(server.hits('/jwks'), 1);
  });

  test('on WebCrypto, verifyJWSSync with a remote set: ERR_SYNC_UNSUPPORTED', { skip: platform.syncSupported }, async (t) => {
    const server = await serve(t, jwks(k1));
    const set = remote(server);
    await set.getKeySet();
    assert.throws(() => verifyJWSSync(forged('k1'), set), { code: 'ERR_SYNC_UNSUPPORTED' });
  });
});

describe('remote key set: decrypt', T, () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const encKey: JWK = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: 'e1', use: 'enc' };

  test('decryptJWE resolves keys from a remote set (which, holding public keys, cannot decrypt)', async (t) => {
    const server = await serve(t, { keys: [encKey] });
    const set = remote(server);
    const token = await encryptJWE('hi', encKey, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', protectedHeader: { kid: 'e1' } });
    await assert.rejects(decryptJWE(token, set), { code: 'ERR_KEY_PRIVATE_REQUIRED' });
    assert.equal(server.hits('/jwks'), 1);
    const other = await encryptJWE('hi', encKey, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', protectedHeader: { kid: 'nobody' } });
    await assert.rejects(decryptJWE(other, set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    assert.equal(server.hits('/jwks'), 2, 'one refetch for the unknown kid');
    await assert.rejects(decryptJWE(other, set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    assert.equal(server.hits('/jwks'), 2, 'then the cooldown');
    // An alg outside an explicit allow-list fails before any fetch.
    const cold = remote(server);
    await assert.rejects(decryptJWE(token, cold, { algorithms: ['RSA-OAEP-256'] }), { code: 'ERR_ALG_NOT_ALLOWED' });
    assert.equal(server.hits('/jwks'), 2);
  });
});
