/**
 * Positive behaviour of the compact JWS API: every algorithm signs and verifies (cross-checked with
 * node:crypto as an independent implementation), sync variants, factories, detached payloads,
 * RFC 7797 unencoded payloads, the allow-list derived from the key, and caller-declared `crit`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHmac, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { platform } from '#platform';
import {
  createSigner,
  createSignerSync,
  createVerifier,
  createVerifierSync,
  signJWS,
  signJWSSync,
  verifyJWS,
  verifyJWSSync,
} from '../../../src/jws/index.ts';
import { createLocalJWKSet, importJWK, importPEM, importSecret } from '../../../src/jwk/index.ts';
import { ASYMMETRIC_ALGS, b64u, pair, publicCryptoKey, secretBytes, segments, type PairKind } from '../../helpers/jws-fixtures.ts';

const PAYLOAD = '{"sub":"ada","n":1,"s":"é✓"}';
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
/** Plain bytes (a Buffer and a Uint8Array with the same bytes compare equal). */
const plain = (bytes: Uint8Array) => Uint8Array.from(bytes);
const headerOf = (token: string) => JSON.parse(Buffer.from(segments(token)[0], 'base64url').toString('utf8'));

/** Kinds the backend cannot do: WebCrypto has no secp256k1. */
const unsupportedHere = (kind: PairKind) => platform.name === 'web' && kind === 'secp256k1';

/** node:crypto's view of a signature: an implementation independent of tessera's signing code. */
function nodeCheck(alg: string, kind: PairKind, input: string, sig: Buffer): boolean {
  const key = pair(kind).publicKeyObject;
  if (kind === 'Ed25519' || kind === 'Ed448') return nodeVerify(null, Buffer.from(input), key, sig);
  const hash = `sha${alg.slice(-3) === '56K' ? '256' : alg.slice(2, 5)}`;
  if (alg.startsWith('ES')) return nodeVerify(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }, sig);
  if (alg.startsWith('PS')) {
    return nodeVerify(hash, Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, sig);
  }
  return nodeVerify(hash, Buffer.from(input), key, sig);
}

