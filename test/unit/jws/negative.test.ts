/**
 * The JWS negative suite: one case per attack in THREATS.md that the compact API can meet.
 * Each case asserts the exact error code. Where a check could be bypassed by a lenient library,
 * the token is forged with a *valid* signature over exactly its bytes, so the check under test is
 * the only thing standing between the token and acceptance.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { constants, sign as nodeSign } from 'node:crypto';
import { generateKeyPairSync } from '../../helpers/node-keygen.ts';
import { platform } from '#platform';
import { isTesseraError } from '../../../src/core/errors.ts';
import { resolveJWSAlgorithm } from '../../../src/jwa/registry.ts';
import {
  createSigner,
  createVerifier,
  createVerifierSync,
  signJWS,
  verifyJWS,
  verifyJWSSync,
  type VerifyKey,
  type VerifyOptions,
} from '../../../src/jws/index.ts';
import { createLocalJWKSet, importJWK, importPEM, importSecret } from '../../../src/jwk/index.ts';
import {
  ECDSA,
  b64u,
  forgeHS256,
  forgeHS256Text,
  hexBytes,
  hmacB64,
  pair,
  publicCryptoKey,
  secretBytes,
  segments,
  type PairKind,
} from '../../helpers/jws-fixtures.ts';

const SECRET = secretBytes(32);
const unsupportedHere = (kind: PairKind) => platform.name === 'web' && kind === 'secp256k1';

/** Every verify entry point, for cases that must fail the same way through all of them. */
type Entry = (token: string, key: VerifyKey, options?: VerifyOptions) => Promise<unknown>;
const ENTRIES: Array<[string, Entry]> = [
  ['verifyJWS', (t, k, o) => verifyJWS(t, k, o)],
  ['createVerifier', async (t, k, o) => (await createVerifier(k, o)).verify(t)],
];
if (platform.syncSupported) {
  ENTRIES.push(
    ['verifyJWSSync', async (t, k, o) => verifyJWSSync(t, k, o)],
    ['createVerifier().verifySync', async (t, k, o) => (await createVerifier(k, o)).verifySync(t)],
    ['createVerifierSync().verifySync', async (t, k, o) => createVerifierSync(k, o).verifySync(t)],
  );
}

/** Asserts that every entry point rejects with `code`. */
async function rejectsEverywhere(token: string, key: VerifyKey, options: VerifyOptions | undefined, code: string): Promise<void> {
  for (const [name, entry] of ENTRIES) {
    await assert.rejects(entry(token, key, options), { code }, `${name} must reject with ${code}`);
  }
}

/** As {@link rejectsEverywhere}, for an async key resolver: the async entry points only. */
async function rejectsAsync(token: string, key: VerifyKey, options: VerifyOptions | undefined, code: string): Promise<void> {
  for (const [name, entry] of ENTRIES.slice(0, 2)) {
    await assert.rejects(entry(token, key, options), { code }, `${name} must reject with ${code}`);
  }
  if (platform.syncSupported) {
    assert.throws(() => verifyJWSSync(token, key, options), { code: 'ERR_INVALID_ARGUMENT' }, 'a sync verify refuses an async resolver');
  }
}

/** A valid HS256 token over a header text and payload (sanity-checked to verify). */
async function validHS256(headerJSON = '{"alg":"HS256"}', payload = 'payload'): Promise<string> {
  const token = forgeHS256Text(headerJSON, payload, SECRET);
  await verifyJWS(token, SECRET);
  return token;
}

describe('alg "none" is never accepted (THREATS.md §1)', async () => {
  const rsa = pair('RSA');
  const set = createLocalJWKSet({ keys: [rsa.publicJWK, pair('P-256').publicJWK] });
  const octSet = createLocalJWKSet({ keys: [{ kty: 'oct', k: b64u(SECRET) }] }, { allowPrivate: true });
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    for (const [sigName, sig] of [['an empty signature', ''], ['a signature', b64u(secretBytes(32, 9))]]) {
      test(`"${alg}" with ${sigName}`, async () => {
        const token = `${b64u(JSON.stringify({ alg, typ: 'JWT' }))}.${b64u('{"sub":"admin"}')}.${sig}`;
        for (const key of [SECRET, rsa.publicJWK, set, octSet] as VerifyKey[]) {
          for (const options of [{}, { algorithms: ['none'] }, { algorithms: [alg] }, { algorithms: ['none', 'HS256', 'RS256'] }]) {
            await rejectsEverywhere(token, key, options, 'ERR_ALG_NONE');
          }
        }
        let called = 0;
        const resolver = () => {
          called++;
          return SECRET;
        };
        for (const options of [{ algorithms: ['none'] }, { algorithms: ['HS256'] }]) {
          await rejectsEverywhere(token, resolver, options, 'ERR_ALG_NONE');
        }
        assert.equal(called, 0, 'the key resolver is never consulted for alg none');
      });
    }
  }

  test('a missing or empty key is a configuration error, before any token is read', async () => {
    const token = `${b64u('{"alg":"none"}')}.${b64u('x')}.`;
    for (const key of [undefined, null, '', new Uint8Array(0)]) {
      await assert.rejects(createVerifier(key as unknown as VerifyKey, { algorithms: ['none'] }), { code: 'ERR_KEY_EMPTY' });
      await assert.rejects(verifyJWS(token, key as unknown as VerifyKey, { algorithms: ['none'] }), { code: 'ERR_KEY_EMPTY' });
      if (platform.syncSupported) {
        assert.throws(() => createVerifierSync(key as unknown as VerifyKey), { code: 'ERR_KEY_EMPTY' });
      }
    }
    for (const empty of [undefined, null, '', new Uint8Array(0)]) {
      await assert.rejects(verifyJWS(`${b64u('{"alg":"HS256"}')}.${b64u('x')}.`, () => empty as never, { algorithms: ['HS256'] }), {
        code: 'ERR_KEY_EMPTY',
      });
    }
  });

  test('signing with alg none is refused', async () => {
    for (const alg of ['none', 'None']) {
      await assert.rejects(signJWS('x', SECRET, { alg }), { code: 'ERR_ALG_NONE' });
      await assert.rejects(createSigner(SECRET, { alg }), { code: 'ERR_ALG_NONE' });
    }
  });
});

