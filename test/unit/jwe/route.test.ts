/**
 * The compact route (src/jwe/route.ts) against the general path (parseCompactJWE + decryptParsed):
 * for every algorithm family, valid tokens give the same result, and bad tokens and bad options
 * give the same error (code and message) through every entry point that can take a route:
 * createDecrypter(Sync) and decryptJWE(Sync) with an imported key. Also the per-key plan cache of
 * encryptJWE(Sync) and PBKDF2 run inline or on the pool (node.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import { isTesseraError } from '../../../src/core/errors.ts';
import type { TesseraKey } from '../../../src/jwa/key.ts';
import { importKey } from '../../../src/jwk/import.ts';
import { decryptJWE, decryptJWESync, encryptJWE, encryptJWESync, parseCompactJWE } from '../../../src/jwe/compact.ts';
import { decryptParsed, decryptParsedSync, resultOf } from '../../../src/jwe/decrypt.ts';
import { createDecrypter, createDecrypterSync } from '../../../src/jwe/factories.ts';
import { preparePlain } from '../../../src/jwe/route-cache.ts';
import type { DecryptOptions, DecryptResult, EncryptOptions } from '../../../src/jwe/types.ts';
import { CASES, b64u, mutate, password, s16, s32, secret } from './fixtures.ts';

type Outcome = { ok: true; result: DecryptResult } | { ok: false; code: string; message: string };

async function outcome(run: () => DecryptResult | Promise<DecryptResult>): Promise<Outcome> {
  try {
    return { ok: true, result: await run() };
  } catch (err) {
    if (!isTesseraError(err)) throw err;
    return { ok: false, code: err.code, message: err.message };
  }
}

/** The general path, as decryptJWE(Sync) ran it before routes. */
async function general(token: string, key: TesseraKey, options: DecryptOptions): Promise<Outcome> {
  return outcome(async () => {
    const parsed = parseCompactJWE(token, options);
    return resultOf(parsed, await decryptParsed(parsed, key, options));
  });
}

function generalSync(token: string, key: TesseraKey, options: DecryptOptions): Promise<Outcome> {
  return outcome(() => {
    const parsed = parseCompactJWE(token, options);
    return resultOf(parsed, decryptParsedSync(parsed, key, options));
  });
}

/** Every entry point that can take a route, named. */
async function routed(token: string, key: TesseraKey, options: DecryptOptions, factories: boolean): Promise<Array<[string, Outcome]>> {
  const out: Array<[string, Outcome]> = [];
  out.push(['decryptJWE', await outcome(() => decryptJWE(token, key, options))]);
  if (platform.syncSupported) out.push(['decryptJWESync', await outcome(() => decryptJWESync(token, key, options))]);
  if (!factories) return out;
  // A factory sees each token twice: the first call makes the route, the second reuses it.
  const decrypter = await createDecrypter(key, options);
  out.push(['createDecrypter().decrypt', await outcome(() => decrypter.decrypt(token))]);
  out.push(['createDecrypter().decrypt (again)', await outcome(() => decrypter.decrypt(token))]);
  if (platform.syncSupported) {
    const d = createDecrypterSync(key, options);
    out.push(['createDecrypterSync().decryptSync', await outcome(() => d.decryptSync(token))]);
    out.push(['createDecrypterSync().decryptSync (again)', await outcome(() => d.decryptSync(token))]);
  }
  return out;
}

function assertSame(name: string, got: Outcome, want: Outcome): void {
  if (want.ok) {
    assert.ok(got.ok, `${name}: expected success, got ${got.ok ? '' : `${got.code} ${got.message}`}`);
    assert.deepEqual(got.result.plaintext, want.result.plaintext, `${name}: plaintext`);
    assert.deepEqual(got.result.protectedHeader, want.result.protectedHeader, `${name}: protectedHeader`);
    assert.equal(got.result.key, want.result.key, `${name}: key`);
    assert.deepEqual(Object.keys(got.result), Object.keys(want.result), `${name}: result members`);
    return;
  }
  assert.ok(!got.ok, `${name}: expected ${want.code}, got success`);
  assert.equal(got.code, want.code, `${name}: code`);
  assert.equal(got.message, want.message, `${name}: message`);
}