function nodeSignToken(alg: string, kind: PairKind, payload: string): string {
  const input = `${b64u(JSON.stringify({ alg }))}.${b64u(payload)}`;
  const key = pair(kind).privateKeyObject;
  let sig: Buffer;
  if (kind === 'Ed25519' || kind === 'Ed448') sig = nodeSign(null, Buffer.from(input), key);
  else {
    const hash = `sha${alg.slice(-3) === '56K' ? '256' : alg.slice(2, 5)}`;
    if (alg.startsWith('ES')) sig = nodeSign(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    else if (alg.startsWith('PS')) sig = nodeSign(hash, Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
    else sig = nodeSign(hash, Buffer.from(input), key);
  }
  return `${input}.${sig.toString('base64url')}`;
}

describe('asymmetric algorithms sign and verify', () => {
  for (const [alg, kind] of ASYMMETRIC_ALGS) {
    test(`${alg} with a ${kind} key`, async (t) => {
      const { privateJWK, publicJWK } = pair(kind);
      if (unsupportedHere(kind)) {
        await assert.rejects(signJWS(PAYLOAD, privateJWK, { alg }), { code: 'ERR_PLATFORM_UNSUPPORTED' });
        await assert.rejects(verifyJWS(nodeSignToken(alg, kind, PAYLOAD), publicJWK), { code: 'ERR_PLATFORM_UNSUPPORTED' });
        return;
      }
      const token = await signJWS(PAYLOAD, privateJWK, { alg });
      assert.deepEqual(headerOf(token), { alg });
      const [h, p, s] = segments(token);
      assert.equal(p, b64u(PAYLOAD));
      assert.ok(nodeCheck(alg, kind, `${h}.${p}`, Buffer.from(s, 'base64url')), 'node:crypto verifies the signature');

      for (const options of [{}, { algorithms: [alg] }]) {
        const r = await verifyJWS(token, publicJWK, options);
        assert.equal(text(r.payload), PAYLOAD);
        assert.deepEqual({ ...r.protectedHeader }, { alg });
        assert.equal(r.key.kind, 'public');
      }
      // A token node:crypto made verifies too.
      assert.equal(text((await verifyJWS(nodeSignToken(alg, kind, PAYLOAD), publicJWK)).payload), PAYLOAD);
      // Other public key forms: PEM, CryptoKey, imported key, and the private JWK.
      await verifyJWS(token, await importPEM(pair(kind).publicPEM), { algorithms: [alg] });
      await verifyJWS(token, await importJWK(privateJWK), { algorithms: [alg] });
      if (kind !== 'secp256k1') await verifyJWS(token, await publicCryptoKey(kind, alg), { algorithms: [alg] });

      await t.test('sync variants', () => {
        if (!platform.syncSupported) {
          assert.throws(() => signJWSSync(PAYLOAD, privateJWK, { alg }), { code: 'ERR_SYNC_UNSUPPORTED' });
          assert.throws(() => verifyJWSSync(token, publicJWK), { code: 'ERR_SYNC_UNSUPPORTED' });
          return;
        }
        const syncToken = signJWSSync(PAYLOAD, privateJWK, { alg });
        assert.equal(text(verifyJWSSync(syncToken, publicJWK).payload), PAYLOAD);
        assert.equal(text(verifyJWSSync(token, publicJWK, { algorithms: [alg] }).payload), PAYLOAD);
        assert.equal(text(verifyJWSSync(syncToken, pair(kind).publicKeyObject, { algorithms: [alg] }).payload), PAYLOAD);
      });
    });
  }
});

describe('HMAC algorithms sign and verify', () => {
  for (const bits of [256, 384, 512] as const) {
    const alg = `HS${bits}`;
    test(alg, async () => {
      for (const secret of [secretBytes(bits / 8), secretBytes(bits / 8 + 13, 2)]) {
        const token = await signJWS(PAYLOAD, secret, { alg });
        const [h, p, s] = segments(token);
        // HMAC is deterministic: the signature equals node:crypto's, byte for byte.
        assert.equal(s, createHmac(`sha${bits}`, secret).update(`${h}.${p}`).digest('base64url'));
        for (const key of [secret, { kty: 'oct', k: b64u(secret) }, await importSecret(secret, { alg })]) {
          assert.equal(text((await verifyJWS(token, key, { algorithms: [alg] })).payload), PAYLOAD);
        }
        if (platform.syncSupported) {
          assert.equal(signJWSSync(PAYLOAD, secret, { alg }), token);
          assert.equal(text(verifyJWSSync(token, secret, { algorithms: [alg] }).payload), PAYLOAD);
        }
      }
    });
  }

  test('a key bound to an alg signs without options.alg', async () => {
    const key = await importSecret(secretBytes(48), { alg: 'HS384' });
    const token = await signJWS('x', key);
    assert.deepEqual(headerOf(token), { alg: 'HS384' });
    assert.equal(text((await verifyJWS(token, key)).payload), 'x');
  });

  test('bytes payloads are kept exactly', async () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
    const token = await signJWS(bytes, secretBytes(32), { alg: 'HS256' });
    assert.deepEqual(plain((await verifyJWS(token, secretBytes(32))).payload), bytes);
  });

  test('protected header members are carried and returned', async () => {
    const token = await signJWS('x', secretBytes(32), { alg: 'HS256', protectedHeader: { typ: 'JWT', kid: 'k1', cty: 'text' } });
    assert.deepEqual(headerOf(token), { alg: 'HS256', typ: 'JWT', kid: 'k1', cty: 'text' });
    const r = await verifyJWS(token, secretBytes(32));
    assert.deepEqual({ ...r.protectedHeader }, { alg: 'HS256', typ: 'JWT', kid: 'k1', cty: 'text' });
  });
});

describe('factories', () => {
  test('createSigner and createVerifier round-trip, header encoded once', async () => {
    const { privateJWK, publicJWK } = pair('P-256');
    const signer = await createSigner(privateJWK, { alg: 'ES256', protectedHeader: { typ: 'JWT', kid: 'e1' } });
    assert.equal(signer.protectedHeader, b64u(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: 'e1' })));
    const verifier = await createVerifier(publicJWK, { algorithms: ['ES256'] });
    for (const payload of ['a', '{"n":2}', new Uint8Array([0, 1, 2])]) {
      const token = await signer.sign(payload);
      assert.equal(segments(token)[0], signer.protectedHeader);
      const r = await verifier.verify(token);
      assert.deepEqual(plain(r.payload), typeof payload === 'string' ? new TextEncoder().encode(payload) : payload);
      assert.equal(r.protectedHeader.kid, 'e1');
      if (platform.syncSupported) {
        assert.deepEqual(plain(verifier.verifySync(signer.signSync(payload)).payload), plain(r.payload));
      } else {
        assert.throws(() => signer.signSync(payload), { code: 'ERR_SYNC_UNSUPPORTED' });
        assert.throws(() => verifier.verifySync(token), { code: 'ERR_SYNC_UNSUPPORTED' });
      }
    }
  });

  test('HMAC and EdDSA factories, with a derived allow-list', async () => {
    const secret = secretBytes(64);
    const signer = await createSigner(secret, { alg: 'HS512' });
    const verifier = await createVerifier(secret);
    assert.equal(text((await verifier.verify(await signer.sign('m'))).payload), 'm');
    const ed = pair('Ed25519');
    const edSigner = await createSigner(ed.privateJWK, { alg: 'EdDSA' });
    assert.equal(text((await (await createVerifier(ed.publicJWK)).verify(await edSigner.sign('e'))).payload), 'e');
  });

  test('createVerifier with a key set and with a resolver', async () => {
    const { privateJWK, publicJWK } = pair('RSA');
    const token = await signJWS('r', privateJWK, { alg: 'PS256', protectedHeader: { kid: 'r1' } });
    const set = createLocalJWKSet({ keys: [{ ...pair('P-256').publicJWK, kid: 'e1' }, { ...publicJWK, kid: 'r1' }] });
    assert.equal(text((await (await createVerifier(set)).verify(token)).payload), 'r');
    let seen: unknown;
    const resolver = (h: { kid?: string }) => {
      seen = h.kid;
      return publicJWK;
    };
    assert.equal(text((await (await createVerifier(resolver, { algorithms: ['PS256'] })).verify(token)).payload), 'r');
    assert.equal(seen, 'r1');
  });

  test('sync factories', async () => {
    const secret = secretBytes(32);
    if (!platform.syncSupported) {
      assert.throws(() => createSignerSync(secret, { alg: 'HS256' }), { code: 'ERR_SYNC_UNSUPPORTED' });
      assert.throws(() => createVerifierSync(secret), { code: 'ERR_SYNC_UNSUPPORTED' });
      return;
    }
    const signer = createSignerSync(secret, { alg: 'HS256' });
    const verifier = createVerifierSync(secret);
    assert.equal(text(verifier.verifySync(signer.signSync('s')).payload), 's');
    assert.equal(text((await verifier.verify(await signer.sign('t'))).payload), 't');
  });

  test("a verifier keeps the allow-list it was made with, whatever the caller's array becomes", async () => {
    const secret = secretBytes(64);
    const algorithms = ['HS256'];
    const verifier = await createVerifier(secret, { algorithms });
    algorithms.push('HS512');
    await assert.rejects(verifier.verify(await signJWS('x', secret, { alg: 'HS512' })), { code: 'ERR_ALG_NOT_ALLOWED' });
  });
});