describe('a public key used as an HMAC secret is refused (THREATS.md §2)', () => {
  for (const kind of ['RSA', 'P-256'] as const) {
    test(`${kind} public key`, async () => {
      const p = pair(kind);
      const pem = p.publicPEM;
      const jwkText = JSON.stringify(p.publicJWK);
      const pkcs1 = kind === 'RSA' ? (p.publicKeyObject.export({ format: 'pem', type: 'pkcs1' }) as string) : pem;
      // The attacker's HMAC keys: every text form a lenient library might hand to HMAC.
      const secrets = [pem, `\n  ${pem}`, `x${pem}`, pkcs1, jwkText, ` ${jwkText}`, JSON.stringify(p.publicJWK, null, 2)];
      const header = b64u('{"alg":"HS256","typ":"JWT"}');
      const payload = b64u('{"sub":"admin"}');
      for (const secret of secrets) {
        const token = forgeHS256(header, payload, secret);
        // Raw strings are never keys.
        for (const key of [secret, pem]) {
          for (const options of [{}, { algorithms: ['HS256'] }]) {
            await rejectsEverywhere(token, key as unknown as VerifyKey, options, 'ERR_KEY_INVALID');
          }
        }
        // Bytes that hold asymmetric key text are refused as secrets, allow-list or not.
        for (const bytes of [Buffer.from(secret), new TextEncoder().encode(secret), Buffer.from(pem)]) {
          for (const options of [{}, { algorithms: ['HS256'] }]) {
            await rejectsEverywhere(token, bytes, options, 'ERR_KEY_TYPE_MISMATCH');
          }
          await assert.rejects(importSecret(bytes), { code: 'ERR_KEY_TYPE_MISMATCH' });
        }
        // Typed public keys: the family binding refuses HS256 outright; with the allow-list derived
        // from the key, HS256 is not even allowed.
        const typed: VerifyKey[] = [p.publicJWK, await importJWK(p.publicJWK), await importPEM(pem), await publicCryptoKey(kind)];
        if (platform.name === 'node') typed.push(p.publicKeyObject);
        // WebCrypto knows no KeyObject: not a key at all there.
        else await rejectsEverywhere(token, p.publicKeyObject as never, { algorithms: ['HS256'] }, 'ERR_KEY_INVALID');
        for (const key of typed) {
          await rejectsEverywhere(token, key, { algorithms: ['HS256'] }, 'ERR_KEY_TYPE_MISMATCH');
          await rejectsEverywhere(token, key, { algorithms: ['HS256', 'RS256', 'ES256'] }, 'ERR_KEY_TYPE_MISMATCH');
          await rejectsEverywhere(token, key, {}, 'ERR_ALG_NOT_ALLOWED');
        }
        // A key set holding the public key, and a resolver returning it.
        const set = createLocalJWKSet({ keys: [p.publicJWK] });
        await rejectsEverywhere(token, set, {}, 'ERR_ALG_NOT_ALLOWED');
        await rejectsEverywhere(token, set, { algorithms: ['HS256'] }, 'ERR_JWKS_NO_MATCHING_KEY');
        await rejectsEverywhere(token, () => p.publicJWK, { algorithms: ['HS256'] }, 'ERR_KEY_TYPE_MISMATCH');
        await rejectsEverywhere(token, () => Buffer.from(secret), { algorithms: ['HS256'] }, 'ERR_KEY_TYPE_MISMATCH');
      }
    });
  }

  test('an SSH public key line is refused as a secret', async () => {
    const line = `ssh-ed25519 ${b64u(secretBytes(51))} user@host`;
    const token = forgeHS256(b64u('{"alg":"HS256"}'), b64u('x'), line);
    await rejectsEverywhere(token, Buffer.from(line), { algorithms: ['HS256'] }, 'ERR_KEY_TYPE_MISMATCH');
  });
});

describe('alg and allow-list', () => {
  test('an alg outside the allow-list', async () => {
    const big = secretBytes(64);
    const hs384 = await signJWS('x', big, { alg: 'HS384' });
    await rejectsEverywhere(hs384, big, { algorithms: ['HS256'] }, 'ERR_ALG_NOT_ALLOWED');
    await rejectsEverywhere(hs384, big, { algorithms: [] }, 'ERR_ALG_NOT_ALLOWED');
    // Exact, case-sensitive match.
    await rejectsEverywhere(hs384, big, { algorithms: ['hs384', 'HS384 '] }, 'ERR_ALG_NOT_ALLOWED');
    // Derived from a key bound to HS256.
    await rejectsEverywhere(hs384, await importSecret(big, { alg: 'HS256' }), {}, 'ERR_ALG_NOT_ALLOWED');
    await rejectsEverywhere(hs384, { kty: 'oct', k: b64u(big), alg: 'HS512' }, {}, 'ERR_ALG_NOT_ALLOWED');
    // Derived from a 32-byte secret: only HS256 fits it.
    const hs512 = forgeHS256Text('{"alg":"HS512"}', 'x', SECRET).replace(/[^.]+$/, hmacB64('sha512', SECRET, `${b64u('{"alg":"HS512"}')}.${b64u('x')}`));
    await rejectsEverywhere(hs512, SECRET, {}, 'ERR_ALG_NOT_ALLOWED');
    // An ES384 token against a P-384 key bound to ES256 by its JWK.
    const es = await signJWS('x', pair('P-384').privateJWK, { alg: 'ES384' });
    await rejectsEverywhere(es, { ...pair('P-384').publicJWK, alg: 'ES256' }, {}, 'ERR_ALG_NOT_ALLOWED');
  });

  test('a key bound to another alg than the allowed token alg', async () => {
    const big = secretBytes(64);
    const hs384 = await signJWS('x', big, { alg: 'HS384' });
    await rejectsEverywhere(hs384, await importSecret(big, { alg: 'HS256' }), { algorithms: ['HS384'] }, 'ERR_KEY_USAGE');
  });

  for (const alg of ['HS1024', 'RS1', 'hs256', 'ES256k', 'EDDSA', 'ed25519', 'RSA-OAEP', 'dir', 'A128KW', 'HS256 ', '', 'none\u0000']) {
    test(`unknown alg ${JSON.stringify(alg)}`, async () => {
      const token = forgeHS256Text(JSON.stringify({ alg }), 'x', SECRET);
      await rejectsEverywhere(token, SECRET, {}, 'ERR_ALG_UNSUPPORTED');
      await rejectsEverywhere(token, SECRET, { algorithms: ['HS256', alg] }, 'ERR_ALG_UNSUPPORTED');
    });
  }

  for (const [name, value] of [['a number', 256], ['null', null], ['an array', ['HS256']], ['an object', { name: 'HS256' }], ['true', true]] as const) {
    test(`alg that is ${name} is an invalid header`, async () => {
      const token = forgeHS256Text(JSON.stringify({ alg: value }), 'x', SECRET);
      await rejectsEverywhere(token, SECRET, {}, 'ERR_HEADER_INVALID');
      await rejectsEverywhere(token, SECRET, { algorithms: ['HS256'] }, 'ERR_HEADER_INVALID');
    });
  }

  test('a missing alg is an invalid header (RFC 7515 §4.1.1)', async () => {
    for (const header of ['{}', '{"typ":"JWT"}', '{"Alg":"HS256"}']) {
      const token = forgeHS256Text(header, 'x', SECRET);
      await rejectsEverywhere(token, SECRET, {}, 'ERR_HEADER_INVALID');
      await rejectsEverywhere(token, SECRET, { algorithms: ['HS256'] }, 'ERR_HEADER_INVALID');
    }
  });

  test('other registered members of the wrong type are invalid headers', async () => {
    for (const header of [
      '{"alg":"HS256","kid":1}',
      '{"alg":"HS256","typ":["JWT"]}',
      '{"alg":"HS256","cty":null}',
      '{"alg":"HS256","jwk":"x"}',
      '{"alg":"HS256","jwk":[]}',
      '{"alg":"HS256","x5c":"x"}',
      '{"alg":"HS256","x5c":[1]}',
      '{"alg":"HS256","b64":"false","crit":["b64"]}',
      '{"alg":"HS256","b64":0,"crit":["b64"]}',
      `{"alg":"HS256","kid":"${'k'.repeat(1025)}"}`,
    ]) {
      await rejectsEverywhere(forgeHS256Text(header, 'x', SECRET), SECRET, {}, 'ERR_HEADER_INVALID');
    }
  });
});