/** Checks every routed entry point against the general path; returns the general outcome. */
async function same(token: string, key: TesseraKey, options: DecryptOptions, factories = true): Promise<Outcome> {
  const want = await general(token, key, options);
  if (platform.syncSupported) assertSame('general sync vs async', await generalSync(token, key, options), want);
  for (const [name, got] of await routed(token, key, options, factories)) assertSame(name, got, want);
  return want;
}

function code(o: Outcome): string {
  return o.ok ? 'ok' : o.code;
}

/** Replaces part `i` (0–4) of a compact token. */
function withPart(token: string, i: number, value: string): string {
  const parts = token.split('.');
  parts[i] = value;
  return parts.join('.');
}

/** A second spelling of the same bytes: the last character with its unused bits set (or `=`). */
function nonCanonical(segment: string): string {
  const rem = segment.length % 4;
  if (rem === 0) return `${segment}=`;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(segment[segment.length - 1] as string);
  return segment.slice(0, -1) + (alphabet[last | 1] as string);
}

const PLAINTEXT = new TextEncoder().encode('{"sub":"ada","scope":"read write"}');

describe('compact route: valid tokens give what the general path gives', () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const encryptOptions: EncryptOptions = { alg: c.alg, enc: c.enc, ...(c.p2c && { p2c: c.p2c }) };
      const token = await encryptJWE(PLAINTEXT, c.encryptKey, encryptOptions);
      const key = await importKey(c.decryptKey);
      const options: DecryptOptions = { algorithms: [c.alg], encryptions: [c.enc], ...c.decrypt };
      const want = await same(token, key, options);
      assert.equal(code(want), 'ok');
      // It really takes the route (nothing in it sends the token to the general path).
      assert.ok(preparePlain(token, key, options) !== undefined);
      // Allow-lists derived from the key (never PBES2) behave the same.
      if (c.decrypt === undefined) assert.equal(code(await same(token, key, {})), 'ok');
    });
  }

  test('zip: DEF, and the decompression limit', async () => {
    const big = new TextEncoder().encode('a'.repeat(5000));
    const token = await encryptJWE(big, s32, { alg: 'dir', enc: 'A256GCM', zip: 'DEF' });
    const key = await importKey(s32);
    assert.equal(code(await same(token, key, {})), 'ok');
    assert.equal(code(await same(token, key, { maxDecompressedLength: 100 })), 'ERR_JWE_DECOMPRESSION_LIMIT');
  });

  test('crit: understood, not understood', async () => {
    const token = await encryptJWE(PLAINTEXT, s32, { alg: 'dir', enc: 'A256GCM', protectedHeader: { crit: ['ext'], ext: 1 } });
    const key = await importKey(s32);
    assert.equal(code(await same(token, key, { crit: ['ext'] })), 'ok');
    assert.equal(code(await same(token, key, {})), 'ERR_CRIT_UNSUPPORTED');
  });

  test('a decrypter keeps one route per header: tokens with other headers, in turn', async () => {
    const key = await importKey(s32);
    const tokens = [
      await encryptJWE(PLAINTEXT, s32, { alg: 'dir', enc: 'A256GCM' }),
      await encryptJWE(PLAINTEXT, s32, { alg: 'dir', enc: 'A256GCM', protectedHeader: { kid: 'k1' } }),
      await encryptJWE(PLAINTEXT, s32, { alg: 'A256KW', enc: 'A128GCM' }),
      await encryptJWE(PLAINTEXT, s32, { alg: 'dir', enc: 'A256GCM', protectedHeader: { kid: 'k2' } }),
    ];
    const decrypter = await createDecrypter(key, { algorithms: ['dir'] });
    for (let round = 0; round < 2; round++) {
      for (const token of tokens) {
        const want = await general(token, key, { algorithms: ['dir'] });
        assertSame(`round ${round}`, await outcome(() => decrypter.decrypt(token)), want);
      }
    }
  });
});

