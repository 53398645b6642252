/**
 * JWS JSON Serializations (RFC 7515 §7.2): flattened and general, detached payloads
 * (RFC 7515 Appendix F), `b64: false` (RFC 7797), and the RFC 7520 §4.5–4.8, RFC 7515 A.6/A.7
 * and RFC 7797 §4.2 vectors.
 *
 * Vector files: copied unmodified from /work/shared/vectors (see test/vectors/data/README.md):
 *   rfc7520/jws/4_5…, 4_6…, 4_7…, 4_8… — GitHub ietf-jose/cookbook @ 13692b68bfc18b99557a5b1ed311fd5077bfff04
 *   rfc-appendix/rfc7515_A.6_A.7.json, rfc-appendix/rfc7797_4.json — written by the project from the RFCs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '#platform';
import type { TesseraKey } from '../../../src/jwa/key.ts';
import type { JWK } from '../../../src/jwa/types.ts';
import { exportJWK } from '../../../src/jwk/export.ts';
import { generateKey } from '../../../src/jwk/generate.ts';
import type { KeyInput } from '../../../src/jwk/import.ts';
import { createLocalJWKSet } from '../../../src/jwk/jwks.ts';
import {
  signFlattenedJWS,
  signFlattenedJWSSync,
  verifyFlattenedJWS,
  verifyFlattenedJWSSync,
} from '../../../src/jws/flattened.ts';
import { signGeneralJWS, signGeneralJWSSync, verifyGeneralJWS, verifyGeneralJWSSync } from '../../../src/jws/general.ts';
import type { FlattenedJWS, GeneralJWS } from '../../../src/jws/json-common.ts';
import type { JWSHeader, VerifiedJWSHeader } from '../../../src/jws/types.ts';
import { loadVector, publicJWK, utf8 } from '../../helpers/vectors.ts';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const b64u = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** Flips one character of a base64url signature, keeping it canonical. */
function mutate(sig: string): string {
  const i = 4;
  return sig.slice(0, i) + (sig[i] === 'A' ? 'B' : 'A') + sig.slice(i + 1);
}

// ---------------------------------------------------------------------------------------------
// The API under test, async always and sync where the backend has it.

interface API {
  readonly name: string;
  signF: typeof signFlattenedJWS;
  verifyF: typeof verifyFlattenedJWS;
  signG: typeof signGeneralJWS;
  verifyG: typeof verifyGeneralJWS;
}
const APIS: API[] = [{ name: 'async', signF: signFlattenedJWS, verifyF: verifyFlattenedJWS, signG: signGeneralJWS, verifyG: verifyGeneralJWS }];
if (platform.syncSupported) {
  APIS.push({
    name: 'sync',
    signF: async (p, k, o) => signFlattenedJWSSync(p, k, o),
    verifyF: async (j, k, o) => verifyFlattenedJWSSync(j, k, o),
    signG: async (p, s, o) => signGeneralJWSSync(p, s, o),
    verifyG: async (j, k, o) => verifyGeneralJWSSync(j, k, o),
  });
}

const ALGS = ['HS256', 'ES256', 'EdDSA', 'RS256'] as const;
type Alg = (typeof ALGS)[number];
const priv = {} as Record<Alg, TesseraKey>;
const pub = {} as Record<Alg, KeyInput>;
const pubJWK = {} as Record<Alg, JWK>;
for (const alg of ALGS) {
  priv[alg] = await generateKey(alg);
  pubJWK[alg] = exportJWK(priv[alg], { public: alg !== 'HS256' });
  pub[alg] = alg === 'HS256' ? priv[alg] : pubJWK[alg];
}
const allKeys = createLocalJWKSet({ keys: ALGS.map((a) => pubJWK[a]) }, { allowPrivate: true });

const hs = priv.HS256;
const base: FlattenedJWS = await signFlattenedJWS('hello', hs, { unprotectedHeader: { kid: 'k1' } });
const baseGeneral: GeneralJWS = await signGeneralJWS('hello', [
  { key: hs, options: { unprotectedHeader: { kid: 'k1' } } },
  { key: priv.ES256 },
]);

// ---------------------------------------------------------------------------------------------