describe('key and alg mismatch', () => {
  test('ES256 token, P-384 key', async () => {
    const token = await signJWS('x', pair('P-256').privateJWK, { alg: 'ES256' });
    await rejectsEverywhere(token, pair('P-384').publicJWK, { algorithms: ['ES256'] }, 'ERR_KEY_TYPE_MISMATCH');
    await rejectsEverywhere(token, pair('P-384').publicJWK, {}, 'ERR_ALG_NOT_ALLOWED');
  });

  test('RS256 token, EC key', async () => {
    const token = await signJWS('x', pair('RSA').privateJWK, { alg: 'RS256' });
    await rejectsEverywhere(token, pair('P-256').publicJWK, { algorithms: ['RS256'] }, 'ERR_KEY_TYPE_MISMATCH');
    await rejectsEverywhere(token, pair('Ed25519').publicJWK, { algorithms: ['RS256'] }, 'ERR_KEY_TYPE_MISMATCH');
    await rejectsEverywhere(token, SECRET, { algorithms: ['RS256'] }, 'ERR_KEY_TYPE_MISMATCH');
  });

  test('alg Ed25519 with an Ed448 key, and Ed448 with an Ed25519 key', async () => {
    const sig448 = segments(await signJWS('x', pair('Ed448').privateJWK, { alg: 'EdDSA' }))[2];
    const token = `${b64u('{"alg":"Ed25519"}')}.${b64u('x')}.${sig448}`;
    await rejectsEverywhere(token, pair('Ed448').publicJWK, { algorithms: ['Ed25519'] }, 'ERR_KEY_TYPE_MISMATCH');
    await rejectsEverywhere(token, pair('Ed448').publicJWK, {}, 'ERR_ALG_NOT_ALLOWED');
    const sig25519 = segments(await signJWS('x', pair('Ed25519').privateJWK, { alg: 'EdDSA' }))[2];
    const token2 = `${b64u('{"alg":"Ed448"}')}.${b64u('x')}.${sig25519}`;
    await rejectsEverywhere(token2, pair('Ed25519').publicJWK, { algorithms: ['Ed448'] }, 'ERR_KEY_TYPE_MISMATCH');
  });

  test('ES256K token, P-256 key; ES256 token, secp256k1 key', async () => {
    const token = await signJWS('x', pair('P-256').privateJWK, { alg: 'ES256' });
    const [, p, s] = segments(token);
    const k1 = `${b64u('{"alg":"ES256K"}')}.${p}.${s}`;
    await rejectsEverywhere(k1, pair('P-256').publicJWK, { algorithms: ['ES256K'] }, 'ERR_KEY_TYPE_MISMATCH');
    if (!unsupportedHere('secp256k1')) {
      await rejectsEverywhere(token, pair('secp256k1').publicJWK, { algorithms: ['ES256'] }, 'ERR_KEY_TYPE_MISMATCH');
    }
  });

  test('signing with a key of the wrong family or a public key', async () => {
    await assert.rejects(signJWS('x', pair('P-256').privateJWK, { alg: 'RS256' }), { code: 'ERR_KEY_TYPE_MISMATCH' });
    await assert.rejects(signJWS('x', pair('P-256').privateJWK, { alg: 'ES384' }), { code: 'ERR_KEY_TYPE_MISMATCH' });
    await assert.rejects(signJWS('x', pair('RSA').privateJWK, { alg: 'HS256' }), { code: 'ERR_KEY_TYPE_MISMATCH' });
    await assert.rejects(signJWS('x', pair('Ed448').privateJWK, { alg: 'Ed25519' }), { code: 'ERR_KEY_TYPE_MISMATCH' });
    await assert.rejects(signJWS('x', SECRET, { alg: 'ES256' }), { code: 'ERR_KEY_TYPE_MISMATCH' });
    await assert.rejects(signJWS('x', pair('P-256').publicJWK, { alg: 'ES256' }), { code: 'ERR_KEY_PRIVATE_REQUIRED' });
    await assert.rejects(signJWS('x', pair('P-256').privateJWK), { code: 'ERR_ALG_REQUIRED' });
    await assert.rejects(signJWS('x', SECRET, { alg: 'HS256', protectedHeader: { alg: 'HS512' } }), { code: 'ERR_INVALID_ARGUMENT' });
  });
});