describe('compact route: bad tokens and options fail as the general path does', () => {
  const dirOptions: DecryptOptions = { algorithms: ['dir'], encryptions: ['A256GCM'] };

  async function dirToken(extra: Partial<EncryptOptions> = {}): Promise<string> {
    return encryptJWE(PLAINTEXT, s32, { alg: 'dir', enc: 'A256GCM', ...extra });
  }

  test('alg and enc not allowed, unsupported, missing', async () => {
    const key = await importKey(s32);
    const token = await dirToken();
    assert.equal(code(await same(token, key, { algorithms: ['A256KW'] })), 'ERR_ALG_NOT_ALLOWED');
    assert.equal(code(await same(token, key, { encryptions: ['A128GCM'] })), 'ERR_ALG_NOT_ALLOWED');
    const noEnc = `${b64u('{"alg":"dir"}')}.${token.split('.').slice(1).join('.')}`;
    assert.equal(code(await same(noEnc, key, dirOptions)), 'ERR_JWE_INVALID');
    const none = `${b64u('{"alg":"none","enc":"A256GCM"}')}.${token.split('.').slice(1).join('.')}`;
    assert.equal(code(await same(none, key, {})), 'ERR_ALG_UNSUPPORTED');
    const rsa15 = `${b64u('{"alg":"RSA1_5","enc":"A256GCM"}')}.${token.split('.').slice(1).join('.')}`;
    assert.equal(code(await same(rsa15, key, {})), 'ERR_ALG_UNSUPPORTED');
    const badEnc = `${b64u('{"alg":"dir","enc":"A512GCM"}')}.${token.split('.').slice(1).join('.')}`;
    assert.equal(code(await same(badEnc, key, {})), 'ERR_ALG_UNSUPPORTED');
  });

  test('mutated parts', async () => {
    const key = await importKey(s32);
    const token = await dirToken();
    const parts = token.split('.');
    for (const i of [0, 2, 3, 4]) {
      const o = await same(withPart(token, i, mutate(parts[i] as string)), key, dirOptions);
      assert.notEqual(code(o), 'ok', `part ${i}`);
    }
    // The header mutated into other valid JSON: the tag covers it.
    const other = `${b64u('{"alg":"dir","enc":"A256GCM","kid":"x"}')}.${parts.slice(1).join('.')}`;
    assert.equal(code(await same(other, key, dirOptions)), 'ERR_JWE_DECRYPTION_FAILED');
    // A truncated tag (a prefix of the real one).
    assert.equal(code(await same(withPart(token, 4, (parts[4] as string).slice(0, 16)), key, dirOptions)), 'ERR_JWE_DECRYPTION_FAILED');
    // An encrypted key with dir.
    assert.equal(code(await same(withPart(token, 1, b64u(secret(32))), key, dirOptions)), 'ERR_JWE_INVALID');
    // An empty IV, ciphertext, tag.
    for (const i of [2, 3, 4]) assert.notEqual(code(await same(withPart(token, i, ''), key, dirOptions)), 'ok', `empty part ${i}`);
  });

  test('non-canonical base64url in every part', async () => {
    const key = await importKey(s32);
    for (const token of [await dirToken(), await encryptJWE(PLAINTEXT, s32, { alg: 'A256KW', enc: 'A256GCM' })]) {
      const parts = token.split('.');
      for (let i = 0; i < 5; i++) {
        const p = parts[i] as string;
        if (p === '') continue;
        for (const bad of [nonCanonical(p), `${p}=`, p.replace(/-/g, '+').replace(/_/g, '/'), ` ${p}`, `${p.slice(0, -1)}!`]) {
          if (bad === p) continue;
          const o = await same(withPart(token, i, bad), key, {});
          assert.notEqual(code(o), 'ok', `part ${i}: ${bad.slice(-4)}`);
        }
      }
    }
  });

  test('structure: parts, empty header, not a string, a JWS', async () => {
    const key = await importKey(s32);
    const token = await dirToken();
    const parts = token.split('.');
    for (const bad of [
      parts.slice(0, 4).join('.'),
      `${token}.x`,
      `${token}.`,
      `.${parts.slice(1).join('.')}`,
      parts.slice(0, 3).join('.'),
      '',
      '....',
      `${b64u('[1]')}.${parts.slice(1).join('.')}`,
      `${b64u('{"alg":"dir","alg":"dir","enc":"A256GCM"}')}.${parts.slice(1).join('.')}`,
      `${b64u('{"alg":"dir","enc":"A256GCM","zip":"GZ"}')}.${parts.slice(1).join('.')}`,
      `${b64u('{"alg":"dir","enc":"A256GCM","crit":[]}')}.${parts.slice(1).join('.')}`,
      `${b64u('{"alg":"dir","enc":"A256GCM","kid":7}')}.${parts.slice(1).join('.')}`,
    ]) {
      assert.notEqual(code(await same(bad, key, dirOptions)), 'ok', bad.slice(0, 40));
    }
    for (const notString of [undefined, null, 42, {}, ['a']]) {
      assert.equal(code(await same(notString as unknown as string, key, dirOptions)), 'ERR_JWE_INVALID');
    }
  });

  test('limits: oversized token and header, bad limit options', async () => {
    const key = await importKey(s32);
    const token = await dirToken({ protectedHeader: { kid: 'k'.repeat(200) } });
    assert.equal(code(await same(token, key, { maxTokenLength: 100 })), 'ERR_TOKEN_TOO_LARGE');
    assert.equal(code(await same(token, key, { maxHeaderLength: 100 })), 'ERR_HEADER_TOO_LARGE');
    // A bad limit with a good token, and with a bad one: the general path's order decides which error.
    // (A factory refuses bad limits when it is made.)
    assert.equal(code(await same(token, key, { maxDecompressedLength: 0 }, false)), 'ERR_INVALID_ARGUMENT');
    assert.equal(code(await same(withPart(token, 2, '!'), key, { maxDecompressedLength: 0 }, false)), 'ERR_BASE64URL_INVALID');
    await assert.rejects(createDecrypter(key, { maxDecompressedLength: 0 }), (err: unknown) => isTesseraError(err) && err.code === 'ERR_INVALID_ARGUMENT');
  });

  test('keys: wrong length for dir, bound to another enc, not for encryption', async () => {
    const token = await dirToken();
    assert.equal(code(await same(token, await importKey(s16), { algorithms: ['dir'] })), 'ERR_KEY_TYPE_MISMATCH');
    const boundJWK = { kty: 'oct', k: b64u(s32), alg: 'A128GCM' };
    assert.notEqual(code(await same(token, await importKey(boundJWK), { algorithms: ['dir'] })), 'ok');
    const sigJWK = { kty: 'oct', k: b64u(s32), use: 'sig' };
    assert.equal(code(await same(token, await importKey(sigJWK), { algorithms: ['dir'] })), 'ERR_KEY_USAGE');
    // The right key, another secret: the tag fails.
    assert.equal(code(await same(token, await importKey(secret(32)), {})), 'ERR_JWE_DECRYPTION_FAILED');
  });

  test('PBES2: p2c above the cap, not allowed by default; AES-KW with a wrong key', async () => {
    const token = await encryptJWE(PLAINTEXT, password, { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 2000 });
    const key = await importKey(password);
    assert.equal(code(await same(token, key, { algorithms: ['PBES2-HS256+A128KW'], maxPBES2Count: 1000 })), 'ERR_PBES2_COUNT');
    assert.equal(code(await same(token, key, {})), 'ERR_ALG_NOT_ALLOWED');
    assert.equal(code(await same(token, await importKey(new TextEncoder().encode('wrong')), { algorithms: ['PBES2-HS256+A128KW'] })), 'ERR_JWE_DECRYPTION_FAILED');
    const kw = await encryptJWE(PLAINTEXT, s32, { alg: 'A256KW', enc: 'A256GCM' });
    assert.equal(code(await same(kw, await importKey(secret(32)), {})), 'ERR_JWE_DECRYPTION_FAILED');
    const parts = kw.split('.');
    assert.equal(code(await same(withPart(kw, 1, mutate(parts[1] as string)), await importKey(s32), {})), 'ERR_JWE_DECRYPTION_FAILED');
  });

  test('a decrypter with a key set or resolver still works (general path)', async () => {
    const token = await dirToken();
    const decrypter = await createDecrypter(() => s32, { algorithms: ['dir'] });
    assert.deepEqual((await decrypter.decrypt(token)).plaintext, PLAINTEXT);
  });
});