describe('detached payloads (RFC 7515 Appendix F)', () => {
  test('sign detached, verify with the payload given', async () => {
    const secret = secretBytes(32);
    const token = await signJWS('detached!', secret, { alg: 'HS256', detached: true });
    const [, p] = segments(token);
    assert.equal(p, '');
    const attached = await signJWS('detached!', secret, { alg: 'HS256' });
    assert.equal(segments(attached)[2], segments(token)[2], 'same signature as the attached form');
    assert.equal(text((await verifyJWS(token, secret, { payload: 'detached!' })).payload), 'detached!');
    assert.equal(text((await verifyJWS(token, secret, { payload: new TextEncoder().encode('detached!') })).payload), 'detached!');
    await assert.rejects(verifyJWS(token, secret, { payload: 'other' }), { code: 'ERR_JWS_SIGNATURE_INVALID' });
    await assert.rejects(verifyJWS(token, secret), { code: 'ERR_JWS_SIGNATURE_INVALID' });
    // A payload given for a token that carries one is a caller error, never silently preferred.
    await assert.rejects(verifyJWS(attached, secret, { payload: 'detached!' }), { code: 'ERR_JWS_INVALID' });
  });

  test('detached factory signer, asymmetric', async () => {
    const { privateJWK, publicJWK } = pair('Ed25519');
    const signer = await createSigner(privateJWK, { alg: 'Ed25519', detached: true });
    const token = await signer.sign('body');
    assert.equal(segments(token)[1], '');
    assert.equal(text((await verifyJWS(token, publicJWK, { payload: 'body' })).payload), 'body');
  });
});