describe('ECDSA signature shape (THREATS.md §10, §11)', () => {
  const withR = (sig: Uint8Array, size: number, r: Uint8Array) => Uint8Array.from([...r, ...sig.subarray(size)]);
  const withS = (sig: Uint8Array, size: number, s: Uint8Array) => Uint8Array.from([...sig.subarray(0, size), ...s]);

  for (const { alg, kind, size, hash, order } of ECDSA) {
    test(alg, async () => {
      const { privateJWK, publicJWK, privateKeyObject } = pair(kind);
      if (unsupportedHere(kind)) {
        await assert.rejects(signJWS('x', privateJWK, { alg }), { code: 'ERR_PLATFORM_UNSUPPORTED' });
        return;
      }
      const token = await signJWS('{"sub":"ada"}', privateJWK, { alg });
      const [h, p, s64] = segments(token);
      const sig = Uint8Array.from(Buffer.from(s64, 'base64url'));
      assert.equal(sig.length, 2 * size);
      await verifyJWS(token, publicJWK, { algorithms: [alg] });

      const zero = new Uint8Array(size);
      const n = hexBytes(order);
      const ff = new Uint8Array(size).fill(0xff);
      // A real DER signature over the right signing input (re-made until its length differs from P1363).
      let der: Buffer;
      do der = nodeSign(hash, Buffer.from(`${h}.${p}`), { key: privateKeyObject, dsaEncoding: 'der' });
      while (der.length === 2 * size);
      const variants: Array<[string, Uint8Array]> = [
        ['r = 0', withR(sig, size, zero)],
        ['s = 0', withS(sig, size, zero)],
        ['r = s = 0', new Uint8Array(2 * size)],
        ['r = n', withR(sig, size, n)],
        ['s = n', withS(sig, size, n)],
        ['r = s = n', Uint8Array.from([...n, ...n])],
        ['r > n (all 0xff)', withR(sig, size, ff)],
        ['s > n (all 0xff)', withS(sig, size, ff)],
        ['one byte short', sig.subarray(0, sig.length - 1)],
        ['one byte long', Uint8Array.from([...sig, 0])],
        ['one byte long at the front', Uint8Array.from([0, ...sig])],
        ['empty', new Uint8Array(0)],
        ['DER', der],
      ];
      for (const [name, bad] of variants) {
        const forged = `${h}.${p}.${b64u(bad)}`;
        await rejectsEverywhere(forged, publicJWK, { algorithms: [alg] }, 'ERR_JWS_SIGNATURE_INVALID').catch((err: unknown) => {
          throw new Error(`${alg}: ${name}`, { cause: err });
        });
      }

      // The range check itself, below the platform (which may also refuse these).
      const descriptor = resolveJWSAlgorithm(alg);
      const key = await importJWK(publicJWK);
      assert.equal(descriptor.acceptsSignature(sig, key), true);
      const nMinus1 = Uint8Array.from(n);
      nMinus1[size - 1] = (nMinus1[size - 1] as number) - 1; // no order ends in 0x00
      assert.equal(descriptor.acceptsSignature(withR(sig, size, nMinus1), key), true, 'r = n - 1 is in range');
      assert.equal(descriptor.acceptsSignature(withS(sig, size, nMinus1), key), true, 's = n - 1 is in range');
      const one = new Uint8Array(size);
      one[size - 1] = 1;
      assert.equal(descriptor.acceptsSignature(withR(sig, size, one), key), true, 'r = 1 is in range');
      for (const [name, bad] of variants) {
        assert.equal(descriptor.acceptsSignature(bad, key), false, `${alg}: ${name} is refused before the platform`);
      }
    });
  }
});