describe('plain encryptJWE: the per-key plan cache', () => {
  const run = async (key: Uint8Array | TesseraKey, options: EncryptOptions): Promise<string> =>
    platform.syncSupported ? encryptJWESync(PLAINTEXT, key, options) : encryptJWE(PLAINTEXT, key, options);

  test('the same options give the same header; other options another', async () => {
    const key = await importKey(s32);
    const header = (t: string) => t.split('.')[0];
    const a = await run(key, { alg: 'dir', enc: 'A256GCM', protectedHeader: { kid: '1', typ: 'x' } });
    const b = await run(key, { alg: 'dir', enc: 'A256GCM', protectedHeader: { kid: '1', typ: 'x' } });
    const c = await run(key, { alg: 'dir', enc: 'A256GCM', protectedHeader: { typ: 'x', kid: '1' } });
    const d = await run(key, { alg: 'dir', enc: 'A256GCM', protectedHeader: { kid: '2', typ: 'x' } });
    assert.equal(header(a), header(b));
    assert.notEqual(header(a), header(c));
    assert.notEqual(header(a), header(d));
    // A header object changed between calls is read afresh.
    const given: Record<string, unknown> = { kid: 'before' };
    await run(key, { alg: 'dir', enc: 'A256GCM', protectedHeader: given });
    given.kid = 'after';
    const after = await run(key, { alg: 'dir', enc: 'A256GCM', protectedHeader: given });
    assert.equal(JSON.parse(Buffer.from(header(after) as string, 'base64url').toString()).kid, 'after');
    for (const t of [a, b, c, d, after]) assert.deepEqual((await decryptJWE(t, key, {})).plaintext, PLAINTEXT);
  });

  test('errors are never served from the cache', async () => {
    const key = await importKey(password);
    const ok: EncryptOptions = { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1000 };
    await run(key, ok);
    for (const bad of [
      { ...ok, p2c: Number.NaN },
      { ...ok, p2c: 999 },
      { ...ok, p2c: 1000.5 },
      { ...ok, alg: '' },
      { ...ok, alg: 'dir' },
      { ...ok, enc: 'A128GCM ' },
      { ...ok, zip: 'GZ' as 'DEF' },
      { ...ok, protectedHeader: { p2c: 5 } },
      { ...ok, protectedHeader: null as unknown as undefined },
      { ...ok, protectedHeader: [] as unknown as undefined },
    ]) {
      await assert.rejects(async () => run(key, bad), (err: unknown) => isTesseraError(err), JSON.stringify(bad));
    }
    const secret32 = await importKey(s32);
    await run(secret32, { enc: 'A256GCM', alg: 'dir' });
    // alg undefined (from the key, which is unbound) is not alg "".
    await assert.rejects(async () => run(secret32, { enc: 'A256GCM' }), (err: unknown) => isTesseraError(err) && err.code === 'ERR_ALG_REQUIRED');
    await assert.rejects(async () => run(secret32, { enc: 'A256GCM', alg: '' }), (err: unknown) => isTesseraError(err));
  });
});