for (const api of APIS) {
  describe(`JSON JWS round trips (${api.name}, ${platform.name})`, () => {
    for (const alg of ALGS) {
      test(`flattened ${alg}`, async () => {
        const jws = await api.signF('payload ✓', priv[alg], { protectedHeader: { typ: 'x+jwt' }, unprotectedHeader: { kid: 'the-kid' } });
        assert.deepEqual(Object.keys(jws), ['payload', 'protected', 'header', 'signature']);
        assert.equal(jws.payload, b64u('payload ✓'));
        const r = await api.verifyF(jws, pub[alg]);
        assert.equal(text(r.payload), 'payload ✓');
        assert.deepEqual(r.protectedHeader, { alg, typ: 'x+jwt' });
        assert.deepEqual(r.unprotectedHeader, { kid: 'the-kid' });
        assert.equal(r.alg, alg);
        assert.equal(r.key.family, priv[alg].family);
        // The JSON text form verifies the same.
        assert.equal(text((await api.verifyF(JSON.stringify(jws), pub[alg])).payload), 'payload ✓');
      });
    }

    test('general: one signature per key, each reported by index, key and its own header', async () => {
      const jws = await api.signG(
        utf8('multi'),
        ALGS.map((alg, i) => ({ key: priv[alg], options: { protectedHeader: { typ: `t${i}` }, unprotectedHeader: { kid: `k${i}` } } })),
      );
      assert.equal(jws.signatures.length, 4);
      for (const [i, alg] of ALGS.entries()) {
        const r = await api.verifyG(jws, pub[alg]);
        assert.equal(r.signatureIndex, i);
        assert.equal(r.alg, alg);
        assert.equal(text(r.payload), 'multi');
        // THREATS.md §18: only the verified signature's headers are returned.
        assert.deepEqual(r.protectedHeader, { alg, typ: `t${i}` });
        assert.deepEqual(r.unprotectedHeader, { kid: `k${i}` });
      }
    });

    test('general with a KeySet: kid from the unprotected header selects the key', async () => {
      const jws = await api.signG('set', [
        { key: priv.ES256, options: { unprotectedHeader: { kid: priv.ES256.kid as string } } },
        { key: priv.EdDSA, options: { unprotectedHeader: { kid: priv.EdDSA.kid as string } } },
      ]);
      const r = await api.verifyG(jws, allKeys);
      assert.equal(r.signatureIndex, 0);
      assert.equal(r.key.kid, priv.ES256.kid);
      // A set holding only the second signer's key: the first signature is skipped.
      const onlyEd = createLocalJWKSet({ keys: [pubJWK.EdDSA] });
      const r2 = await api.verifyG(jws, onlyEd);
      assert.equal(r2.signatureIndex, 1);
      assert.equal(r2.key.kid, priv.EdDSA.kid);
      assert.equal(r2.alg, 'EdDSA');
    });

    test('general: a bad first signature does not stop a good second one', async () => {
      const jws = clone(baseGeneral);
      const first = jws.signatures[0];
      assert.ok(first);
      first.signature = mutate(first.signature);
      const r = await api.verifyG(jws, allKeys);
      assert.equal(r.signatureIndex, 1);
    });

    test('detached payload (RFC 7515 Appendix F)', async () => {
      const f = await api.signF('detached body', priv.ES256, { detached: true });
      assert.equal('payload' in f, false);
      assert.equal(text((await api.verifyF(f, pub.ES256, { payload: 'detached body' })).payload), 'detached body');
      await assert.rejects(api.verifyF(f, pub.ES256, { payload: 'other body' }), { code: 'ERR_JWS_SIGNATURE_INVALID' });
      await assert.rejects(api.verifyF(f, pub.ES256), { code: 'ERR_JWS_INVALID' });
      const g = await api.signG(utf8('detached body'), [{ key: priv.ES256 }, { key: hs }], { detached: true });
      assert.equal('payload' in g, false);
      const r = await api.verifyG(g, hs, { payload: utf8('detached body') });
      assert.equal(r.signatureIndex, 1);
      await assert.rejects(api.verifyG(g, hs), { code: 'ERR_JWS_INVALID' });
      // A payload both in the JWS and given: refused, whatever the values.
      await assert.rejects(api.verifyF(base, hs, { payload: 'hello' }), { code: 'ERR_JWS_INVALID' });
      await assert.rejects(api.verifyG(baseGeneral, hs, { payload: 'hello' }), { code: 'ERR_JWS_INVALID' });
    });

    test('b64: false (RFC 7797): the payload member is the payload itself', async () => {
      const f = await api.signF('$.02 with "quotes" and dots.', hs, { b64: false });
      assert.equal(f.payload, '$.02 with "quotes" and dots.');
      const r = await api.verifyF(f, hs);
      assert.equal(text(r.payload), '$.02 with "quotes" and dots.');
      assert.deepEqual(r.protectedHeader, { alg: 'HS256', b64: false, crit: ['b64'] });
      const g = await api.signG('raw', [
        { key: hs, options: { b64: false } },
        { key: priv.EdDSA, options: { b64: false } },
      ]);
      assert.equal(g.payload, 'raw');
      assert.equal((await api.verifyG(g, pub.EdDSA)).signatureIndex, 1);
      // Detached and unencoded: any bytes.
      const bytes = new Uint8Array([0xff, 0x00, 0x2e]);
      const d = await api.signF(bytes, hs, { b64: false, detached: true });
      assert.deepEqual((await api.verifyF(d, hs, { payload: bytes })).payload, bytes);
      // Tampered unencoded payload.
      await assert.rejects(api.verifyF({ ...f, payload: '$.03' }, hs), { code: 'ERR_JWS_SIGNATURE_INVALID' });
    });

    test('b64: false payload that is not UTF-8 cannot be embedded', async () => {
      await assert.rejects(api.signF(new Uint8Array([0xff]), hs, { b64: false }), { code: 'ERR_JWS_INVALID' });
      await assert.rejects(api.signG(new Uint8Array([0xff]), [{ key: hs, options: { b64: false } }]), { code: 'ERR_JWS_INVALID' });
    });

    test('mutations break the signature', async () => {
      await assert.rejects(api.verifyF({ ...base, signature: mutate(base.signature) }, hs), { code: 'ERR_JWS_SIGNATURE_INVALID' });
      await assert.rejects(api.verifyF({ ...base, payload: b64u('hellO') }, hs), { code: 'ERR_JWS_SIGNATURE_INVALID' });
      await assert.rejects(api.verifyF({ ...base, protected: b64u('{"alg":"HS256","typ":"x"}') }, hs), {
        code: 'ERR_JWS_SIGNATURE_INVALID',
      });
      const g = clone(baseGeneral);
      for (const s of g.signatures) s.signature = mutate(s.signature);
      await assert.rejects(api.verifyG(g, allKeys), { code: 'ERR_JWS_SIGNATURE_INVALID' });
      await assert.rejects(api.verifyG({ ...baseGeneral, payload: b64u('hellO') }, hs), { code: 'ERR_JWS_SIGNATURE_INVALID' });
      // Editing an unprotected member is allowed by the format and changes nothing verified.
      const r = await api.verifyF({ ...base, header: { kid: 'edited' } }, hs);
      assert.deepEqual(r.unprotectedHeader, { kid: 'edited' });
    });
  });

  describe(`JSON JWS strict parsing (${api.name}, ${platform.name})`, () => {
    const flatCases: Array<[string, unknown, string]> = [
      ['a number', 42, 'ERR_JWS_INVALID'],
      ['null', null, 'ERR_JWS_INVALID'],
      ['an array', [base], 'ERR_JWS_INVALID'],
      ['text that is not JSON', '{"payload":', 'ERR_JSON_INVALID'],
      ['JSON text that is not an object', '[1]', 'ERR_JSON_INVALID'],
      [
        'a duplicate member',
        `{"payload":"${base.payload}","payload":"${b64u('x')}","protected":"${base.protected}","signature":"${base.signature}"}`,
        'ERR_JSON_DUPLICATE_MEMBER',
      ],
      [
        'a duplicate member in the unprotected header',
        `{"payload":"${base.payload}","protected":"${base.protected}","header":{"kid":"a","kid":"b"},"signature":"${base.signature}"}`,
        'ERR_JSON_DUPLICATE_MEMBER',
      ],
      ['payload not a string', { ...base, payload: 1 }, 'ERR_JWS_INVALID'],
      ['protected not a string', { ...base, protected: { alg: 'HS256' } }, 'ERR_JWS_INVALID'],
      ['protected empty', { ...base, protected: '' }, 'ERR_JWS_INVALID'],
      ['header an array', { ...base, header: [] }, 'ERR_JWS_INVALID'],
      ['header null', { ...base, header: null }, 'ERR_JWS_INVALID'],
      ['header a string', { ...base, header: 'kid' }, 'ERR_JWS_INVALID'],
      ['signature missing', { payload: base.payload, protected: base.protected }, 'ERR_JWS_INVALID'],
      ['signature not a string', { ...base, signature: 7 }, 'ERR_JWS_INVALID'],
      ['neither protected nor header', { payload: base.payload, signature: base.signature }, 'ERR_JWS_INVALID'],
      ['a "signatures" member', { ...base, signatures: [] }, 'ERR_JWS_INVALID'],
      ['signature not base64url', { ...base, signature: `${base.signature}=` }, 'ERR_BASE64URL_INVALID'],
      ['payload not base64url', { ...base, payload: 'aGVsbG8+' }, 'ERR_BASE64URL_INVALID'],
      ['protected not base64url', { ...base, protected: '*' }, 'ERR_BASE64URL_INVALID'],
      ['protected not a JSON object', { ...base, protected: b64u('[]') }, 'ERR_JSON_INVALID'],
      ['a protected member with the wrong type', { ...base, protected: b64u('{"alg":"HS256","kid":1}') }, 'ERR_HEADER_INVALID'],
      ['an unprotected member with the wrong type', { ...base, header: { kid: 5 } }, 'ERR_HEADER_INVALID'],
      ['a name in both headers', { ...base, header: { alg: 'HS256' } }, 'ERR_HEADER_INVALID'],
      ['crit in the unprotected header', { ...base, header: { crit: ['x'], x: 1 } }, 'ERR_CRIT_INVALID'],
      ['b64 in the unprotected header', { ...base, header: { b64: true } }, 'ERR_CRIT_INVALID'],
      ['an unknown crit extension', { ...base, protected: b64u('{"alg":"HS256","crit":["x"],"x":1}') }, 'ERR_CRIT_UNSUPPORTED'],
      ['alg none', { ...base, protected: b64u('{"alg":"none"}'), signature: '' }, 'ERR_ALG_NONE'],
      ['alg none, unprotected', { payload: base.payload, header: { alg: 'none' }, signature: '' }, 'ERR_ALG_NONE'],
    ];
    for (const [name, jws, code] of flatCases) {
      test(`flattened: ${name} → ${code}`, async () => {
        await assert.rejects(api.verifyF(jws, hs), { code });
      });
    }

    test('unknown top-level members are ignored (RFC 7515 §7.2.1)', async () => {
      assert.equal(text((await api.verifyF({ ...base, extra: { any: 1 } }, hs)).payload), 'hello');
    });

    test('an empty unprotected header object is tolerated', async () => {
      const jws = await api.signF('x', hs, { unprotectedHeader: {} });
      assert.equal('header' in jws, false);
      assert.equal(text((await api.verifyF({ ...jws, header: {} }, hs)).payload), 'x');
    });

    test('understood crit extensions are accepted', async () => {
      const jws = await api.signF('x', hs, { protectedHeader: { crit: ['urn:x'], 'urn:x': 1 } });
      await assert.rejects(api.verifyF(jws, hs), { code: 'ERR_CRIT_UNSUPPORTED' });
      assert.equal(text((await api.verifyF(jws, hs, { crit: ['urn:x'] })).payload), 'x');
    });

    test('size limits', async () => {
      const big = await api.signF('x'.repeat(2000), hs);
      const size = JSON.stringify(big).length;
      await assert.rejects(api.verifyF(big, hs, { maxTokenLength: size - 1 }), { code: 'ERR_TOKEN_TOO_LARGE' });
      await assert.rejects(api.verifyF(JSON.stringify(big), hs, { maxTokenLength: size - 1 }), { code: 'ERR_TOKEN_TOO_LARGE' });
      assert.ok(await api.verifyF(big, hs, { maxTokenLength: size }));
      await assert.rejects(api.verifyG({ payload: big.payload, signatures: [{ protected: big.protected, signature: big.signature }] }, hs, { maxTokenLength: size - 1 }), {
        code: 'ERR_TOKEN_TOO_LARGE',
      });
      await assert.rejects(api.verifyF(big, hs, { maxHeaderLength: (big.protected as string).length - 1 }), { code: 'ERR_HEADER_TOO_LARGE' });
      // The default limit (256 KiB) applies without options.
      await assert.rejects(api.verifyF({ ...base, payload: 'A'.repeat(300 * 1024) }, hs), { code: 'ERR_TOKEN_TOO_LARGE' });
    });

    const sig0 = baseGeneral.signatures[0] as { protected: string; header: JWSHeader; signature: string };
    const generalCases: Array<[string, unknown, string]> = [
      ['a string that is not JSON', 'nope', 'ERR_JSON_INVALID'],
      ['a top-level signature', { ...baseGeneral, signature: sig0.signature }, 'ERR_JWS_INVALID'],
      ['a top-level protected', { ...baseGeneral, protected: sig0.protected }, 'ERR_JWS_INVALID'],
      ['a top-level header', { ...baseGeneral, header: {} }, 'ERR_JWS_INVALID'],
      ['no signatures', { payload: baseGeneral.payload }, 'ERR_JWS_INVALID'],
      ['signatures not an array', { ...baseGeneral, signatures: sig0 }, 'ERR_JWS_INVALID'],
      ['an empty signatures array', { ...baseGeneral, signatures: [] }, 'ERR_JWS_INVALID'],
      ['a signature entry that is not an object', { ...baseGeneral, signatures: [sig0, 'x'] }, 'ERR_JWS_INVALID'],
      ['a null signature entry', { ...baseGeneral, signatures: [sig0, null] }, 'ERR_JWS_INVALID'],
      ['17 signatures', { ...baseGeneral, signatures: Array(17).fill(sig0) }, 'ERR_JWS_INVALID'],
      ['payload not a string', { ...baseGeneral, payload: null }, 'ERR_JWS_INVALID'],
      ['a malformed second entry', { ...baseGeneral, signatures: [sig0, { protected: 5, signature: '' }] }, 'ERR_JWS_INVALID'],
      ['a name in both headers of one entry', { ...baseGeneral, signatures: [sig0, { ...sig0, header: { alg: 'HS256' } }] }, 'ERR_HEADER_INVALID'],
      ['b64 in an unprotected header', { ...baseGeneral, signatures: [{ ...sig0, header: { b64: false } }] }, 'ERR_CRIT_INVALID'],
    ];
    for (const [name, jws, code] of generalCases) {
      test(`general: ${name} → ${code}`, async () => {
        await assert.rejects(api.verifyG(jws, hs), { code });
      });
    }

    test('general: 16 signatures are accepted, the last one verifying', async () => {
      const bad = { ...sig0, signature: mutate(sig0.signature) };
      const r = await api.verifyG({ ...baseGeneral, signatures: [...Array(15).fill(bad), sig0] }, hs);
      assert.equal(r.signatureIndex, 15);
    });

    test('general: signatures must agree on b64 (RFC 7797 §3)', async () => {
      const raw = await api.signG('hello', [{ key: hs, options: { b64: false } }]);
      const mixed = { payload: 'hello', signatures: [raw.signatures[0], sig0] };
      await assert.rejects(api.verifyG(mixed, hs), { code: 'ERR_JWS_INVALID' });
      // A signature without a protected header has b64 true.
      const noProtected = { payload: 'hello', signatures: [raw.signatures[0], { header: { alg: 'HS256' }, signature: sig0.signature }] };
      await assert.rejects(api.verifyG(noProtected, hs), { code: 'ERR_JWS_INVALID' });
      await assert.rejects(
        api.signG('hello', [{ key: hs, options: { b64: false } }, { key: priv.ES256 }]),
        { code: 'ERR_JWS_INVALID' },
      );
    });
  });

  describe(`JSON JWS: which error when no signature verifies (${api.name}, ${platform.name})`, () => {
    const noneSig = { protected: b64u('{"alg":"none"}'), signature: '' };

    test('alg none everywhere → ERR_ALG_NONE; none never verifies', async () => {
      await assert.rejects(api.verifyG({ payload: base.payload, signatures: [noneSig, noneSig] }, hs), { code: 'ERR_ALG_NONE' });
      await assert.rejects(
        api.verifyG({ payload: base.payload, signatures: [noneSig, { header: { alg: 'none' }, signature: '' }] }, hs, { algorithms: ['HS256', 'none'] }),
        { code: 'ERR_ALG_NONE' },
      );
      // Beside a valid signature, `none` is skipped and the valid one is reported.
      const r = await api.verifyG({ ...baseGeneral, signatures: [noneSig, ...baseGeneral.signatures] }, hs);
      assert.equal(r.signatureIndex, 1);
      assert.deepEqual(r.protectedHeader, { alg: 'HS256' });
    });

    test('the same non-signature reason everywhere is reported as such', async () => {
      // Neither RS256 nor HS256 is allowed for an EC key.
      const g = await api.signG('x', [{ key: priv.RS256 }, { key: hs }]);
      await assert.rejects(api.verifyG(g, pub.ES256), { code: 'ERR_ALG_NOT_ALLOWED' });
      // No key of the set has the kids.
      const g2 = await api.signG('x', [
        { key: priv.ES256, options: { unprotectedHeader: { kid: 'nobody' } } },
        { key: priv.EdDSA, options: { unprotectedHeader: { kid: 'nobody-else' } } },
      ]);
      await assert.rejects(api.verifyG(g2, allKeys), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
      // Unknown crit in every signature.
      const g3 = await api.signG('x', [{ key: hs, options: { protectedHeader: { crit: ['urn:y'], 'urn:y': true } } }]);
      await assert.rejects(api.verifyG(g3, hs), { code: 'ERR_CRIT_UNSUPPORTED' });
    });

    test('mixed reasons, or any bad signature → ERR_JWS_SIGNATURE_INVALID', async () => {
      // ES256 not allowed for the HS key, and a bad HS256 signature.
      const g = clone(baseGeneral);
      const first = g.signatures[0];
      assert.ok(first);
      first.signature = mutate(first.signature);
      await assert.rejects(api.verifyG(g, hs), { code: 'ERR_JWS_SIGNATURE_INVALID' });
      // alg none and alg not allowed.
      await assert.rejects(
        api.verifyG({ payload: base.payload, signatures: [noneSig, baseGeneral.signatures[1]] }, hs),
        { code: 'ERR_JWS_SIGNATURE_INVALID' },
      );
    });

    test('alg from the unprotected header is still pinned to the allow-list', async () => {
      const sig = await api.signF('hello', hs);
      const unprotectedAlg = { payload: sig.payload, header: { alg: 'HS256' }, signature: sig.signature };
      await assert.rejects(api.verifyF(unprotectedAlg, hs, { algorithms: ['HS512'] }), { code: 'ERR_ALG_NOT_ALLOWED' });
      await assert.rejects(api.verifyF({ ...unprotectedAlg, header: { alg: 'RS256' } }, hs), { code: 'ERR_ALG_NOT_ALLOWED' });
      // And it verifies over an empty protected header: '' || '.' || payload; this one was not.
      await assert.rejects(api.verifyF(unprotectedAlg, hs), { code: 'ERR_JWS_SIGNATURE_INVALID' });
    });

    test('a key resolver sees the JOSE header, unprotected kid included', async () => {
      const seen: VerifiedJWSHeader[] = [];
      const resolver = (h: VerifiedJWSHeader): KeyInput => {
        seen.push(h);
        return hs;
      };
      const r = await api.verifyF(base, resolver, { algorithms: ['HS256'] });
      assert.equal(r.key, hs);
      assert.deepEqual(seen[0], { alg: 'HS256', kid: 'k1' });
      await assert.rejects(api.verifyF(base, resolver), { code: 'ERR_ALG_REQUIRED' });
      // A resolver's own error is not swallowed by the general loop.
      const boom = (): KeyInput => {
        throw new RangeError('resolver failed');
      };
      await assert.rejects(api.verifyG(baseGeneral, boom, { algorithms: ['HS256'] }), RangeError);
    });
  });

  describe(`JSON JWS signing checks (${api.name}, ${platform.name})`, () => {
    test('unprotected header rules', async () => {
      await assert.rejects(api.signF('x', hs, { unprotectedHeader: { alg: 'HS256' } }), { code: 'ERR_HEADER_INVALID' });
      await assert.rejects(api.signF('x', hs, { protectedHeader: { typ: 'a' }, unprotectedHeader: { typ: 'b' } }), { code: 'ERR_HEADER_INVALID' });
      await assert.rejects(api.signF('x', hs, { unprotectedHeader: { crit: ['x'], x: 1 } }), { code: 'ERR_CRIT_INVALID' });
      await assert.rejects(api.signF('x', hs, { unprotectedHeader: { b64: false } }), { code: 'ERR_CRIT_INVALID' });
      await assert.rejects(api.signF('x', hs, { unprotectedHeader: { kid: 3 } as unknown as JWSHeader }), { code: 'ERR_HEADER_INVALID' });
      await assert.rejects(api.signF('x', hs, { unprotectedHeader: [] as unknown as JWSHeader }), { code: 'ERR_INVALID_ARGUMENT' });
      await assert.rejects(api.signG('x', [{ key: hs, options: { unprotectedHeader: { alg: 'HS256' } } }]), { code: 'ERR_HEADER_INVALID' });
    });

    test('the unprotected header is copied at signing', async () => {
      const header: JWSHeader = { kid: 'before' };
      const jws = await api.signF('x', hs, { unprotectedHeader: header });
      header.kid = 'after';
      assert.deepEqual(jws.header, { kid: 'before' });
    });

    test('signer list rules', async () => {
      await assert.rejects(api.signG('x', []), { code: 'ERR_INVALID_ARGUMENT' });
      await assert.rejects(api.signG('x', [null as unknown as { key: KeyInput }]), { code: 'ERR_INVALID_ARGUMENT' });
      await assert.rejects(api.signG('x', 'nope' as unknown as []), { code: 'ERR_INVALID_ARGUMENT' });
      await assert.rejects(api.signG('x', Array(17).fill({ key: hs })), { code: 'ERR_JWS_INVALID' });
      await assert.rejects(api.signG('x', [{ key: hs, options: { detached: true } }]), { code: 'ERR_INVALID_ARGUMENT' });
      assert.equal((await api.signG('x', Array(16).fill({ key: hs }))).signatures.length, 16);
    });

    test('alg none cannot sign', async () => {
      await assert.rejects(api.signF('x', hs, { alg: 'none' }), { code: 'ERR_ALG_NONE' });
      await assert.rejects(api.signG('x', [{ key: hs, options: { alg: 'none' } }]), { code: 'ERR_ALG_NONE' });
    });
  });
}

if (!platform.syncSupported) {
  test('sync JSON APIs throw ERR_SYNC_UNSUPPORTED on WebCrypto', () => {
    assert.throws(() => signFlattenedJWSSync('x', hs), { code: 'ERR_SYNC_UNSUPPORTED' });
    assert.throws(() => verifyFlattenedJWSSync(base, hs), { code: 'ERR_SYNC_UNSUPPORTED' });
    assert.throws(() => signGeneralJWSSync('x', [{ key: hs }]), { code: 'ERR_SYNC_UNSUPPORTED' });
    assert.throws(() => verifyGeneralJWSSync(baseGeneral, hs), { code: 'ERR_SYNC_UNSUPPORTED' });
  });
}

// ---------------------------------------------------------------------------------------------
// Vectors.

interface CookbookJSON {
  readonly input: { readonly payload: string; readonly key: JWK | JWK[] };
  readonly output: { readonly json: GeneralJWS; readonly json_flat?: FlattenedJWS };
}
const v45 = loadVector<CookbookJSON>('rfc7520/jws/4_5.signature_with_detached_content.json');
const v46 = loadVector<CookbookJSON>('rfc7520/jws/4_6.protecting_specific_header_fields.json');
const v47 = loadVector<CookbookJSON>('rfc7520/jws/4_7.protecting_content_only.json');
const v48 = loadVector<CookbookJSON>('rfc7520/jws/4_8.multiple_signatures.json');
const a67 = loadVector<{ keys: Record<string, JWK>; general_json: GeneralJWS; flattened_json: FlattenedJWS }>(
  'rfc-appendix/rfc7515_A.6_A.7.json',
);
const r7797 = loadVector<{ jwk: JWK; payload_utf8: string; '4.2': { flattened_json: FlattenedJWS } }>('rfc-appendix/rfc7797_4.json');
const FRODO = v46.input.payload;

for (const api of APIS) {
  describe(`JSON JWS vectors (${api.name}, ${platform.name})`, () => {
    test('RFC 7520 §4.5: detached content, general and flattened', async () => {
      const key = v45.input.key as JWK;
      assert.equal(text((await api.verifyG(v45.output.json, key, { payload: v45.input.payload })).payload), FRODO);
      assert.equal(text((await api.verifyF(v45.output.json_flat, key, { payload: v45.input.payload })).payload), FRODO);
      await assert.rejects(api.verifyF(v45.output.json_flat, key), { code: 'ERR_JWS_INVALID' });
    });

    test('RFC 7520 §4.6: protecting specific header fields (verify, and re-sign byte for byte)', async () => {
      const key = v46.input.key as JWK;
      for (const r of [await api.verifyG(v46.output.json, key), await api.verifyF(v46.output.json_flat, key)]) {
        assert.equal(text(r.payload), FRODO);
        assert.deepEqual(r.protectedHeader, { alg: 'HS256' });
        assert.deepEqual(r.unprotectedHeader, { kid: key.kid });
      }
      const unprotectedHeader = { kid: key.kid as string };
      assert.deepEqual(await api.signF(FRODO, key, { unprotectedHeader }), v46.output.json_flat);
      assert.deepEqual(await api.signG(FRODO, [{ key, options: { unprotectedHeader } }]), v46.output.json);
    });

    test('RFC 7520 §4.7: protecting content only (alg in the unprotected header)', async () => {
      const key = v47.input.key as JWK;
      for (const r of [await api.verifyG(v47.output.json, key), await api.verifyF(v47.output.json_flat, key)]) {
        assert.equal(text(r.payload), FRODO);
        assert.deepEqual(r.protectedHeader, {});
        assert.deepEqual(r.unprotectedHeader, { alg: 'HS256', kid: key.kid });
        assert.equal(r.alg, 'HS256');
      }
      await assert.rejects(api.verifyF(v47.output.json_flat, key, { algorithms: ['HS512'] }), { code: 'ERR_ALG_NOT_ALLOWED' });
      const flat = v47.output.json_flat as FlattenedJWS;
      await assert.rejects(api.verifyF({ ...flat, signature: mutate(flat.signature) }, key), { code: 'ERR_JWS_SIGNATURE_INVALID' });
    });

    test('RFC 7520 §4.8: multiple signatures (RS256, ES512 with unprotected alg, HS256)', async () => {
      const [rsa, ec, oct] = v48.input.key as [JWK, JWK, JWK];
      const set = createLocalJWKSet({ keys: [publicJWK(rsa), publicJWK(ec), oct] }, { allowPrivate: true });
      const viaSet = await api.verifyG(v48.output.json, set);
      assert.equal(viaSet.signatureIndex, 0);
      assert.equal(viaSet.alg, 'RS256');
      const expect: Array<[JWK, number, string, object, object | undefined]> = [
        [publicJWK(rsa), 0, 'RS256', { alg: 'RS256' }, { kid: rsa.kid }],
        [publicJWK(ec), 1, 'ES512', {}, { alg: 'ES512', kid: ec.kid }],
        [oct, 2, 'HS256', { alg: 'HS256', kid: oct.kid }, undefined],
      ];
      for (const [key, index, alg, protectedHeader, unprotectedHeader] of expect) {
        const r = await api.verifyG(v48.output.json, key);
        assert.equal(r.signatureIndex, index);
        assert.equal(r.alg, alg);
        assert.equal(text(r.payload), FRODO);
        assert.deepEqual(r.protectedHeader, protectedHeader);
        assert.deepEqual(r.unprotectedHeader, unprotectedHeader);
      }
      // The deterministic signatures (RS256, HS256) re-sign byte for byte.
      const payload = v48.output.json.payload;
      assert.deepEqual(await api.signF(FRODO, rsa, { alg: 'RS256', unprotectedHeader: { kid: rsa.kid as string } }), {
        payload,
        ...v48.output.json.signatures[0],
      });
      assert.deepEqual(await api.signF(FRODO, oct, { protectedHeader: { kid: oct.kid as string } }), { payload, ...v48.output.json.signatures[2] });
    });

    test('RFC 7515 A.6 (general) and A.7 (flattened)', async () => {
      const rsa = { ...publicJWK(a67.keys['2010-12-29'] as JWK), kid: '2010-12-29' };
      const ec = { ...publicJWK(a67.keys['e9bc097a-ce51-4036-9562-d2ade882db0d'] as JWK), kid: 'e9bc097a-ce51-4036-9562-d2ade882db0d' };
      const claims = '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}';
      const r1 = await api.verifyG(a67.general_json, rsa);
      assert.equal(r1.signatureIndex, 0);
      assert.equal(text(r1.payload), claims);
      const r2 = await api.verifyG(a67.general_json, ec);
      assert.equal(r2.signatureIndex, 1);
      assert.deepEqual(r2.protectedHeader, { alg: 'ES256' });
      assert.deepEqual(r2.unprotectedHeader, { kid: ec.kid });
      const set = createLocalJWKSet({ keys: [ec, rsa] });
      assert.equal((await api.verifyG(a67.general_json, set)).key.kid, '2010-12-29');
      const r3 = await api.verifyF(a67.flattened_json, ec);
      assert.equal(text(r3.payload), claims);
      await assert.rejects(api.verifyF(a67.flattened_json, rsa), { code: 'ERR_ALG_NOT_ALLOWED' });
      // A general JWS is not a flattened one, nor the reverse.
      await assert.rejects(api.verifyF(a67.general_json, ec), { code: 'ERR_JWS_INVALID' });
      await assert.rejects(api.verifyG(a67.flattened_json, ec), { code: 'ERR_JWS_INVALID' });
    });

    test('RFC 7797 §4.2: unencoded payload, flattened (verify, and re-sign byte for byte)', async () => {
      const v = r7797['4.2'].flattened_json;
      assert.equal(text((await api.verifyF(v, r7797.jwk, { algorithms: ['HS256'] })).payload), '$.02');
      assert.deepEqual(await api.signF(r7797.payload_utf8, r7797.jwk, { alg: 'HS256', b64: false }), v);
      // Without "b64" in crit the same bytes would be a different JWS: RFC 7797 §6 requires it.
      const noCrit = { ...v, protected: b64u('{"alg":"HS256","b64":false}') };
      await assert.rejects(api.verifyF(noCrit, r7797.jwk, { algorithms: ['HS256'] }), { code: 'ERR_CRIT_INVALID' });
    });
  });
}
