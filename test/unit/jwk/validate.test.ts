/** Malformed JWKs (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2): each rejected with its code before the platform sees it. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JWK } from '../../../src/jwa/types.ts';
import { importJWK } from '../../../src/jwk/import.ts';
import { createLocalJWKSet } from '../../../src/jwk/jwks.ts';
import { checkJWK } from '../../../src/jwk/validate.ts';
import { testKeyPair } from '../../helpers/keys.ts';

const ec = () => testKeyPair('P-256').privateJWK;
const ecPub = () => testKeyPair('P-256').publicJWK;
const okp = () => testKeyPair('Ed25519').privateJWK;
const rsa = () => testKeyPair('RSA-2048').privateJWK;
const rsaPub = () => testKeyPair('RSA-2048').publicJWK;
const b64 = (n: number, fill = 1) => Buffer.alloc(n, fill).toString('base64url');

function without(jwk: JWK, member: string): JWK {
  const out = { ...jwk };
  delete out[member];
  return out;
}

const INVALID: ReadonlyArray<readonly [string, () => unknown]> = [
  ['missing kty', () => without(ecPub(), 'kty')],
  ['unknown kty', () => ({ ...ecPub(), kty: 'XYZ' })],
  ['non-string kty', () => ({ ...ecPub(), kty: 1 })],
  ['lower-case kty "ec"', () => ({ ...ecPub(), kty: 'ec' })],
  ['EC without crv', () => without(ecPub(), 'crv')],
  ['EC with an unknown crv', () => ({ ...ecPub(), crv: 'P-192' })],
  ['EC with an OKP curve', () => ({ ...ecPub(), crv: 'Ed25519' })],
  ['OKP with an EC curve', () => ({ ...okp(), crv: 'P-256' })],
  ['EC x one byte short', () => ({ ...ecPub(), x: b64(31) })],
  ['EC x one byte long', () => ({ ...ecPub(), x: b64(33) })],
  ['EC without y', () => without(ecPub(), 'y')],
  ['EC without x', () => without(ecPub(), 'x')],
  ['EC d of the wrong length', () => ({ ...ec(), d: b64(31) })],
  ['P-521 x of P-256 length', () => ({ ...testKeyPair('P-521').publicJWK, x: b64(32) })],
  ['OKP with y', () => ({ ...okp(), y: b64(32) })],
  ['OKP x of the wrong length', () => ({ ...okp(), x: b64(31) })],
  ['a member with base64 "+"', () => ({ ...ecPub(), x: `${(ecPub().x as string).slice(0, -2)}+A` })],
  ['a member with padding', () => ({ ...rsaPub(), e: 'AQAB=' })],
  ['a member with whitespace', () => ({ ...rsaPub(), e: 'AQ AB' })],
  ['a member that is not a string', () => ({ ...ecPub(), x: 12345 })],
  ['a member longer than the cap', () => ({ ...rsaPub(), n: 'A'.repeat(20_000) })],
  ['RSA without n', () => without(rsaPub(), 'n')],
  ['RSA without e', () => without(rsaPub(), 'e')],
  ['RSA private without p', () => without(rsa(), 'p')],
  ['RSA private without qi', () => without(rsa(), 'qi')],
  ['RSA p without d', () => without(rsa(), 'd')],
  ['RSA multi-prime (oth)', () => ({ ...rsa(), oth: [] })],
  ['oct without k', () => ({ kty: 'oct' })],
  ['oct k not a string', () => ({ kty: 'oct', k: 42 })],
  ['key_ops with duplicates', () => ({ ...ecPub(), key_ops: ['verify', 'verify'] })],
  ['key_ops with an unknown operation', () => ({ ...ecPub(), key_ops: ['verify', 'frobnicate'] })],
  ['key_ops not an array', () => ({ ...ecPub(), key_ops: 'verify' })],
  ['use not a string', () => ({ ...ecPub(), use: 1 })],
  ['alg not a string', () => ({ ...ecPub(), alg: ['ES256'] })],
  ['kid not a string', () => ({ ...ecPub(), kid: 7 })],
  ['kid longer than 1024', () => ({ ...ecPub(), kid: 'k'.repeat(1025) })],
  ['x5c not an array', () => ({ ...rsaPub(), x5c: 'MII' })],
  ['x5c with a non-string', () => ({ ...rsaPub(), x5c: [1] })],
  ['ext not a boolean', () => ({ ...ecPub(), ext: 'true' })],
];

describe('malformed JWKs: ERR_JWK_INVALID', () => {
  for (const [name, make] of INVALID) {
    test(name, async () => {
      assert.throws(() => checkJWK(make()), { code: 'ERR_JWK_INVALID' });
      await assert.rejects(importJWK(make() as JWK), { code: 'ERR_JWK_INVALID' });
    });
  }

  test('a key set ignores each of them (RFC 7517 §5) and keeps the good member', () => {
    const keys = [ecPub(), ...INVALID.map(([, make]) => make())];
    const set = createLocalJWKSet({ keys }, { allowPrivate: true });
    assert.equal(set.entries.length, 1);
    assert.equal(set.ignored, INVALID.length);
  });
});

describe('well-formed JWKs pass', () => {
  for (const [name, jwk] of [
    ['EC public', ecPub],
    ['EC private', ec],
    ['OKP private', okp],
    ['RSA public', rsaPub],
    ['RSA private', rsa],
    ['with every metadata member', () => ({ ...ecPub(), kid: 'k', use: 'sig', alg: 'ES256', key_ops: ['verify'], ext: true })],
  ] as const) {
    test(name, () => {
      const c = checkJWK(jwk());
      assert.equal(c.family, jwk().kty);
    });
  }
});

describe('other JWK input errors', () => {
  test('an empty "k": ERR_KEY_EMPTY', async () => {
    assert.throws(() => checkJWK({ kty: 'oct', k: '' }), { code: 'ERR_KEY_EMPTY' });
    await assert.rejects(importJWK({ kty: 'oct', k: '' }), { code: 'ERR_KEY_EMPTY' });
  });

  for (const value of [undefined, null, '']) {
    test(`importJWK(${JSON.stringify(value)}): ERR_KEY_EMPTY`, async () => {
      await assert.rejects(importJWK(value as unknown as JWK), { code: 'ERR_KEY_EMPTY' });
    });
  }

  for (const [name, value] of [
    ['an array', []],
    ['a number', 1],
    ['a JSON string', '{"kty":"oct","k":"AAAA"}'],
  ] as const) {
    test(`importJWK of ${name}: ERR_INVALID_ARGUMENT`, async () => {
      await assert.rejects(importJWK(value as unknown as JWK), { code: 'ERR_INVALID_ARGUMENT' });
    });
  }

  test('an EC point that is not on the curve: ERR_KEY_INVALID', async () => {
    await assert.rejects(importJWK({ kty: 'EC', crv: 'P-256', x: b64(32, 1), y: b64(32, 2) }), { code: 'ERR_KEY_INVALID' });
  });
});