describe('PBES2 on the pool or inline', () => {
  test('a burst of async PBES2 operations (pool) and a lone one (inline) all decrypt', async () => {
    const options: EncryptOptions = { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1000 };
    const tokens = await Promise.all(Array.from({ length: 6 }, () => encryptJWE(PLAINTEXT, password, options)));
    const decryptOptions = { algorithms: ['PBES2-HS256+A128KW'] };
    const results = await Promise.all(tokens.map((t) => decryptJWE(t, password, decryptOptions)));
    for (const r of results) assert.deepEqual(r.plaintext, PLAINTEXT);
    assert.deepEqual((await decryptJWE(tokens[0] as string, password, decryptOptions)).plaintext, PLAINTEXT);
    // A failure in a burst rejects that one alone.
    const wrong = new TextEncoder().encode('wrong');
    const mixed = await Promise.allSettled([decryptJWE(tokens[1] as string, wrong, decryptOptions), decryptJWE(tokens[2] as string, password, decryptOptions)]);
    assert.equal(mixed[0].status, 'rejected');
    assert.equal(mixed[1].status, 'fulfilled');
  });

  test('platform.pbkdf2 gives what pbkdf2Sync gives, alone and in a burst', async () => {
    const salt = new TextEncoder().encode('PBES2-HS256+A128KW\0saltsalt');
    const lone = await platform.pbkdf2('SHA-256', s32, salt, 1000, 16);
    const burst = await Promise.all([1, 2, 3].map(() => platform.pbkdf2('SHA-256', s32, salt, 1000, 16)));
    for (const b of burst) assert.deepEqual(b, lone);
    if (platform.syncSupported) assert.deepEqual(platform.pbkdf2Sync('SHA-256', s32, salt, 1000, 16), lone);
  });
});

