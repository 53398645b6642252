/** JWK Sets (RFC 7517 §5): construction, selection, and key resolution for verifyJWS. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import type { JWK } from '../../../src/jwa/types.ts';
import { exportJWK } from '../../../src/jwk/export.ts';
import { generateKey } from '../../../src/jwk/generate.ts';
import { createLocalJWKSet, isKeySet, type KeySelector } from '../../../src/jwk/jwks.ts';
import { signJWS, verifyJWS, verifyJWSSync } from '../../../src/jws/compact.ts';
import { testKeyPair } from '../../helpers/keys.ts';

const p256 = testKeyPair('P-256');
const p384 = testKeyPair('P-384');
const rsa = testKeyPair('RSA-2048');
const ed = testKeyPair('Ed25519');

const MEMBERS: JWK[] = [
  { ...p256.publicJWK, kid: 'ec1', alg: 'ES256', use: 'sig' },
  { ...p384.publicJWK, kid: 'ec2' },
  { ...rsa.publicJWK, kid: 'rsa', alg: 'RS256', key_ops: ['verify'] },
  { ...ed.publicJWK, kid: 'ed', use: 'enc' },
  { ...rsa.publicJWK, kid: 'rsa-sign-only', key_ops: ['sign'] },
];
const set = createLocalJWKSet({ keys: MEMBERS });

function kids(selector: KeySelector): string[] {
  return set.select(selector).map((e) => e.jwk.kid as string);
}

describe('createLocalJWKSet', () => {
  test('validates every member and keeps them in order', () => {
    assert.ok(isKeySet(set));
    assert.equal(set.entries.length, MEMBERS.length);
    assert.equal(set.ignored, 0);
    assert.deepEqual(
      set.entries.map((e) => [e.family, e.crv, e.bits]),
      [['EC', 'P-256', 256], ['EC', 'P-384', 384], ['RSA', undefined, 2048], ['OKP', 'Ed25519', 256], ['RSA', undefined, 2048]],
    );
  });

  test('accepts the JWKS as JSON text', () => {
    assert.equal(createLocalJWKSet(JSON.stringify({ keys: MEMBERS })).entries.length, MEMBERS.length);
  });

  test('the set is frozen and holds copies: changing the input later changes nothing', () => {
    const input = { keys: [{ ...p256.publicJWK, kid: 'before' }] };
    const s = createLocalJWKSet(input);
    (input.keys[0] as JWK).kid = 'after';
    assert.equal(s.entries[0]?.jwk.kid, 'before');
    assert.ok(Object.isFrozen(s.entries));
    assert.ok(Object.isFrozen(s.entries[0]?.jwk));
  });

  test('members with an unknown kty (or otherwise unusable) are ignored and counted', () => {
    const s = createLocalJWKSet({ keys: [{ kty: 'XYZ', kid: 'future' }, MEMBERS[0], { kty: 'EC', crv: 'P-256' }] });
    assert.equal(s.entries.length, 1);
    assert.equal(s.ignored, 2);
    assert.equal(s.entries[0]?.jwk.kid, 'ec1');
  });

  test('an empty set is valid', () => {
    assert.equal(createLocalJWKSet({ keys: [] }).entries.length, 0);
  });

  for (const [name, value] of [
    ['null', null],
    ['undefined', undefined],
    ['a number', 5],
    ['an array', [MEMBERS[0]]],
    ['an object without keys', {}],
    ['keys not an array', { keys: MEMBERS[0] }],
    ['a member that is a number', { keys: [1] }],
    ['a member that is null', { keys: [null] }],
    ['a member that is an array', { keys: [[]] }],
    ['a member that is a string', { keys: ['{"kty":"oct"}'] }],
    ['text that is not JSON', '{"keys": ['],
    ['JSON text of an array', '[]'],
  ] as const) {
    test(`malformed JWKS (${name}): ERR_JWKS_INVALID`, () => {
      assert.throws(() => createLocalJWKSet(value), { code: 'ERR_JWKS_INVALID' });
    });
  }

  for (const [name, member] of [
    ['EC d', p256.privateJWK],
    ['RSA d, p, q…', rsa.privateJWK],
    ['oct k', { kty: 'oct', k: Buffer.alloc(32, 1).toString('base64url') }],
    ['a lone "p"', { ...rsa.publicJWK, p: 'AQAB' }],
  ] as const) {
    test(`private members (${name}) without allowPrivate: ERR_JWKS_PRIVATE_MEMBER`, () => {
      assert.throws(() => createLocalJWKSet({ keys: [MEMBERS[0], member] }), { code: 'ERR_JWKS_PRIVATE_MEMBER' });
    });
  }

  test('with allowPrivate, private members load and toJSON publishes only public members', () => {
    const s = createLocalJWKSet({ keys: [{ ...rsa.privateJWK, kid: 'r' }, { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', kid: 'o' }] }, { allowPrivate: true });
    assert.equal(s.entries.length, 2);
    assert.deepEqual(s.toJSON().keys[0], { ...rsa.publicJWK, kid: 'r' });
    assert.deepEqual(s.toJSON().keys[1], { kty: 'oct', kid: 'o' });
  });

  test('isKeySet is false for a plain JWKS object', () => {
    assert.equal(isKeySet({ keys: [] }), false);
  });
});

describe('KeySet.select', () => {
  test('by kid (exact, case-sensitive)', () => {
    assert.deepEqual(kids({ kid: 'ec1' }), ['ec1']);
    assert.deepEqual(kids({ kid: 'EC1' }), []);
    assert.deepEqual(kids({ kid: 'ec' }), []);
  });

  test('by alg: keys bound to it, or bound to none', () => {
    assert.deepEqual(kids({ alg: 'ES256' }), ['ec1', 'ec2', 'ed', 'rsa-sign-only']);
    assert.deepEqual(kids({ alg: 'RS256' }), ['ec2', 'rsa', 'ed', 'rsa-sign-only']);
  });

  test('by use: keys with that use, or none', () => {
    assert.deepEqual(kids({ use: 'sig' }), ['ec1', 'ec2', 'rsa', 'rsa-sign-only']);
    assert.deepEqual(kids({ use: 'enc' }), ['ec2', 'rsa', 'ed', 'rsa-sign-only']);
  });

  test('by key_ops: keys whose key_ops include it, or that have none', () => {
    assert.deepEqual(kids({ keyOp: 'verify' }), ['ec1', 'ec2', 'rsa', 'ed']);
    assert.deepEqual(kids({ keyOp: 'sign' }), ['ec1', 'ec2', 'ed', 'rsa-sign-only']);
  });

  test('by kty and crv', () => {
    assert.deepEqual(kids({ kty: 'EC' }), ['ec1', 'ec2']);
    assert.deepEqual(kids({ kty: 'RSA' }), ['rsa', 'rsa-sign-only']);
    assert.deepEqual(kids({ crv: 'P-384' }), ['ec2']);
    assert.deepEqual(kids({ kty: 'OKP', crv: 'Ed25519' }), ['ed']);
  });

  test('every criterion must match', () => {
    assert.deepEqual(kids({ kty: 'EC', alg: 'ES256', use: 'sig', keyOp: 'verify' }), ['ec1', 'ec2']);
    assert.deepEqual(kids({ kty: 'RSA', keyOp: 'verify', alg: 'RS256' }), ['rsa']);
    assert.deepEqual(kids({ kid: 'ed', use: 'sig' }), []);
  });

  test('a filter function narrows further', () => {
    assert.deepEqual(kids({ filter: (e) => e.bits > 300 }), ['ec2', 'rsa', 'rsa-sign-only']);
  });
});

describe('KeySet.getKey', () => {
  test('the one match, imported', async () => {
    const key = await set.getKey({ kid: 'ec2' });
    assert.equal(key.crv, 'P-384');
    assert.equal(key.kid, 'ec2');
    assert.equal(key.kind, 'public');
  });

  test('the same entry imports once', async () => {
    assert.equal(await set.getKey({ kid: 'rsa' }), await set.getKey({ kid: 'rsa' }));
  });

  test('no match: ERR_JWKS_NO_MATCHING_KEY', async () => {
    await assert.rejects(set.getKey({ kid: 'nope' }), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    await assert.rejects(set.getKey({ kty: 'oct' }), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  test('several matches: ERR_JWKS_MULTIPLE_MATCHING_KEYS', async () => {
    await assert.rejects(set.getKey({ kty: 'EC' }), { code: 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' });
  });

  test('getKeySync: same on node, ERR_SYNC_UNSUPPORTED on web', () => {
    if (platform.syncSupported) {
      assert.equal(set.getKeySync({ kid: 'ec1' }).alg, 'ES256');
      assert.throws(() => set.getKeySync({ kid: 'nope' }), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
      assert.throws(() => set.getKeySync({ kty: 'EC' }), { code: 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' });
    } else {
      assert.throws(() => set.getKeySync({ kid: 'ec2', use: 'sig' }), { code: 'ERR_SYNC_UNSUPPORTED' });
    }
  });
});

describe('verifyJWS with a key set', () => {
  test('selects by the header kid', async () => {
    const token = await signJWS('hi', p384.privateJWK, { alg: 'ES384', protectedHeader: { kid: 'ec2' } });
    const { key } = await verifyJWS(token, set);
    assert.equal(key.kid, 'ec2');
  });

  test('an unknown kid: ERR_JWKS_NO_MATCHING_KEY', async () => {
    const token = await signJWS('hi', p384.privateJWK, { alg: 'ES384', protectedHeader: { kid: 'unknown' } });
    await assert.rejects(verifyJWS(token, set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  test('a key with use "enc" is never used to verify', async () => {
    const token = await signJWS('hi', ed.privateJWK, { alg: 'EdDSA', protectedHeader: { kid: 'ed' } });
    await assert.rejects(verifyJWS(token, set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  test('a key whose key_ops lack "verify" is never used to verify', async () => {
    const token = await signJWS('hi', rsa.privateJWK, { alg: 'PS256', protectedHeader: { kid: 'rsa-sign-only' } });
    await assert.rejects(verifyJWS(token, set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  test('a key bound to RS256 is never used for PS256', async () => {
    const token = await signJWS('hi', rsa.privateJWK, { alg: 'PS256', protectedHeader: { kid: 'rsa' } });
    await assert.rejects(verifyJWS(token, set), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  test('the allow-list derived from the set excludes algorithms no member fits', async () => {
    const token = await signJWS('hi', new Uint8Array(32).fill(1), { alg: 'HS256' });
    await assert.rejects(verifyJWS(token, set), { code: 'ERR_ALG_NOT_ALLOWED' });
    await assert.rejects(verifyJWS(token, set, { algorithms: ['HS256'] }), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  describe('several matching keys', () => {
    const makeSet = async (n: number) => {
      const keys = await Promise.all(Array.from({ length: n }, () => generateKey('ES256')));
      // The public members without kid, so that a token's header cannot single one out.
      const members = keys.map((k) => {
        const { kid: _kid, ...rest } = exportJWK(k, { public: true });
        return rest as JWK;
      });
      return { keys, set: createLocalJWKSet({ keys: members }) };
    };

    test("default: ERR_JWKS_MULTIPLE_MATCHING_KEYS; multipleKeys 'try' finds the signer", async () => {
      const { keys, set: s } = await makeSet(3);
      const token = await signJWS('multi', keys[2]);
      await assert.rejects(verifyJWS(token, s), { code: 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' });
      await assert.rejects(verifyJWS(token, s, { multipleKeys: 'error' }), { code: 'ERR_JWKS_MULTIPLE_MATCHING_KEYS' });
      const { key } = await verifyJWS(token, s, { multipleKeys: 'try' });
      assert.deepEqual(exportJWK(key, { public: true }).x, exportJWK(keys[2], { public: true }).x);
      if (platform.syncSupported) {
        assert.equal(verifyJWSSync(token, s, { multipleKeys: 'try' }).key.imported.jwk.x, key.imported.jwk.x);
      }
    });

    test("multipleKeys 'try' with no key that verifies: ERR_JWS_SIGNATURE_INVALID", async () => {
      const { set: s } = await makeSet(2);
      const other = await generateKey('ES256');
      const token = await signJWS('multi', other);
      await assert.rejects(verifyJWS(token, s, { multipleKeys: 'try' }), { code: 'ERR_JWS_SIGNATURE_INVALID' });
    });

    test("multipleKeys 'try' tries at most 8 keys", async () => {
      const { keys, set: s } = await makeSet(9);
      const eighth = await signJWS('cap', keys[7]);
      assert.ok(await verifyJWS(eighth, s, { multipleKeys: 'try' }));
      const ninth = await signJWS('cap', keys[8]);
      await assert.rejects(verifyJWS(ninth, s, { multipleKeys: 'try' }), { code: 'ERR_JWS_SIGNATURE_INVALID' });
    });
  });
});