describe('RSA signature length (THREATS.md §11)', () => {
  test('a signature whose leading zero byte is dropped (the same integer) is refused: ERR_JWS_SIGNATURE_INVALID', async () => {
    const { privateKeyObject, publicJWK } = pair('RSA');
    const h = b64u('{"alg":"PS256"}');
    const p = b64u('{"sub":"ada"}');
    // RSASSA-PSS is randomized: sign until a signature starts with 0x00 (1 in 256). OpenSSL's PSS
    // verification accepts the 255-byte spelling of that integer, so only tessera's length rule
    // stands between it and a second valid text for one signature.
    const pss = { key: privateKeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    let sig = Buffer.alloc(1, 1);
    while (sig[0] !== 0) sig = nodeSign('sha256', Buffer.from(`${h}.${p}`), pss);
    // RFC 8017 §8.1.2 step 1: the signature has the modulus' length.
    await rejectsEverywhere(`${h}.${p}.${b64u(sig.subarray(1))}`, publicJWK, { algorithms: ['PS256'] }, 'ERR_JWS_SIGNATURE_INVALID');
    const verifier = await createVerifier(publicJWK, { algorithms: ['PS256'] });
    await verifier.verify(`${h}.${p}.${b64u(sig)}`);
  });
});

describe('strict base64url in every segment (THREATS.md §11)', async () => {
  /** A header whose encoding has the given length mod 4, and contains '-' and '_' when asked. */
  function headerSegment(rem: number, needURLChars: boolean): string {
    for (let i = 0; ; i++) {
      const seg = b64u(JSON.stringify({ alg: 'HS256', kid: `k${'~'.repeat(i % 7)}${'?>'.repeat(i)}` }));
      if (seg.length % 4 === rem && (!needURLChars || (seg.includes('-') && seg.includes('_')))) return seg;
    }
  }
  function payloadSegment(rem: number): string {
    for (let i = 1; ; i++) {
      const seg = b64u(Uint8Array.from({ length: i }, (_, k) => [0xfb, 0xff, 0x3e, 0x41][k % 4] as number));
      if (seg.length % 4 === rem && seg.includes('-') && seg.includes('_')) return seg;
    }
  }

  /** Ways to spell the same bytes, or no bytes, in non-canonical base64url. */
  function variants(seg: string): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    const std = Buffer.from(seg, 'base64url').toString('base64');
    if (std.endsWith('=')) out.push(['padding', std.replace(/\+/g, '-').replace(/\//g, '_')]);
    out.push(['a single "="', `${seg}=`]);
    if (seg.includes('-')) out.push(['"+"', seg.replace(/-/g, '+')]);
    if (seg.includes('_')) out.push(['"/"', seg.replace(/_/g, '/')]);
    out.push(['standard base64', std]);
    const mid = seg.length >> 1;
    out.push(['a space', `${seg.slice(0, mid)} ${seg.slice(mid)}`]);
    out.push(['a newline', `${seg.slice(0, mid)}\n${seg.slice(mid)}`]);
    out.push(['a CRLF at the end', `${seg}\r\n`]);
    out.push(['a tab', `\t${seg}`]);
    out.push(['a non-ASCII letter', `${seg.slice(0, mid)}é${seg.slice(mid)}`]);
    out.push(['a NUL', `${seg}\u0000`]);
    // Node's native decoder reads a character above U+00FF by its low byte ('\u0141' as 'A').
    out.push(['a character above U+00FF whose low byte is in the alphabet', `${seg.slice(0, mid)}${String.fromCharCode(0x100 + seg.charCodeAt(mid))}${seg.slice(mid + 1)}`]);
    let extra = seg;
    while (extra.length % 4 !== 1) extra += 'A';
    out.push(['an impossible length', extra]);
    const rem = seg.length % 4;
    if (rem === 2 || rem === 3) {
      const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const v = ALPHABET.indexOf(seg.slice(-1));
      out.push(['a non-canonical last character', seg.slice(0, -1) + ALPHABET[v | 1]]);
    }
    return out.filter(([, s]) => s !== seg);
  }

  /** The valid payload segment `p` verifies; each non-canonical spelling of it fails everywhere. */
  async function payloadVariantsRefused(p: string): Promise<void> {
    const h = b64u('{"alg":"HS256"}');
    await verifyJWS(forgeHS256(h, p, SECRET), SECRET);
    for (const [name, bad] of variants(p)) {
      if (bad.includes('.')) continue;
      await rejectsEverywhere(forgeHS256(h, bad, SECRET), SECRET, {}, 'ERR_BASE64URL_INVALID').catch((err: unknown) => {
        throw new Error(`payload with ${name}`, { cause: err });
      });
    }
  }

  test('fixtures cover every kind', () => {
    const kinds = new Set(variants(headerSegment(2, true)).map(([k]) => k));
    for (const k of ['padding', '"+"', '"/"', 'a non-canonical last character', 'an impossible length']) assert.ok(kinds.has(k), k);
  });

  for (const rem of [0, 2, 3]) {
    test(`header segment (length ≡ ${rem} mod 4)`, async () => {
      const h = headerSegment(rem, true);
      const p = b64u('x');
      for (const [name, bad] of variants(h)) {
        const token = forgeHS256(bad, p, SECRET);
        await rejectsEverywhere(token, SECRET, {}, 'ERR_BASE64URL_INVALID').catch((err: unknown) => {
          throw new Error(`header with ${name}`, { cause: err });
        });
      }
    });

    test(`payload segment (length ≡ ${rem} mod 4)`, () => payloadVariantsRefused(payloadSegment(rem)));
  }

  test('payload segment past 4096 characters (decoded by Node, not in JavaScript)', async () => {
    const p = b64u(Uint8Array.from({ length: 4000 }, (_, k) => [0xfb, 0xff, 0x3e, 0x41][k % 4] as number));
    assert.ok(p.length > 4096);
    await payloadVariantsRefused(p);
  });

  test('signature segment (HS256: 43 characters)', async () => {
    // Find a token whose signature has both '-' and '_', so every variant applies.
    let token = '';
    for (let i = 0; ; i++) {
      token = forgeHS256Text('{"alg":"HS256"}', `p${i}`, SECRET);
      const s = segments(token)[2];
      if (s.includes('-') && s.includes('_')) break;
    }
    const [h, p, s] = segments(token);
    for (const [name, bad] of variants(s)) {
      await rejectsEverywhere(`${h}.${p}.${bad}`, SECRET, {}, 'ERR_BASE64URL_INVALID').catch((err: unknown) => {
        throw new Error(`signature with ${name}`, { cause: err });
      });
    }
  });

  test('signature segment (ES256: 86 characters) and a base64url-looking but undecodable one', async () => {
    const token = await signJWS('x', pair('P-256').privateJWK, { alg: 'ES256' });
    const [h, p, s] = segments(token);
    for (const [name, bad] of variants(s)) {
      await rejectsEverywhere(`${h}.${p}.${bad}`, pair('P-256').publicJWK, {}, 'ERR_BASE64URL_INVALID').catch((err: unknown) => {
        throw new Error(`signature with ${name}`, { cause: err });
      });
    }
  });
});

describe('header JSON (THREATS.md §17)', () => {
  for (const [name, header] of [
    ['a duplicate alg', '{"alg":"HS256","alg":"HS256"}'],
    ['"alg" vs "\\u0061lg" (first-wins parsers see none)', '{"alg":"none","\\u0061lg":"HS256"}'],
    ['"\\u0061lg" vs "alg"', '{"\\u0061lg":"HS256","alg":"HS256"}'],
    ['a duplicate kid', '{"alg":"HS256","kid":"a","kid":"b"}'],
    ['a duplicate inside a nested object', '{"alg":"HS256","ext":{"a":1,"a":2}}'],
    ['a duplicate inside an embedded jwk', '{"alg":"HS256","jwk":{"kty":"oct","kty":"RSA"}}'],
    ['a duplicate crit', '{"alg":"HS256","crit":["x"],"x":1,"crit":["x"]}'],
  ] as const) {
    test(name, async () => {
      await rejectsEverywhere(forgeHS256Text(header, 'x', SECRET), SECRET, { crit: ['x'] }, 'ERR_JSON_DUPLICATE_MEMBER');
    });
  }

  for (const [name, header] of [
    ['an array', '["alg","HS256"]'],
    ['an array of a header', '[{"alg":"HS256"}]'],
    ['a string', '"HS256"'],
    ['a number', '256'],
    ['null', 'null'],
    ['empty', ''],
    ['not JSON', '{alg:HS256}'],
    ['trailing garbage', '{"alg":"HS256"}x'],
    ['a lone surrogate escape', '{"alg":"HS256","kid":"\\ud800"}'],
    ['a lone low surrogate escape', '{"alg":"HS256","kid":"\\udfff"}'],
    ['a leading BOM', '\ufeff{"alg":"HS256"}'],
  ] as const) {
    test(`header that is ${name}`, async () => {
      await rejectsEverywhere(forgeHS256Text(header, 'x', SECRET), SECRET, {}, 'ERR_JSON_INVALID');
    });
  }

  test('invalid UTF-8 in the header', async () => {
    const prefix = Buffer.from('{"alg":"HS256","kid":"');
    for (const bad of [[0xff], [0xc0, 0xa2], [0xed, 0xa0, 0x80], [0xe2, 0x82]]) {
      const header = Buffer.concat([prefix, Buffer.from(bad), Buffer.from('"}')]);
      await rejectsEverywhere(forgeHS256Text(header, 'x', SECRET), SECRET, {}, 'ERR_JSON_INVALID');
    }
  });

  test('an over-deep header', async () => {
    const header = `{"alg":"HS256","x":${'['.repeat(100)}${']'.repeat(100)}}`;
    await rejectsEverywhere(forgeHS256Text(header, 'x', SECRET), SECRET, {}, 'ERR_JSON_INVALID');
  });
});

describe('crit (THREATS.md §16)', () => {
  test('an unknown name', async () => {
    const token = await validHS256Crit('{"alg":"HS256","crit":["exp"],"exp":1}', ['exp']);
    await rejectsEverywhere(token, SECRET, {}, 'ERR_CRIT_UNSUPPORTED');
    await rejectsEverywhere(token, SECRET, { crit: ['other', 'EXP'] }, 'ERR_CRIT_UNSUPPORTED');
    await rejectsEverywhere(token, SECRET, { crit: [] }, 'ERR_CRIT_UNSUPPORTED');
    const two = await validHS256Crit('{"alg":"HS256","crit":["a","b"],"a":1,"b":2}', ['a', 'b']);
    await rejectsEverywhere(two, SECRET, { crit: ['a'] }, 'ERR_CRIT_UNSUPPORTED');
  });

  for (const [name, header] of [
    ['an empty array', '{"alg":"HS256","crit":[]}'],
    ['a string', '{"alg":"HS256","crit":"x","x":1}'],
    ['an object', '{"alg":"HS256","crit":{"x":1},"x":1}'],
    ['null', '{"alg":"HS256","crit":null}'],
    ['a non-string entry', '{"alg":"HS256","crit":[1],"1":1}'],
    ['an empty-string entry', '{"alg":"HS256","crit":[""],"":1}'],
    ['duplicates', '{"alg":"HS256","crit":["x","x"],"x":1}'],
    ['a registered name (alg)', '{"alg":"HS256","crit":["alg"]}'],
    ['a registered name (kid)', '{"alg":"HS256","crit":["kid"],"kid":"k"}'],
    ['a registered name (crit)', '{"alg":"HS256","crit":["crit"]}'],
    ['a listed name absent', '{"alg":"HS256","crit":["x"]}'],
    ['a listed name absent, another present', '{"alg":"HS256","crit":["x","y"],"x":1}'],
    ['b64 without crit', '{"alg":"HS256","b64":false}'],
    ['b64:true without crit', '{"alg":"HS256","b64":true}'],
    ['b64 with crit not listing it', '{"alg":"HS256","b64":false,"crit":["x"],"x":1}'],
  ] as const) {
    test(`crit: ${name}`, async () => {
      // The caller understands every name used, so only the shape rule can refuse the token.
      const token = forgeHS256Text(header, 'x', SECRET);
      await rejectsEverywhere(token, SECRET, { crit: ['x', 'y', '1', '', 'alg', 'kid', 'crit', 'b64'] }, 'ERR_CRIT_INVALID');
      await rejectsEverywhere(token, SECRET, {}, 'ERR_CRIT_INVALID');
    });
  }

  test('signing refuses a bad crit too', async () => {
    for (const protectedHeader of [{ crit: [] }, { crit: ['x'] }, { crit: ['alg'] }, { crit: ['x', 'x'], x: 1 }, { b64: false }]) {
      await assert.rejects(signJWS('x', SECRET, { alg: 'HS256', protectedHeader }), { code: 'ERR_CRIT_INVALID' });
    }
  });

  /** A token with an understood crit that verifies, so the refusals above are about crit alone. */
  async function validHS256Crit(header: string, understood: string[]): Promise<string> {
    const token = forgeHS256Text(header, 'x', SECRET);
    await verifyJWS(token, SECRET, { crit: understood });
    return token;
  }
});

describe('b64:false compact (RFC 7797 §5.2)', () => {
  test("a '.' in the payload makes four parts", async () => {
    const h = b64u('{"alg":"HS256","b64":false,"crit":["b64"]}');
    const raw = 'a.b';
    const token = `${h}.${raw}.${hmacB64('sha256', SECRET, `${h}.${raw}`)}`;
    await rejectsEverywhere(token, SECRET, {}, 'ERR_JWS_INVALID');
  });

  test("signing a payload with '.' compact is refused", async () => {
    await assert.rejects(signJWS('a.b', SECRET, { alg: 'HS256', b64: false }), { code: 'ERR_JWS_INVALID' });
    await assert.rejects(signJWS(new TextEncoder().encode('.'), SECRET, { alg: 'HS256', b64: false }), { code: 'ERR_JWS_INVALID' });
    const signer = await createSigner(SECRET, { alg: 'HS256', b64: false });
    await assert.rejects(signer.sign('1.2'), { code: 'ERR_JWS_INVALID' });
    if (platform.syncSupported) assert.throws(() => signer.signSync('1.2'), { code: 'ERR_JWS_INVALID' });
  });

  test('an unencoded payload that is not UTF-8 cannot be compact', async () => {
    await assert.rejects(signJWS(Uint8Array.of(0xff, 0xfe), SECRET, { alg: 'HS256', b64: false }), { code: 'ERR_JWS_INVALID' });
  });

  test('a b64:false token with its payload base64url-encoded does not verify', async () => {
    const h = b64u('{"alg":"HS256","b64":false,"crit":["b64"]}');
    // Signed over the raw payload, carrying its base64url: a confusion between the two forms.
    const token = `${h}.${b64u('hello')}.${hmacB64('sha256', SECRET, `${h}.hello`)}`;
    await rejectsEverywhere(token, SECRET, {}, 'ERR_JWS_SIGNATURE_INVALID');
  });
});

describe('size and structure limits (THREATS.md §26)', () => {
  test('a token over the default maximum (256 KiB)', async () => {
    const token = forgeHS256(b64u('{"alg":"HS256"}'), 'A'.repeat(256 * 1024), SECRET);
    await rejectsEverywhere(token, SECRET, {}, 'ERR_TOKEN_TOO_LARGE');
    // Junk that is not even a token is measured first too.
    await rejectsEverywhere('.'.repeat(256 * 1024 + 1), SECRET, {}, 'ERR_TOKEN_TOO_LARGE');
  });

  test('a custom maximum, with its boundary', async () => {
    const token = await validHS256();
    await rejectsEverywhere(token, SECRET, { maxTokenLength: token.length - 1 }, 'ERR_TOKEN_TOO_LARGE');
    await verifyJWS(token, SECRET, { maxTokenLength: token.length });
  });

  test('a header over the default maximum (8 KiB), and a custom one', async () => {
    const big = await validHS256(JSON.stringify({ alg: 'HS256', pad: 'x'.repeat(5000) }));
    const huge = forgeHS256Text(JSON.stringify({ alg: 'HS256', pad: 'x'.repeat(7000) }).replace('xx', 'x'.repeat(200)), 'x', SECRET);
    assert.ok(segments(huge)[0].length > 8192);
    await rejectsEverywhere(huge, SECRET, {}, 'ERR_HEADER_TOO_LARGE');
    // Parsed once (and cached) under the default limit, the header is still refused under a smaller one.
    const hLen = segments(big)[0].length;
    await rejectsEverywhere(big, SECRET, { maxHeaderLength: hLen - 1 }, 'ERR_HEADER_TOO_LARGE');
    await verifyJWS(big, SECRET, { maxHeaderLength: hLen });
  });

  for (const [name, token] of [
    ['empty', ''],
    ['one part', 'abc'],
    ['two parts', 'eyJhbGciOiJIUzI1NiJ9.eA'],
    ['four parts', 'eyJhbGciOiJIUzI1NiJ9.eA.eA.eA'],
    ['five parts (a JWE)', 'eyJhbGciOiJkaXIifQ..AAAA.AAAA.AAAA'],
  ] as const) {
    test(`a token that is ${name}`, async () => {
      await rejectsEverywhere(token, SECRET, {}, 'ERR_JWS_INVALID');
    });
  }

  test('only dots: an empty header segment is no header', async () => {
    await rejectsEverywhere('..', SECRET, {}, 'ERR_JSON_INVALID');
  });

  test('a token that is not a string', async () => {
    for (const token of [undefined, null, 123, {}, ['a', 'b', 'c'], new TextEncoder().encode('a.b.c')]) {
      await rejectsEverywhere(token as unknown as string, SECRET, {}, 'ERR_JWS_INVALID');
    }
  });
});

describe('empty and short HMAC keys (THREATS.md §3)', () => {
  for (const [alg, short] of [['HS256', 31], ['HS384', 47], ['HS512', 63]] as const) {
    test(`${alg}: ${short}-byte keys`, async () => {
      const key = secretBytes(short);
      const header = b64u(JSON.stringify({ alg }));
      const input = `${header}.${b64u('x')}`;
      const token = `${input}.${hmacB64(`sha${alg.slice(2)}` as 'sha256', key, input)}`;
      for (const k of [key, { kty: 'oct', k: b64u(key) }, await importSecret(key, { alg })] as VerifyKey[]) {
        await assert.rejects(signJWS('x', k as never, { alg }), { code: 'ERR_KEY_TOO_SHORT' });
        await rejectsEverywhere(token, k, { algorithms: [alg] }, 'ERR_KEY_TOO_SHORT');
      }
      await assert.rejects(createSigner(key, { alg }), { code: 'ERR_KEY_TOO_SHORT' });
      // Without an allow-list, the one derived from a short key does not include the algorithm.
      await rejectsEverywhere(token, key, {}, 'ERR_ALG_NOT_ALLOWED');
      // A resolver returning a short key (fast-jwt CVE-2026-44351 class).
      await rejectsEverywhere(token, () => key, { algorithms: [alg] }, 'ERR_KEY_TOO_SHORT');
      await rejectsAsync(token, async () => key, { algorithms: [alg] }, 'ERR_KEY_TOO_SHORT');
      // A key set holding only a short key has no key for the token.
      const set = createLocalJWKSet({ keys: [{ kty: 'oct', k: b64u(key) }] }, { allowPrivate: true });
      await rejectsEverywhere(token, set, { algorithms: [alg] }, 'ERR_JWKS_NO_MATCHING_KEY');
    });
  }

  test('empty keys on sign and verify', async () => {
    const token = await validHS256();
    for (const empty of [new Uint8Array(0), Buffer.alloc(0), { kty: 'oct', k: '' }]) {
      await assert.rejects(signJWS('x', empty as never, { alg: 'HS256' }), { code: 'ERR_KEY_EMPTY' });
      await rejectsEverywhere(token, empty as VerifyKey, { algorithms: ['HS256'] }, 'ERR_KEY_EMPTY');
      await rejectsEverywhere(token, () => empty as never, { algorithms: ['HS256'] }, 'ERR_KEY_EMPTY');
      await rejectsAsync(token, async () => empty as never, { algorithms: ['HS256'] }, 'ERR_KEY_EMPTY');
    }
    await rejectsAsync(token, async () => '' as never, { algorithms: ['HS256'] }, 'ERR_KEY_EMPTY');
  });

  test('an exactly-long-enough key works (the boundary is right)', async () => {
    for (const [alg, len] of [['HS256', 32], ['HS384', 48], ['HS512', 64]] as const) {
      const key = secretBytes(len);
      await verifyJWS(await signJWS('x', key, { alg }), key, { algorithms: [alg] });
    }
  });
});

describe('mutated tokens (THREATS.md §11, §27)', () => {
  for (const [alg, kind] of [['HS256', undefined], ['ES256', 'P-256'], ['EdDSA', 'Ed25519'], ['RS256', 'RSA']] as const) {
    test(`${alg}: every signature byte flipped, truncated, extended`, async () => {
      const signKey = kind === undefined ? SECRET : pair(kind).privateJWK;
      const verifyKey = kind === undefined ? SECRET : pair(kind).publicJWK;
      const token = await signJWS('{"sub":"ada","admin":false}', signKey, { alg });
      const [h, p, s] = segments(token);
      const sig = Buffer.from(s, 'base64url');
      const check = async (bad: Uint8Array, what: string) => {
        await rejectsEverywhere(`${h}.${p}.${b64u(bad)}`, verifyKey, { algorithms: [alg] }, 'ERR_JWS_SIGNATURE_INVALID').catch((err: unknown) => {
          throw new Error(`${alg}: ${what}`, { cause: err });
        });
      };
      const positions = alg === 'RS256' ? [0, 1, 127, 128, 254, 255] : [...sig.keys()];
      for (const i of positions) {
        for (const mask of [0x01, 0x80]) {
          const bad = Buffer.from(sig);
          bad[i] = (bad[i] as number) ^ mask;
          await check(bad, `byte ${i} ^ ${mask}`);
        }
      }
      await check(sig.subarray(0, sig.length - 1), 'truncated by one');
      await check(sig.subarray(0, sig.length >> 1), 'truncated by half');
      await check(Buffer.concat([sig, Buffer.of(0)]), 'extended by one');
      await check(Buffer.concat([sig, sig]), 'doubled');
      await check(new Uint8Array(0), 'empty');
      // Mutated payload, signature kept.
      for (const payload of ['{"sub":"ada","admin":true}', '{"sub":"ada","admin":false} ', '']) {
        await rejectsEverywhere(`${h}.${b64u(payload)}.${s}`, verifyKey, { algorithms: [alg] }, 'ERR_JWS_SIGNATURE_INVALID');
      }
      // Mutated header (an extra member), signature kept.
      await rejectsEverywhere(`${b64u(JSON.stringify({ alg, kid: 'x' }))}.${p}.${s}`, verifyKey, { algorithms: [alg] }, 'ERR_JWS_SIGNATURE_INVALID');
    });
  }

  test('header swapped to another algorithm of the same key', async () => {
    const big = secretBytes(64);
    const hs = await signJWS('x', big, { alg: 'HS256' });
    const [, p, s] = segments(hs);
    for (const alg of ['HS384', 'HS512']) {
      await rejectsEverywhere(`${b64u(JSON.stringify({ alg }))}.${p}.${s}`, big, {}, 'ERR_JWS_SIGNATURE_INVALID');
    }
    const rs = await signJWS('x', pair('RSA').privateJWK, { alg: 'RS256' });
    const [, rp, rsig] = segments(rs);
    for (const alg of ['RS384', 'PS256', 'PS512']) {
      await rejectsEverywhere(`${b64u(JSON.stringify({ alg }))}.${rp}.${rsig}`, pair('RSA').publicJWK, {}, 'ERR_JWS_SIGNATURE_INVALID');
    }
    const ed = await signJWS('x', pair('Ed25519').privateJWK, { alg: 'EdDSA' });
    const [, ep, esig] = segments(ed);
    // EdDSA and Ed25519 name the same primitive, but the header is signed: the swap breaks it.
    await rejectsEverywhere(`${b64u('{"alg":"Ed25519"}')}.${ep}.${esig}`, pair('Ed25519').publicJWK, {}, 'ERR_JWS_SIGNATURE_INVALID');
  });

  test('a valid signature from another key', async () => {
    const other = secretBytes(32, 5);
    await rejectsEverywhere(await signJWS('x', other, { alg: 'HS256' }), SECRET, {}, 'ERR_JWS_SIGNATURE_INVALID');
    const es = await signJWS('x', pair('P-256').privateJWK, { alg: 'ES256' });
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    await rejectsEverywhere(es, publicKey.export({ format: 'jwk' }) as VerifyKey, {}, 'ERR_JWS_SIGNATURE_INVALID');
  });
});

describe('keys named by the token are never trusted or fetched (THREATS.md §4, §5)', () => {
  test('a self-signed token carrying its own jwk is rejected', async () => {
    const attacker = pair('P-384'); // not the victim's key
    const victim = pair('P-256');
    const evil = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const evilPublic = evil.publicKey.export({ format: 'jwk' });
    const token = await signJWS('{"sub":"admin"}', evil.privateKey.export({ format: 'jwk' }) as never, {
      alg: 'ES256',
      protectedHeader: { jwk: evilPublic as never, kid: 'victim' },
    });
    // The token is a perfectly good signature under the embedded key…
    await verifyJWS(token, evilPublic as never);
    // …but nothing but the caller's key is ever used.
    await rejectsEverywhere(token, victim.publicJWK, {}, 'ERR_JWS_SIGNATURE_INVALID');
    await rejectsEverywhere(token, createLocalJWKSet({ keys: [{ ...victim.publicJWK, kid: 'victim' }] }), {}, 'ERR_JWS_SIGNATURE_INVALID');
    await rejectsEverywhere(token, () => victim.publicJWK, { algorithms: ['ES256'] }, 'ERR_JWS_SIGNATURE_INVALID');
    await rejectsEverywhere(token, attacker.publicJWK, { algorithms: ['ES256'] }, 'ERR_KEY_TYPE_MISMATCH');
    // A key set that does not name the kid has no key, rather than falling back to the header's.
    await rejectsEverywhere(token, createLocalJWKSet({ keys: [{ ...victim.publicJWK, kid: 'other' }] }), {}, 'ERR_JWKS_NO_MATCHING_KEY');
  });

  test('an embedded symmetric jwk is not used as the HMAC key', async () => {
    const evil = secretBytes(32, 77);
    const h = b64u(JSON.stringify({ alg: 'HS256', jwk: { kty: 'oct', k: b64u(evil) } }));
    const token = forgeHS256(h, b64u('x'), evil);
    await rejectsEverywhere(token, SECRET, {}, 'ERR_JWS_SIGNATURE_INVALID');
  });

  test('jku, x5u and x5c are never dereferenced', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [pair('P-256').publicJWK] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const realFetch = globalThis.fetch;
    let fetches = 0;
    globalThis.fetch = ((...args: Parameters<typeof fetch>) => {
      fetches++;
      return realFetch(...args);
    }) as typeof fetch;
    try {
      const url = `http://127.0.0.1:${port}/jwks.json`;
        const evil = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const forged = await signJWS('{"sub":"admin"}', evil.privateKey.export({ format: 'jwk' }) as never, {
        alg: 'ES256',
        protectedHeader: { jku: url, x5u: url },
      });
      await rejectsEverywhere(forged, pair('P-256').publicJWK, {}, 'ERR_JWS_SIGNATURE_INVALID');
      // A good token naming a jku still verifies with the configured key alone.
      const good = await signJWS('ok', pair('P-256').privateJWK, { alg: 'ES256', protectedHeader: { jku: url, x5u: url, x5c: ['AAAA'] } });
      await verifyJWS(good, pair('P-256').publicJWK);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(fetches, 0, 'fetch was never called');
      assert.equal(requests, 0, 'the URL in the token was never requested');
    } finally {
      globalThis.fetch = realFetch;
      await new Promise((r) => server.close(r));
    }
  });
});

test('every failure above is a TesseraError (sanity check of the helper)', async () => {
  const err = await verifyJWS('a.b', SECRET).catch((e: unknown) => e);
  assert.ok(isTesseraError(err, 'ERR_JWS_INVALID'));
});