describe('per-message header parameters appended to the planned JSON', () => {
  test('ECDH-ES and PBES2 headers are the JSON of the header with the parameters last', async () => {
    const { p256 } = await import('./fixtures.ts');
    const cases: Array<[Uint8Array | Record<string, unknown>, EncryptOptions]> = [
      [p256.publicJWK as Record<string, unknown>, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', protectedHeader: { kid: 'k"\u2028', typ: 'JWT', cty: 'JWT', n: [1, { a: null }] } }],
      [p256.publicJWK as Record<string, unknown>, { alg: 'ECDH-ES', enc: 'A128GCM', apu: new Uint8Array([1, 2]), apv: new Uint8Array([3]) }],
      [password, { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1000, zip: 'DEF' }],
    ];
    for (const [key, options] of cases) {
      const token = await encryptJWE(PLAINTEXT, key as Uint8Array, options);
      const json = Buffer.from(token.split('.')[0] as string, 'base64url').toString('utf8');
      const header = JSON.parse(json) as Record<string, unknown>;
      // What the former per-message encoding wrote: JSON.stringify of the parsed header, member order kept.
      assert.equal(json, JSON.stringify(header));
      const names = Object.keys(header);
      const parameters = names.filter((n) => ['epk', 'apu', 'apv', 'p2s', 'p2c'].includes(n));
      assert.deepEqual(names.slice(names.length - parameters.length), parameters, 'parameters come last');
      assert.deepEqual(names.slice(0, 2), ['alg', 'enc']);
    }
  });
});

describe('plain decrypt: the per-key route table follows the options by value', () => {
  test('a narrower or wider allow-list on the next call, and a caller changing its array', async () => {
    const key = await importKey(s32);
    const token = await encryptJWE(PLAINTEXT, s32, { alg: 'dir', enc: 'A256GCM' });
    assert.equal(code(await same(token, key, { algorithms: ['dir'], encryptions: ['A256GCM'] })), 'ok');
    assert.equal(code(await same(token, key, { algorithms: ['dir'], encryptions: ['A128GCM'] })), 'ERR_ALG_NOT_ALLOWED');
    assert.equal(code(await same(token, key, { algorithms: ['A256KW'], encryptions: ['A256GCM'] })), 'ERR_ALG_NOT_ALLOWED');
    const encryptions = ['A128GCM'];
    assert.equal(code(await same(token, key, { algorithms: ['dir'], encryptions })), 'ERR_ALG_NOT_ALLOWED');
    encryptions[0] = 'A256GCM'; // the caller now allows it: the next call follows
    assert.equal(code(await same(token, key, { algorithms: ['dir'], encryptions })), 'ok');
    encryptions[0] = 'A128GCM'; // and back: the cached table must not keep the wider list
    assert.equal(code(await same(token, key, { algorithms: ['dir'], encryptions })), 'ERR_ALG_NOT_ALLOWED');
  });

  test('limits and crit on the next call are honoured', async () => {
    const key = await importKey(s32);
    const big = new TextEncoder().encode('a'.repeat(5000));
    const zipped = await encryptJWE(big, s32, { alg: 'dir', enc: 'A256GCM', zip: 'DEF' });
    assert.equal(code(await same(zipped, key, {})), 'ok');
    assert.equal(code(await same(zipped, key, { maxDecompressedLength: 100 })), 'ERR_JWE_DECOMPRESSION_LIMIT');
    assert.equal(code(await same(zipped, key, {})), 'ok');
    const token = await encryptJWE(PLAINTEXT, s32, { alg: 'dir', enc: 'A256GCM' });
    assert.equal(code(await same(token, key, { maxTokenLength: 50 })), 'ERR_TOKEN_TOO_LARGE');
    assert.equal(code(await same(token, key, {})), 'ok');
    const crit = await encryptJWE(PLAINTEXT, s32, { alg: 'dir', enc: 'A256GCM', protectedHeader: { crit: ['tenant'], tenant: 'a' } });
    assert.equal(code(await same(crit, key, { crit: ['tenant'] })), 'ok');
    assert.equal(code(await same(crit, key, {})), 'ERR_CRIT_UNSUPPORTED');
  });
});