describe('unencoded payload (RFC 7797)', () => {
  // RFC 7515 Appendix A.1 key, RFC 7797 §4.2 example (detached, since its payload holds a '.').
  const A1 = { kty: 'oct', k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow' };
  const RFC7797_4_2 = 'eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19..A5dxf2s96_n5FLueVuW1Z_vh161FwXZC4YLPff6dmDY';

  test('RFC 7797 §4.2 is reproduced byte for byte and verifies', async () => {
    assert.equal(await signJWS('$.02', A1, { alg: 'HS256', b64: false, detached: true }), RFC7797_4_2);
    const r = await verifyJWS(RFC7797_4_2, A1, { payload: '$.02' });
    assert.equal(text(r.payload), '$.02');
    assert.deepEqual({ ...r.protectedHeader }, { alg: 'HS256', b64: false, crit: ['b64'] });
  });

  test('b64:false compact carries the payload as is', async () => {
    const { privateJWK, publicJWK } = pair('P-256');
    for (const payload of ['hello world', '{"a":1}', 'héllo ✓']) {
      const token = await signJWS(payload, privateJWK, { alg: 'ES256', b64: false });
      assert.equal(token.split('.')[1], payload);
      assert.deepEqual(headerOf(token), { alg: 'ES256', b64: false, crit: ['b64'] });
      const r = await verifyJWS(token, publicJWK);
      assert.equal(text(r.payload), payload);
      // The signing input is the raw payload, not its base64url (RFC 7797 §3).
      const [h, , s] = token.split('.') as [string, string, string];
      assert.ok(nodeCheck('ES256', 'P-256', `${h}.${payload}`, Buffer.from(s, 'base64url')));
    }
  });

  test('b64:true listed in crit is the ordinary encoding', async () => {
    const secret = secretBytes(32);
    const token = await signJWS('x', secret, { alg: 'HS256', protectedHeader: { b64: true, crit: ['b64'] } });
    assert.equal(segments(token)[1], b64u('x'));
    assert.equal(text((await verifyJWS(token, secret)).payload), 'x');
  });

  test('b64:false together with another crit extension', async () => {
    const secret = secretBytes(32);
    const token = await signJWS('p', secret, { alg: 'HS256', b64: false, protectedHeader: { crit: ['urn:x'], 'urn:x': 1 } });
    assert.deepEqual(headerOf(token).crit, ['urn:x', 'b64']);
    assert.equal(text((await verifyJWS(token, secret, { crit: ['urn:x'] })).payload), 'p');
  });
});

describe('allow-list derived from the key', () => {
  test('an unbound RSA key allows every RS* and PS*', async () => {
    const { privateJWK, publicJWK } = pair('RSA');
    for (const alg of ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']) {
      assert.equal(text((await verifyJWS(await signJWS(alg, privateJWK, { alg }), publicJWK)).payload), alg);
    }
  });

  test('an unbound Ed25519 key allows EdDSA and Ed25519; Ed448 likewise', async () => {
    for (const [kind, algs] of [['Ed25519', ['EdDSA', 'Ed25519']], ['Ed448', ['EdDSA', 'Ed448']]] as const) {
      for (const alg of algs) {
        const { privateJWK, publicJWK } = pair(kind);
        assert.equal((await verifyJWS(await signJWS('e', privateJWK, { alg }), publicJWK)).protectedHeader.alg, alg);
      }
    }
  });

  test('a 64-byte secret allows every HS*; a key bound by its JWK "alg" allows only that', async () => {
    const secret = secretBytes(64);
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      assert.equal((await verifyJWS(await signJWS('h', secret, { alg }), secret)).protectedHeader.alg, alg);
    }
    const bound = { ...pair('P-384').publicJWK, alg: 'ES384' };
    const token = await signJWS('b', pair('P-384').privateJWK, { alg: 'ES384' });
    assert.equal(text((await verifyJWS(token, bound)).payload), 'b');
  });
});

describe('crit (RFC 7515 §4.1.11)', () => {
  test('an extension the caller declares is accepted', async () => {
    const { privateJWK, publicJWK } = pair('P-256');
    const token = await signJWS('c', privateJWK, { alg: 'ES256', protectedHeader: { crit: ['urn:example:ext'], 'urn:example:ext': { v: 1 } } });
    const r = await verifyJWS(token, publicJWK, { crit: ['urn:example:ext', 'other'] });
    assert.deepEqual(r.protectedHeader.crit, ['urn:example:ext']);
    assert.deepEqual(r.protectedHeader['urn:example:ext'], { v: 1 });
    const verifier = await createVerifier(publicJWK, { crit: ['urn:example:ext'] });
    assert.equal(text((await verifier.verify(token)).payload), 'c');
  });
});
